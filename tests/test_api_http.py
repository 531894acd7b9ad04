"""The public chat API through real HTTP requests: the happy paths in Persian and English, and every
4xx answer a careless or hostile client can provoke, each a JSON error (never HTML, never a trace).

Every answer is also checked against the OpenAPI document's schema for its status, and for the
headers every API answer carries (no cookie, no caching).
"""

import json
import logging
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.order_tracking_chatbot.controllers.api import (
    _TOKEN_LOG_FILTER,
    API_PREFIX,
    MAX_BODY_BYTES,
)

from ..conversation.normalize import persian_digits as _persian
from .common import demo_order
from .test_api_openapi import load_document, resolve, schema_errors

SESSIONS = f"{API_PREFIX}/sessions"
PARAM = "order_tracking_chatbot."


@tagged("post_install", "-at_install")
class TestChatApiHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = load_document()
        cls.in_transit = demo_order(cls.env, "IN-TRANSIT")
        # The demo customer of this order is Sara, +989121234567.
        cls.last4 = cls.in_transit.partner_id.phone[-4:]

    def setUp(self):
        super().setUp()
        # A first-time visitor: no Odoo session cookie, so any Set-Cookie would be a new one.
        self.opener.cookies.pop("session_id", None)

    # -- helpers ---------------------------------------------------------------------------------

    def _request(self, path, body=None, *, raw=None, method="POST", headers=None):
        all_headers = {"Content-Type": "application/json"}
        all_headers.update(headers or {})
        if raw is None:
            raw = json.dumps(body) if body is not None else ""
        response = self.url_open(path, data=raw, headers=all_headers, method=method)
        self.assertNotIn("Set-Cookie", response.headers, "API answers set no cookie")
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        return response

    def _check_schema(self, response, path, status=None):
        """The answer matches the schema the document gives for this status."""
        status = str(status or response.status_code)
        operation = self.document["paths"][path]["post"]
        documented = operation["responses"][status]
        if "$ref" in documented:
            documented = resolve(self.document, documented["$ref"])
        schema = documented["content"]["application/json"]["schema"]
        self.assertEqual(schema_errors(self.document, response.json(), schema), [])

    def _error(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text[:300])
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertTrue(error["message"])
        self.assertNotIn("Traceback", response.text)
        return error

    def _start(self, lang="fa_IR", channel="api"):
        response = self._request(SESSIONS, {"lang": lang, "channel": channel})
        self.assertEqual(response.status_code, 201, response.text[:300])
        self._check_schema(response, SESSIONS)
        return response.json()

    def _say(self, token, body, expect=200):
        path = f"{SESSIONS}/{token}/messages"
        response = self._request(path, body)
        self.assertEqual(response.status_code, expect, response.text[:300])
        self._check_schema(response, f"{SESSIONS}/{{token}}/messages")
        return response.json()

    # -- happy paths -----------------------------------------------------------------------------

    def test_start_session_persian_and_english(self):
        persian = self._start("fa_IR", "widget")
        english = self._start("en_US")
        self.assertNotEqual(persian["session"], english["session"])
        self.assertGreaterEqual(len(persian["session"]), 32)
        self.assertIn("سلام", persian["messages"][0]["text"])
        self.assertIn("Hello", english["messages"][0]["text"])
        actions = {b["action"] for b in english["messages"][0]["buttons"]}
        self.assertIn("intent:track_order", actions)
        session = self.env["order.tracking.chat.session"].search([], limit=1)
        self.assertEqual(session.lang, "en_US")
        # Only the hash of the token is kept.
        self.assertNotIn(english["session"], session.sudo().token_hash)

    def test_start_session_without_body_like_curl(self):
        response = self.url_open(SESSIONS, data=b"", method="POST")
        self.assertEqual(response.status_code, 201, response.text[:300])
        self.assertTrue(response.json()["session"])
        self.assertNotIn("Set-Cookie", response.headers)

    def test_track_in_transit_order_in_persian(self):
        token = self._start("fa_IR")["session"]
        name = self.in_transit.name
        reply = self._say(token, {"text": f"سلام، سفارش {name} من کجاست؟", "lang": "fa_IR"})
        self.assertIsNone(reply["order"], "nothing is shown before the mobile check")
        self.assertIn("۴ رقم آخر", reply["messages"][0]["text"])
        persian_digits = _persian(self.last4)
        reply = self._say(token, {"text": persian_digits})
        order = reply["order"]
        self.assertEqual(order["orderId"], name)
        self.assertEqual(order["status"], "in_transit")
        self.assertEqual(order["statusLabel"], "در مسیر")
        self.assertNotIn("details", order, "level 1 shows no details")
        self.assertEqual(reply["security"], {"verified": False, "level": 1, "method": None})
        self.assertIn(name, reply["messages"][0]["text"])
        self.assertTrue(reply["nextActions"])

    def test_track_in_transit_order_in_english_then_press_a_button(self):
        token = self._start("en_US")["session"]
        name = self.in_transit.name
        reply = self._say(token, {"text": f"where is my order {name}?", "lang": "en_US"})
        self.assertIn("last 4 digits", reply["messages"][0]["text"])
        reply = self._say(token, {"text": self.last4})
        order = reply["order"]
        self.assertEqual((order["orderId"], order["status"]), (name, "in_transit"))
        self.assertEqual(order["statusLabel"], "on its way")
        self.assertEqual(order["tracking"]["carrier"], "Courier")
        self.assertIsNone(order["tracking"]["code"], "the tracking code is level 2")
        offered = [a["action"] for a in reply["nextActions"]]
        self.assertIn("verify_sms", offered)
        reply = self._say(token, {"action": "verify_sms"})
        self.assertIn("code", reply["messages"][0]["text"])

    def test_track_by_tracking_code_in_english(self):
        # An Iran Post style code: digits only, as printed on the parcel.
        picking = self.in_transit.ot_main_picking_id
        picking.carrier_tracking_ref = "152436987412365478965412"
        self.env.flush_all()  # the HTTP request reads the database, not this test's cache
        token = self._start("en_US")["session"]
        reply = self._say(token, {"text": "my tracking code is 152436987412365478965412"})
        order = reply["order"]
        self.assertTrue(order, reply["messages"])
        self.assertEqual(order["status"], "in_transit")
        self.assertIsNone(order["orderId"], "a tracking code alone never tells the order number")
        self.assertEqual(order["tracking"]["lastEvent"], picking.ot_last_event_text)
        self.assertEqual(reply["security"]["level"], 1)

    def test_unknown_order_gets_the_same_first_answer(self):
        token = self._start("en_US")["session"]
        known = self._say(token, {"text": f"where is my order {self.in_transit.name}?"})
        token = self._start("en_US")["session"]
        unknown = self._say(token, {"text": "where is my order S99999?"})
        self.assertEqual(
            known["messages"][0]["text"].replace(self.in_transit.name, "S99999"),
            unknown["messages"][0]["text"],
        )
        self.assertEqual(known["nextActions"], unknown["nextActions"])

    # -- 4xx: the body -----------------------------------------------------------------------------

    def test_invalid_json_and_wrong_shapes(self):
        token = self._start("en_US")["session"]
        path = f"{SESSIONS}/{token}/messages"
        messages = f"{SESSIONS}/{{token}}/messages"
        cases = [
            ('{"text": "hi"', "invalid_json"),
            ("\xff\xfe{}", "invalid_json"),
            ('["text", "hi"]', "invalid_body"),
            ('"hello"', "invalid_body"),
            ("{}", "invalid_body"),
            ('{"text": 42}', "invalid_text"),
            ('{"text": ["hi"]}', "invalid_text"),
            ('{"text": "   "}', "empty_text"),
            ('{"action": 5}', "invalid_action"),
            ('{"action": "delete_all_orders"}', "invalid_action"),
            ('{"lang": "en_US"}', "text_or_action"),
            ('{"text": "hi", "action": "menu"}', "text_or_action"),
            ('{"text": "hi", "lang": "de_DE"}', "invalid_lang"),
            ('{"text": "hi", "order": "S00001"}', "unknown_field"),
            ('{"text": "hi\\u0000there"}', "invalid_text"),
            ('{"text": "\\ud800"}', "invalid_text"),
            ("[" * 5000 + "]" * 5000, "invalid_json"),
        ]
        for raw, code in cases:
            with self.subTest(body=raw[:40]):
                raw_bytes = raw.encode("latin-1") if raw.startswith("\xff") else raw.encode()
                response = self._request(path, raw=raw_bytes)
                self._error(response, 400, code)
                self._check_schema(response, messages)

    def test_text_of_ten_kilobytes_is_refused(self):
        token = self._start("en_US")["session"]
        response = self._request(f"{SESSIONS}/{token}/messages", {"text": "a" * 10_000})
        error = self._error(response, 413, "text_too_long")
        self.assertIn("1000", error["message"])
        transcript = self.env["order.tracking.chat.message"].search([("role", "=", "user")])
        self.assertFalse(transcript.filtered(lambda m: len(m.text or "") > 1000))

    def test_body_over_the_limit_is_refused_before_parsing(self):
        token = self._start("en_US")["session"]
        raw = b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}'
        response = self._request(f"{SESSIONS}/{token}/messages", raw=raw)
        self._error(response, 413, "body_too_large")
        # Not even valid JSON is parsed when it is too large.
        response = self._request(SESSIONS, raw=b"x" * (MAX_BODY_BYTES + 1))
        self._error(response, 413, "body_too_large")

    def test_wrong_content_type(self):
        token = self._start("en_US")["session"]
        path = f"{SESSIONS}/{token}/messages"
        for content_type in (
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json; charset=latin-1",
        ):
            with self.subTest(content_type=content_type):
                response = self._request(
                    path, {"text": "hi"}, headers={"Content-Type": content_type}
                )
                self._error(response, 415, "unsupported_media_type")
                self.assertEqual(response.headers["Accept"], "application/json")

    def test_session_start_body_is_checked(self):
        # The demo's conversations are there already: only new chats count.
        last = self.env["order.tracking.chat.session"].search([], limit=1).id
        cases = [
            ({"lang": "de_DE"}, "invalid_lang"),
            ({"lang": 7}, "invalid_lang"),
            ({"channel": "telegram"}, "invalid_channel"),
            ({"lang": "fa_IR", "admin": True}, "unknown_field"),
            ([1, 2], "invalid_body"),
        ]
        for body, code in cases:
            with self.subTest(body=body):
                response = self._request(SESSIONS, body)
                self._error(response, 400, code)
                self._check_schema(response, SESSIONS)
        # A JSON null is a body, and not the object the document asks for (no body is fine).
        response = self._request(SESSIONS, raw="null")
        self._error(response, 400, "invalid_body")
        # Live chat sessions are opened by the hand-over, never by a client.
        self._error(self._request(SESSIONS, {"channel": "livechat"}), 400, "invalid_channel")
        self.assertFalse(self.env["order.tracking.chat.session"].search_count([("id", ">", last)]))

    def test_request_log_lines_mask_the_token(self):
        """Odoo's HTTP server logs every request's path (werkzeug, INFO): the chat token in it, the
        visitor's only credential, is cut to its first 4 characters before any handler sees it."""
        token = self._start("en_US")["session"]
        logger = logging.getLogger("werkzeug")
        self.assertIn(_TOKEN_LOG_FILTER, logger.filters)
        line = f'127.0.0.1 - - [01/Dec/2026 00:00:00] "POST {SESSIONS}/{token}/messages HTTP/1.1"'
        record = logger.makeRecord("werkzeug", logging.INFO, __file__, 1, line, (), None)
        self.assertTrue(_TOKEN_LOG_FILTER.filter(record))
        self.assertNotIn(token, record.getMessage())
        self.assertIn(f"{SESSIONS}/{token[:4]}***/messages", record.getMessage())
        # Odoo's own formatting passes the path as an argument: masked too.
        record = logger.makeRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            1,
            '"%s" %s',
            (f"POST {SESSIONS}/{token}", 200),
            None,
        )
        _TOKEN_LOG_FILTER.filter(record)
        self.assertNotIn(token, record.getMessage())

    # -- 4xx: the resource, the method, the rate ---------------------------------------------------

    def test_unknown_token(self):
        for token in ("A" * 43, "x" * 300, "not-a-token"):
            with self.subTest(token=token[:10]):
                response = self._request(f"{SESSIONS}/{token}/messages", {"text": "hi"})
                self._error(response, 404, "session_not_found")

    def test_wrong_method(self):
        token = self._start("en_US")["session"]
        for method, path in (
            ("GET", SESSIONS),
            ("DELETE", SESSIONS),
            ("GET", f"{SESSIONS}/{token}/messages"),
            ("PUT", f"{SESSIONS}/{token}/messages"),
            ("PATCH", f"{SESSIONS}/{token}/messages"),
        ):
            with self.subTest(method=method, path=path[-20:]):
                response = self._request(path, raw="", method=method)
                self._error(response, 405, "method_not_allowed")
                self.assertEqual(response.headers["Allow"], "POST, OPTIONS")

    def test_options_answers_without_cors(self):
        response = self.url_open(
            SESSIONS, method="OPTIONS", headers={"Origin": "https://evil.test"}
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.headers["Allow"], "POST, OPTIONS")
        self.assertNotIn("Access-Control-Allow-Origin", response.headers)

    def test_too_many_sessions_from_one_ip(self):
        self.env["ir.config_parameter"].sudo().set_param(PARAM + "chat_ip_sessions", 1)
        self._start("fa_IR")
        response = self._request(SESSIONS, {"lang": "fa_IR"})
        error = self._error(response, 429, "rate_limited")
        self.assertGreaterEqual(error["retryAfter"], 1)
        self.assertEqual(response.headers["Retry-After"], str(error["retryAfter"]))
        self._check_schema(response, SESSIONS)

    def test_too_many_messages_in_a_session(self):
        self.env["ir.config_parameter"].sudo().set_param(PARAM + "chat_session_messages", 2)
        token = self._start("en_US")["session"]
        self._say(token, {"text": "hello"})
        self._say(token, {"text": "thanks"})
        response = self._request(f"{SESSIONS}/{token}/messages", {"text": "hello again"})
        error = self._error(response, 429, "rate_limited")
        self.assertEqual(response.headers["Retry-After"], str(error["retryAfter"]))

    # -- 5xx ---------------------------------------------------------------------------------------

    def test_unexpected_error_is_a_bare_500_and_nothing_is_kept(self):
        token = self._start("en_US")["session"]
        sessions = self.env["order.tracking.chat.session"]
        before = self.env["order.tracking.chat.message"].search_count([])

        def broken(model, token, payload, ip):
            # Half a turn is written, then something breaks.
            session = model._ot_find_session(token)
            vals = session._ot_user_message_vals("half-written", None)
            model.env["order.tracking.chat.message"].create(vals)
            raise RuntimeError("secret detail: /opt/odoo/password.txt")

        with (
            patch.object(type(sessions), "_ot_api_post", broken),
            self.assertLogs("odoo.addons.order_tracking_chatbot.controllers.api", "ERROR") as logs,
        ):
            response = self._request(f"{SESSIONS}/{token}/messages", {"text": "hi"})
        self._error(response, 500, "internal_error")
        self.assertNotIn("secret detail", response.text)
        self.assertNotIn("RuntimeError", response.text)
        self.assertIn("Traceback", "\n".join(logs.output))
        self.assertNotIn(token, "\n".join(logs.output), "the token is masked in the log")
        self.assertEqual(self.env["order.tracking.chat.message"].search_count([]), before)
