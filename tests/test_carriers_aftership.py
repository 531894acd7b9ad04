"""AfterShip client: parsing of documented payloads, error mapping, signed webhooks."""

import base64
import hashlib
import hmac
import json
import unittest
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlparse

from ..carriers import base
from ..carriers.aftership import AfterShipClient
from ..exceptions import AuthenticationError, InvalidResponseError, SignatureError
from .test_carriers_support import (
    CarrierContract,
    FixtureAdapter,
    fixture_bytes,
    reply,
    session_with,
)

API_KEY = "as_test_key_5f1e9c7d"
WEBHOOK_SECRET = "whsec_aftership_0c3d9e"


class TestAfterShipClient(CarrierContract, unittest.TestCase):
    secret = API_KEY
    code = "1Z0001"
    unknown_code = "NOPE0404"

    def make_client(self, session=None, base_url=None, timeout=None, **kwargs):
        return AfterShipClient(
            API_KEY,
            base_url=base_url or "https://api.test/tracking/2025-07",
            session=session,
            timeout=timeout,
            webhook_secret=WEBHOOK_SECRET,
            **kwargs,
        )

    def routes_with(self, answer):
        return [("GET", "/trackings", answer)]

    def unknown_answer(self):
        return reply("aftership_empty.json")

    def fetch_all(self, codes, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(reply("aftership_trackings.json")))
        return self.make_client(session=session_with(self.adapter), **kwargs).fetch(codes)

    def test_request_uses_api_key_header_and_batches_numbers(self):
        self.fetch_all(["1Z0001", "RR0002"])
        request, _timeout = self.adapter.calls[0]
        self.assertEqual(request.headers["as-api-key"], API_KEY)
        query = parse_qs(urlparse(request.url).query)
        self.assertEqual(query["tracking_numbers"], ["1Z0001,RR0002"])
        self.assertEqual(len(self.adapter.calls), 1)

    def test_batches_are_split_at_fifty_numbers(self):
        codes = [f"N{i:03d}" for i in range(120)]
        results = self.fetch_all(codes)
        self.assertEqual(len(self.adapter.calls), 3)
        self.assertEqual(len(results), 120)

    def test_delivered_tracking_is_parsed(self):
        result = self.fetch_all(["1Z0001"])["1Z0001"]
        self.assertIsInstance(result, base.TrackingResult)
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(result.substatus, "Delivered_001")
        self.assertIsNone(result.exception_hint)
        self.assertEqual(result.eta, date(2025, 5, 3))
        self.assertEqual(
            [e.status for e in result.events], [base.DELIVERED, base.IN_TRANSIT, base.INFO_RECEIVED]
        )
        newest = result.events[0]
        self.assertEqual(newest.occurred_at, datetime(2025, 5, 3, 11, 30, tzinfo=timezone.utc))
        self.assertEqual(newest.location, "Shiraz, Fars, Iran")
        self.assertEqual(newest.raw_code, "KB")
        hub = result.events[1]
        self.assertEqual(hub.raw_text, "ورود به مرکز مبادلات تهران")
        self.assertEqual(hub.location, "مرکز مبادلات تهران")
        self.assertEqual(hub.occurred_at, datetime(2025, 5, 2, 4, 45, tzinfo=timezone.utc))

    def test_returned_to_sender_gives_exception_hint_and_latest_eta(self):
        result = self.fetch_all(["RR0002"])["RR0002"]
        self.assertEqual(result.status, base.EXCEPTION)
        self.assertEqual(result.exception_hint, base.HINT_RETURNED)
        self.assertEqual(result.eta, datetime(2025, 5, 4, 10, 30, tzinfo=timezone.utc))
        self.assertEqual(result.events[0].raw_text, "برگشت به فرستنده")
        self.assertEqual(result.events[1].status, base.ATTEMPT_FAIL)

    def test_duplicate_number_keeps_most_recently_updated(self):
        result = self.fetch_all(["DUP0003"])["DUP0003"]
        self.assertEqual(result.status, base.OUT_FOR_DELIVERY)
        self.assertEqual(result.eta, date(2025, 5, 2))
        # naive checkpoint_time is read as UTC
        self.assertEqual(
            result.events[0].occurred_at, datetime(2025, 5, 2, 7, 0, tzinfo=timezone.utc)
        )

    def test_missing_number_in_batch_is_not_found_without_failing_others(self):
        results = self.fetch_all(["1Z0001", "MISSING9"])
        self.assertIsInstance(results["1Z0001"], base.TrackingResult)
        self.assertFalse(results["MISSING9"].retryable)
        self.assertEqual(type(results["MISSING9"]).__name__, "TrackingNotFoundError")

    def test_one_unreadable_tracking_does_not_fail_the_batch(self):
        payload = json.loads(fixture_bytes("aftership_trackings.json"))
        payload["data"]["trackings"][0]["checkpoints"][0]["checkpoint_time"] = "yesterday"
        self.adapter = FixtureAdapter(self.routes_with(reply(body=payload)))
        results = self.make_client(session=session_with(self.adapter)).fetch(["1Z0001", "RR0002"])
        self.assertIsInstance(results["1Z0001"], InvalidResponseError)
        self.assertIsInstance(results["RR0002"], base.TrackingResult)

    def test_documented_401_body_echoing_the_key_is_redacted(self):
        error = self.fetch_one(reply("aftership_401.json", status=401))
        self.assertIsInstance(error, AuthenticationError)
        self.assertIn("Invalid API key", str(error))
        self.assertNotIn(API_KEY, str(error) + repr(error))

    def test_tracking_url_uses_configured_page(self):
        self.assertEqual(self.make_client().tracking_url("1Z 1"), "")
        client = self.make_client(tracking_page_url="https://shop.aftership.com/%s")
        self.assertEqual(client.tracking_url("1Z 1"), "https://shop.aftership.com/1Z%201")


def _signed_headers(body, secret=WEBHOOK_SECRET):
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {"Aftership-Hmac-Sha256": base64.b64encode(digest).decode()}


class TestAfterShipWebhook(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.body = fixture_bytes("aftership_webhook.json")
        self.seen_ids = set()
        self.client = AfterShipClient(API_KEY, webhook_secret=WEBHOOK_SECRET, seen=self._seen)

    def _seen(self, nonce):
        known = nonce in self.seen_ids
        self.seen_ids.add(nonce)
        return known

    def test_valid_signature_is_accepted_and_parsed(self):
        results = self.client.parse_webhook(_signed_headers(self.body), self.body)
        self.assertEqual(len(results), 1)
        result = results[0]
        self.assertEqual(result.tracking_code, "WH0009")
        self.assertEqual(result.status, base.EXCEPTION)
        self.assertEqual(result.exception_hint, base.HINT_ADDRESS)
        self.assertEqual(result.events[0].raw_text, "آدرس ناقص")

    def test_wrong_signature_is_rejected(self):
        headers = _signed_headers(self.body, secret="not-the-secret")
        with self.assertRaises(SignatureError) as caught:
            self.client.parse_webhook(headers, self.body)
        self.assertEqual(caught.exception.reason, "mismatch")

    def test_tampered_body_is_rejected(self):
        headers = _signed_headers(self.body)
        tampered = self.body.replace(b"Exception_007", b"Delivered_001")
        with self.assertRaises(SignatureError):
            self.client.parse_webhook(headers, tampered)

    def test_missing_header_and_missing_secret_are_rejected(self):
        with self.assertRaises(SignatureError) as caught:
            self.client.parse_webhook({}, self.body)
        self.assertEqual(caught.exception.reason, "missing")
        unconfigured = AfterShipClient(API_KEY)
        with self.assertRaises(SignatureError) as caught:
            unconfigured.parse_webhook(_signed_headers(self.body), self.body)
        self.assertEqual(caught.exception.reason, "not_configured")

    def test_replayed_event_id_is_rejected(self):
        headers = _signed_headers(self.body)
        self.client.parse_webhook(headers, self.body)
        with self.assertRaises(SignatureError) as caught:
            self.client.parse_webhook(headers, self.body)
        self.assertEqual(caught.exception.reason, "replayed")

    def test_max_age_rejects_old_events(self):
        client = AfterShipClient(
            API_KEY,
            webhook_secret=WEBHOOK_SECRET,
            webhook_max_age=300,
            clock=lambda: 1746300000 + 301,
        )
        with self.assertRaises(SignatureError) as caught:
            client.parse_webhook(_signed_headers(self.body), self.body)
        self.assertEqual(caught.exception.reason, "expired")
        fresh = AfterShipClient(
            API_KEY,
            webhook_secret=WEBHOOK_SECRET,
            webhook_max_age=300,
            clock=lambda: 1746300000 + 299,
        )
        self.assertEqual(len(fresh.parse_webhook(_signed_headers(self.body), self.body)), 1)

    def test_signed_junk_is_invalid_response(self):
        body = b"<html>oops</html>"
        with self.assertRaises(InvalidResponseError):
            self.client.parse_webhook(_signed_headers(body), body)

    def test_secret_is_not_in_signature_errors(self):
        with self.assertRaises(SignatureError) as caught:
            self.client.parse_webhook({"aftership-hmac-sha256": "x"}, self.body)
        self.assertNotIn(WEBHOOK_SECRET, str(caught.exception) + repr(caught.exception))
        self.assertNotIn(WEBHOOK_SECRET, repr(self.client))
