"""A batch's gateway calls run side by side, bounded, each answer going to its own SMS.

``run_bounded`` alone (order, bound, one failing job), then Odoo's SMS sender through the
Kavenegar client against a slow gateway on 127.0.0.1 (no network): the configured number of
requests in flight, never more, and each SMS getting its own provider id or its own failure;
and SMS of one text share one call unless an approved template sends them one by one.
"""

import threading
import time
import unittest
from http.server import ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import parse_qs

import requests

from odoo.tests import tagged

from ..bench.loopback_server import LoopbackHandler
from ..sms_gateways.kavenegar import KavenegarGateway
from ..sms_gateways.parallel import JobFailed, run_bounded
from .sms_gateway_support import MOBILE_2, sms_reply
from .sms_provider_common import MOBILE, SmsProviderCase, form_of

REFUSED = "09120000002"  # the gateway answers 411 (invalid receptor)
BLOCKED = "09120000003"  # accepted, but its entry says 14 (blocked by the operator)


class _InFlight:
    """Counts the calls running at once and remembers the highest count."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.peak = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


class TestRunBounded(unittest.TestCase):
    def test_results_in_order_and_never_more_than_the_bound(self):
        gauge = _InFlight()

        def job(index):
            with gauge:
                time.sleep(0.03 * (5 - index % 5))  # later jobs finish first
            return index

        results = run_bounded([lambda i=i: job(i) for i in range(12)], max_workers=3)
        self.assertEqual(results, list(range(12)))
        self.assertEqual(gauge.peak, 3)

    def test_a_failing_job_gives_its_error_in_its_place(self):
        def boom():
            raise ValueError("client bug")

        results = run_bounded([lambda: 1, boom, lambda: 3], max_workers=2)
        self.assertEqual(results[0], 1)
        self.assertIsInstance(results[1], JobFailed)
        self.assertIsInstance(results[1].error, ValueError)
        self.assertEqual(results[2], 3)

    def test_one_worker_runs_in_the_callers_thread(self):
        caller = threading.get_ident()
        self.assertEqual(run_bounded([threading.get_ident] * 3, max_workers=1), [caller] * 3)


class _SlowKavenegar(LoopbackHandler):
    """Kavenegar's ``sms/send.json`` answering after the server's delay; message ids are the
    receptor's digits, so each answer can be traced back to its number."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        server = self.server
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        receptors = form["receptor"][0].split(",")
        with server.gauge:
            time.sleep(server.delay)
        with server.gauge.lock:
            server.requests.append((receptors, form["message"][0]))
        if REFUSED in receptors:
            status, payload = 411, {"return": {"status": 411, "message": "receptor نامعتبر"}}
        else:
            entries = [
                {
                    "messageid": int(receptor),
                    "receptor": receptor,
                    "status": 14 if receptor == BLOCKED else 1,
                    "statustext": "مسدود" if receptor == BLOCKED else "در صف ارسال",
                }
                for receptor in receptors
            ]
            status, payload = 200, {"return": {"status": 200, "message": "تایید شد"}}
            payload["entries"] = entries
        self.send_json(status, payload)


@tagged("post_install", "-at_install")
class TestConcurrentGatewaySends(SmsProviderCase):
    DELAY = 0.2

    def setUp(self):
        super().setUp()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _SlowKavenegar)
        self.httpd.daemon_threads = True
        self.httpd.delay, self.httpd.gauge, self.httpd.requests = self.DELAY, _InFlight(), []
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)
        port = self.httpd.server_address[1]
        self.company.ot_sms_api_url = f"http://127.0.0.1:{port}"
        # A real session to the loopback server, let through Odoo's test guard.
        session = requests.Session()
        session.ot_replay = True
        patcher = patch.object(
            self.registry["res.company"], "_ot_sms_http_session", lambda _company: session
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        self.addCleanup(session.close)
        self.env["ir.config_parameter"].set_param(
            "order_tracking_chatbot.sms_send_concurrency", "3"
        )

    def _sms(self, numbers):
        return self.env["sms.sms"].create(
            [{"number": n, "body": f"Order S{i:05d} is on its way"} for i, n in enumerate(numbers)]
        )

    def _message_id(self, sms):
        tracker = self.env["sms.tracker"].search([("sms_uuid", "=", sms.uuid)])
        return tracker.ot_gateway_message_id

    def test_calls_overlap_up_to_the_bound_and_answers_reach_their_sms(self):
        numbers = [f"0912000{i:04d}" for i in range(10, 19)]
        sms = self._sms(numbers)
        started = time.perf_counter()
        sms.send(unlink_sent=False)
        elapsed = time.perf_counter() - started
        self.assertEqual(len(self.httpd.requests), 9, "one request per text")
        self.assertEqual(self.httpd.gauge.peak, 3, "the configured bound, reached, not passed")
        self.assertLess(elapsed, 9 * self.DELAY * 0.75, "the calls overlapped")
        for record, number in zip(sms, numbers, strict=True):
            self.assertEqual(record.state, "pending")
            self.assertEqual(self._message_id(record), str(int(number)), "its own answer")

    def test_each_sms_gets_its_own_failure(self):
        sms = self._sms(["09120000011", REFUSED, BLOCKED, "09120000014"])
        sms.send(unlink_sent=False)
        self.assertEqual(sms.mapped("state"), ["pending", "error", "error", "pending"])
        self.assertEqual(sms[1].failure_type, "sms_number_format")
        self.assertEqual(sms[2].failure_type, "sms_blacklist")
        self.assertEqual(self._message_id(sms[3]), "9120000014")
        self.assertFalse(self._message_id(sms[1]))

    def test_a_client_bug_fails_only_its_own_sms(self):
        send_batch = KavenegarGateway._send_batch

        def buggy(gateway, numbers, text):
            if "09120000022" in numbers:
                raise ValueError("client bug")
            return send_batch(gateway, numbers, text)

        sms = self._sms(["09120000021", "09120000022", "09120000023"])
        with patch.object(KavenegarGateway, "_send_batch", buggy):
            sms.send(unlink_sent=False)
        self.assertEqual(sms.mapped("state"), ["pending", "error", "pending"])
        self.assertEqual(sms[1].failure_type, "sms_server", "to be resent")
        self.assertEqual(len(self.httpd.requests), 2)


@tagged("post_install", "-at_install")
class TestGatewayCallsPerText(SmsProviderCase):
    def test_a_kind_without_template_joins_its_texts_call(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        body = "Order S00045 is confirmed"
        sms = self.env["sms.sms"].create(
            [
                {
                    "number": number,
                    "body": body,
                    "ot_template_kind": "otp" if number == MOBILE else False,
                    "ot_template_params": {"code": "123456"} if number == MOBILE else False,
                }
                for number in (MOBILE, MOBILE_2)
            ]
        )
        sms.send(unlink_sent=False)
        [request] = self.requests_to("/sms/send.json")
        self.assertEqual(form_of(request)["receptor"], "09121234567,09351234567")
        self.assertEqual(sms.mapped("state"), ["pending", "pending"])

    def test_an_approved_template_still_goes_alone(self):
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/verify/lookup.json", sms_reply("kavenegar_lookup.json")),
            ]
        )
        self.company.ot_sms_template_otp = "otp-code"
        sms = self.env["sms.sms"].create(
            [
                {
                    "number": MOBILE,
                    "body": "Your code is 123456",
                    "ot_template_kind": "otp",
                    "ot_template_params": {"code": "123456"},
                },
                {"number": MOBILE_2, "body": "Your code is 123456"},
            ]
        )
        sms.send(unlink_sent=False)
        [lookup] = self.requests_to("/verify/lookup.json")
        self.assertEqual(
            (form_of(lookup)["receptor"], form_of(lookup)["template"]), ("09121234567", "otp-code")
        )
        [plain] = self.requests_to("/sms/send.json")
        self.assertEqual(form_of(plain)["receptor"], "09351234567")
        self.assertEqual(sms.mapped("state"), ["pending", "pending"])
