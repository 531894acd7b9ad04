"""A fake Kavenegar on 127.0.0.1 for the notification benchmark: answers every ``sms/send.json``
and ``verify/lookup.json`` after ``delay`` seconds with Kavenegar's envelope (one entry per
receptor, status 1 "queued"). Bounded in requests and lifetime; never reaches the network."""

import itertools
import json
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from .loopback_server import LoopbackServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        with fake.lock:
            fake.requests += 1
            over_budget = fake.requests > fake.max_requests
        if over_budget:
            return self._send(503, {"return": {"status": 503, "message": "budget"}})
        time.sleep(fake.delay)
        receptors = (form.get("receptor") or [""])[0].split(",")
        entries = [
            {
                "messageid": next(fake.ids),
                "receptor": receptor,
                "status": 1,
                "statustext": "در صف ارسال",
            }
            for receptor in receptors
        ]
        with fake.lock:
            fake.messages += len(entries)
        self._send(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries})

    def _send(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FakeSmsGatewayServer(LoopbackServer):
    """``with FakeSmsGatewayServer(delay=0.1) as fake: ... fake.url ...``"""

    handler_class = _Handler

    def __init__(self, delay=0.1, max_requests=50000, lifetime=3600.0):
        super().__init__(lifetime)
        self.delay, self.max_requests = delay, max_requests
        self.ids = itertools.count(10_000_000)
        self.requests = self.messages = 0

    def reset_counters(self):
        with self.lock:
            self.requests = self.messages = 0
