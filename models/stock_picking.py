"""Carrier tracking data and exception state on shipments (`stock.picking`).

The normalised carrier status follows the aggregators' vocabulary (AfterShip tags) and is mirrored
onto OCA `delivery_state`'s coarse `delivery_state`, so an OCA carrier module that only fills
`delivery_state` still gives the chatbot something to say, and ours feeds OCA's reports.
"""

from odoo import api, fields, models

from .order_tracking_event import CARRIER_STATUS_SELECTION

EXCEPTION_SELECTION = [
    ("delayed", "Delayed"),
    ("returned_to_sender", "Returned to Sender"),
    ("lost", "Lost"),
    ("address_issue", "Incomplete Address"),
    ("failed_attempt", "Failed Delivery Attempt"),
    ("damaged", "Damaged"),
]

# Why a shipment is "delayed": our rules found it (late, stale, no first scan), or the carrier.
EXCEPTION_REASON_SELECTION = [
    ("carrier", "Reported by the carrier"),
    ("late", "Late"),
    ("stale", "No carrier update"),
    ("no_first_scan", "Not scanned by the carrier"),
]

# Our status → OCA delivery_state.
STATUS_TO_DELIVERY_STATE = {
    "Pending": "shipping_recorded_in_carrier",
    "InfoReceived": "shipping_recorded_in_carrier",
    "InTransit": "in_transit",
    "OutForDelivery": "in_transit",
    "AttemptFail": "in_transit",
    "AvailableForPickup": "in_transit",
    "Delivered": "customer_delivered",
    "Exception": "incident",
    "Expired": "no_update",
}
# OCA delivery_state → our status, for carriers that only implement OCA's hook.
DELIVERY_STATE_TO_STATUS = {
    "shipping_recorded_in_carrier": "InfoReceived",
    "in_transit": "InTransit",
    "incident": "Exception",
    "customer_delivered": "Delivered",
    "warehouse_delivered": "AvailableForPickup",
    "no_update": "Expired",
    "canceled_shipment": "Exception",
}

# What a shipment's stored ETA is computed from (see order.tracking.eta._ot_refresh_etas).
ETA_INPUTS = {"date_done", "carrier_id", "partner_id"}

# A shipment's tracking codes as an upper-case array: customers type codes in any case, and a
# picking shipped in several parcels holds "code1,code2". The chat finds a code with `@>` on this
# expression, which the GIN index below serves exactly (no prefix or substring matches).
TRACKING_CODES_SQL = r"regexp_split_to_array(upper(btrim(carrier_tracking_ref)), '\s*,\s*')"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # fastupdate off: new codes go straight into the index instead of a pending list that every
    # lookup scans until the next vacuum (25 ms per lookup after 100,000 new shipments).
    _ot_tracking_codes_gin_idx = models.Index(
        f"USING gin (({TRACKING_CODES_SQL})) WITH (fastupdate = off) "
        "WHERE carrier_tracking_ref IS NOT NULL"
    )
    ot_event_ids = fields.One2many("order.tracking.event", "picking_id", string="Tracking Events")
    ot_carrier_status = fields.Selection(
        CARRIER_STATUS_SELECTION,
        string="Carrier Status",
        copy=False,
        index=True,
        tracking=True,
        help="Normalised status of the shipment at the carrier.",
    )
    ot_carrier_substatus = fields.Char(string="Carrier Sub-status", copy=False)
    ot_last_event_at = fields.Datetime(string="Last Carrier Event", copy=False, readonly=True)
    ot_last_event_text = fields.Char(string="Last Event", copy=False, readonly=True)
    ot_last_event_location = fields.Char(string="Last Event Location", copy=False, readonly=True)
    ot_eta = fields.Date(string="Expected Delivery", copy=False)
    ot_eta_source = fields.Selection(
        [
            ("carrier", "Carrier"),
            ("lead_time", "Configured lead time"),
            ("history", "Past deliveries"),
        ],
        string="ETA Source",
        copy=False,
    )
    ot_exception_type = fields.Selection(
        EXCEPTION_SELECTION, string="Exception", copy=False, index=True, tracking=True
    )
    ot_exception_detected_at = fields.Datetime(string="Exception Detected", copy=False)
    ot_exception_reason = fields.Selection(
        EXCEPTION_REASON_SELECTION, string="Exception Reason", copy=False
    )
    # Rendered from the exception's type and reason in the reader's language, never stored as
    # one language's sentence: staff, the customer notice and the chat each read their own.
    ot_exception_next_step = fields.Char(
        string="Next Step", compute="_compute_ot_exception_next_step"
    )
    ot_next_check_at = fields.Datetime(
        string="Next Carrier Check",
        copy=False,
        index=True,
        help="When the sync cron asks the carrier again; empty once the shipment needs no polling.",
    )
    ot_check_failures = fields.Integer(string="Failed Checks", copy=False)
    ot_last_check_error = fields.Char(string="Last Check Error", copy=False)

    @api.depends("ot_exception_type", "ot_exception_reason")
    @api.depends_context("lang")
    def _compute_ot_exception_next_step(self):
        exceptions = self.env["order.tracking.exception"]
        for picking in self:
            picking.ot_exception_next_step = exceptions._ot_next_step(picking, self.env.lang)

    def write(self, vals):
        # Keep OCA's coarse state in step with ours (and ours with theirs when only theirs changes).
        if vals.get("ot_carrier_status") and "delivery_state" not in vals:
            vals["delivery_state"] = STATUS_TO_DELIVERY_STATE[vals["ot_carrier_status"]]
        elif vals.get("delivery_state") and "ot_carrier_status" not in vals:
            vals["ot_carrier_status"] = DELIVERY_STATE_TO_STATUS.get(vals["delivery_state"])
        result = super().write(vals)
        # The stored ETA counts from the hand-over, with this carrier, to this address.
        if ETA_INPUTS.intersection(vals):
            self.env["order.tracking.eta"]._ot_refresh_etas(self)
        return result

    # --- tracking sync (added by the sync helper; the logic lives in order.tracking.sync) ---

    def _action_done(self):
        res = super()._action_done()
        self.env["order.tracking.sync"]._ot_schedule_first_check(self)
        self.env["order.tracking.eta"]._ot_refresh_etas(self)
        return res

    def action_ot_sync_tracking_now(self):
        """Button "Sync tracking now": ask the carrier at once (stopped shipments included)."""
        self.ensure_one()
        return self.env["order.tracking.sync"]._ot_action_sync_now(self)
