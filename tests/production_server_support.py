"""A real multi-worker Odoo for tests, started the way ``make serve`` starts one, and a client.

``ProductionServer`` runs ``tools/odoo_launcher.py`` with workers, proxy mode and its own
websocket (gevent) port on the test database, on free ports. ``ProductionClient`` is a mixin for
test cases that talk to it as the web client and the browser's bus worker do: JSON-RPC over
HTTP (each request commits on the server) and Odoo's bus protocol over the websocket.
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


def free_port():
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
        self.http_port = free_port()
        self.gevent_port = free_port()
        while self.gevent_port == self.http_port:
            self.gevent_port = free_port()
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

    def authenticate(self, login, password):
        """A requests session logged in as ``login`` on this server, and the user's id."""
        http = requests.Session()
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": self.db, "login": login, "password": password},
            "id": 0,
        }
        try:
            response = http.post(self.url("/web/session/authenticate"), json=payload, timeout=60)
            uid = (response.json().get("result") or {}).get("uid")
        except (requests.RequestException, ValueError) as error:
            raise AssertionError(f"{login} could not log in: {error}\n{self.log_tail()}") from error
        if not uid:
            raise AssertionError(f"{login} could not log in: {response.text[:300]}")
        return http, uid

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


class ProductionClient:
    """Mixin for a test case with a started ``ProductionServer`` in ``cls.server``."""

    _rpc_ids = itertools.count(1)

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
        http, uid = self.server.authenticate(login, password)
        self.addCleanup(http.close)
        return http, uid

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

    def operator_with_live_chat(self, admin, tag):
        """A new operator serving a new live chat channel alone: (login, password, uid,
        partner id, channel id); both are removed again when the test ends."""
        group = self.call_kw(
            admin,
            "ir.model.data",
            "search_read",
            [[("module", "=", "im_livechat"), ("name", "=", "im_livechat_group_user")]],
            fields=["res_id"],
        )
        self.assertEqual(len(group), 1, "im_livechat is installed")
        login = f"ot-prod-operator-{tag}"
        password = f"Op-{secrets.token_hex(12)}"
        operator_uid = self.call_kw(
            admin,
            "res.users",
            "create",
            [
                {
                    "name": f"Production test operator {tag}",
                    "login": login,
                    "password": password,
                    "group_ids": [(4, group[0]["res_id"])],
                }
            ],
            context={"no_reset_password": True},
        )
        [operator] = self.call_kw(admin, "res.users", "read", [[operator_uid], ["partner_id"]])
        partner_id = operator["partner_id"][0]

        def archive_operator():  # the user first: an active user's contact cannot be archived
            self.call_kw(admin, "res.users", "write", [[operator_uid], {"active": False}])
            self.call_kw(admin, "res.partner", "write", [[partner_id], {"active": False}])

        self.addCleanup(archive_operator)
        livechat_id = self.call_kw(
            admin,
            "im_livechat.channel",
            "create",
            [{"name": f"Production test live chat {tag}", "user_ids": [(6, 0, [operator_uid])]}],
        )
        self.addCleanup(self.call_kw, admin, "im_livechat.channel", "unlink", [[livechat_id]])
        return login, password, operator_uid, partner_id, livechat_id

    def bring_online(self, http, partner_id):
        """The operator's bus connection, subscribed and present: they are "online", hence
        available for live chats, as long as it stays open."""
        bus = self.open_bus(http, "operator")
        self.send_event(bus, "subscribe", {"channels": [], "last": 0})
        self.send_event(bus, "update_presence", {"inactivity_period": 0})
        self.wait_for_notification(
            bus,
            "operator",
            "online presence of the operator",
            self.is_online("partner_id", partner_id),
        )
        return bus
