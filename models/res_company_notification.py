"""Company side of the customer notifications: quiet hours, the gateway template of each event,
and taking over ``stock_sms``'s "delivery validated" SMS.

``stock_sms`` (installed with stock + sms) texts the customer when an outgoing shipment is
validated and, once per company, asks staff to confirm it in a wizard. Both go through
``res.company._get_text_validation('sms')``. When our "handed to carrier" SMS is on for the
company, that answers ``False``: the customer gets one SMS for the shipment (ours, with the carrier
and tracking code) and staff are not asked. With ours switched off, Odoo's own setting
(Inventory > Settings > SMS confirmation) applies unchanged.
"""

from odoo import fields, models

NOTIFY_KIND_PREFIX = "notify_"


class ResCompany(models.Model):
    _inherit = "res.company"

    ot_notify_quiet_start = fields.Float(
        string="Quiet Hours From",
        default=22.0,
        help="SMS notifications due from this hour (shop time) wait until the end of the quiet "
        "hours. Same start and end: no quiet hours.",
    )
    ot_notify_quiet_end = fields.Float(string="Quiet Hours Until", default=8.0)

    def _get_text_validation(self, confirmation_type):
        if confirmation_type == "sms" and self._ot_takes_over_stock_sms():
            return False
        return super()._get_text_validation(confirmation_type)

    def _ot_takes_over_stock_sms(self):
        """True when our "handed to carrier" SMS is on for the company (any carrier override
        aside): Odoo's delivery SMS and its wizard then stand down."""
        self.ensure_one()
        channels = self.env["order.tracking.notification.rule"]._ot_channels(
            self, self.env["delivery.carrier"], "handed_to_carrier"
        )
        return "sms" in channels

    def _ot_sms_template_id(self, kind):
        if kind and kind.startswith(NOTIFY_KIND_PREFIX):
            self.ensure_one()
            return self.env["order.tracking.notification.rule"]._ot_gateway_template(
                self, kind[len(NOTIFY_KIND_PREFIX) :]
            )
        return super()._ot_sms_template_id(kind)
