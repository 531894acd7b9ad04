"""Rate limits of the public chat: per session, per IP, sessions per IP, per looked-up target and
distinct targets per session, counted in the database over sliding windows."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .chat_common import ChatCase

T0 = datetime(2025, 6, 1, 8, 0, 0)
PARAM = "order_tracking_chatbot."


@tagged("post_install", "-at_install")
class TestChatRateLimits(ChatCase):
    def set_limit(self, key, value):
        self.env["ir.config_parameter"].sudo().set_param(PARAM + key, str(value))

    def assert_limited(self, token, ip="203.0.113.7", **payload):
        status, body = self.Session._ot_api_post(token, payload, ip)
        self.assertEqual(status, 429, body)
        self.assertEqual(body["error"]["code"], "rate_limited")
        self.assertGreater(body["error"]["retryAfter"], 0)
        return body

    def test_messages_per_session_slide_with_the_window(self):
        self.set_limit("chat_session_messages", 3)
        with freeze_time(T0):
            token = self.start()
            for _ in range(3):
                self.post(token, text="hello")
        with freeze_time(T0 + timedelta(minutes=4)):
            body = self.assert_limited(token, text="hello")
            self.assertEqual(body["error"]["retryAfter"], 6 * 60 + 1)
            # A refused turn is not recorded and does not reach the engine.
            self.assertEqual(self.session_of(token).turn_count, 3)
        with freeze_time(T0 + timedelta(minutes=10, seconds=1)):
            self.post(token, text="hello")

    def test_messages_per_ip_across_sessions(self):
        self.set_limit("chat_ip_messages", 4)
        with freeze_time(T0):
            first, second = self.start(), self.start()
            for _ in range(2):
                self.post(first, text="hi")
                self.post(second, text="hi")
            self.assert_limited(self.start(), text="hi")
            # Another visitor is not affected.
            self.post(self.start(ip="198.51.100.20"), ip="198.51.100.20", text="hi")

    def test_sessions_per_ip(self):
        self.set_limit("chat_ip_sessions", 2)
        with freeze_time(T0):
            self.start()
            self.start()
            body = self.Session._ot_api_start("en_US", "widget", "203.0.113.7")
            self.assertEqual(body["error"]["code"], "rate_limited")
            self.assertNotIn("session", body)
            self.assertIn("session", self.Session._ot_api_start("en_US", "api", "198.51.100.3"))

    def test_same_order_from_many_chats_and_ips(self):
        """Guessing the last 4 digits from many chats and IPs stops after 5 chats an hour."""
        ref = self.in_transit.name
        with freeze_time(T0):
            first = None
            for n in range(5):
                ip = f"198.51.100.{n + 10}"
                token = self.start(ip=ip)
                self.post(token, ip=ip, text=f"where is {ref}")
                first = first or (token, ip)
            ip = "198.51.100.99"
            token = self.start(ip=ip)
            self.assert_limited(token, ip=ip, text=f"order {ref.lower()} please")
            # The same chat asking about another order is fine.
            self.post(token, ip=ip, text="where is S99990")
            # A chat that already asked about the order may go on asking.
            self.post(first[0], ip=first[1], text=f"{ref} again")
        with freeze_time(T0 + timedelta(hours=1, minutes=1)):
            self.post(token, ip=ip, text=f"where is {ref}")

    def test_distinct_targets_per_session(self):
        """Enumerating order numbers in one chat is cut after 10 different ones an hour."""
        with freeze_time(T0):
            token = self.start()
            for n in range(10):
                self.post(token, text=f"where is S9{n:04d}")
            self.post(token, text="where is S90003", expect=200)  # already counted
            self.assert_limited(token, text="where is S91234")
            self.assert_limited(token, text="my number is 09127778899")

    def test_distinct_targets_per_ip(self):
        self.set_limit("chat_ip_targets", 3)
        with freeze_time(T0):
            for n in range(3):
                self.post(self.start(), text=f"where is S8{n:04d}")
            self.assert_limited(self.start(), text="where is S81234")

    def test_limits_are_rows_in_the_database_with_hashed_keys(self):
        token = self.start()
        self.post(token, text=f"where is {self.in_transit.name}")
        rows = (
            self.env["order.tracking.rate.limit"]
            .sudo()
            .search([("session_id", "=", self.session_of(token).id)])
        )
        self.assertEqual(sorted(rows.mapped("kind")), ["message", "target"])
        target = rows.filtered(lambda r: r.kind == "target").target_hash
        self.assertNotIn(self.in_transit.name, target)
        self.assertEqual(len(target), 40)
        self.assertNotIn("203.0.113.7", rows[0].ip_hash)

    def test_cleanup_deletes_old_rows_only(self):
        with freeze_time(T0):
            self.post(self.start(), text="hello")
        with freeze_time(T0 + timedelta(hours=2)):
            self.post(self.start(), text="hello")
        RateLimit = self.env["order.tracking.rate.limit"].sudo()
        with freeze_time(T0 + timedelta(days=1, hours=1)):
            deleted = RateLimit._ot_prune()
        self.assertEqual(deleted, 2, "the message and session-start rows of the first chat")
        self.assertEqual(RateLimit.search_count([]), 2)

    def test_idle_chats_are_abandoned_unless_resolved(self):
        with freeze_time(T0):
            idle = self.start()
            self.post(idle, text="hello")
            resolved = self.start()
            self.post(resolved, text="thanks, bye")
        with freeze_time(T0 + timedelta(minutes=31)):
            self.env["order.tracking.chat.session"]._ot_chat_cleanup()
        self.assertEqual(self.session_of(idle).outcome, "abandoned")
        self.assertEqual(self.session_of(resolved).outcome, "resolved")
