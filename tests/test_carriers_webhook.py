"""Generic signed webhook: signature, timestamp window, replay and payload schema."""

import hashlib
import hmac
import json
import unittest
from datetime import date

from ..carriers import base
from ..carriers.webhook import SIGNATURE_HEADER, SignedWebhookClient, parse_payload, sign, verify
from ..exceptions import InvalidResponseError, PermanentError, SignatureError
from .test_carriers_support import fixture_bytes

SECRET = "ot_whsec_3b5c7d9e"
NOW = 1746090000


class TestSignedWebhook(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.body = fixture_bytes("webhook_event.json")
        self.nonces = set()
        self.client = SignedWebhookClient(SECRET, seen=self._seen, clock=lambda: NOW)

    def _seen(self, nonce):
        known = nonce in self.nonces
        self.nonces.add(nonce)
        return known

    def headers(self, body=None, secret=SECRET, t=NOW):
        return {SIGNATURE_HEADER: sign(self.body if body is None else body, secret, t)}

    def reason(self, headers, body=None):
        with self.assertRaises(SignatureError) as caught:
            self.client.parse_webhook(headers, self.body if body is None else body)
        self.assertNotIn(SECRET, str(caught.exception) + repr(caught.exception))
        return caught.exception.reason

    def test_sign_format_is_stripe_like(self):
        expected = hmac.new(
            SECRET.encode(), f"{NOW}.".encode() + self.body, hashlib.sha256
        ).hexdigest()
        self.assertEqual(sign(self.body, SECRET, NOW), f"t={NOW},v1={expected}")

    def test_valid_signature_is_accepted(self):
        (result,) = self.client.parse_webhook(self.headers(), self.body)
        self.assertEqual(result.tracking_code, "OT-55501")
        self.assertEqual(result.status, base.IN_TRANSIT)
        self.assertEqual(result.events[0].raw_text, "ورود به مرکز مبادلات اصفهان")
        self.assertEqual(result.events[0].raw_code, "HUB_IN")
        self.assertEqual(result.eta, date(2025, 5, 4))
        self.assertEqual(self.nonces, {"webhook:evt_0001"})

    def test_header_name_is_case_insensitive(self):
        headers = {"x-ot-signature": sign(self.body, SECRET, NOW)}
        self.assertEqual(len(self.client.parse_webhook(headers, self.body)), 1)

    def test_wrong_secret_is_rejected(self):
        self.assertEqual(self.reason(self.headers(secret="other-secret")), "mismatch")

    def test_tampered_body_is_rejected(self):
        tampered = self.body.replace(b"InTransit", b"Delivered")
        self.assertEqual(self.reason(self.headers(), body=tampered), "mismatch")

    def test_old_and_future_timestamps_are_rejected(self):
        self.assertEqual(self.reason(self.headers(t=NOW - 301)), "expired")
        self.assertEqual(self.reason(self.headers(t=NOW + 301)), "expired")
        self.assertEqual(len(self.client.parse_webhook(self.headers(t=NOW - 299), self.body)), 1)

    def test_replayed_event_is_rejected(self):
        self.client.parse_webhook(self.headers(), self.body)
        self.assertEqual(self.reason(self.headers(t=NOW + 5)), "replayed")

    def test_missing_and_malformed_headers(self):
        self.assertEqual(self.reason({}), "missing")
        self.assertEqual(self.reason({SIGNATURE_HEADER: "v1=abc"}), "malformed")
        self.assertEqual(self.reason({SIGNATURE_HEADER: f"t={NOW}"}), "malformed")

    def test_secret_rotation(self):
        rotating = SignedWebhookClient(["new-secret", SECRET], clock=lambda: NOW)
        self.assertEqual(len(rotating.parse_webhook(self.headers(), self.body)), 1)
        old_sig = sign(self.body, SECRET, NOW).split(",")[1]
        two = {SIGNATURE_HEADER: f"t={NOW},v1={'0' * 64},{old_sig}"}
        self.assertEqual(len(self.client.parse_webhook(two, self.body)), 1)

    def test_verify_without_secret(self):
        with self.assertRaises(SignatureError) as caught:
            verify(sign(self.body, SECRET, NOW), self.body, [], now=NOW)
        self.assertEqual(caught.exception.reason, "not_configured")

    def test_invalid_payload_with_valid_signature(self):
        for payload in (
            b"<html></html>",
            b'{"id": "e1", "tracking_code": "X", "events": "no"}',
            json.dumps(
                {
                    "id": "e1",
                    "tracking_code": "X",
                    "events": [{"time": "2025-05-01T10:00:00Z", "status": "Shipped", "text": "?"}],
                }
            ).encode(),
            json.dumps({"id": "", "tracking_code": "X", "events": []}).encode(),
            json.dumps(
                {"id": "e2", "tracking_code": "X", "events": [], "exception_hint": "stolen"}
            ).encode(),
        ):
            with self.subTest(payload=payload[:40]), self.assertRaises(InvalidResponseError):
                self.client.parse_webhook(self.headers(body=payload), payload)

    def test_parse_payload_hint_and_id(self):
        body = json.dumps(
            {
                "id": "e3",
                "tracking_code": "X",
                "exception_hint": "lost",
                "events": [
                    {"time": "2025-05-01T10:00:00Z", "status": "Exception", "text": "مفقود"}
                ],
            }
        ).encode()
        event_id, result = parse_payload(body)
        self.assertEqual(event_id, "e3")
        self.assertEqual(result.exception_hint, base.HINT_LOST)

    def test_push_only_provider_cannot_be_polled(self):
        results = self.client.fetch(["A"])
        self.assertIsInstance(results["A"], PermanentError)
        self.assertNotIn(SECRET, repr(self.client))
