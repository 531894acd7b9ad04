"""Writes data/files/order_tracking_dashboard.json, the "Order Tracking" KPI dashboard.

The dashboard is an Odoo spreadsheet (the Dashboards app): spreadsheet pivots over the KPI
reports (models/order_tracking_report_*.py), a hidden "Data" sheet holding each headline KPI once
(current period and the period before), scorecards reading it, the weekly trend and breakdowns by
channel, carrier and province. The pivots ask the server for the reports' own aggregators
(``median``, ``p90``, ``ratio``), so the numbers are the ones the backend pivots show.

Run ``python3 tools/build_report_dashboard.py`` after changing it; the JSON is committed.
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "files" / "order_tracking_dashboard.json"
PERIOD = "9b1d2e4f-0a7c-4c61-9d35-ot0kpi000001"
CONV = "order.tracking.report.conversation"
WISMO = "order.tracking.report.wismo"
EXC = "order.tracking.report.exception"
NOTIF = "order.tracking.report.notification"
ACTIONS = {
    CONV: "order_tracking_chatbot.action_order_tracking_report_conversation",
    WISMO: "order_tracking_chatbot.action_order_tracking_report_wismo",
    EXC: "order_tracking_chatbot.action_order_tracking_report_exception",
    NOTIF: "order_tracking_chatbot.action_order_tracking_report_notification",
}
MENU = "order_tracking_chatbot.menu_order_tracking_reporting"

CONV_MEASURES = [
    ("__count", None),
    ("deflection_rate", "avg"),
    ("resolution_rate", "avg"),
    ("escalation_rate", "avg"),
    ("first_response_median_ms", "median"),
    ("first_response_p90_ms", "p90"),
    ("csat", "avg"),
    ("csat_count", "sum"),
]


def measure(field, aggregator):
    if field == "__count":
        return {"id": "__count", "fieldName": "__count", "aggregator": "sum"}
    return {"id": f"{field}:{aggregator}", "fieldName": field, "aggregator": aggregator}


def pivot(pid, model, name, measures, rows=(), offset=0, sort=None):
    return {
        "type": "ODOO",
        "fieldMatching": {PERIOD: {"chain": "day", "type": "date", "offset": offset}},
        "context": {},
        "domain": [],
        "id": str(pid),
        "measures": [measure(*m) for m in measures],
        "model": model,
        "name": name,
        "sortedColumn": sort,
        "formulaId": str(pid),
        "columns": [],
        "rows": list(rows),
    }


PIVOTS = {
    "1": pivot(1, CONV, "Conversations - current", CONV_MEASURES),
    "2": pivot(2, CONV, "Conversations - previous", CONV_MEASURES, offset=-1),
    "3": pivot(
        3,
        WISMO,
        "Where is my order - current",
        [
            ("shipped_orders", "sum"),
            ("wismo_questions", "sum"),
            ("wismo_per_100_shipped", "ratio"),
        ],
    ),
    "4": pivot(
        4,
        WISMO,
        "Where is my order - previous",
        [
            ("shipped_orders", "sum"),
            ("wismo_questions", "sum"),
            ("wismo_per_100_shipped", "ratio"),
        ],
        offset=-1,
    ),
    "5": pivot(
        5,
        EXC,
        "Exceptions - current",
        [
            ("__count", None),
            ("open_count", "sum"),
            ("resolution_median_hours", "median"),
        ],
    ),
    "6": pivot(
        6,
        NOTIF,
        "Notifications - current",
        [
            ("sent", "sum"),
            ("delivered", "sum"),
            ("failed", "sum"),
            ("delivery_rate", "ratio"),
        ],
    ),
    "7": pivot(
        7,
        CONV,
        "Weekly trend",
        CONV_MEASURES[:7],
        rows=[{"fieldName": "day", "granularity": "week"}],
    ),
    "8": pivot(
        8,
        CONV,
        "By channel",
        CONV_MEASURES[:4] + [("csat", "avg")],
        rows=[{"fieldName": "channel_group"}],
        sort={"domain": [], "order": "desc", "measure": "__count"},
    ),
    "9": pivot(
        9,
        CONV,
        "By carrier",
        CONV_MEASURES[:4] + [("csat", "avg")],
        rows=[{"fieldName": "carrier_id"}],
        sort={"domain": [], "order": "desc", "measure": "__count"},
    ),
    "10": pivot(
        10,
        CONV,
        "By province",
        CONV_MEASURES[:4] + [("csat", "avg")],
        rows=[{"fieldName": "state_id"}],
        sort={"domain": [], "order": "desc", "measure": "__count"},
    ),
}

# The Data sheet: one row per headline KPI; column B this period, C the period before.
# (label, current formula, previous formula, format id)
KPIS = [
    ("Conversations", 'PIVOT.VALUE(1,"__count")', 'PIVOT.VALUE(2,"__count")', 1),
    (
        "Deflection (%)",
        'PIVOT.VALUE(1,"deflection_rate:avg")',
        'PIVOT.VALUE(2,"deflection_rate:avg")',
        2,
    ),
    (
        "Resolved without operator (%)",
        'PIVOT.VALUE(1,"resolution_rate:avg")',
        'PIVOT.VALUE(2,"resolution_rate:avg")',
        2,
    ),
    (
        "Escalation (%)",
        'PIVOT.VALUE(1,"escalation_rate:avg")',
        'PIVOT.VALUE(2,"escalation_rate:avg")',
        2,
    ),
    (
        "First response, median (s)",
        'PIVOT.VALUE(1,"first_response_median_ms:median")/1000',
        'PIVOT.VALUE(2,"first_response_median_ms:median")/1000',
        3,
    ),
    (
        "First response, p90 (s)",
        'PIVOT.VALUE(1,"first_response_p90_ms:p90")/1000',
        'PIVOT.VALUE(2,"first_response_p90_ms:p90")/1000',
        3,
    ),
    ("CSAT (1-5)", 'PIVOT.VALUE(1,"csat:avg")', 'PIVOT.VALUE(2,"csat:avg")', 4),
    ("CSAT responses", 'PIVOT.VALUE(1,"csat_count:sum")', 'PIVOT.VALUE(2,"csat_count:sum")', 1),
    (
        "Where-is-my-order chats per 100 shipped orders",
        'PIVOT.VALUE(3,"wismo_per_100_shipped:ratio")',
        'PIVOT.VALUE(4,"wismo_per_100_shipped:ratio")',
        4,
    ),
    (
        "Shipped orders",
        'PIVOT.VALUE(3,"shipped_orders:sum")',
        'PIVOT.VALUE(4,"shipped_orders:sum")',
        1,
    ),
    ("Exceptions raised", 'PIVOT.VALUE(5,"__count")', None, 1),
    ("Exceptions open", 'PIVOT.VALUE(5,"open_count:sum")', None, 1),
    (
        "Exception resolution, median (h)",
        'PIVOT.VALUE(5,"resolution_median_hours:median")',
        None,
        4,
    ),
    ("Notifications sent", 'PIVOT.VALUE(6,"sent:sum")', None, 1),
    ("Notifications delivered (% of sent)", 'PIVOT.VALUE(6,"delivery_rate:ratio")', None, 2),
    ("Notifications failed", 'PIVOT.VALUE(6,"failed:sum")', None, 1),
]
# Scorecards on the dashboard: (Data row, title, background, lower is better)
CARDS = [
    (2, "Conversations", "#EFF6FF", False),
    (3, "Deflection (%)", "#EFF6FF", False),
    (4, "Resolved without operator (%)", "#EFF6FF", False),
    (5, "Escalation (%)", "#FFF7ED", True),
    (6, "First response, median (s)", "#FFF7ED", True),
    (7, "First response, p90 (s)", "#FFF7ED", True),
    (8, "CSAT (1-5)", "#EFF6FF", False),
    (10, "Where-is-my-order chats per 100 shipped orders", "#FFF7ED", True),
    (12, "Exceptions raised", "#FFF7ED", True),
    (16, "Notifications delivered (% of sent)", "#EFF6FF", False),
]


def view_link(label, model, view_type, group_by):
    action = {
        "viewType": view_type,
        "action": {
            "xmlId": ACTIONS[model],
            "domain": [],
            "context": {"group_by": group_by},
            "modelName": model,
            "views": [[False, "pivot"], [False, "graph"]],
        },
        "threshold": 0,
        "name": label,
    }
    return f"[{label}](odoo://view/{json.dumps(action, separators=(',', ':'))})"


def t(text):
    return f'=_t("{text}")'


def build():
    data_cells = {"A1": t("KPI"), "B1": t("Current"), "C1": t("Previous")}
    data_formats = {}
    for i, (label, current, previous, fmt) in enumerate(KPIS, start=2):
        data_cells[f"A{i}"] = t(label)
        data_cells[f"B{i}"] = f'=IFERROR({current}, "")'
        data_formats[f"B{i}"] = fmt
        if previous:
            data_cells[f"C{i}"] = f'=IFERROR({previous}, "")'
            data_formats[f"C{i}"] = fmt

    figures = []
    for n, (row, title, background, lower_better) in enumerate(CARDS):
        figure_id = f"ot-kpi-card-{n:02d}"
        card = {
            "type": "scorecard",
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": background,
            "keyValue": f"Data!B{row}",
            "humanize": False,
            "baselineMode": "difference",
            "baselineColorUp": "#DC6965" if lower_better else "#00A04A",
            "baselineColorDown": "#00A04A" if lower_better else "#DC6965",
        }
        if row in (2, 3, 4, 5, 6, 7, 8, 10):
            card["baseline"] = f"Data!C{row}"
            card["baselineDescr"] = {"text": "since last period"}
        figures.append(
            {
                "id": figure_id,
                "col": 0,
                "row": 1 + 5 * (n // 5),
                "offset": {"x": (n % 5) * 230, "y": 4},
                "width": 220,
                "height": 100,
                "tag": "chart",
                "data": {**card, "chartId": figure_id},
            }
        )
    figures.append(
        {
            "id": "ot-kpi-trend-chart",
            "col": 0,
            "row": 12,
            "offset": {"x": 0, "y": 8},
            "width": 1140,
            "height": 300,
            "tag": "chart",
            "data": {
                "title": {"text": "Deflection and escalation by week (%)"},
                "background": "#FFFFFF",
                "legendPosition": "top",
                "metaData": {
                    "groupBy": ["day:week"],
                    "measure": "deflection_rate",
                    "order": None,
                    "resModel": CONV,
                    "mode": "line",
                },
                "searchParams": {
                    "comparison": None,
                    "context": {},
                    "domain": [],
                    "groupBy": ["day:week"],
                    "orderBy": [],
                },
                "type": "odoo_line",
                "dataSets": [{}],
                "verticalAxisPosition": "left",
                "stacked": False,
                "cumulative": False,
                "fieldMatching": {PERIOD: {"chain": "day", "type": "date"}},
                "chartId": "ot-kpi-trend-chart",
            },
        }
    )

    cells = {
        "A1": t("Order Tracking: how the bot serves your customers"),
        "A12": view_link("Weekly trend", CONV, "graph", ["day:week"]),
        "A29": view_link("Conversations by week", CONV, "pivot", ["day:week"]),
        "A30": "=PIVOT(7, 20, TRUE, TRUE)",
        "A52": view_link("By channel", CONV, "pivot", ["channel_group"]),
        "A53": "=PIVOT(8, 10, TRUE, TRUE)",
        "A66": view_link("By carrier", CONV, "pivot", ["carrier_id"]),
        "A67": "=PIVOT(9, 15, TRUE, TRUE)",
        "A84": view_link("By province", CONV, "pivot", ["state_id"]),
        "A85": "=PIVOT(10, 32, TRUE, TRUE)",
    }
    styles = {k: 1 for k in ("A1", "A12", "A29", "A52", "A66", "A84")}
    dashboard = {
        "id": "ot-kpi-dashboard",
        "name": "Dashboard",
        "colNumber": 10,
        "rowNumber": 130,
        "rows": {"0": {"size": 40}},
        "cols": {"0": {"size": 230}},
        "merges": [],
        "cells": cells,
        "styles": styles,
        "formats": {},
        "borders": {},
        "conditionalFormats": [],
        "dataValidationRules": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": False,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "comments": {},
    }
    data_sheet = {
        "id": "ot-kpi-data",
        "name": "Data",
        "colNumber": 5,
        "rowNumber": 40,
        "rows": {},
        "cols": {"0": {"size": 300}, "1": {"size": 110}, "2": {"size": 110}},
        "merges": [],
        "cells": data_cells,
        "styles": {},
        "formats": data_formats,
        "borders": {},
        "conditionalFormats": [],
        "dataValidationRules": [],
        "figures": [],
        "tables": [],
        "areGridLinesVisible": True,
        "isVisible": False,
        "headerGroups": {"ROW": [], "COL": []},
        "comments": {},
    }
    return {
        "version": "18.5.10",
        "sheets": [dashboard, data_sheet],
        "styles": {"1": {"textColor": "#01666b", "bold": True, "fontSize": 16}},
        "formats": {"1": "#,##0", "2": '0.0"%"', "3": "0.00", "4": "0.00"},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 7,
            }
        },
        "pivots": PIVOTS,
        "pivotNextId": len(PIVOTS) + 1,
        "customTableStyles": {},
        "globalFilters": [
            {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "last_30_days"},
        ],
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {f["id"]: MENU for f in figures},
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
