"""Which notification goes out by which channel: one switch per (company, event) and overrides
per carrier.

A company row (no carrier) holds the shop's choice for one event: SMS on/off, email on/off and
the id of the template approved in the SMS gateway's panel for it. A carrier row for the same
event overrides the company's switches for that carrier's shipments (a carrier that texts the
customer itself, say). No row at all means "on": the defaults live in :data:`DEFAULT_ON`.
"""

from odoo import api, fields, models

# Same codes as the shipment exceptions (stock.picking.ot_exception_type) for the exception
# events, so an exception's code is its event's code.
EVENT_SELECTION = [
    ("confirmed", "Order Confirmed"),
    ("handed_to_carrier", "Handed to Carrier"),
    ("out_for_delivery", "Out for Delivery"),
    ("failed_attempt", "Failed Delivery Attempt"),
    ("delayed", "Delayed"),
    ("returned_to_sender", "Returned to Sender"),
    ("lost", "Lost"),
    ("address_issue", "Address Problem"),
    ("damaged", "Damaged"),
    ("delivered", "Delivered"),
]
EVENTS = tuple(code for code, _label in EVENT_SELECTION)
CHANNEL_SELECTION = [("sms", "SMS"), ("email", "Email")]
CHANNELS = tuple(code for code, _label in CHANNEL_SELECTION)
# A switch without a row is on: notifying is what the feature is for.
DEFAULT_ON = True


class OrderTrackingNotificationRule(models.Model):
    _name = "order.tracking.notification.rule"
    _description = "Order Tracking Notification Switch"
    _order = "company_id, carrier_id, sequence, id"

    sequence = fields.Integer(compute="_compute_sequence", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Carrier",
        ondelete="cascade",
        index="btree_not_null",
        help="Empty: the company's switch. Set: overrides the company's switch for this carrier.",
    )
    event = fields.Selection(EVENT_SELECTION, required=True)
    sms = fields.Boolean(string="SMS", default=DEFAULT_ON)
    email = fields.Boolean(string="Email", default=DEFAULT_ON)
    sms_gateway_template = fields.Char(
        string="Gateway Template",
        help="Id (or name) of the template approved in the SMS gateway's panel for this event. "
        "Its parameters are named after the values of the SMS (order, carrier, code, link...). "
        "Empty: the SMS text of the Odoo template is sent as plain text.",
    )

    _unique_switch = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (company_id, carrier_id, event)",
        "One switch per company, carrier and event.",
    )

    @api.depends("event")
    def _compute_sequence(self):
        for rule in self:
            rule.sequence = EVENTS.index(rule.event) if rule.event in EVENTS else 99

    @api.model
    def _ot_ensure_company_rules(self, company):
        """Create the company's missing rows (with the defaults) so Settings lists all events."""
        existing = set(
            self.search([("company_id", "=", company.id), ("carrier_id", "=", False)]).mapped(
                "event"
            )
        )
        missing = [e for e in EVENTS if e not in existing]
        if missing:
            self.create([{"company_id": company.id, "event": event} for event in missing])

    @api.model
    def _ot_channels(self, company, carrier, event):
        """The channels switched on for ``event`` of ``company``'s shipments by ``carrier``."""
        # sudo: order.tracking.notification.rule - settings read by the system for any trigger
        rules = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("event", "=", event),
                ("carrier_id", "in", [False, *carrier.ids]),
            ]
        )
        rule = rules.filtered("carrier_id")[:1] or rules[:1]
        if not rule:
            return list(CHANNELS) if DEFAULT_ON else []
        return [channel for channel in CHANNELS if rule[channel]]

    @api.model
    def _ot_gateway_template(self, company, event):
        rule = self.sudo().search(
            [("company_id", "=", company.id), ("event", "=", event), ("carrier_id", "=", False)],
            limit=1,
        )
        return (rule.sms_gateway_template or "").strip() or False
