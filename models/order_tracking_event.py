"""One carrier event of a shipment (time, place, raw code and text, normalised status).

Events are append-only: a carrier that later forgets an event does not remove it here, and the
same event fetched twice is stored once (unique key per picking).
"""

import hashlib

from odoo import api, fields, models

CARRIER_STATUS_SELECTION = [
    ("Pending", "Pending"),
    ("InfoReceived", "Info Received"),
    ("InTransit", "In Transit"),
    ("OutForDelivery", "Out for Delivery"),
    ("AttemptFail", "Failed Attempt"),
    ("Delivered", "Delivered"),
    ("AvailableForPickup", "Available for Pickup"),
    ("Exception", "Exception"),
    ("Expired", "Expired"),
]


class OrderTrackingEvent(models.Model):
    _name = "order.tracking.event"
    _description = "Shipment Tracking Event"
    _order = "occurred_at desc, id desc"

    picking_id = fields.Many2one(
        "stock.picking", required=True, index=True, ondelete="cascade", string="Shipment"
    )
    sale_id = fields.Many2one(related="picking_id.sale_id", store=True, index=True)
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    occurred_at = fields.Datetime(string="Time", required=True)
    status = fields.Selection(CARRIER_STATUS_SELECTION, required=True)
    substatus = fields.Char()
    raw_code = fields.Char(string="Carrier Code")
    raw_text = fields.Char(string="Carrier Text", required=True)
    location = fields.Char()
    source = fields.Selection(
        [
            ("poll", "Polling"),
            ("webhook", "Webhook"),
            ("simulated", "Simulated"),
        ],
        default="poll",
        required=True,
    )
    dedup_key = fields.Char(required=True, readonly=True)

    _picking_dedup_unique = models.Constraint(
        "unique(picking_id, dedup_key)",
        "This carrier event is already recorded for this shipment.",
    )

    @api.model
    def _ot_dedup_key(self, occurred_at, raw_code, raw_text, location):
        """Stable identity of an event, so re-fetching never duplicates it."""
        parts = [
            fields.Datetime.to_string(occurred_at),
            raw_code or "",
            raw_text or "",
            location or "",
        ]
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
