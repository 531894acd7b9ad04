"""Kavenegar client: plain and verify-lookup sends, error mapping, delivery reports, push."""

import unittest
from urllib.parse import parse_qs

from ..exceptions import PermanentError, TrackingNotFoundError
from ..sms_gateways import base
from ..sms_gateways.kavenegar import KavenegarGateway
from .sms_gateway_support import (
    MOBILE,
    FixtureAdapter,
    GatewayContract,
    reply,
    session_with,
    sms_reply,
)

API_KEY = "4A6B7C2D3E-kavenegar-secret-key"


def _form(request):
    return {k: v[0] for k, v in parse_qs(request.body).items()}


class TestKavenegarGateway(GatewayContract, unittest.TestCase):
    secret = API_KEY
    send_match = "/sms/send.json"
    status_id = "8792343"

    def make_gateway(self, session=None, base_url=None, timeout=None, **kwargs):
        return KavenegarGateway(
            api_key=API_KEY,
            sender="10004346",
            base_url=base_url or "https://kavenegar.test/v1",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def call(self, routes, **kwargs):
        self.adapter = FixtureAdapter(routes)
        return self.make_gateway(session=session_with(self.adapter), **kwargs)

    def test_plain_send_batches_receptors_in_local_format(self):
        gateway = self.call([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        results = gateway.send([MOBILE, "۰۹۳۵ ۱۲۳ ۴۵۶۷"], "کد شما")
        self.assertEqual([r.message_id for r in results], ["8792343", "8792344"])
        self.assertTrue(all(r.ok for r in results))
        self.assertEqual(results[1].number, "۰۹۳۵ ۱۲۳ ۴۵۶۷")  # as the caller gave it
        [(request, _timeout)] = self.adapter.calls
        self.assertTrue(request.url.endswith(f"/v1/{API_KEY}/sms/send.json"))
        form = _form(request)
        self.assertEqual(form["receptor"], "09121234567,09351234567")
        self.assertEqual(form["sender"], "10004346")
        self.assertEqual(form["message"], "کد شما")

    def test_batches_are_at_most_200_receptors(self):
        numbers = [f"+98912{i:07d}" for i in range(201)]

        def answer(request):
            receptors = _form(request)["receptor"].split(",")
            entries = [
                {"messageid": 1000 + i, "status": 1, "receptor": r} for i, r in enumerate(receptors)
            ]
            return reply(body={"return": {"status": 200, "message": "ok"}, "entries": entries})

        gateway = self.call([("POST", "/sms/send.json", answer)])
        results = gateway.send(numbers, "x")
        self.assertEqual(len(self.adapter.calls), 2)
        self.assertTrue(all(r.ok for r in results))
        self.assertEqual(len(results), 201)

    def test_blocked_entry_is_blacklist_failure(self):
        gateway = self.call([("POST", "/sms/send.json", sms_reply("kavenegar_send_blocked.json"))])
        [result] = gateway.send([MOBILE], "x")
        self.assertFailure(result, base.FAILURE_BLACKLIST)
        self.assertIn("بلاک شده", result.message)

    def test_mapped_errors_keep_the_provider_message(self):
        cases = {
            "kavenegar_418.json": (418, base.FAILURE_CREDIT, "اعتبار حساب شما کافی نیست"),
            "kavenegar_411.json": (411, base.FAILURE_NUMBER_FORMAT, "گیرنده نامعتبر است"),
            "kavenegar_403.json": (403, base.FAILURE_ACCOUNT, "API-Key"),
        }
        for name, (status, failure_type, words) in cases.items():
            with self.subTest(name=name):
                [result] = self.send_one(sms_reply(name, status=status))
                self.assertFailure(result, failure_type, retryable=False)
                self.assertIn(words, result.message)
                self.assertEqual(result.provider_code, str(status))
                self.assertNoSecret(result.message)

    def test_lookup_fills_tokens_in_order(self):
        gateway = self.call([("POST", "/verify/lookup.json", sms_reply("kavenegar_lookup.json"))])
        result = gateway.send_template(MOBILE, "order-otp", {"code": "123456", "minutes": "5"})
        self.assertTrue(result.ok)
        self.assertEqual(result.message_id, "9911001")
        form = _form(self.adapter.calls[0][0])
        self.assertEqual(
            form,
            {
                "receptor": "09121234567",
                "template": "order-otp",
                "token": "123456",
                "token2": "5",
                "type": "sms",
            },
        )

    def test_lookup_keeps_kavenegar_token_names(self):
        gateway = self.call([("POST", "/verify/lookup.json", sms_reply("kavenegar_lookup.json"))])
        gateway.send_template(MOBILE, "t", {"token10": "علی رضایی", "token": "42"})
        form = _form(self.adapter.calls[0][0])
        self.assertEqual((form["token10"], form["token"]), ("علی رضایی", "42"))

    def test_unapproved_template_is_template_failure(self):
        gateway = self.call(
            [("POST", "/verify/lookup.json", sms_reply("kavenegar_424.json", status=424))]
        )
        result = gateway.send_template(MOBILE, "missing", {"code": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertIn("تایید نشده", result.message)

    def test_template_without_id_fails_without_request(self):
        gateway = self.call([])
        result = gateway.send_template(MOBILE, "", {"code": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertEqual(self.adapter.calls, [])

    def test_delivery_reports(self):
        gateway = self.call([("POST", "/sms/status.json", sms_reply("kavenegar_status.json"))])
        ids = ["8792343", "8792344", "8792345", "8792346", "8792347"]
        reports = gateway.fetch_status(ids)
        self.assertEqual(_form(self.adapter.calls[0][0])["messageid"], ",".join(ids))
        self.assertEqual(reports["8792343"].state, base.DLR_DELIVERED)
        self.assertEqual(
            (reports["8792344"].state, reports["8792344"].error),
            (base.DLR_UNDELIVERED, base.DLR_NOT_DELIVERED),
        )
        self.assertEqual(reports["8792345"].state, base.DLR_PENDING)
        self.assertFalse(reports["8792345"].final)
        self.assertEqual(reports["8792346"].error, base.DLR_REJECTED)
        self.assertIsInstance(reports["8792347"], TrackingNotFoundError)

    def test_status_map_can_be_overridden(self):
        gateway = self.call(
            [("POST", "/sms/status.json", sms_reply("kavenegar_status.json"))],
            status_map={"4": base.DELIVERED},
        )
        self.assertEqual(gateway.fetch_status(["8792345"])["8792345"].state, base.DLR_DELIVERED)

    def test_callback_payload(self):
        gateway = self.make_gateway()
        [report] = gateway.parse_callback({"messageid": "8792343", "status": "10"})
        self.assertEqual((report.message_id, report.state), ("8792343", base.DLR_DELIVERED))
        with self.assertRaises(PermanentError):
            gateway.parse_callback({"messageid": "x' or 1=1"})

    def test_url_quoted_key_is_redacted_too(self):
        key = "abc/def+ghi=="
        self.adapter = FixtureAdapter([("POST", "/sms/send.json", reply(status=500, body={}))])
        gateway = KavenegarGateway(
            api_key=key, base_url="https://kavenegar.test/v1", session=session_with(self.adapter)
        )
        [result] = gateway.send([MOBILE], "x")
        self.assertIn("abc%2Fdef%2Bghi%3D%3D", self.adapter.calls[0][0].url)
        self.assertIn("HTTP 500", result.message)
        self.assertNotIn("abc%2Fdef", result.message)
        self.assertNotIn(key, result.message)

    def test_missing_key_is_refused(self):
        with self.assertRaises(ValueError):
            KavenegarGateway(api_key="")
