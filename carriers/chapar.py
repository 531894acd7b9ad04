"""Chapar (چاپار, chaparnet.com, Iran) client on its "krch" customer API.

Seen in public code (third-party; none of it checked against the live API):

* ``sobhaann/chapar-api-client`` (``api/openapi.yaml``, several versions) and shop
  integrations (an Odoo addon, PHP and TypeScript shops): base ``https://app.krch.ir/v1``;
  every call is a POST whose form field ``input`` holds a JSON string; the answer envelope
  is ``{"result": true|false, "message", "object"|"objects": {...}}`` (the versions differ
  on the key, one omits the envelope).
* ``/bulk_history_report`` with ``input = {"user": {"username", "password"}, "bulk":
  ["<tracking>", ...]}`` answering ``history[]`` items ``{"tracking", "reference",
  "date": "2020-07-19", "time": "01:26", "status": "D01", "status_note"}`` — the polling
  path here, many codes per request.
* ``/tracking`` with ``input = {"order": {"reference": "<code>", "lang": "fa"}}`` (no
  account) answering ``objects.order`` = ``{"delivered_to", "delivery_time": "1397/04/20
  10:27:25", "history": [{"date": "1397/04/20", "timestamp_date": 1531898245,
  "status": "OD (توزیع توسط پیک)", "loc", "geo"}]}`` — Jalali dates; used when
  ``use_tracking=True`` (one code per request, gives locations).
* Status codes ``D01`` (data entered), ``OD`` (out for delivery, «توزیع توسط پیک») and
  ``OK`` («بار به صورت صحیح و سالم تحویل شد», delivered).

Assumed: dates without an offset are Tehran time; the other status codes are unknown, so
their notes are read with ``persian.resolve`` (``code_map`` pins codes once known);
``result: false`` with a message about the user or password means bad credentials; a code
missing from the bulk answer is unknown to Chapar. ``change_state_url`` callbacks are not
signed in any source, so this client refuses webhooks. Base URL, paths and the code map
are constructor options.
"""

import json
import re

from ..exceptions import AuthenticationError, InvalidResponseError, PermanentError
from . import base, persian
from .http import HttpMixin
from .timeparse import TEHRAN, parse_datetime

DEFAULT_BASE_URL = "https://app.krch.ir/v1"
HISTORY_PATH = "/bulk_history_report"
TRACKING_PATH = "/tracking"

KNOWN_CODES = {
    "D01": (base.INFO_RECEIVED, base.SUB_INFO_RECEIVED),
    "OD": (base.OUT_FOR_DELIVERY, base.SUB_OUT_FOR_DELIVERY),
    "OK": (base.DELIVERED, base.SUB_DELIVERED),
}
# Words in a "result: false" message that point at the credentials.
_AUTH_WORDS = tuple(
    persian.normalize(w)
    for w in ("نام کاربری", "رمز", "کلمه عبور", "احراز", "username", "password", "login")
)
_NOT_FOUND_WORDS = tuple(persian.normalize(w) for w in ("یافت نشد", "وجود ندارد", "not found"))
# "/tracking" statuses read "OD (توزیع توسط پیک)": a code, then its note in brackets.
_CODE_AND_NOTE = re.compile(r"^\s*([A-Za-z0-9_]+)\s*\((.*)\)\s*$")


def split_status(value):
    """``("OD", "توزیع توسط پیک")`` from ``"OD (توزیع توسط پیک)"``; a bare text has no code."""
    text = str(value or "").strip()
    match = _CODE_AND_NOTE.match(text)
    if match:
        return match[1], match[2].strip()
    if re.fullmatch(r"[A-Za-z0-9_]+", text):
        return text, ""
    return None, text


class ChaparClient(HttpMixin, base.CarrierClient):
    """Credentials: ``username`` and ``password`` of the Chapar customer account, sent in
    the request body of ``bulk_history_report`` (the API has no token)."""

    name = "chapar"
    # No source states a limit for ``bulk``; 20 keeps one slow answer small.
    batch_size = 20
    tracking_url_template = "https://www.chaparnet.com/track/%s"

    def __init__(
        self,
        username,
        password,
        *,
        base_url=DEFAULT_BASE_URL,
        timeout=None,
        session=None,
        code_map=None,
        tracking_page_url=None,
        use_tracking=False,
        history_path=HISTORY_PATH,
        tracking_path=TRACKING_PATH,
    ):
        if not (username and password):
            raise ValueError("Chapar needs a username and a password")
        self._init_http(base_url, timeout=timeout, session=session, secrets=(password,))
        self._user = {"username": username, "password": password}
        self.code_map = {**KNOWN_CODES, **(code_map or {})}
        self.use_tracking = use_tracking
        self.history_path, self.tracking_path = history_path, tracking_path
        if use_tracking:
            self.batch_size = 1
        if tracking_page_url:
            self.tracking_url_template = tracking_page_url

    # -- requests -------------------------------------------------------------------------

    def _post(self, path, request):
        response = self._request(
            "POST",
            path,
            data={"input": json.dumps(request, ensure_ascii=False)},
            headers={"Accept": "application/json"},
        )
        payload = self._json(response)
        if not isinstance(payload, dict):
            raise self._shape_error("answer is not an object")
        if payload.get("result") in (False, 0, "0", "false"):
            self._raise_refusal(payload.get("message"))
        return payload

    def _history(self, codes):
        payload = self._post(self.history_path, {"user": self._user, "bulk": list(codes)})
        container = payload.get("objects", payload.get("object", payload))
        history = container.get("history") if isinstance(container, dict) else None
        if not isinstance(history, list) or not all(isinstance(i, dict) for i in history):
            raise self._shape_error("history is not a list of objects")
        return history

    def _fetch_batch(self, codes):
        if self.use_tracking:
            return self._fetch_tracking(codes[0])
        by_code = {}
        for item in self._history(codes):
            by_code.setdefault(str(item.get("tracking") or "").strip(), []).append(item)
        return {
            code: self._parsed(code, lambda c=code: [self._history_event(i) for i in by_code[c]])
            for code in codes
            if code in by_code
        }

    def _fetch_tracking(self, code):
        try:
            payload = self._post(self.tracking_path, {"order": {"reference": code, "lang": "fa"}})
        except PermanentError as error:
            if any(w in persian.normalize(str(error)) for w in _NOT_FOUND_WORDS):
                return self._unknown_code(code)
            raise
        if not {"objects", "object", "order"} & set(payload):
            raise self._shape_error("no order in the tracking answer")
        container = payload.get("objects", payload.get("object", payload))
        order = container.get("order") if isinstance(container, dict) else None
        if not order:
            return self._unknown_code(code)
        if not isinstance(order, dict) or not isinstance(order.get("history", []), list):
            raise self._shape_error("order is not an object with a history list")

        def events():
            found = [self._tracking_event(item) for item in order.get("history") or ()]
            return found + self._delivery_event(order, found)

        return {code: self._parsed(code, events)}

    def check_connection(self):
        """One ``bulk_history_report`` for a code nobody issued: an empty history proves
        the account works (the cheapest call that carries the credentials)."""
        history = self._history([base.CONNECTION_TEST_CODE])
        return f"chapar: account accepted, {len(history)} history lines for the test code"

    def _raise_refusal(self, message):
        text = str(message or "request refused")
        folded = persian.normalize(text)
        cls = AuthenticationError if any(w in folded for w in _AUTH_WORDS) else PermanentError
        raise self._error(cls, text[:200])

    # -- parsing ----------------------------------------------------------------------------

    def _parsed(self, code, events):
        """The result of one code, or the junk it carried (never hiding the other codes)."""
        try:
            return base.TrackingResult.from_events(code, events())
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return self._error(
                InvalidResponseError, f"unreadable history: {exc}", tracking_code=code
            )

    def _event(self, occurred_at, code, note, location=None):
        status, substatus = persian.resolve(code, note, code_map=self.code_map)
        return base.TrackingEvent(
            occurred_at=occurred_at,
            status=status,
            substatus=substatus,
            raw_code=code or None,
            raw_text=note,
            location=location or None,
        )

    def _history_event(self, item):
        when = f"{item['date']} {item.get('time') or '00:00'}"
        code, note = split_status(item.get("status"))
        return self._event(
            parse_datetime(when, TEHRAN), code, str(item.get("status_note") or note or "")
        )

    def _tracking_event(self, item):
        # The unix stamp carries the time of day; the Jalali date alone only the day.
        stamp = item.get("timestamp_date")
        if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) and stamp > 0:
            occurred_at = parse_datetime(stamp)
        else:
            occurred_at = parse_datetime(item["date"], TEHRAN)
        code, note = split_status(item.get("status"))
        return self._event(occurred_at, code, note, item.get("loc"))

    def _delivery_event(self, order, events):
        """A delivery the history forgot: ``delivery_time`` (Jalali) says when it happened."""
        when = order.get("delivery_time")
        if not when or any(e.status == base.DELIVERED for e in events):
            return []
        note = str(order.get("delivered_to") or "")
        status, substatus = self.code_map["OK"]
        return [
            base.TrackingEvent(
                occurred_at=parse_datetime(when, TEHRAN),
                status=status,
                substatus=substatus,
                raw_code="OK",
                raw_text=note,
            )
        ]
