"""One-time codes in the database: hashed storage, expiry, attempt cap, resend cooldown, daily
cap, one use, and codes bound to the chat that asked for them."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .chat_common import ChatCase

T0 = datetime(2025, 6, 1, 8, 0, 0)


@tagged("post_install", "-at_install")
class TestChatOtp(ChatCase):
    def setUp(self):
        super().setUp()
        self.Otp = self.env["order.tracking.otp"].sudo()
        self.session = self.session_of(self.start("en_US"))

    def issue(self, session=None, mobile=None, deliver=True):
        return self.Otp._ot_issue(
            session or self.session, mobile or self.mobile, "order", deliver, "en_US"
        )

    def check(self, code, session=None, mobile=None):
        return self.Otp._ot_check(session or self.session, mobile or self.mobile, code)

    def test_only_a_keyed_hash_is_stored(self):
        with freeze_time(T0):
            self.assertTrue(self.issue().ok)
        code = self.last_code()
        record = self.Otp.search([("session_id", "=", self.session.id)])
        self.assertEqual(len(record.code_hash), 64)
        self.assertNotIn(code, record.code_hash)
        self.assertEqual(record.mobile_masked, "0912***4567")
        self.assertNotIn(self.mobile, record.mobile_hash)
        self.assertEqual(record.expires_at, T0 + timedelta(minutes=5))
        self.assertEqual(record.sms_id.state, "ot_outbox")
        self.assertIn(code, record.sms_id.body)

    def test_right_code_works_once(self):
        with freeze_time(T0):
            self.issue()
            code = self.last_code()
            self.assertEqual(self.check(code).reason, "ok")
            self.assertEqual(self.check(code).reason, "none", "a used code cannot be replayed")

    def test_code_expires(self):
        with freeze_time(T0):
            self.issue()
        code = self.last_code()
        with freeze_time(T0 + timedelta(minutes=5, seconds=1)):
            result = self.check(code)
        self.assertEqual((result.ok, result.reason), (False, "expired"))

    def test_code_works_until_expiry_and_validity_is_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "order_tracking_chatbot.otp_validity_minutes", "10"
        )
        with freeze_time(T0):
            self.issue()
        with freeze_time(T0 + timedelta(minutes=9)):
            self.assertTrue(self.check(self.last_code()).ok)

    def test_wrong_codes_are_capped(self):
        with freeze_time(T0):
            self.issue()
            code = self.last_code()
            wrong = "000000" if code != "000000" else "111111"
            lefts = [self.check(wrong) for _ in range(5)]
            self.assertEqual([r.reason for r in lefts], ["wrong"] * 4 + ["too_many"])
            self.assertEqual([r.attempts_left for r in lefts], [4, 3, 2, 1, 0])
            self.assertEqual(self.check(code).reason, "too_many", "the right code is too late")

    def test_resend_cooldown(self):
        with freeze_time(T0):
            self.assertEqual(self.issue().reason, "sent")
            first = self.last_code()
        with freeze_time(T0 + timedelta(seconds=30)):
            self.assertEqual(self.issue().reason, "cooldown")
            # The first code still works during the cooldown.
        with freeze_time(T0 + timedelta(seconds=61)):
            self.assertEqual(self.issue().reason, "sent")
            second = self.last_code()
            if first != second:
                self.assertEqual(self.check(first).reason, "wrong")
            self.assertTrue(self.check(second).ok, "the newest code replaces the older one")

    def test_daily_cap_per_mobile_across_chats(self):
        other = self.session_of(self.start("en_US", ip="198.51.100.9"))
        for minute in range(5):
            with freeze_time(T0 + timedelta(minutes=2 * minute)):
                session = self.session if minute % 2 else other
                self.assertEqual(self.issue(session).reason, "sent")
        with freeze_time(T0 + timedelta(hours=1)):
            self.assertEqual(self.issue().reason, "daily_cap")
        with freeze_time(T0 + timedelta(hours=24, minutes=1)):
            self.assertEqual(self.issue().reason, "sent")

    def test_a_code_only_works_in_the_chat_that_asked_for_it(self):
        attacker = self.session_of(self.start("en_US", ip="198.51.100.66"))
        with freeze_time(T0):
            self.issue(session=attacker)
            code = self.last_code()
            self.assertEqual(self.check(code).reason, "none")
            self.assertTrue(self.check(code, session=attacker).ok)

    def test_code_of_a_number_without_orders_is_never_sent(self):
        before = self.env["sms.sms"].sudo().search_count([])
        with freeze_time(T0):
            self.assertEqual(self.issue(mobile="+989129998877", deliver=False).reason, "sent")
        self.assertEqual(self.env["sms.sms"].sudo().search_count([]), before)
        with freeze_time(T0 + timedelta(seconds=10)):
            self.assertEqual(self.issue(mobile="+989129998877").reason, "cooldown")

    def test_through_the_chat_wrong_then_expired_then_resend(self):
        token = self.start("en_US")
        with freeze_time(T0):
            self.post(token, text=f"where is {self.in_transit.name}")
            self.post(token, text=self.last4)
            self.post(token, action="verify_sms")
            code = self.last_code()
            wrong = "999999" if code != "999999" else "888888"
            body = self.post(token, text=wrong)
            self.assertIn("Tries left: 4", self.text(body))
            self.assertFalse(body["security"]["verified"])
        with freeze_time(T0 + timedelta(minutes=6)):
            body = self.post(token, text=code)
            self.assertIn("expired", self.text(body))
            self.assertIn("resend_otp", [a["action"] for a in body["nextActions"]])
            self.post(token, action="resend_otp")
            body = self.post(token, text=self.last_code())
            self.assertTrue(body["security"]["verified"])

    def test_cleanup_cron_expires_and_deletes_old_codes(self):
        with freeze_time(T0):
            self.issue()
        with freeze_time(T0 + timedelta(minutes=10)):
            self.env["order.tracking.chat.session"]._ot_chat_cleanup()
            record = self.Otp.search([("session_id", "=", self.session.id)])
            self.assertEqual(record.state, "expired")
        with freeze_time(T0 + timedelta(days=8)):
            self.env["order.tracking.chat.session"]._ot_chat_cleanup()
            self.assertFalse(self.Otp.search([("session_id", "=", self.session.id)]))
