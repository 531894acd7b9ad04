"""Demo data: the demo website as the Iranian shop the addon is made for, not Odoo's generic
furniture shop: its name and logo in Persian and English, and only its own products (saffron,
pistachio, tea, books, handicrafts, named in both languages) on the shop front, under Persian
menus. Loaded only into databases created with
demo data (demo/order_tracking_shop_demo.xml), after the demo shop of order_tracking_demo.py.
"""

from odoo import api, models

from .order_tracking_demo import DEMO_PRODUCTS

DEMO_MENUS_FA = {"Home": "خانه", "Shop": "فروشگاه", "Contact us": "تماس با ما"}


class OrderTrackingDemo(models.AbstractModel):
    _inherit = "order.tracking.demo"

    @api.model
    def _demo_shop_front(self):
        """Unpublish the products other demo data put on the website (Odoo's furniture), so
        the shop front shows the demo shop's own products only."""
        names = [name for name, _name_fa, _price in DEMO_PRODUCTS]
        others = self.env["product.template"].search(
            [("is_published", "=", True), ("name", "not in", names)]
        )
        others.write({"is_published": False})
        # The website's menus are copies made when the website was created, in English: a
        # Persian visitor of the demo shop reads them in Persian.
        website = self.env.ref("website.default_website")
        menus = self.env["website.menu"].search([("website_id", "=", website.id)])
        for menu in menus.with_context(lang="en_US"):
            if menu.name in DEMO_MENUS_FA:
                menu.update_field_translations("name", {"fa_IR": DEMO_MENUS_FA[menu.name]})
