"""Tipax client: token, refresh on expiry and on 401, re-login, Persian status mapping, Jalali
dates, connection test, error mapping."""

import json
import unittest
from datetime import date, datetime, timezone

from ..carriers import base
from ..carriers.tipax import TipaxClient
from ..exceptions import AuthenticationError, InvalidResponseError, TrackingNotFoundError
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

PASSWORD = "tpx-pass-9f8e7d"
API_KEY = "tpx-apikey-1a2b3c"
ACCESS = "tpx_access_token_a1b2c3d4e5"
RENEWED = "tpx_access_token_renewed_9z8y"


def _is_tracking(request):
    return "/Tracking/BriefTracking/" in request.url


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


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

    def routes_with(self, answer, refresh=None):
        return [
            ("POST", "/api/OM/v3/Account/token", reply("tipax_token.json")),
            ("POST", "/api/OM/v3/Account/RefreshToken", refresh or reply("tipax_refreshed.json")),
            ("GET", _is_tracking, answer),
        ]

    def unknown_answer(self):
        return reply(status=404, body={"message": "not found"})

    def fetch(self, answer, codes, refresh=None, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(answer, refresh))
        self.client = self.make_client(session=session_with(self.adapter), **kwargs)
        return self.client.fetch(codes)

    def posts(self, suffix):
        return [c for c, _ in self.adapter.calls if c.method == "POST" and c.url.endswith(suffix)]

    def test_login_sends_credentials_and_bearer_token_is_used(self):
        self.fetch(reply("tipax_tracking_delivered.json"), [self.code])
        login = self.adapter.calls[0][0]
        self.assertEqual(
            json.loads(login.body),
            {"username": "shop-user", "password": PASSWORD, "apiKey": API_KEY},
        )
        tracking = self.adapter.calls[1][0]
        self.assertTrue(tracking.url.endswith("/api/OM/v3/Tracking/BriefTracking/210000123456"))
        self.assertEqual(tracking.headers["Authorization"], f"Bearer {ACCESS}")

    def test_token_is_reused_between_fetches(self):
        self.fetch(reply("tipax_tracking_delivered.json"), [self.code, "210000000001"])
        self.assertEqual(len(self.posts("/token")), 1)
        self.assertEqual(len(self.adapter.calls), 3)

    def test_401_renews_with_the_refresh_token_then_retries(self):
        answers = iter([reply(status=401, body={}), reply("tipax_tracking_delivered.json")])
        result = self.fetch(lambda request: next(answers), [self.code])[self.code]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(len(self.posts("/token")), 1)
        [refresh] = self.posts("/RefreshToken")
        self.assertEqual(
            json.loads(refresh.body),
            {"refreshToken": "tpx_refresh_token_f6g7h8", "accessToken": ACCESS},
        )
        retried = [c for c, _ in self.adapter.calls if _is_tracking(c)][-1]
        self.assertEqual(retried.headers["Authorization"], f"Bearer {RENEWED}")

    def test_refused_refresh_falls_back_to_a_new_login(self):
        answers = iter([reply(status=401, body={}), reply("tipax_tracking_delivered.json")])
        result = self.fetch(
            lambda request: next(answers),
            [self.code],
            refresh=reply(status=401, body={"message": "refresh token expired"}),
        )[self.code]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(len(self.posts("/RefreshToken")), 1)
        self.assertEqual(len(self.posts("/token")), 2)

    def test_second_401_is_authentication_error(self):
        error = self.fetch(reply(status=401, body={}), [self.code])[self.code]
        self.assertIsInstance(error, AuthenticationError)
        self.assertEqual(len([c for c, _ in self.adapter.calls if _is_tracking(c)]), 2)

    def test_token_is_refreshed_before_it_expires(self):
        clock = Clock()
        self.fetch(reply("tipax_tracking_delivered.json"), [self.code], clock=clock)
        clock.now += 36000 - 30  # inside the safety margin of the 36000 s lifetime
        self.client.fetch([self.code])
        self.assertEqual(len(self.posts("/RefreshToken")), 1)
        self.assertEqual(len(self.posts("/token")), 1)
        last = [c for c, _ in self.adapter.calls if _is_tracking(c)][-1]
        self.assertEqual(last.headers["Authorization"], f"Bearer {RENEWED}")

    def test_refresh_answer_wrapped_in_data_is_accepted(self):
        wrapped = reply(body={"data": {"accessToken": RENEWED, "refreshToken": "r2"}})
        answers = iter([reply(status=401, body={}), reply("tipax_tracking_delivered.json")])
        result = self.fetch(lambda request: next(answers), [self.code], refresh=wrapped)
        self.assertEqual(result[self.code].status, base.DELIVERED)

    def test_login_refused_is_authentication_error(self):
        self.adapter = FixtureAdapter(
            [("POST", "/token", reply(status=400, body={"message": "x"}))]
        )
        client = self.make_client(session=session_with(self.adapter))
        error = client.fetch([self.code])[self.code]
        self.assertIsInstance(error, AuthenticationError)

    def test_login_without_access_token_is_invalid_response(self):
        self.adapter = FixtureAdapter([("POST", "/token", reply(body={"token": None}))])
        client = self.make_client(session=session_with(self.adapter))
        self.assertIsInstance(client.fetch([self.code])[self.code], InvalidResponseError)

    def test_tokens_never_leak(self):
        error = self.fetch(
            reply(status=500, body={"echo": f"Bearer {ACCESS}", "r": "tpx_refresh_token_f6g7h8"}),
            [self.code],
        )[self.code]
        self.assertNotIn(ACCESS, str(error))
        self.assertNotIn("tpx_refresh_token_f6g7h8", str(error))
        self.assertNotIn(API_KEY, repr(self.client))

    def test_delivered_journey_with_gregorian_and_jalali_dates(self):
        result = self.fetch(reply("tipax_tracking_delivered.json"), [self.code])[self.code]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertIsNone(result.exception_hint)
        self.assertEqual(result.eta, date(2025, 5, 3), "Jalali 1404/02/13")
        self.assertEqual(
            [e.status for e in result.events],
            [base.DELIVERED, base.OUT_FOR_DELIVERY, base.IN_TRANSIT, base.INFO_RECEIVED],
        )
        hub = result.events[2]
        self.assertEqual(hub.raw_text, "تحویل به مرکز مبادلات")
        self.assertEqual(hub.raw_code, "3")
        self.assertEqual(hub.location, "تهران")
        # "1404/02/11 18:30" Tehran (UTC+03:30)
        self.assertEqual(hub.occurred_at, datetime(2025, 5, 1, 15, 0, tzinfo=timezone.utc))
        # "۱۴۰۴/۰۲/۱۳ ۱۲:۱۰", Persian digits
        self.assertEqual(
            result.events[0].occurred_at, datetime(2025, 5, 3, 8, 40, tzinfo=timezone.utc)
        )

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

    def test_tracking_path_is_configurable(self):
        self.fetch(
            reply("tipax_tracking_delivered.json"),
            [self.code],
            tracking_path="/api/OM/v3/Tracking/{code}",
        )
        self.assertTrue(self.adapter.calls[-1][0].url.endswith("/api/OM/v3/Tracking/210000123456"))

    def test_bare_event_list_is_accepted(self):
        events = [
            {
                "title": "تحویل گیرنده شد",
                "parcelStatus": {"id": 7, "latinTitle": "Delivered", "title": "تحویل شد"},
                "creationDate": "1404/02/13 12:10",
            }
        ]
        result = self.fetch(reply(body=events), [self.code])[self.code]
        self.assertEqual(result.status, base.DELIVERED)

    def test_empty_answer_is_unknown_code(self):
        for body in (b"", b"null"):
            with self.subTest(body=body):
                error = self.fetch(reply(body=body), [self.code])[self.code]
                self.assertIsInstance(error, TrackingNotFoundError)

    def test_tracking_url(self):
        self.assertEqual(self.make_client().tracking_url("21"), "https://tipaxco.com/tracking")


class TestTipaxConnection(unittest.TestCase):
    def client(self, answer):
        self.adapter = FixtureAdapter([("POST", "/api/OM/v3/Account/token", answer)])
        return TipaxClient("u", PASSWORD, API_KEY, session=session_with(self.adapter))

    def test_a_fresh_login_reports_the_token_lifetime(self):
        client = self.client(reply("tipax_token.json"))
        self.assertEqual(
            client.check_connection(), "tipax: login accepted, token valid for 36000 s"
        )
        client.check_connection()
        self.assertEqual(len(self.adapter.calls), 2, "each test logs in anew")

    def test_refused_login_raises_authentication_error_without_secrets(self):
        client = self.client(reply(status=401, body={"message": f"bad apiKey={API_KEY}"}))
        with self.assertRaises(AuthenticationError) as caught:
            client.check_connection()
        self.assertNotIn(API_KEY, str(caught.exception))
