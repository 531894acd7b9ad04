"""Tipax (تیپاکس) as a tracking provider, through its business API (account username, password
and API key).

Environment variables (win over the stored values): ``OT_TIPAX_USERNAME``,
``OT_TIPAX_PASSWORD``, ``OT_TIPAX_API_KEY``.
"""

from odoo import fields, models

from ..carriers.tipax import TipaxClient


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_tracking_provider = fields.Selection(
        selection_add=[("tipax", "Tipax")],
        ondelete={"tipax": lambda recs: recs.write({"ot_tracking_provider": "none"})},
    )
    ot_tipax_username = fields.Char(string="Tipax Username", groups="base.group_system", copy=False)
    ot_tipax_password = fields.Char(string="Tipax Password", groups="base.group_system", copy=False)
    ot_tipax_api_key = fields.Char(string="Tipax API Key", groups="base.group_system", copy=False)

    def _ot_tipax_client(self, pickings=None):
        return TipaxClient(
            self._ot_credential("ot_tipax_username"),
            self._ot_credential("ot_tipax_password"),
            self._ot_credential("ot_tipax_api_key"),
            **self._ot_client_options(),
        )
