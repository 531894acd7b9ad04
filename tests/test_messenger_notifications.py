"""Notifications by messenger: the third channel of the SMS/email notifications, for customers
who linked a chat, with the same switches, one row per (shipment, event, channel), quiet hours
and a note on the order's chatter."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged

from .common import LoopbackRequests
from .messenger_support import TOKEN, FakeBotApi
from .notifications_common import DAYTIME, NotificationFixtures
from .test_exceptions_common import tehran

CHAT = "820001"


@tagged("post_install", "-at_install")
class TestMessengerNotifications(LoopbackRequests, NotificationFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notifications()
        cls.api = FakeBotApi().start()
        cls.addClassCleanup(cls.api.stop)
        cls.bot = cls.env["order.tracking.messenger.bot"].create(
            {
                "name": "Shop bot",
                "platform": "telegram",
                "token": TOKEN,
                "api_base_url": cls.api.url,
            }
        )
        cls.Links = cls.env["order.tracking.messenger.link"]

    def setUp(self):
        super().setUp()
        self.api.reset()

    def link(self, customer=None, chat=CHAT):
        customer = customer or self.customer
        return self.Links._ot_link(self.bot, chat, customer.ot_mobile_e164)

    def test_linked_customer_gets_each_event_once_with_a_chatter_note(self):
        link = self.link()
        self.assertEqual(link.partner_id, self.customer)
        picking = self.ship_daytime()
        order = picking.sale_id
        with freeze_time(DAYTIME):
            picking.delivery_state = "customer_delivered"
        rows = self.rows(order, channel="messenger")
        self.assertEqual(
            sorted(rows.mapped("event")), ["confirmed", "delivered", "handed_to_carrier"]
        )
        self.assertEqual(set(rows.mapped("recipient_masked")), {"Telegram 0916***4000"})
        self.send_all()
        self.assertEqual(set(rows.mapped("state")), {"sent"})
        texts = self.api.sent_texts(CHAT)
        self.assertEqual(len(texts), 3)
        self.assertTrue(all(order.name in text for text in texts))
        self.assertTrue(all(text.endswith("Send /stop to stop these messages.") for text in texts))
        delivered = rows.filtered(lambda r: r.event == "delivered")
        self.assertIn(CHAT, [str(p["chat_id"]) for p in self.api.sent()])
        self.assertIn("Sent by messenger to Telegram 0916***4000", str(delivered.message_id.body))
        self.assertEqual(delivered.message_id.model, "sale.order")
        self.assertEqual(delivered.message_id.res_id, order.id)
        # The same event again: no second row, nothing more sent (the same dedup as SMS).
        with freeze_time(DAYTIME):
            self.notifications._ot_notify("delivered", order, picking)
        self.send_all()
        self.assertEqual(len(self.rows(order, "delivered", "messenger")), 1)
        self.assertEqual(len(self.api.sent_texts(CHAT)), 3)

    def test_customer_without_a_link_gets_nothing_by_messenger(self):
        picking = self.ship_daytime()
        self.assertFalse(self.rows(picking.sale_id, channel="messenger"))
        self.assertTrue(self.rows(picking.sale_id, channel="sms"))
        self.send_all()
        self.assertFalse(self.api.sent())

    def test_switch_off_per_event(self):
        self.link()
        self.rules._ot_ensure_company_rules(self.company)
        self.rules.search(
            [("company_id", "=", self.company.id), ("event", "=", "confirmed")]
        ).messenger = False
        picking = self.ship_daytime()
        events = self.rows(picking.sale_id, channel="messenger").mapped("event")
        self.assertEqual(events, ["handed_to_carrier"])

    def test_quiet_hours_hold_messenger_messages(self):
        self.link()
        night = tehran(2025, 6, 10, 23)
        with freeze_time(night):
            picking = self.ship(night)
        rows = self.rows(picking.sale_id, channel="messenger")
        self.assertEqual(set(rows.mapped("state")), {"held"})
        self.assertEqual(set(rows.mapped("scheduled_at")), {tehran(2025, 6, 11, 8)})
        self.send_all(night + timedelta(minutes=30))
        self.assertFalse(self.api.sent())
        self.send_all(tehran(2025, 6, 11, 8, 5))
        self.assertEqual(set(rows.mapped("state")), {"sent"})
        self.assertEqual(len(self.api.sent_texts(CHAT)), 2)

    def test_stop_after_queueing_skips_and_blocked_bot_stops_the_link(self):
        link = self.link()
        picking = self.ship_daytime()
        rows = self.rows(picking.sale_id, channel="messenger")
        link.notify = False  # the customer sent /stop meanwhile
        self.send_all()
        self.assertEqual(set(rows.mapped("state")), {"skipped"})
        self.assertFalse(self.api.sent())

        link.notify = True
        with freeze_time(DAYTIME):
            picking.ot_carrier_status = "OutForDelivery"
        blocked = (
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
        )
        self.api.script("sendMessage", blocked)
        self.send_all()
        row = self.rows(picking.sale_id, "out_for_delivery", "messenger")
        self.assertEqual(row.state, "failed")
        self.assertIn("blocked", row.reason)
        self.assertNotIn(TOKEN, row.reason)
        self.assertFalse(link.notify, "a chat that blocked the bot gets no more notifications")

    def test_staff_see_links_masked_never_tokens_and_managers_remove_them(self):
        link = self.link()
        agent = self.users["helpdesk_user"]
        as_agent = link.with_user(agent)
        self.assertEqual(as_agent.mobile_masked, "0916***4000")
        self.assertEqual(as_agent.partner_id, self.customer)
        for field in ("mobile_e164", "chat_id"):
            with self.assertRaises(AccessError):
                as_agent.read([field])
        with self.assertRaises(AccessError):
            self.bot.with_user(agent).read(["token"])
        with self.assertRaises(AccessError):
            self.bot.with_user(agent).read(["webhook_secret"])
        with self.assertRaises(AccessError):
            as_agent.unlink()
        manager = new_test_user(
            self.env, login="ot_stock_manager_msgr", groups="stock.group_stock_manager"
        )
        link.with_user(manager).unlink()
        self.assertFalse(self.customer.ot_messenger_link_ids)
        # Without the link, the customer's next events go by SMS and email only.
        picking = self.ship_daytime()
        self.assertFalse(self.rows(picking.sale_id, channel="messenger"))
