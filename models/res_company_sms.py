"""Iranian SMS gateways as the company's SMS provider, the way Odoo's ``sms_twilio`` does it.

Choosing a gateway in ``ot_sms_provider`` makes ``_get_sms_api_class()`` return
``OtSmsGatewayApi``: every SMS of the company (Odoo's stock/sale SMS, marketing SMS, the chat's
one-time codes) then goes through that gateway, not only ours.

Credentials (API key, or username and password for Melipayamak) are system-group fields and may
come from environment variables instead, which win when set: ``OT_SMS_API_KEY``,
``OT_SMS_USERNAME``, ``OT_SMS_PASSWORD`` (the field name in upper case, as for carriers). They
are read on the server only, never logged, never sent to a browser.

Template ids are per message kind (``ot_sms_template_<kind>``); a kind without a template id
is sent as plain text. The one-time code is the kind ``otp``; other features add their kind
with a field of that name.
"""

import secrets

from odoo import fields, models
from odoo.exceptions import UserError

from ..sms_gateways import GATEWAYS
from .credentials import read_credential
from .sms_gateway_api import OtSmsGatewayApi

# The outbox and Odoo's own service are not gateways: their SMS follow Odoo's usual path.
GATEWAY_SELECTION = [(name, cls.label) for name, cls in GATEWAYS.items()]


class ResCompany(models.Model):
    _inherit = "res.company"

    ot_sms_provider = fields.Selection(
        selection_add=GATEWAY_SELECTION,
        # Uninstalling a gateway's code must not leave SMS with nowhere to go: Odoo's default.
        ondelete=dict.fromkeys(GATEWAYS, "set default"),
    )
    ot_sms_api_key = fields.Char(
        string="SMS Gateway API Key",
        groups="base.group_system",
        copy=False,
        help="Environment variable OT_SMS_API_KEY wins when set.",
    )
    ot_sms_username = fields.Char(
        string="SMS Gateway Username",
        groups="base.group_system",
        copy=False,
        help="Melipayamak only. Environment variable OT_SMS_USERNAME wins when set.",
    )
    ot_sms_password = fields.Char(
        string="SMS Gateway Password",
        groups="base.group_system",
        copy=False,
        help="Melipayamak only. Environment variable OT_SMS_PASSWORD wins when set.",
    )
    ot_sms_api_url = fields.Char(
        string="SMS Gateway API URL",
        groups="base.group_system",
        help="Leave empty for the provider's public API; set it for a white-label panel "
        "(e.g. a FarazSMS host on IPPanel Edge) or a test server.",
    )
    ot_sms_sender = fields.Char(
        string="SMS Sender Line",
        help="The service line (خط خدماتی) your SMS are sent from, as the provider shows it: "
        "e.g. 30005006 or +983000505.",
    )
    ot_sms_template_otp = fields.Char(
        string="One-Time Code Template",
        help="Id (or name) of the template approved in the provider's panel for the chat's "
        "one-time codes; its only parameter is the code (named 'code', or the first "
        "parameter of positional templates). Empty: the code is sent as plain text.",
    )
    ot_sms_dlr_token = fields.Char(
        string="Delivery Report Token",
        groups="base.group_system",
        copy=False,
        help="Secret part of the delivery-report callback URL given to the provider.",
    )

    # --- the gateway ----------------------------------------------------------------------------

    def _get_sms_api_class(self):
        self.ensure_one()
        if self.ot_sms_provider in GATEWAYS:
            return OtSmsGatewayApi
        return super()._get_sms_api_class()

    def _ot_sms_is_gateway(self):
        self.ensure_one()
        return self.ot_sms_provider in GATEWAYS

    def _ot_sms_http_session(self):
        """The ``requests`` session for the gateway client; ``None`` lets the client build its
        own. Tests return a replaying session here (no network)."""

    def _ot_sms_gateway(self, provider=None):
        """The ``sms_gateways`` client of ``provider`` (the company's by default).

        Raises ``UserError`` when the company's credentials for it are missing.
        """
        self.ensure_one()
        provider = provider or self.ot_sms_provider
        gateway_class = GATEWAYS.get(provider)
        if gateway_class is None:
            raise UserError(self.env._("The SMS provider of %s is not a gateway.", self.name))
        # sudo: res.company - the API URL is a system-group setting.
        url = self.sudo().ot_sms_api_url
        try:
            return gateway_class(
                api_key=read_credential(self, "ot_sms_api_key"),
                username=read_credential(self, "ot_sms_username"),
                password=read_credential(self, "ot_sms_password"),
                sender=self.ot_sms_sender,
                base_url=url or None,
                session=self._ot_sms_http_session(),
            )
        except ValueError:
            raise UserError(
                self.env._(
                    "The SMS gateway %(provider)s of %(company)s is missing its credentials "
                    "(Settings > Order Tracking).",
                    provider=gateway_class.label,
                    company=self.name,
                )
            ) from None

    def _ot_sms_template_id(self, kind):
        """The approved template id for a message ``kind`` (``"otp"``...), or ``False``."""
        self.ensure_one()
        field_name = f"ot_sms_template_{kind}"
        if field_name not in self._fields:
            return False
        return (self[field_name] or "").strip() or False

    def write(self, vals):
        result = super().write(vals)
        if vals.get("ot_sms_provider") in GATEWAYS:
            self._ot_sms_ensure_dlr_token()
        return result

    def _ot_sms_ensure_dlr_token(self):
        """Give each company its own secret for the delivery-report callback URL."""
        # sudo: res.company - the token is a system-group field, generated once.
        for company in self.sudo():
            if not company.ot_sms_dlr_token:
                company.ot_sms_dlr_token = secrets.token_urlsafe(24)

    def _ot_sms_dlr_url(self, provider=None):
        """The delivery-report callback URL to paste in the provider's panel, or "" when the
        provider has no callbacks (its reports are polled)."""
        self.ensure_one()
        provider = provider or self.ot_sms_provider
        gateway_class = GATEWAYS.get(provider)
        # sudo: res.company - the token is a system-group field; only administrators see
        # the settings that show this URL.
        token = self.sudo().ot_sms_dlr_token
        if not gateway_class or not gateway_class.supports_callback or not token:
            return ""
        return f"{self.get_base_url()}/order-tracking/sms/dlr/{provider}/{self.id}/{token}"
