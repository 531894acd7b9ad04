"""A simulated carrier, the default for demos and tests when no account is configured.

Deterministic: the route, the hubs and the timing come from a random generator seeded
with the tracking code, and what is visible depends only on the hand-over time and
"now". A shipment advances InfoReceived → InTransit (Iranian exchange centres, in
Persian) → OutForDelivery → Delivered over about two to three simulated days.

Codes whose prefix names a scenario (case-insensitive) go wrong on purpose:

================  ==========================================================  ==================
prefix            what happens                                                exception_hint
================  ==========================================================  ==================
``SIM-DLY-``      stops at the first exchange centre, then a delay notice     delayed
``SIM-RTS-``      two failed attempts, then returned to the sender            returned_to_sender
``SIM-LOST-``     leaves the first hub, goes silent, declared lost 4 days on  lost
``SIM-ADDR-``     out for delivery, then «آدرس ناقص» (incomplete address)     address_issue
``SIM-FAIL-``     one failed attempt, delivered the next day                  failed_attempt,
                                                                              then none
``SIM-DMG-``      damaged at the destination exchange centre                  damaged
``SIM-404-``      unknown to the carrier (``TrackingNotFoundError``)          —
================  ==========================================================  ==================

Any other code follows the normal route.
"""

import hashlib
import random
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from ..exceptions import TrackingError, TrackingNotFoundError
from . import base
from .timeparse import TEHRAN

CITIES = (
    "تهران",
    "مشهد",
    "اصفهان",
    "شیراز",
    "تبریز",
    "کرج",
    "اهواز",
    "قم",
    "کرمانشاه",
    "رشت",
    "یزد",
    "ارومیه",
    "کرمان",
    "همدان",
    "زاهدان",
    "بندرعباس",
    "ساری",
)
CAPITAL = "تهران"

SCENARIOS = ("SIM-DLY-", "SIM-RTS-", "SIM-LOST-", "SIM-ADDR-", "SIM-FAIL-", "SIM-DMG-")
NOT_FOUND_PREFIX = "SIM-404-"


def _hub(city):
    return f"مرکز مبادلات {city}"


class _Route:
    """Builds the (hours after hand-over, status, substatus, text, location) steps."""

    def __init__(self, code):
        seed = int(hashlib.sha256(code.encode("utf-8")).hexdigest()[:16], 16)
        self.rng = random.Random(seed)
        self.origin, self.destination = self.rng.sample(CITIES, 2)
        self.steps = []
        self.hour = 0.0

    def add(self, after, status, substatus, text, location):
        low, high = after
        self.hour += self.rng.uniform(low, high)
        self.steps.append((self.hour, status, substatus, text, location))

    def to_destination_hub(self):
        b = base
        self.add(
            (0, 0), b.INFO_RECEIVED, b.SUB_INFO_RECEIVED, "ثبت مرسوله و صدور بارنامه", self.origin
        )
        self.add((1, 3), b.IN_TRANSIT, b.SUB_ACCEPTED, "جمع‌آوری مرسوله از فرستنده", self.origin)
        self.add(
            (2, 5),
            b.IN_TRANSIT,
            b.SUB_ARRIVED_HUB,
            f"ورود به {_hub(self.origin)}",
            _hub(self.origin),
        )

    def leave_origin(self):
        self.add(
            (3, 8),
            base.IN_TRANSIT,
            base.SUB_DEPARTED_HUB,
            f"خروج از {_hub(self.origin)}",
            _hub(self.origin),
        )
        if CAPITAL not in (self.origin, self.destination):
            self.add(
                (6, 12),
                base.IN_TRANSIT,
                base.SUB_ARRIVED_HUB,
                f"ورود به {_hub(CAPITAL)}",
                _hub(CAPITAL),
            )
            self.add(
                (3, 6),
                base.IN_TRANSIT,
                base.SUB_DEPARTED_HUB,
                f"خروج از {_hub(CAPITAL)}",
                _hub(CAPITAL),
            )
        self.add(
            (6, 14),
            base.IN_TRANSIT,
            base.SUB_ARRIVED_HUB,
            f"ورود به {_hub(self.destination)}",
            _hub(self.destination),
        )

    def out_for_delivery(self, after=(3, 8)):
        self.add(
            after,
            base.OUT_FOR_DELIVERY,
            base.SUB_OUT_FOR_DELIVERY,
            f"تحویل به مامور توزیع در {self.destination}",
            self.destination,
        )

    def delivered(self):
        self.add((1, 5), base.DELIVERED, base.SUB_DELIVERED, "تحویل گیرنده شد", self.destination)

    def failed_attempt(self):
        self.add(
            (2, 4),
            base.ATTEMPT_FAIL,
            base.SUB_ADDRESSEE_ABSENT,
            "عدم حضور گیرنده در محل",
            self.destination,
        )


def build_route(code):
    """The full planned timeline of ``code`` and the hour its delivery was planned for."""
    route = _Route(code)
    route.to_destination_hub()
    scenario = next((p for p in SCENARIOS if code.upper().startswith(p)), None)
    planned = _Route(code)  # same seed: the normal plan gives the promised ETA
    planned.to_destination_hub()
    planned.leave_origin()
    planned.out_for_delivery()
    planned.delivered()
    b = base
    if scenario == "SIM-DLY-":
        route.add(
            (16, 20),
            b.EXCEPTION,
            b.SUB_DELAYED,
            f"تأخیر در پردازش مرسوله در {_hub(route.origin)}",
            _hub(route.origin),
        )
    elif scenario == "SIM-LOST-":
        route.leave_origin()
        route.add((96, 96), b.EXCEPTION, b.SUB_LOST, "مرسوله مفقود شده است", None)
    elif scenario == "SIM-DMG-":
        route.leave_origin()
        route.add(
            (1, 3),
            b.EXCEPTION,
            b.SUB_DAMAGED,
            f"آسیب‌دیدگی مرسوله در {_hub(route.destination)}",
            _hub(route.destination),
        )
    else:
        route.leave_origin()
        route.out_for_delivery()
        if scenario == "SIM-ADDR-":
            route.add(
                (1, 3),
                b.EXCEPTION,
                b.SUB_INCORRECT_ADDRESS,
                "آدرس ناقص؛ امکان تحویل وجود ندارد",
                route.destination,
            )
        elif scenario in ("SIM-FAIL-", "SIM-RTS-"):
            route.failed_attempt()
            route.out_for_delivery(after=(20, 22))
            if scenario == "SIM-FAIL-":
                route.delivered()
            else:
                route.failed_attempt()
                route.add(
                    (2, 6),
                    b.EXCEPTION,
                    b.SUB_RETURNING,
                    "در حال برگشت به فرستنده",
                    _hub(route.destination),
                )
                route.add(
                    (30, 48),
                    b.EXCEPTION,
                    b.SUB_RETURNED,
                    "مرسوله به فرستنده تحویل شد",
                    route.origin,
                )
        else:
            route.delivered()
    return route.steps, planned.steps[-1][0]


def _utc(value):
    if value.tzinfo is None:
        raise ValueError("times given to the simulated carrier must be timezone-aware")
    return value.astimezone(timezone.utc)


class SimulatedClient(base.CarrierClient):
    """No credentials. ``clock`` returns "now" (aware datetime); ``handed_over_at`` is a
    ``{code: datetime}`` mapping or a callable ``code -> datetime | None`` giving when
    the parcel was handed to the carrier (the Odoo layer passes the picking's done
    date). Without one, the hand-over defaults to 08:00 Tehran time 0-2 days (chosen by
    the code) before the current day, so a demo still shows movement during the day.
    """

    name = "simulated"
    batch_size = 100

    def __init__(self, *, clock=None, handed_over_at=None):
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.handed_over_at = handed_over_at

    def fetch(self, codes, *, now=None):
        """``codes`` may be a list or a ``{code: handed_over_at}`` mapping."""
        now = _utc(now or self.clock())
        given = dict(codes) if isinstance(codes, Mapping) else {}
        results = {}
        for raw in codes:
            code = str(raw).strip()
            if not code:
                continue
            try:
                results[code] = self.track(code, given.get(raw) or self._handover(code, now), now)
            except TrackingError as error:
                results[code] = error
        return results

    def _fetch_batch(self, codes):
        return self.fetch(codes)

    def _handover(self, code, now):
        source = self.handed_over_at
        found = None
        if isinstance(source, Mapping):
            found = source.get(code)
        elif callable(source):
            found = source(code)
        if found:
            return found
        local_day = now.astimezone(TEHRAN).replace(hour=8, minute=0, second=0, microsecond=0)
        days_back = int(hashlib.sha256(code.encode("utf-8")).hexdigest()[:4], 16) % 3
        return local_day - timedelta(days=days_back)

    def track(self, code, handed_over_at, now):
        """The result visible at ``now`` for a parcel handed over at ``handed_over_at``."""
        if code.upper().startswith(NOT_FOUND_PREFIX):
            raise TrackingNotFoundError(
                "simulated: unknown tracking code", carrier=self.name, tracking_code=code
            )
        start, now = _utc(handed_over_at), _utc(now)
        steps, planned_hour = build_route(code)
        events = [
            base.TrackingEvent(
                occurred_at=start + timedelta(hours=hour),
                status=status,
                substatus=substatus,
                raw_code=substatus,
                raw_text=text,
                location=location,
            )
            for hour, status, substatus, text, location in steps
            if start + timedelta(hours=hour) <= now
        ]
        eta = (start + timedelta(hours=planned_hour)).astimezone(TEHRAN).date()
        return base.TrackingResult.from_events(code, events, eta=eta)
