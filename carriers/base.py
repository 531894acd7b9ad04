"""The contract every carrier client fills, and the normalised tracking vocabulary.

Statuses are AfterShip's delivery tags, used as-is so an AfterShip account maps 1:1 and
the Iranian carriers are translated onto a vocabulary people already know. Sub-statuses
are AfterShip subtag codes. ``exception_hint`` is our own short list of the situations
the chatbot hands to a person (helpdesk ticket) instead of answering itself.
"""

import abc
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import quote

from ..exceptions import PermanentError, TrackingError, TrackingNotFoundError

# -- Delivery tags (AfterShip spelling, do not translate: they are stored values) ------
PENDING = "Pending"
INFO_RECEIVED = "InfoReceived"
IN_TRANSIT = "InTransit"
OUT_FOR_DELIVERY = "OutForDelivery"
ATTEMPT_FAIL = "AttemptFail"
DELIVERED = "Delivered"
AVAILABLE_FOR_PICKUP = "AvailableForPickup"
EXCEPTION = "Exception"
EXPIRED = "Expired"

STATUSES = (
    PENDING,
    INFO_RECEIVED,
    IN_TRANSIT,
    OUT_FOR_DELIVERY,
    ATTEMPT_FAIL,
    DELIVERED,
    AVAILABLE_FOR_PICKUP,
    EXCEPTION,
    EXPIRED,
)

# -- Sub-statuses (AfterShip subtag codes) ----------------------------------------------
SUB_PENDING = "Pending_001"
SUB_INFO_RECEIVED = "InfoReceived_001"
SUB_IN_TRANSIT = "InTransit_001"
SUB_ACCEPTED = "InTransit_002"  # acceptance scan: the carrier took the parcel
SUB_ARRIVED_HUB = "InTransit_003"  # arrival scan at a hub / exchange centre
SUB_DEPARTED_HUB = "InTransit_007"  # departure scan
SUB_OUT_FOR_DELIVERY = "OutForDelivery_001"
SUB_ATTEMPT_FAIL = "AttemptFail_001"
SUB_ADDRESSEE_ABSENT = "AttemptFail_002"
SUB_DELIVERED = "Delivered_001"
SUB_AVAILABLE_FOR_PICKUP = "AvailableForPickup_001"
SUB_EXCEPTION = "Exception_001"
SUB_REFUSED = "Exception_003"
SUB_DELAYED_CUSTOMS = "Exception_004"
SUB_DELAYED = "Exception_005"
SUB_INCORRECT_ADDRESS = "Exception_007"
SUB_RETURNING = "Exception_010"
SUB_RETURNED = "Exception_011"
SUB_DAMAGED = "Exception_012"
SUB_LOST = "Exception_013"
SUB_EXPIRED = "Expired_001"

# -- Exception hints: why a person should look at the shipment ---------------------------
HINT_DELAYED = "delayed"
HINT_RETURNED = "returned_to_sender"
HINT_LOST = "lost"
HINT_ADDRESS = "address_issue"
HINT_FAILED_ATTEMPT = "failed_attempt"
HINT_DAMAGED = "damaged"
EXCEPTION_HINTS = (
    HINT_DELAYED,
    HINT_RETURNED,
    HINT_LOST,
    HINT_ADDRESS,
    HINT_FAILED_ATTEMPT,
    HINT_DAMAGED,
)

# Hints implied by a sub-status; shared by every client so the mapping lives in one place.
SUBSTATUS_HINTS = {
    SUB_DELAYED_CUSTOMS: HINT_DELAYED,
    SUB_DELAYED: HINT_DELAYED,
    "Exception_002": HINT_ADDRESS,  # customer moved
    SUB_INCORRECT_ADDRESS: HINT_ADDRESS,
    SUB_RETURNING: HINT_RETURNED,
    SUB_RETURNED: HINT_RETURNED,
    SUB_DAMAGED: HINT_DAMAGED,
    SUB_LOST: HINT_LOST,
    SUB_EXPIRED: HINT_DELAYED,
}
# Hints implied by the tag alone, when the sub-status says nothing more specific.
STATUS_HINTS = {ATTEMPT_FAIL: HINT_FAILED_ATTEMPT, EXPIRED: HINT_DELAYED}


# A code no carrier issues: asking for it proves the account and the network work without
# touching a real parcel; an "unknown code" answer counts as a working connection.
CONNECTION_TEST_CODE = "OTCONNECTIONTEST0"


def hint_for(status, substatus):
    """The exception hint implied by a status/sub-status pair, or ``None``."""
    return SUBSTATUS_HINTS.get(substatus) or STATUS_HINTS.get(status)


def _require_utc(value, name):
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(timezone.utc)


@dataclass(frozen=True)
class TrackingEvent:
    """One checkpoint of a shipment, normalised. ``occurred_at`` is stored in UTC."""

    occurred_at: datetime
    status: str
    substatus: str | None = None
    raw_code: str | None = None
    raw_text: str = ""
    location: str | None = None

    def __post_init__(self):
        # frozen: normalise through object.__setattr__ so equal instants compare equal.
        object.__setattr__(self, "occurred_at", _require_utc(self.occurred_at, "occurred_at"))
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def dedup_key(self):
        """Stable across processes and runs (unlike ``hash()``): safe as a unique key."""
        parts = (
            self.occurred_at.isoformat(),
            self.raw_code or "",
            self.raw_text or "",
            self.location or "",
        )
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TrackingResult:
    """What a carrier knows about one tracking code; ``events`` are newest first."""

    tracking_code: str
    events: list[TrackingEvent] = field(default_factory=list)
    status: str = PENDING
    substatus: str | None = None
    eta: date | datetime | None = None
    exception_hint: str | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.exception_hint is not None and self.exception_hint not in EXCEPTION_HINTS:
            raise ValueError(f"unknown exception hint {self.exception_hint!r}")

    @property
    def latest_event(self):
        return self.events[0] if self.events else None

    @classmethod
    def from_events(
        cls, tracking_code, events, *, eta=None, status=None, substatus=None, exception_hint=None
    ):
        """Build a result, deriving what the caller did not state from the events.

        The status comes from the newest *meaningful* event: a trailing "Pending" entry
        (carriers emit those for "no news") must not hide the last real state. The hint
        is derived from that same event so a failed attempt followed by a delivery does
        not keep the shipment flagged.
        """
        ordered = sorted(set(events), key=lambda e: (e.occurred_at, e.dedup_key), reverse=True)
        meaningful = next((e for e in ordered if e.status != PENDING), None)
        if status is None:
            status = meaningful.status if meaningful else PENDING
            substatus = meaningful.substatus if meaningful else substatus
        if exception_hint is None:
            exception_hint = hint_for(status, substatus)
        return cls(
            tracking_code=tracking_code,
            events=ordered,
            status=status,
            substatus=substatus,
            eta=eta,
            exception_hint=exception_hint,
        )


class CarrierClient(abc.ABC):
    """A provider the Odoo layer can ask about tracking codes.

    Subclasses set ``name`` (the registry key), ``batch_size`` (codes per request) and
    implement ``_fetch_batch``. ``fetch`` never raises for a single code's problem:
    each code maps to either a ``TrackingResult`` or the ``TrackingError`` it hit, so
    one bad code (or one failed batch) never hides the others' results.
    """

    name = ""
    batch_size = 1
    # "%s" is replaced by the URL-quoted tracking code.
    tracking_url_template = ""

    def fetch(self, codes):
        """Return ``{code: TrackingResult | TrackingError}`` for every requested code."""
        wanted = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
        results = {}
        for start in range(0, len(wanted), max(1, self.batch_size)):
            chunk = wanted[start : start + max(1, self.batch_size)]
            try:
                found = self._fetch_batch(chunk)
            except TrackingError as error:
                found = dict.fromkeys(chunk, error)
            for code in chunk:
                results[code] = found.get(code) or TrackingNotFoundError(
                    f"{self.name}: unknown tracking code", carrier=self.name, tracking_code=code
                )
        return results

    @abc.abstractmethod
    def _fetch_batch(self, codes):
        """Fetch at most ``batch_size`` codes; return ``{code: result or error}``.

        May raise a ``TrackingError`` that then applies to every code of the batch.
        """

    def check_connection(self):
        """Make the provider's cheapest authenticated request; return what it answered.

        Returns a short, secret-free sentence (shown to an administrator) or raises the
        ``TrackingError`` the request hit. The default asks about a code nobody issued:
        an "unknown code" answer proves the account and the network work.
        """
        outcome = self.fetch([CONNECTION_TEST_CODE])[CONNECTION_TEST_CODE]
        if isinstance(outcome, TrackingNotFoundError):
            return f"{self.name}: the test code is unknown, as expected"
        if isinstance(outcome, TrackingError):
            raise outcome
        return f"{self.name}: the test code answered status {outcome.status}"

    def parse_webhook(self, headers, body):
        """Verify and parse a push from the provider into ``TrackingResult`` objects.

        Providers without verifiable webhooks refuse every push: an unsigned push
        would let anyone on the internet mark orders delivered.
        """
        raise PermanentError(f"{self.name}: webhooks are not supported", carrier=self.name)

    def tracking_url(self, code):
        """Public page where a person can follow the parcel, or "" if none is known."""
        template = self.tracking_url_template or ""
        if "%s" not in template:
            # Some carriers only offer a search page without a code parameter.
            return template
        return template % quote(str(code).strip(), safe="")


def header(headers, name):
    """Case-insensitive header look-up that works on plain dicts too."""
    if not isinstance(headers, Mapping):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if str(key).lower() == wanted:
            return value
    return None


def chunked(items, size):
    """Split ``items`` into lists of at most ``size`` elements."""
    items = list(items) if not isinstance(items, Sequence) else items
    return [list(items[i : i + size]) for i in range(0, len(items), max(1, size))]
