"""The FAQ refreshed from conversations run through the real chat engine: counts by intent, no
personal data in what staff see, curation (publish, hide, archive) kept across refreshes."""

from odoo.tests import TransactionCase, tagged

from ..conversation.faq import FAQ_DEFAULTS
from ..conversation.intents import PRE_PURCHASE_COST, RETURN_REQUEST
from .common import demo_order

# Personal data a visitor might type next to a question.
NAME = "Shahrzad Kamali"
MOBILE = "09351234567"
EMAIL = "shahrzad@example.com"


@tagged("post_install", "-at_install")
class TestFaqMining(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: order.tracking.chat.session - exactly how the public controller calls it.
        cls.Session = cls.env["order.tracking.chat.session"].sudo()
        cls.Faq = cls.env["order.tracking.faq"]
        cls.ip_counter = 0

    def converse(self, *texts, lang="en_US", ip=None):
        """A visitor (an IP of their own unless given) typing ``texts``; return the chat."""
        type(self).ip_counter += 1
        ip = ip or f"192.0.2.{self.ip_counter}"
        token = self.Session._ot_api_start(lang, "widget", ip)["session"]
        for text in texts:
            status, body = self.Session._ot_api_post(token, {"text": text}, ip)
            self.assertEqual(status, 200, body)
        return self.Session._ot_find_session(token)

    def entry(self, intent):
        return self.Faq.with_context(active_test=False).search(
            [("intent", "=", intent), ("source", "=", "mined")]
        )

    def test_customer_messages_keep_the_intent_understood(self):
        chat = self.converse("how much is shipping to Shiraz?", "thanks")
        user_messages = chat.message_ids.filtered(lambda m: m.role == "user")
        self.assertEqual(user_messages.mapped("intent"), [PRE_PURCHASE_COST, "thanks"])
        bot_messages = chat.message_ids.filtered(lambda m: m.role == "bot")
        self.assertFalse(any(bot_messages.mapped("intent")))

    def test_intent_kept_when_the_message_was_stored_before_a_ticket(self):
        # A ticket copies the transcript: the visitor's message is stored before the turn ends.
        chat = self.converse("the parcel arrived damaged, I want to return it", "09120001111")
        self.assertTrue(chat.ticket_ids)
        intents = chat.message_ids.filtered(lambda m: m.role == "user").mapped("intent")
        self.assertEqual(intents[0], RETURN_REQUEST)
        self.assertTrue(all(intents), intents)

    def test_refresh_counts_conversations_by_intent(self):
        self.Faq._ot_refresh_from_conversations()
        before = self.entry(PRE_PURCHASE_COST).frequency
        for _index in range(3):
            # Asked twice in one chat: one conversation.
            self.converse("how much is shipping to Tabriz?", "how much is shipping?")
        done = self.Faq._ot_refresh_from_conversations()
        entry = self.entry(PRE_PURCHASE_COST)
        self.assertEqual(len(entry), 1, "one entry per intent, refreshed in place")
        self.assertEqual(entry.frequency, before + 3)
        self.assertGreaterEqual(done["updated"], 1)
        self.assertTrue(entry.mined_at)

    def test_mining_keeps_no_personal_data(self):
        order = demo_order(self.env, "IN-TRANSIT")
        phone = order.partner_id.phone
        for _index in range(4):
            # One customer, back in several chats, typing their name each time.
            self.converse(f"I am {NAME}, where is my order", ip="198.51.100.20")
            # Personal data next to a question, from different visitors.
            self.converse(f"I am {NAME}, my number is {MOBILE}, how much is shipping?")
            self.converse(f"where is my order {order.name}", phone[-4:])
            self.converse(f"mail me at {EMAIL}, how much is shipping")
            self.converse("هزینه ارسال به شیراز چقدره؟", lang="fa_IR")
        self.Faq._ot_refresh_from_conversations()
        staff_view = "\n".join(
            f"{entry.name}\n{entry.answer}\n{entry.phrasings or ''}"
            for entry in self.Faq.with_context(active_test=False).search([])
        )
        for secret in (NAME, "Kamali", MOBILE, MOBILE[-4:], EMAIL, order.name, phone[-4:]):
            self.assertNotIn(secret, staff_view)
        # What several visitors asked in the same words is kept, without anything personal.
        self.assertIn("هزینه ارسال به شیراز چقدره؟", self.entry(PRE_PURCHASE_COST).phrasings)

    def test_new_entries_start_unpublished_in_both_languages(self):
        self.Faq.with_context(active_test=False).search([("source", "=", "mined")]).unlink()
        for _index in range(2):
            self.converse("how much is shipping to Isfahan?")
        self.Faq._ot_refresh_from_conversations()
        entry = self.entry(PRE_PURCHASE_COST)
        _kind, questions, answers = FAQ_DEFAULTS[PRE_PURCHASE_COST]
        self.assertFalse(entry.is_published, "staff publish what they have read")
        self.assertEqual(entry.answer_kind, "shipping_costs")
        self.assertEqual(entry.with_context(lang="en_US").name, questions["en_US"])
        self.assertEqual(entry.with_context(lang="fa_IR").name, questions["fa_IR"])
        self.assertEqual(entry.with_context(lang="fa_IR").answer, answers["fa_IR"])

    def test_curation_survives_a_refresh(self):
        self.converse("how much is shipping to Isfahan?")
        self.converse("how much is shipping to Isfahan?")
        self.Faq._ot_refresh_from_conversations()
        entry = self.entry(PRE_PURCHASE_COST)
        entry.action_ot_publish()
        entry.with_context(lang="en_US").write({"name": "What does delivery cost?"})
        self.Faq._ot_refresh_from_conversations()
        self.assertTrue(entry.is_published)
        self.assertEqual(entry.with_context(lang="en_US").name, "What does delivery cost?")
        entry.action_ot_hide()
        self.assertFalse(entry.is_published)
        entry.action_archive()
        self.Faq._ot_refresh_from_conversations()
        self.assertEqual(self.entry(PRE_PURCHASE_COST), entry, "an archived entry is not recreated")
        self.assertFalse(entry.active)

    def test_refresh_button_reports_and_reloads(self):
        action = self.Faq.action_ot_refresh()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")

    def test_demo_conversations_went_through_the_engine(self):
        """The demo loader's chats are real engine runs: transcripts, intents and KPIs."""
        demo_ip = self.env["order.tracking.rate.limit"]._ot_hash("ip", "198.18.0.1")
        chat = self.Session.search([("ip_hash", "=", demo_ip)])
        self.assertEqual(len(chat), 1)
        self.assertGreater(chat.turn_count, 0)
        self.assertTrue(chat.first_response_ms)
        self.assertTrue(chat.message_ids.filtered(lambda m: m.role == "user").mapped("intent"))
        self.assertTrue(chat.last_intent)
        demo = self.Session.search([("ip_hash", "like", "%")])
        self.assertGreaterEqual(len(demo), 100)
        self.assertEqual(
            set(demo.mapped("channel")) & {"widget", "page", "api"},
            {
                "widget",
                "page",
                "api",
            },
        )
        self.assertEqual(set(demo.mapped("lang")), {"fa_IR", "en_US"})
        self.assertTrue(demo.filtered("csat"))
        self.assertTrue(demo.filtered(lambda s: s.outcome == "escalated"))
        # The demo's own rate-limit rows are gone: real visitors start with a clean slate.
        self.assertFalse(
            self.env["order.tracking.rate.limit"].sudo().search([("ip_hash", "=", demo_ip)])
        )
        self.assertTrue(self.Faq.search([("source", "=", "mined"), ("is_published", "=", True)]))
