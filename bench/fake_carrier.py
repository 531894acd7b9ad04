"""A fake carrier API on 127.0.0.1, for the sync benchmark and the sync tests (no network).

It speaks Post-ex's calls (see ``carriers/postex.py``): the public tracking call
``GET /api/app/v1/tracking/public/<code>`` (no key, events with Jalali Tehran dates) and the
account's ``GET /api/v1/parcels/<code>`` (header ``x-api-key``, checked when ``api_key`` is set).
It answers every request after ``delay`` seconds, each in its own thread, like a real API that is
slow but parallel. What it answers depends on the tracking code:

=============  ============================================================================
``JUNK...``    an HTML error page with status 200 (a proxy in front of the API)
``HANG...``    nothing for ``hang`` seconds (a carrier that keeps the connection open)
``E500...``    HTTP 500 whose body quotes the API key (providers do leak what they got)
``E401...``    HTTP 401 (refused credentials)
``GONE...``    HTTP 404 (unknown code)
anything else  the events of ``events[code]`` if set, else ``events_factory(code)`` if
               given, else two standard events
=============  ============================================================================

Bounded so it can never outlive its user: it serves at most ``max_requests`` requests
(then answers 503) and shuts itself down after ``lifetime`` seconds.
"""

import json
import time
from datetime import datetime, timezone

from ..carriers.timeparse import TEHRAN
from ..conversation.jalali import gregorian_to_jalali
from .loopback_server import LoopbackHandler, LoopbackServer

JUNK_PAGE = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
# A parcel on its way (status group 3, ON_THE_WAY).
PARCEL = {"isSuccess": True, "current_status": {"code": 31, "group": {"code": 3}}}


def postex_event(day, clock, text, code="", location=""):
    """One public-tracking event in Post-ex's shape, given its UTC ``day`` and ``clock``.

    Post-ex writes local (Tehran) Jalali dates; ``code`` is kept for callers but the public
    events carry none.
    """
    moment = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=timezone.utc)
    local = moment.astimezone(TEHRAN)
    year, month, dom = gregorian_to_jalali(local)
    return {
        "description": text,
        "location": location,
        "local_event_date": f"{year:04d}/{month:02d}/{dom:02d}",
        "friendly_event_date": "",
        "event_time": local.strftime("%H:%M"),
    }


DEFAULT_EVENTS = [
    postex_event("2025-05-01", "06:00", "ثبت مرسوله", "10", "تهران"),
    postex_event("2025-05-01", "09:30", "ورود به مرکز مبادلات تهران", "20", "مرکز مبادلات تهران"),
]


class _Handler(LoopbackHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        fake = self.server.fake
        with fake.lock:
            fake.requests += 1
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
            over_budget = fake.requests > fake.max_requests
            fake.paths.append(self.path)
        try:
            time.sleep(fake.delay)
            code = self.path.rstrip("/").rsplit("/", 1)[-1]
            parcel = "/parcels/" in self.path
            if over_budget:
                self.send_body(503, b'{"isSuccess": false, "message": "fake carrier budget spent"}')
            elif parcel and fake.api_key and self.headers.get("x-api-key") != fake.api_key:
                self.send_body(401, b'{"isSuccess": false, "message": "unauthorized"}')
            elif code.startswith("JUNK"):
                self.send_body(200, JUNK_PAGE, "text/html")
            elif code.startswith("HANG"):
                time.sleep(fake.hang)
                self.send_body(200, b'{"events": []}')
            elif code.startswith("E500"):
                body = {"isSuccess": False, "message": f"boom, api_key={fake.api_key}"}
                self.send_body(500, json.dumps(body).encode())
            elif code.startswith("E401"):
                self.send_body(401, b'{"isSuccess": false, "message": "unauthorized"}')
            elif code.startswith("GONE"):
                self.send_body(404, b'{"isSuccess": false, "message": "not found"}')
            elif parcel:
                self.send_body(200, json.dumps(PARCEL).encode())
            else:
                events = fake.events.get(code)
                if events is None:
                    events = fake.events_factory(code) if fake.events_factory else DEFAULT_EVENTS
                body = json.dumps({"events": events}, ensure_ascii=False)
                self.send_body(200, body.encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (timeout tests do that on purpose).
            with fake.lock:
                fake.client_gone += 1
        finally:
            with fake.lock:
                fake.in_flight -= 1


class FakeCarrierServer(LoopbackServer):
    """``with FakeCarrierServer(delay=0.1) as fake: ... fake.url ...``"""

    handler_class = _Handler

    def __init__(
        self,
        delay=0.1,
        hang=3.0,
        api_key="",
        max_requests=20000,
        lifetime=900.0,
        events_factory=None,
    ):
        super().__init__(lifetime)
        self.delay, self.hang, self.api_key = delay, hang, api_key
        self.events_factory = events_factory
        self.max_requests, self.lifetime = max_requests, lifetime
        self.events = {}
        self.requests = self.in_flight = self.max_in_flight = self.client_gone = 0
        self.paths = []

    def reset_counters(self):
        with self.lock:
            self.requests = self.max_in_flight = 0
            self.paths = []
