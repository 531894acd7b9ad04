"""Chat benchmark: chat turns per second and latency through the public JSON API, with a large
order book and concurrent visitors.

Run it from the repository root, after `make test` or `make demo` built the environment:

    .devenv/venv/bin/python bench/bench_chat.py --db ot_bench --orders 100000 \
        --clients 20 --turns 2000

What it does (each step prints its name and how long it took; under 10 minutes on 2 cores, 4 of
them the measured run):

1. Creates the database ``--db`` as a copy of the dependency template database of tools/db.sh
   (never the demo database) and installs the addon with its demo shop. ``--reuse-db`` keeps an
   existing benchmark database that already holds the orders, to measure again quickly.
2. Adds ``--orders`` orders with SQL: each is a copy of one of the demo orders (so every stored
   field, stage and exception is realistic), with its own number, customer (one per five orders,
   each with its own mobile) and, when the demo order has shipped, its own shipment and tracking
   code. This takes a minute or two where the ORM would take an hour.
3. Starts Odoo on 127.0.0.1 on a free port (``--workers`` processes, behind a simulated proxy so
   that each chat session comes from its own client IP, as it would in production) and waits
   until it answers.
4. Runs ``--clients`` threads. Each one holds conversations the way visitors do, in Persian or
   English: start a session, ask for a known order, give the last four digits of its mobile, ask
   for a tracking code, ask for an unknown order, ask a pre-purchase shipping question. The
   threads stop after ``--turns`` chat turns in total, or after ``--seconds``.
5. Prints chat turns per second, p50/p95/p99 latency, the HTTP statuses seen, and stops Odoo.

A "chat turn" is one ``POST .../messages``; session starts are measured apart. The database is
kept for later runs (``--drop`` removes it at the end).
"""

import argparse
import configparser
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
DEVENV = ROOT / ".devenv"
ODOO_CONF = DEVENV / "odoo.conf"
PYTHON = DEVENV / "venv" / "bin" / "python"
API = "/order-tracking/api/v1"
DEMO_DB = os.environ.get("DEMO_DB", "order_tracking_demo")
# Benchmark orders are numbered from here, far above the demo shop's own S000xx numbers.
FIRST_NUMBER = 200001
ORDERS_PER_CUSTOMER = 5
REQUEST_TIMEOUT = 60

FA_CITIES = ("شیراز", "تبریز", "اصفهان", "مشهد", "اهواز")
EN_CITIES = ("Shiraz", "Tabriz", "Isfahan", "Mashhad", "Ahvaz")


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Step:
    """Print a step's name, then how long it took."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.start = time.monotonic()
        say(f"==> {self.name}")
        return self

    def __exit__(self, *exc):
        say(f"    ({time.monotonic() - self.start:.1f} s)")


# ---------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------


def db_params():
    config = configparser.ConfigParser()
    config.read(ODOO_CONF)
    options = config["options"] if config.has_section("options") else {}
    return {
        "host": os.environ.get("PGHOST") or options.get("db_host") or "127.0.0.1",
        "port": os.environ.get("PGPORT") or options.get("db_port") or "5432",
        "user": os.environ.get("PGUSER") or options.get("db_user") or None,
        "password": os.environ.get("PGPASSWORD") or options.get("db_password") or None,
    }


def connect(dbname):
    params = {k: v for k, v in db_params().items() if v not in (None, "", "False")}
    return psycopg2.connect(dbname=dbname, **params)


def database_exists(name):
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def dependency_template():
    """The template database tools/db.sh keeps (built there, once per machine, if missing)."""
    script = "source tools/lib.sh && source tools/db.sh && ensure_dependency_template"
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"could not get the template database:\n{result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1]


def create_database(name, template):
    conn = connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cr.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    conn.close()


def drop_database(name):
    conn = connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()


def odoo_command(db):
    return [str(PYTHON), "-m", "odoo", "-c", str(ODOO_CONF), "-d", db, "--db-filter", f"^{db}$"]


def install_addon(db, log_path):
    cmd = [
        *odoo_command(db),
        "-i",
        "order_tracking_chatbot",
        "--stop-after-init",
        "--log-level=warn",
    ]
    with open(log_path, "w") as log:
        result = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        sys.exit(f"installing the addon failed, see {log_path}")


def columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = %s AND column_name <> 'id'
         ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone_rows(cr, table, source_ids_sql, overrides, count_sql_params):
    """INSERT INTO table SELECT a copy of one source row per generated row, with overrides.

    ``source_ids_sql`` is a SELECT yielding ``(g, src_id)`` pairs; ``overrides`` maps a column to
    an SQL expression over ``g`` (the row number) and ``src`` (the source row).
    """
    cols = columns(cr, table)
    select = [
        sql.SQL(overrides[c]) if c in overrides else sql.SQL("src.{}").format(sql.Identifier(c))
        for c in cols
    ]
    query = sql.SQL(
        "INSERT INTO {table} ({cols}) SELECT {select} FROM ({pairs}) AS pairs "
        "JOIN {table} AS src ON src.id = pairs.src_id"
    ).format(
        table=sql.Identifier(table),
        cols=sql.SQL(", ").join(map(sql.Identifier, cols)),
        select=sql.SQL(", ").join(select),
        pairs=sql.SQL(source_ids_sql),
    )
    cr.execute(query, count_sql_params)
    return cr.rowcount


def fill_orders(db, count):
    """Add ``count`` orders (and their customers and shipments) copied from the demo orders."""
    conn = connect(db)
    with conn, conn.cursor() as cr:
        cr.execute(
            """SELECT so.id, so.partner_id, so.ot_main_picking_id
                 FROM sale_order so
                WHERE so.client_order_ref LIKE 'DEMO-%'
                ORDER BY so.id"""
        )
        demo = cr.fetchall()
        if not demo:
            sys.exit("the database has no demo orders: was the addon installed with demo data?")
        demo_order_ids = [row[0] for row in demo]
        demo_partner_id = demo[0][1]
        customers = max(1, count // ORDERS_PER_CUSTOMER)

        # Customers: one per five orders, each with its own Iranian mobile.
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
        partner_floor = cr.fetchone()[0]  # the new customers are the rows above it
        clone_rows(
            cr,
            "res_partner",
            "SELECT g, %(partner)s AS src_id FROM generate_series(1, %(customers)s) AS g",
            {
                "name": "'Bench Customer ' || g",
                "complete_name": "'Bench Customer ' || g",
                "email": "'bench.customer' || g || '@example.com'",
                "phone": "'+98912' || lpad(g::text, 7, '0')",
                "phone_sanitized": "'+98912' || lpad(g::text, 7, '0')",
                "ot_mobile_e164": "'+98912' || lpad(g::text, 7, '0')",
                "create_date": "now() at time zone 'utc'",
                "write_date": "now() at time zone 'utc'",
            },
            {"partner": demo_partner_id, "customers": customers},
        )
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id > %s RETURNING id",
            [partner_floor],
        )
        partner_ids = sorted(row[0] for row in cr.fetchall())

        # Orders, each a copy of a demo order (round robin over the stages).
        clone_rows(
            cr,
            "sale_order",
            """SELECT g, (%(demo)s::int[])[1 + (g %% cardinality(%(demo)s::int[]))] AS src_id
                 FROM generate_series(1, %(count)s) AS g""",
            {
                "name": f"'S' || ({FIRST_NUMBER} - 1 + g)",
                "client_order_ref": "'BENCH-' || g",
                "partner_id": "(%(partners)s::int[])[1 + ((g - 1) %% %(customers)s)]",
                "partner_invoice_id": "(%(partners)s::int[])[1 + ((g - 1) %% %(customers)s)]",
                "partner_shipping_id": "(%(partners)s::int[])[1 + ((g - 1) %% %(customers)s)]",
                "date_order": "(now() at time zone 'utc') - (g %% 60) * interval '1 day'",
                "create_date": "(now() at time zone 'utc') - (g %% 60) * interval '1 day'",
                "write_date": "now() at time zone 'utc'",
                "access_token": "md5(random()::text)",
                "ot_main_picking_id": "NULL",
            },
            {
                "demo": demo_order_ids,
                "count": count,
                "partners": partner_ids,
                "customers": len(partner_ids),
            },
        )

        # Shipments of the orders whose demo original has shipped, each with a tracking code.
        clone_rows(
            cr,
            "stock_picking",
            """SELECT so.id AS g, so.name AS so_name, so.partner_shipping_id AS so_partner,
                      src.ot_main_picking_id AS src_id
                 FROM sale_order so
                 JOIN sale_order src ON src.id = (%(demo)s::int[])[
                      1 + (split_part(so.client_order_ref, '-', 2)::int
                           %% cardinality(%(demo)s::int[]))]
                WHERE so.client_order_ref LIKE 'BENCH-%%'
                  AND src.ot_main_picking_id IS NOT NULL""",
            {
                "name": "'WH/OUT/B' || lpad(g::text, 7, '0')",
                "origin": "so_name",
                "sale_id": "g",
                "partner_id": "so_partner",
                "carrier_tracking_ref": "'1' || lpad(g::text, 19, '0')",
                "create_date": "now() at time zone 'utc'",
                "write_date": "now() at time zone 'utc'",
            },
            {"demo": demo_order_ids},
        )
        cr.execute(
            """UPDATE sale_order so SET ot_main_picking_id = sp.id
                 FROM stock_picking sp
                WHERE sp.sale_id = so.id AND so.client_order_ref LIKE 'BENCH-%'""",
        )
    conn.autocommit = True
    with conn.cursor() as cr:
        for table in ("res_partner", "sale_order", "stock_picking"):
            cr.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
    conn.close()


def count_orders(db):
    with connect(db) as conn, conn.cursor() as cr:
        cr.execute("SELECT count(*) FROM sale_order")
        return cr.fetchone()[0]


def sample_known_orders(db, size):
    """Known orders to ask about: number, last 4 digits of the mobile, tracking code or None."""
    with connect(db) as conn, conn.cursor() as cr:
        cr.execute(
            """SELECT so.name, right(p.phone, 4), sp.carrier_tracking_ref
                 FROM sale_order so
                 JOIN res_partner p ON p.id = so.partner_id
            LEFT JOIN stock_picking sp ON sp.id = so.ot_main_picking_id
                WHERE so.client_order_ref LIKE 'BENCH-%%'
             ORDER BY random() LIMIT %s""",
            [size],
        )
        return cr.fetchall()


# ---------------------------------------------------------------------------------------------
# Odoo server
# ---------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False  # not listening yet


def start_server(db, workers, log_path):
    port = free_port()
    cmd = [
        *odoo_command(db),
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        f"--workers={workers}",
        "--max-cron-threads=0",
        # Each simulated visitor sends X-Forwarded-For, as a reverse proxy would.
        "--proxy-mode",
        "--log-level=warn",
        f"--logfile={log_path}",
    ]
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"Odoo exited with status {process.returncode}, see {log_path}")
        if answers(f"{base}/web/health"):
            return process, base
        time.sleep(1)
    stop_server(process)
    sys.exit(f"Odoo did not answer within 2 minutes, see {log_path}")


def stop_server(process):
    if process.poll() is None:
        process.terminate()  # Odoo shuts down gracefully on SIGTERM, workers included
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------


class Results:
    """Latencies and statuses, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.turn_latencies = []
        self.start_latencies = []
        self.statuses = {}
        self.shown = {"orders": 0, "codes": 0}
        self.asked = {"orders": 0, "codes": 0}
        self.failures = []

    def answered(self, kind, order):
        with self.lock:
            self.asked[kind] += 1
            self.shown[kind] += bool(order and order.get("status"))

    def record(self, kind, status, latency):
        with self.lock:
            (self.start_latencies if kind == "start" else self.turn_latencies).append(latency)
            self.statuses[status] = self.statuses.get(status, 0) + 1


class Client(threading.Thread):
    """One visitor after another, each holding a short conversation."""

    def __init__(self, index, base, known, results, budget, deadline):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.base = base
        self.known = known
        self.results = results
        self.budget = budget
        self.deadline = deadline
        self.random = random.Random(index)
        self.conversations = 0

    def run(self):
        while time.monotonic() < self.deadline and self.budget.left > 0:
            try:
                self.conversation()
            except Exception as error:  # noqa: BLE001 - a bench client reports, never crashes
                with self.results.lock:
                    self.results.failures.append(repr(error)[:200])
            self.conversations += 1

    def post(self, path, body, ip, kind):
        data = json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Forwarded-For": ip,
                "X-Forwarded-Host": self.base.split("//", 1)[1],
                "X-Forwarded-Proto": "http",
            },
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        latency = time.perf_counter() - start
        self.results.record(kind, status, latency)
        try:
            return status, json.loads(payload)
        except ValueError:
            return status, {}

    def turn(self, token, ip, text=None, action=None):
        body = {"text": text} if text is not None else {"action": action}
        return self.post(f"{API}/sessions/{token}/messages", body, ip, "turn")

    def conversation(self):
        rnd = self.random
        persian = rnd.random() < 0.6  # most visitors of an Iranian shop write in Persian
        lang = "fa_IR" if persian else "en_US"
        # A new visitor, a new address: per-IP limits are per visitor, as behind a real proxy.
        ip = f"10.{self.index}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
        status, body = self.post(f"{API}/sessions", {"lang": lang, "channel": "api"}, ip, "start")
        if status not in (200, 201):
            return
        token = body["session"]
        ref, last4, code = rnd.choice(self.known)
        unknown = f"S{rnd.randrange(900000, 999999)}"
        city = rnd.randrange(len(FA_CITIES))
        if persian:
            script = [
                f"سلام، سفارش {ref} من کجاست؟",
                last4,
                f"سفارش {unknown} کی به دستم میرسه",
                f"{rnd.randrange(10000):04d}",
                f"به {FA_CITIES[city]} ارسال دارین؟",
            ]
            code_text = f"کد رهگیری {code} تو چه وضعیتیه"
        else:
            script = [
                f"Hi, where is my order {ref}?",
                last4,
                f"any update on {unknown}?",
                f"{rnd.randrange(10000):04d}",
                f"how long does delivery to {EN_CITIES[city]} take",
            ]
            code_text = f"my tracking code is {code}, where is the parcel?"
        if code:
            script.insert(2, code_text)
        checks = {1: "orders", 2: "codes"} if code else {1: "orders"}
        for number, text in enumerate(script):
            if time.monotonic() >= self.deadline or not self.budget.take():
                return
            status, body = self.turn(token, ip, text=text)
            if number in checks:  # after the last 4 digits of the mobile, or the tracking code
                self.results.answered(checks[number], status == 200 and body.get("order"))
            if status != 200:
                break


class Budget:
    """The number of chat turns left, shared by the threads."""

    def __init__(self, turns):
        self.left = turns
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def run_clients(base, known, clients, turns, seconds):
    results = Results()
    budget = Budget(turns)
    deadline = time.monotonic() + seconds
    threads = [Client(i, base, known, results, budget, deadline) for i in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - start
    return results, elapsed, sum(t.conversations for t in threads)


def report(results, elapsed, conversations, orders, clients, workers):
    turns = results.turn_latencies
    starts = results.start_latencies
    ms = 1000.0
    say("")
    say(f"orders in the database     {orders:,}")
    say(f"concurrent clients         {clients}  (Odoo workers: {workers}, CPUs: {os.cpu_count()})")
    say(f"conversations              {conversations}")
    say(f"chat turns                 {len(turns)} in {elapsed:.1f} s")
    say(f"chat turns per second      {len(turns) / elapsed:.1f}")
    say(f"requests per second        {(len(turns) + len(starts)) / elapsed:.1f}  (turns + starts)")
    if turns:
        say(
            f"turn latency               p50 {percentile(turns, 0.5) * ms:.0f} ms   "
            f"p95 {percentile(turns, 0.95) * ms:.0f} ms   "
            f"p99 {percentile(turns, 0.99) * ms:.0f} ms   "
            f"mean {statistics.fmean(turns) * ms:.0f} ms"
        )
    if starts:
        say(
            f"session start latency      p50 {percentile(starts, 0.5) * ms:.0f} ms   "
            f"p95 {percentile(starts, 0.95) * ms:.0f} ms"
        )
    say(f"HTTP statuses              {dict(sorted(results.statuses.items()))}")
    say(
        f"known orders answered      {results.shown['orders']} of {results.asked['orders']} "
        "(stage shown after the last 4 digits of the mobile)"
    )
    say(f"tracking codes answered    {results.shown['codes']} of {results.asked['codes']}")
    if results.failures:
        say(f"client errors              {len(results.failures)}, first: {results.failures[0]}")


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="ot_bench", help="benchmark database (default ot_bench)")
    parser.add_argument("--orders", type=int, default=100000, help="orders to add (100000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--turns", type=int, default=2000, help="chat turns in total (2000)")
    parser.add_argument("--seconds", type=int, default=240, help="time limit of the run (240)")
    parser.add_argument("--workers", type=int, default=2, help="Odoo worker processes (2)")
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep the database when it has the orders already"
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    if args.db == DEMO_DB or args.db.startswith("ot_template_"):
        sys.exit(f"refusing to use {args.db}: the benchmark needs a database of its own")
    logs = DEVENV / "bench"
    logs.mkdir(parents=True, exist_ok=True)

    wanted = args.orders + 11  # plus the demo shop's orders
    if args.reuse_db and database_exists(args.db) and count_orders(args.db) >= wanted:
        say(f"==> reusing {args.db} ({count_orders(args.db):,} orders)")
    else:
        with Step(f"database {args.db}, a copy of the dependency template, with the addon"):
            create_database(args.db, dependency_template())
            install_addon(args.db, logs / "install.log")
        with Step(f"adding {args.orders:,} orders, their customers and shipments (SQL)"):
            fill_orders(args.db, args.orders)
    orders = count_orders(args.db)
    known = sample_known_orders(args.db, 5000)

    with Step(f"starting Odoo ({args.workers} workers)"):
        server, base = start_server(args.db, args.workers, logs / "server.log")
    try:
        with Step("warming up (each worker loads the registry)"):
            run_clients(base, known, min(args.clients, 4), 40, 60)
        with Step(f"{args.clients} clients, up to {args.turns} chat turns or {args.seconds} s"):
            results, elapsed, conversations = run_clients(
                base, known, args.clients, args.turns, args.seconds
            )
    finally:
        stop_server(server)
    report(results, elapsed, conversations, orders, args.clients, args.workers)
    if args.drop:
        drop_database(args.db)


if __name__ == "__main__":
    main()
