"""A generic signed webhook as a tracking provider: any carrier or middleware pushes events to
``/order-tracking/webhook/webhook/<carrier id>``, signed with HMAC-SHA256 over the timestamp and
the body (see ``carriers/webhook.py`` for the header and the JSON schema). Nothing is polled.

Environment variable (wins over the stored value): ``OT_WEBHOOK_SECRET``. Several secrets may be
given separated by commas, so a secret can be rotated without downtime.
"""

from odoo import api, fields, models

from ..carriers.webhook import SignedWebhookClient


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_tracking_provider = fields.Selection(
        selection_add=[("webhook", "Signed webhook (push)")],
        ondelete={"webhook": lambda recs: recs.write({"ot_tracking_provider": "none"})},
    )
    ot_webhook_secret = fields.Char(string="Webhook Secret", groups="base.group_system", copy=False)

    @api.model
    def _ot_webhook_providers(self):
        return super()._ot_webhook_providers() | {"webhook"}

    @api.model
    def _ot_push_only_providers(self):
        return super()._ot_push_only_providers() | {"webhook"}

    def _ot_webhook_test_connection(self):
        # Nothing to call: the provider calls us.
        message = self.env._(
            "This provider pushes updates; give it the webhook URL: %s", self.ot_webhook_url
        )
        return message, "info"

    def _ot_webhook_client(self, pickings=None):
        secret = self._ot_credential("ot_webhook_secret") or ""
        return SignedWebhookClient([s.strip() for s in secret.split(",") if s.strip()])
