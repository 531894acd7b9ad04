"""Test helpers for the SMS gateway clients: fixtures and the behaviour every gateway shares.

The transport (``FixtureAdapter``), the slow loopback server (``LocalServer``) and the log
capture come from the carriers' helpers: one replay mechanism for every HTTP client. No test
reaches the network.
"""

import os
import time

import requests

from .. import exceptions as errors
from ..sms_gateways import base
from .test_carriers_support import (
    FixtureAdapter,
    LocalServer,
    LogCapture,
    closed_port_url,
    reply,
    session_with,
)

__all__ = [
    "DATA_DIR",
    "FixtureAdapter",
    "GatewayContract",
    "LocalServer",
    "closed_port_url",
    "reply",
    "session_with",
    "sms_bytes",
    "sms_reply",
]

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sms")
MOBILE = "+989121234567"
MOBILE_2 = "+989351234567"


def sms_bytes(name):
    with open(os.path.join(DATA_DIR, name), "rb") as handle:
        return handle.read()


def sms_reply(name, status=200, headers=None):
    """A canned answer from ``tests/data/sms/<name>``."""
    return reply(body=sms_bytes(name), status=status, headers=headers)


class GatewayContract:
    """Behaviour every gateway client must show; mixed into one TestCase per provider.

    A subclass sets ``secret`` (a credential that must never leak), implements
    ``make_gateway(session=None, base_url=None, timeout=None)`` and ``send_match`` (the
    path suffix or predicate of its plain-send request).
    """

    secret = ""
    send_method = "POST"
    send_match = ""

    def send_one(self, answer, numbers=(MOBILE,), text="سلام"):
        self.adapter = FixtureAdapter([(self.send_method, self.send_match, answer)])
        gateway = self.make_gateway(session=session_with(self.adapter))
        return gateway.send(list(numbers), text)

    def assertNoSecret(self, *texts):
        for text in texts:
            self.assertNotIn(self.secret, str(text))

    def assertFailure(self, result, failure_type, retryable=None):
        self.assertFalse(result.ok, result)
        self.assertIsNone(result.message_id)
        self.assertEqual(result.failure_type, failure_type, result)
        if retryable is not None:
            self.assertEqual(result.retryable, retryable, result)

    def test_contract_500_is_retryable_server_failure(self):
        [result] = self.send_one(reply(status=500, body={"message": "upstream down"}))
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)
        self.assertEqual(result.number, MOBILE)

    def test_contract_429_is_retryable(self):
        [result] = self.send_one(reply(status=429, body={}, headers={"Retry-After": "7"}))
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)

    def test_contract_html_body_is_retryable_server_failure(self):
        [result] = self.send_one(sms_reply("junk.html", headers={"Content-Type": "text/html"}))
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)
        self.assertIn("JSON", result.message)

    def test_contract_truncated_json_is_server_failure(self):
        [result] = self.send_one(sms_reply("truncated.json"))
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)

    def test_contract_wrong_shape_is_server_failure(self):
        for body in ([1, 2], {"unexpected": True}):
            with self.subTest(body=body):
                [result] = self.send_one(reply(body=body))
                self.assertFailure(result, base.FAILURE_SERVER, retryable=True)

    def test_contract_connection_error_is_retryable_and_redacted(self):
        leak = requests.ConnectionError(f"cannot reach https://x.test/?apikey={self.secret}")
        [result] = self.send_one(leak)
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)
        self.assertNoSecret(result.message, repr(result))

    def test_contract_refused_connection_is_retryable(self):
        gateway = self.make_gateway(base_url=closed_port_url(), timeout=(0.5, 0.5))
        [result] = gateway.send([MOBILE], "x")
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)

    def test_contract_read_timeout_on_local_server_is_retryable(self):
        with LocalServer(delay=1.5) as server:
            gateway = self.make_gateway(base_url=server.url, timeout=(0.5, 0.2))
            started = time.monotonic()
            [result] = gateway.send([MOBILE], "x")
            elapsed = time.monotonic() - started
        self.assertFailure(result, base.FAILURE_SERVER, retryable=True)
        self.assertIn("timeout", result.message)
        self.assertLess(elapsed, 1.2)

    def test_contract_every_request_has_explicit_timeout(self):
        self.send_one(reply(status=500, body={}))
        self.assertTrue(self.adapter.calls)
        for _request, timeout in self.adapter.calls:
            self.assertIsInstance(timeout, tuple)
            self.assertEqual(len(timeout), 2)
            self.assertTrue(all(t > 0 for t in timeout))

    def test_contract_invalid_and_missing_numbers_fail_without_a_request(self):
        results = self.send_one(reply(status=500, body={}), numbers=("12345", "", "+4915112345678"))
        self.assertEqual(self.adapter.calls, [])
        self.assertFailure(results[0], base.FAILURE_NUMBER_FORMAT)
        self.assertFailure(results[1], base.FAILURE_NUMBER_MISSING)
        self.assertFailure(results[2], base.FAILURE_NUMBER_FORMAT)
        self.assertEqual([r.number for r in results], ["12345", "", "+4915112345678"])

    def test_contract_secret_absent_from_logs_errors_and_repr(self):
        body = {"error": f"bad key {self.secret}", "password": self.secret}
        with LogCapture() as logs:
            results = self.send_one(reply(status=401, body=body))
            gateway = self.make_gateway()
        self.assertTrue(logs.messages)  # the request was logged...
        self.assertNoSecret(*results, *(r.message for r in results), repr(gateway), *logs.messages)
        self.assertFailure(results[0], base.FAILURE_ACCOUNT, retryable=False)

    def test_contract_fetch_status_transport_error_is_reported_per_id(self):
        gateway = self.make_gateway(
            session=session_with(FixtureAdapter([])), base_url="https://sms.test"
        )
        reports = gateway.fetch_status([self.status_id])
        self.assertIsInstance(reports[self.status_id], errors.TrackingError)
        self.assertTrue(reports[self.status_id].retryable)  # the adapter's 599 answer
