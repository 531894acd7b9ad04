"""Settings > Order Tracking > Customer Notifications: quiet hours and the event switches.

The switches are rows of ``order.tracking.notification.rule`` (one per event, SMS and email
on/off, the gateway's approved template id); the button opens the company's rows, all events
listed. Carriers override them on their form (Order Tracking tab).
"""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ot_notify_quiet_start = fields.Float(related="company_id.ot_notify_quiet_start", readonly=False)
    ot_notify_quiet_end = fields.Float(related="company_id.ot_notify_quiet_end", readonly=False)

    def action_ot_notification_switches(self):
        self.ensure_one()
        company = self.company_id
        self.env["order.tracking.notification.rule"]._ot_ensure_company_rules(company)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Notifications"),
            "res_model": "order.tracking.notification.rule",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "order_tracking_chatbot.order_tracking_notification_rule_view_list"
                    ).id,
                    "list",
                )
            ],
            "domain": [("company_id", "=", company.id), ("carrier_id", "=", False)],
            "context": {"default_company_id": company.id},
        }
