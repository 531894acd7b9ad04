"""The production way to run the addon, tested on a real multi-worker Odoo.

A real server is started the way ``make serve`` starts it (``tools/odoo_launcher.py``, workers,
proxy mode, its own websocket/gevent port) on the test database, on free ports. Then:

- its websocket (gevent) worker starts once, answers a websocket handshake and is still the same
  process a few seconds later (checked with ``tools/check_websocket.py``, as ``make serve`` does);
- a live chat message from an operator reaches a website visitor through that worker, spoken in
  Odoo's own bus protocol as the browser's bus worker
  (``bus/static/src/workers/websocket_worker.js``) speaks it: ``subscribe`` with channels/last,
  then ``update_presence``.

The server is another process, so everything it must see is created (and removed again) through
its own HTTP API, where each request commits. Started with ``python -m odoo`` instead of the
launcher, the websocket worker crash-loops and these tests fail.
"""

import importlib.util
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import requests
import websocket

import odoo
from odoo.tests.common import get_db_name

from odoo.addons.bus.websocket import WebsocketConnectionHandler

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "odoo_launcher.py"
START_TIMEOUT = 120  # seconds for the master to answer HTTP (2 shared cores, registry load)
WS_TIMEOUT = 60  # seconds for the gevent worker to import Odoo and answer a handshake
NOTIFY_TIMEOUT = 30  # seconds for a bus notification to reach a websocket


def _load_check_websocket():
    """tools/check_websocket.py, the check ``make serve`` runs, loaded by its file path."""
    path = ROOT / "tools" / "check_websocket.py"
    spec = importlib.util.spec_from_file_location("ot_check_websocket", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_websocket = _load_check_websocket()


def _free_port():
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in (8069, 8072):  # the ports others' servers use
            return port


def _tail(path, lines=40):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return f"({path} unreadable)"
    return "\n".join(text.splitlines()[-lines:]) or f"({path} is empty)"


class ProductionServer:
    """A multi-worker Odoo on the test database, started as ``make serve`` starts one."""

    def __init__(self):
        self.db = get_db_name()
        self.config_file = os.path.abspath(odoo.tools.config["config"])
        self.http_port = _free_port()
        self.gevent_port = _free_port()
        while self.gevent_port == self.http_port:
            self.gevent_port = _free_port()
        self.tmpdir = tempfile.mkdtemp(prefix="ot_prod_server_")
        self.logfile = os.path.join(self.tmpdir, "odoo.log")
        self.outfile = os.path.join(self.tmpdir, "stdout-stderr.log")
        self.process = None

    def command(self):
        return [
            sys.executable,
            str(LAUNCHER),
            "-c",
            self.config_file,
            "-d",
            self.db,
            "--workers=2",
            "--max-cron-threads=0",
            "--proxy-mode",
            "--http-interface=127.0.0.1",
            f"--http-port={self.http_port}",
            f"--gevent-port={self.gevent_port}",
            "--log-level=info",
            f"--logfile={self.logfile}",
        ]

    @property
    def pid(self):
        return self.process.pid

    def url(self, path):
        return f"http://127.0.0.1:{self.http_port}{path}"

    def log_tail(self, lines=40):
        return (
            f"--- server log ({self.logfile}), last {lines} lines ---\n"
            f"{_tail(self.logfile, lines)}\n"
            f"--- server stdout/stderr ---\n{_tail(self.outfile, 15)}"
        )

    def start(self):
        with open(self.outfile, "wb") as out:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() can reap every child
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"Odoo exited at start with status {self.process.returncode}\n{self.log_tail()}"
                )
            try:
                if requests.get(self.url("/web/health"), timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Odoo did not answer /web/health within {START_TIMEOUT} s\n{self.log_tail()}"
                )
            time.sleep(1)

    def stop(self):
        try:
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            if self.process:
                # Workers left behind by a master that did not stop them (only our own group).
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        finally:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


class TestProductionServer(unittest.TestCase):
    """``tools/odoo_launcher.py`` with workers: the websocket worker serves live chat."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ProductionServer()
        cls.addClassCleanup(cls.server.stop)
        cls.server.start()
        cls._rpc_ids = itertools.count(1)

    # ------------------------------------------------------------------ helpers

    def fail_with_log(self, message):
        self.fail(f"{message}\n{self.server.log_tail()}")

    def rpc(self, http, path, params):
        """A JSON-RPC call to the server's HTTP workers, as the web client makes it."""
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(self._rpc_ids)}
        try:
            response = http.post(self.server.url(path), json=payload, timeout=60)
        except requests.RequestException as error:
            self.fail_with_log(f"{path}: no answer from the server ({error})")
        if response.status_code != 200:
            self.fail_with_log(
                f"{path} answered HTTP {response.status_code}: {response.text[:500]}"
            )
        body = response.json()
        if "error" in body:
            error = body["error"]
            message = error.get("data", {}).get("message") or error.get("message")
            self.fail_with_log(f"{path} failed: {message}")
        return body["result"]

    def call_kw(self, http, model, method, args, **kwargs):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self.rpc(http, f"/web/dataset/call_kw/{model}/{method}", params)

    def login(self, login, password):
        http = requests.Session()
        self.addCleanup(http.close)
        info = self.rpc(
            http,
            "/web/session/authenticate",
            {"db": self.server.db, "login": login, "password": password},
        )
        self.assertTrue(info.get("uid"), f"{login} could not log in")
        return http, info["uid"]

    def open_bus(self, http, who):
        """A websocket on the gevent port, opened as the browser's bus worker opens it."""
        port = self.server.gevent_port
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
        try:
            conn = websocket.create_connection(
                f"ws://127.0.0.1:{port}/websocket?version={WebsocketConnectionHandler._VERSION}",
                timeout=NOTIFY_TIMEOUT,
                origin=f"http://127.0.0.1:{port}",
                cookie=cookie or None,
            )
        except (OSError, websocket.WebSocketException) as error:
            self.fail_with_log(f"the {who}'s websocket did not open on port {port}: {error}")
        self.addCleanup(conn.close)
        self.assertEqual(conn.getstatus(), 101)
        return conn

    @staticmethod
    def send_event(conn, event_name, data):
        conn.send(json.dumps({"event_name": event_name, "data": data}))

    def wait_for_notification(self, conn, who, what, predicate):
        """The first bus notification on ``conn`` that satisfies ``predicate``."""
        deadline = time.monotonic() + NOTIFY_TIMEOUT
        seen = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.fail_with_log(
                    f"the {who}'s websocket received no {what} within {NOTIFY_TIMEOUT} s "
                    f"(notification types received: {seen})"
                )
            conn.settimeout(remaining)
            try:
                frame = conn.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (OSError, websocket.WebSocketException) as error:
                self.fail_with_log(
                    f"the {who}'s websocket closed while waiting for {what}: {error!r} "
                    f"(notification types received: {seen})"
                )
            if not frame:
                continue
            for notification in json.loads(frame):
                message = notification.get("message", {})
                seen.append(message.get("type"))
                if predicate(message.get("type"), message.get("payload")):
                    return notification

    def the_gevent_worker(self):
        workers = check_websocket.gevent_workers(self.server.pid)
        if len(workers) != 1:
            self.fail_with_log(f"expected exactly one websocket (gevent) worker, found {workers}")
        return workers[0]

    @staticmethod
    def is_online(presence_field, record_id):
        def predicate(kind, payload):
            return (
                kind == "bus.bus/im_status_updated"
                and payload.get(presence_field) == record_id
                and payload.get("presence_status") == "online"
            )

        return predicate

    # ------------------------------------------------------------------ tests

    def test_01_websocket_worker_starts_once_and_stays_up(self):
        problem = check_websocket.check(
            self.server.pid, self.server.gevent_port, watch=3, wait=WS_TIMEOUT
        )
        if problem:
            self.fail_with_log(problem)
        self.assertEqual(len(check_websocket.gevent_workers(self.server.pid)), 1)
        self.assertEqual(check_websocket.handshake(self.server.gevent_port), 101)

    def test_02_operator_message_reaches_visitor_through_websocket(self):
        problem = check_websocket.check(
            self.server.pid, self.server.gevent_port, watch=0, wait=WS_TIMEOUT
        )
        if problem:
            self.fail_with_log(problem)
        gevent_pid = self.the_gevent_worker()
        tag = secrets.token_hex(6)

        # The admin creates a dedicated operator and a live chat channel served by them alone.
        admin, _admin_uid = self.login("admin", "admin")
        group = self.call_kw(
            admin,
            "ir.model.data",
            "search_read",
            [[("module", "=", "im_livechat"), ("name", "=", "im_livechat_group_user")]],
            fields=["res_id"],
        )
        self.assertEqual(len(group), 1, "im_livechat is installed")
        password = f"Op-{secrets.token_hex(12)}"
        operator_uid = self.call_kw(
            admin,
            "res.users",
            "create",
            [
                {
                    "name": f"Production test operator {tag}",
                    "login": f"ot-prod-operator-{tag}",
                    "password": password,
                    "group_ids": [(4, group[0]["res_id"])],
                }
            ],
            context={"no_reset_password": True},
        )
        [operator] = self.call_kw(admin, "res.users", "read", [[operator_uid], ["partner_id"]])
        operator_partner_id = operator["partner_id"][0]

        def archive_operator():  # the user first: an active user's contact cannot be archived
            self.call_kw(admin, "res.users", "write", [[operator_uid], {"active": False}])
            self.call_kw(admin, "res.partner", "write", [[operator_partner_id], {"active": False}])

        self.addCleanup(archive_operator)
        livechat_id = self.call_kw(
            admin,
            "im_livechat.channel",
            "create",
            [{"name": f"Production test live chat {tag}", "user_ids": [(6, 0, [operator_uid])]}],
        )
        self.addCleanup(self.call_kw, admin, "im_livechat.channel", "unlink", [[livechat_id]])

        # The operator logs in; their bus connection makes them "online", hence available.
        operator_http, uid = self.login(f"ot-prod-operator-{tag}", password)
        self.assertEqual(uid, operator_uid)
        operator_bus = self.open_bus(operator_http, "operator")
        self.send_event(operator_bus, "subscribe", {"channels": [], "last": 0})
        self.send_event(operator_bus, "update_presence", {"inactivity_period": 0})
        self.wait_for_notification(
            operator_bus,
            "operator",
            "online presence of the operator",
            self.is_online("partner_id", operator_partner_id),
        )

        # An anonymous visitor starts a chat: a guest (cookie) in a new discuss.channel.
        visitor_http = requests.Session()
        self.addCleanup(visitor_http.close)
        session = self.rpc(
            visitor_http,
            "/im_livechat/get_session",
            {"channel_id": livechat_id, "persisted": True, "previous_operator_id": None},
        )
        if not session:
            self.fail_with_log("/im_livechat/get_session found no available operator")
        channel_id = session["channel_id"]
        self.assertIn("dgid", visitor_http.cookies, "the visitor got a guest cookie")
        [channel] = self.call_kw(
            admin,
            "discuss.channel",
            "read",
            [[channel_id], ["livechat_operator_id", "livechat_visitor_id"]],
        )
        guests = self.call_kw(
            admin, "mail.guest", "search", [[("channel_ids", "in", [channel_id])]]
        )
        visitor_ids = [channel["livechat_visitor_id"][0]] if channel["livechat_visitor_id"] else []
        if visitor_ids:
            self.addCleanup(self.call_kw, admin, "website.visitor", "unlink", [visitor_ids])
        self.addCleanup(self.call_kw, admin, "mail.guest", "unlink", [guests])
        self.addCleanup(self.call_kw, admin, "discuss.channel", "unlink", [[channel_id]])
        self.assertEqual(channel["livechat_operator_id"][0], operator_partner_id)
        self.assertEqual(len(guests), 1, "the visitor is the channel's guest")

        # The visitor's browser opens its bus and subscribes; its own presence notification
        # coming back proves the subscription is live before the operator writes.
        visitor_bus = self.open_bus(visitor_http, "visitor")
        self.send_event(visitor_bus, "subscribe", {"channels": [], "last": 0})
        self.send_event(visitor_bus, "update_presence", {"inactivity_period": 0})
        self.wait_for_notification(
            visitor_bus,
            "visitor",
            "online presence of the visitor",
            self.is_online("guest_id", guests[0]),
        )

        # The operator answers from the backend...
        body = f"Your parcel left the warehouse ({tag})"
        posted = self.rpc(
            operator_http,
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": channel_id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message_id = posted["message_id"]

        # ...and the visitor's websocket receives it.
        notification = self.wait_for_notification(
            visitor_bus,
            "visitor",
            f"new message {message_id} with the operator's text",
            lambda kind, payload: (
                kind == "discuss.channel/new_message" and body in json.dumps(payload)
            ),
        )
        payload = json.dumps(notification["message"]["payload"])
        self.assertIn(body, payload)
        self.assertIn(f'"id": {message_id}', payload)
        self.assertEqual(
            check_websocket.gevent_workers(self.server.pid),
            [gevent_pid],
            "the same websocket worker served the whole chat",
        )
