"""Odoo's SMS through an Iranian gateway: any SMS of the shop, error mapping, delivery reports.

HTTP is replayed from tests/data/sms (see sms_provider_common.py); nothing reaches a network.
"""

import os
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sms.tools.sms_api import SmsApi

from ..models.sms_gateway_api import OtSmsGatewayApi
from ..models.sms_tracker import DLR_BACKOFF
from .sms_gateway_support import reply, sms_reply
from .sms_provider_common import API_KEY, MOBILE, SmsProviderCase, form_of


@tagged("post_install", "-at_install")
class TestSmsThroughGateway(SmsProviderCase):
    def _sale_order(self):
        partner = self.env["res.partner"].create({"name": "Sara Ahmadi", "phone": MOBILE})
        return self.env["sale.order"].create({"partner_id": partner.id})

    def _tracker_of(self, sms_uuid):
        return self.env["sms.tracker"].search([("sms_uuid", "=", sms_uuid)])

    def test_company_uses_the_gateway_api_class(self):
        self.assertIs(self.company._get_sms_api_class(), OtSmsGatewayApi)
        self.company.ot_sms_provider = "odoo"
        self.assertIs(self.company._get_sms_api_class(), SmsApi)

    def test_an_unrelated_sms_goes_through_the_gateway(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        sms = self.env["sms.sms"].create({"number": MOBILE, "body": "Your parcel left Tehran"})
        iap = "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch"
        with patch(iap, side_effect=AssertionError("IAP must not be used")) as iap_send:
            sms.send(unlink_sent=False)
        iap_send.assert_not_called()
        [request] = self.requests_to("/sms/send.json")
        self.assertIn(f"/{API_KEY}/sms/send.json", request.url)
        form = form_of(request)
        self.assertEqual(
            (form["receptor"], form["message"], form["sender"]),
            ("09121234567", "Your parcel left Tehran", "10004346"),
        )
        self.assertEqual(sms.state, "pending")  # Odoo's "Sent"
        tracker = self._tracker_of(sms.uuid)
        self.assertEqual(
            (tracker.ot_gateway, tracker.ot_gateway_message_id, tracker.ot_dlr_state),
            ("kavenegar", "8792343", "pending"),
        )

    def test_a_sale_order_sms_goes_through_the_gateway_and_gets_its_report(self):
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/sms/status.json", sms_reply("kavenegar_status.json")),
            ]
        )
        order = self._sale_order()
        message = order._message_sms("Your order is confirmed", sms_numbers=[MOBILE])
        self.assertEqual(len(self.requests_to("/sms/send.json")), 1)
        notification = message.notification_ids
        self.assertEqual(notification.notification_status, "pending")
        tracker = notification.sms_tracker_ids
        self.assertEqual(tracker.ot_gateway_message_id, "8792343")
        # Not due yet: the cron asks nothing.
        self.run_dlr_cron()
        self.assertFalse(self.requests_to("/sms/status.json"))
        tracker.ot_dlr_next_check = fields.Datetime.now() - timedelta(seconds=1)
        self.run_dlr_cron()
        [status_request] = self.requests_to("/sms/status.json")
        self.assertEqual(form_of(status_request)["messageid"], "8792343")
        self.assertEqual(notification.notification_status, "sent")  # delivered
        self.assertEqual(tracker.ot_dlr_state, "delivered")
        # Safe to re-run: a final report is never asked again.
        tracker.ot_dlr_next_check = fields.Datetime.now() - timedelta(seconds=1)
        self.run_dlr_cron()
        self.assertEqual(len(self.requests_to("/sms/status.json")), 1)

    def test_provider_errors_map_to_odoo_failure_types(self):
        cases = {
            "kavenegar_418.json": (418, "sms_credit", "اعتبار حساب شما کافی نیست"),
            "kavenegar_411.json": (411, "sms_number_format", "گیرنده نامعتبر است"),
        }
        for name, (status, failure_type, words) in cases.items():
            with self.subTest(name=name):
                self.replay([("POST", "/sms/send.json", sms_reply(name, status=status))])
                order = self._sale_order()
                message = order._message_sms("hello", sms_numbers=[MOBILE])
                notification = message.notification_ids
                self.assertEqual(notification.notification_status, "exception")
                self.assertEqual(notification.failure_type, failure_type)
                self.assertIn(words, notification.failure_reason)
                self.assertNotIn(API_KEY, notification.failure_reason)

    def test_server_error_is_sms_server_and_sms_stays_for_resend(self):
        self.replay([("POST", "/sms/send.json", reply(status=502, body={}))])
        sms = self.env["sms.sms"].create({"number": MOBILE, "body": "x"})
        sms.send()
        self.assertEqual(len(self.requests_to("/sms/send.json")), 1)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertFalse(self._tracker_of(sms.uuid))

    def test_blacklisted_number_is_sms_blacklist(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send_blocked.json"))])
        sms = self.env["sms.sms"].create({"number": MOBILE, "body": "x"})
        sms.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_blacklist"))

    def test_missing_credentials_fail_the_sms_as_account_problem(self):
        self.company.ot_sms_api_key = False
        self.replay([])
        sms = self.env["sms.sms"].create({"number": MOBILE, "body": "x"})
        sms.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))
        self.assertEqual(self.adapter.calls, [])

    def test_environment_variable_wins_over_the_stored_key(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        with patch.dict(os.environ, {"OT_SMS_API_KEY": "key-from-the-environment"}):
            self.env["sms.sms"].create({"number": MOBILE, "body": "x"}).send()
        [request] = self.requests_to("/sms/send.json")
        self.assertIn("/key-from-the-environment/sms/send.json", request.url)

    def test_queue_cron_sends_each_company_through_its_own_provider(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        other = self.env["res.company"].create({"name": "Other shop"})  # Odoo's default: IAP
        ours = self.env["sms.sms"].create({"number": MOBILE, "body": "ours"})
        theirs = self.env["sms.sms"].create(
            {"number": MOBILE, "body": "theirs", "ot_company_id": other.id}
        )
        iap = "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch"
        iap_result = [{"uuid": theirs.uuid, "state": "success"}]
        with (
            patch(iap, return_value=iap_result) as iap_send,
            patch.object(self.registry["ir.cron"], "_commit_progress", lambda *a, **k: 0),
        ):
            self.env["sms.sms"]._process_queue()
        [(messages,), _kwargs] = iap_send.call_args
        self.assertEqual([m["content"] for m in messages], ["theirs"])
        [request] = self.requests_to("/sms/send.json")
        self.assertEqual(form_of(request)["message"], "ours")
        self.assertTrue(ours.to_delete)
        self.assertTrue(theirs.to_delete)

    def test_undelivered_report_marks_notification_and_sms(self):
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/sms/status.json", sms_reply("kavenegar_status.json")),
            ]
        )
        order = self._sale_order()
        message = order._message_sms("x", sms_numbers=[MOBILE])
        tracker = message.notification_ids.sms_tracker_ids
        # The status fixture says 8792344 was not delivered.
        tracker.write(
            {
                "ot_gateway_message_id": "8792344",
                "ot_dlr_next_check": fields.Datetime.now() - timedelta(seconds=1),
            }
        )
        sms = self.env["sms.sms"].create({"number": MOBILE, "body": "kept"})
        tracker.sms_uuid, old_uuid = sms.uuid, tracker.sms_uuid  # a still existing sms.sms
        self.assertTrue(old_uuid)
        self.run_dlr_cron()
        notification = message.notification_ids
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_not_delivered")
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_not_delivered"))
        self.assertEqual(tracker.ot_dlr_state, "undelivered")

    def test_pending_reports_back_off_then_give_up(self):
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/sms/status.json", sms_reply("kavenegar_status.json")),
            ]
        )
        sms = self.env["sms.sms"].create({"number": MOBILE, "body": "x"})
        sms.send()
        tracker = self._tracker_of(sms.uuid)
        tracker.ot_gateway_message_id = "8792345"  # "sent to the operator": no news yet
        for check in range(1, len(DLR_BACKOFF) + 2):
            tracker.ot_dlr_next_check = fields.Datetime.now() - timedelta(seconds=1)
            calls = self.run_dlr_cron()
            self.assertEqual(calls, [(1, 0)])
            self.assertEqual(tracker.ot_dlr_checks, check)
        self.assertEqual(tracker.ot_dlr_state, "no_report")
        self.assertFalse(tracker.ot_dlr_next_check)
        asked = len(self.requests_to("/sms/status.json"))
        self.run_dlr_cron()
        self.assertEqual(len(self.requests_to("/sms/status.json")), asked)

    def test_cron_works_in_batches_and_reports_progress(self):
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/sms/status.json", sms_reply("kavenegar_status.json")),
            ]
        )
        sms = self.env["sms.sms"].create(
            [{"number": MOBILE, "body": "x"}, {"number": "+989351234567", "body": "x"}]
        )
        sms.send()
        trackers = self.env["sms.tracker"].search([("sms_uuid", "in", sms.mapped("uuid"))])
        self.assertEqual(sorted(trackers.mapped("ot_gateway_message_id")), ["8792343", "8792344"])
        trackers.ot_dlr_next_check = fields.Datetime.now() - timedelta(seconds=1)
        calls = self.run_dlr_cron(batch_size=1)
        self.assertEqual(calls, [(1, 1), (1, 0)])
        self.assertEqual(len(self.requests_to("/sms/status.json")), 2)
        self.assertEqual(sorted(trackers.mapped("ot_dlr_state")), ["delivered", "undelivered"])

    def test_credentials_are_for_system_administrators_only(self):
        user = self.env["res.users"].create(
            {
                "name": "Sales person",
                "login": "ot_sms_sales_user",
                "group_ids": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        company = self.company.with_user(user)
        for name in ("ot_sms_api_key", "ot_sms_password", "ot_sms_dlr_token"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                company.read([name])
