"""Chapar (چاپار, chaparnet.com, Iran) client on its "krch" customer API.

Sources found:

* An OpenAPI description of the Chapar Customer API with a generated Go client
  (github.com/sobhaann/chapar-api-client, ``api/openapi.yaml``): server
  ``https://app.krch.ir/v1``; ``POST /bulk_history_report`` taking
  ``{"user": {"username", "password"}, "bulk": ["<tracking>", ...]}`` and answering
  ``history[]`` items ``{"date": "2020-07-19", "time": "01:26", "status": "D01",
  "status_note": "بار در سیستم ورود اطلاعات شد", "tracking", "reference"}``; the
  single history report shows ``status: "OK"`` with «بار به صورت صحیح و سالم تحویل شد».
* Public shop integrations (PHP, TypeScript on GitHub) that send every request as a
  form field ``input`` holding the JSON string, and a production log quoted in one of
  them showing the envelope ``{"result", "message", "objects": {...}}``.
* The public tracking page ``https://www.chaparnet.com/track/<code>``.

Assumed: the bulk history answer is ``{"result": true, "objects": {"history": [...]}}``
(a bare top-level ``history`` is accepted too, as in the OpenAPI example); dates are
Tehran time; only ``D01`` (data entered) and ``OK`` (delivered) codes are known, every
other event is mapped from ``status_note``; ``result: false`` with a message about the
user or password means bad credentials. Chapar's ``change_state_url`` callbacks are not
signed in any source we found, so this client refuses webhooks.
"""

import json

from ..exceptions import AuthenticationError, InvalidResponseError, PermanentError
from . import base, persian
from .http import HttpMixin
from .timeparse import TEHRAN, parse_datetime

DEFAULT_BASE_URL = "https://app.krch.ir/v1"
HISTORY_PATH = "/bulk_history_report"

KNOWN_CODES = {
    "D01": (base.INFO_RECEIVED, base.SUB_INFO_RECEIVED),
    "OK": (base.DELIVERED, base.SUB_DELIVERED),
}
# Words in a "result: false" message that point at the credentials.
_AUTH_WORDS = tuple(
    persian.normalize(w)
    for w in ("نام کاربری", "رمز", "کلمه عبور", "احراز", "username", "password", "login")
)


class ChaparClient(HttpMixin, base.CarrierClient):
    """Credentials: ``username`` and ``password`` of the Chapar customer account (sent
    in the request body on every call, as the API has no token)."""

    name = "chapar"
    # The API states no limit for ``bulk``; 20 keeps one slow answer small.
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
    ):
        if not (username and password):
            raise ValueError("Chapar needs a username and a password")
        self._init_http(base_url, timeout=timeout, session=session, secrets=(password,))
        self._user = {"username": username, "password": password}
        self.code_map = {**KNOWN_CODES, **(code_map or {})}
        if tracking_page_url:
            self.tracking_url_template = tracking_page_url

    def _fetch_batch(self, codes):
        request = {"user": self._user, "bulk": list(codes)}
        response = self._request(
            "POST",
            HISTORY_PATH,
            data={"input": json.dumps(request, ensure_ascii=False)},
            headers={"Accept": "application/json"},
        )
        payload = self._json(response)
        if not isinstance(payload, dict):
            raise self._shape_error("answer is not an object")
        if payload.get("result") is False:
            self._raise_refusal(payload.get("message"))
        container = payload.get("objects") if "objects" in payload else payload
        history = container.get("history") if isinstance(container, dict) else None
        if not isinstance(history, list):
            raise self._shape_error("history is not a list")
        by_code = {}
        for item in history:
            if not isinstance(item, dict):
                raise self._shape_error("history item is not an object")
            by_code.setdefault(str(item.get("tracking") or "").strip(), []).append(item)
        results = {}
        for code in codes:
            if code in by_code:
                results[code] = self._result(code, by_code[code])
        return results

    def _raise_refusal(self, message):
        text = str(message or "request refused")
        folded = persian.normalize(text)
        cls = AuthenticationError if any(w in folded for w in _AUTH_WORDS) else PermanentError
        raise self._error(cls, text[:200])

    def _result(self, code, items):
        try:
            return base.TrackingResult.from_events(code, [self._event(item) for item in items])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return self._error(
                InvalidResponseError, f"unreadable history: {exc}", tracking_code=code
            )

    def _event(self, item):
        when = f"{item['date']} {item.get('time') or '00:00'}"
        note = str(item.get("status_note") or "")
        status, substatus = persian.resolve(item.get("status"), note, code_map=self.code_map)
        return base.TrackingEvent(
            occurred_at=parse_datetime(when, TEHRAN),
            status=status,
            substatus=substatus,
            raw_code=str(item.get("status") or "") or None,
            raw_text=note,
            location=item.get("loc") or item.get("location") or None,
        )
