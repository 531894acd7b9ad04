"""KPIs of what happens to shipments, on hand-made data with the expected values worked out:
"where is my order" chats per 100 shipped orders, exceptions and their time to resolution,
notifications sent, delivered and failed."""

from datetime import datetime, timedelta

from odoo.tests import tagged

from .report_common import ReportCase

DAY = datetime(2026, 3, 1, 10, 0)  # 13:30 in Tehran
NEXT_DAY = DAY + timedelta(days=1)


@tagged("post_install", "-at_install")
class TestReportWismo(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 March: orders A and B shipped, A in two parcels (the second one on 2 March);
        # 2 March: order C shipped. Three orders in all, each counted once.
        a, b, c = cls.order(), cls.order(), cls.order()
        cls.shipment(a, DAY)
        cls.shipment(a, NEXT_DAY)
        cls.shipment(b, DAY + timedelta(hours=1))
        cls.shipment(c, NEXT_DAY)
        # 1 March: three where-is-my-order chats and one about shipping costs.
        cls.conversation(DAY, intents="track_order")
        cls.conversation(DAY, intents="greeting, why_no_update")
        cls.conversation(DAY, "telegram", intents="delay_complaint")
        cls.conversation(DAY, intents="pre_purchase_cost")

    def test_questions_per_100_shipped_orders(self):
        aggregates = ["shipped_orders:sum", "wismo_questions:sum", "wismo_per_100_shipped:ratio"]
        by_day = self.totals("wismo", aggregates, groupby=["day:day"])
        by_day = {str(key[0]): value for key, value in by_day.items()}
        self.assertEqual(by_day["2026-03-01"]["shipped_orders:sum"], 2)
        self.assertEqual(by_day["2026-03-01"]["wismo_questions:sum"], 3)
        self.assertAlmostEqual(by_day["2026-03-01"]["wismo_per_100_shipped:ratio"], 150.0)
        self.assertEqual(by_day["2026-03-02"]["shipped_orders:sum"], 1, "A's 2nd parcel is A")
        self.assertAlmostEqual(by_day["2026-03-02"]["wismo_per_100_shipped:ratio"], 0.0)
        # Over both days: 3 questions / 3 orders, not the average of the daily ratios (75).
        total = self.totals("wismo", aggregates)[()]
        self.assertEqual(total["shipped_orders:sum"], 3)
        self.assertAlmostEqual(total["wismo_per_100_shipped:ratio"], 100.0)

    def test_no_shipment_no_ratio(self):
        aggregates = ["__count", "wismo_questions:sum", "wismo_per_100_shipped:ratio"]
        domain = [("day", "=", "2026-03-05")]
        self.assertEqual(self.totals("wismo", aggregates, domain)[()]["__count"], 0)
        self.conversation(DAY + timedelta(days=4), intents="track_code")
        total = self.totals("wismo", aggregates, domain)[()]
        self.assertEqual(total["wismo_questions:sum"], 1)
        self.assertFalse(total["wismo_per_100_shipped:ratio"], "a question, no shipment: empty")


@tagged("post_install", "-at_install")
class TestReportException(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        closed = cls.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        cls.late = cls.ticket(ot_exception_type="delayed", ot_exception_reason="late")
        cls.lost = cls.ticket(ot_exception_type="lost", ot_exception_reason="carrier")
        cls.open = cls.ticket(ot_exception_type="address_issue", ot_exception_reason="carrier")
        cls.plain = cls.ticket()  # not an exception
        tickets = cls.late | cls.lost | cls.open | cls.plain
        cls.set_dates(tickets, create_date=DAY)
        cls.set_dates(cls.late, stage_id=closed.id, closed_date=DAY + timedelta(hours=24))
        cls.set_dates(cls.lost, stage_id=closed.id, closed_date=DAY + timedelta(hours=48))

    def test_exceptions_and_time_to_resolution(self):
        total = self.totals(
            "exception",
            [
                "__count",
                "resolved:sum",
                "open_count:sum",
                "resolution_hours:avg",
                "resolution_median_hours:median",
                "resolution_p90_hours:p90",
            ],
        )[()]
        self.assertEqual(total["__count"], 3, "tickets without an exception are not exceptions")
        self.assertEqual(total["resolved:sum"], 2)
        self.assertEqual(total["open_count:sum"], 1)
        # 24 h and 48 h; the open one has no time yet.
        self.assertAlmostEqual(total["resolution_hours:avg"], 36.0)
        self.assertAlmostEqual(total["resolution_median_hours:median"], 36.0)
        self.assertAlmostEqual(total["resolution_p90_hours:p90"], 24 + 0.9 * 24)
        by_type = self.totals("exception", ["__count"], groupby=["exception_type"])
        self.assertEqual(
            {key[0]: value["__count"] for key, value in by_type.items()},
            {"delayed": 1, "lost": 1, "address_issue": 1},
        )


@tagged("post_install", "-at_install")
class TestReportNotification(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order = cls.order()
        message = cls.env["mail.message"].create(
            {"model": "sale.order", "res_id": order.id, "body": "KPI", "message_type": "comment"}
        )
        cls.env["mail.notification"].create(
            {
                "mail_message_id": message.id,
                "res_partner_id": cls.customer.id,
                "notification_type": "email",
                "notification_status": "sent",
            }
        )
        cls.env["sms.tracker"].create(
            [
                {"sms_uuid": "kpi-delivered", "ot_dlr_state": "delivered"},
                {"sms_uuid": "kpi-undelivered", "ot_dlr_state": "undelivered"},
            ]
        )
        rows = [
            ("handed_to_carrier", "sms", "sent", {"sms_uuid": "kpi-delivered"}),
            ("handed_to_carrier", "email", "sent", {"message_id": message.id}),
            ("delivered", "sms", "sent", {"sms_uuid": "kpi-undelivered"}),
            ("delivered", "email", "failed", {}),
            ("confirmed", "sms", "queued", {}),
        ]
        notifications = cls.env["order.tracking.notification"].create(
            [
                {
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "event": event,
                    "channel": channel,
                    "state": state,
                    "order_id": order.id,
                    "company_id": cls.shop.id,
                    **extra,
                }
                for event, channel, state, extra in rows
            ]
        )
        cls.set_dates(notifications, create_date=DAY)

    def test_sent_delivered_failed(self):
        total = self.totals(
            "notification",
            ["__count", "sent:sum", "delivered:sum", "failed:sum", "delivery_rate:ratio"],
        )[()]
        self.assertEqual(total["__count"], 5)
        self.assertEqual(total["sent:sum"], 3)
        # The SMS with a delivery report and the email the mail server took.
        self.assertEqual(total["delivered:sum"], 2)
        # The SMS reported undelivered and the email that failed to send; queued is neither.
        self.assertEqual(total["failed:sum"], 2)
        self.assertAlmostEqual(total["delivery_rate:ratio"], 200 / 3)
        by_channel = self.totals("notification", ["sent:sum", "delivered:sum"], groupby=["channel"])
        self.assertEqual(by_channel[("sms",)], {"sent:sum": 2, "delivered:sum": 1})
        self.assertEqual(by_channel[("email",)], {"sent:sum": 1, "delivered:sum": 1})
