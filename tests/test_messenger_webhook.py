"""The Telegram/Bale webhook end to end: recorded updates posted to the real route, the engine's
answers read back from what the fake Bot API received.

Covers the "where is my order" conversation to level 2 through a shared own contact, foreign
contacts, buttons (callback queries), edited messages, stickers/photos/voice, duplicate update
ids, wrong secrets, /stop, /forget and escalation to a helpdesk ticket with the transcript.
"""

import json

from odoo.tests import HttpCase, freeze_time, tagged

from .common import LoopbackRequests, demo_order
from .messenger_support import TOKEN, FakeBotApi, Updates, too_many_requests
from .notifications_common import DAYTIME

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tagged("post_install", "-at_install")
class TestMessengerWebhook(LoopbackRequests, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = FakeBotApi().start()
        cls.addClassCleanup(cls.api.stop)
        cls.in_transit = demo_order(cls.env, "IN-TRANSIT")
        cls.bot = cls.env["order.tracking.messenger.bot"].create(
            {
                "name": "Shop Telegram",
                "company_id": cls.in_transit.company_id.id,
                "platform": "telegram",
                "token": TOKEN,
                "api_base_url": cls.api.url,
                "website_id": cls.env["website"].search([], limit=1).id,
            }
        )
        cls.secret = cls.bot.webhook_secret
        cls.in_transit = demo_order(cls.env, "IN-TRANSIT")
        cls.customer = cls.in_transit.partner_id  # Sara, +989121234567
        cls.mobile = cls.customer.ot_mobile_e164
        cls.Session = cls.env["order.tracking.chat.session"]
        cls.Links = cls.env["order.tracking.messenger.link"]
        cls.UpdateLog = cls.env["order.tracking.messenger.update"]

    def setUp(self):
        super().setUp()
        self.api.reset()

    # -- helpers ---------------------------------------------------------------------------------

    def post(self, update, secret=None, bot=None, path=None, expect=200):
        bot = bot or self.bot
        headers = {"Content-Type": "application/json"}
        if secret is not False:
            headers[SECRET_HEADER] = secret or self.secret
        url = path or f"/order-tracking/messenger/{bot.id}/webhook"
        response = self.url_open(url, data=json.dumps(update), headers=headers)
        self.assertEqual(response.status_code, expect, response.text)
        return response

    def session_of(self, chat_id):
        return self.Session.search(
            [
                ("ot_messenger_bot_id", "=", self.bot.id),
                ("ot_messenger_chat_id", "=", str(chat_id)),
            ],
            order="id desc",
            limit=1,
        )

    def all_text(self, chat_id):
        """Texts and inline button labels the chat received, in order."""
        parts = []
        for params in self.api.sent(chat_id):
            parts.append(params["text"])
            markup = params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                parts.extend(button["text"] for button in row)
        return "\n".join(parts)

    # -- the conversation ------------------------------------------------------------------------

    def test_where_is_my_order_to_level_2_by_own_contact(self):
        chat = Updates(chat_id=810001, language_code="en")
        self.post(chat.text("/start"))
        greeting = self.api.sent(810001)
        self.assertEqual(len(greeting), 2, "greeting with the menu, then the contact keyboard")
        self.assertIn("inline_keyboard", greeting[0]["reply_markup"])
        [[share]] = greeting[1]["reply_markup"]["keyboard"]
        self.assertTrue(share["request_contact"])

        self.api.reset()
        self.post(chat.text("where is my order?"))
        self.assertIn("order number", self.all_text(810001))
        session = self.session_of(810001)
        self.assertEqual(session.channel, "telegram")
        self.assertEqual(session.level, "1")

        self.api.reset()
        self.post(chat.own_contact(self.mobile.lstrip("+")))  # Telegram sends 98912... too
        answer = self.all_text(810001)
        self.assertIn("verified", answer)
        self.assertIn(self.in_transit.name, answer, "level 2: the mobile's orders")
        linked = self.api.sent(810001)[0]
        self.assertEqual(linked["reply_markup"], {"remove_keyboard": True})
        self.assertIn("0912***4567", linked["text"])
        session.invalidate_recordset()
        self.assertEqual(session.level, "2")
        self.assertEqual(session.verified_mobile, "0912***4567")
        self.assertEqual(session.turn_count, 2)
        link = self.Links.search([("bot_id", "=", self.bot.id)])
        self.assertEqual(link.chat_id, "810001")
        self.assertEqual(link.mobile_e164, self.mobile)
        self.assertEqual(link.partner_id, self.customer)
        self.assertTrue(link.notify)
        self.assertIn(link, self.customer.ot_messenger_link_ids)
        transcript = session.message_ids.mapped("text")
        self.assertIn("[shared own contact 0912***4567]", transcript)
        self.assertNotIn(self.mobile, " ".join(t or "" for t in transcript))

    def test_order_number_then_own_contact_shows_that_order(self):
        chat = Updates(chat_id=810002)
        self.post(chat.text(f"سفارش {self.in_transit.name} کجاست؟"))
        self.assertIn("۴ رقم آخر", self.all_text(810002))
        self.api.reset()
        self.post(chat.own_contact("+" + self.mobile.lstrip("+")))
        answer = self.all_text(810002)
        self.assertIn("تأیید شد", answer)
        self.assertIn(self.in_transit.name, answer)
        self.assertEqual(self.session_of(810002).level, "2")
        audit = self.env["order.tracking.audit"].search(
            [("session_id", "=", self.session_of(810002).id)]
        )
        self.assertTrue(audit, "the level-2 disclosure is audited like the widget's")

    def test_foreign_contact_proves_nothing(self):
        chat = Updates(chat_id=810003, language_code="en")
        self.post(chat.text("where is my order"))
        self.api.reset()
        self.post(chat.contact(self.mobile, user_id=4242))  # someone else's card
        self.post(chat.contact(self.mobile))  # a card without a user id
        texts = self.api.sent_texts(810003)
        self.assertEqual(len(texts), 2)
        self.assertTrue(all("your own number" in t for t in texts))
        self.assertNotIn(self.in_transit.name, "\n".join(texts))
        session = self.session_of(810003)
        self.assertEqual(session.level, "1")
        self.assertFalse(session.verified_mobile)
        self.assertFalse(self.Links.search([("bot_id", "=", self.bot.id)]))

    def test_buttons_are_callback_queries(self):
        chat = Updates(chat_id=810004, language_code="en")
        self.post(chat.text("/start"))
        self.api.reset()
        self.post(chat.callback("intent:track_mobile"))
        [answered] = self.api.methods("answerCallbackQuery")
        self.assertTrue(answered["params"]["callback_query_id"].startswith("cb"))
        sent = self.api.sent(810004)
        self.assertIn("mobile number", sent[0]["text"])
        self.assertTrue(sent[-1]["reply_markup"]["keyboard"][0][0]["request_contact"])
        self.api.reset()
        self.post(chat.callback("pick:S99999"))  # never offered
        [refused] = self.api.sent_texts(810004)
        self.assertIn("not available", refused)

    def test_edited_message_is_answered_as_the_corrected_text(self):
        chat = Updates(chat_id=810005, language_code="en")
        self.post(chat.text("where is my order S0004"))
        self.api.reset()
        self.post(chat.edited(f"where is my order {self.in_transit.name}"))
        self.assertIn(self.in_transit.name, self.all_text(810005))
        self.assertIn("last 4 digits", self.all_text(810005))

    def test_stickers_photos_voice_get_a_polite_answer(self):
        chat = Updates(chat_id=810006, language_code="en")
        for update in (chat.sticker(), chat.photo(), chat.voice()):
            self.post(update)
        texts = self.api.sent_texts(810006)
        self.assertEqual(len(texts), 3)
        self.assertTrue(all("only read text" in t for t in texts))

    def test_duplicate_update_is_processed_once(self):
        chat = Updates(chat_id=810007, language_code="en")
        update = chat.text("hello")
        first = self.post(update)
        second = self.post(update)
        self.assertEqual(first.json(), {"ok": True})
        self.assertEqual(second.json(), {"ok": True, "result": "duplicate"})
        self.assertEqual(len(self.api.sent(810007)), 1)
        self.assertEqual(self.session_of(810007).turn_count, 1)
        self.assertEqual(
            self.UpdateLog.search_count(
                [("bot_id", "=", self.bot.id), ("update_id", "=", str(update["update_id"]))]
            ),
            1,
        )

    def test_wrong_or_missing_secret_is_refused_and_nothing_stored(self):
        chat = Updates(chat_id=810008, language_code="en")
        sessions, updates = self.Session.search_count([]), self.UpdateLog.search_count([])
        self.post(chat.text("hello"), secret="wrong-secret", expect=401)
        self.post(chat.text("hello"), secret=False, expect=401)
        self.post(
            chat.text("hello"),
            path=f"/order-tracking/messenger/{self.bot.id}/webhook/x",
            expect=401,
        )
        self.post(chat.text("hello"), path="/order-tracking/messenger/987654/webhook", expect=404)
        self.assertEqual(self.Session.search_count([]), sessions)
        self.assertEqual(self.UpdateLog.search_count([]), updates)
        self.assertFalse(self.api.calls)

    def test_bale_secret_in_the_path(self):
        bale = self.bot.copy({"name": "Shop Bale", "platform": "bale", "token": TOKEN})
        bale.api_base_url = self.api.url
        url, secret = bale._ot_webhook_target()
        self.assertTrue(url.endswith(f"/order-tracking/messenger/{bale.id}/webhook/{secret}"))
        chat = Updates(chat_id=810009, language_code="en")
        path = f"/order-tracking/messenger/{bale.id}/webhook/{secret}"
        self.post(chat.text("hello"), bot=bale, secret=False, path=path)
        self.assertEqual(len(self.api.sent(810009)), 1)
        self.post(chat.text("hello"), bot=bale, secret=False, expect=401)
        session = self.Session.search([("ot_messenger_bot_id", "=", bale.id)])
        self.assertEqual(session.channel, "bale")

    def test_stop_and_forget(self):
        chat = Updates(chat_id=810010, language_code="en")
        self.post(chat.text("/stop"))
        self.assertIn("isn't linked", self.api.sent_texts(810010)[-1])
        self.post(chat.own_contact(self.mobile))
        link = self.Links.search([("bot_id", "=", self.bot.id), ("mobile_e164", "=", self.mobile)])
        self.assertTrue(link.notify)
        self.post(chat.text("stop"))
        self.assertIn("won't get order updates", self.api.sent_texts(810010)[-1])
        link.invalidate_recordset()
        self.assertFalse(link.notify)
        session = self.session_of(810010)
        self.post(chat.text("/forget"))
        self.assertIn("no longer linked", self.api.sent_texts(810010)[-1])
        self.assertFalse(link.exists())
        session.invalidate_recordset()
        self.assertFalse(session.ot_messenger_chat_id)
        self.assertFalse(session.engine_state)
        # What the chat proved is gone: a new question starts from level 1.
        self.post(chat.text(f"where is my order {self.in_transit.name}"))
        self.assertIn("last 4 digits", self.api.sent_texts(810010)[-1])

    def test_person_request_opens_a_ticket_with_the_transcript(self):
        chat = Updates(chat_id=810011, language_code="en")
        self.post(chat.text(f"where is my order {self.in_transit.name}"))
        self.post(chat.text("I want to speak to someone"))
        self.assertIn("mobile", self.api.sent_texts(810011)[-1])
        self.post(chat.text("0935 123 4567"))
        session = self.session_of(810011)
        ticket = session.ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.ot_chat_kind, "callback")
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("order_tracking_chatbot.helpdesk_ticket_channel_telegram"),
        )
        self.assertEqual(ticket.ot_contact_mobile, "+989351234567")
        self.assertIn("speak to someone", ticket.description)
        self.assertIn(self.in_transit.name, ticket.description)
        self.assertFalse(session.handover, "no live chat hand-over in a messenger")
        self.assertEqual(session.outcome, "escalated")
        self.assertIn(ticket.number, self.api.sent_texts(810011)[-1])

    def test_set_webhook_and_check_bot_buttons(self):
        answer = self.bot.action_ot_set_webhook()
        self.assertEqual(answer["params"]["type"], "success")
        [call] = self.api.methods("setWebhook")
        self.assertTrue(
            call["params"]["url"].endswith(f"/order-tracking/messenger/{self.bot.id}/webhook")
        )
        self.assertEqual(call["params"]["secret_token"], self.secret)
        self.assertEqual(
            call["params"]["allowed_updates"], ["message", "edited_message", "callback_query"]
        )
        self.assertIn("True", self.bot.last_api_answer)
        self.bot.action_ot_check_bot()
        self.assertEqual(self.bot.bot_username, "shop_test_bot")
        self.assertNotIn(TOKEN, self.bot.last_api_answer)
        self.api.script(
            "getMe", (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        )
        failed = self.bot.action_ot_check_bot()
        self.assertEqual(failed["params"]["type"], "danger")
        self.assertIn("401", failed["params"]["message"])

    def test_delivered_parcel_notification_reaches_the_linked_chat(self):
        """End to end: a customer links the chat by sharing their contact, their parcel is
        delivered, the notification cron sends the message to that chat."""
        chat = Updates(chat_id=810012, language_code="fa")
        self.post(chat.own_contact(self.mobile))
        self.api.reset()
        picking = self.in_transit.ot_main_picking_id
        with freeze_time(DAYTIME):
            picking.delivery_state = "customer_delivered"
            self.env["order.tracking.notification"]._ot_send_due(10000)
        row = self.env["order.tracking.notification"].search(
            [
                ("picking_id", "=", picking.id),
                ("event", "=", "delivered"),
                ("channel", "=", "messenger"),
            ]
        )
        self.assertEqual(row.state, "sent")
        [text] = self.api.sent_texts(810012)
        self.assertIn(self.in_transit.name, text)
        self.assertIn("/stop", text)
        self.assertTrue(row.message_id, "logged on the order's chatter")

    def test_long_text_and_old_update_ids(self):
        chat = Updates(chat_id=810013, language_code="en")
        self.post(chat.text("ب" * 5000))
        [answer] = self.api.sent_texts(810013)
        self.assertIn("too long", answer)
        # Update ids older than a week are forgotten by the chat cleanup cron.
        self.UpdateLog.search([("bot_id", "=", self.bot.id)]).write(
            {"received_at": "2020-01-01 00:00:00"}
        )
        done = self.env["order.tracking.chat.session"]._ot_chat_cleanup()
        self.assertGreaterEqual(done["messenger_updates"], 1)
        self.assertFalse(self.UpdateLog.search([("bot_id", "=", self.bot.id)]))

    def test_429_on_the_route_is_retried_after_retry_after(self):
        chat = Updates(chat_id=810014, language_code="en")
        self.api.script("sendMessage", too_many_requests(1))
        self.post(chat.text("hello"))
        calls = self.api.methods("sendMessage")
        self.assertEqual(len(calls), 2, "the refused message is sent again")
        self.assertEqual(calls[0]["params"], calls[1]["params"])
        self.assertGreaterEqual(calls[1]["at"] - calls[0]["at"], 1.0)

    def test_start_again_keeps_the_chat_and_its_verification(self):
        chat = Updates(chat_id=810015, language_code="en")
        self.post(chat.own_contact(self.mobile))
        session = self.session_of(810015)
        self.assertEqual(session.level, "2")
        self.api.reset()
        self.post(chat.text("/start"))
        self.assertEqual(self.session_of(810015), session, "one chat per (bot, chat id)")
        [greeting] = self.api.sent(810015)
        self.assertIn("Hello", greeting["text"])
        self.assertIn("inline_keyboard", greeting["reply_markup"], "no contact keyboard now")
        # Still level 2: a question about the order shows it without any check.
        self.api.reset()
        self.post(chat.text(f"where is my order {self.in_transit.name}"))
        self.assertNotIn("last 4 digits", self.all_text(810015))
        self.assertIn(self.in_transit.name, self.all_text(810015))
        session.invalidate_recordset()
        self.assertEqual(session.level, "2")
