"""Settings > Order Tracking: the SMS gateway, its credentials, templates and a test send.

The values live on the company (``res_company_sms.py``); credentials are system-group fields
shown to administrators only. "Send a test SMS" asks the gateway directly and shows its own
answer (message id and words, or the refusal and why), without queueing anything.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sms_gateways import GATEWAYS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ot_sms_api_key = fields.Char(
        related="company_id.ot_sms_api_key", readonly=False, groups="base.group_system"
    )
    ot_sms_username = fields.Char(
        related="company_id.ot_sms_username", readonly=False, groups="base.group_system"
    )
    ot_sms_password = fields.Char(
        related="company_id.ot_sms_password", readonly=False, groups="base.group_system"
    )
    ot_sms_api_url = fields.Char(
        related="company_id.ot_sms_api_url", readonly=False, groups="base.group_system"
    )
    ot_sms_sender = fields.Char(related="company_id.ot_sms_sender", readonly=False)
    ot_sms_template_otp = fields.Char(related="company_id.ot_sms_template_otp", readonly=False)
    ot_sms_is_gateway = fields.Boolean(
        string="SMS Gateway Chosen", compute="_compute_ot_sms_gateway_info"
    )
    ot_sms_needs_login = fields.Boolean(
        string="Gateway Needs Login", compute="_compute_ot_sms_gateway_info"
    )
    ot_sms_dlr_url = fields.Char(
        string="Delivery Report URL", compute="_compute_ot_sms_gateway_info"
    )
    ot_sms_test_number = fields.Char(
        string="Test Mobile Number", help="An Iranian mobile to send the test SMS to."
    )

    @api.depends("ot_sms_provider", "company_id")
    def _compute_ot_sms_gateway_info(self):
        for settings in self:
            gateway_class = GATEWAYS.get(settings.ot_sms_provider)
            settings.ot_sms_is_gateway = bool(gateway_class)
            settings.ot_sms_needs_login = bool(
                gateway_class and "username" in gateway_class.credential_fields
            )
            settings.ot_sms_dlr_url = (
                settings.company_id._ot_sms_dlr_url(settings.ot_sms_provider)
                if gateway_class
                else False
            )

    def action_ot_send_test_sms(self):
        """Send a short SMS to the test number through the chosen gateway; show its answer."""
        self.ensure_one()
        company = self.company_id
        if not company._ot_sms_is_gateway():
            raise UserError(
                self.env._("Choose an SMS gateway (and save) before sending a test SMS.")
            )
        if not (self.ot_sms_test_number or "").strip():
            raise UserError(self.env._("Type the mobile number to send the test SMS to."))
        gateway = company._ot_sms_gateway()
        text = self.env._("Test SMS from %s: the SMS gateway works.", company.name)
        result = gateway.send([self.ot_sms_test_number], text)[0]
        if result.ok:
            message = self.env._(
                "%(provider)s accepted the SMS (message id %(id)s): %(answer)s",
                provider=type(gateway).label,
                id=result.message_id,
                answer=result.message or "-",
            )
            kind = "success"
        else:
            labels = dict(
                self.env["sms.sms"]._fields["failure_type"]._description_selection(self.env)
            )
            message = self.env._(
                "%(provider)s refused the SMS (%(failure)s): %(answer)s",
                provider=type(gateway).label,
                failure=labels.get(result.failure_type, result.failure_type),
                answer=result.message or "-",
            )
            kind = "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("SMS gateway"),
                "message": message,
                "type": kind,
                "sticky": not result.ok,
            },
        }
