"""The website chat in a real browser (headless Chromium) against the demo shop and the chat API,
plus the server side of the widget: where it is rendered, the setting that hides it, and the
/order-tracking page's prefill.

The tours live in static/tests/tours/order_tracking_tours.js.
"""

import json
from unittest.mock import call, patch

from lxml import html

from odoo.tests import HttpCase, tagged

from ..conversation import otp as otp_rules
from .common import demo_order

WIDGET = "order_tracking_chatbot.ChatWidget"
PAGE = "order_tracking_chatbot.TrackingPage"
WIDGET_PARAM = "order_tracking_chatbot.widget_enabled"
# The code the OTP tour types. Only the random source of the code generator is fixed: the code is
# still hashed, sent through the SMS outbox, expired and attempt-capped like any other.
TOUR_OTP = "123456"


def enable_widget_in_persian(env):
    """The widget switched on, and Persian offered on the website (as in the demo)."""
    env["ir.config_parameter"].set_param(WIDGET_PARAM, "True")
    website = env.ref("website.default_website")
    website.language_ids |= env["res.lang"]._activate_lang("fa_IR")


@tagged("post_install", "-at_install")
class TestWidgetRendering(HttpCase):
    """What the server puts in the pages for the widget (no browser needed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        enable_widget_in_persian(cls.env)

    def _component_props(self, url, name):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        nodes = html.fromstring(response.content).xpath(f"//owl-component[@name='{name}']")
        return [json.loads(node.get("props")) for node in nodes], response

    def test_widget_on_website_pages_when_enabled(self):
        for url in ("/", "/shop", "/contactus"):
            with self.subTest(url=url):
                props, _response = self._component_props(url, WIDGET)
                self.assertEqual(props, [{"lang": "en_US"}], "one widget, page language only")

    def test_widget_in_persian_pages_speaks_persian(self):
        props, response = self._component_props("/fa/shop", WIDGET)
        self.assertEqual(props, [{"lang": "fa_IR"}])
        self.assertIn(b"o_rtl", response.content, "the website lays Persian pages out RTL")

    def test_widget_hidden_when_disabled_in_settings(self):
        # Settings deletes the parameter when the box is unchecked.
        self.env["ir.config_parameter"].set_param(WIDGET_PARAM, False)
        props, _response = self._component_props("/", WIDGET)
        self.assertEqual(props, [])
        self.env["ir.config_parameter"].set_param(WIDGET_PARAM, "True")
        props, _response = self._component_props("/", WIDGET)
        self.assertEqual(len(props), 1)

    def test_widget_enabled_by_default_after_install(self):
        param = self.env.ref("order_tracking_chatbot.config_parameter_widget_enabled")
        self.assertEqual((param.key, param.value), (WIDGET_PARAM, "True"))

    def test_widget_translations_are_sent_to_website_pages(self):
        # Website pages only load the JS translations of "website*" modules unless told.
        response = self.url_open("/website/translations?lang=fa_IR")
        self.assertEqual(response.status_code, 200)
        self.assertIn("order_tracking_chatbot", response.json()["modules"])

    def test_tracking_page_replaces_the_floating_widget(self):
        page_props, response = self._component_props("/order-tracking", PAGE)
        self.assertEqual(page_props, [{"lang": "en_US"}])
        self.assertNotIn(WIDGET.encode(), response.content, "no second chat on the tracker")

    def test_tracking_page_in_persian(self):
        page_props, _response = self._component_props("/fa/order-tracking", PAGE)
        self.assertEqual(page_props, [{"lang": "fa_IR"}])

    def test_tracking_page_prefill(self):
        props, _response = self._component_props("/order-tracking?order=S00042", PAGE)
        self.assertEqual(props[0]["prefill"], {"kind": "order", "value": "S00042"})
        props, _response = self._component_props("/order-tracking?code=%20TRK-88392011%20", PAGE)
        self.assertEqual(props[0]["prefill"], {"kind": "code", "value": "TRK-88392011"})
        # A carrier link carries the code; it wins over an order number if both are given.
        props, _response = self._component_props("/order-tracking?order=S1&code=TRK-1", PAGE)
        self.assertEqual(props[0]["prefill"]["kind"], "code")

    def test_tracking_page_prefill_refuses_junk(self):
        for query in ("order=" + "S" * 65, "code=a%0Ab", "order=%20%20"):
            with self.subTest(query=query):
                props, _response = self._component_props(f"/order-tracking?{query}", PAGE)
                self.assertNotIn("prefill", props[0])

    def test_tracking_page_prefill_cannot_inject_markup(self):
        payload = '"><script>alert(1)</script>'
        props, response = self._component_props(
            "/order-tracking?order=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", PAGE
        )
        # The value reaches the component as data (it is typed into the chat as text) ...
        self.assertEqual(props[0]["prefill"]["value"], payload)
        # ... and never as markup in the page.
        self.assertNotIn(b"<script>alert(1)", response.content)


@tagged("post_install", "-at_install")
class TestOrderTrackingTours(HttpCase):
    """The four customer flows of the spec, in the browser, against the real chat API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        enable_widget_in_persian(cls.env)

    def _demo_order(self, tag, last4):
        order = demo_order(self.env, tag)
        self.assertTrue(order, f"demo order DEMO-{tag} is missing")
        # The tours type these digits as the customer would: keep them in step with the demo.
        self.assertTrue(order.partner_id.phone.endswith(last4), order.partner_id.phone)
        return order

    def test_track_by_order_number_with_otp_in_persian(self):
        order = self._demo_order("IN-TRANSIT", "4567")
        real_randbelow = otp_rules.secrets.randbelow

        def fixed_randbelow(bound):
            # Only the draw of a 6-digit code is fixed; every other use of randbelow is left alone.
            return int(TOUR_OTP) if bound == 10**otp_rules.DIGITS else real_randbelow(bound)

        with patch.object(otp_rules.secrets, "randbelow", side_effect=fixed_randbelow) as draw:
            self.start_tour(f"/fa/order-tracking?order={order.name}", "order_tracking_otp_fa")
        # The tour passed with the code typed: it was drawn by the OTP generator during the tour.
        self.assertIn(call(10**otp_rules.DIGITS), draw.call_args_list)

    def test_track_by_tracking_code_in_english(self):
        order = demo_order(self.env, "DELIVERED")
        code = order.ot_main_picking_id.carrier_tracking_ref
        self.assertTrue(code)
        self.start_tour(f"/order-tracking?code={code}", "order_tracking_code_en")

    def test_exception_leads_to_a_ticket(self):
        order = self._demo_order("DELAYED", "4000")
        self.assertEqual(order.ot_exception_type, "delayed")
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search([], order="id desc", limit=1).id
        self.start_tour(f"/order-tracking?order={order.name}", "order_tracking_exception_ticket")
        tickets = Ticket.search([("id", ">", before)])
        self.assertEqual(len(tickets), 1, "one request opened from the chat")
        self.assertEqual(tickets.ot_sale_id, order)

    def test_pre_purchase_question_in_the_floating_widget(self):
        shiraz = self.env["order.tracking.city"].search([("name", "=", "Shiraz")])
        self.assertTrue(shiraz, "the city the tour asks about exists")
        self.start_tour("/", "order_tracking_pre_purchase")
