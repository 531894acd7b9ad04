"""Tapin client (Iran Post via Tapin): bulk status by order id, the status code table, the
``returns`` envelope, connection test, error mapping."""

import json
import unittest
from datetime import datetime, timezone

from ..carriers import base
from ..carriers.tapin import STATUSES, TapinClient
from ..exceptions import (
    AuthenticationError,
    InvalidResponseError,
    PermanentError,
    RetryableError,
    TrackingNotFoundError,
)
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

TOKEN = "tapin-token-5e6f7a8b9c"
SHOP = "690a71b3-5cf5-45bf-9561-57e854e08972"
WAITING = "a93f6b7f-d05e-4bee-a700-deb0d16572bf"
DELIVERED = "0b7e2c1a-5d7f-4c3e-9e61-2f4a8b6c9d01"
RETURNED = "5c1d9e3b-8f2a-4a6e-b0d4-7e9f1a2b3c4d"
FIRST_VISIT = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4"
UNKNOWN_STATUS = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"


class TestTapinClient(CarrierContract, unittest.TestCase):
    secret = TOKEN
    code = DELIVERED
    unknown_code = "00000000-0000-4000-8000-000000000000"

    def make_client(self, session=None, base_url=None, timeout=None, **kwargs):
        return TapinClient(
            TOKEN,
            SHOP,
            base_url=base_url or "https://tapin.test/api",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def routes_with(self, answer):
        return [("POST", "/v2/public/order/post/get-status/bulk/", answer)]

    def unknown_answer(self):
        return reply("tapin_status_bulk.json")

    def fetch(self, answer, codes, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(answer))
        return self.make_client(session=session_with(self.adapter), **kwargs).fetch(codes)

    def test_status_table_maps_every_documented_code(self):
        documented = {-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
        documented |= {50, 70, 71, 72, 80, 81, 82, 83, 100, -100, 101, 102, 103}
        self.assertEqual(set(STATUSES), documented)
        for code, (title, status, _substatus) in STATUSES.items():
            with self.subTest(code=code):
                self.assertTrue(title)
                self.assertIn(status, base.STATUSES)
        expected = {
            0: base.INFO_RECEIVED,
            5: base.IN_TRANSIT,
            7: base.DELIVERED,
            8: base.AVAILABLE_FOR_PICKUP,
            9: base.ATTEMPT_FAIL,
            13: base.IN_TRANSIT,
            14: base.OUT_FOR_DELIVERY,
            15: base.ATTEMPT_FAIL,
            16: base.ATTEMPT_FAIL,
            72: base.DELIVERED,
            102: base.EXCEPTION,
        }
        self.assertEqual({code: STATUSES[code][1] for code in expected}, expected)
        self.assertEqual(STATUSES[10][2], base.SUB_RETURNING)
        self.assertEqual(STATUSES[102][2], base.SUB_RETURNED)

    def test_request_is_json_with_shop_and_order_ids_and_bare_token(self):
        self.fetch(reply("tapin_status_bulk.json"), [DELIVERED, RETURNED])
        request = self.adapter.calls[0][0]
        self.assertEqual(
            request.url, "https://tapin.test/api/v2/public/order/post/get-status/bulk/"
        )
        self.assertEqual(request.headers["Authorization"], TOKEN, "no Bearer prefix")
        self.assertEqual(
            json.loads(request.body),
            {"shop_id": SHOP, "orders": [{"id": DELIVERED}, {"id": RETURNED}]},
        )

    def test_orders_are_sent_in_batches_of_one_hundred(self):
        codes = [f"order-{i}" for i in range(230)]
        self.fetch(reply("tapin_status_bulk.json"), codes)
        sizes = [len(json.loads(c.body)["orders"]) for c, _ in self.adapter.calls]
        self.assertEqual(sizes, [100, 100, 30])

    def test_statuses_of_a_bulk_answer(self):
        results = self.fetch(
            reply("tapin_status_bulk.json"),
            [WAITING, DELIVERED, RETURNED, FIRST_VISIT, UNKNOWN_STATUS],
        )
        self.assertEqual(results[WAITING].status, base.INFO_RECEIVED)
        self.assertEqual(results[WAITING].events, [], "the bulk answer has no time")
        self.assertEqual(results[DELIVERED].status, base.DELIVERED)
        self.assertEqual(results[RETURNED].status, base.EXCEPTION)
        self.assertEqual(results[RETURNED].exception_hint, base.HINT_RETURNED)
        self.assertEqual(results[FIRST_VISIT].status, base.ATTEMPT_FAIL)
        self.assertEqual(results[FIRST_VISIT].exception_hint, base.HINT_FAILED_ATTEMPT)
        self.assertEqual(results[UNKNOWN_STATUS].status, base.IN_TRANSIT, "999 is not documented")

    def test_last_change_status_becomes_an_event_in_tehran_time(self):
        result = self.fetch(reply("tapin_status_bulk.json"), [DELIVERED])[DELIVERED]
        [event] = result.events
        self.assertEqual((event.raw_code, event.raw_text), ("7", "توزیع شد"))
        # 2025-05-03T10:07:09.620789 Tehran
        self.assertEqual(
            event.occurred_at, datetime(2025, 5, 3, 6, 37, 9, 620789, tzinfo=timezone.utc)
        )

    def test_numeric_order_id_matches_too(self):
        result = self.fetch(reply("tapin_status_bulk.json"), ["19395"])["19395"]
        self.assertEqual(result.exception_hint, base.HINT_RETURNED)

    def test_status_map_overrides_the_table(self):
        result = self.fetch(
            reply("tapin_status_bulk.json"),
            [UNKNOWN_STATUS],
            status_map={"999": ("گم شده", base.EXCEPTION, base.SUB_LOST)},
        )[UNKNOWN_STATUS]
        self.assertEqual(result.exception_hint, base.HINT_LOST)

    def test_order_missing_from_the_list_is_not_found(self):
        results = self.fetch(reply("tapin_status_bulk.json"), [DELIVERED, "no-such-order"])
        self.assertIsInstance(results[DELIVERED], base.TrackingResult)
        self.assertIsInstance(results["no-such-order"], TrackingNotFoundError)

    def test_unreadable_status_affects_only_its_order(self):
        body = {
            "returns": {"status": 200, "message": ""},
            "entries": {"list": [{"id": WAITING, "status": 0}, {"id": DELIVERED, "status": "x"}]},
        }
        results = self.fetch(reply(body=body), [WAITING, DELIVERED])
        self.assertEqual(results[WAITING].status, base.INFO_RECEIVED)
        self.assertIsInstance(results[DELIVERED], InvalidResponseError)

    def test_returns_status_in_the_envelope_is_typed(self):
        cases = {
            401: AuthenticationError,
            403: AuthenticationError,
            429: RetryableError,
            500: RetryableError,
            400: PermanentError,
        }
        for status, error_class in cases.items():
            with self.subTest(status=status):
                body = {"returns": {"status": status, "message": "خطا"}, "entries": {}}
                error = self.fetch(reply(body=body), [DELIVERED])[DELIVERED]
                self.assertIsInstance(error, error_class)
                self.assertIn(f"Tapin status {status}", str(error))
        error = self.fetch(reply("tapin_auth_failed.json"), [DELIVERED])[DELIVERED]
        self.assertIsInstance(error, AuthenticationError)
        self.assertIn("توکن", str(error))

    def test_missing_returns_or_list_is_invalid_response(self):
        for body in (
            {"entries": {"list": []}},
            {"returns": {"status": "ok"}, "entries": {}},
            {"returns": {"status": 200}, "entries": {"list": {"id": 1}}},
        ):
            with self.subTest(body=body):
                error = self.fetch(reply(body=body), [DELIVERED])[DELIVERED]
                self.assertIsInstance(error, InvalidResponseError)

    def test_needs_token_and_shop(self):
        with self.assertRaises(ValueError):
            TapinClient(TOKEN, "")
        with self.assertRaises(ValueError):
            TapinClient("", SHOP)


class TestTapinConnection(unittest.TestCase):
    def check(self, answer):
        self.adapter = FixtureAdapter([("POST", "/v2/public/shop/detail/", answer)])
        return TapinClient(TOKEN, SHOP, session=session_with(self.adapter)).check_connection()

    def test_shop_detail_proves_token_and_shop(self):
        self.assertEqual(
            self.check(reply("tapin_shop.json")),
            "tapin: token and shop accepted (shop «فروشگاه نمونه»)",
        )
        request = self.adapter.calls[0][0]
        self.assertEqual(request.url, "https://api.tapin.ir/api/v2/public/shop/detail/")
        self.assertEqual(json.loads(request.body), {"shop_id": SHOP})

    def test_refused_token_is_authentication_error_without_the_token(self):
        with self.assertRaises(AuthenticationError) as caught:
            self.check(reply("tapin_auth_failed.json"))
        self.assertNotIn(TOKEN, str(caught.exception))
        with self.assertRaises(AuthenticationError):
            self.check(reply(status=401, body={"detail": f"Authorization: {TOKEN}"}))
