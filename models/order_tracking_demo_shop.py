"""Demo data: the demo website as the Iranian shop the addon is made for, not Odoo's generic
furniture shop: its name and logo in Persian and English, and only its own products (saffron,
pistachio, tea, books, handicrafts) on the shop front. Loaded only into databases created with
demo data (demo/order_tracking_shop_demo.xml), after the demo shop of order_tracking_demo.py.
"""

from odoo import api, models

from .order_tracking_demo import DEMO_PRODUCTS


class OrderTrackingDemo(models.AbstractModel):
    _inherit = "order.tracking.demo"

    @api.model
    def _demo_shop_front(self):
        """Unpublish the products other demo data put on the website (Odoo's furniture), so
        the shop front shows the demo shop's own products only."""
        names = [name for name, _price in DEMO_PRODUCTS]
        others = self.env["product.template"].search(
            [("is_published", "=", True), ("name", "not in", names)]
        )
        others.write({"is_published": False})
