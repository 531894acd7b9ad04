"""Demo data: shipments of the simulated carrier that go wrong on purpose (delay, return to
sender, incomplete address, loss), so the first run of the tracking sync shows exceptions and
their helpdesk tickets. Loaded only into databases created with demo data
(demo/order_tracking_sync_demo.xml), after the demo shop of order_tracking_demo.py.
"""

import secrets
from datetime import timedelta

from odoo import api, fields, models

from ..carriers.simulated import build_route

# Demo shipments of the simulated carrier that go wrong on purpose: (order tag, code prefix).
# They are handed over long enough ago that the first sync shows the whole story.
DEMO_SCENARIOS = [
    ("SIM-DELAYED", "SIM-DLY-"),
    ("SIM-RETURNED", "SIM-RTS-"),
    ("SIM-ADDRESS", "SIM-ADDR-"),
    ("SIM-LOST", "SIM-LOST-"),
]


class OrderTrackingDemo(models.AbstractModel):
    _inherit = "order.tracking.demo"

    @api.model
    def _ot_load_demo_scenarios(self):
        """Demo shipments of the simulated carrier that go wrong (delay, return, incomplete
        address, loss): the first sync run turns them into exceptions and tickets. Built on the
        demo shop (order_tracking_demo.py); does nothing without it, or when already loaded."""
        orders = self.env["sale.order"]
        if orders.search_count([("client_order_ref", "=like", "DEMO-SIM-%")]):
            return
        carrier = self.env["delivery.carrier"].search(
            [("delivery_type", "=", "ot_simulated")], limit=1
        )
        shop_orders = orders.search([("client_order_ref", "=like", "DEMO-%")], order="id")
        products = shop_orders.order_line.filtered(lambda line: not line.is_delivery).product_id
        products = products.filtered(lambda product: product.qty_available >= len(DEMO_SCENARIOS))
        if not carrier or not shop_orders or not products:
            return
        customers = shop_orders.partner_id
        now = fields.Datetime.now()
        for index, (tag, prefix) in enumerate(DEMO_SCENARIOS):
            order = orders.create(
                {
                    "partner_id": customers[index % len(customers)].id,
                    "client_order_ref": f"DEMO-{tag}",
                    "order_line": [
                        fields.Command.create({"product_id": products[0].id, "product_uom_qty": 1})
                    ],
                }
            )
            order.set_delivery_line(carrier, carrier.fixed_price)
            order.action_confirm()
            picking = self._demo_ship(order)
            code = f"{prefix}{secrets.token_hex(4).upper()}"
            steps, _planned = build_route(code)
            picking.write(
                {
                    "carrier_tracking_ref": code,
                    "date_done": (now - timedelta(hours=steps[-1][0] + 2)).replace(microsecond=0),
                    "ot_next_check_at": now,
                }
            )
