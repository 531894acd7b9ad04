"""Prices in the chat follow the shop's pricelist (models/order_tracking_chat_prices.py):
shipping quotes are what the checkout charges, in the currency of the visitor's website
pricelist; an order's total is in the order's own currency; Persian replies write rials with
Persian digits and separators and their toman equivalent. Also the demo shop sells in rials and
its shipping methods have Persian names."""

from odoo import Command, fields
from odoo.tools.misc import format_amount

from ..conversation.money import persian_amount
from ..models.order_tracking_demo_prices import PRICELIST_XMLID
from .chat_common import ChatCase

POST = "Iran Post - Pishtaz"


class TestChatPrices(ChatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["order.tracking.chat.backend"].sudo()
        cls.rial = cls.env.ref("base.IRR")
        cls.euro = cls.env.ref("base.EUR")
        cls.rial_pricelist = cls.env.ref(PRICELIST_XMLID)
        cls.website = cls.env.ref("website.default_website")
        cls.tehran = cls.env["order.tracking.city"].search([("name", "=", "Tehran")])
        cls.post_carrier = cls.env["delivery.carrier"].search([("name", "=", POST)])

    def set_rate(self, currency, rate):
        """Today's ``rate`` of ``currency`` for the company (units per company currency unit)."""
        rates = self.env["res.currency.rate"]
        today = rates.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "=", self.env.company.id),
                ("name", "=", fields.Date.today()),
            ]
        )
        if today:
            today.rate = rate
            return today
        return rates.create(
            {"currency_id": currency.id, "rate": rate, "company_id": self.env.company.id}
        )

    def quote(self, session, lang):
        quotes = self.backend._ot_shipping_quote(session, self.tehran.id, lang)
        return {q.method_label: q for q in quotes}

    def checkout_price(self, carrier, pricelist):
        """What Odoo's checkout charges for ``carrier`` on an order to Tehran in ``pricelist``."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create({"product_id": demo_product.id, "product_uom_qty": 1})
                    for demo_product in self.in_transit.order_line.product_id[:1]
                ],
            }
        )
        result = carrier.rate_shipment(order)
        self.assertTrue(result["success"], result)
        return result["price"]

    # -- the demo shop ----------------------------------------------------------------------

    def test_demo_shop_sells_in_rials(self):
        self.assertTrue(self.rial.active)
        self.assertEqual(self.rial.decimal_places, 0, "whole rials")
        self.assertEqual(self.rial_pricelist.currency_id, self.rial)
        self.assertIn(self.rial_pricelist, self.website.get_pricelist_available())
        # A new visitor and the demo customers are given the rial pricelist...
        self.assertEqual(
            self.backend._ot_website_default_pricelist(self.website), self.rial_pricelist
        )
        self.assertEqual(self.customer.property_product_pricelist, self.rial_pricelist)
        # ... and the demo orders, shipping line included, are in rials.
        self.assertEqual(self.in_transit.currency_id, self.rial)
        delivery = self.in_transit.order_line.filtered("is_delivery")
        self.assertEqual(delivery.price_unit, 1_000_000, "the courier's rial price")
        # Two packs of pistachios and a minakari plate, at their rial prices.
        self.assertEqual(self.in_transit.amount_untaxed, 2 * 9_800_000 + 45_000_000 + 1_000_000)

    def test_demo_carriers_have_persian_names(self):
        standard = self.env.ref("delivery.free_delivery_carrier")
        self.assertEqual(standard.with_context(lang="en_US").name, "Standard delivery")
        self.assertEqual(standard.with_context(lang="fa_IR").name, "ارسال عادی")
        session = self.session_of(self.start("fa_IR"))
        labels = self.backend._ot_shipping_methods(session, "fa_IR")
        self.assertIn("ارسال عادی", labels)
        self.assertFalse([label for label in labels if label.isascii()], labels)
        # The same list said in a Persian chat turn.
        token = self.start("fa_IR")
        text = self.text(self.post(token, text="چه روش‌های ارسالی دارید؟"))
        self.assertIn("ارسال عادی", text)
        self.assertNotIn("Standard delivery", text)

    # -- shipping quotes ------------------------------------------------------------------------

    def test_quote_is_the_checkout_price_in_rials(self):
        session = self.session_of(self.start("fa_IR"))
        price = self.checkout_price(self.post_carrier, self.rial_pricelist)
        self.assertEqual(price, 950_000, "the pricelist's price of the method's delivery product")
        quotes = self.quote(session, "fa_IR")
        self.assertEqual(quotes["پست"].price_text, "۹۵۰٬۰۰۰\u00a0ریال (۹۵٬۰۰۰\u00a0تومان)")
        self.assertEqual(quotes["ارسال عادی"].price_text, "رایگان")
        english = self.quote(session, "en_US")
        self.assertEqual(english["Post"].price_text, format_amount(self.env, 950_000, self.rial))
        self.assertIn("950,000", english["Post"].price_text)
        # The whole turn: "how much to ship to Tehran?"
        token = self.start("fa_IR")
        text = self.text(self.post(token, text="هزینه ارسال به تهران چقدره؟"))
        self.assertIn("۹۵۰٬۰۰۰\u00a0ریال (۹۵٬۰۰۰\u00a0تومان)", text)
        self.assertNotIn("$", text)

    def test_quote_follows_a_website_pricelist_in_another_currency(self):
        euro_list = self.env["product.pricelist"].create(
            {
                "name": "Euro shop",
                "currency_id": self.euro.id,
                "website_id": self.website.id,
                "selectable": True,
                "sequence": 0,
            }
        )
        rate = self.set_rate(self.euro, 0.5)
        session = self.session_of(self.start("en_US"))
        self.assertEqual(self.backend._ot_visitor_pricelist(session), euro_list)
        expected = self.checkout_price(self.post_carrier, euro_list)
        self.assertAlmostEqual(expected, self.post_carrier.product_id.list_price * 0.5)
        quotes = self.quote(session, "en_US")
        self.assertEqual(quotes["Post"].price_text, format_amount(self.env, expected, self.euro))
        self.assertIn("€", quotes["Post"].price_text)
        persian = self.quote(session, "fa_IR")
        self.assertEqual(persian["پست"].price_text, persian_amount(expected, 2, "€", "EUR"))
        # A new rate reaches the cached quote at once.
        rate.rate = 0.25
        again = self.quote(session, "en_US")["Post"].price_text
        self.assertEqual(
            again,
            format_amount(self.env, self.post_carrier.product_id.list_price * 0.25, self.euro),
        )

    def test_a_new_pricelist_price_reaches_the_cached_quote(self):
        session = self.session_of(self.start("en_US"))
        self.assertIn("950,000", self.quote(session, "en_US")["Post"].price_text)
        item = self.rial_pricelist.item_ids.filtered(
            lambda i: i.product_tmpl_id == self.post_carrier.product_id.product_tmpl_id
        )
        item.fixed_price = 1_100_000
        self.assertIn("1,100,000", self.quote(session, "en_US")["Post"].price_text)

    def test_free_over_threshold_in_the_visitors_currency(self):
        self.post_carrier.write({"free_over": True, "amount": 50})  # company currency (dollars)
        session = self.session_of(self.start("fa_IR"))
        quote = self.quote(session, "fa_IR")["پست"]
        # At the demo rate of 1,000,000 rials to the dollar.
        self.assertEqual(quote.free_over_text, "۵۰٬۰۰۰٬۰۰۰\u00a0ریال (۵٬۰۰۰٬۰۰۰\u00a0تومان)")
        self.assertIn("تومان", quote.free_over_text)

    def test_shop_whose_company_currency_is_rial(self):
        """No pricelist at all: the company's currency and the delivery product's price."""
        company = self.env["res.company"].create({"name": "Rial Shop", "currency_id": self.rial.id})
        website = self.env["website"].create({"name": "Rial Shop", "company_id": company.id})
        product = self.env["product.product"].create(
            {"name": "Shipping: Rial Post", "type": "service", "company_id": company.id}
        )
        self.env["delivery.carrier"].create(
            {
                "name": "Rial Post",
                "delivery_type": "fixed",
                "fixed_price": 1_200_000,
                "product_id": product.id,
                "company_id": company.id,
                "is_published": True,
            }
        )
        session = self.session_of(self.start("fa_IR"))
        session.write({"website_id": website.id, "company_id": company.id})
        pricelist = self.backend._ot_visitor_pricelist(session)
        self.assertIn(pricelist.currency_id, (self.rial, self.env["res.currency"]))
        quote = self.quote(session, "fa_IR")["Rial Post"]
        self.assertEqual(quote.price_text, "۱٬۲۰۰٬۰۰۰\u00a0ریال (۱۲۰٬۰۰۰\u00a0تومان)")

    # -- order totals ---------------------------------------------------------------------------

    def test_order_total_in_rials(self):
        body = self.verify_order(self.build_order(self.rial_pricelist))
        text = self.text(body)
        order = self.last_built
        total = persian_amount(order.amount_total, 0, "﷼", "IRR")
        self.assertIn(f"مبلغ کل سفارش: {total}", text)

    def test_order_total_of_an_order_in_euros_stays_in_euros(self):
        """An order keeps the currency it was placed in, whatever the website sells in now."""
        euro_list = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": self.euro.id}
        )
        body = self.verify_order(self.build_order(euro_list), lang_text="en")
        text = self.text(body)
        expected = format_amount(self.env, self.last_built.amount_total, self.euro, "en_US")
        self.assertIn(f"Order total: {expected}", text)
        # The transcript keeps that a total was shown, not the amount.
        record = (
            self.env["order.tracking.chat.message"]
            .sudo()
            .search([("text", "like", "Total of order")], limit=1)
        )
        self.assertTrue(record)
        self.assertNotIn(expected, record.text)

    def build_order(self, pricelist):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create({"product_id": line.product_id.id, "product_uom_qty": 2})
                    for line in self.in_transit.order_line.filtered(lambda x: not x.is_delivery)
                ],
            }
        )
        order.action_confirm()
        self.last_built = order
        return order

    def verify_order(self, order, lang_text="fa"):
        token = self.start("fa_IR" if lang_text == "fa" else "en_US")
        return super().verify_order(token, order, lang_text)
