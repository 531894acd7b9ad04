"""Truthful answers through the ORM: exceptions change the stage and drop the ETA, the next step
is said in the language of the chat (whatever the customer's language on file), order numbers
are found however they are typed, and a follow-up question stays on the verified order."""

from odoo.tests import tagged

from ..conversation.normalize import persian_digits
from ..conversation.replies import exception_next_step, render
from .chat_common import ChatCase
from .common import demo_order


@tagged("post_install", "-at_install")
class TestChatTruthful(ChatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.returned = demo_order(cls.env, "RETURNED")
        cls.lost = demo_order(cls.env, "LOST")

    def level1(self, order, lang):
        """Order number then the last 4 digits of its own mobile, in ``lang``."""
        token = self.start(lang)
        last4 = order.partner_id.ot_mobile_e164[-4:]
        if lang == "fa_IR":
            self.post(token, text=f"سفارش {order.name} کجاست؟")
            return token, self.post(token, text=persian_digits(last4))
        self.post(token, text=f"where is my order {order.name}")
        return token, self.post(token, text=last4)

    def test_returned_parcel_is_coming_back_without_an_eta(self):
        picking = self.returned.ot_main_picking_id
        self.assertTrue(picking.ot_eta, "the demo parcel still carries a delivery date")
        _token, body = self.level1(self.returned, "en_US")
        text = self.text(body)
        self.assertIn("on its way back to us", text)
        self.assertNotIn(f"Order {self.returned.name}: on its way.", text)
        self.assertNotIn("Estimated delivery", text)
        self.assertIn(exception_next_step("returned_to_sender", "en_US"), text)
        order = body["order"]
        self.assertEqual(order["statusLabel"], "on its way back to us")
        self.assertIsNone(order["eta"])
        self.assertEqual(
            order["exception"]["nextStep"], exception_next_step("returned_to_sender", "en_US")
        )

    def test_lost_parcel_is_being_investigated_with_the_configured_deadline(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "order_tracking_chatbot.lost_deadline_hours", "6"
        )
        _token, body = self.level1(self.lost, "en_US")
        text = self.text(body)
        self.assertIn("being investigated", text)
        self.assertIn("within 6 hours", text)
        self.assertNotIn("Estimated delivery", text)
        _token, body = self.level1(self.lost, "fa_IR")
        text = self.text(body)
        self.assertIn(render("stage_exception_lost", "fa_IR"), text)
        self.assertIn(render("exception_lost_hours_next", "fa_IR", hours=6), text)
        self.assertNotIn(render("status_eta", "fa_IR", eta="")[:10], text)

    def test_next_step_follows_the_chat_language_not_the_customer_record(self):
        picking = self.returned.ot_main_picking_id
        self.returned.partner_id.lang = "fa_IR"
        self.env["order.tracking.exception"]._ot_raise(picking, "returned_to_sender", "carrier")
        self.assertEqual(picking.ot_exception_reason, "carrier")
        english = exception_next_step("returned_to_sender", "en_US")
        persian = exception_next_step("returned_to_sender", "fa_IR")
        # Staff read their language on the shipment; nothing is stored in the customer's.
        self.assertEqual(picking.with_context(lang="en_US").ot_exception_next_step, english)
        self.assertEqual(picking.with_context(lang="fa_IR").ot_exception_next_step, persian)
        _token, body = self.level1(self.returned, "en_US")
        self.assertIn(english, self.text(body))
        self.assertNotIn(persian, self.text(body))
        _token, body = self.level1(self.returned, "fa_IR")
        self.assertIn(persian, self.text(body))
        self.assertEqual(body["order"]["exception"]["nextStep"], persian)

    def test_delay_reason_is_kept_on_the_shipment_and_cleared_with_it(self):
        picking = self.delayed.ot_main_picking_id
        exceptions = self.env["order.tracking.exception"]
        exceptions._ot_clear_exception(picking, "test")
        exceptions._ot_raise(picking, "delayed", "stale")
        self.assertEqual(picking.ot_exception_reason, "stale")
        self.assertIn(
            "not updated the tracking", picking.with_context(lang="en_US").ot_exception_next_step
        )
        exceptions._ot_clear_exception(picking, "test")
        self.assertFalse(picking.ot_exception_reason)
        self.assertFalse(picking.ot_exception_next_step)

    def test_order_numbers_as_customers_type_them(self):
        name = self.in_transit.name  # S000NN
        prefix, number = name[:1], name[1:]
        for typed in (f"{prefix} {number}", f"{prefix.lower()}-{number}", f"{prefix}-{number}"):
            with self.subTest(typed=typed):
                token = self.start("en_US")
                body = self.post(token, text=f"where is {typed}")
                self.assertIn("last 4 digits", self.text(body))
                body = self.post(token, text=self.last4)
                self.assertIn(f"Order {name}: on its way", self.text(body))
                self.assertEqual(body["order"]["orderId"], name)
        token = self.start("fa_IR")
        self.post(token, text=f"سفارش اس {persian_digits(number)}")
        body = self.post(token, text=persian_digits(self.last4))
        self.assertEqual(body["order"]["orderId"], name)

    def test_invoice_after_level2_answers_for_that_order(self):
        orders = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])
        self.assertGreater(len(orders), 1, "the customer has several orders to choose from")
        for text, lang_text in (("invoice please", "en"), ("فاکتور", "fa")):
            with self.subTest(text=text):
                token = self.start("en_US" if lang_text == "en" else "fa_IR")
                self.verify_order(token, lang_text=lang_text)
                body = self.post(token, text=text)
                self.assertFalse(
                    [a for a in body["nextActions"] if a["action"].startswith("pick:")]
                )
                self.assertEqual(body["order"]["orderId"], self.in_transit.name)
                session = self.session_of(token)
                self.assertIn("invoice", session.intents)

    def test_shipping_methods_list_the_shop_carriers(self):
        carriers = self.env["delivery.carrier"].search([("is_published", "=", True)])
        self.assertTrue(carriers)
        for text, lang in (
            ("what shipping methods do you have?", "en_US"),
            ("do you ship with Tipax or Post?", "en_US"),
            ("چه روش‌های ارسالی دارید؟", "fa_IR"),
            ("با چی ارسال می‌کنید", "fa_IR"),
        ):
            with self.subTest(text=text):
                token = self.start(lang)
                body = self.post(token, text=text)
                reply = self.text(body)
                self.assertIn(render("quote_methods", lang, lines="").strip(), reply)
                labels = carriers.with_context(lang=lang).mapped(lambda c: c._ot_customer_label())
                for label in labels:
                    self.assertIn(label, reply)
                self.assertNotIn(render("ask_city", lang), reply)
