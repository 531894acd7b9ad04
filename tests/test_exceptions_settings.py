"""Settings > Order Tracking for exceptions, the lead-time table's rules, and the ticket form as
a support agent sees it."""

import psycopg2

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_exceptions_common import PARAM, ExceptionFixtures, tehran


@tagged("post_install", "-at_install")
class TestExceptionSettings(ExceptionFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_shop()

    def test_settings_round_trip(self):
        ahvaz = self.env.ref("order_tracking_chatbot.city_ahvaz")
        vip = self.env["res.partner.category"].create({"name": "VIP"})
        settings = self.env["res.config.settings"].create(
            {
                "ot_late_after_days": 7,
                "ot_vip_category_id": vip.id,
                "ot_escalation_state_ids": [Command.set([self.khuzestan.id, self.fars.id])],
                "ot_escalation_city_ids": [Command.set([ahvaz.id])],
            }
        )
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param(PARAM + "late_after_days"), "7")
        self.assertEqual(
            params.get_param(PARAM + "escalation_state_ids"),
            ",".join(str(i) for i in sorted([self.khuzestan.id, self.fars.id])),
        )
        reloaded = self.env["res.config.settings"].create({})
        self.assertEqual(reloaded.ot_escalation_state_ids, self.khuzestan | self.fars)
        self.assertEqual(reloaded.ot_escalation_city_ids, ahvaz)
        self.assertEqual(reloaded.ot_vip_category_id, vip)
        self.assertEqual(reloaded.ot_exception_team_id, self.team)
        self.assertEqual(
            reloaded.ot_category_lost_id,
            self.env.ref("order_tracking_chatbot.helpdesk_category_lost"),
        )
        reloaded.ot_escalation_city_ids = [Command.clear()]
        reloaded.execute()
        self.assertFalse(params.get_param(PARAM + "escalation_city_ids"))

    def test_broken_integer_setting_falls_back_to_the_default(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM + "stale_after_days", "three")
        self.assertEqual(self.env["res.config.settings"]._ot_get_int("stale_after_days"), 3)
        params.set_param(PARAM + "stale_after_days", "-4")
        self.assertEqual(self.env["res.config.settings"]._ot_get_int("stale_after_days"), 3)

    def test_one_lead_time_per_carrier_and_province(self):
        self.lead_time(None, min_days=1, max_days=3)
        self.lead_time(self.fars, min_days=1, max_days=3)
        for state in (None, self.fars):
            with (
                self.subTest(state=state),
                self.assertRaises(psycopg2.IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.lead_time(state, min_days=2, max_days=5)
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.lead_time(self.khuzestan, min_days=4, max_days=2)

    def test_ticket_form_for_a_support_agent(self):
        picking = self.ship(tehran(2025, 6, 7))
        self.env["order.tracking.exception"]._ot_on_tracking_update(picking, "address_issue")
        ticket = self.env["helpdesk.ticket"].search([("ot_picking_id", "=", picking.id)])
        agent_tickets = self.env["helpdesk.ticket"].with_user(self.users["helpdesk_user"])
        arch = agent_tickets.get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("action_ot_reject_address", "ot_address_street", "ot_exception_type"):
            self.assertIn(f'name="{name}"', arch)
        # Approving needs its own group: an agent who only sees the ticket has no button.
        self.assertNotIn('name="action_ot_approve_address"', arch)
        approver = new_test_user(
            self.env,
            login="ot_settings_approver",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "order_tracking_chatbot.group_address_approver",
        )
        approver_tickets = self.env["helpdesk.ticket"].with_user(approver)
        arch = approver_tickets.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_ot_approve_address"', arch)
        data = agent_tickets.browse(ticket.id).web_read(
            {
                "ot_sale_id": {"fields": {"display_name": {}}},
                "ot_picking_id": {"fields": {"display_name": {}}},
                "ot_tracking_ref": {},
                "ot_exception_type": {},
            }
        )[0]
        self.assertEqual(data["ot_sale_id"]["display_name"], picking.sale_id.name)
        self.assertEqual(data["ot_tracking_ref"], picking.carrier_tracking_ref)
        self.assertEqual(data["ot_exception_type"], "address_issue")
