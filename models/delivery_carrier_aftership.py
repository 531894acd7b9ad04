"""AfterShip as a tracking provider: one account follows parcels of many carriers (Iran Post,
Tipax, ... and international couriers) by polling and by signed webhooks.

Environment variables (win over the stored values): ``OT_AFTERSHIP_API_KEY``,
``OT_AFTERSHIP_WEBHOOK_SECRET``.
"""

from odoo import api, fields, models

from ..carriers.aftership import AfterShipClient
from .order_tracking_webhook_receipt import RECEIPT_RETENTION_DAYS


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_tracking_provider = fields.Selection(
        selection_add=[("aftership", "AfterShip")],
        ondelete={"aftership": lambda recs: recs.write({"ot_tracking_provider": "none"})},
    )
    ot_aftership_api_key = fields.Char(
        string="AfterShip API Key", groups="base.group_system", copy=False
    )
    ot_aftership_webhook_secret = fields.Char(
        string="AfterShip Webhook Secret", groups="base.group_system", copy=False
    )
    ot_aftership_slug = fields.Char(
        string="AfterShip Courier Slug",
        help="Restrict look-ups to one courier (e.g. 'iran-post', 'tipax') when the same "
        "tracking number exists at several couriers.",
    )

    @api.model
    def _ot_webhook_providers(self):
        return super()._ot_webhook_providers() | {"aftership"}

    def _ot_aftership_client(self, pickings=None):
        return AfterShipClient(
            self._ot_credential("ot_aftership_api_key"),
            webhook_secret=self._ot_credential("ot_aftership_webhook_secret"),
            slug=self.ot_aftership_slug or None,
            # Replays are refused by the receipts we keep; older pushes than the receipts are
            # refused by age, so a pruned receipt never re-opens a replay.
            webhook_max_age=RECEIPT_RETENTION_DAYS * 86400 - 3600,
            **self._ot_client_options(),
        )
