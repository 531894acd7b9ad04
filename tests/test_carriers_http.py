"""The shared HTTP helper: real sockets on 127.0.0.1, limits, Retry-After, redaction."""

import time
import unittest
from datetime import datetime, timezone

from ..carriers import http
from ..exceptions import InvalidResponseError, PermanentError, RetryableError
from .test_carriers_support import FixtureAdapter, LocalServer, closed_port_url, reply, session_with


class Probe(http.HttpMixin):
    name = "probe"

    def __init__(self, base_url, timeout=(0.5, 0.3), session=None, secrets=("probe-secret-123",)):
        self._init_http(base_url, timeout=timeout, session=session, secrets=secrets)

    def get(self):
        return self._json(self._request("GET", "/x"))


class TestHttpMixin(unittest.TestCase):
    def test_ok_json_round_trip_on_local_server(self):
        with LocalServer(body='{"ok": "سلام"}'.encode()) as server:
            self.assertEqual(Probe(server.url).get(), {"ok": "سلام"})

    def test_connection_refused_is_retryable(self):
        with self.assertRaises(RetryableError) as caught:
            Probe(closed_port_url()).get()
        self.assertNotIsInstance(caught.exception, InvalidResponseError)

    def test_trickling_server_is_cut_at_the_overall_deadline(self):
        body = b'{"data": "' + b"x" * 200 + b'"}'
        with LocalServer(body=body, trickle=0.05) as server:
            probe = Probe(server.url, timeout=(0.5, 0.3))
            started = time.monotonic()
            with self.assertRaises(RetryableError):
                probe.get()
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, probe.deadline + 0.5)
        self.assertGreaterEqual(elapsed, probe.deadline - 0.1)

    def test_oversized_body_is_invalid_response(self):
        huge = reply(body=b"[" + b"1," * (http.MAX_RESPONSE_BYTES // 2) + b"1]")
        probe = Probe(
            "https://probe.test", session=session_with(FixtureAdapter([("GET", "/x", huge)]))
        )
        with self.assertRaises(InvalidResponseError):
            probe.get()

    def test_status_classification(self):
        cases = {
            400: PermanentError,
            404: PermanentError,
            408: RetryableError,
            502: RetryableError,
            503: RetryableError,
        }
        for status, expected in cases.items():
            with self.subTest(status=status):
                adapter = FixtureAdapter([("GET", "/x", reply(status=status, body={}))])
                with self.assertRaises(expected) as caught:
                    Probe("https://probe.test", session=session_with(adapter)).get()
                self.assertEqual(caught.exception.status_code, status)
                self.assertEqual(caught.exception.retryable, expected is RetryableError)

    def test_utf8_bom_is_tolerated(self):
        adapter = FixtureAdapter([("GET", "/x", reply(body='\ufeff{"a": 1}'.encode()))])
        self.assertEqual(Probe("https://probe.test", session=session_with(adapter)).get(), {"a": 1})

    def test_repr_hides_secrets_in_base_url(self):
        probe = Probe("https://probe.test/?api_key=probe-secret-123")
        self.assertNotIn("probe-secret-123", repr(probe))


class TestRetryAfterAndRedaction(unittest.TestCase):
    def test_retry_after_forms(self):
        now = datetime(2025, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
        self.assertEqual(http.parse_retry_after("120"), 120.0)
        self.assertEqual(http.parse_retry_after("Thu, 01 May 2025 12:00:30 GMT", now=now), 30.0)
        self.assertEqual(http.parse_retry_after("Thu, 01 May 2025 11:00:00 GMT", now=now), 0.0)
        self.assertEqual(http.parse_retry_after("99999999"), http.MAX_RETRY_AFTER)
        self.assertIsNone(http.parse_retry_after("soon"))
        self.assertIsNone(http.parse_retry_after(None))

    def test_redact_known_values_and_patterns(self):
        text = http.redact(
            'key s3cr3t-value in url?api_key=abc123&x=1 {"password": "hunter22"} '
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload as-api-key=zzz999 token=t0k3n",
            secrets=("s3cr3t-value",),
        )
        for leaked in (
            "s3cr3t-value",
            "abc123",
            "hunter22",
            "eyJhbGciOiJIUzI1NiJ9",
            "zzz999",
            "t0k3n",
        ):
            self.assertNotIn(leaked, text)
        self.assertIn("x=1", text)
        self.assertEqual(http.redact(None), "")
        self.assertEqual(http.redact("nothing secret"), "nothing secret")
