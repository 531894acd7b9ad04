"""AfterShip Tracking API client (polling + signed webhooks).

Shape source: AfterShip's public documentation and its official generated SDK
(github.com/AfterShip/tracking-sdk-python, API version 2025-07):

* ``GET {base}/trackings?tracking_numbers=A,B`` (up to 50 numbers), header
  ``as-api-key``; answer ``{"meta": {"code", "message"}, "data": {"trackings": [...],
  "pagination": {...}}}``. A number is only known once it was created in the account
  (``POST /trackings``), otherwise it is simply absent from the list.
* tracking: ``tracking_number``, ``slug``, ``tag``, ``subtag``, ``checkpoints[]``
  (``checkpoint_time``, ``message``, ``location``/``city``/``state``/
  ``country_region``, ``tag``, ``subtag``, ``raw_tag``), estimated delivery in
  ``latest_estimated_delivery.datetime``, ``courier_estimated_delivery_date.
  estimated_delivery_date``, ``aftership_estimated_delivery_date.
  estimated_delivery_date`` or the legacy v4 ``expected_delivery``.
* webhooks: POST body ``{"event", "event_id", "is_tracking_first_tag", "msg":
  <tracking>, "ts"}``; header ``aftership-hmac-sha256`` = base64(HMAC-SHA256(body,
  webhook secret)).

Assumed: a ``checkpoint_time`` without offset is read as UTC (AfterShip passes the
carrier's local time through when the carrier gives no zone).
"""

import base64
import hashlib
import hmac
import json
import time

from ..exceptions import InvalidResponseError, SignatureError
from . import base
from .http import HttpMixin
from .timeparse import parse_datetime, parse_eta

DEFAULT_BASE_URL = "https://api.aftership.com/tracking/2025-07"
SIGNATURE_HEADER = "aftership-hmac-sha256"

# (container key, value key) pairs, most current estimate first.
_ETA_FIELDS = (
    ("latest_estimated_delivery", "datetime"),
    ("courier_estimated_delivery_date", "estimated_delivery_date"),
    ("aftership_estimated_delivery_date", "estimated_delivery_date"),
)


class AfterShipClient(HttpMixin, base.CarrierClient):
    """Client for one AfterShip account.

    Credentials: ``api_key`` (header ``as-api-key``); ``webhook_secret`` only if
    webhooks are used. ``slug`` restricts look-ups to one courier when the same
    number exists for several. ``seen(event_id) -> bool`` (optional) rejects replayed
    webhook events; it must record the id and answer whether it was already there.
    """

    name = "aftership"
    batch_size = 50

    def __init__(
        self,
        api_key,
        *,
        base_url=DEFAULT_BASE_URL,
        webhook_secret=None,
        slug=None,
        timeout=None,
        session=None,
        tracking_page_url=None,
        seen=None,
        webhook_max_age=None,
        clock=None,
    ):
        if not api_key:
            raise ValueError("AfterShip needs an API key")
        self._init_http(
            base_url, timeout=timeout, session=session, secrets=(api_key, webhook_secret)
        )
        self._api_key = api_key
        self._webhook_secret = webhook_secret
        self.slug = slug
        self.seen = seen
        # AfterShip retries failed deliveries for hours, so no age limit by default;
        # replay protection comes from ``seen(event_id)`` instead.
        self.webhook_max_age = webhook_max_age
        self.clock = clock or time.time
        self.tracking_url_template = tracking_page_url or ""

    # -- polling -------------------------------------------------------------------------
    def _fetch_batch(self, codes):
        params = {"tracking_numbers": ",".join(codes), "limit": 200}
        if self.slug:
            params["slug"] = self.slug
        response = self._request(
            "GET",
            "/trackings",
            params=params,
            headers={"as-api-key": self._api_key, "Accept": "application/json"},
        )
        payload = self._json(response)
        data = payload.get("data") if isinstance(payload, dict) else None
        trackings = data.get("trackings") if isinstance(data, dict) else None
        if not isinstance(trackings, list):
            raise self._shape_error("data.trackings is not a list")
        newest = {}
        for tracking in trackings:
            if not isinstance(tracking, dict):
                raise self._shape_error("tracking is not an object")
            number = str(tracking.get("tracking_number") or "").strip()
            # The same number may exist under several couriers: keep the freshest.
            if number and str(tracking.get("updated_at") or "") >= str(
                newest.get(number, {}).get("updated_at") or ""
            ):
                newest[number] = tracking
        results = {}
        for code in codes:
            if code in newest:
                results[code] = self._safe_parse(newest[code])
        return results

    def _safe_parse(self, tracking):
        try:
            return self.parse_tracking(tracking)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return self._error(
                InvalidResponseError,
                f"unreadable tracking: {exc}",
                tracking_code=str(tracking.get("tracking_number") or "") or None,
            )

    def parse_tracking(self, tracking):
        """Turn one AfterShip tracking object into a ``TrackingResult``."""
        checkpoints = tracking.get("checkpoints") or []
        if not isinstance(checkpoints, list):
            raise TypeError("checkpoints is not a list")
        events = [self._event(cp) for cp in checkpoints]
        tag = tracking.get("tag")
        return base.TrackingResult.from_events(
            str(tracking["tracking_number"]),
            events,
            eta=self._eta(tracking),
            status=tag if tag in base.STATUSES else None,
            substatus=tracking.get("subtag") or None,
        )

    @staticmethod
    def _event(checkpoint):
        tag = checkpoint.get("tag")
        location = checkpoint.get("location") or ", ".join(
            str(part)
            for part in (
                checkpoint.get("city"),
                checkpoint.get("state"),
                checkpoint.get("country_region_name")
                or checkpoint.get("country_region")
                or checkpoint.get("country_name"),
            )
            if part
        )
        return base.TrackingEvent(
            occurred_at=parse_datetime(checkpoint["checkpoint_time"]),
            # A tag AfterShip adds in a future version must not break parsing: keep it
            # as raw code on a non-meaningful event.
            status=tag if tag in base.STATUSES else base.PENDING,
            substatus=checkpoint.get("subtag") or None,
            raw_code=checkpoint.get("raw_tag") or checkpoint.get("subtag") or tag,
            raw_text=checkpoint.get("message") or checkpoint.get("subtag_message") or "",
            location=location or None,
        )

    @staticmethod
    def _eta(tracking):
        for container, key in _ETA_FIELDS:
            value = tracking.get(container)
            if isinstance(value, dict) and value.get(key):
                return parse_eta(value[key])
        return parse_eta(tracking.get("expected_delivery"))

    # -- webhooks ------------------------------------------------------------------------
    def verify_signature(self, headers, body):
        """Raise ``SignatureError`` unless the body carries a valid AfterShip HMAC."""
        if not self._webhook_secret:
            raise SignatureError(
                "aftership: no webhook secret configured",
                carrier=self.name,
                reason="not_configured",
            )
        received = base.header(headers, SIGNATURE_HEADER)
        if not received:
            raise SignatureError(
                "aftership: signature header missing", carrier=self.name, reason="missing"
            )
        digest = hmac.new(self._webhook_secret.encode("utf-8"), body, hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode("ascii")
        if not hmac.compare_digest(expected.encode("ascii"), str(received).strip().encode("utf-8")):
            raise SignatureError(
                "aftership: signature mismatch", carrier=self.name, reason="mismatch"
            )

    def parse_webhook(self, headers, body, *, seen=None):
        """Verify, de-duplicate and parse an AfterShip webhook into results."""
        self.verify_signature(headers, body)
        try:
            payload = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise self._error(InvalidResponseError, "webhook body is not JSON") from exc
        if not isinstance(payload, dict):
            raise self._shape_error("webhook body is not an object")
        if self.webhook_max_age is not None:
            ts = payload.get("ts")
            if not isinstance(ts, (int, float)) or self.clock() - ts > self.webhook_max_age:
                raise SignatureError(
                    "aftership: webhook too old", carrier=self.name, reason="expired"
                )
        seen = seen or self.seen
        event_id = payload.get("event_id")
        if seen is not None and event_id and seen(f"{self.name}:{event_id}"):
            raise SignatureError(
                "aftership: webhook event already processed", carrier=self.name, reason="replayed"
            )
        message = payload.get("msg")
        if not isinstance(message, dict) or not message.get("tracking_number"):
            return []
        result = self._safe_parse(message)
        if isinstance(result, InvalidResponseError):
            raise result
        return [result]
