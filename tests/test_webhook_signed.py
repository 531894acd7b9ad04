"""Webhook endpoint: signatures (generic HMAC with timestamp, AfterShip), replays, junk."""

import base64
import hashlib
import hmac
import json
import time

from odoo.tests import HttpCase, tagged

from ..carriers.webhook import SIGNATURE_HEADER, sign
from .test_sync_support import SECRET, SyncCase


def generic_body(event_id, code, text="ورود به مرکز مبادلات اصفهان", status="InTransit"):
    return json.dumps(
        {
            "id": event_id,
            "tracking_code": code,
            "events": [
                {
                    "time": "2025-05-01T09:00:00+03:30",
                    "status": "InfoReceived",
                    "text": "ثبت مرسوله",
                    "location": "تهران",
                },
                {"time": "2025-05-02T10:00:00+03:30", "status": status, "text": text},
            ],
            "eta": "2025-05-04",
        },
        ensure_ascii=False,
    ).encode("utf-8")


@tagged("post_install", "-at_install")
class TestWebhook(HttpCase, SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generic = cls._carrier("Relay", "webhook", ot_webhook_secret=SECRET)
        cls.aftership = cls._carrier(
            "AfterShip",
            "aftership",
            ot_aftership_api_key="as-key-1234",
            ot_aftership_webhook_secret=SECRET,
        )

    def _post(self, carrier, body, headers=None, provider=None):
        provider = provider or carrier.ot_tracking_provider
        return self.url_open(
            f"/order-tracking/webhook/{provider}/{carrier.id}",
            data=body,
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    def _post_generic(self, body, t=None, secret=SECRET):
        return self._post(self.generic, body, {SIGNATURE_HEADER: sign(body, secret, t)})

    def test_signed_push_is_applied_and_its_replay_is_acknowledged_once(self):
        picking = self._picking(self.generic, "OT-55501", next_check=False)
        body = generic_body("evt_0001", "OT-55501")
        response = self._post_generic(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"result": "ok", "applied": 1, "unknown": 0})
        self.assertEqual(len(picking.ot_event_ids), 2)
        self.assertEqual(set(picking.ot_event_ids.mapped("source")), {"webhook"})
        self.assertEqual(picking.ot_carrier_status, "InTransit")
        self.assertEqual(str(picking.ot_eta), "2025-05-04")
        self.assertFalse(picking.ot_next_check_at, "a push-only carrier is never polled")

        replay = self._post_generic(body)
        self.assertEqual(replay.status_code, 200)
        self.assertEqual(replay.json(), {"result": "duplicate"})
        self.assertEqual(len(picking.ot_event_ids), 2)

        # A new event id with an event already known is applied, still without duplicates.
        again = self._post_generic(generic_body("evt_0002", "OT-55501"))
        self.assertEqual(again.json()["result"], "ok")
        self.assertEqual(len(picking.ot_event_ids), 2)
        receipts = self.env["order.tracking.webhook.receipt"].search(
            [("carrier_id", "=", self.generic.id)]
        )
        self.assertEqual(len(receipts), 2)

    def test_bad_signatures_are_refused_without_detail(self):
        picking = self._picking(self.generic, "OT-55502", next_check=False)
        body = generic_body("evt_0100", "OT-55502")
        cases = {
            "wrong secret": {SIGNATURE_HEADER: sign(body, "not-the-secret")},
            "missing": {},
            "malformed": {SIGNATURE_HEADER: "v1=abc"},
            "too old": {SIGNATURE_HEADER: sign(body, SECRET, time.time() - 3600)},
            "other body": {SIGNATURE_HEADER: sign(body + b" ", SECRET)},
        }
        for name, headers in cases.items():
            with self.subTest(name):
                response = self._post(self.generic, body, headers)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json(), {"error": "invalid signature"})
                self.assertNotIn("Traceback", response.text)
        self.assertFalse(picking.ot_event_ids)
        # A refused push does not burn its event id: the genuine one still goes through.
        self.assertEqual(self._post_generic(body).json()["result"], "ok")

    def test_junk_bodies_get_400_and_never_a_stack_trace(self):
        for junk in (b"not json", b"[]", b'{"id": "x"}', "{\u00ff".encode("latin-1"), b" "):
            with self.subTest(junk=junk):
                response = self._post_generic(junk)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {"error": "invalid payload"})

    def test_carrier_form_shows_the_webhook_url(self):
        self.assertTrue(
            self.generic.ot_webhook_url.endswith(
                f"/order-tracking/webhook/webhook/{self.generic.id}"
            )
        )
        self.assertFalse(self._carrier("Polled only", "postex").ot_webhook_url)

    def test_unknown_endpoints_are_404(self):
        body = generic_body("evt_0200", "OT-1")
        headers = {SIGNATURE_HEADER: sign(body, SECRET)}
        link_only = self._carrier("Link only", "none")
        self.assertEqual(self._post(link_only, body, headers).status_code, 404)
        self.assertEqual(self._post(self.generic, body, headers, "aftership").status_code, 404)
        self.assertEqual(
            self._post(self.generic.browse(999999), body, headers, "webhook").status_code, 404
        )

    def test_unknown_tracking_code_is_acknowledged_but_changes_nothing(self):
        response = self._post_generic(generic_body("evt_0300", "NOBODY-1"))
        self.assertEqual(response.json(), {"result": "ok", "applied": 0, "unknown": 1})

    def test_aftership_hmac(self):
        picking = self._picking(self.aftership, "WH0009", next_check=False)
        payload = {
            "event": "tracking_update",
            "event_id": "9d8ac7a4-0001",
            "ts": int(time.time()),
            "msg": {
                "tracking_number": "WH0009",
                "tag": "Exception",
                "subtag": "Exception_007",
                "checkpoints": [
                    {
                        "checkpoint_time": "2025-05-03T09:00:00+03:30",
                        "message": "آدرس ناقص",
                        "tag": "Exception",
                        "subtag": "Exception_007",
                        "location": "کرج",
                    }
                ],
            },
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        good = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
        # One character changed, whatever the signature starts with.
        tampered = ("y" if good[0] == "x" else "x") + good[1:]
        bad = self._post(self.aftership, body, {"aftership-hmac-sha256": tampered})
        self.assertEqual(bad.status_code, 401)
        self.assertFalse(picking.ot_event_ids)
        ok = self._post(self.aftership, body, {"aftership-hmac-sha256": good})
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(picking.ot_carrier_status, "Exception")
        self.assertEqual(picking.ot_carrier_substatus, "Exception_007")
        self.assertEqual(picking.ot_event_ids.source, "webhook")
        self.assertTrue(picking.ot_next_check_at, "AfterShip can also be polled")
        replay = self._post(self.aftership, body, {"aftership-hmac-sha256": good})
        self.assertEqual(replay.json(), {"result": "duplicate"})
