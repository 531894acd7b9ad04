"""Benchmark of the customer notifications: N due SMS notifications sent by the cron's code
through a fake Kavenegar on 127.0.0.1 answering in ``--delay`` (100 ms).

Usage (with the venv's Python, from the repository root, against a THROWAWAY database where the
addon is installed — it commits like the cron does and leaves its orders and messages behind)::

    createdb -h 127.0.0.1 -T <a database with the addon> ot_bench
    .devenv/venv/bin/python bench/bench_notifications.py --db ot_bench --volumes 1000 3000 10000

What it does: points the company's SMS provider at the fake gateway (Kavenegar, its base URL
configurable), switches every event to SMS only and the quiet hours off, confirms ``--orders``
orders for customers with distinct mobiles, then for each volume inserts that many due
notification rows (one per (subject, event, channel) as the triggers would) and runs
``order.tracking.notification._cron_send_notifications`` — the production path: rows claimed
``FOR UPDATE SKIP LOCKED``, rendered from the ``sms.template``, posted on the order's chatter with
``_message_sms``, sent by Odoo's ``sms.sms.send()`` through the gateway's SMS API class,
committed per batch; the gateway calls of a batch run side by side, at most
``--concurrency`` at once. It prints messages per second, SQL queries per notification
(``cursor.sql_log_count``), the gateway requests and the most of them in flight at once, at each
volume. No network: the only HTTP goes to 127.0.0.1.
"""

import sys
import time

from odoo_env import (  # bench/odoo_env.py: the script's folder is on sys.path
    database_parser,
    load_odoo,
)


def parse_args(argv=None):
    parser = database_parser(__doc__)
    parser.add_argument("--volumes", type=int, nargs="+", default=[1000, 3000, 10000])
    # At least the batch size: a batch's notifications then belong to distinct orders, so
    # each text is distinct and takes its own gateway request, as real orders' do.
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="gateway calls in flight per batch (system parameter "
        "order_tracking_chatbot.sms_send_concurrency; default: the addon's, 8)",
    )
    return parser.parse_args(argv)


def setup(env, fake_url, orders, concurrency):
    """The company on the fake gateway, SMS-only switches, ``orders`` confirmed orders."""
    from odoo import Command

    from odoo.addons.order_tracking_chatbot.models.order_tracking_notification_rule import EVENTS

    company = env.company
    company.write(
        {
            "ot_sms_provider": "kavenegar",
            "ot_sms_api_url": fake_url,
            "ot_sms_api_key": "bench-key",
            "ot_sms_sender": "30005006",
            "ot_notify_quiet_start": 0.0,
            "ot_notify_quiet_end": 0.0,
        }
    )
    param = "order_tracking_chatbot.sms_send_concurrency"
    if concurrency:
        env["ir.config_parameter"].set_param(param, str(concurrency))
    rules = env["order.tracking.notification.rule"]
    rules.search([("company_id", "=", company.id)]).unlink()
    rules.create(
        [{"company_id": company.id, "event": e, "sms": True, "email": False} for e in EVENTS]
    )
    product = env["product.product"].create({"name": "Bench saffron", "type": "consu"})
    iran = env.ref("base.ir")
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i}", "phone": f"+98912{i:07d}", "country_id": iran.id}
            for i in range(orders)
        ]
    )
    sale_orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
            for partner in partners
        ]
    )
    sale_orders.action_confirm()
    env.cr.commit()  # pylint: disable=invalid-commit - a benchmark, not addon code
    return sale_orders


def insert_due(env, orders, count, tag):
    """``count`` due SMS rows spread over ``orders`` (bench subjects, unique like real ones)."""
    env.cr.execute(
        """
        INSERT INTO order_tracking_notification
            (res_model, res_id, event, channel, order_id, partner_id, company_id, recipient,
             recipient_masked, lang, state, scheduled_at, create_uid, create_date, write_uid,
             write_date)
        SELECT %s, n, 'confirmed', 'sms', so.id, so.partner_id, so.company_id, p.phone_sanitized,
               'bench', 'en_US', 'queued', now() at time zone 'UTC' - interval '1 minute',
               1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM generate_series(1, %s) n
          JOIN sale_order so ON so.id = (%s::int[])[1 + n %% %s]
          JOIN res_partner p ON p.id = so.partner_id
        """,
        (f"bench.{tag}", count, orders.ids, len(orders)),
    )
    env.cr.commit()  # pylint: disable=invalid-commit - a benchmark, not addon code


def run(env, fake, count, batch_size):
    notifications = env["order.tracking.notification"]
    fake.reset_counters()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    notifications._cron_send_notifications(batch_size=batch_size)
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries_before
    sent = fake.messages
    if sent != count:
        sys.exit(f"expected {count} messages at the gateway, got {sent}")
    print(
        f"{count:>6} notifications {elapsed:8.1f} s {count / elapsed:7.1f} messages/s "
        f"{queries / count:6.1f} queries/notification  {fake.requests} gateway requests, "
        f"at most {fake.peak_in_flight} at once"
    )


def main(argv=None):
    args = parse_args(argv)
    odoo, registry = load_odoo(args.config, args.db)
    from odoo import SUPERUSER_ID, api

    from odoo.addons.order_tracking_chatbot.bench.fake_sms_gateway import FakeSmsGatewayServer

    budget = sum(args.volumes) + args.orders + 100
    fake_server = FakeSmsGatewayServer(delay=args.delay, max_requests=budget)
    with fake_server as fake, registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        orders = setup(env, fake.url, args.orders, args.concurrency)
        # The orders' own "confirmed" notifications first, so each volume is measured alone.
        env["order.tracking.notification"]._cron_send_notifications()
        from odoo.addons.order_tracking_chatbot.models.settings import read_setting

        print(
            f"Odoo {odoo.release.version}, database {args.db}: fake Kavenegar answering in "
            f"{args.delay * 1000:.0f} ms, batches of {args.batch_size}, "
            f"{read_setting(env, 'sms_send_concurrency')} gateway calls in flight at most, "
            f"{args.orders} orders"
        )
        for index, count in enumerate(args.volumes):
            insert_due(env, orders, count, f"run{int(time.time())}.{index}")
            run(env, fake, count, args.batch_size)


if __name__ == "__main__":
    main()
