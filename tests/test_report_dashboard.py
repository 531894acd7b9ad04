"""The "Order Tracking" dashboard in the Dashboards app: its spreadsheet is valid, every text it
shows has a Persian translation, and it opens in a real browser, in English and Persian, with
the KPI cells computed from the conversations (static/tests/tours/
order_tracking_kpi_dashboard_tour.js)."""

import json
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.translate import extract_spreadsheet_terms

from .report_common import ReportCase

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_FILE = ROOT / "data" / "files" / "order_tracking_dashboard.json"
PERSIAN_NAME = "پیگیری سفارش"


def persian_catalogue():
    """msgid → msgstr of fa.po and the pending Persian files (merged by the lead)."""
    import polib

    entries = {}
    for path in sorted((ROOT / "i18n").glob("*.po")):
        if path.name == "fa.po" or path.name.startswith("pending_"):
            entries.update({e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr})
    return entries


@tagged("post_install", "-at_install")
class TestReportDashboardFile(ReportCase):
    def test_dashboard_reads_existing_measures(self):
        data = json.loads(DASHBOARD_FILE.read_text(encoding="utf-8"))
        for pivot in data["pivots"].values():
            model = self.env[pivot["model"]]
            for measure in pivot["measures"]:
                if measure["fieldName"] == "__count":
                    continue
                with self.subTest(pivot=pivot["name"], measure=measure["id"]):
                    # The server computes every measure the dashboard asks for.
                    model._read_group([], [], [measure["id"]])
            for row in pivot["rows"]:
                self.assertIn(row["fieldName"], model._fields)

    def test_dashboard_record(self):
        dashboard = self.env.ref("order_tracking_chatbot.spreadsheet_dashboard_order_tracking")
        self.assertTrue(dashboard.is_published)
        stored = json.loads(dashboard.spreadsheet_data)
        self.assertEqual(stored["globalFilters"][0]["defaultValue"], "last_30_days")
        for role, user in self.users.items():
            self.assertIn(dashboard, self.env(user=user)["spreadsheet.dashboard"].search([]), role)

    def test_every_dashboard_text_has_persian(self):
        with DASHBOARD_FILE.open("rb") as fileobj:
            terms = {
                term for _line, _func, term, _c in extract_spreadsheet_terms(fileobj, [], [], {})
            }
        self.assertIn("Conversations", terms)
        missing = terms - set(persian_catalogue())
        self.assertFalse(missing, f"no Persian for {sorted(missing)}")


@tagged("post_install", "-at_install")
class TestReportDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Only the four conversations below count: earlier chats are made message-less.
        env.flush_all()
        env.cr.execute("UPDATE order_tracking_chat_session SET turn_count = 0")
        env.invalidate_all()
        yesterday = fields.Datetime.now() - timedelta(days=1)
        sessions = env["order.tracking.chat.session"].sudo()
        specs = [
            ("widget", "resolved", 200, 5, False, "track_order"),
            ("page", "escalated", 400, False, True, "track_order, human"),
            ("widget", "resolved", 1000, 2, False, "pre_purchase_cost"),
            ("api", "abandoned", 600, 4, False, "where_is_tracking_code"),
        ]
        created = sessions.create(
            [
                {
                    "token_hash": f"kpi-tour-{n}",
                    "channel": channel,
                    "outcome": outcome,
                    "first_response_ms": first,
                    **({"csat": csat} if csat else {}),  # the second one has no score
                    "handover": handover,
                    "intents": intents,
                    "turn_count": 3,
                    "company_id": env.company.id,
                }
                for n, (channel, outcome, first, csat, handover, intents) in enumerate(specs)
            ]
        )
        # The third one got a ticket although the bot resolved it: escalated.
        ticket = env["helpdesk.ticket"].sudo().create({"name": "KPI tour", "description": "x"})
        created[2].ticket_ids = ticket
        created.flush_recordset()
        env.cr.execute(
            "UPDATE order_tracking_chat_session SET create_date = %s WHERE id IN %s",
            (yesterday, tuple(created.ids)),
        )
        dashboard = env.ref("order_tracking_chatbot.spreadsheet_dashboard_order_tracking")
        dashboard.with_context(lang="fa_IR").name = PERSIAN_NAME
        cls.persian_user = new_test_user(
            env,
            login="ot_kpi_fa",
            groups="sales_team.group_sale_salesman",
            lang="fa_IR",
            name="Persian Sales Person",
        )

    def test_dashboard_in_english(self):
        self.start_tour("/odoo", "ot_kpi_dashboard_en", login="admin")

    def test_report_views_in_the_browser(self):
        action = self.env.ref("order_tracking_chatbot.action_order_tracking_report_conversation")
        self.start_tour(f"/odoo/action-{action.id}", "ot_kpi_reports", login="admin")

    def test_dashboard_in_persian(self):
        self.start_tour("/odoo", "ot_kpi_dashboard_fa", login="ot_kpi_fa")
