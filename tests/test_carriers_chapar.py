"""Chapar client: bulk history request, Persian status notes, refusals, error mapping."""

import json
import unittest
from datetime import datetime, timezone
from urllib.parse import parse_qs

from ..carriers import base
from ..carriers.chapar import ChaparClient
from ..exceptions import AuthenticationError, PermanentError, TrackingNotFoundError
from .test_carriers_support import CarrierContract, FixtureAdapter, reply, session_with

PASSWORD = "chapar-secret-77aa"
DELIVERED = "54100004430128101"
RETURNED = "54100004430128202"
ABSENT = "54100004430128303"


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

    def test_request_is_form_field_input_with_user_and_bulk(self):
        self.fetch(reply("chapar_history.json"), [DELIVERED, RETURNED])
        request = self.adapter.calls[0][0]
        form = parse_qs(request.body)
        sent = json.loads(form["input"][0])
        self.assertEqual(
            sent,
            {"user": {"username": "shop", "password": PASSWORD}, "bulk": [DELIVERED, RETURNED]},
        )

    def test_codes_are_sent_in_batches_of_twenty(self):
        codes = [f"5410000000000{i:04d}" for i in range(45)]
        self.fetch(reply("chapar_history.json"), codes)
        sizes = [
            len(json.loads(parse_qs(c.body)["input"][0])["bulk"]) for c, _ in self.adapter.calls
        ]
        self.assertEqual(sizes, [20, 20, 5])

    def test_delivered_history(self):
        result = self.fetch(reply("chapar_history.json"), [DELIVERED])[DELIVERED]
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(
            [e.status for e in result.events],
            [base.DELIVERED, base.OUT_FOR_DELIVERY, base.IN_TRANSIT, base.INFO_RECEIVED],
        )
        self.assertEqual(result.events[0].raw_code, "OK")
        self.assertEqual(result.events[0].raw_text, "بار به صورت صحیح و سالم تحویل شد")
        # 2025-05-02 13:58 Tehran
        self.assertEqual(
            result.events[0].occurred_at, datetime(2025, 5, 2, 10, 28, tzinfo=timezone.utc)
        )
        self.assertIsNone(result.eta)

    def test_returned_to_sender_and_failed_attempt(self):
        results = self.fetch(reply("chapar_history.json"), [RETURNED, ABSENT])
        self.assertEqual(results[RETURNED].status, base.EXCEPTION)
        self.assertEqual(results[RETURNED].exception_hint, base.HINT_RETURNED)
        self.assertEqual(results[ABSENT].status, base.ATTEMPT_FAIL)
        self.assertEqual(results[ABSENT].exception_hint, base.HINT_FAILED_ATTEMPT)

    def test_code_absent_from_history_is_not_found_others_fine(self):
        results = self.fetch(reply("chapar_history.json"), [DELIVERED, "54100000000000999"])
        self.assertIsInstance(results[DELIVERED], base.TrackingResult)
        self.assertIsInstance(results["54100000000000999"], TrackingNotFoundError)

    def test_result_false_about_credentials_is_authentication_error(self):
        error = self.fetch(reply("chapar_auth_failed.json"), [DELIVERED])[DELIVERED]
        self.assertIsInstance(error, AuthenticationError)
        self.assertIn("رمز عبور", str(error))

    def test_other_refusal_is_permanent_but_not_authentication(self):
        error = self.fetch(reply("chapar_refused.json"), [DELIVERED])[DELIVERED]
        self.assertIsInstance(error, PermanentError)
        self.assertNotIsInstance(error, AuthenticationError)

    def test_bare_history_shape_from_openapi_example_is_accepted(self):
        body = {
            "history": [
                {
                    "date": "2020-07-19",
                    "time": "01:26",
                    "status": "D01",
                    "status_note": "بار در سیستم ورود اطلاعات شد",
                    "tracking": DELIVERED,
                    "reference": "123",
                }
            ]
        }
        result = self.fetch(reply(body=body), [DELIVERED])[DELIVERED]
        self.assertEqual(result.status, base.INFO_RECEIVED)

    def test_tracking_url_and_no_webhooks(self):
        client = self.make_client()
        self.assertEqual(
            client.tracking_url(DELIVERED), f"https://www.chaparnet.com/track/{DELIVERED}"
        )
        with self.assertRaises(PermanentError):
            client.parse_webhook({}, b"{}")
