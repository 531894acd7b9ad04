"""Post-ex (پستکس, postex.ir, Iran) client: an aggregator that also ships through Iran Post.

Seen in public code (third-party; none of it checked against the live API):

* Public tracking, no account (a shop's tracking page calls it):
  ``GET https://api.postex.ir/api/app/v1/tracking/public/{trackingCode}`` answering
  ``{"events": [{"description", "location", "local_event_date", "friendly_event_date",
  "event_time"}]}``, oldest first. It takes Post-ex parcel numbers and the barcodes of the
  couriers Post-ex works with (Iran Post's 24-digit code for ``IR_POST``).
* The account API: base ``https://api.postex.ir/api/v1``, header ``x-api-key``;
  ``GET /api/v1/parcels/{parcel_no}`` answering ``{"isSuccess", "current_status":
  {"code", "group": {"code"}}}`` with status groups 1 PAYMENT_PENDING, 2 PENDING_SELLER,
  3 ON_THE_WAY, 4 FULL_DELIVERED, 5 RETURNED, 7 DELIVERING, 8 CANCELED,
  9 READY_TO_ACCEPT, 10 OTHER; errors ``{"isSuccess": false, "message"}``.

How this client uses them: events always come from the public endpoint (one request per
code, no key sent). When codes are Post-ex parcel numbers (no ``courier`` set) and an API
key is given, the parcel's status group also sets the current status, which the events'
free text cannot always tell (returned, cancelled). The connection test is one parcel
request with the key.

Assumed: ``local_event_date`` + ``event_time`` are Tehran time (Jalali or Gregorian dates
both parse); an unknown code gives HTTP 404/400, ``isSuccess: false`` with "not found", or
``{"events": null}``; an empty list is a parcel with no scan yet (Pending). Event
descriptions carry no code and are read with ``persian.resolve``. Both paths, the base URL
(the host: paths carry ``/api/...``) and the group map are options. No webhook.
"""

from urllib.parse import quote

from ..exceptions import (
    AuthenticationError,
    InvalidResponseError,
    PermanentError,
    TrackingError,
    TrackingNotFoundError,
)
from . import base, persian
from .http import HttpMixin
from .timeparse import TEHRAN, parse_datetime

DEFAULT_BASE_URL = "https://api.postex.ir"
PUBLIC_TRACKING_PATH = "/api/app/v1/tracking/public/{code}"
PARCEL_PATH = "/api/v1/parcels/{code}"

# Parcel status groups (``current_status.group.code``); 10 OTHER says nothing: the events
# decide. ``None`` as status means the same.
STATUS_GROUPS = {
    "1": (base.INFO_RECEIVED, base.SUB_INFO_RECEIVED),  # PAYMENT_PENDING
    "2": (base.INFO_RECEIVED, base.SUB_INFO_RECEIVED),  # PENDING_SELLER
    "3": (base.IN_TRANSIT, base.SUB_IN_TRANSIT),  # ON_THE_WAY
    "4": (base.DELIVERED, base.SUB_DELIVERED),  # FULL_DELIVERED
    "5": (base.EXCEPTION, base.SUB_RETURNED),  # RETURNED
    "7": (base.OUT_FOR_DELIVERY, base.SUB_OUT_FOR_DELIVERY),  # DELIVERING
    "8": (base.EXCEPTION, base.SUB_EXCEPTION),  # CANCELED
    "9": (base.INFO_RECEIVED, base.SUB_INFO_RECEIVED),  # READY_TO_ACCEPT
    "10": (None, None),  # OTHER
}
_NOT_FOUND_WORDS = tuple(persian.normalize(w) for w in ("یافت نشد", "وجود ندارد", "not found"))
_AUTH_WORDS = tuple(persian.normalize(w) for w in ("api key", "کلید", "احراز", "unauthorized"))


class PostexClient(HttpMixin, base.CarrierClient):
    """Credentials: ``api_key`` (header ``x-api-key``), optional for tracking itself.
    Set ``courier`` (e.g. ``IR_POST``) when codes are that courier's barcodes; without
    it codes are Post-ex parcel numbers and, with a key, get their status group too."""

    name = "postex"
    batch_size = 1
    # No public page taking the code in its address was found; set ``tracking_page_url``.
    tracking_url_template = ""

    def __init__(
        self,
        api_key=None,
        *,
        courier=None,
        base_url=DEFAULT_BASE_URL,
        timeout=None,
        session=None,
        group_map=None,
        tracking_page_url=None,
        public_tracking_path=PUBLIC_TRACKING_PATH,
        parcel_path=PARCEL_PATH,
    ):
        self._init_http(base_url, timeout=timeout, session=session, secrets=(api_key,))
        self._api_key = api_key or None
        self.courier = courier or None
        self.group_map = {**STATUS_GROUPS, **{str(k): v for k, v in (group_map or {}).items()}}
        self.public_tracking_path, self.parcel_path = public_tracking_path, parcel_path
        if tracking_page_url:
            self.tracking_url_template = tracking_page_url

    # -- requests -------------------------------------------------------------------------

    def _refusal(self, payload, code):
        """The typed error of an ``isSuccess: false`` answer, or ``None``."""
        if not isinstance(payload, dict):
            return None
        if payload.get("isSuccess", payload.get("IsSuccess")) is not False:
            return None
        message = str(payload.get("message") or payload.get("Message") or "refused")
        folded = persian.normalize(message)
        if any(w in folded for w in _AUTH_WORDS):
            return self._error(AuthenticationError, message[:200])
        cls = (
            TrackingNotFoundError if any(w in folded for w in _NOT_FOUND_WORDS) else PermanentError
        )
        return self._error(cls, message[:200], tracking_code=code)

    def _parcel(self, code):
        """``GET parcels/{code}`` with the key; the answer, or ``None`` for "no such parcel"."""
        response = self._request(
            "GET",
            self.parcel_path.format(code=quote(code, safe="")),
            allow_status=(400, 404),
            headers={"x-api-key": self._api_key, "Accept": "application/json"},
        )
        payload = self._json(response) if response.content.strip() else None
        refusal = self._refusal(payload, code)
        if isinstance(refusal, AuthenticationError):
            raise refusal
        if response.status_code in (400, 404) or isinstance(refusal, TrackingNotFoundError):
            return None
        if refusal is not None:
            raise refusal
        if not isinstance(payload, dict):
            raise self._shape_error("parcel is not an object")
        return _unwrap(payload)

    def check_connection(self):
        """One parcel request with the key: "no such parcel" still proves the key works."""
        if not self._api_key:
            raise self._error(PermanentError, "no API key to test (public tracking needs none)")
        parcel = self._parcel(base.CONNECTION_TEST_CODE)
        if parcel is None:
            return "postex: API key accepted (the test parcel is unknown, as expected)"
        return f"postex: API key accepted, test parcel status group {self._group(parcel)}"

    def _fetch_batch(self, codes):
        code = codes[0]
        response = self._request(
            "GET",
            self.public_tracking_path.format(code=quote(code, safe="")),
            allow_status=(400, 404),
            headers={"Accept": "application/json"},
        )
        if response.status_code in (400, 404):
            return self._unknown_code(code, response.status_code)
        payload = self._json(response)
        refusal = self._refusal(payload, code)
        if refusal is not None:
            return {code: refusal}
        payload = _unwrap(payload)
        if not isinstance(payload, dict) or "events" not in payload:
            raise self._shape_error("no events list")
        events = payload["events"]
        if events is None:
            return self._unknown_code(code)
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise self._shape_error("events are not a list of objects")
        try:
            parsed = [self._event(item) for item in events]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return {
                code: self._error(
                    InvalidResponseError, f"unreadable events: {exc}", tracking_code=code
                )
            }
        status, substatus = self._current_status(code)
        if status is None:
            return {code: base.TrackingResult.from_events(code, parsed)}
        return {
            code: base.TrackingResult.from_events(code, parsed, status=status, substatus=substatus)
        }

    def _current_status(self, code):
        """The parcel's status group when it can be asked for; ``(None, None)`` otherwise.

        A failing parcel call must not hide the events already fetched: it only costs
        the status override.
        """
        if not self._api_key or self.courier:
            return None, None
        try:
            parcel = self._parcel(code)
        except AuthenticationError:
            raise
        except TrackingError:
            return None, None
        if parcel is None:
            return None, None
        return self.group_map.get(self._group(parcel), (None, None))

    @staticmethod
    def _group(parcel):
        current = parcel.get("current_status") or {}
        group = current.get("group") if isinstance(current, dict) else None
        return str(group.get("code")) if isinstance(group, dict) else ""

    # -- parsing ----------------------------------------------------------------------------

    def _event(self, item):
        day = str(item["local_event_date"]).strip()
        clock = str(item.get("event_time") or "").strip()
        when = f"{day} {clock}" if clock and ":" not in day else day
        text = str(item.get("description") or "")
        status, substatus = persian.resolve(None, text)
        return base.TrackingEvent(
            occurred_at=parse_datetime(when, TEHRAN),
            status=status,
            substatus=substatus,
            raw_text=text,
            location=item.get("location") or None,
        )


def _unwrap(payload):
    """Accept ``{"data": {...}}`` as well as the flat object."""
    if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
        return payload["data"]
    return payload
