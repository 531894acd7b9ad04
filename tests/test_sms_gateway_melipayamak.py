"""Melipayamak client: SendSMS and BaseServiceNumber, error codes in Value, deliveries."""

import unittest
from urllib.parse import parse_qs

from ..exceptions import AuthenticationError
from ..sms_gateways import base
from ..sms_gateways.melipayamak import MelipayamakGateway
from .sms_gateway_support import (
    MOBILE,
    FixtureAdapter,
    GatewayContract,
    session_with,
    sms_reply,
)

PASSWORD = "meli-Pa55word-secret"


def _form(request):
    return {k: v[0] for k, v in parse_qs(request.body).items()}


class TestMelipayamakGateway(GatewayContract, unittest.TestCase):
    secret = PASSWORD
    send_match = "/SendSMS/SendSMS"
    status_id = "5487996515421569874"

    def make_gateway(self, session=None, base_url=None, timeout=None, **kwargs):
        return MelipayamakGateway(
            username="shop",
            password=PASSWORD,
            sender="50004001",
            base_url=base_url or "https://meli.test/api/SendSMS",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def call(self, routes):
        self.adapter = FixtureAdapter(routes)
        return self.make_gateway(session=session_with(self.adapter))

    def test_plain_send(self):
        gateway = self.call([("POST", "/SendSMS/SendSMS", sms_reply("melipayamak_send.json"))])
        [result] = gateway.send([MOBILE], "سلام")
        self.assertEqual(result.message_id, "5487996515421569874")
        self.assertEqual(
            _form(self.adapter.calls[0][0]),
            {
                "username": "shop",
                "password": PASSWORD,
                "to": "09121234567",
                "from": "50004001",
                "text": "سلام",
                "isFlash": "false",
            },
        )

    def test_template_send_joins_values_in_order(self):
        gateway = self.call(
            [("POST", "/SendSMS/BaseServiceNumber", sms_reply("melipayamak_send.json"))]
        )
        result = gateway.send_template(MOBILE, "371085", {"code": "123456", "minutes": "5"})
        self.assertTrue(result.ok)
        form = _form(self.adapter.calls[0][0])
        self.assertEqual((form["bodyId"], form["text"]), ("371085", "123456;5"))

    def test_mapped_errors(self):
        cases = {
            "melipayamak_error_2.json": base.FAILURE_CREDIT,
            "melipayamak_error_35.json": base.FAILURE_BLACKLIST,
            "melipayamak_error_16.json": base.FAILURE_NUMBER_FORMAT,
            "melipayamak_error_0.json": base.FAILURE_ACCOUNT,
        }
        for name, failure_type in cases.items():
            with self.subTest(name=name):
                [result] = self.send_one(sms_reply(name))
                self.assertFailure(result, failure_type, retryable=False)
                self.assertNoSecret(result.message)

    def test_wrong_password_is_authentication_error(self):
        gateway = self.call(
            [("POST", "/SendSMS/GetDeliveries2", sms_reply("melipayamak_error_0.json"))]
        )
        error = gateway.fetch_status(["5487996515421569874"])["5487996515421569874"]
        self.assertIsInstance(error, AuthenticationError)

    def test_unapproved_template(self):
        gateway = self.call(
            [("POST", "/SendSMS/BaseServiceNumber", sms_reply("melipayamak_error_minus4.json"))]
        )
        result = gateway.send_template(MOBILE, "1", {"code": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertEqual(result.provider_code, "-4")

    def test_delivery_reports(self):
        answers = {
            "111111111111": sms_reply("melipayamak_delivery_1.json"),
            "222222222222": sms_reply("melipayamak_delivery_2.json"),
        }
        gateway = self.call(
            [("POST", "/GetDeliveries2", lambda request: answers[_form(request)["recId"]])]
        )
        reports = gateway.fetch_status(list(answers))
        self.assertEqual(reports["111111111111"].state, base.DLR_DELIVERED)
        self.assertEqual(reports["222222222222"].error, base.DLR_NOT_DELIVERED)
