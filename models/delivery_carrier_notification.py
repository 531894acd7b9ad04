"""Per-carrier overrides of the customer notification switches (carrier form, Order Tracking)."""

from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_notification_rule_ids = fields.One2many(
        "order.tracking.notification.rule",
        "carrier_id",
        string="Customer Notifications",
        help="Events whose SMS/email switches differ for this carrier's shipments; events not "
        "listed follow Settings > Order Tracking.",
    )
