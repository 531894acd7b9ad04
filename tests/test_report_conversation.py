"""Conversation KPIs on a hand-made set of chats, each expected value worked out below.

The four conversations of 1 March 2026 (shop time zone Asia/Tehran, UTC+03:30):

====  =========  ========  ==================================  ======  ====  ========
chat  channel    outcome   what happened                       1st ms  CSAT  intents
====  =========  ========  ==================================  ======  ====  ========
c1    widget     resolved  the bot answered                    200     5     greeting, track_order
c2    page       escalated answered, then handed to a person   400     -     track_order, human
c3    telegram   resolved  a ticket was opened anyway          1000    2     pre_purchase_cost
c4    widget     abandoned the customer left after the answer  600     4     where_is_tracking_code
====  =========  ========  ==================================  ======  ====  ========

plus a chat in which the customer never wrote (not a conversation).

- conversations 4; escalated c2 (operator) + c3 (ticket) = 2 → 50 %; deflected c1 + c4 = 2 → 50 %
- resolved without operator: c1 only (c3 was resolved but a person got a ticket) → 25 %
- first response 200, 400, 600, 1000 ms: median (400 + 600) / 2 = 500, p90 600 + 0.7 × 400 = 880
- CSAT (5 + 2 + 4) / 3 = 3.667 from 3 responses: c2's missing score is not a zero
- where-is-my-order chats: c1, c2, c4 = 3 (c3 asked about shipping costs)
"""

from datetime import datetime

from odoo.tests import tagged

from .report_common import ReportCase

DAY = datetime(2026, 3, 1, 10, 0)


@tagged("post_install", "-at_install")
class TestReportConversation(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c1 = cls.conversation(
            DAY, "widget", outcome="resolved", first_response_ms=200, csat=5,
            intents="greeting, track_order",
        )  # fmt: skip
        cls.c2 = cls.conversation(
            DAY, "page", "fa_IR", outcome="escalated", handover=True, first_response_ms=400,
            intents="track_order, human",
        )  # fmt: skip
        cls.c3 = cls.conversation(
            DAY, "telegram", "fa_IR", outcome="resolved", first_response_ms=1000, csat=2,
            intents="pre_purchase_cost",
        )  # fmt: skip
        cls.link_ticket(cls.c3, cls.ticket())
        cls.c4 = cls.conversation(
            DAY, "widget", "fa_IR", outcome="abandoned", first_response_ms=600, csat=4,
            intents="where_is_tracking_code",
        )  # fmt: skip
        cls.silent = cls.conversation(DAY, "widget", turn_count=0, intents=False)

    def test_headline_kpis(self):
        totals = self.totals(
            "conversation",
            [
                "__count",
                "deflected:sum",
                "deflection_rate:avg",
                "escalated:sum",
                "escalation_rate:avg",
                "escalated_ticket:sum",
                "escalated_operator:sum",
                "resolved_without_operator:sum",
                "resolution_rate:avg",
                "first_response_median_ms:median",
                "first_response_p90_ms:p90",
                "csat:avg",
                "csat_count:sum",
                "wismo:sum",
            ],
        )[()]
        self.assertEqual(totals["__count"], 4, "a chat without a customer message is not counted")
        self.assertEqual(totals["deflected:sum"], 2)
        self.assertAlmostEqual(totals["deflection_rate:avg"], 50.0)
        self.assertEqual(totals["escalated:sum"], 2)
        self.assertAlmostEqual(totals["escalation_rate:avg"], 50.0)
        self.assertEqual(totals["escalated_ticket:sum"], 1)
        self.assertEqual(totals["escalated_operator:sum"], 1)
        self.assertEqual(totals["resolved_without_operator:sum"], 1)
        self.assertAlmostEqual(totals["resolution_rate:avg"], 25.0)
        self.assertAlmostEqual(totals["first_response_median_ms:median"], 500.0)
        self.assertAlmostEqual(totals["first_response_p90_ms:p90"], 880.0)
        self.assertAlmostEqual(totals["csat:avg"], 11 / 3)
        self.assertEqual(totals["csat_count:sum"], 3)
        self.assertEqual(totals["wismo:sum"], 3)

    def test_escalated_after_an_answer_is_escalated_only(self):
        row = self.report("conversation").search([("session_id", "=", self.c2.id)])
        self.assertEqual(
            (row.escalated, row.escalated_operator, row.deflected, row.resolved_without_operator),
            (1, 1, 0, 0),
        )
        ticketed = self.report("conversation").search([("session_id", "=", self.c3.id)])
        self.assertEqual((ticketed.escalated_ticket, ticketed.resolved_without_operator), (1, 0))

    def test_median_is_per_group_not_summed(self):
        by_group = self.totals(
            "conversation",
            ["__count", "first_response_median_ms:median", "csat:avg"],
            groupby=["channel_group"],
        )
        # widget: c1 (200) and c4 (600); a messenger channel (telegram) is "messenger".
        self.assertEqual(by_group[("widget",)]["__count"], 2)
        self.assertAlmostEqual(by_group[("widget",)]["first_response_median_ms:median"], 400.0)
        self.assertAlmostEqual(by_group[("widget",)]["csat:avg"], 4.5)
        self.assertEqual(by_group[("page",)]["__count"], 1)
        self.assertFalse(by_group[("page",)]["csat:avg"], "no score, no average (not a zero)")
        self.assertEqual(by_group[("messenger",)]["__count"], 1)
        self.assertAlmostEqual(by_group[("messenger",)]["first_response_median_ms:median"], 1000)

    def test_intent_is_the_first_real_question(self):
        by_intent = self.totals("conversation", ["__count"], groupby=["intent"])
        self.assertEqual(
            {key[0]: value["__count"] for key, value in by_intent.items()},
            {"track_order": 2, "pre_purchase_cost": 1, "where_is_tracking_code": 1},
        )

    def test_midnight_in_tehran(self):
        # 20:29:59 UTC is 23:59:59 in Tehran; one second later it is the next day there, while
        # both are still 1 June in UTC.
        before = self.conversation(datetime(2026, 6, 1, 20, 29, 59), intents="track_order")
        after = self.conversation(datetime(2026, 6, 1, 20, 30, 0), intents="track_order")
        rows = self.report("conversation").search([("session_id", "in", (before | after).ids)])
        days = {row.session_id: str(row.day) for row in rows}
        self.assertEqual(days[before], "2026-06-01")
        self.assertEqual(days[after], "2026-06-02")
        by_day = self.totals(
            "conversation", ["__count"], [("day", ">=", "2026-06-01")], groupby=["day:day"]
        )
        self.assertEqual(sorted(value["__count"] for value in by_day.values()), [1, 1])

    def test_day_filters_keep_the_shop_day_at_the_edges(self):
        # The day filter also narrows on the UTC start (for the index); the shop's day decides.
        before = self.conversation(datetime(2026, 6, 1, 20, 29, 59), intents="track_order")
        after = self.conversation(datetime(2026, 6, 1, 20, 30, 0), intents="track_order")
        cases = [
            ("=", "2026-06-02", after),
            ("=", "2026-06-01", before),
            ("<", "2026-06-02", before),
            (">", "2026-06-01", after),
            ("<=", "2026-06-01", before),
            (">=", "2026-06-02", after),
        ]
        report = self.report("conversation")
        for operator, day, expected in cases:
            with self.subTest(operator=operator, day=day):
                rows = report.search(
                    [("session_id", "in", (before | after).ids), ("day", operator, day)]
                )
                self.assertEqual(rows.session_id, expected)
        query = report._search([("day", ">=", "2026-06-02")])
        self.assertIn('"start_at"', query.select().code, "the UTC window is added")

    def test_shop_time_zone_falls_back_to_the_company_address_then_tehran(self):
        self.shop.resource_calendar_id = False
        self.shop.partner_id.tz = "UTC"
        late = self.conversation(datetime(2026, 6, 1, 21, 0), intents="track_order")
        row = self.report("conversation").search([("session_id", "=", late.id)])
        self.assertEqual(str(row.day), "2026-06-01", "the company's own time zone (UTC)")
        self.shop.partner_id.tz = False
        row.invalidate_recordset()
        row = self.report("conversation").search([("session_id", "=", late.id)])
        self.assertEqual(str(row.day), "2026-06-02", "Asia/Tehran by default")

    def test_web_read_group_uses_the_field_aggregators(self):
        # What the pivot and the list's group rows ask: measures by their default aggregator.
        groups = self.report("conversation").formatted_read_group(
            [("company_id", "=", self.shop.id)],
            ["lang"],
            ["__count", "first_response_median_ms:median", "deflection_rate:avg"],
        )
        by_lang = {group["lang"]: group for group in groups}
        self.assertEqual(by_lang["fa_IR"]["__count"], 3)
        # fa_IR: c2 400, c3 1000, c4 600 → median 600; deflected c4 only → 33.3 %.
        self.assertAlmostEqual(by_lang["fa_IR"]["first_response_median_ms:median"], 600)
        self.assertAlmostEqual(by_lang["fa_IR"]["deflection_rate:avg"], 100 / 3)
        fields_info = self.report("conversation").fields_get(
            ["first_response_median_ms", "first_response_p90_ms"], ["aggregator"]
        )
        self.assertEqual(fields_info["first_response_median_ms"]["aggregator"], "median")
        self.assertEqual(fields_info["first_response_p90_ms"]["aggregator"], "p90")
