"""The seed's exception table: each rule with frozen time, on the Iranian (Sat–Thu) calendar."""

from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase, freeze_time, tagged

from .test_exceptions_common import PARAM, ExceptionFixtures, tehran


@tagged("post_install", "-at_install")
class TestExceptionRules(ExceptionFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_shop()
        cls.rules = cls.env["order.tracking.exception"]
        cls.eta = cls.env["order.tracking.eta"]

    def public_holiday(self, day):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": tehran(day.year, day.month, day.day, 0, 0),
                "date_to": tehran(day.year, day.month, day.day, 23, 59),
            }
        )

    def run_cron(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=60.0):
            self.rules._cron_detect_exceptions()

    # --- late ------------------------------------------------------------------------------------

    def test_business_days_skip_friday_and_public_holidays(self):
        handed_over = tehran(2025, 6, 11)  # Wednesday
        company = self.env.company
        # Thu 12 (1), Fri 13 weekend, Sat 14 (2), Sun 15 (3).
        self.assertEqual(self.eta._ot_add_business_days(handed_over, 3, company), date(2025, 6, 15))
        holiday = self.public_holiday(date(2025, 6, 14))
        self.assertEqual(self.eta._ot_add_business_days(handed_over, 3, company), date(2025, 6, 16))
        # A holiday of another calendar does not count.
        holiday.calendar_id = self.env.ref("resource.resource_calendar_std")
        self.assertEqual(self.eta._ot_add_business_days(handed_over, 3, company), date(2025, 6, 15))

    def test_business_days_follow_a_monday_to_friday_calendar(self):
        self.env.company.resource_calendar_id = self.env.ref("resource.resource_calendar_std")
        friday = date(2025, 6, 13)
        self.assertEqual(self.eta._ot_add_business_days(friday, 1), date(2025, 6, 16))
        self.assertEqual(self.eta._ot_add_business_days(friday, 0), friday)

    def test_late_after_business_days_with_friday_and_holiday_in_window(self):
        self.lead_time(self.khuzestan, min_days=1, max_days=3, late_after_days=3)
        self.public_holiday(date(2025, 6, 14))
        picking = self.ship(
            tehran(2025, 6, 11),
            events=[(tehran(2025, 6, 12, 9), "InTransit", "Arrived at the hub")],
        )
        # Thu 12 (1), Fri off, Sat holiday, Sun 15 (2), Mon 16 (3): due by the end of Monday.
        with freeze_time(tehran(2025, 6, 16, 22)):
            self.assertFalse(self.rules._ot_delay_reason(picking))
            self.run_cron()
            self.assertFalse(picking.ot_exception_type)
        with freeze_time(tehran(2025, 6, 17, 9)):
            self.assertEqual(self.rules._ot_delay_reason(picking), "late")
            self.run_cron()
        self.assertEqual(picking.ot_exception_type, "delayed")
        self.assertIn(
            "taking longer than usual", picking.with_context(lang="en_US").ot_exception_next_step
        )
        ticket = self.tickets_of(picking)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.ot_exception_reason, "late")
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.ot_sale_id, picking.sale_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(
            ticket.category_id, self.env.ref("order_tracking_chatbot.helpdesk_category_delayed")
        )
        notices = self.env["order.tracking.notification"].search(
            [("picking_id", "=", picking.id), ("event", "=", "delayed")]
        )
        self.assertEqual(
            sorted(notices.mapped("channel")), ["email", "sms"], "the customer is notified once"
        )

    def customer_email(self, picking, event):
        """The email the customer got about ``event`` (sent through the notification queue)."""
        notification = self.env["order.tracking.notification"].search(
            [("picking_id", "=", picking.id), ("event", "=", event), ("channel", "=", "email")]
        )
        notification._ot_send()
        self.assertEqual(notification.state, "sent")
        return notification.message_id

    def test_late_limit_defaults_to_settings_but_not_below_promised_maximum(self):
        picking = self.ship(tehran(2025, 6, 11))
        self.assertEqual(self.rules._ot_late_after_days(picking), 5)
        self.env["ir.config_parameter"].sudo().set_param(PARAM + "late_after_days", "2")
        self.assertEqual(self.rules._ot_late_after_days(picking), 2)
        self.lead_time(min_days=2, max_days=6)  # all provinces, no limit of its own
        self.assertEqual(self.rules._ot_late_after_days(picking), 6)

    # --- stale -----------------------------------------------------------------------------------

    def test_stale_when_the_carrier_publishes_nothing(self):
        self.lead_time(self.khuzestan, min_days=1, max_days=10, late_after_days=20)
        picking = self.ship(
            tehran(2025, 6, 7),
            events=[
                (tehran(2025, 6, 7, 11), "InfoReceived", "Registered"),
                (tehran(2025, 6, 8, 10), "InTransit", "Left the Tehran hub"),
            ],
        )
        # Last event Sun 8: Mon (1), Tue (2), Wed (3): stale from Thursday.
        with freeze_time(tehran(2025, 6, 11, 20)):
            self.assertFalse(self.rules._ot_delay_reason(picking))
        with freeze_time(tehran(2025, 6, 12, 9)):
            self.assertEqual(self.rules._ot_delay_reason(picking), "stale")
            self.run_cron()
            self.assertEqual(picking.ot_exception_type, "delayed")
            self.assertIn(
                "not updated the tracking",
                picking.with_context(lang="en_US").ot_exception_next_step,
            )
            ticket = self.tickets_of(picking)
            self.assertEqual(ticket.ot_exception_reason, "stale")
            # The carrier moves again: the delay our rules found is resolved.
            self.add_event(picking, tehran(2025, 6, 12, 8), "InTransit", "Arrived in Ahvaz")
            self.rules._ot_on_tracking_update(picking, None)
        self.assertFalse(picking.ot_exception_type)
        self.assertTrue(ticket.closed)

    def test_no_first_scan_after_hand_over(self):
        self.lead_time(self.khuzestan, min_days=1, max_days=10, late_after_days=20)
        picking = self.ship(
            tehran(2025, 6, 7),
            events=[(tehran(2025, 6, 7, 10, 30), "InfoReceived", "Label created")],
        )
        # Handed over Sat 7: Sun (1), Mon (2) without a scan; Tuesday it counts.
        with freeze_time(tehran(2025, 6, 9, 20)):
            self.assertFalse(self.rules._ot_delay_reason(picking))
        with freeze_time(tehran(2025, 6, 10, 9)):
            self.assertEqual(self.rules._ot_delay_reason(picking), "no_first_scan")
            self.rules._ot_on_tracking_update(picking, None)
        self.assertEqual(self.tickets_of(picking).ot_exception_reason, "no_first_scan")
        self.assertIn(
            "not scanned your parcel", picking.with_context(lang="en_US").ot_exception_next_step
        )

    def test_closing_a_delay_ticket_restarts_the_stale_clock(self):
        self.lead_time(self.khuzestan, min_days=1, max_days=10, late_after_days=20)
        picking = self.ship(
            tehran(2025, 6, 7), events=[(tehran(2025, 6, 8), "InTransit", "Left the hub")]
        )
        with freeze_time(tehran(2025, 6, 12, 9)):
            self.run_cron()
            ticket = self.tickets_of(picking)
            ticket.stage_id = self.closed_stage()
            self.assertFalse(picking.ot_exception_type)
            self.run_cron()
            self.assertFalse(picking.ot_exception_type, "a person's decision holds")
        # Closed Thu 12: Sat (1), Sun (2), Mon (3); stale again on Tuesday, same ticket.
        with freeze_time(tehran(2025, 6, 17, 9)):
            self.run_cron()
        self.assertEqual(picking.ot_exception_type, "delayed")
        self.assertEqual(self.tickets_of(picking), ticket)
        self.assertFalse(ticket.closed, "reopened rather than duplicated")

    # --- carrier-reported exceptions -------------------------------------------------------------

    def test_returned_to_sender_asks_to_confirm_the_address(self):
        picking = self.ship(
            tehran(2025, 6, 7),
            events=[(tehran(2025, 6, 10), "Exception", "<b>برگشت</b> <script>alert(1)</script>")],
        )
        with freeze_time(tehran(2025, 6, 10, 12)):
            self.rules._ot_on_tracking_update(picking, "returned_to_sender")
        self.assertEqual(picking.ot_exception_type, "returned_to_sender")
        self.assertEqual(picking.ot_exception_detected_at, tehran(2025, 6, 10, 12))
        self.assertIn(
            "confirm your address", picking.with_context(lang="en_US").ot_exception_next_step
        )
        ticket = self.tickets_of(picking)
        self.assertEqual(ticket.ot_exception_reason, "carrier")
        self.assertEqual(ticket.priority, "2")
        self.assertIn("Confirm the address with the customer", ticket.description)
        # Carrier text is foreign input: escaped, never interpreted.
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", ticket.description)
        self.assertNotIn("<b>برگشت</b>", ticket.description)
        notice = self.customer_email(picking, "returned_to_sender")
        token = picking.sale_id.access_token
        self.assertTrue(token)
        self.assertIn(
            f"/order-tracking/address/{picking.sale_id.id}?access_token={token}", notice.body
        )

    def test_address_issue_sends_the_secure_link(self):
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "address_issue")
        ticket = self.tickets_of(picking)
        self.assertEqual(ticket.ot_exception_type, "address_issue")
        self.assertEqual(
            ticket.category_id,
            self.env.ref("order_tracking_chatbot.helpdesk_category_address_issue"),
        )
        url = self.rules._ot_address_completion_url(picking.sale_id)
        self.assertIn(f"access_token={picking.sale_id.access_token}", url)
        notice = self.customer_email(picking, "address_issue")
        self.assertIn(url.split("//", 1)[1], notice.body)
        self.assertEqual(
            self.env["helpdesk.ticket"]._ot_address_ticket_for_order(picking.sale_id), ticket
        )

    def test_lost_is_urgent_with_a_short_deadline(self):
        picking = self.ship(tehran(2025, 6, 7))
        with freeze_time(tehran(2025, 6, 12, 9)):
            self.rules._ot_on_tracking_update(picking, "lost")
        ticket = self.tickets_of(picking)
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.ot_deadline, tehran(2025, 6, 12, 9) + timedelta(hours=24))
        self.assertIn("within 24 hours", picking.with_context(lang="en_US").ot_exception_next_step)
        self.env["ir.config_parameter"].sudo().set_param(PARAM + "lost_deadline_hours", "6")
        other = self.ship(tehran(2025, 6, 7))
        with freeze_time(tehran(2025, 6, 12, 9)):
            self.rules._ot_on_tracking_update(other, "lost")
        self.assertEqual(self.tickets_of(other).ot_deadline, tehran(2025, 6, 12, 15))

    def test_new_carrier_exception_replaces_the_previous_one(self):
        picking = self.ship(tehran(2025, 6, 7))
        with freeze_time(tehran(2025, 6, 9)):
            self.rules._ot_on_tracking_update(picking, "address_issue")
        with freeze_time(tehran(2025, 6, 10)):
            self.add_event(picking, tehran(2025, 6, 10), "Exception", "Returned")
            self.rules._ot_on_tracking_update(picking, "returned_to_sender")
        address_ticket, returned_ticket = self.tickets_of(picking).sorted("id")
        self.assertTrue(address_ticket.closed)
        self.assertFalse(returned_ticket.closed)
        self.assertEqual(picking.ot_exception_type, "returned_to_sender")

    def test_carrier_exception_outranks_a_delay(self):
        picking = self.ship(tehran(2025, 6, 7), events=[(tehran(2025, 6, 8), "InTransit", "Hub")])
        with freeze_time(tehran(2025, 6, 25)):
            self.rules._ot_on_tracking_update(picking, "damaged")
            self.run_cron()
        self.assertEqual(picking.ot_exception_type, "damaged")
        self.assertEqual(self.tickets_of(picking).mapped("ot_exception_type"), ["damaged"])

    def test_unknown_hint_is_ignored(self):
        picking = self.ship(tehran(2025, 6, 7), events=[(tehran(2025, 6, 8), "InTransit", "Hub")])
        with freeze_time(tehran(2025, 6, 9)):
            self.rules._ot_on_tracking_update(picking, "stolen_by_pirates")
        self.assertFalse(picking.ot_exception_type)
        self.assertFalse(self.tickets_of(picking))

    # --- escalation ------------------------------------------------------------------------------

    def test_vip_customer_gets_a_higher_priority(self):
        vip = self.env["res.partner.category"].create({"name": "VIP"})
        self.env["ir.config_parameter"].sudo().set_param(PARAM + "vip_category_id", str(vip.id))
        vip_customer = self.make_customer("VIP Test", self.fars, "Shiraz")
        vip_customer.category_id = [Command.link(vip.id)]
        regular = self.make_customer("Regular Test", self.fars, "Shiraz")
        for customer, priority in ((vip_customer, "2"), (regular, "1")):
            picking = self.ship(tehran(2025, 6, 7), customer=customer)
            self.rules._ot_on_tracking_update(picking, "failed_attempt")
            ticket = self.tickets_of(picking)
            self.assertEqual(ticket.priority, priority, customer.name)
        self.assertEqual(
            self.tickets_of(picking).ot_escalation_reason, False, "regular customer not escalated"
        )

    def test_listed_city_gets_a_higher_priority(self):
        ahvaz = self.env.ref("order_tracking_chatbot.city_ahvaz")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM + "escalation_city_ids", str(ahvaz.id))
        # The customer typed the city in Persian («اهواز»): still Ahvaz.
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "returned_to_sender")
        ticket = self.tickets_of(picking)
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.ot_escalation_reason, "Shipment to Ahvaz")
        self.assertIn("Shipment to Ahvaz", ticket.description)
        shiraz = self.ship(
            tehran(2025, 6, 7), customer=self.make_customer("S", self.fars, "Shiraz")
        )
        self.rules._ot_on_tracking_update(shiraz, "returned_to_sender")
        self.assertEqual(self.tickets_of(shiraz).priority, "2")

    def test_listed_province_gets_a_higher_priority(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            PARAM + "escalation_state_ids", f"{self.tehran_province.id},{self.khuzestan.id}"
        )
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "address_issue")
        self.assertEqual(self.tickets_of(picking).priority, "2")
        params.set_param(PARAM + "escalation_state_ids", str(self.tehran_province.id))
        other = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(other, "address_issue")
        self.assertEqual(self.tickets_of(other).priority, "1")

    # --- the cron --------------------------------------------------------------------------------

    def test_cron_watches_only_tracked_undelivered_shipments(self):
        late = self.ship(tehran(2025, 6, 1), events=[(tehran(2025, 6, 2), "InTransit", "Hub")])
        delivered = self.ship(
            tehran(2025, 6, 1), events=[(tehran(2025, 6, 2), "Delivered", "Done")]
        )
        untracked = self.ship(tehran(2025, 6, 1))
        untracked.write({"ot_next_check_at": False})
        with freeze_time(tehran(2025, 6, 17)):
            self.run_cron()
            self.run_cron()  # a rerun changes nothing
        self.assertEqual(late.ot_exception_type, "delayed")
        self.assertEqual(len(self.tickets_of(late)), 1)
        self.assertFalse(delivered.ot_exception_type)
        self.assertFalse(untracked.ot_exception_type)
        self.assertFalse(self.tickets_of(delivered) | self.tickets_of(untracked))

    def test_cron_survives_a_broken_shipment(self):
        first = self.ship(tehran(2025, 6, 1), events=[(tehran(2025, 6, 2), "InTransit", "Hub")])
        second = self.ship(tehran(2025, 6, 1), events=[(tehran(2025, 6, 2), "InTransit", "Hub")])
        original = type(self.rules)._ot_apply_rules

        def flaky(model, picking):
            if picking == first:
                raise ValueError("broken shipment")
            return original(model, picking)

        with (
            freeze_time(tehran(2025, 6, 17)),
            patch.object(type(self.rules), "_ot_apply_rules", flaky),
            self.assertLogs(
                "odoo.addons.order_tracking_chatbot.models.order_tracking_exception", "ERROR"
            ),
        ):
            self.run_cron()
        self.assertFalse(first.ot_exception_type)
        self.assertEqual(second.ot_exception_type, "delayed")

    def test_cron_record_runs_in_batches(self):
        pickings = [
            self.ship(tehran(2025, 6, 1), events=[(tehran(2025, 6, 2), "InTransit", "Hub")])
            for _index in range(3)
        ]
        progress = []
        with (
            freeze_time(tehran(2025, 6, 17)),
            patch.object(
                type(self.env["ir.cron"]),
                "_commit_progress",
                lambda model, processed=0, remaining=None, deactivate=False: (
                    progress.append((processed, remaining)) or 60.0
                ),
            ),
        ):
            self.rules._cron_detect_exceptions(batch_size=2)
        self.assertTrue(all(p.ot_exception_type == "delayed" for p in pickings))
        self.assertGreaterEqual(len(progress), 2, "progress reported per batch")
        self.assertEqual(progress[-1][1], 0, "nothing remains at the end")
        cron = self.env.ref("order_tracking_chatbot.ir_cron_detect_exceptions")
        self.assertEqual(cron.code.strip(), "model._cron_detect_exceptions()")
