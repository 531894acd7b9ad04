"""19.0.1.2.0: customer deliveries store their ETA from validation on; open ones shipped before
the upgrade (none stored yet) get theirs now, the way a lead-time edit recomputes them."""

from odoo import SUPERUSER_ID, api
from odoo.fields import Domain


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    eta = env["order.tracking.eta"]
    pickings = env["stock.picking"].search(
        eta._ot_open_shipment_domain() & Domain("ot_eta", "=", False)
    )
    eta._ot_refresh_etas(pickings)
