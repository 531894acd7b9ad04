"""The Bot API client, the update parser and the rendering of answers (messenger/), without a
database: against the fake Bot API on 127.0.0.1 and on recorded update shapes."""

import time
import unittest

from .. import exceptions as errors
from ..messenger import render
from ..messenger.client import BotApiClient, BotBlockedError
from ..messenger.updates import (
    KIND_ACTION,
    KIND_CONTACT,
    KIND_IGNORED,
    KIND_TEXT,
    KIND_UNSUPPORTED,
    parse_update,
)
from .messenger_support import TOKEN, FakeBotApi, Updates, too_many_requests


class TestBotApiClient(unittest.TestCase):
    def setUp(self):
        self.api = FakeBotApi().start()
        self.addCleanup(self.api.stop)
        self.client = BotApiClient(self.api.url, TOKEN)

    def test_send_message_posts_json_to_the_token_path(self):
        result = self.client.send_message(42, "سلام", reply_markup={"remove_keyboard": True})
        self.assertEqual(result["text"], "سلام")
        [call] = self.api.methods("sendMessage")
        self.assertEqual(call["token"], TOKEN)
        self.assertEqual(
            call["params"],
            {"chat_id": 42, "text": "سلام", "reply_markup": {"remove_keyboard": True}},
        )

    def test_429_waits_retry_after_then_succeeds(self):
        self.api.script("sendMessage", too_many_requests(1))
        started = time.monotonic()
        self.client.send_message(42, "hello")
        waited = time.monotonic() - started
        calls = self.api.methods("sendMessage")
        self.assertEqual(len(calls), 2)
        self.assertGreaterEqual(calls[1]["at"] - calls[0]["at"], 1.0)
        self.assertGreaterEqual(waited, 1.0)

    def test_429_beyond_the_budget_is_a_retryable_error_with_retry_after(self):
        self.api.script("sendMessage", too_many_requests(30))
        with self.assertRaises(errors.RetryableError) as caught:
            self.client.send_message(42, "hello")
        self.assertEqual(caught.exception.retry_after, 30)
        self.assertEqual(len(self.api.methods("sendMessage")), 1, "no wait of 30 s in a webhook")

    def test_errors_are_typed_and_never_show_the_token(self):
        self.api.script(
            "sendMessage",
            (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"}),
            (400, {"ok": False, "error_code": 400, "description": f"Bad Request {TOKEN}"}),
            (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
        )
        with self.assertRaises(BotBlockedError):
            self.client.send_message(42, "x")
        with self.assertRaises(errors.PermanentError) as caught:
            self.client.send_message(42, "x")
        self.assertNotIn(TOKEN, str(caught.exception))
        with self.assertRaises(errors.RetryableError):
            self.client.send_message(42, "x")

    def test_unreachable_api_is_retryable_without_the_token(self):
        self.api.stop()
        client = BotApiClient(self.api.url, TOKEN, timeout=(2, 2))
        with self.assertRaises(errors.RetryableError) as caught:
            client.get_me()
        self.assertNotIn(TOKEN, str(caught.exception))
        self.assertNotIn(TOKEN, repr(caught.exception))


class TestRender(unittest.TestCase):
    def test_long_text_is_split_under_4096_at_word_boundaries(self):
        text = " ".join(["پیگیری"] * 2000)  # 13,999 characters
        chunks = render.split_text(text)
        self.assertGreater(len(chunks), 3)
        self.assertTrue(all(len(chunk) <= render.MAX_TEXT for chunk in chunks))
        self.assertEqual(" ".join(chunks), text)
        self.assertEqual(render.split_text("x" * 5000), ["x" * 4096, "x" * 904])

    def test_buttons_become_an_inline_keyboard_on_the_last_chunk(self):
        messages = [
            ("first", []),
            ("y " * 3000, [("Track", "intent:track_order"), ("Person", "human"), ("X", "a" * 65)]),
            ("last words", []),
        ]
        calls = render.outgoing_messages(messages, reply_markup_last=render.REMOVE_KEYBOARD)
        self.assertEqual(len(calls), 3)
        self.assertTrue(calls[0][0].startswith("first\n\ny y"))
        self.assertIsNone(calls[0][1])
        keyboard = calls[1][1]["inline_keyboard"]
        self.assertEqual(
            keyboard,
            [
                [
                    {"text": "Track", "callback_data": "intent:track_order"},
                    {"text": "Person", "callback_data": "human"},
                ]
            ],
            "callback data over 64 bytes is left out",
        )
        self.assertEqual(calls[2], ("last words", render.REMOVE_KEYBOARD))

    def test_contact_keyboard_requests_the_contact(self):
        keyboard = render.contact_keyboard("fa_IR")
        [[button]] = keyboard["keyboard"]
        self.assertTrue(button["request_contact"])
        self.assertIn("شماره", button["text"])
        self.assertTrue(keyboard["one_time_keyboard"])


class TestParseUpdate(unittest.TestCase):
    def setUp(self):
        self.updates = Updates(chat_id=7001)

    def test_kinds(self):
        self.assertEqual(parse_update(self.updates.text("سلام")).kind, KIND_TEXT)
        edited = parse_update(self.updates.edited("S00045"))
        self.assertEqual((edited.kind, edited.edited, edited.text), (KIND_TEXT, True, "S00045"))
        callback = parse_update(self.updates.callback("intent:track_order"))
        self.assertEqual(callback.kind, KIND_ACTION)
        self.assertEqual((callback.chat_id, callback.user_id), ("7001", "7001"))
        self.assertEqual(callback.action, "intent:track_order")
        for update in (self.updates.sticker(), self.updates.photo(), self.updates.voice()):
            self.assertEqual(parse_update(update).kind, KIND_UNSUPPORTED)

    def test_contact_is_own_only_when_its_user_is_the_sender(self):
        own = parse_update(self.updates.own_contact("+989121234567"))
        self.assertEqual((own.kind, own.own_contact), (KIND_CONTACT, True))
        foreign = parse_update(self.updates.contact("+989121234567", user_id=7002))
        self.assertFalse(foreign.own_contact)
        card = parse_update(self.updates.contact("+989121234567"))  # no user_id at all
        self.assertFalse(card.own_contact)

    def test_groups_bots_and_junk_are_ignored_or_refused(self):
        group = self.updates.text("S00045")
        group["message"]["chat"]["type"] = "group"
        self.assertEqual(parse_update(group).kind, KIND_IGNORED)
        self.assertEqual(parse_update({"update_id": 5, "my_chat_member": {}}).kind, KIND_IGNORED)
        self.assertIsNone(parse_update({"message": {}}))
        self.assertIsNone(parse_update({"update_id": "5"}))
        self.assertIsNone(parse_update([1, 2]))
