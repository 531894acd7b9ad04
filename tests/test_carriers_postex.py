"""Post-ex client: event endpoint paths, API-key header, envelopes and error mapping."""

import unittest
from datetime import datetime, timezone

from ..carriers import base
from ..carriers.postex import PostexClient
from ..exceptions import PermanentError, TrackingNotFoundError
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

API_KEY = "postex_live_key_0a9b8c7d6e"


def _is_events(request):
    return "/tracking/events/" in request.url


class TestPostexClient(CarrierContract, unittest.TestCase):
    secret = API_KEY
    code = "880001"
    unknown_code = "880404"

    def make_client(self, session=None, base_url=None, timeout=None, **kwargs):
        return PostexClient(
            API_KEY,
            base_url=base_url or "https://postex.test/api/v1",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def routes_with(self, answer):
        return [("GET", _is_events, answer)]

    def unknown_answer(self):
        return reply(status=404, body={"isSuccess": False, "message": "not found"})

    def fetch(self, answer, codes, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(answer))
        return self.make_client(session=session_with(self.adapter), **kwargs).fetch(codes)

    def test_parcel_number_path_and_api_key_header(self):
        self.fetch(reply("postex_events.json"), ["880001"])
        request = self.adapter.calls[0][0]
        self.assertTrue(request.url.endswith("/api/v1/tracking/events/880001"))
        self.assertEqual(request.headers["x-api-key"], API_KEY)

    def test_courier_barcode_path(self):
        self.fetch(reply("postex_events.json"), ["RB12345IR"], courier="IR_POST")
        self.assertTrue(self.adapter.calls[0][0].url.endswith("/tracking/events/IR_POST/RB12345IR"))

    def test_barcode_without_courier_is_a_configuration_error(self):
        error = self.fetch(reply("postex_events.json"), ["RB12345IR"])["RB12345IR"]
        self.assertIsInstance(error, PermanentError)
        self.assertEqual(self.adapter.calls, [])

    def test_events_with_utc_local_and_jalali_times(self):
        result = self.fetch(reply("postex_events.json"), ["880001"])["880001"]
        self.assertEqual(result.status, base.EXCEPTION)
        self.assertEqual(result.exception_hint, base.HINT_ADDRESS)
        newest, hub, created = result.events
        self.assertEqual(newest.occurred_at, datetime(2025, 5, 2, 6, 0, tzinfo=timezone.utc))
        self.assertEqual(newest.raw_code, "DLV_FAIL")
        self.assertEqual(hub.status, base.IN_TRANSIT)
        self.assertEqual(hub.occurred_at, datetime(2025, 5, 1, 15, 0, tzinfo=timezone.utc))
        self.assertEqual(hub.raw_text, "ورود به مرکز مبادلات تهران")
        # 1404/02/11 09:00 Tehran = 2025-05-01 05:30 UTC
        self.assertEqual(created.occurred_at, datetime(2025, 5, 1, 5, 30, tzinfo=timezone.utc))
        self.assertEqual(created.status, base.INFO_RECEIVED)

    def test_bare_list_delivered(self):
        result = self.fetch(reply("postex_delivered.json"), ["880002"])["880002"]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(result.events[1].status, base.IN_TRANSIT)
        self.assertEqual(result.events[1].substatus, base.SUB_ACCEPTED)

    def test_is_success_false_not_found(self):
        error = self.fetch(reply("postex_not_found.json"), ["880009"])["880009"]
        self.assertIsInstance(error, TrackingNotFoundError)
        self.assertIn("یافت نشد", str(error))

    def test_empty_event_list_is_pending_not_an_error(self):
        result = self.fetch(reply("postex_empty.json"), ["880010"])["880010"]
        self.assertIsInstance(result, base.TrackingResult)
        self.assertEqual(result.status, base.PENDING)
        self.assertEqual(result.events, [])

    def test_code_map_overrides_text(self):
        result = self.fetch(
            reply("postex_events.json"),
            ["880001"],
            code_map={"DLV_FAIL": (base.ATTEMPT_FAIL, base.SUB_ATTEMPT_FAIL)},
        )["880001"]
        self.assertEqual(result.status, base.ATTEMPT_FAIL)
        self.assertEqual(result.exception_hint, base.HINT_FAILED_ATTEMPT)
