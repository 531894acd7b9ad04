"""SMS provider set-up: installing keeps Odoo's provider, the OTP uses the approved template,
the settings' test SMS reports the gateway's answer, and the delivery-report callback."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .chat_common import ChatCase
from .sms_gateway_support import reply, sms_reply
from .sms_provider_common import MOBILE, SmsProviderCase, SmsProviderMixin, form_of

NO_COMMIT = ("_commit_progress", lambda *args, **kwargs: 0)


@tagged("post_install", "-at_install")
class TestProviderDefault(TransactionCase):
    def test_new_and_existing_companies_keep_odoos_provider(self):
        self.assertEqual(
            self.env["res.company"].default_get(["ot_sms_provider"]), {"ot_sms_provider": "odoo"}
        )
        company = self.env["res.company"].create({"name": "A shop installing the addon"})
        self.assertEqual(company.ot_sms_provider, "odoo")
        self.assertEqual(company._get_sms_api_class().__name__, "SmsApi")  # Odoo's IAP
        main = self.env.ref("base.main_company")
        # Companies of the database the demo did not configure kept Odoo's provider.
        others = self.env["res.company"].search([("id", "not in", (main | company).ids)])
        self.assertEqual(set(others.mapped("ot_sms_provider")) - {"odoo"}, set())
        # The demo shop chose the outbox explicitly (demo/order_tracking_demo.xml).
        self.assertEqual(main.ot_sms_provider, "outbox")

    def test_outbox_messages_stay_kept_when_a_gateway_is_chosen(self):
        company = self.env.company
        company.ot_sms_provider = "outbox"
        kept = self.env["sms.sms"].create({"number": MOBILE, "body": "kept"})
        self.assertEqual(kept.state, "ot_outbox")
        company.write({"ot_sms_provider": "kavenegar", "ot_sms_api_key": "k-123456"})
        iap = "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch"
        gateway = "odoo.addons.order_tracking_chatbot.sms_gateways.base.SmsGateway.send"
        with (
            patch(iap, side_effect=AssertionError("nothing may be sent")),
            patch(gateway, side_effect=AssertionError("nothing may be sent")),
            patch.object(self.registry["ir.cron"], *NO_COMMIT),
        ):
            self.env["sms.sms"]._process_queue()
            kept.send()
        self.assertEqual(kept.state, "ot_outbox")
        self.assertFalse(kept.to_delete)


@tagged("post_install", "-at_install")
class TestOtpThroughGateway(SmsProviderMixin, ChatCase):
    def request_code(self):
        token = self.start("en_US")
        self.post(token, text=f"where is my order {self.in_transit.name}")
        self.post(token, text=self.last4)
        self.post(token, action="verify_sms")
        sms = self.env["sms.sms"].sudo().search([], order="id desc", limit=1)
        self.assertEqual((sms.number, sms.state), (self.mobile, "outgoing"))
        with patch.object(self.registry["ir.cron"], *NO_COMMIT):
            self.env["sms.sms"].sudo()._process_queue()
        return token

    def test_code_goes_through_the_approved_template(self):
        self.company.ot_sms_template_otp = "order-otp"
        self.replay([("POST", "/verify/lookup.json", sms_reply("kavenegar_lookup.json"))])
        token = self.request_code()
        self.assertFalse(self.requests_to("/sms/send.json"))
        [request] = self.requests_to("/verify/lookup.json")
        form = form_of(request)
        self.assertEqual((form["template"], form["receptor"]), ("order-otp", "09121234567"))
        self.assertRegex(form["token"], r"^[0-9]{6}$")
        # The code the template carried is the one the chat accepts.
        body = self.post(token, text=form["token"])
        self.assertEqual(self.session_of(token).level, "2", self.text(body))
        self.assertIn("verified", self.text(body))

    def test_code_without_template_goes_as_plain_text(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        self.request_code()
        self.assertFalse(self.requests_to("/verify/lookup.json"))
        [request] = self.requests_to("/sms/send.json")
        self.assertRegex(form_of(request)["message"], r"[0-9]{6}")


@tagged("post_install", "-at_install")
class TestSendTestSms(SmsProviderCase):
    def press(self, number="0912 123 4567"):
        settings = self.env["res.config.settings"].create({"ot_sms_test_number": number})
        return settings.action_ot_send_test_sms()

    def test_success_shows_the_providers_answer(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        action = self.press()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("8792343", action["params"]["message"])
        self.assertIn("در صف ارسال", action["params"]["message"])
        self.assertEqual(form_of(self.adapter.calls[0][0])["receptor"], "09121234567")
        self.assertFalse(self.env["sms.sms"].search([("number", "=", "0912 123 4567")]))

    def test_refusal_shows_the_failure_type_and_the_providers_words(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_418.json", status=418))])
        action = self.press()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Insufficient Credit", action["params"]["message"])
        self.assertIn("اعتبار حساب شما کافی نیست", action["params"]["message"])

    def test_timeout_is_reported_not_raised(self):
        self.replay([("POST", "/sms/send.json", reply(status=503, body={}))])
        action = self.press()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("503", action["params"]["message"])

    def test_needs_a_gateway_and_a_number(self):
        with self.assertRaises(UserError):
            self.press(number="")
        self.company.ot_sms_provider = "odoo"
        with self.assertRaises(UserError):
            self.press()

    def test_settings_form_offers_the_gateway_fields_and_the_button(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        for name in (
            "ot_sms_api_key",
            "ot_sms_username",
            "ot_sms_password",
            "ot_sms_sender",
            "ot_sms_template_otp",
            "ot_sms_dlr_url",
            "ot_sms_test_number",
            "action_ot_send_test_sms",
        ):
            self.assertIn(f'name="{name}"', arch)

    def test_settings_show_the_callback_url_with_the_company_token(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.ot_sms_is_gateway)
        self.assertFalse(settings.ot_sms_needs_login)
        token = self.company.sudo().ot_sms_dlr_token
        self.assertTrue(token)
        self.assertTrue(settings.ot_sms_dlr_url.endswith(f"/kavenegar/{self.company.id}/{token}"))
        settings.ot_sms_provider = "smsir"  # no delivery push: polled only
        self.assertFalse(settings.ot_sms_dlr_url)
        settings.ot_sms_provider = "melipayamak"
        self.assertTrue(settings.ot_sms_needs_login)


@tagged("post_install", "-at_install")
class TestDeliveryCallback(SmsProviderMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/sms/status.json", sms_reply("kavenegar_status.json")),
            ]
        )
        self.sms = self.env["sms.sms"].create({"number": MOBILE, "body": "x"})
        self.sms.send(unlink_sent=False)
        self.tracker = self.env["sms.tracker"].search([("sms_uuid", "=", self.sms.uuid)])
        self.url = self.company._ot_sms_dlr_url()

    def push(self, url, **form):
        return self.url_open(url, data=form or {"messageid": "8792343", "status": "10"})

    def test_push_is_confirmed_with_the_provider_then_applied(self):
        response = self.push(self.url)
        self.assertEqual((response.status_code, response.text), (200, "OK"))
        [status_request] = self.requests_to("/sms/status.json")
        self.assertEqual(form_of(status_request)["messageid"], "8792343")
        self.assertEqual(self.tracker.ot_dlr_state, "delivered")
        self.assertEqual(self.sms.state, "sent")

    def test_the_pushed_state_itself_is_not_trusted(self):
        # The push claims "undelivered"; the provider's API says delivered.
        self.push(self.url, messageid="8792343", status="11")
        self.assertEqual(self.tracker.ot_dlr_state, "delivered")

    def test_wrong_token_or_provider_is_404_and_asks_nothing(self):
        bad_urls = (
            self.url[:-4] + "xxxx",
            self.url.replace("/kavenegar/", "/smsir/"),
            self.url.replace(f"/{self.company.id}/", "/999999/"),
        )
        for url in bad_urls:
            with self.subTest(url=url[-30:]):
                self.assertEqual(self.push(url).status_code, 404)
        self.assertFalse(self.requests_to("/sms/status.json"))
        self.assertEqual(self.tracker.ot_dlr_state, "pending")

    def test_cron_and_push_together_apply_once(self):
        self.tracker.ot_dlr_next_check = fields.Datetime.now() - timedelta(seconds=1)
        self.run_dlr_cron()
        self.assertEqual(self.tracker.ot_dlr_state, "delivered")
        self.assertEqual(self.push(self.url).status_code, 200)
        self.assertEqual(len(self.requests_to("/sms/status.json")), 1)
