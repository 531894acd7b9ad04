"""Notifications through a real gateway client (Kavenegar, HTTP replayed, no network): an event
with an approved template id goes through the template send with its few parameters, the others
as plain text; the provider's message id is kept for delivery reports."""

from odoo.tests import TransactionCase, freeze_time, tagged

from .notifications_common import DAYTIME, NotificationFixtures
from .sms_gateway_support import sms_reply
from .sms_provider_common import API_KEY, MOBILE, SmsProviderMixin, form_of


@tagged("post_install", "-at_install")
class TestNotificationGateway(SmsProviderMixin, NotificationFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notifications()
        cls.company.write({"ot_sms_provider": "kavenegar", "ot_sms_api_key": API_KEY})
        # The number the recorded answers echo.
        cls.customer.phone = MOBILE
        cls.rules.create(
            [
                {"company_id": cls.company.id, "event": event, "email": False}
                for event in ("confirmed", "handed_to_carrier")
            ]
        )
        cls.rules.create(
            {
                "company_id": cls.company.id,
                "event": "delivered",
                "email": False,
                "sms_gateway_template": "notify-delivered",
            }
        )

    def test_template_send_for_configured_events_plain_text_otherwise(self):
        self.replay(
            [
                ("POST", "/sms/send.json", sms_reply("kavenegar_send.json")),
                ("POST", "/verify/lookup.json", sms_reply("kavenegar_lookup.json")),
            ]
        )
        picking = self.ship_daytime()
        with freeze_time(DAYTIME):
            picking.ot_carrier_status = "Delivered"
        self.send_all(DAYTIME)
        order = picking.sale_id
        plain = self.requests_to("/sms/send.json")
        self.assertEqual(len(plain), 2, "confirmed and handed over: plain text")
        # Sent side by side (sms_gateways/parallel.py): found by text, not by order.
        handed = [r for r in plain if picking.carrier_tracking_ref in form_of(r)["message"]]
        self.assertEqual(len(handed), 1, "the handed-over text carries the tracking code")
        [lookup] = self.requests_to("/verify/lookup.json")
        form = form_of(lookup)
        self.assertEqual(form["template"], "notify-delivered")
        self.assertEqual(form["token"], order.name)
        self.assertIn(f"/order-tracking/survey/{order.id}/", form["token2"])
        self.assertNotIn("token3", form, "only the event's parameters")
        delivered = self.rows(order, "delivered", "sms")
        self.assertEqual(delivered.state, "sent")
        tracker = self.env["sms.tracker"].sudo().search([("sms_uuid", "=", delivered.sms_uuid)])
        self.assertTrue(tracker.ot_gateway_message_id, "kept for delivery reports")
        self.assertEqual(set(self.rows(order).mapped("state")), {"sent"})
