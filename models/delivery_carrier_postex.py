"""Post-ex (پستکس) as a tracking provider: Post-ex parcels, or the barcodes of one courier it works
with (Iran Post, Chapar, ...), through its public tracking; the API key adds the parcel's status
group and is what "Test Connection" checks.

Environment variable (wins over the stored value): ``OT_POSTEX_API_KEY``.
"""

from odoo import fields, models

from ..carriers.postex import PostexClient


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ot_tracking_provider = fields.Selection(
        selection_add=[("postex", "Post-ex")],
        ondelete={"postex": lambda recs: recs.write({"ot_tracking_provider": "none"})},
    )
    ot_postex_api_key = fields.Char(
        string="Post-ex API Key", groups="base.group_system", copy=False
    )
    ot_postex_courier = fields.Char(
        string="Post-ex Courier",
        help="Courier code (e.g. IR_POST) when tracking codes are that courier's barcodes; "
        "empty when they are Post-ex parcel numbers.",
    )

    def _ot_postex_client(self, pickings=None):
        return PostexClient(
            self._ot_credential("ot_postex_api_key"),
            courier=self.ot_postex_courier or None,
            **self._ot_client_options(),
        )
