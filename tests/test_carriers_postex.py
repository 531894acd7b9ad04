"""Post-ex client: public tracking events (Jalali dates), parcel status groups with the API key,
connection test, error mapping."""

import unittest
from datetime import datetime, timezone

from ..carriers import base
from ..carriers.postex import STATUS_GROUPS, PostexClient
from ..exceptions import (
    AuthenticationError,
    InvalidResponseError,
    PermanentError,
    TrackingNotFoundError,
)
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

API_KEY = "postex_live_key_0a9b8c7d6e"


def _is_public(request):
    return "/api/app/v1/tracking/public/" in request.url


def _is_parcel(request):
    return "/api/v1/parcels/" in request.url


class TestPostexClient(CarrierContract, unittest.TestCase):
    secret = API_KEY
    code = "880001"
    unknown_code = "880404"

    def make_client(self, session=None, base_url=None, timeout=None, **kwargs):
        kwargs.setdefault("courier", "IR_POST")
        return PostexClient(
            API_KEY,
            base_url=base_url or "https://postex.test",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def routes_with(self, answer, parcel=None):
        return [
            ("GET", _is_public, answer),
            ("GET", _is_parcel, parcel or reply("postex_parcel_other.json")),
        ]

    def unknown_answer(self):
        return reply(status=404, body={"isSuccess": False, "message": "not found"})

    def fetch(self, answer, codes, parcel=None, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(answer, parcel))
        return self.make_client(session=session_with(self.adapter), **kwargs).fetch(codes)

    def test_status_group_table(self):
        self.assertEqual(
            {group: status for group, (status, _sub) in STATUS_GROUPS.items()},
            {
                "1": base.INFO_RECEIVED,
                "2": base.INFO_RECEIVED,
                "3": base.IN_TRANSIT,
                "4": base.DELIVERED,
                "5": base.EXCEPTION,
                "7": base.OUT_FOR_DELIVERY,
                "8": base.EXCEPTION,
                "9": base.INFO_RECEIVED,
                "10": None,
            },
        )
        self.assertEqual(STATUS_GROUPS["5"][1], base.SUB_RETURNED)

    def test_public_endpoint_carries_no_key(self):
        self.fetch(reply("postex_public_tracking.json"), ["211920031119015434150001"])
        [(request, _timeout)] = self.adapter.calls
        self.assertTrue(
            request.url.endswith("/api/app/v1/tracking/public/211920031119015434150001")
        )
        self.assertNotIn("x-api-key", request.headers)

    def test_events_with_jalali_local_dates(self):
        result = self.fetch(reply("postex_public_tracking.json"), [self.code])[self.code]
        self.assertEqual(result.status, base.EXCEPTION)
        self.assertEqual(result.exception_hint, base.HINT_ADDRESS)
        newest, hub, created = result.events
        # 1404/02/12 09:30 Tehran = 2025-05-02 06:00 UTC
        self.assertEqual(newest.occurred_at, datetime(2025, 5, 2, 6, 0, tzinfo=timezone.utc))
        self.assertEqual(newest.location, "شیراز")
        self.assertEqual(hub.status, base.IN_TRANSIT)
        self.assertEqual(hub.occurred_at, datetime(2025, 5, 1, 15, 0, tzinfo=timezone.utc))
        self.assertEqual(hub.raw_text, "ورود به مرکز مبادلات تهران")
        self.assertIsNone(hub.raw_code)
        self.assertEqual(created.occurred_at, datetime(2025, 5, 1, 5, 30, tzinfo=timezone.utc))
        self.assertEqual(created.status, base.INFO_RECEIVED)

    def test_persian_digits_and_delivery(self):
        result = self.fetch(reply("postex_public_delivered.json"), ["880002"])["880002"]
        self.assertEqual(result.status, base.DELIVERED)
        accepted = result.events[1]
        self.assertEqual(
            (accepted.status, accepted.substatus), (base.IN_TRANSIT, base.SUB_ACCEPTED)
        )
        # "۱۴۰۴/۰۲/۱۱" "۱۰:۰۰" Tehran
        self.assertEqual(accepted.occurred_at, datetime(2025, 5, 1, 6, 30, tzinfo=timezone.utc))

    def test_parcel_status_group_overrides_event_text_for_parcel_numbers(self):
        result = self.fetch(
            reply("postex_public_tracking.json"),
            [self.code],
            parcel=reply("postex_parcel_returned.json"),
            courier=None,
        )[self.code]
        parcel = [c for c, _ in self.adapter.calls if _is_parcel(c)]
        self.assertEqual(len(parcel), 1)
        self.assertTrue(parcel[0].url.endswith("/api/v1/parcels/880001"))
        self.assertEqual(parcel[0].headers["x-api-key"], API_KEY)
        self.assertEqual((result.status, result.substatus), (base.EXCEPTION, base.SUB_RETURNED))
        self.assertEqual(result.exception_hint, base.HINT_RETURNED)
        self.assertEqual(len(result.events), 3, "events still come from the public endpoint")

    def test_group_other_lets_the_events_decide(self):
        result = self.fetch(reply("postex_public_delivered.json"), ["880002"], courier=None)
        self.assertEqual(result["880002"].status, base.DELIVERED)

    def test_group_map_is_overridable(self):
        result = self.fetch(
            reply("postex_public_tracking.json"),
            [self.code],
            parcel=reply("postex_parcel_returned.json"),
            courier=None,
            group_map={5: (base.EXCEPTION, base.SUB_LOST)},
        )[self.code]
        self.assertEqual(result.exception_hint, base.HINT_LOST)

    def test_courier_barcodes_make_no_parcel_call(self):
        self.fetch(reply("postex_public_tracking.json"), [self.code])
        self.assertFalse([c for c, _ in self.adapter.calls if _is_parcel(c)])

    def test_failing_parcel_call_keeps_the_events_but_refused_key_is_an_error(self):
        result = self.fetch(
            reply("postex_public_tracking.json"),
            [self.code],
            parcel=reply(status=503, body={}),
            courier=None,
        )[self.code]
        self.assertEqual(result.exception_hint, base.HINT_ADDRESS)
        error = self.fetch(
            reply("postex_public_tracking.json"),
            [self.code],
            parcel=reply(status=401, body={"isSuccess": False, "message": "unauthorized"}),
            courier=None,
        )[self.code]
        self.assertIsInstance(error, AuthenticationError)

    def test_no_key_tracks_with_the_public_endpoint_only(self):
        self.adapter = FixtureAdapter(self.routes_with(reply("postex_public_tracking.json")))
        client = PostexClient(base_url="https://postex.test", session=session_with(self.adapter))
        self.assertEqual(client.fetch([self.code])[self.code].exception_hint, base.HINT_ADDRESS)
        self.assertEqual(len(self.adapter.calls), 1)

    def test_is_success_false_not_found(self):
        error = self.fetch(reply("postex_not_found.json"), ["880009"])["880009"]
        self.assertIsInstance(error, TrackingNotFoundError)
        self.assertIn("یافت نشد", str(error))

    def test_null_events_is_unknown_and_empty_list_is_pending(self):
        error = self.fetch(reply(body={"events": None}), ["880009"])["880009"]
        self.assertIsInstance(error, TrackingNotFoundError)
        result = self.fetch(reply("postex_public_empty.json"), ["880010"])["880010"]
        self.assertIsInstance(result, base.TrackingResult)
        self.assertEqual(result.status, base.PENDING)
        self.assertEqual(result.events, [])

    def test_unreadable_event_is_invalid_response(self):
        body = {"events": [{"description": "ثبت", "local_event_date": "soon"}]}
        error = self.fetch(reply(body=body), [self.code])[self.code]
        self.assertIsInstance(error, InvalidResponseError)

    def test_paths_are_configurable(self):
        self.fetch(
            reply("postex_public_tracking.json"),
            [self.code],
            public_tracking_path="/relay/track/{code}",
        )
        self.assertTrue(self.adapter.calls[0][0].url.endswith("/relay/track/880001"))


class TestPostexConnection(unittest.TestCase):
    def check(self, answer, api_key=API_KEY):
        self.adapter = FixtureAdapter([("GET", _is_parcel, answer)])
        client = PostexClient(api_key, session=session_with(self.adapter))
        return client.check_connection()

    def test_unknown_test_parcel_proves_the_key(self):
        message = self.check(reply("postex_not_found.json", status=404))
        self.assertIn("API key accepted", message)
        request = self.adapter.calls[0][0]
        self.assertTrue(request.url.endswith(f"/api/v1/parcels/{base.CONNECTION_TEST_CODE}"))
        self.assertEqual(request.headers["x-api-key"], API_KEY)

    def test_refused_key_and_missing_key(self):
        with self.assertRaises(AuthenticationError):
            self.check(reply(status=401, body={"isSuccess": False, "message": "unauthorized"}))
        with self.assertRaises(AuthenticationError):
            self.check(reply(body={"isSuccess": False, "message": "API key is invalid"}))
        with self.assertRaises(PermanentError):
            self.check(reply("postex_not_found.json"), api_key=None)
        self.assertEqual(self.adapter.calls, [], "nothing sent without a key")
