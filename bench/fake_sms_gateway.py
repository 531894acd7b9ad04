"""A fake Kavenegar on 127.0.0.1 for the notification benchmark: answers every ``sms/send.json``
and ``verify/lookup.json`` after ``delay`` seconds with Kavenegar's envelope (one entry per
receptor, status 1 "queued"). Bounded in requests and lifetime; never reaches the network.
Counts requests, messages and the most requests it held at once (``peak_in_flight``)."""

import itertools
import time
from urllib.parse import parse_qs

from .loopback_server import LoopbackHandler, LoopbackServer


class _Handler(LoopbackHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        with fake.lock:
            fake.requests += 1
            over_budget = fake.requests > fake.max_requests
        if over_budget:
            return self.send_json(503, {"return": {"status": 503, "message": "budget"}})
        with fake.lock:
            fake.in_flight += 1
            fake.peak_in_flight = max(fake.peak_in_flight, fake.in_flight)
        time.sleep(fake.delay)
        with fake.lock:
            fake.in_flight -= 1
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
        self.send_json(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries})


class FakeSmsGatewayServer(LoopbackServer):
    """``with FakeSmsGatewayServer(delay=0.1) as fake: ... fake.url ...``"""

    handler_class = _Handler

    def __init__(self, delay=0.1, max_requests=50000, lifetime=3600.0):
        super().__init__(lifetime)
        self.delay, self.max_requests = delay, max_requests
        self.ids = itertools.count(10_000_000)
        self.requests = self.messages = self.in_flight = self.peak_in_flight = 0

    def reset_counters(self):
        with self.lock:
            self.requests = self.messages = self.peak_in_flight = 0
