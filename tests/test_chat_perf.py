"""A chat turn costs a constant number of SQL queries, whatever the number of orders."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged, warmup

from .chat_common import ChatCase

PARAM = "order_tracking_chatbot."
# Queries of one chat turn with a cold record cache and warm ORM caches, as in a running server:
# session (found and locked), session fields, rate limits (one statement), engine lookups, the
# transcript (one INSERT), audit, session update.
LEVEL1_QUERIES = 11  # the last 4 digits of the mobile: order found, level-1 status
# the SMS code: checked, order details (items, events, payment, invoice, the total in the
# order's currency)
LEVEL2_QUERIES = 28
MOBILE_QUERIES = 15  # the SMS code of flow 2: checked, the customer's latest orders listed


@tagged("post_install", "-at_install")
class TestChatQueryCount(ChatCase):
    def setUp(self):
        super().setUp()
        # The same customer verifies many times here: no daily cap, and each flow runs in its
        # own minute so the resend cooldown never answers instead of the code.
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM + "otp_daily_cap", "100000")
        params.set_param(PARAM + "chat_ip_messages", "100000")
        params.set_param(PARAM + "chat_ip_sessions", "100000")
        params.set_param(PARAM + "chat_target_sessions", "100000")
        params.set_param(PARAM + "chat_ip_targets", "100000")
        self.minute = 0

    def _next_minute(self):
        self.minute += 2
        return freeze_time(fields.Datetime.now() + timedelta(minutes=self.minute))

    def _order_turns(self):
        """Queries of the level-1 turn and of the level-2 (code) turn of flow 1."""
        with self._next_minute():
            token = self.start("en_US")
            self.post(token, text=f"where is my order {self.in_transit.name}")
            level1 = self._count(lambda: self.post(token, text=self.last4))
            body = self.post(token, action="verify_sms")
            self.assertIn("6-digit code", self.text(body))
            code = self.last_code()
            body = {}
            level2 = self._count(lambda: body.update(self.post(token, text=code)))
            self.assertTrue(body["security"]["verified"])
        return level1, level2

    def _mobile_turn(self):
        """Queries of the turn of flow 2 that checks the code and lists the orders."""
        with self._next_minute():
            token = self.start("en_US")
            self.post(token, text=f"my mobile is {self.mobile}")
            code = self.last_code()
            body = {}
            count = self._count(lambda: body.update(self.post(token, text=code)))
            self.assertIn(f"pick:{self.in_transit.name}", str(body["nextActions"]))
        return count

    def _cold(self):
        """Each HTTP request starts with an empty record cache: so does each measured turn. The
        ORM caches (settings, compiled policy, delivery estimates, quotes) stay warm, as in a
        running server; they are cleared when the data behind them changes."""
        self.env.flush_all()
        self.env.invalidate_all()

    def _count(self, func):
        self._cold()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _add_orders(self, count):
        """``count`` more orders of other customers, older than the tested ones."""
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {n}", "phone": f"+98912{n:07d}"} for n in range(count // 5)]
        )
        product = self.in_transit.order_line[0].product_id
        old = fields.Datetime.subtract(fields.Datetime.now(), days=400)
        self.env["sale.order"].create(
            [
                {
                    "partner_id": partners[n % len(partners)].id,
                    "date_order": old,
                    "order_line": [fields.Command.create({"product_id": product.id})],
                }
                for n in range(count)
            ]
        )

    def test_turn_queries_do_not_grow_with_the_orders(self):
        # Warm the caches (settings, cities, views) once, as a running server has them.
        self._order_turns()
        self._mobile_turn()
        before = (*self._order_turns(), self._mobile_turn())
        orders_before = self.env["sale.order"].search_count([])
        self._add_orders(500)
        self.assertGreaterEqual(self.env["sale.order"].search_count([]), orders_before + 500)
        after = (*self._order_turns(), self._mobile_turn())
        self.assertEqual(before, after, "(level 1, level 2, mobile) queries with 500 more orders")

    @warmup
    def test_track_by_order_turn_query_count(self):
        with self._next_minute():
            token = self.start("en_US")
            self.post(token, text=f"where is my order {self.in_transit.name}")
            self._cold()
            with self.assertQueryCount(LEVEL1_QUERIES):
                self.post(token, text=self.last4)
            self.post(token, action="verify_sms")
            code = self.last_code()
            self._cold()
            with self.assertQueryCount(LEVEL2_QUERIES):
                body = self.post(token, text=code)
            self.assertTrue(body["security"]["verified"])

    @warmup
    def test_track_by_mobile_turn_query_count(self):
        with self._next_minute():
            token = self.start("en_US")
            self.post(token, text=f"my mobile is {self.mobile}")
            code = self.last_code()
            self._cold()
            with self.assertQueryCount(MOBILE_QUERIES):
                body = self.post(token, text=code)
            self.assertTrue(body["security"]["verified"])
