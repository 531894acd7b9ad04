"""The messenger switch of each notification event: a third channel next to SMS and email.

On by default like the others; it only ever reaches customers who linked a chat (see
order_tracking_notification_messenger.py).
"""

from odoo import api, fields, models

from .order_tracking_notification_rule import DEFAULT_ON

MESSENGER = "messenger"


class OrderTrackingNotificationRule(models.Model):
    _inherit = "order.tracking.notification.rule"

    messenger = fields.Boolean(
        string="Messenger",
        default=DEFAULT_ON,
        help="Telegram/Bale, for customers who linked a chat to their mobile.",
    )

    @api.model
    def _ot_channels(self, company, carrier, event):
        channels = super()._ot_channels(company, carrier, event)
        # sudo: order.tracking.notification.rule - settings read by the system for any trigger
        rules = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("event", "=", event),
                ("carrier_id", "in", [False, *carrier.ids]),
            ]
        )
        rule = rules.filtered("carrier_id")[:1] or rules[:1]
        if (rule.messenger if rule else DEFAULT_ON) and MESSENGER not in channels:
            channels.append(MESSENGER)
        return channels
