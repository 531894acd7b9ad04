"""A fake Bot API on 127.0.0.1 for the messenger tests, and recorded updates of the documented
shapes (core.telegram.org/bots/api: Update, Message, CallbackQuery, Contact).

The fake answers ``POST /bot<token>/<method>`` with the ``{"ok": true, "result": ...}``
envelope and records every call (token, method, JSON body). ``script(method, *answers)`` queues
canned answers (e.g. a 429 with ``retry_after``) used before the defaults. Nothing reaches the
network.
"""

import itertools
import json
import re
import time

from odoo.addons.order_tracking_chatbot.bench.loopback_server import (
    LoopbackHandler,
    LoopbackServer,
)

TOKEN = "123456:TEST-token-never-logged"
BOT_USER_ID = 999000
_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")


class _Handler(LoopbackHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        match = _PATH.match(self.path)
        if not match:
            return self.send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        try:
            params = json.loads(raw or b"{}")
        except ValueError:
            params = {}
        method = match["method"]
        with fake.lock:
            fake.calls.append(
                {"token": match["token"], "method": method, "params": params, "at": time.time()}
            )
            queued = fake.scripted.get(method)
            answer = queued.pop(0) if queued else None
        if answer is None:
            answer = (200, fake.default_result(method, params))
        self.send_json(*answer)


class FakeBotApi(LoopbackServer):
    """``with FakeBotApi() as api: ... api.url ... api.sent_texts(chat_id)``"""

    handler_class = _Handler

    def __init__(self, lifetime=600.0):
        super().__init__(lifetime)
        self.calls = []
        self.scripted = {}
        self.message_ids = itertools.count(1)

    def default_result(self, method, params):
        if method == "sendMessage":
            return {
                "ok": True,
                "result": {
                    "message_id": next(self.message_ids),
                    "chat": {"id": params.get("chat_id"), "type": "private"},
                    "text": params.get("text"),
                },
            }
        if method == "getMe":
            return {
                "ok": True,
                "result": {"id": BOT_USER_ID, "is_bot": True, "username": "shop_test_bot"},
            }
        if method == "getWebhookInfo":
            return {"ok": True, "result": {"url": "", "pending_update_count": 0}}
        if method == "setWebhook":
            return {"ok": True, "result": True, "description": "Webhook was set"}
        return {"ok": True, "result": True}

    def script(self, method, *answers):
        """Queue ``(status, body)`` answers for the next calls of ``method``."""
        with self.lock:
            self.scripted.setdefault(method, []).extend(answers)

    def methods(self, method):
        with self.lock:
            return [call for call in self.calls if call["method"] == method]

    def sent(self, chat_id=None):
        return [
            call["params"]
            for call in self.methods("sendMessage")
            if chat_id is None or str(call["params"].get("chat_id")) == str(chat_id)
        ]

    def sent_texts(self, chat_id=None):
        return [params["text"] for params in self.sent(chat_id)]

    def reset(self):
        with self.lock:
            self.calls.clear()


def too_many_requests(retry_after):
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


# -- recorded updates (shapes from the Bot API documentation) ----------------------------------


class Updates:
    """Builds updates of one private chat; ``update_id`` increases like Telegram's."""

    def __init__(self, chat_id, first_update_id=500000000, language_code="fa"):
        self.chat_id = chat_id
        self.ids = itertools.count(first_update_id)
        self.message_ids = itertools.count(1)
        self.language_code = language_code

    def _sender(self):
        return {
            "id": self.chat_id,
            "is_bot": False,
            "first_name": "سارا",
            "language_code": self.language_code,
        }

    def _message(self, **content):
        return {
            "message_id": next(self.message_ids),
            "from": self._sender(),
            "chat": {"id": self.chat_id, "first_name": "سارا", "type": "private"},
            "date": 1764556800,
            **content,
        }

    def text(self, text):
        return {"update_id": next(self.ids), "message": self._message(text=text)}

    def edited(self, text):
        message = self._message(text=text)
        message["edit_date"] = message["date"] + 30
        return {"update_id": next(self.ids), "edited_message": message}

    def contact(self, phone_number, user_id=None):
        contact = {"phone_number": phone_number, "first_name": "سارا"}
        if user_id is not None:
            contact["user_id"] = user_id
        return {"update_id": next(self.ids), "message": self._message(contact=contact)}

    def own_contact(self, phone_number):
        return self.contact(phone_number, user_id=self.chat_id)

    def callback(self, data):
        bot_message = {
            "message_id": next(self.message_ids),
            "from": {"id": BOT_USER_ID, "is_bot": True, "first_name": "Shop"},
            "chat": {"id": self.chat_id, "type": "private"},
            "date": 1764556800,
            "text": "…",
        }
        return {
            "update_id": next(self.ids),
            "callback_query": {
                "id": f"cb{next(self.message_ids)}",
                "from": self._sender(),
                "message": bot_message,
                "chat_instance": "-1",
                "data": data,
            },
        }

    def sticker(self):
        sticker = {
            "file_id": "CAACAgIAAx",
            "file_unique_id": "AgAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "🙏",
        }
        return {"update_id": next(self.ids), "message": self._message(sticker=sticker)}

    def photo(self):
        photo = [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 90, "height": 67}]
        return {"update_id": next(self.ids), "message": self._message(photo=photo)}

    def voice(self):
        voice = {"file_id": "AwAC", "file_unique_id": "AgAD", "duration": 3}
        return {"update_id": next(self.ids), "message": self._message(voice=voice)}
