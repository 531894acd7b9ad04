"""Ghasedak client: single and OTP sends, error mapping, delivery reports."""

import json
import unittest
from urllib.parse import parse_qsl, urlsplit

from ..sms_gateways import base
from ..sms_gateways.ghasedak import GhasedakGateway
from .sms_gateway_support import (
    MOBILE,
    MOBILE_2,
    FixtureAdapter,
    GatewayContract,
    session_with,
    sms_reply,
)

API_KEY = "ghasedak-5f4e3d2c1b-secret"


class TestGhasedakGateway(GatewayContract, unittest.TestCase):
    secret = API_KEY
    send_match = "/SendSingleSMS"
    status_id = "6541233"

    def make_gateway(self, session=None, base_url=None, timeout=None, **kwargs):
        return GhasedakGateway(
            api_key=API_KEY,
            sender="30005006",
            base_url=base_url or "https://ghasedak.test/rest/api/v1/WebService",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def call(self, routes):
        self.adapter = FixtureAdapter(routes)
        return self.make_gateway(session=session_with(self.adapter))

    def test_single_send_one_request_per_recipient(self):
        gateway = self.call([("POST", "/SendSingleSMS", sms_reply("ghasedak_single.json"))])
        results = gateway.send([MOBILE, MOBILE_2], "سلام")
        self.assertEqual(len(self.adapter.calls), 2)
        self.assertTrue(all(r.ok and r.message_id == "6541233" for r in results))
        request = self.adapter.calls[1][0]
        self.assertEqual(request.headers["ApiKey"], API_KEY)
        body = json.loads(request.body)
        self.assertEqual(
            (body["receptor"], body["lineNumber"], body["message"]),
            ("09351234567", "30005006", "سلام"),
        )

    def test_otp_send(self):
        gateway = self.call([("POST", "/SendOtpSMS", sms_reply("ghasedak_otp.json"))])
        result = gateway.send_template(MOBILE, "OrderCode", {"code": "123456"})
        self.assertEqual(result.message_id, "7741001")
        body = json.loads(self.adapter.calls[0][0].body)
        self.assertEqual(body["templateName"], "OrderCode")
        self.assertEqual(body["receptors"], [{"mobile": "09121234567", "clientReferenceId": None}])
        self.assertEqual(body["inputs"], [{"param": "code", "value": "123456"}])

    def test_mapped_errors(self):
        cases = {
            "ghasedak_credit.json": (base.FAILURE_CREDIT, "اعتبار کافی نیست"),
            "ghasedak_number.json": (base.FAILURE_NUMBER_FORMAT, "نامعتبر"),
        }
        for name, (failure_type, words) in cases.items():
            for status in (200, 400):  # logical errors come with either HTTP status
                with self.subTest(name=name, status=status):
                    [result] = self.send_one(sms_reply(name, status=status))
                    self.assertFailure(result, failure_type, retryable=False)
                    self.assertIn(words, result.message)

    def test_unapproved_template(self):
        gateway = self.call([("POST", "/SendOtpSMS", sms_reply("ghasedak_template.json"))])
        result = gateway.send_template(MOBILE, "Nope", {"code": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertIn("تایید نشده", result.message)

    def test_delivery_reports(self):
        gateway = self.call([("GET", "/CheckSmsStatus", sms_reply("ghasedak_status.json"))])
        reports = gateway.fetch_status(["6541233", "6541234", "6541235", "999"])
        query = parse_qsl(urlsplit(self.adapter.calls[0][0].url).query)
        self.assertIn(("Ids", "6541233"), query)
        self.assertIn(("Type", "1"), query)
        self.assertEqual(reports["6541233"].state, base.DLR_DELIVERED)
        self.assertEqual(reports["6541234"].error, base.DLR_REJECTED)
        self.assertEqual(reports["6541235"].state, base.DLR_PENDING)
        self.assertIsInstance(reports["999"], base.TrackingNotFoundError)
