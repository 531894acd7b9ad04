"""What the chat must never do: tell whether an order exists, store or log full mobiles and codes,
disclose personal fields at level 1 or without an audit row, interpret HTML, or accept payloads
the engine should not see."""

import logging
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from ..conversation.normalize import mask_code
from ..models.order_tracking_audit import PERSONAL_FIELDS
from ..models.order_tracking_chat_session import mask_customer_text
from .chat_common import ChatCase

LOGGER = "odoo.addons.order_tracking_chatbot"


@tagged("post_install", "-at_install")
class TestChatUniformAnswers(ChatCase):
    def _ask(self, ref, last4):
        token = self.start("en_US")
        first = self.post(token, text=f"where is order {ref}?")
        second = self.post(token, text=last4)
        return first, second

    def _normalised(self, body, ref):
        texts = [m["text"].replace(ref, "<ref>") for m in body["messages"]]
        buttons = [[b["action"] for b in m["buttons"]] for m in body["messages"]]
        return texts, buttons, body["order"], body["security"], body["nextActions"]

    def test_unknown_and_known_orders_get_the_same_answers_until_the_mobile_matches(self):
        known = self.in_transit.name
        unknown = "S99999"
        self.assertFalse(self.env["sale.order"].search([("name", "=", unknown)]))
        wrong_last4 = "0000" if self.last4 != "0000" else "1111"
        known_first, known_second = self._ask(known, wrong_last4)
        unknown_first, unknown_second = self._ask(unknown, wrong_last4)
        self.assertEqual(
            self._normalised(known_first, known), self._normalised(unknown_first, unknown)
        )
        self.assertEqual(
            self._normalised(known_second, known), self._normalised(unknown_second, unknown)
        )
        self.assertIsNone(known_second["order"])
        # The right digits for an unknown ref change nothing either.
        _first, unknown_right = self._ask(unknown, self.last4)
        self.assertEqual(
            self._normalised(unknown_right, unknown), self._normalised(known_second, known)
        )

    def test_unknown_ref_costs_the_same_queries_as_a_known_one(self):
        """The lookup reads the same (one indexed query, no stand-in order) whether the number
        exists or not, and so does the wrong-digits turn after it: nothing to time."""
        token_known, token_unknown = self.start(), self.start()
        known_ref = self.in_transit.name
        for token in (token_known, token_unknown):
            self.post(token, text="hello")  # settings and compiled policy cached, as in a server

        def queries(token, text):
            self.env.invalidate_all()
            self.env.flush_all()
            start = self.cr.sql_log_count
            self.post(token, text=text)
            self.env.flush_all()
            return self.cr.sql_log_count - start

        known = queries(token_known, f"where is order {known_ref}?")
        unknown = queries(token_unknown, "where is order S99998?")
        self.assertEqual(known, unknown, "the order-number turn")
        known = queries(token_known, "0000")
        unknown = queries(token_unknown, "0000")
        self.assertEqual(known, unknown, "the wrong-digits turn")


@tagged("post_install", "-at_install")
class TestChatPayloads(ChatCase):
    def test_bad_payloads_get_4xx_errors(self):
        token = self.start("en_US")
        cases = [
            ([], 400, "invalid_body"),
            ({}, 400, "invalid_body"),
            ({"text": "hi", "action": "menu"}, 400, "text_or_action"),
            ({"lang": "fa_IR"}, 400, "text_or_action"),
            ({"text": "hi", "extra": 1}, 400, "unknown_field"),
            ({"text": "hi", "lang": "de_DE"}, 400, "invalid_lang"),
            ({"text": 42}, 400, "invalid_text"),
            ({"text": ["a"]}, 400, "invalid_text"),
            ({"text": "   \n "}, 400, "empty_text"),
            ({"text": "x" * 1001}, 413, "text_too_long"),
            ({"action": "pick:S00001"}, 400, "invalid_action"),
            ({"action": "csat:5"}, 400, "invalid_action"),
            ({"action": "drop table"}, 400, "invalid_action"),
            ({"action": 7}, 400, "invalid_action"),
        ]
        for payload, status, code in cases:
            with self.subTest(payload=str(payload)[:40]):
                got_status, body = self.Session._ot_api_post(token, payload, "203.0.113.7")
                self.assertEqual((got_status, body["error"]["code"]), (status, code))
                self.assertTrue(body["error"]["message"])
        self.assertEqual(self.session_of(token).message_ids.mapped("role"), ["bot"])

    def test_error_messages_follow_the_session_language(self):
        token = self.start("fa_IR")
        _status, body = self.Session._ot_api_post(token, {"text": 5}, "203.0.113.7")
        self.assertEqual(body["error"]["message"], "'text' باید متن باشد.")
        _status, body = self.Session._ot_api_post(token, {"text": 5, "lang": "en_US"}, "x")
        self.assertEqual(body["error"]["message"], "'text' must be a string.")

    def test_text_of_1000_characters_is_accepted(self):
        token = self.start("en_US")
        self.post(token, text=" " + "a" * 1000 + " ")

    def test_unknown_and_expired_tokens_are_404(self):
        status, body = self.Session._ot_api_post("nope" * 10, {"text": "hi"}, "203.0.113.7")
        self.assertEqual((status, body["error"]["code"]), (404, "session_not_found"))
        status, _body = self.Session._ot_api_post(None, {"text": "hi"}, "203.0.113.7")
        self.assertEqual(status, 404)
        token = self.start("en_US")
        later = fields.Datetime.now() + timedelta(hours=5)
        with freeze_time(later):
            status, body = self.Session._ot_api_post(token, {"text": "hi"}, "203.0.113.7")
        self.assertEqual((status, body["error"]["code"]), (404, "session_expired"))

    def test_offered_buttons_are_accepted_once_offered(self):
        token = self.start("en_US")
        body = self.post(token, text="thanks")
        self.assertIn("csat:3", [a["action"] for a in body["nextActions"]])
        self.post(token, action="csat:3")
        message = self.session_of(token).message_ids.filtered(lambda m: m.action == "csat:3")
        self.assertEqual(message.text, "[★★★]", "a button press is recorded with its label")

    def test_html_is_kept_as_plain_text_and_escaped_in_the_transcript(self):
        token = self.start("en_US")
        attack = '<script>alert("x")</script><img src=x onerror=alert(1)> where is S99997'
        body = self.post(token, text=attack)
        for message in body["messages"]:
            self.assertNotIn("<script", message["text"])
        session = self.session_of(token)
        stored = session.message_ids.filtered(lambda m: m.role == "user")
        self.assertEqual(stored.text, attack, "stored as typed, as plain text")
        html = str(session._ot_transcript_html())
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertNotIn("<img", html)


@tagged("post_install", "-at_install")
class TestChatMasking(ChatCase):
    def test_mask_customer_text(self):
        self.assertEqual(
            mask_customer_text("شماره من ۰۹۱۲ ۱۲۳ ۴۵۶۷ است"), "شماره من 0912***4567 است"
        )
        self.assertEqual(mask_customer_text("+98 912 123 4567 please"), "0912***4567 please")
        self.assertEqual(mask_customer_text("code 123456"), "code ******")
        self.assertEqual(mask_customer_text("۱۲۳۴", expecting_code=True), "****")
        self.assertEqual(mask_customer_text("1234 items"), "1234 items")
        self.assertEqual(mask_customer_text("track TRK-88392011"), "track TRK…11")
        self.assertEqual(
            mask_customer_text("سفارش S00042 و کد 0123456789012", order_refs=["S00042"]),
            "سفارش S00042 و کد 012…012",
        )

    def test_stored_messages_and_logs_never_hold_full_mobiles_or_codes(self):
        picking = self.delayed.ot_main_picking_id
        # A number, not "INFO": Odoo names its level 25 "INFO" too.
        with self.assertLogs(LOGGER, level=logging.INFO) as logs:
            token = self.start("fa_IR")
            self.post(token, text=f"سفارش {self.in_transit.name} - موبایلم 09121234567")
            self.post(token, action="verify_sms")
            code = self.last_code()
            self.post(token, text=code)
            self.post(token, text=f"کد رهگیری {picking.carrier_tracking_ref}")
        stored = "\n".join(self.session_of(token).message_ids.mapped("text") or [])
        user_texts = self.session_of(token).message_ids.filtered(lambda m: m.role == "user")
        logged = "\n".join(logs.output)
        for secret in ("09121234567", "+989121234567", "9121234567", code):
            self.assertNotIn(secret, "\n".join(user_texts.mapped("text")), secret)
            self.assertNotIn(secret, logged, secret)
        self.assertNotIn(picking.carrier_tracking_ref, logged)
        self.assertIn("0912***4567", stored)
        self.assertIn("0912***4567", logged)
        self.assertNotIn(picking.carrier_tracking_ref, "\n".join(user_texts.mapped("text")))


@tagged("post_install", "-at_install")
class TestStoredLevel2Answers(ChatCase):
    """Level-2 answers reach the visitor in full; what is stored (transcript, tickets) is the
    masked record form."""

    def _ensure_invoice(self, order):
        invoices = order.invoice_ids.filtered(lambda inv: inv.state == "posted")
        if not invoices:
            invoices = order._create_invoices()
            invoices.action_post()
        invoices._portal_ensure_token()
        return invoices.sorted("id")[-1]

    def test_stored_bot_messages_and_tickets_hold_no_level2_details(self):
        order = self.in_transit
        picking = order.ot_main_picking_id
        code = picking.carrier_tracking_ref
        invoice = self._ensure_invoice(order)
        self.assertTrue(code and invoice.access_token)
        token = self.start("en_US")
        self.post(token, text=f"where is my order {order.name}")
        self.post(token, text=self.last4)
        self.post(token, action="verify_sms")
        shown = [self.post(token, text=self.last_code())]
        for text in ("what is my tracking code?", "invoice please", "payment status?"):
            shown.append(self.post(token, text=text))
        shown.append(self.post(token, text="I want to change my delivery address"))
        # What the visitor got: the full details, the link with its token.
        details = shown[0]["order"]["details"]
        items = [item["name"] for item in details["items"]]
        address = details["address"]
        self.assertTrue(items and address)
        visitor = "\n".join(self.text(body) for body in shown)
        for secret in (code, *items, address, f"access_token={invoice.access_token}"):
            self.assertIn(secret, visitor)

        session = self.session_of(token)
        bot = session.message_ids.filtered(lambda m: m.role == "bot")
        tickets = session.ticket_ids
        self.assertTrue(tickets, "the address change opened a ticket with the transcript")
        stored = {
            **{f"bot message {m.id}": m.text or "" for m in bot},
            **{f"ticket {t.id}": str(t.description or "") for t in tickets},
        }
        for where, text in stored.items():
            with self.subTest(where=where):
                self.assertNotIn(code, text)
                self.assertNotIn(invoice.access_token, text)
                self.assertNotIn("access_token=", text)
                self.assertNotIn(address, text)
                for name in items:
                    self.assertNotIn(name, text)
        # What was shown is still on record, without its content.
        transcript = "\n".join(bot.mapped("text"))
        self.assertIn(f"[Items of order {order.name} shown (level 2)]", transcript)
        self.assertIn(f"[Delivery address of order {order.name} shown (level 2)]", transcript)
        self.assertIn(f"[Payment state of order {order.name} shown (level 2)]", transcript)
        self.assertIn(mask_code(code), transcript)
        self.assertIn(f"/my/invoices/{invoice.id}", transcript)


@tagged("post_install", "-at_install")
class TestChatAudit(ChatCase):
    def test_every_disclosure_is_audited_with_field_names_only(self):
        token = self.start("en_US")
        self.post(token, text=f"where is {self.in_transit.name}")
        session = self.session_of(token)
        self.assertFalse(session.audit_ids, "asking for the digits discloses nothing")
        self.post(token, text=self.last4)
        level1 = session.audit_ids
        self.assertEqual(len(level1), 1)
        self.assertEqual(level1.level, "1")
        self.assertEqual(level1.order_id, self.in_transit)
        self.assertFalse(level1.personal)
        self.assertFalse(set(level1.disclosed_fields.split(", ")) & PERSONAL_FIELDS)
        self.post(token, action="verify_sms")
        self.post(token, text=self.last_code())
        level2 = session.audit_ids.filtered(lambda a: a.level == "2")
        self.assertEqual(len(level2), 1)
        self.assertTrue(level2.personal)
        shown = set(level2.disclosed_fields.split(", "))
        self.assertTrue({"tracking_code", "items", "events", "masked_address"} <= shown)
        picking = self.in_transit.ot_main_picking_id
        for row in session.audit_ids:
            self.assertNotIn(picking.carrier_tracking_ref, row.disclosed_fields)
            self.assertNotIn("Valiasr", row.disclosed_fields)
        self.assertEqual(level2.verified_mobile, "0912***4567")


@tagged("post_install", "-at_install")
class TestSmsOutbox(ChatCase):
    def test_outbox_keeps_messages_and_never_sends_or_deletes_them(self):
        token = self.start("en_US")
        self.post(token, text=f"where is {self.in_transit.name}")
        self.post(token, text=self.last4)
        self.post(token, action="verify_sms")
        sms = self.env["sms.sms"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(sms.number, self.mobile)
        self.assertEqual(sms.state, "ot_outbox")
        self.assertLessEqual(len(sms.body), 120, "an OTP SMS is short")
        api = "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch"
        with patch(api, side_effect=AssertionError("the outbox must not send")) as send:
            sms.send()
            sms._send()
            self.env["sms.sms"].sudo()._process_queue()
            self.env["sms.sms"].sudo()._gc_device()
        send.assert_not_called()
        self.assertTrue(sms.exists())
        self.assertEqual(sms.state, "ot_outbox")
        self.assertFalse(sms.to_delete)

    def test_code_sms_speaks_the_chat_language(self):
        token = self.start("fa_IR")
        self.verify_order(token)
        sms = self.env["sms.sms"].sudo().search([], order="id desc", limit=1)
        self.assertTrue(sms.body.startswith("کد تأیید"), sms.body)
        self.assertRegex(sms.body, r"[0-9]{6}", "the code itself in ASCII digits")

    def test_queued_messages_are_diverted_when_the_sender_runs(self):
        self.env.company.ot_sms_provider = "odoo"
        sms = self.env["sms.sms"].sudo().create({"number": "+989121234567", "body": "hi"})
        self.assertEqual(sms.state, "outgoing", "the Odoo provider queues as usual")
        self.env.company.ot_sms_provider = "outbox"
        api = "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch"
        with patch(api, side_effect=AssertionError("the outbox must not send")) as send:
            sms.send()
        send.assert_not_called()
        self.assertEqual(sms.state, "ot_outbox")

    def test_odoo_provider_sends_through_the_sms_module(self):
        self.env.company.ot_sms_provider = "odoo"
        sms = self.env["sms.sms"].sudo().create({"number": "+989121234567", "body": "hi"})
        api = "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch"
        result = [{"uuid": sms.uuid, "state": "success"}]
        with patch(api, return_value=result) as send:
            sms.send(unlink_sent=False)
        send.assert_called_once()
        self.assertEqual(sms.state, "pending")


@tagged("post_install", "-at_install")
class TestPartnerMobile(ChatCase):
    def test_mobile_is_normalised_and_indexed(self):
        partner = self.env["res.partner"].create({"name": "Test", "phone": "۰۹۱۲-۳۴۵-۶۷۸۹"})
        self.assertEqual(partner.ot_mobile_e164, "+989123456789")
        partner.phone = "0098 913 111 2233"
        self.assertEqual(partner.ot_mobile_e164, "+989131112233")
        partner.phone = "021 8888 7777"  # a Tehran landline: no SMS can reach it
        self.assertFalse(partner.ot_mobile_e164)
        self.assertTrue(self.env["res.partner"]._fields["ot_mobile_e164"].index)
