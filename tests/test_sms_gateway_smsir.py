"""SMS.ir v1 client: bulk and verify sends, error mapping, delivery reports."""

import json
import unittest

from ..exceptions import AuthenticationError
from ..sms_gateways import base
from ..sms_gateways.smsir import SmsIrGateway
from .sms_gateway_support import (
    MOBILE,
    MOBILE_2,
    FixtureAdapter,
    GatewayContract,
    session_with,
    sms_reply,
)

API_KEY = "smsir-XyZ123secretApiKey"


class TestSmsIrGateway(GatewayContract, unittest.TestCase):
    secret = API_KEY
    send_match = "/send/bulk"
    status_id = "551234567"

    def make_gateway(self, session=None, base_url=None, timeout=None, **kwargs):
        return SmsIrGateway(
            api_key=API_KEY,
            sender="30007732000000",
            base_url=base_url or "https://smsir.test/v1",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def call(self, routes):
        self.adapter = FixtureAdapter(routes)
        return self.make_gateway(session=session_with(self.adapter))

    def test_bulk_send(self):
        gateway = self.call([("POST", "/send/bulk", sms_reply("smsir_bulk.json"))])
        results = gateway.send([MOBILE, MOBILE_2], "سلام")
        self.assertEqual([r.message_id for r in results], ["551234567", "551234568"])
        self.assertEqual(results[0].message, "موفق")
        [(request, _timeout)] = self.adapter.calls
        self.assertEqual(request.headers["X-API-KEY"], API_KEY)
        self.assertEqual(
            json.loads(request.body),
            {
                "lineNumber": 30007732000000,
                "messageText": "سلام",
                "mobiles": ["09121234567", "09351234567"],
                "sendDateTime": None,
            },
        )

    def test_bulk_answer_without_one_id_per_mobile_is_junk(self):
        gateway = self.call([("POST", "/send/bulk", sms_reply("smsir_bulk.json"))])
        results = gateway.send([MOBILE], "x")  # two ids for one mobile
        self.assertFailure(results[0], base.FAILURE_SERVER, retryable=True)

    def test_verify_send(self):
        gateway = self.call([("POST", "/send/verify", sms_reply("smsir_verify.json"))])
        result = gateway.send_template(MOBILE, "123456", {"CODE": "654321"})
        self.assertEqual(result.message_id, "661234567")
        self.assertEqual(
            json.loads(self.adapter.calls[0][0].body),
            {
                "mobile": "09121234567",
                "templateId": 123456,
                "parameters": [{"name": "CODE", "value": "654321"}],
            },
        )

    def test_non_numeric_template_id_fails_without_request(self):
        gateway = self.call([])
        result = gateway.send_template(MOBILE, "otp", {"CODE": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertEqual(self.adapter.calls, [])

    def test_mapped_errors(self):
        cases = {
            "smsir_102.json": (base.FAILURE_CREDIT, "اعتبار کافی نیست"),
            "smsir_104.json": (base.FAILURE_NUMBER_FORMAT, "شماره موبایل نامعتبر است"),
            "smsir_10.json": (base.FAILURE_ACCOUNT, "کلید وب سرویس نامعتبر است"),
        }
        for name, (failure_type, words) in cases.items():
            with self.subTest(name=name):
                [result] = self.send_one(sms_reply(name, status=400))
                self.assertFailure(result, failure_type, retryable=False)
                self.assertIn(words, result.message)

    def test_unapproved_template(self):
        gateway = self.call([("POST", "/send/verify", sms_reply("smsir_113.json", status=400))])
        result = gateway.send_template(MOBILE, "99", {"CODE": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertEqual(result.provider_code, "113")

    def test_bad_key_error_is_authentication(self):
        gateway = self.call([("GET", "/send/551234567", sms_reply("smsir_10.json", status=400))])
        error = gateway.fetch_status(["551234567"])["551234567"]
        self.assertIsInstance(error, AuthenticationError)
        self.assertNotIn(API_KEY, repr(error))

    def test_delivery_reports(self):
        gateway = self.call(
            [
                ("GET", "/send/551234567", sms_reply("smsir_report_delivered.json")),
                ("GET", "/send/551234568", sms_reply("smsir_report_blacklisted.json")),
            ]
        )
        reports = gateway.fetch_status(["551234567", "551234568"])
        self.assertEqual(reports["551234567"].state, base.DLR_DELIVERED)
        self.assertEqual(
            (reports["551234568"].state, reports["551234568"].error),
            (base.DLR_UNDELIVERED, base.DLR_REJECTED),
        )
        self.assertEqual(len(self.adapter.calls), 2)

    def test_no_callbacks(self):
        with self.assertRaises(base.PermanentError):
            self.make_gateway().parse_callback({"messageId": "1"})
