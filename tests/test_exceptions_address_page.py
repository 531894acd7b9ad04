"""The customer's secure address page: the order's access token opens it, nothing else does, and
a submitted address waits on the ticket until an agent approves it."""

import re

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..models.helpdesk_ticket_address import APPROVER_GROUP
from .test_exceptions_common import ExceptionFixtures, tehran


@tagged("post_install", "-at_install")
class TestAddressCompletionPage(ExceptionFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_shop()
        cls.picking = cls.ship(tehran(2025, 6, 7))
        cls.order = cls.picking.sale_id
        cls.env["order.tracking.exception"]._ot_on_tracking_update(cls.picking, "address_issue")
        cls.ticket = cls.env["helpdesk.ticket"].search([("ot_picking_id", "=", cls.picking.id)])
        cls.url = f"/order-tracking/address/{cls.order.id}"

    def open_form(self, token=None):
        token = self.order.access_token if token is None else token
        return self.url_open(f"{self.url}?access_token={token}")

    def submit(self, **fields):
        page = self.open_form()
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "csrf_token": csrf,
            "access_token": self.order.access_token,
            "street": "Kianpars, Street 9, Alley 4, No. 12",
            "street2": "Unit 3",
            "city": "Ahvaz",
            "state_id": str(self.khuzestan.id),
            "zip": "۶۱۵۵۶۸۹۴۱۲",  # Persian digits, as customers type them
            **fields,
        }
        return self.url_open(self.url, data=data)

    def test_valid_token_shows_the_form(self):
        response = self.open_form()
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertIn('name="street"', response.text)
        self.assertIn("Kianpars, Street 9", response.text, "prefilled with the current address")

    def test_wrong_or_missing_token_is_not_found(self):
        for token in ("not-the-token", "", self.order.access_token[:-1] + "x"):
            with self.subTest(token=token):
                self.assertEqual(self.open_form(token).status_code, 404)
        self.assertEqual(self.url_open(self.url).status_code, 404)
        self.assertEqual(
            self.url_open("/order-tracking/address/999999?access_token=x").status_code, 404
        )

    def test_order_without_an_address_ticket_is_not_found(self):
        other = self.ship(tehran(2025, 6, 7)).sale_id
        token = other._portal_ensure_token()
        response = self.url_open(f"/order-tracking/address/{other.id}?access_token={token}")
        self.assertEqual(response.status_code, 404)

    def test_submission_waits_for_approval(self):
        partner = self.order.partner_shipping_id
        response = self.submit()
        self.assertEqual(response.status_code, 200)
        self.assertIn("We received your address", response.text)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.ot_address_status, "pending")
        self.assertEqual(self.ticket.ot_address_street, "Kianpars, Street 9, Alley 4, No. 12")
        self.assertEqual(self.ticket.ot_address_zip, "6155689412")
        self.assertEqual(self.ticket.ot_address_state_id, self.khuzestan)
        partner.invalidate_recordset()
        self.assertEqual(partner.street, "Kianpars, Street 9", "the contact is not touched")
        self.assertEqual(partner.zip, "6155689411")

        agent = self.users["helpdesk_user"]
        agent.group_ids = [Command.link(self.env.ref(APPROVER_GROUP).id)]
        self.ticket.with_user(agent).action_ot_approve_address()
        # The approved address goes to a delivery contact on the order (tests/test_address_
        # approval.py), never onto the customer's own contact.
        self.assertEqual(partner.street, "Kianpars, Street 9")
        delivery = self.order.partner_shipping_id
        self.assertEqual(delivery.street, "Kianpars, Street 9, Alley 4, No. 12")
        self.assertEqual(delivery.street2, "Unit 3")
        self.assertEqual(delivery.zip, "6155689412")
        self.assertEqual(self.ticket.ot_address_status, "approved")

    def test_invalid_submission_is_refused_with_reasons(self):
        response = self.submit(
            zip="123", street="x", state_id=str(self.env.ref("base.state_us_5").id)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("10 digits", response.text)
        self.assertIn("street and house number", response.text)
        self.assertIn("choose the province", response.text)
        self.ticket.invalidate_recordset()
        self.assertFalse(self.ticket.ot_address_status)

    def test_rejected_request_changes_nothing(self):
        partner = self.order.partner_shipping_id
        self.submit()
        self.ticket.invalidate_recordset()
        self.ticket.with_user(self.users["helpdesk_user"]).action_ot_reject_address()
        self.assertEqual(self.ticket.ot_address_status, "rejected")
        self.assertEqual(partner.street, "Kianpars, Street 9")

    def test_closed_ticket_closes_the_page(self):
        self.ticket.stage_id = self.closed_stage()
        self.assertEqual(self.open_form().status_code, 404)
