"""The FAQ page in a real browser (headless Chromium), in English and Persian: reached from the
chat widget and from the order tracker. The tours live in
static/tests/tours/order_tracking_faq_tour.js."""

from odoo.tests import HttpCase, tagged

from ..conversation.intents import PRE_PURCHASE_TIME
from .test_tours import enable_widget_in_persian


@tagged("post_install", "-at_install")
class TestFaqTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        enable_widget_in_persian(cls.env)
        faq = cls.env["order.tracking.faq"]
        # The FAQ of the demo conversations, refreshed and published as a shop would.
        faq._ot_refresh_from_conversations()
        entries = faq.search([("source", "=", "mined")])
        entries.action_ot_publish()
        cls.times = entries.filtered(lambda entry: entry.intent == PRE_PURCHASE_TIME)
        cls.times.sequence = 1

    def test_faq_from_the_widget_in_english(self):
        self.assertEqual(self.times.with_context(lang="en_US").name, "How long does delivery take?")
        self.start_tour("/", "order_tracking_faq_en")

    def test_faq_from_the_tracker_in_persian(self):
        self.assertEqual(self.times.with_context(lang="fa_IR").name, "ارسال چند روز طول می‌کشد؟")
        self.start_tour("/fa/order-tracking", "order_tracking_faq_fa")
