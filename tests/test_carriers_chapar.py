"""Chapar client: form field ``input``, bulk history, ``/tracking`` with Jalali dates, status
codes, refusals, connection test, error mapping."""

import json
import unittest
from datetime import datetime, timezone
from urllib.parse import parse_qs

from ..carriers import base
from ..carriers.chapar import KNOWN_CODES, ChaparClient, split_status
from ..exceptions import (
    AuthenticationError,
    InvalidResponseError,
    PermanentError,
    RetryableError,
    TrackingNotFoundError,
)
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

PASSWORD = "chapar-secret-77aa"
DELIVERED = "54100004430128101"
RETURNED = "54100004430128202"
ABSENT = "54100004430128303"


def sent_input(request):
    """The JSON the client put in the form field ``input``."""
    return json.loads(parse_qs(request.body)["input"][0])


class TestChaparClient(CarrierContract, unittest.TestCase):
    secret = PASSWORD
    code = DELIVERED
    unknown_code = "54100000000000000"

    def make_client(self, session=None, base_url=None, timeout=None, **kwargs):
        return ChaparClient(
            "shop",
            PASSWORD,
            base_url=base_url or "https://krch.test/v1",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def routes_with(self, answer):
        return [("POST", "/bulk_history_report", answer)]

    def unknown_answer(self):
        return reply("chapar_history.json")

    def fetch(self, answer, codes, **kwargs):
        self.adapter = FixtureAdapter(self.routes_with(answer))
        return self.make_client(session=session_with(self.adapter), **kwargs).fetch(codes)

    def test_status_code_table(self):
        self.assertEqual(
            KNOWN_CODES,
            {
                "D01": (base.INFO_RECEIVED, base.SUB_INFO_RECEIVED),
                "OD": (base.OUT_FOR_DELIVERY, base.SUB_OUT_FOR_DELIVERY),
                "OK": (base.DELIVERED, base.SUB_DELIVERED),
            },
        )
        cases = {
            "OD (توزیع توسط پیک)": ("OD", "توزیع توسط پیک"),
            "D01": ("D01", ""),
            "تحویل به مرکز مبادلات": (None, "تحویل به مرکز مبادلات"),
            "": (None, ""),
        }
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(split_status(value), expected)

    def test_request_is_form_field_input_with_user_and_bulk(self):
        self.fetch(reply("chapar_history.json"), [DELIVERED, RETURNED])
        request = self.adapter.calls[0][0]
        self.assertTrue(request.url.endswith("/v1/bulk_history_report"))
        self.assertIn("application/x-www-form-urlencoded", request.headers["Content-Type"])
        self.assertEqual(
            sent_input(request),
            {"user": {"username": "shop", "password": PASSWORD}, "bulk": [DELIVERED, RETURNED]},
        )

    def test_codes_are_sent_in_batches_of_twenty(self):
        codes = [f"5410000000000{i:04d}" for i in range(45)]
        self.fetch(reply("chapar_history.json"), codes)
        sizes = [len(sent_input(c)["bulk"]) for c, _ in self.adapter.calls]
        self.assertEqual(sizes, [20, 20, 5])

    def test_delivered_history_uses_the_code_table(self):
        result = self.fetch(reply("chapar_history.json"), [DELIVERED])[DELIVERED]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(
            [(e.raw_code, e.status) for e in result.events],
            [
                ("OK", base.DELIVERED),
                ("OD", base.OUT_FOR_DELIVERY),
                ("T10", base.IN_TRANSIT),  # unknown code: its note decides
                ("D01", base.INFO_RECEIVED),
            ],
        )
        self.assertEqual(result.events[0].raw_text, "بار به صورت صحیح و سالم تحویل شد")
        # 2025-05-02 13:58 Tehran
        self.assertEqual(
            result.events[0].occurred_at, datetime(2025, 5, 2, 10, 28, tzinfo=timezone.utc)
        )
        self.assertIsNone(result.eta)

    def test_returned_to_sender_and_failed_attempt_from_notes(self):
        results = self.fetch(reply("chapar_history.json"), [RETURNED, ABSENT])
        self.assertEqual(results[RETURNED].status, base.EXCEPTION)
        self.assertEqual(results[RETURNED].exception_hint, base.HINT_RETURNED)
        self.assertEqual(results[ABSENT].status, base.ATTEMPT_FAIL)
        self.assertEqual(results[ABSENT].exception_hint, base.HINT_FAILED_ATTEMPT)

    def test_code_map_pins_an_unknown_code(self):
        result = self.fetch(
            reply("chapar_history.json"),
            [ABSENT],
            code_map={"E05": (base.EXCEPTION, base.SUB_LOST)},
        )[ABSENT]
        self.assertEqual(result.exception_hint, base.HINT_LOST)

    def test_code_absent_from_history_is_not_found_others_fine(self):
        results = self.fetch(reply("chapar_history.json"), [DELIVERED, "54100000000000999"])
        self.assertIsInstance(results[DELIVERED], base.TrackingResult)
        self.assertIsInstance(results["54100000000000999"], TrackingNotFoundError)

    def test_one_unreadable_code_does_not_hide_the_others(self):
        body = {
            "result": True,
            "object": {
                "history": [
                    {"tracking": DELIVERED, "date": "2025-05-01", "time": "09:10", "status": "D01"},
                    {"tracking": RETURNED, "date": "yesterday", "status": "D01"},
                ]
            },
        }
        results = self.fetch(reply(body=body), [DELIVERED, RETURNED])
        self.assertEqual(results[DELIVERED].status, base.INFO_RECEIVED)
        self.assertIsInstance(results[RETURNED], InvalidResponseError)
        self.assertEqual(results[RETURNED].tracking_code, RETURNED)

    def test_envelope_variants_object_objects_and_bare(self):
        item = {
            "date": "2020-07-19",
            "time": "01:26",
            "status": "D01",
            "status_note": "بار در سیستم ورود اطلاعات شد",
            "tracking": DELIVERED,
            "reference": "123",
        }
        for body in (
            {"history": [item]},
            {"result": True, "objects": {"history": [item]}},
            {"result": 1, "message": "", "object": {"history": [item]}},
        ):
            with self.subTest(keys=sorted(body)):
                result = self.fetch(reply(body=body), [DELIVERED])[DELIVERED]
                self.assertEqual(result.status, base.INFO_RECEIVED)

    def test_result_false_about_credentials_is_authentication_error(self):
        error = self.fetch(reply("chapar_auth_failed.json"), [DELIVERED])[DELIVERED]
        self.assertIsInstance(error, AuthenticationError)
        self.assertIn("رمز عبور", str(error))

    def test_other_refusal_is_permanent_but_not_authentication(self):
        error = self.fetch(reply("chapar_refused.json"), [DELIVERED])[DELIVERED]
        self.assertIsInstance(error, PermanentError)
        self.assertNotIsInstance(error, AuthenticationError)

    def test_tracking_url_and_no_webhooks(self):
        client = self.make_client()
        self.assertEqual(
            client.tracking_url(DELIVERED), f"https://www.chaparnet.com/track/{DELIVERED}"
        )
        with self.assertRaises(PermanentError):
            client.parse_webhook({}, b"{}")


class TestChaparTracking(unittest.TestCase):
    """``use_tracking=True``: ``/tracking`` per code, Jalali dates, locations."""

    def fetch(self, answer, code=DELIVERED, **kwargs):
        self.adapter = FixtureAdapter([("POST", "/tracking", answer)])
        client = ChaparClient(
            "shop",
            PASSWORD,
            base_url="https://krch.test/v1",
            session=session_with(self.adapter),
            use_tracking=True,
            **kwargs,
        )
        return client.fetch([code])[code]

    def test_request_is_order_reference_without_credentials(self):
        self.fetch(reply("chapar_tracking.json"))
        request = self.adapter.calls[0][0]
        self.assertTrue(request.url.endswith("/v1/tracking"))
        self.assertEqual(sent_input(request), {"order": {"reference": DELIVERED, "lang": "fa"}})
        self.assertNotIn(PASSWORD, request.body)

    def test_jalali_dates_codes_in_brackets_and_locations(self):
        result = self.fetch(reply("chapar_tracking.json"))
        delivered, out, hub, entered = result.events
        self.assertEqual(
            entered.occurred_at, datetime(2025, 5, 1, 7, 10, tzinfo=timezone.utc), "unix stamp"
        )
        self.assertEqual((entered.raw_code, entered.status), ("D01", base.INFO_RECEIVED))
        self.assertEqual(entered.raw_text, "بار در سیستم ورود اطلاعات شد")
        self.assertEqual(entered.location, "تهران")
        self.assertEqual((hub.raw_code, hub.substatus), (None, base.SUB_IN_TRANSIT))
        # "1404/02/12" with no time stamp: the Jalali day, midnight in Tehran.
        self.assertEqual(out.occurred_at, datetime(2025, 5, 1, 20, 30, tzinfo=timezone.utc))
        self.assertEqual((out.raw_code, out.status), ("OD", base.OUT_FOR_DELIVERY))
        self.assertEqual(out.location, "شیراز")
        # delivery_time "1404/02/12 13:58:08" Tehran: the delivery the history left out.
        self.assertEqual(delivered.status, base.DELIVERED)
        self.assertEqual(
            delivered.occurred_at, datetime(2025, 5, 2, 10, 28, 8, tzinfo=timezone.utc)
        )
        self.assertEqual(delivered.raw_text, "تحویل به خود گیرنده")
        self.assertEqual(result.status, base.DELIVERED)

    def test_no_delivery_event_added_without_delivery_time(self):
        body = {
            "result": True,
            "objects": {
                "order": {
                    "delivery_time": None,
                    "history": [{"date": "1404/02/12", "status": "OD (توزیع توسط پیک)"}],
                }
            },
        }
        result = self.fetch(reply(body=body))
        self.assertEqual(result.status, base.OUT_FOR_DELIVERY)
        self.assertEqual(len(result.events), 1)

    def test_not_found_message_and_empty_order_are_unknown_codes(self):
        for answer in (
            reply("chapar_tracking_not_found.json"),
            reply(body={"result": True, "objects": {"order": None}}),
        ):
            with self.subTest(answer=answer.body[:40]):
                self.assertIsInstance(self.fetch(answer), TrackingNotFoundError)

    def test_junk_history_is_invalid_response(self):
        body = {"result": True, "objects": {"order": {"history": [{"status": "OD"}]}}}
        self.assertIsInstance(self.fetch(reply(body=body)), InvalidResponseError)
        body = {"result": True, "objects": {"order": {"history": "none"}}}
        self.assertIsInstance(self.fetch(reply(body=body)), InvalidResponseError)
        self.assertIsInstance(self.fetch(reply("wrong_shape_object.json")), InvalidResponseError)
        self.assertIsInstance(self.fetch(reply("junk.html")), InvalidResponseError)


class TestChaparConnection(unittest.TestCase):
    def check(self, answer):
        adapter = FixtureAdapter([("POST", "/bulk_history_report", answer)])
        client = ChaparClient("shop", PASSWORD, session=session_with(adapter))
        return client.check_connection(), adapter

    def test_empty_history_for_the_test_code_proves_the_account(self):
        message, adapter = self.check(reply(body={"result": True, "object": {"history": []}}))
        self.assertIn("account accepted", message)
        self.assertEqual(sent_input(adapter.calls[0][0])["bulk"], [base.CONNECTION_TEST_CODE])

    def test_refused_credentials_and_outage_raise_typed_errors(self):
        with self.assertRaises(AuthenticationError):
            self.check(reply("chapar_auth_failed.json"))
        with self.assertRaises(RetryableError) as caught:
            self.check(reply(status=502, body={"password": PASSWORD}))
        self.assertNotIn(PASSWORD, str(caught.exception))
