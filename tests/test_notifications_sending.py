"""Sending: Odoo's SMS queue (outbox here, a gateway's template send when configured) and
mail queue, the chatter log, quiet hours, opt-out, languages and Jalali dates, failures and
retry, two workers, masking, and taking over stock_sms's delivery SMS."""

from datetime import timedelta
from unittest.mock import patch

from odoo import modules
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged

from .notifications_common import DAYTIME, NotificationFixtures
from .test_exceptions_common import tehran


@tagged("post_install", "-at_install")
class TestNotificationSending(NotificationFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notifications()

    def test_sms_goes_to_the_outbox_and_the_chatter(self):
        picking = self.ship_daytime()
        order = picking.sale_id
        self.send_all()
        rows = self.rows(order)
        self.assertEqual(set(rows.mapped("state")), {"sent"})
        sms_row = self.rows(order, "handed_to_carrier", "sms")
        self.assertEqual(sms_row.sms_id.state, "ot_outbox", "the company's provider applies")
        self.assertEqual(sms_row.sms_id.number, "+989161234000")
        self.assertIn(picking.carrier_tracking_ref, sms_row.sms_id.body)
        self.assertIn("Test Post", sms_row.sms_id.body)
        self.assertEqual(sms_row.sms_id.ot_template_kind, "notify_handed_to_carrier")
        self.assertEqual(sms_row.sms_id.ot_template_params["code"], picking.carrier_tracking_ref)
        self.assertEqual(sms_row.delivery_state, "Kept in Outbox")
        confirmed = self.rows(order, "confirmed", "sms")
        self.assertIn(f"/order-tracking?order={order.name}", confirmed.sms_id.body)
        self.assertEqual(len(self.sms_messages(order)), 2, "each SMS logged on the order")
        email = self.rows(order, "confirmed", "email")
        self.assertTrue(email.mail_id, "queued in Odoo's mail queue")
        self.assertIn(order.name, email.message_id.subject)
        self.assertIn("/order-tracking/unsubscribe?email=", email.message_id.body)
        # Reruns send nothing more.
        self.assertFalse(self.send_all())
        self.assertEqual(len(self.sms_messages(order)), 2)

    def test_two_workers_send_once(self):
        picking = self.ship_daytime()
        with freeze_time(DAYTIME):
            first = self.notifications._ot_claim_due(1000)
            self.assertIn(self.rows(picking.sale_id, "confirmed", "sms"), first)
            first._ot_send()
            second = self.notifications._ot_claim_due(1000)
        self.assertFalse(second & first, "a second worker finds nothing left to send")
        self.assertEqual(len(self.sms_messages(picking.sale_id)), 2)

    def test_quiet_hours_hold_sms_until_morning(self):
        night = tehran(2025, 6, 10, 23)
        with freeze_time(night):
            picking = self.ship(night)
        sms_row = self.rows(picking.sale_id, "handed_to_carrier", "sms")
        email_row = self.rows(picking.sale_id, "handed_to_carrier", "email")
        self.assertEqual(sms_row.state, "held")
        self.assertEqual(sms_row.scheduled_at, tehran(2025, 6, 11, 8))
        self.assertEqual(email_row.state, "queued", "emails are not held")
        self.send_all(night + timedelta(minutes=30))
        self.assertEqual(sms_row.state, "held")
        self.assertEqual(email_row.state, "sent")
        self.send_all(tehran(2025, 6, 11, 7, 59))
        self.assertEqual(sms_row.state, "held")
        self.send_all(tehran(2025, 6, 11, 8, 1))
        self.assertEqual(sms_row.state, "sent")

    def test_queued_before_quiet_hours_sent_late_is_held(self):
        with freeze_time(tehran(2025, 6, 10, 21, 59)):
            picking = self.ship(tehran(2025, 6, 10, 21, 59))
        sms_row = self.rows(picking.sale_id, "handed_to_carrier", "sms")
        self.assertEqual(sms_row.state, "queued")
        self.send_all(tehran(2025, 6, 10, 22, 5))
        self.assertEqual(sms_row.state, "held")
        self.assertEqual(sms_row.scheduled_at, tehran(2025, 6, 11, 8))
        self.assertFalse(sms_row.sms_id)

    def test_opted_out_customers_get_nothing(self):
        self.env["phone.blacklist"].sudo()._add(["+989161234000"])
        self.env["mail.blacklist"].sudo()._add("customer@example.com")
        picking = self.ship_daytime()
        rows = self.rows(picking.sale_id)
        self.assertEqual(set(rows.mapped("state")), {"skipped"})
        self.assertIn("phone blacklist", self.rows(picking.sale_id, "confirmed", "sms").reason)
        self.assertIn("email blacklist", self.rows(picking.sale_id, "confirmed", "email").reason)
        self.send_all()
        self.assertFalse(self.sms_messages(picking.sale_id))

    def test_opt_out_after_queueing_is_respected_at_sending(self):
        picking = self.ship_daytime()
        self.env["phone.blacklist"].sudo()._add(["+989161234000"])
        self.send_all()
        self.assertEqual(self.rows(picking.sale_id, "confirmed", "sms").state, "skipped")
        self.assertFalse(self.sms_messages(picking.sale_id))
        self.assertEqual(self.rows(picking.sale_id, "confirmed", "email").state, "sent")

    def test_persian_customer_gets_persian_and_jalali(self):
        persian = self.make_customer("حامد", self.khuzestan, "اهواز", lang="fa_IR")
        picking = self.ship_daytime(customer=persian)
        with freeze_time(DAYTIME):
            picking.ot_carrier_status = "Delivered"
        self.send_all()
        delivered = self.rows(picking.sale_id, "delivered", "sms")
        self.assertEqual(delivered.lang, "fa_IR")
        body = delivered.sms_id.body
        self.assertIn("تحویل", body, "the Persian translation of the template")
        self.assertIn("۲۰ خرداد", body, "10 June 2025 in the Jalali calendar")
        self.assertIn("/order-tracking/survey/", body)
        english = self.ship_daytime()
        with freeze_time(DAYTIME):
            english.ot_carrier_status = "Delivered"
        self.send_all()
        body = self.rows(english.sale_id, "delivered", "sms").sms_id.body
        self.assertIn("delivered on 10 June", body)

    def test_failed_sms_can_be_retried(self):
        self.company.ot_sms_provider = "kavenegar"  # no API key: the gateway refuses
        self.company.sudo().ot_sms_api_key = False
        picking = self.ship_daytime()
        with patch.dict("os.environ", {"OT_SMS_API_KEY": ""}):
            self.send_all()
        row = self.rows(picking.sale_id, "confirmed", "sms")
        self.assertEqual(row.state, "failed")
        self.assertTrue(row.reason)
        with freeze_time(DAYTIME):
            row.action_ot_retry()
        self.assertEqual(row.state, "queued")
        self.company.ot_sms_provider = "outbox"
        self.send_all()
        self.assertEqual(row.state, "sent")
        self.assertEqual(row.sms_id.state, "ot_outbox")

    def test_gateway_template_per_event(self):
        self.rules._ot_ensure_company_rules(self.company)
        rule = self.rules.search(
            [("company_id", "=", self.company.id), ("event", "=", "delivered")]
        )
        self.assertEqual(len(rule), 1)
        self.assertFalse(self.company._ot_sms_template_id("notify_delivered"))
        rule.sms_gateway_template = " 12345 "
        self.assertEqual(self.company._ot_sms_template_id("notify_delivered"), "12345")
        self.assertFalse(self.company._ot_sms_template_id("notify_confirmed"))

    def test_recipient_masked_for_non_managers(self):
        self.ship_daytime()
        row = self.notifications.search([("channel", "=", "sms")], limit=1)
        user = new_test_user(self.env, login="ot_notif_stock", groups="stock.group_stock_user")
        as_user = row.with_user(user)
        self.assertNotIn("1234000", as_user.recipient_masked[:-3])
        self.assertTrue(as_user.recipient_masked.endswith("000"))
        with self.assertRaises(AccessError):
            as_user.read(["recipient"])
        self.assertEqual(row.recipient, "+989161234000")

    def test_stock_sms_stands_down_for_our_shipment_sms(self):
        self.company.write({"stock_text_confirmation": True, "stock_confirmation_type": "sms"})
        self.assertFalse(self.company._get_text_validation("sms"), "ours is on: Odoo's is off")
        order_sms = self.env["sms.sms"].sudo().search_count([])
        # stock_sms stays quiet in tests; pretend we are not in one to see it stand down.
        with patch.object(modules.module, "current_test", False):
            picking = self.ship_daytime()
            self.assertFalse(picking._check_warn_sms(), "staff are not asked")
        self.assertEqual(
            self.env["sms.sms"].sudo().search_count([]), order_sms, "no stock_sms message"
        )
        self.rules.create(
            {"company_id": self.company.id, "event": "handed_to_carrier", "sms": False}
        )
        self.assertTrue(self.company._get_text_validation("sms"), "ours is off: Odoo's applies")
        with patch.object(modules.module, "current_test", False):
            other = self.ship_daytime()
        shipped = self.env["sms.sms"].sudo().search([("body", "ilike", "has been shipped")])
        self.assertTrue(shipped, "with ours off, Odoo's own delivery SMS is back")
        self.assertFalse(self.rows(other.sale_id, "handed_to_carrier", "sms"))
