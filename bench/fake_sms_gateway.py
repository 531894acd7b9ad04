"""A fake Kavenegar on 127.0.0.1 for the notification benchmark: answers every ``sms/send.json``
and ``verify/lookup.json`` after ``delay`` seconds with Kavenegar's envelope (one entry per
receptor, status 1 "queued"). Bounded in requests and lifetime; never reaches the network."""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


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


class FakeSmsGatewayServer:
    """``with FakeSmsGatewayServer(delay=0.1) as fake: ... fake.url ...``"""

    def __init__(self, delay=0.1, max_requests=50000, lifetime=3600.0):
        self.delay, self.max_requests = delay, max_requests
        self.lock = threading.Lock()
        self.ids = itertools.count(10_000_000)
        self.requests = self.messages = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.fake = self
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reset_counters(self):
        with self.lock:
            self.requests = self.messages = 0

    def stop(self):
        if self._stopped:
            return
        self._stopped = True
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self.stop()
