"""Exception and chat tickets: one per (shipment, exception) or (chat session, kind), whatever
reruns, webhooks and racing workers do; ticket and shipment stay in step both ways."""

from unittest.mock import patch

import psycopg2
from markupsafe import Markup

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..conversation.backend import TICKET_KINDS
from ..models.helpdesk_ticket_chat import CHAT_KIND_SELECTION
from .test_exceptions_common import ExceptionFixtures, tehran


@tagged("post_install", "-at_install")
class TestExceptionTickets(ExceptionFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_shop()
        cls.rules = cls.env["order.tracking.exception"]
        cls.tickets = cls.env["helpdesk.ticket"]

    def notices(self, order):
        """The SMS notifications queued for the customer about the order's exceptions."""
        return (
            self.env["order.tracking.notification"]
            .search(
                [("order_id", "=", order.id), ("channel", "=", "sms"), ("picking_id", "!=", False)]
            )
            .filtered(
                lambda n: n.event not in ("handed_to_carrier", "out_for_delivery", "delivered")
            )
        )

    # --- idempotency -----------------------------------------------------------------------------

    def test_reruns_and_repeated_webhooks_open_one_ticket(self):
        picking = self.ship(tehran(2025, 6, 7))
        for _attempt in range(3):
            self.rules._ot_on_tracking_update(picking, "lost")
        self.assertEqual(len(self.tickets_of(picking)), 1)
        self.assertEqual(len(self.notices(picking.sale_id)), 1, "the customer is told once")
        first = self.tickets._ot_ensure_exception_ticket(picking, "lost")
        second = self.tickets._ot_ensure_exception_ticket(picking, "lost")
        self.assertEqual(first, second)
        self.assertEqual(first, self.tickets_of(picking))

    def test_concurrent_worker_created_it_first(self):
        picking = self.ship(tehran(2025, 6, 7))
        # Another worker committed the ticket after our lookup ran: the lookup saw nothing.
        theirs = self.tickets.create(
            {
                "name": "Created by the other worker",
                "description": "-",
                "ot_dedup_key": self.tickets._ot_exception_key(picking, "lost"),
                "ot_picking_id": picking.id,
                "ot_exception_type": "lost",
            }
        )
        lookups = []
        original = type(self.tickets)._ot_find_by_key

        def late_lookup(model, key):
            lookups.append(key)
            return model.browse() if len(lookups) == 1 else original(model, key)

        with (
            patch.object(type(self.tickets), "_ot_find_by_key", late_lookup),
            mute_logger("odoo.sql_db"),
        ):
            ours = self.tickets._ot_ensure_exception_ticket(picking, "lost")
        self.assertEqual(ours, theirs)
        self.assertEqual(len(lookups), 2, "the unique key decided, then the winner was read")
        self.assertEqual(len(self.tickets_of(picking)), 1)
        # The transaction is still usable after the rolled-back insert.
        self.assertTrue(picking.sale_id.name)

    def test_database_refuses_a_second_ticket_with_the_same_key(self):
        vals = {"name": "One", "description": "-", "ot_dedup_key": "exception:0:lost"}
        self.tickets.create(vals)
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.tickets.create(dict(vals, name="Two"))

    def test_duplicating_a_ticket_does_not_copy_its_key(self):
        picking = self.ship(tehran(2025, 6, 7))
        ticket = self.tickets._ot_ensure_exception_ticket(picking, "lost")
        copy = ticket.copy()
        self.assertFalse(copy.ot_dedup_key)
        self.assertFalse(copy.ot_picking_id)

    def test_system_raises_tickets_whatever_the_users_helpdesk_rights(self):
        picking = self.ship(tehran(2025, 6, 7))
        stock_user = self.users["stock_user"]
        with self.assertRaises(AccessError):
            self.tickets.with_user(stock_user).create({"name": "x", "description": "x"})
        self.rules.with_user(stock_user)._ot_on_tracking_update(
            picking.with_user(stock_user), "damaged"
        )
        ticket = self.tickets_of(picking)
        self.assertEqual(ticket.ot_exception_type, "damaged")
        self.assertFalse(ticket.user_id, "unassigned: the team picks it up, not the stock user")

    # --- ticket <-> shipment ---------------------------------------------------------------------

    def test_closing_the_ticket_clears_the_exception(self):
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "address_issue")
        ticket = self.tickets_of(picking)
        agent = self.users["helpdesk_user"]
        with self.assertRaises(AccessError):
            picking.with_user(agent).check_access("write")
        ticket.with_user(agent).write({"stage_id": self.closed_stage().id})
        self.assertFalse(picking.ot_exception_type)
        self.assertFalse(picking.ot_exception_next_step)
        self.assertTrue(ticket.closed)
        logged = picking.message_ids.filtered(lambda m: "resolved" in (m.body or ""))
        self.assertEqual(len(logged), 1)
        self.assertIn(ticket.number, logged.body)

    def test_closing_a_ticket_of_a_replaced_exception_keeps_the_current_one(self):
        picking = self.ship(tehran(2025, 6, 7))
        ticket = self.tickets._ot_ensure_exception_ticket(picking, "delayed", reason="late")
        picking.ot_exception_type = "lost"
        ticket.stage_id = self.closed_stage()
        self.assertEqual(picking.ot_exception_type, "lost")

    def test_delivery_closes_the_ticket(self):
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "failed_attempt")
        ticket = self.tickets_of(picking)
        self.add_event(picking, tehran(2025, 6, 9), "Delivered", "Delivered to the customer")
        self.rules._ot_on_tracking_update(picking, None)
        self.assertFalse(picking.ot_exception_type)
        self.assertTrue(ticket.closed)
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: "delivered the parcel" in (m.body or ""))), 1
        )
        self.assertEqual(len(self.tickets_of(picking)), 1)

    def test_repeated_carrier_news_does_not_reopen_a_handled_ticket(self):
        picking = self.ship(
            tehran(2025, 6, 7), events=[(tehran(2025, 6, 8), "Exception", "Returned")]
        )
        with freeze_time(tehran(2025, 6, 8, 12)):
            self.rules._ot_on_tracking_update(picking, "returned_to_sender")
        ticket = self.tickets_of(picking)
        with freeze_time(tehran(2025, 6, 9)):
            ticket.stage_id = self.closed_stage()
            # The carrier (or its webhook) repeats the same old news.
            self.rules._ot_on_tracking_update(picking, "returned_to_sender")
        self.assertTrue(ticket.closed)
        self.assertFalse(picking.ot_exception_type)
        with freeze_time(tehran(2025, 6, 11)):
            self.add_event(picking, tehran(2025, 6, 10), "Exception", "Returned again")
            self.rules._ot_on_tracking_update(picking, "returned_to_sender")
        self.assertFalse(ticket.closed, "new carrier news reopens the same ticket")
        self.assertEqual(picking.ot_exception_type, "returned_to_sender")
        self.assertEqual(len(self.tickets_of(picking)), 1)

    def test_team_and_category_follow_the_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        lost_team = self.env["helpdesk.ticket.team"].create({"name": "Claims"})
        category = self.env["helpdesk.ticket.category"].create({"name": "Claims"})
        params.set_param("order_tracking_chatbot.team_lost", str(lost_team.id))
        params.set_param("order_tracking_chatbot.category_lost", str(category.id))
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "lost")
        ticket = self.tickets_of(picking)
        self.assertEqual(ticket.team_id, lost_team)
        self.assertEqual(ticket.category_id, category)
        # A team of another company would move the ticket there: not used.
        other_company = self.env["res.company"].create({"name": "Other shop"})
        lost_team.company_id = other_company
        other = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(other, "lost")
        self.assertEqual(self.tickets_of(other).company_id, other.company_id)
        self.assertEqual(self.tickets_of(other).team_id, self.team, "the default team instead")

    # --- chat tickets ----------------------------------------------------------------------------

    def test_chat_kinds_match_the_dialogue_policy(self):
        self.assertEqual({kind for kind, _label in CHAT_KIND_SELECTION}, set(TICKET_KINDS))

    def test_chat_ticket_is_idempotent_per_session_and_kind(self):
        picking = self.ship(tehran(2025, 6, 7))
        order = picking.sale_id
        first = self.tickets._ot_create_chat_ticket(
            "change_address",
            order=order,
            mobile="+989161234000",
            summary="New plaque number <b>12</b>",
            transcript_html="Customer: <script>x</script>",
            dedup_key="session-1",
        )
        again = self.tickets._ot_create_chat_ticket(
            "change_address", order=order, summary="again", dedup_key="session-1"
        )
        other_kind = self.tickets._ot_create_chat_ticket(
            "cancel_order", order=order, summary="cancel", dedup_key="session-1"
        )
        self.assertEqual(first, again)
        self.assertNotEqual(first, other_kind)
        self.assertEqual(first.partner_id, order.partner_id)
        self.assertEqual(first.ot_chat_kind, "change_address")
        self.assertEqual(first.priority, "2")
        self.assertEqual(first.ot_contact_mobile, "+989161234000")
        self.assertEqual(
            first.category_id,
            self.env.ref("order_tracking_chatbot.helpdesk_category_chat_change_address"),
        )
        self.assertIn("&lt;b&gt;12&lt;/b&gt;", first.description)
        self.assertIn("&lt;script&gt;x&lt;/script&gt;", first.description)
        markup = self.tickets._ot_create_chat_ticket(
            "callback", mobile="+989121234567", transcript_html=Markup("<p><em>hello</em></p>")
        )
        self.assertIn("<em>hello</em>", markup.description)
        self.assertFalse(markup.partner_id, "an unverified mobile links no contact")

    def test_delay_request_goes_on_the_existing_exception_ticket(self):
        picking = self.ship(tehran(2025, 6, 7))
        self.rules._ot_on_tracking_update(picking, "lost")
        exception_ticket = self.tickets_of(picking)
        ticket = self.tickets._ot_create_chat_ticket(
            "delay", order=picking.sale_id, summary="Where is it?", dedup_key="session-2"
        )
        self.assertEqual(ticket, exception_ticket)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "Where is it?" in (m.body or "")))

    # --- access ----------------------------------------------------------------------------------

    def test_lead_times_readable_by_agents_editable_by_stock_managers(self):
        row = self.lead_time(min_days=1, max_days=3)
        agent = self.users["helpdesk_user"]
        self.assertEqual(row.with_user(agent).max_days, 3)
        with self.assertRaises(AccessError):
            row.with_user(agent).write({"max_days": 4})
        manager = new_test_user(
            self.env, login="ot_stock_manager", groups="stock.group_stock_manager"
        )
        row.with_user(manager).write({"max_days": 4})
        self.assertEqual(row.max_days, 4)
