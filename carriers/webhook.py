"""A generic signed webhook, for carriers (or relays) that push updates to us.

Signature header (Stripe-like)::

    X-OT-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

Several ``v1=`` entries may be sent, and several secrets configured, so a secret can
be rotated without downtime. A request is accepted only if its timestamp is within
``tolerance`` seconds of now (default 300) and one signature matches in constant time;
``seen(nonce) -> bool`` then rejects replays: it must atomically record the nonce and
say whether it was already recorded (e.g. an insert under a unique constraint, in the
same transaction as the processing). The nonce is the payload ``id``.

Body schema (UTF-8 JSON)::

    {
      "id": "evt_123",                      # required, unique per event (replay key)
      "tracking_code": "TRK123",            # required
      "events": [                           # required, any order
        {"time": "2025-05-01T10:00:00+03:30",   # ISO 8601; no offset = UTC
         "status": "InTransit",             # one of the base.STATUSES tags
         "substatus": "InTransit_003",      # optional AfterShip-style subtag
         "code": "HUB_IN",                  # optional provider code
         "text": "ورود به مرکز مبادلات تهران",  # human text
         "location": "تهران"}               # optional
      ],
      "eta": "2025-05-03",                  # optional date or datetime
      "exception_hint": null                # optional, one of base.EXCEPTION_HINTS
    }
"""

import hashlib
import hmac
import json
import time

from ..exceptions import InvalidResponseError, PermanentError, SignatureError
from . import base
from .timeparse import parse_datetime, parse_eta

SIGNATURE_HEADER = "X-OT-Signature"
DEFAULT_TOLERANCE = 300


def _digest(secret, timestamp, body):
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(body, secret, t=None):
    """Header value signing ``body`` (bytes) with ``secret`` at unix time ``t``."""
    t = int(time.time() if t is None else t)
    return f"t={t},v1={_digest(secret, t, body)}"


def _parse_header(value):
    timestamp, signatures = None, []
    for part in str(value or "").split(","):
        key, _, item = part.strip().partition("=")
        if key == "t" and item.isdigit():
            timestamp = int(item)
        elif key == "v1" and item:
            signatures.append(item)
    return timestamp, signatures


def verify(header_value, body, secrets, *, now=None, tolerance=DEFAULT_TOLERANCE):
    """Check a signature header; return its timestamp or raise ``SignatureError``."""
    secrets = [s for s in ([secrets] if isinstance(secrets, str) else secrets or ()) if s]
    if not secrets:
        raise SignatureError("webhook: no secret configured", reason="not_configured")
    if not header_value:
        raise SignatureError("webhook: signature header missing", reason="missing")
    timestamp, signatures = _parse_header(header_value)
    if timestamp is None or not signatures:
        raise SignatureError("webhook: malformed signature header", reason="malformed")
    now = time.time() if now is None else now
    # Checked before the HMAC so stale captures are refused whatever their signature.
    if abs(now - timestamp) > tolerance:
        raise SignatureError("webhook: timestamp outside the allowed window", reason="expired")
    for secret in secrets:
        expected = _digest(secret, timestamp, body).encode("ascii")
        # Compare against every candidate (no early exit on the secret side) in
        # constant time per comparison.
        if any(hmac.compare_digest(expected, s.encode("utf-8", "replace")) for s in signatures):
            return timestamp
    raise SignatureError("webhook: signature mismatch", reason="mismatch")


def _event(raw):
    if not isinstance(raw, dict):
        raise TypeError("event is not an object")
    occurred_at = parse_datetime(raw["time"])
    return base.TrackingEvent(
        occurred_at=occurred_at,
        status=raw["status"],
        substatus=raw.get("substatus") or None,
        raw_code=None if raw.get("code") is None else str(raw["code"]),
        raw_text=str(raw.get("text") or ""),
        location=raw.get("location") or None,
    )


def parse_payload(body):
    """Validate our JSON schema; return ``(event_id, TrackingResult)``."""
    try:
        payload = json.loads(body.decode("utf-8-sig"))
        if not isinstance(payload, dict):
            raise TypeError("body is not an object")
        event_id = payload["id"]
        code = payload["tracking_code"]
        if not isinstance(event_id, str) or not event_id or not isinstance(code, str) or not code:
            raise ValueError("id and tracking_code must be non-empty strings")
        events = payload["events"]
        if not isinstance(events, list):
            raise TypeError("events is not a list")
        result = base.TrackingResult.from_events(
            code.strip(),
            [_event(e) for e in events],
            eta=parse_eta(payload.get("eta")),
            exception_hint=payload.get("exception_hint") or None,
        )
    except (UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InvalidResponseError(f"webhook: invalid payload: {exc}", carrier="webhook") from exc
    return event_id, result


class SignedWebhookClient(base.CarrierClient):
    """Push-only provider. Credentials: ``secret`` (or a list, for rotation).

    ``seen(nonce) -> bool`` and ``clock() -> unix seconds`` are injected by the caller.
    """

    name = "webhook"
    batch_size = 100

    def __init__(self, secret, *, seen=None, tolerance=DEFAULT_TOLERANCE, clock=None):
        self._secrets = [secret] if isinstance(secret, str) else list(secret or ())
        self.seen = seen
        self.tolerance = tolerance
        self.clock = clock or time.time

    def __repr__(self):
        return f"<{type(self).__name__} tolerance={self.tolerance}>"

    def _fetch_batch(self, codes):
        # Nothing to poll: updates only arrive through parse_webhook.
        error = PermanentError("webhook: push-only provider, nothing to poll", carrier=self.name)
        return dict.fromkeys(codes, error)

    def parse_webhook(self, headers, body, *, seen=None):
        """Verify signature, window and replay; return the pushed ``TrackingResult``."""
        try:
            verify(
                base.header(headers, SIGNATURE_HEADER),
                body,
                self._secrets,
                now=self.clock(),
                tolerance=self.tolerance,
            )
        except SignatureError as error:
            error.carrier = self.name
            raise
        event_id, result = parse_payload(body)
        seen = seen or self.seen
        if seen is not None and seen(f"{self.name}:{event_id}"):
            raise SignatureError(
                "webhook: event already processed", carrier=self.name, reason="replayed"
            )
        return [result]
