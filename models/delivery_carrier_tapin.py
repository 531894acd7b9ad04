"""Tapin (تاپین) as a tracking provider: Iran Post parcels of a shop that ships through Tapin,
followed by their Tapin order ids (the shop's API token and shop id from the Tapin panel).

Environment variables (win over the stored values): ``OT_TAPIN_API_KEY``, ``OT_TAPIN_SHOP_ID``.
"""

from odoo import fields, models

from ..carriers.tapin import TapinClient


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_tracking_provider = fields.Selection(
        selection_add=[("tapin", "Tapin (Iran Post)")],
        ondelete={"tapin": lambda recs: recs.write({"ot_tracking_provider": "none"})},
    )
    ot_tapin_api_key = fields.Char(string="Tapin API Token", groups="base.group_system", copy=False)
    ot_tapin_shop_id = fields.Char(
        string="Tapin Shop ID",
        groups="base.group_system",
        copy=False,
        help="The shop's id in the Tapin panel. Tracking codes of this carrier's deliveries are "
        "Tapin order ids.",
    )

    def _ot_tapin_client(self, pickings=None):
        return TapinClient(
            self._ot_credential("ot_tapin_api_key"),
            self._ot_credential("ot_tapin_shop_id"),
            **self._ot_client_options(),
        )
