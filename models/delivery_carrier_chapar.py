"""Chapar (چاپار) as a tracking provider, through its customer API (account username and
password, sent with every request).

Environment variables (win over the stored values): ``OT_CHAPAR_USERNAME``,
``OT_CHAPAR_PASSWORD``.
"""

from odoo import fields, models

from ..carriers.chapar import ChaparClient


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_tracking_provider = fields.Selection(
        selection_add=[("chapar", "Chapar")],
        ondelete={"chapar": lambda recs: recs.write({"ot_tracking_provider": "none"})},
    )
    ot_chapar_username = fields.Char(
        string="Chapar Username", groups="base.group_system", copy=False
    )
    ot_chapar_password = fields.Char(
        string="Chapar Password", groups="base.group_system", copy=False
    )

    def _ot_chapar_client(self, pickings=None):
        return ChaparClient(
            self._ot_credential("ot_chapar_username"),
            self._ot_credential("ot_chapar_password"),
            **self._ot_client_options(),
        )
