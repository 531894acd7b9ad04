"""Chat benchmark: chat turns against Odoo's most trivial route, on the same production-mode
server, with a large order book.

Run it from the repository root, after `make test` or `make demo` built the environment:

    .devenv/venv/bin/python bench/bench_chat.py --db ot_bench --orders 1000,100000

What it does (each step prints its name and how long it took):

1. Creates the database ``--db`` as a copy of the dependency template database of tools/db.sh
   (never the demo database) and installs the addon with its demo shop. ``--reuse-db`` keeps an
   existing benchmark database, to measure again quickly.
2. For each size in ``--orders`` (smallest first), adds orders with SQL up to that size: each is a
   copy of one of the demo orders (so every stored field, stage and exception is realistic), with
   its own number, customer (one per five orders, each with its own mobile) and, when the demo
   order has shipped, its own shipment and tracking code.
3. Starts Odoo the production way (``tools/odoo_launcher.py``, ``--workers``, proxy mode, the
   websocket worker, ``-d`` without ``--db-filter``) on free ports of 127.0.0.1, so that each
   simulated visitor comes from its own IP as behind a reverse proxy.
4. Measures, on that server: the floor (``POST /web/webclient/version_info``, Odoo's most trivial
   route) with one client, chat turns with one client, the floor with ``--clients`` clients, and
   chat turns with ``--clients`` clients. Visitors hold conversations in Persian or English:
   start a session, ask for a known order, give the last four digits of its mobile, ask for a
   tracking code, ask for an unknown order, ask a pre-purchase shipping question.
5. Prints latencies, throughput, the SQL queries per turn (from Odoo's request log lines, which
   end with each request's query count), and the ratios the project tracks: single-client p50 of
   a chat turn over the floor's, and many-client chat throughput over the floor's.

A "chat turn" is one ``POST .../messages``; session starts are counted apart. The database is kept
for later runs (``--drop`` removes it at the end).
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
LAUNCHER = ROOT / "tools" / "odoo_launcher.py"
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
    # The launcher the demo and `make serve` use (a script the prefork master can re-run for its
    # websocket worker), and -d without --db-filter (a filter lists the databases per request).
    return [str(PYTHON), str(LAUNCHER), "-c", str(ODOO_CONF), "-d", db]


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
    """Add ``count`` orders (and their customers and shipments) copied from the demo orders.

    Run again on the same database, it adds more: numbers, customers and mobiles continue after
    the benchmark orders already there.
    """
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
        cr.execute("""SELECT COUNT(*) FROM sale_order WHERE client_order_ref LIKE 'BENCH-%%'""")
        offset = cr.fetchone()[0]  # orders added by an earlier run
        first_customer = offset // ORDERS_PER_CUSTOMER

        # Customers: one per five orders, each with its own Iranian mobile.
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
        partner_floor = cr.fetchone()[0]  # the new customers are the rows above it
        clone_rows(
            cr,
            "res_partner",
            """SELECT g, %(partner)s AS src_id
                 FROM generate_series(%(first)s + 1, %(first)s + %(customers)s) AS g""",
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
            {"partner": demo_partner_id, "customers": customers, "first": first_customer},
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
                 FROM generate_series(%(offset)s + 1, %(offset)s + %(count)s) AS g""",
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
                "offset": offset,
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
                  AND split_part(so.client_order_ref, '-', 2)::int > %(offset)s
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
            {"offset": offset, "demo": demo_order_ids},
        )
        cr.execute(
            """UPDATE sale_order so SET ot_main_picking_id = sp.id
                 FROM stock_picking sp
                WHERE sp.sale_id = so.id AND so.client_order_ref LIKE 'BENCH-%%'
                  AND split_part(so.client_order_ref, '-', 2)::int > %s""",
            [offset],
        )
    conn.autocommit = True
    with conn.cursor() as cr:
        # As autovacuum would after such a load: fresh statistics, index pending lists merged.
        for table in ("res_partner", "sale_order", "stock_picking"):
            cr.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
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
        # Info level: each request's line ends with its SQL query count, read by queries_per_turn.
        "--log-level=info",
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


FLOOR_PATH = "/web/webclient/version_info"
FLOOR_BODY = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode()
# The database floor: the chat route's cheapest answer, a message to a chat that does not exist.
# It pays what any database request of Odoo pays (registry check, cursor, public user, commit)
# plus one indexed lookup and the 404 body, and none of a turn's own work.
DB_FLOOR_ROUTE = (
    f"{API}/sessions/no-such-chat-token-of-the-benchmark/messages",
    json.dumps({"text": "where is my order?"}).encode(),
    404,
)


def floor_request(base, ip, path=FLOOR_PATH, body=FLOOR_BODY, expected=200):
    """One request to a floor route; returns its latency in seconds."""
    request = urllib.request.Request(
        base + path,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Forwarded-For": ip},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    if status != expected:
        raise RuntimeError(f"{path} answered {status}, expected {expected}")
    return time.perf_counter() - start


def run_floor(base, clients, requests_total, seconds, route=None):
    """``(latencies, elapsed)`` of ``clients`` threads sending ``requests_total`` requests to the
    floor, or to ``route`` = ``(path, body, expected status)``."""
    path, body, expected = route or (FLOOR_PATH, FLOOR_BODY, 200)
    latencies = []
    lock = threading.Lock()
    budget = Budget(requests_total)
    deadline = time.monotonic() + seconds

    def client(index):
        while time.monotonic() < deadline and budget.take():
            latency = floor_request(base, f"10.250.{index}.1", path, body, expected)
            with lock:
                latencies.append(latency)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    return latencies, time.monotonic() - start


def queries_per_turn(log_path, since_offset):
    """SQL query counts of the chat turns logged after byte ``since_offset`` of the server log.

    Odoo ends each request's log line with ``<queries> <query time> <other time>``.
    """
    counts = []
    with open(log_path, "rb") as log:
        log.seek(since_offset)
        for raw in log:
            line = raw.decode("utf-8", "replace")
            if "POST /order-tracking/api/v1/sessions/" in line and "/messages" in line:
                parts = line.split()
                if len(parts) >= 3 and parts[-3].isdigit():
                    counts.append(int(parts[-3]))
    return counts


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


def latency_line(values):
    ms = 1000.0
    return (
        f"p50 {percentile(values, 0.5) * ms:.1f} ms   p95 {percentile(values, 0.95) * ms:.1f} ms"
        f"   p99 {percentile(values, 0.99) * ms:.1f} ms"
    )


def report(measures, orders, clients, workers):
    """Print the floor, the chat, and the chat as ratios to the floor."""
    floor1, db_floor1, chat1, floor_n, floor_n_elapsed, db_floor_n, db_floor_n_elapsed = measures[
        :7
    ]
    results, elapsed, conversations, queries = measures[7:]
    turns = results.turn_latencies
    floor_rate = len(floor_n) / floor_n_elapsed
    db_floor_rate = len(db_floor_n) / db_floor_n_elapsed
    chat_rate = len(turns) / elapsed
    p50_floor, p50_chat = percentile(floor1, 0.5), percentile(chat1, 0.5)
    p50_db_floor = percentile(db_floor1, 0.5)
    say("")
    say(f"orders in the database     {orders:,}")
    say(f"Odoo workers               {workers}   CPUs: {os.cpu_count()}")
    say(f"floor, 1 client            {len(floor1)} requests   {latency_line(floor1)}")
    say(f"database floor, 1 client   {len(db_floor1)} requests   {latency_line(db_floor1)}")
    say(f"chat, 1 client             {len(chat1)} turns      {latency_line(chat1)}")
    say(
        f"floor, {clients} clients           {len(floor_n)} requests in {floor_n_elapsed:.1f} s = "
        f"{floor_rate:.1f} req/s   {latency_line(floor_n)}"
    )
    say(
        f"database floor, {clients} cl.   {len(db_floor_n)} requests in {db_floor_n_elapsed:.1f} s"
        f" = {db_floor_rate:.1f} req/s   {latency_line(db_floor_n)}"
    )
    say(
        f"chat, {clients} clients            {len(turns)} turns in {elapsed:.1f} s = "
        f"{chat_rate:.1f} turns/s   {latency_line(turns)}"
    )
    say(f"conversations              {conversations}")
    say(f"HTTP statuses              {dict(sorted(results.statuses.items()))}")
    say(
        f"known orders answered      {results.shown['orders']} of {results.asked['orders']} "
        "(stage shown after the last 4 digits of the mobile)"
    )
    say(f"tracking codes answered    {results.shown['codes']} of {results.asked['codes']}")
    if queries:
        say(
            f"SQL queries per turn       min {min(queries)}   median "
            f"{statistics.median(queries):.0f}   mean {statistics.fmean(queries):.1f}   "
            f"max {max(queries)}   ({len(queries)} turns)"
        )
    if results.failures:
        say(f"client errors              {len(results.failures)}, first: {results.failures[0]}")
    single = p50_chat / p50_floor
    throughput = chat_rate / floor_rate
    say("")
    say(f"RATIO single-client p50, chat / floor     {single:.2f}  (target <= 3)")
    say(f"RATIO {clients}-client throughput, chat / floor  {throughput:.2f}  (target >= 0.5)")
    say(
        f"ratio single-client p50, database floor / floor     {p50_db_floor / p50_floor:.2f}"
        f"   chat / database floor {p50_chat / p50_db_floor:.2f}"
    )
    say(
        f"ratio {clients}-client throughput, database floor / floor  "
        f"{db_floor_rate / floor_rate:.2f}   chat / database floor {chat_rate / db_floor_rate:.2f}"
    )


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def measure(base, known, args, log_path):
    """The measures of one run, on one server: floor, database floor and chat, 1 client and
    many."""
    with Step("warming up (each worker loads the registry)"):
        run_floor(base, args.workers * 2, 200, 60)
        run_clients(base, known, min(args.clients, 4), 40, 60)
    with Step(f"floor: {FLOOR_PATH}, 1 client, {args.floor_requests} requests"):
        floor1, _elapsed = run_floor(base, 1, args.floor_requests, args.seconds)
    with Step(f"database floor: unknown chat, 1 client, {args.floor_requests} requests"):
        db_floor1, _elapsed = run_floor(
            base, 1, args.floor_requests, args.seconds, route=DB_FLOOR_ROUTE
        )
    with Step(f"chat: 1 client, {args.single_turns} turns"):
        single, _elapsed, _conversations = run_clients(
            base, known, 1, args.single_turns, args.seconds
        )
    with Step(f"floor: {args.clients} clients, {args.floor_requests * 10} requests"):
        floor_n, floor_n_elapsed = run_floor(
            base, args.clients, args.floor_requests * 10, args.seconds
        )
    with Step(f"database floor: {args.clients} clients, {args.floor_requests * 10} requests"):
        db_floor_n, db_floor_n_elapsed = run_floor(
            base, args.clients, args.floor_requests * 10, args.seconds, route=DB_FLOOR_ROUTE
        )
    log_offset = os.path.getsize(log_path)
    with Step(f"chat: {args.clients} clients, up to {args.turns} turns or {args.seconds} s"):
        results, elapsed, conversations = run_clients(
            base, known, args.clients, args.turns, args.seconds
        )
    time.sleep(1)  # the last log lines
    queries = queries_per_turn(log_path, log_offset)
    return (
        floor1,
        db_floor1,
        single.turn_latencies,
        floor_n,
        floor_n_elapsed,
        db_floor_n,
        db_floor_n_elapsed,
        results,
        elapsed,
        conversations,
        queries,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="ot_bench", help="benchmark database (default ot_bench)")
    parser.add_argument(
        "--orders",
        default="100000",
        help="orders to add; several sizes (1000,100000) measure each in turn (100000)",
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--turns", type=int, default=2000, help="chat turns, many clients (2000)")
    parser.add_argument("--single-turns", type=int, default=300, help="chat turns, 1 client (300)")
    parser.add_argument(
        "--floor-requests", type=int, default=300, help="floor requests, 1 client (x10 for many)"
    )
    parser.add_argument("--seconds", type=int, default=240, help="time limit of each phase (240)")
    parser.add_argument("--workers", type=int, default=2, help="Odoo worker processes (2)")
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep the database when it has the orders already"
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    if args.db == DEMO_DB or args.db.startswith("ot_template_"):
        sys.exit(f"refusing to use {args.db}: the benchmark needs a database of its own")
    sizes = sorted(int(size) for size in args.orders.split(","))
    logs = DEVENV / "bench"
    logs.mkdir(parents=True, exist_ok=True)

    demo_orders = 11
    if args.reuse_db and database_exists(args.db) and count_orders(args.db) >= sizes[0]:
        say(f"==> reusing {args.db} ({count_orders(args.db):,} orders)")
    else:
        with Step(f"database {args.db}, a copy of the dependency template, with the addon"):
            create_database(args.db, dependency_template())
            install_addon(args.db, logs / "install.log")
    for size in sizes:
        missing = size + demo_orders - count_orders(args.db)
        if missing > 0:
            with Step(f"adding {missing:,} orders, their customers and shipments (SQL)"):
                fill_orders(args.db, missing)
        orders = count_orders(args.db)
        known = sample_known_orders(args.db, 5000)
        log_path = logs / f"server-{size}.log"
        with Step(f"starting Odoo ({args.workers} workers, proxy mode, websocket worker)"):
            server, base = start_server(args.db, args.workers, log_path)
        try:
            measures = measure(base, known, args, log_path)
        finally:
            stop_server(server)
        report(measures, orders, args.clients, args.workers)
    if args.drop:
        drop_database(args.db)


if __name__ == "__main__":
    main()
