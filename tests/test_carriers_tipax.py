"""Tipax client: token flow, Persian status mapping, Jalali dates, error mapping."""

import json
import unittest
from datetime import date, datetime, timezone

from ..carriers import base
from ..carriers.tipax import TipaxClient
from ..exceptions import AuthenticationError
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

PASSWORD = "tpx-pass-9f8e7d"
API_KEY = "tpx-apikey-1a2b3c"


def _is_tracking(request):
    return "/Tracking/BriefTracking/" in request.url


class TestTipaxClient(CarrierContract, unittest.TestCase):
    secret = PASSWORD
    code = "210000123456"
    unknown_code = "219999999999"

    def make_client(self, session=None, base_url=None, timeout=None, **kwargs):
        return TipaxClient(
            "shop-user",
            PASSWORD,
            API_KEY,
            base_url=base_url or "https://tipax.test",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def routes_with(self, answer):
        return [
            ("POST", "/api/OM/v3/Account/token", reply("tipax_token.json")),
            ("GET", _is_tracking, answer),
        ]

    def unknown_answer(self):
        return reply(status=404, body={"message": "not found"})

    def fetch(self, answer, codes, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(answer))
        self.client = self.make_client(session=session_with(self.adapter), **kwargs)
        return self.client.fetch(codes)

    def test_login_sends_credentials_and_bearer_token_is_used(self):
        self.fetch(reply("tipax_tracking_delivered.json"), [self.code])
        login = self.adapter.calls[0][0]
        self.assertEqual(
            json.loads(login.body),
            {"username": "shop-user", "password": PASSWORD, "apiKey": API_KEY},
        )
        tracking = self.adapter.calls[1][0]
        self.assertTrue(tracking.url.endswith("/api/OM/v3/Tracking/BriefTracking/210000123456"))
        self.assertEqual(tracking.headers["Authorization"], "Bearer tpx_access_token_a1b2c3d4e5")

    def test_token_is_reused_between_fetches(self):
        self.fetch(reply("tipax_tracking_delivered.json"), [self.code, "210000000001"])
        logins = [c for c, _ in self.adapter.calls if c.method == "POST"]
        self.assertEqual(len(logins), 1)
        self.assertEqual(len(self.adapter.calls), 3)

    def test_expired_token_is_renewed_once(self):
        answers = iter([reply(status=401, body={}), reply("tipax_tracking_delivered.json")])
        result = self.fetch(lambda request: next(answers), [self.code])[self.code]
        self.assertEqual(result.status, base.DELIVERED)
        logins = [c for c, _ in self.adapter.calls if c.method == "POST"]
        self.assertEqual(len(logins), 2)

    def test_login_refused_is_authentication_error(self):
        self.adapter = FixtureAdapter(
            [("POST", "/token", reply(status=400, body={"message": "x"}))]
        )
        client = self.make_client(session=session_with(self.adapter))
        error = client.fetch([self.code])[self.code]
        self.assertIsInstance(error, AuthenticationError)

    def test_access_token_never_leaks(self):
        error = self.fetch(
            reply(status=500, body={"echo": "Bearer tpx_access_token_a1b2c3d4e5"}), [self.code]
        )[self.code]
        self.assertNotIn("tpx_access_token_a1b2c3d4e5", str(error))
        self.assertNotIn(API_KEY, repr(self.client))

    def test_delivered_journey_in_persian(self):
        result = self.fetch(reply("tipax_tracking_delivered.json"), [self.code])[self.code]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertIsNone(result.exception_hint)
        self.assertEqual(result.eta, date(2025, 5, 3))
        self.assertEqual(
            [e.status for e in result.events],
            [base.DELIVERED, base.OUT_FOR_DELIVERY, base.IN_TRANSIT, base.INFO_RECEIVED],
        )
        hub = result.events[2]
        self.assertEqual(hub.raw_text, "تحویل به مرکز مبادلات")
        self.assertEqual(hub.raw_code, "3")
        self.assertEqual(hub.location, "تهران")
        # naive Tipax times are Tehran time (UTC+03:30)
        self.assertEqual(hub.occurred_at, datetime(2025, 5, 1, 15, 0, tzinfo=timezone.utc))

    def test_returned_to_sender_with_jalali_dates(self):
        result = self.fetch(reply("tipax_tracking_returned.json"), ["210000654321"])["210000654321"]
        self.assertEqual(result.status, base.EXCEPTION)
        self.assertEqual(result.substatus, base.SUB_RETURNED)
        self.assertEqual(result.exception_hint, base.HINT_RETURNED)
        self.assertIsNone(result.eta)
        # 1404/02/15 09:30 Tehran = 2025-05-05 06:00 UTC
        self.assertEqual(
            result.events[0].occurred_at, datetime(2025, 5, 5, 6, 0, tzinfo=timezone.utc)
        )
        self.assertEqual(result.events[1].substatus, base.SUB_INCORRECT_ADDRESS)
        self.assertEqual(result.events[1].location, "کرمان")

    def test_code_map_pins_status_ids(self):
        result = self.fetch(
            reply("tipax_tracking_returned.json"),
            ["210000654321"],
            code_map={"9": (base.EXCEPTION, base.SUB_LOST)},
        )["210000654321"]
        self.assertEqual(result.exception_hint, base.HINT_LOST)

    def test_empty_answer_is_unknown_code(self):
        error = self.fetch(reply(body=b""), [self.code])[self.code]
        self.assertEqual(type(error).__name__, "TrackingNotFoundError")
        error = self.fetch(reply(body=b"null"), [self.code])[self.code]
        self.assertEqual(type(error).__name__, "TrackingNotFoundError")

    def test_tracking_url(self):
        self.assertEqual(self.make_client().tracking_url("21"), "https://tipaxco.com/tracking")
