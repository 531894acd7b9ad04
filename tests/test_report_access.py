"""Who sees what through the KPI reports: every Order Tracking user reads the numbers; only the
Order Tracking manager group sees which chat, order, shipment or ticket a row is about; other
companies' rows are never counted."""

from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .report_common import ReportCase

REPORTS = ("conversation", "exception", "notification", "wismo")
# Models whose records identify a customer.
CUSTOMER_MODELS = {
    "res.partner",
    "sale.order",
    "stock.picking",
    "helpdesk.ticket",
    "order.tracking.chat.session",
}
DAY = datetime(2026, 3, 1, 10, 0)


@tagged("post_install", "-at_install")
class TestReportAccess(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="ot_report_manager",
            groups="sales_team.group_sale_salesman,"
            "order_tracking_chatbot.group_order_tracking_manager",
        )
        cls.manager.company_ids |= cls.shop
        order = cls.order()
        cls.chat = cls.conversation(DAY, intents="track_order", order_id=order.id)
        cls.other_shop = cls.env["res.company"].create({"name": "Someone Else's Shop"})
        cls.conversation(DAY, intents="track_order", company_id=cls.other_shop.id)

    def test_staff_see_numbers_without_customer_columns(self):
        for role, user in self.users.items():
            for name in REPORTS:
                with self.subTest(role=role, report=name):
                    report = self.report(name, user)
                    visible = report.fields_get(attributes=["type", "relation"])
                    linked = {
                        field
                        for field, info in visible.items()
                        if info.get("relation") in CUSTOMER_MODELS
                    }
                    self.assertFalse(linked, f"{role} sees customer columns {linked}")
                    self.assertFalse(
                        {"mobile", "phone", "email", "partner_id"} & set(visible),
                    )
            counts = self.totals("conversation", ["__count", "wismo:sum"], user=user)[()]
            self.assertEqual(counts, {"__count": 1, "wismo:sum": 1}, role)

    def test_staff_cannot_read_or_group_by_the_order(self):
        report = self.report("conversation", self.users["salesman"])
        row = report.search([])
        self.assertEqual(len(row), 1)
        with self.assertRaises(AccessError):
            row.read(["order_id"])
        with self.assertRaises(AccessError):
            report._read_group([], ["session_id"], ["__count"])

    def test_manager_reaches_the_chat_and_the_order(self):
        row = self.report("conversation", self.manager).search([])
        self.assertEqual(row.session_id, self.chat)
        self.assertEqual(row.order_id, self.chat.order_id)

    def test_other_companies_are_not_counted(self):
        both = [("company_id", "in", [self.shop.id, self.other_shop.id])]
        self.env.flush_all()
        everything = self.env["order.tracking.report.conversation"].sudo().search_count(both)
        self.assertEqual(everything, 2)
        staff = self.report("conversation", self.users["stock_user"])
        self.assertEqual(staff.search_count(both), 1, "the other shop's chat is not counted")
        with self.assertRaises(AccessError):
            # The user may not even switch to the other company.
            staff.with_context(allowed_company_ids=[self.other_shop.id]).search_count([])

    def test_report_views_load_for_staff(self):
        for role, user in self.users.items():
            for name in REPORTS:
                with self.subTest(role=role, report=name):
                    action = self.env.ref(
                        f"order_tracking_chatbot.action_order_tracking_report_{name}"
                    )
                    report = self.report(name, user)
                    views = report.get_views(
                        [(False, "pivot"), (False, "graph"), (False, "search")]
                    )
                    self.assertEqual(set(views["views"]), {"pivot", "graph", "search"})
                    self.assertIn("last_30_days", views["views"]["search"]["arch"])
                    self.assertIn("search_default_last_30_days", action.context)
                    menu = (
                        self.env["ir.ui.menu"]
                        .with_user(user)
                        .search([("action", "=", f"ir.actions.act_window,{action.id}")])
                    )
                    self.assertEqual(menu.parent_id.name, "Reporting")

    def test_users_without_an_order_tracking_role_read_nothing(self):
        outsider = new_test_user(self.env, login="ot_report_outsider", groups="base.group_user")
        for name in REPORTS:
            with self.subTest(report=name), self.assertRaises(AccessError):
                self.env(user=outsider)[f"order.tracking.report.{name}"].search_count([])
