"""IPPanel Edge client: webservice and pattern sends, 401/422 mapping, bulk recipient reports."""

import json
import unittest
from urllib.parse import parse_qs, urlsplit

from ..sms_gateways import base
from ..sms_gateways.ippanel import IppanelGateway
from .sms_gateway_support import (
    MOBILE,
    FixtureAdapter,
    GatewayContract,
    session_with,
    sms_reply,
)

API_KEY = "ippanel-OWY5ZjM0-secret-key"


class TestIppanelGateway(GatewayContract, unittest.TestCase):
    secret = API_KEY
    send_match = "/api/send"
    status_id = "1123544244:+989121234567"

    def make_gateway(self, session=None, base_url=None, timeout=None, **kwargs):
        return IppanelGateway(
            api_key=API_KEY,
            sender="+983000505",
            base_url=base_url or "https://ippanel.test/v1",
            session=session,
            timeout=timeout,
            **kwargs,
        )

    def call(self, routes):
        self.adapter = FixtureAdapter(routes)
        return self.make_gateway(session=session_with(self.adapter))

    def test_webservice_send_uses_e164_and_one_bulk(self):
        gateway = self.call([("POST", "/api/send", sms_reply("ippanel_send.json"))])
        results = gateway.send([MOBILE, "09351234567"], "سلام")
        self.assertEqual(
            [r.message_id for r in results],
            ["1123544244:+989121234567", "1123544244:+989351234567"],
        )
        request = self.adapter.calls[0][0]
        self.assertEqual(request.headers["Authorization"], API_KEY)
        self.assertEqual(
            json.loads(request.body),
            {
                "sending_type": "webservice",
                "from_number": "+983000505",
                "message": "سلام",
                "params": {"recipients": ["+989121234567", "+989351234567"]},
            },
        )

    def test_pattern_send(self):
        gateway = self.call([("POST", "/api/send", sms_reply("ippanel_send.json"))])
        result = gateway.send_template(MOBILE, "abc123", {"code": "123456"})
        self.assertEqual(result.message_id, "1123544244:+989121234567")
        body = json.loads(self.adapter.calls[0][0].body)
        self.assertEqual(
            body,
            {
                "sending_type": "pattern",
                "from_number": "+983000505",
                "code": "abc123",
                "recipients": ["+989121234567"],
                "params": {"code": "123456"},
            },
        )

    def test_401_is_account_failure_with_provider_message(self):
        [result] = self.send_one(sms_reply("ippanel_401.json", status=401))
        self.assertFailure(result, base.FAILURE_ACCOUNT, retryable=False)
        self.assertIn("401", result.message)

    def test_422_fields_map_to_failure_types(self):
        [result] = self.send_one(sms_reply("ippanel_422_recipients.json", status=422))
        self.assertFailure(result, base.FAILURE_NUMBER_FORMAT)
        self.assertIn("شماره گیرنده نامعتبر است", result.message)
        gateway = self.call([("POST", "/api/send", sms_reply("ippanel_422_code.json", status=422))])
        result = gateway.send_template(MOBILE, "zzz", {"code": "1"})
        self.assertFailure(result, base.FAILURE_TEMPLATE)
        self.assertIn("الگو تایید نشده است", result.message)

    def test_delivery_reports_one_request_per_bulk(self):
        gateway = self.call(
            [("GET", "/api/report/recipients", sms_reply("ippanel_recipients.json"))]
        )
        ids = [
            "1123544244:+989121234567",
            "1123544244:+989351234567",
            "1123544244:+989351234568",
            "1123544244:+989999999999",
        ]
        reports = gateway.fetch_status(ids)
        self.assertEqual(len(self.adapter.calls), 1)
        query = parse_qs(urlsplit(self.adapter.calls[0][0].url).query)
        self.assertEqual(query["bulk_id"], ["1123544244"])
        self.assertEqual(reports[ids[0]].state, base.DLR_DELIVERED)
        self.assertEqual(reports[ids[1]].error, base.DLR_REJECTED)
        self.assertEqual(reports[ids[2]].state, base.DLR_PENDING)
        self.assertIsInstance(reports[ids[3]], base.TrackingNotFoundError)

    def test_malformed_id_is_unknown(self):
        gateway = self.call([])
        reports = gateway.fetch_status(["not-an-id"])
        self.assertIsInstance(reports["not-an-id"], base.TrackingNotFoundError)
        self.assertEqual(self.adapter.calls, [])
