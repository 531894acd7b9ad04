"""Demo data: the demo website as the Iranian shop the addon is made for, not Odoo's generic
furniture shop: its name and logo in Persian and English, and only its own products (saffron,
pistachio, tea, books, handicrafts, named in both languages and pictured as Persian tiles) on the
shop front, under Persian menus. Loaded only into databases created with demo data
(demo/order_tracking_shop_demo.xml), after the demo shop of order_tracking_demo.py.
"""

import base64
import io
import math

from PIL import Image, ImageDraw

from odoo import api, models

from .order_tracking_demo import DEMO_PRODUCTS

# Tile colours of the demo products (background, star), in DEMO_PRODUCTS order: saffron, pistachio,
# minakari, cushion, tea, Shahnameh, rose water, gabbeh.
DEMO_PRODUCT_COLOURS = [
    ((196, 62, 28), (246, 196, 66)),
    ((92, 140, 60), (214, 232, 160)),
    ((24, 92, 160), (120, 200, 230)),
    ((150, 30, 50), (236, 190, 120)),
    ((90, 50, 30), (210, 160, 100)),
    ((40, 40, 70), (220, 180, 80)),
    ((200, 90, 130), (250, 220, 230)),
    ((160, 40, 40), (60, 110, 120)),
]

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
        for (name, _name_fa, _price), colours in zip(
            DEMO_PRODUCTS, DEMO_PRODUCT_COLOURS, strict=True
        ):
            product = self.env["product.template"].search([("name", "=", name)], limit=1)
            if product and not product.image_1920:
                product.image_1920 = demo_tile(*colours)
        # The website's menus are copies made when the website was created, in English: a
        # Persian visitor of the demo shop reads them in Persian.
        website = self.env.ref("website.default_website")
        menus = self.env["website.menu"].search([("website_id", "=", website.id)])
        for menu in menus.with_context(lang="en_US"):
            if menu.name in DEMO_MENUS_FA:
                menu.update_field_translations("name", {"fa_IR": DEMO_MENUS_FA[menu.name]})


def demo_tile(background, star, size=512):
    """A product picture for the demo shop: an eight-pointed star, as on Persian tiles, on a
    coloured ground (PNG, base64). Drawn here so the repository holds no stock photos."""
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    centre, margin = size / 2, size * 0.06
    draw.rectangle([margin, margin, size - margin, size - margin], outline=star, width=6)
    for radius, colour in ((size * 0.36, star), (size * 0.2, background)):
        for turn in (0, math.pi / 4):  # two squares, one turned by 45 degrees: the star
            draw.polygon(
                [
                    (
                        centre + radius * math.cos(turn + k * math.pi / 2),
                        centre + radius * math.sin(turn + k * math.pi / 2),
                    )
                    for k in range(4)
                ],
                fill=colour,
            )
    draw.ellipse(
        [centre - size * 0.07, centre - size * 0.07, centre + size * 0.07, centre + size * 0.07],
        fill=star,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue())
