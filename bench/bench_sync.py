"""Benchmark of the tracking sync: the production code path against one-at-a-time polling.

Usage (with the venv's Python, from the repository root, against a THROWAWAY database where the
addon is installed — it commits like the cron does and leaves its shipments behind)::

    createdb -h 127.0.0.1 -T order_tracking_demo ot_bench   # (stop the demo server first)
    .devenv/venv/bin/python bench/bench_sync.py --db ot_bench --shipments 2000

Options: ``--config`` (default ``.devenv/odoo.conf``), ``--carriers`` (4), ``--delay`` (0.1 s,
the fake carrier's answer time), ``--batch-size`` (200) and ``--commit-size`` (25), the sync's,
``--workers-per-carrier`` (4), ``--total-workers`` (16), and ``--skip-exception-rules`` to
measure the sync without the exception rules it calls after each update.

What it does: starts a fake carrier API on 127.0.0.1 (``bench/fake_carrier.py``: a thread
answering every request after ``--delay`` seconds, bounded in requests and lifetime), creates
``--carriers`` carriers tracked through it and ``--shipments`` due deliveries spread over them
(batch creates and one SQL update), then runs the sync cron's code
(``order.tracking.sync._cron_sync_tracking``) three times on fresh shipments:

1. the production settings (concurrency capped per carrier);
2. one request at a time (``workers_per_carrier = total_workers = 1``): sequential polling;
3. the production settings on a quarter of the shipments, to show the SQL queries per shipment
   do not grow with the number of shipments.

It prints the time of each run, shipments per second, the speed-up and the SQL queries per
shipment (``cursor.sql_log_count``). The fake carrier's events are recent and normal, so the
shipments are simply in transit. No network: the only HTTP goes to 127.0.0.1.
"""

import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo_env import (  # bench/odoo_env.py: the script's folder is on sys.path
    database_parser,
    load_odoo,
)


def parse_args(argv=None):
    parser = database_parser(__doc__)
    parser.add_argument("--shipments", type=int, default=2000)
    parser.add_argument("--carriers", type=int, default=4)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--commit-size", type=int, default=25)
    parser.add_argument("--skip-exception-rules", action="store_true")
    parser.add_argument("--workers-per-carrier", type=int, default=4)
    parser.add_argument("--total-workers", type=int, default=16)
    return parser.parse_args(argv)


def recent_events(code):
    """Two normal events of the last hours, so no exception rule fires on the shipments."""
    from datetime import datetime, timezone

    from odoo.addons.order_tracking_chatbot.bench.fake_carrier import postex_event

    now = datetime.now(timezone.utc)
    registered, arrived = now - timedelta(hours=20), now - timedelta(hours=2)
    return [
        postex_event(
            registered.strftime("%Y-%m-%d"), registered.strftime("%H:%M"), "ثبت مرسوله", "10"
        ),
        postex_event(
            arrived.strftime("%Y-%m-%d"),
            arrived.strftime("%H:%M"),
            "ورود به مرکز مبادلات تهران",
            "20",
            "مرکز مبادلات تهران",
        ),
    ]


@contextmanager
def exception_rules(env, enabled):
    """Leave the exception rules in place, or (``--skip-exception-rules``) skip them."""
    if enabled or "order.tracking.exception" not in env:
        yield
        return
    with patch.object(
        env.registry["order.tracking.exception"],
        "_ot_on_tracking_update",
        lambda _self, picking, exception_hint=None: True,
    ):
        yield


def create_shipments(env, carriers, count, tag):
    """``count`` validated deliveries, due now, spread over ``carriers``; returns their ids."""
    from odoo import fields

    picking_type = env.ref("stock.picking_type_out")
    customers = env.ref("stock.stock_location_customers")
    partner = env["res.partner"].create({"name": f"Benchmark customer {tag}"})
    ids = []
    for start in range(0, count, 500):
        vals = [
            {
                "partner_id": partner.id,
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": customers.id,
                "carrier_id": carriers[index % len(carriers)].id,
                "carrier_tracking_ref": f"BENCH-{tag}-{index:05d}",
            }
            for index in range(start, min(start + 500, count))
        ]
        ids += env["stock.picking"].create(vals).ids
    env.flush_all()
    now = fields.Datetime.now()
    env.cr.execute(
        "UPDATE stock_picking SET state = 'done', date_done = %s, ot_next_check_at = %s "
        "WHERE id = ANY(%s)",
        (now - timedelta(days=1), now, ids),
    )
    env.invalidate_all()
    env.cr.commit()  # pylint: disable=invalid-commit - a benchmark, not addon code
    return ids


def run_once(env, fake, label, settings, shipments, rules):
    """Run the cron code once on due shipments; return (seconds, queries per shipment)."""
    params = env["ir.config_parameter"]
    for name, value in settings.items():
        params.set_param(f"order_tracking_chatbot.sync_{name}", str(value))
    env.cr.commit()  # pylint: disable=invalid-commit - a benchmark, not addon code
    fake.reset_counters()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    with exception_rules(env, rules):
        stats = env["order.tracking.sync"]._cron_sync_tracking()
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries_before
    if stats["shipments"] != shipments or stats["errors"]:
        sys.exit(f"{label}: expected {shipments} shipments without error, got {stats}")
    print(
        f"{label:<34} {shipments:>6} shipments {elapsed:8.2f} s {shipments / elapsed:9.1f}/s "
        f"{queries / shipments:7.1f} queries/shipment  {fake.requests} requests, "
        f"max {fake.max_in_flight} in flight"
    )
    return elapsed, queries / shipments


def main(argv=None):
    args = parse_args(argv)
    odoo, registry = load_odoo(args.config, args.db)
    from odoo import SUPERUSER_ID, api

    from odoo.addons.order_tracking_chatbot.bench.fake_carrier import (
        FakeCarrierServer,
    )

    production = {
        "batch_size": args.batch_size,
        "commit_size": args.commit_size,
        "workers_per_carrier": args.workers_per_carrier,
        "total_workers": args.total_workers,
    }
    sequential = {**production, "workers_per_carrier": 1, "total_workers": 1}
    budget = args.shipments * 3 + 100
    lifetime = args.shipments * args.delay * 2 + 600
    rules = not args.skip_exception_rules
    fake_server = FakeCarrierServer(
        delay=args.delay, max_requests=budget, lifetime=lifetime, events_factory=recent_events
    )
    with fake_server as fake, registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # Only the benchmark's shipments are due during the run.
            cr.execute("UPDATE stock_picking SET ot_next_check_at = NULL WHERE state = 'done'")
            product = env["product.product"].create({"name": "Bench shipping", "type": "service"})
            carriers = env["delivery.carrier"].create(
                [
                    {
                        "name": f"Bench carrier {index}",
                        "delivery_type": "fixed",
                        "product_id": product.id,
                        "ot_tracking_provider": "postex",
                        "ot_postex_api_key": "bench-key",
                        "ot_postex_courier": "IR_POST",
                        "ot_tracking_api_url": fake.url,
                    }
                    for index in range(args.carriers)
                ]
            )
            print(
                f"Odoo {odoo.release.version}, database {args.db}: {args.shipments} shipments "
                f"over {args.carriers} carriers, fake carrier answering in {args.delay * 1000:.0f}"
                f" ms, batches of {args.batch_size}, commit every {args.commit_size}, exception "
                f"rules {'on' if rules else 'off'}"
            )
            create_shipments(env, carriers, args.shipments, "A")
            fast, fast_queries = run_once(
                env,
                fake,
                f"production ({args.workers_per_carrier}/carrier, {args.total_workers} total)",
                production,
                args.shipments,
                rules,
            )
            create_shipments(env, carriers, args.shipments, "B")
            slow, slow_queries = run_once(
                env, fake, "one at a time (1 request)", sequential, args.shipments, rules
            )
            quarter = max(args.shipments // 4, 1)
            create_shipments(env, carriers, quarter, "C")
            _small, small_queries = run_once(
                env, fake, "production, a quarter of them", production, quarter, rules
            )
            print(f"speed-up over one at a time: {slow / fast:.1f}x")
            print(
                f"SQL queries per shipment: {fast_queries:.1f} (production), "
                f"{slow_queries:.1f} (one at a time), {small_queries:.1f} "
                f"({quarter} shipments)"
            )
        finally:
            # Restore the defaults; the benchmark's shipments stay (a throwaway database).
            cr.rollback()
            for name in production:
                env["ir.config_parameter"].set_param(f"order_tracking_chatbot.sync_{name}", "")


if __name__ == "__main__":
    main()
