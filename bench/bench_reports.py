"""Benchmark of the KPI reports: the reporting queries at ``--conversations`` (100,000) chats.

Usage (with the venv's Python, from the repository root, against a database where the addon is
installed; everything happens in one transaction that is rolled back, so the database is left as
it was, unless ``--keep``)::

    .devenv/venv/bin/python bench/bench_reports.py --db ot_bench --conversations 100000

What it does: inserts the chats with one SQL ``INSERT ... SELECT generate_series`` (a benchmark
of the reporting queries, not of the chat: channels incl. messengers, both languages, outcomes,
operators, tickets on some, first-response times, CSAT on some, intents, carriers and provinces,
spread over ``--days`` days), plus ``--notifications`` notification rows, runs ``ANALYZE``, then
times each reporting query the backend and the dashboard make (``_read_group`` with the reports'
own aggregators, median and p90 included) and the whole dashboard data fetch (every pivot of
data/files/order_tracking_dashboard.json for the current and the previous period). Each timing
is the best and the median of ``--repeat`` runs, in milliseconds. A rolled-back run leaves dead
rows behind until autovacuum passes: ``VACUUM ANALYZE order_tracking_chat_session`` between runs
keeps them comparable.
"""

import json
import os
import statistics
import sys
import time
from datetime import date, timedelta

from odoo_env import (  # bench/odoo_env.py: the script's folder is on sys.path
    database_parser,
    load_odoo,
)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DASHBOARD = os.path.join(ROOT, "data", "files", "order_tracking_dashboard.json")

CHANNELS = ["widget", "widget", "widget", "page", "api", "telegram", "bale"]
INTENTS = [
    "track_order",
    "greeting, track_order",
    "track_mobile",
    "track_code",
    "where_is_tracking_code",
    "why_no_update",
    "delay_complaint, human",
    "pre_purchase_cost",
    "pre_purchase_time",
    "change_address",
    "thanks",
]
OUTCOMES = ["resolved", "resolved", "resolved", "escalated", "abandoned", "open"]


def parse_args(argv=None):
    parser = database_parser(__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--notifications", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="commit the generated rows")
    return parser.parse_args(argv)


def insert_conversations(env, count, days):
    """``count`` chats spread over the last ``days`` days, in one INSERT (with what the chat
    model stores for the reports, from the same definitions)."""
    from odoo.addons.order_tracking_chatbot.conversation.kpi import is_wismo, primary_intent

    cr = env.cr
    carriers = env["delivery.carrier"].search([]).ids or [None]
    states = env["res.country.state"].search([("country_id.code", "=", "IR")]).ids or [None]
    cr.execute(
        """
        INSERT INTO order_tracking_chat_session
            (token_hash, channel, lang, company_id, level, outcome, handover, first_response_ms,
             csat, turn_count, intents, kpi_intent, kpi_wismo, carrier_id, destination_state_id,
             create_date, write_date, last_activity_at, create_uid, write_uid)
        SELECT md5('bench-' || g || '-' || random()),
               (%(channels)s::varchar[])[1 + g %% %(n_channels)s],
               CASE WHEN g %% 3 = 0 THEN 'en_US' ELSE 'fa_IR' END,
               %(company)s,
               CASE WHEN g %% 4 = 0 THEN '2' ELSE '1' END,
               (%(outcomes)s::varchar[])[1 + g %% %(n_outcomes)s],
               g %% 11 = 0,
               50 + (random() * random() * 3000)::int,
               CASE WHEN g %% 5 = 0 THEN 1 + g %% 5 END,
               1 + g %% 6,
               (%(intents)s::varchar[])[1 + g %% %(n_intents)s],
               (%(primary)s::varchar[])[1 + g %% %(n_intents)s],
               (%(wismo)s::bool[])[1 + g %% %(n_intents)s],
               (%(carriers)s::int[])[1 + g %% %(n_carriers)s],
               (%(states)s::int[])[1 + g %% %(n_states)s],
               now() at time zone 'UTC' - (random() * %(days)s) * interval '1 day',
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM generate_series(1, %(count)s) AS g
        RETURNING id
        """,
        {
            "channels": CHANNELS,
            "n_channels": len(CHANNELS),
            "outcomes": OUTCOMES,
            "n_outcomes": len(OUTCOMES),
            "intents": INTENTS,
            "primary": [primary_intent(i) for i in INTENTS],
            "wismo": [is_wismo(i) for i in INTENTS],
            "n_intents": len(INTENTS),
            "carriers": carriers,
            "n_carriers": len(carriers),
            "states": states,
            "n_states": len(states),
            "company": env.company.id,
            "days": days,
            "count": count,
        },
    )
    ids = [row[0] for row in cr.fetchall()]
    tickets = env["helpdesk.ticket"].search([], limit=50).ids
    if tickets:
        field = env["order.tracking.chat.session"]._fields["ticket_ids"]
        cr.execute(
            f'INSERT INTO "{field.relation}" ("{field.column1}", "{field.column2}") '
            "SELECT s, (%s::int[])[1 + s %% %s] FROM unnest(%s::int[]) AS s WHERE s %% 13 = 0 "
            "ON CONFLICT DO NOTHING",
            (tickets, len(tickets), ids),
        )
    return len(ids)


def insert_notifications(env, count, days):
    env.cr.execute(
        """
        INSERT INTO order_tracking_notification
            (res_model, res_id, event, channel, company_id, state, create_date, write_date,
             create_uid, write_uid)
        SELECT 'bench.subject', g,
               (ARRAY['handed_to_carrier','delivered','delayed','confirmed'])[1 + g %% 4],
               CASE WHEN g %% 3 = 0 THEN 'email' ELSE 'sms' END,
               %(company)s,
               (ARRAY['sent','sent','sent','failed','queued','skipped'])[1 + g %% 6],
               now() at time zone 'UTC' - (random() * %(days)s) * interval '1 day',
               now() at time zone 'UTC', 1, 1
          FROM generate_series(1, %(count)s) AS g
        """,
        {"company": env.company.id, "days": days, "count": count},
    )
    return env.cr.rowcount


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def queries(env):
    """``[(label, callable)]``: what the backend views and the dashboard ask."""
    today = date.today()
    last30 = [("day", ">=", str(today - timedelta(days=29)))]
    conv = env["order.tracking.report.conversation"]
    wismo = env["order.tracking.report.wismo"]
    notifications = env["order.tracking.report.notification"]
    exceptions = env["order.tracking.report.exception"]
    headline = [
        "__count",
        "deflection_rate:avg",
        "resolution_rate:avg",
        "escalation_rate:avg",
        "first_response_median_ms:median",
        "first_response_p90_ms:p90",
        "csat:avg",
        "csat_count:sum",
    ]
    wismo_measures = ["shipped_orders:sum", "wismo_questions:sum", "wismo_per_100_shipped:ratio"]
    sent = ["sent:sum", "delivered:sum", "failed:sum", "delivery_rate:ratio"]
    resolution = ["__count", "resolution_median_hours:median"]
    return [
        ("conversations, headline KPIs, last 30 days", conv, last30, [], headline),
        ("conversations by week, all days", conv, [], ["day:week"], headline),
        ("conversations by channel group, 30 days", conv, last30, ["channel_group"], headline),
        ("conversations by carrier x province, 30 days", conv, last30, ["carrier_id", "state_id"],
         headline),
        ("conversations by intent x language, 30 days", conv, last30, ["intent", "lang"], headline),
        ("where-is-my-order per 100 shipped, by week", wismo, [], ["day:week"], wismo_measures),
        ("notifications by channel, 30 days", notifications, last30, ["channel"], sent),
        ("exceptions by type, 30 days", exceptions, last30, ["exception_type"], resolution),
    ]  # fmt: skip


def dashboard_fetch(env):
    """Every pivot of the dashboard, for the last 30 days and the 30 days before."""
    with open(DASHBOARD, encoding="utf-8") as handle:
        pivots = json.load(handle)["pivots"].values()
    today = date.today()
    periods = {
        0: [("day", ">=", str(today - timedelta(days=29))), ("day", "<=", str(today))],
        -1: [
            ("day", ">=", str(today - timedelta(days=59))),
            ("day", "<=", str(today - timedelta(days=30))),
        ],
    }

    def fetch():
        for pivot in pivots:
            offset = next(iter(pivot["fieldMatching"].values())).get("offset", 0)
            groupby = [
                ":".join(filter(None, (row["fieldName"], row.get("granularity"))))
                for row in pivot["rows"]
            ]
            env[pivot["model"]].formatted_read_group(
                periods[offset], groupby, [m["id"] for m in pivot["measures"]]
            )

    return fetch


def main(argv=None):
    args = parse_args(argv)
    odoo, registry = load_odoo(args.config, args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        inserted = insert_conversations(env, args.conversations, args.days)
        notified = insert_notifications(env, args.notifications, args.days)
        cr.execute("ANALYZE order_tracking_chat_session")
        cr.execute("ANALYZE order_tracking_notification")
        print(
            f"inserted {inserted} conversations and {notified} notifications "
            f"in {time.perf_counter() - start:.1f} s"
        )
        env.cr.execute("SELECT count(*) FROM order_tracking_report_conversation")
        print(f"conversation report rows: {env.cr.fetchone()[0]}")
        print(f"{'query':<50} {'best ms':>9} {'median ms':>10}")
        runs = [
            (label, lambda m=model, d=domain, g=groupby, a=aggregates: m._read_group(d, g, a))
            for label, model, domain, groupby, aggregates in queries(env)
        ]
        conv = env["order.tracking.report.conversation"]
        runs.append(
            (
                "pivot view (formatted_read_group), by week",
                lambda: conv.formatted_read_group([], ["day:week"], ["__count", "csat:avg"]),
            )
        )
        runs.append(("dashboard data fetch (all pivots, 2 periods)", dashboard_fetch(env)))
        for label, function in runs:
            best, median = timed(function, args.repeat)
            print(f"{label:<50} {best:9.1f} {median:10.1f}")
        if args.keep:
            cr.commit()
        else:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
