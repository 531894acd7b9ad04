"""Each event queues its notifications at the one place its transition happens, once per
(order or shipment, event, channel), following the company's and the carrier's switches; the
exception rules notify the customer instead of posting an internal note."""

from datetime import timedelta, timezone

from odoo import Command
from odoo.tests import TransactionCase, freeze_time, tagged

from ..carriers.base import TrackingEvent, TrackingResult
from .notifications_common import DAYTIME, NotificationFixtures


@tagged("post_install", "-at_install")
class TestNotificationTriggers(NotificationFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notifications()
        cls.exceptions = cls.env["order.tracking.exception"]

    def test_confirmation_and_hand_over(self):
        picking = self.ship_daytime()
        order = picking.sale_id
        confirmed = self.rows(order, "confirmed")
        self.assertEqual(sorted(confirmed.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(confirmed.mapped("res_model")), {"sale.order"})
        self.assertEqual(set(confirmed.mapped("state")), {"queued"})
        handed = self.rows(order, "handed_to_carrier")
        self.assertEqual(sorted(handed.mapped("channel")), ["email", "sms"])
        self.assertEqual(handed.picking_id, picking)
        self.assertEqual(set(handed.mapped("res_model")), {"stock.picking"})
        self.assertFalse(self.rows(order, "out_for_delivery"))

    def test_out_for_delivery_and_delivered_from_carrier_status(self):
        picking = self.ship_daytime()
        with freeze_time(DAYTIME):
            picking.ot_carrier_status = "InTransit"
            self.assertFalse(self.rows(picking.sale_id, "out_for_delivery"))
            picking.ot_carrier_status = "OutForDelivery"
            self.assertEqual(len(self.rows(picking.sale_id, "out_for_delivery")), 2)
            # OCA's coarse state (a carrier module that only fills delivery_state) counts too.
            picking.delivery_state = "customer_delivered"
        self.assertEqual(picking.ot_carrier_status, "Delivered")
        self.assertEqual(len(self.rows(picking.sale_id, "delivered")), 2)

    def test_carrier_sync_result_triggers_out_for_delivery(self):
        picking = self.ship_daytime()
        when = DAYTIME + timedelta(hours=1)
        result = TrackingResult(
            tracking_code=picking.carrier_tracking_ref,
            status="OutForDelivery",
            events=[
                TrackingEvent(
                    occurred_at=when.replace(tzinfo=timezone.utc),
                    status="OutForDelivery",
                    raw_text="Courier",
                )
            ],
        )
        sync = self.env["order.tracking.sync"]
        with freeze_time(when):
            for _rerun in range(3):
                sync._ot_apply_batch(picking, {picking.id: result}, source="webhook")
        self.assertEqual(len(self.rows(picking.sale_id, "out_for_delivery")), 2)

    def test_exception_notifies_the_customer_instead_of_a_note(self):
        picking = self.ship_daytime()
        order = picking.sale_id
        with freeze_time(DAYTIME):
            for _rerun in range(3):
                self.exceptions._ot_on_tracking_update(picking, "address_issue")
        rows = self.rows(order, "address_issue")
        self.assertEqual(sorted(rows.mapped("channel")), ["email", "sms"])
        self.assertFalse(
            order.message_ids.filtered(lambda m: "Customer notice" in (m.body or "")),
            "no internal note pretending to be a customer notice",
        )
        self.send_all()
        sms_body = self.sms_messages(order).filtered(lambda m: "complete address" in m.body)
        self.assertEqual(len(sms_body), 1)
        url = self.exceptions._ot_address_completion_url(order)
        self.assertIn(url, sms_body.body)
        self.assertIn(
            "Please complete it with the secure link", sms_body.body, "the catalogue's next step"
        )

    def test_each_exception_event(self):
        for exception in ("failed_attempt", "delayed", "returned_to_sender", "lost", "damaged"):
            with self.subTest(exception=exception):
                picking = self.ship_daytime()
                with freeze_time(DAYTIME):
                    self.exceptions._ot_on_tracking_update(picking, exception)
                self.assertEqual(len(self.rows(picking.sale_id, exception)), 2)

    def test_company_switch_and_carrier_override(self):
        self.rules.create(
            {"company_id": self.company.id, "event": "out_for_delivery", "sms": False}
        )
        picking = self.ship_daytime()
        with freeze_time(DAYTIME):
            picking.ot_carrier_status = "OutForDelivery"
        self.assertEqual(
            self.rows(picking.sale_id, "out_for_delivery").mapped("channel"), ["email"]
        )
        self.rules.create(
            {
                "company_id": self.company.id,
                "carrier_id": self.carrier.id,
                "event": "out_for_delivery",
                "sms": True,
                "email": False,
            }
        )
        other = self.ship_daytime()
        with freeze_time(DAYTIME):
            other.ot_carrier_status = "OutForDelivery"
        self.assertEqual(self.rows(other.sale_id, "out_for_delivery").mapped("channel"), ["sms"])

    def test_unique_key_whatever_the_callers(self):
        picking = self.ship_daytime()
        order = picking.sale_id
        before = len(self.rows(order))
        for _worker in range(2):
            created = self.notifications._ot_notify("handed_to_carrier", order, picking)
            self.assertFalse(created, "the existing rows are kept, nothing new is inserted")
        self.assertEqual(len(self.rows(order)), before)
        # The database itself refuses a second row (a worker bypassing _ot_notify).
        row = self.rows(order, "handed_to_carrier", "sms")
        copy_vals = {
            "res_model": row.res_model,
            "res_id": row.res_id,
            "event": row.event,
            "channel": row.channel,
            "order_id": order.id,
            "partner_id": row.partner_id.id,
            "company_id": row.company_id.id,
            "state": "queued",
            "scheduled_at": DAYTIME,
        }
        self.assertFalse(self.notifications._ot_insert([copy_vals]))

    def test_settings_switches_and_views(self):
        settings = self.env["res.config.settings"].create({})
        action = settings.action_ot_notification_switches()
        rows = self.rules.search(action["domain"])
        self.assertEqual(len(rows), 10, "every event listed once, with the defaults (on)")
        self.assertTrue(all(rows.mapped("sms")) and all(rows.mapped("email")))
        settings.action_ot_notification_switches()
        self.assertEqual(len(self.rules.search(action["domain"])), 10, "not duplicated")
        arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ot_notify_quiet_start"', arch)
        self.assertIn('name="action_ot_notification_switches"', arch)
        views = self.notifications.get_views([(False, "list"), (False, "form"), (False, "search")])
        self.assertIn('name="action_ot_retry"', views["views"]["list"]["arch"])
        carrier_arch = self.carrier.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ot_notification_rule_ids"', carrier_arch)
        order_views = self.env["sale.order"].with_user(self.users["salesman"])
        order_arch = order_views.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ot_notification_ids"', order_arch)
        self.assertIn('name="ot_survey_score"', order_arch)

    def test_the_sending_cron_is_woken_once_per_transaction(self):
        cron = self.env.ref("order_tracking_chatbot.ir_cron_order_tracking_notifications")
        triggers = self.env["ir.cron.trigger"]
        before = triggers.search_count([("cron_id", "=", cron.id)])
        self.ship_daytime()
        self.ship_daytime()
        self.env.cr.precommit.run()
        self.assertEqual(triggers.search_count([("cron_id", "=", cron.id)]), before + 1)

    def test_triggered_by_a_salesman(self):
        salesman = self.users["salesman"]
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        with freeze_time(DAYTIME):
            order.action_confirm()
        self.assertEqual(sorted(self.rows(order, "confirmed").mapped("channel")), ["email", "sms"])
