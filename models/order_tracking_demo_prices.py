"""Demo data: the demo shop sells in rials, as an Iranian shop does in Odoo.

The company keeps the template database's currency (its demo accounting has journal items, and
Odoo refuses to change a company's currency once it has them), so the shop does what a real shop
whose books are in another currency does: the rial is activated with a rate, and a website
pricelist in rials, the first one offered to visitors, gives every product of the shop front and
every shipping method's delivery product a price in rials. Other products follow the list price
at the rate, rounded to 10,000 rials (1,000 toman). The demo orders are then made in rials.

Odoo's own demo shipping methods ("Standard delivery", ...) get their Persian names, the way a
shop translates its method names in Odoo, so the Persian chat does not name them in English.
"""

from odoo import api, fields, models

from .order_tracking_demo import DEMO_CARRIERS, DEMO_PRODUCTS

PRICELIST_XMLID = "order_tracking_chatbot.demo_pricelist_irr"
# The demo's rate: rials for one unit of the company currency (a shop sets its own every day).
DEMO_RIALS_PER_UNIT = 1_000_000
# Shop-front products and shipping methods (by name), in rials.
DEMO_PRICES_RIAL = {
    DEMO_PRODUCTS[0][0]: 16_500_000,  # saffron, one mesghal
    DEMO_PRODUCTS[1][0]: 9_800_000,  # pistachio
    DEMO_PRODUCTS[2][0]: 45_000_000,  # minakari plate
    DEMO_PRODUCTS[3][0]: 28_500_000,  # carpet cushion
    DEMO_PRODUCTS[4][0]: 3_900_000,  # Lahijan tea
    DEMO_PRODUCTS[5][0]: 24_000_000,  # Shahnameh
    DEMO_PRODUCTS[6][0]: 1_800_000,  # rose water
    DEMO_PRODUCTS[7][0]: 185_000_000,  # gabbeh rug
}
DEMO_SHIPPING_RIAL = {
    DEMO_CARRIERS[0][0]: 1_000_000,  # courier
    DEMO_CARRIERS[1][0]: 950_000,  # Iran Post (Pishtaz)
    DEMO_CARRIERS[2][0]: 1_800_000,  # Tipax
    DEMO_CARRIERS[3][0]: 1_500_000,  # Chapar
}
# Odoo's demo shipping methods in Persian (xmlid -> name).
ODOO_CARRIER_NAMES_FA = {
    "delivery.free_delivery_carrier": "ارسال عادی",
    "delivery.delivery_carrier": "پست",
    "delivery.delivery_local_delivery": "پیک محلی",
}


class OrderTrackingDemo(models.AbstractModel):
    _inherit = "order.tracking.demo"

    def _demo_products(self):
        # The rial pricelist exists before the demo orders are made, so they are in rials.
        products = super()._demo_products()
        self._demo_rial_prices()
        return products

    @api.model
    def _demo_rial_prices(self):
        """Activate the rial with a rate and give the demo website a rial pricelist, offered
        first (idempotent: an upgraded demo database gets it too)."""
        if self.env.ref(PRICELIST_XMLID, raise_if_not_found=False):
            return
        company = self.env.company
        rial = self.env.ref("base.IRR")
        # The rial has no subunit in use: whole rials, named as Iranians name them. Odoo's
        # symbol, the rial sign ﷼ (U+FDFC), is missing from most fonts (a box on the page):
        # Iranian shops write the word.
        rial.write(
            {
                "active": True,
                "rounding": 1.0,
                "symbol": "ریال",
                "currency_unit_label": "Rial",
                "currency_subunit_label": "Dinar",
            }
        )
        self.env["res.currency.rate"].create(
            {
                "currency_id": rial.id,
                "company_id": company.id,
                "name": fields.Date.today(),
                "rate": DEMO_RIALS_PER_UNIT,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Rial",
                "currency_id": rial.id,
                "company_id": company.id,
                "website_id": self.env.ref("website.default_website").id,
                "selectable": True,
                # Before Odoo's demo pricelists: what a visitor and a customer get by default.
                "sequence": 1,
                "item_ids": [fields.Command.create(vals) for vals in self._demo_rial_items()],
            }
        )
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": PRICELIST_XMLID, "record": pricelist, "noupdate": True}]
        )
        if self.env["res.lang"]._lang_get("fa_IR"):
            pricelist.with_context(lang="fa_IR").name = "ریال"

    @api.model
    def _demo_rial_items(self):
        templates = self.env["product.template"].search([("name", "in", list(DEMO_PRICES_RIAL))])
        carriers = self.env["delivery.carrier"].search([("name", "in", list(DEMO_SHIPPING_RIAL))])
        prices = [(t, DEMO_PRICES_RIAL[t.name]) for t in templates]
        prices += [(c.product_id.product_tmpl_id, DEMO_SHIPPING_RIAL[c.name]) for c in carriers]
        items = [
            {
                "applied_on": "1_product",
                "product_tmpl_id": template.id,
                "compute_price": "fixed",
                "fixed_price": price,
            }
            for template, price in prices
        ]
        # Everything else: the list price at the rate, rounded to 1,000 toman.
        items.append(
            {
                "applied_on": "3_global",
                "compute_price": "formula",
                "base": "list_price",
                "price_round": 10_000,
            }
        )
        return items

    @api.model
    def _demo_carrier_names_fa(self):
        """Persian names for Odoo's demo shipping methods that have none yet."""
        if not self.env["res.lang"]._lang_get("fa_IR"):
            return
        for xmlid, name_fa in ODOO_CARRIER_NAMES_FA.items():
            carrier = self.env.ref(xmlid, raise_if_not_found=False)
            if not carrier:
                continue
            english = carrier.with_context(lang="en_US").name
            persian = carrier.with_context(lang="fa_IR")
            if persian.name == english:
                persian.name = name_fa
