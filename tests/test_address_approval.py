"""Approving a customer's corrected address: a delivery contact under the customer holds it and
goes on the order and its open deliveries, the customer's own contact never changes, only the
approving group may do it, and the order's chatter says who changed what."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.helpdesk_ticket_address import ADDRESS_FIELDS, APPROVER_GROUP
from .test_exceptions_common import ExceptionFixtures

NEW_ADDRESS = {
    "street": "Golestan St., Alley 4, No. 12",
    "street2": "Unit 3",
    "city": "Ahvaz",
    "zip": "۶۱۵۵۶۸۹۴۱۲",  # Persian digits, as customers type them
}
CONTACT_FIELDS = (*ADDRESS_FIELDS, "name", "type", "parent_id", "phone", "email")


@tagged("post_install", "-at_install")
class TestAddressApproval(ExceptionFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_shop()
        cls.second_product = cls.env["product.product"].create(
            {"name": "Test pistachio", "type": "consu", "list_price": 12.0}
        )
        cls.approver = cls.users["helpdesk_user"]
        cls.approver.group_ids = [Command.link(cls.env.ref(APPROVER_GROUP).id)]
        cls.outsider = new_test_user(
            cls.env,
            login="ot_agent_no_approval",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Agent Without Approval",
        )
        cls.outsider.helpdesk_team_ids = [Command.link(cls.team.id)]

    def order_with_an_open_backorder(self, customer=None):
        """An order shipped in part (the shipped parcel has an address problem) with the rest
        waiting in an open backorder."""
        order = self.env["sale.order"].create(
            {
                "partner_id": (customer or self.customer).id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1}),
                    Command.create({"product_id": self.second_product.id, "product_uom_qty": 1}),
                ],
            }
        )
        order.set_delivery_line(self.carrier, self.carrier.fixed_price)
        order.action_confirm()
        picking = order.picking_ids
        shipped, waiting = picking.move_ids
        shipped.quantity, shipped.picked = 1, True
        waiting.quantity, waiting.picked = 0, False
        picking.with_context(skip_sms=True, skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        backorder = order.picking_ids - picking
        self.assertEqual(backorder.state, "assigned", "the rest waits in a backorder")
        return order, picking, backorder

    def address_ticket(self, picking, exception_type="address_issue", **address):
        self.env["order.tracking.exception"]._ot_on_tracking_update(picking, exception_type)
        ticket = self.tickets_of(picking).filtered(lambda t: t.ot_exception_type == exception_type)
        values = {**NEW_ADDRESS, "state_id": str(self.khuzestan.id), **address}
        self.assertEqual(ticket._ot_submit_address_request(values), {})
        self.assertEqual(ticket.ot_address_status, "pending")
        return ticket

    def snapshot(self, partner):
        partner.invalidate_recordset()
        return {name: partner[name] for name in CONTACT_FIELDS}

    def test_approval_sets_a_delivery_contact_and_leaves_the_customer_alone(self):
        order, shipped, backorder = self.order_with_an_open_backorder()
        ticket = self.address_ticket(shipped)
        before = self.snapshot(self.customer)
        ticket.with_user(self.approver).action_ot_approve_address()
        self.assertEqual(
            self.snapshot(self.customer), before, "the customer's contact is as it was"
        )
        contact = order.partner_shipping_id
        self.assertNotEqual(contact, self.customer)
        self.assertEqual(contact.type, "delivery")
        self.assertEqual(contact.parent_id, self.customer.commercial_partner_id)
        self.assertEqual(
            [contact[name] for name in ADDRESS_FIELDS],
            [
                "Golestan St., Alley 4, No. 12",
                "Unit 3",
                "Ahvaz",
                self.khuzestan,
                self.iran,
                "6155689412",
            ],
        )
        self.assertEqual(backorder.partner_id, contact, "the open delivery goes to the new address")
        self.assertEqual(shipped.partner_id, self.customer, "a shipped parcel is not rewritten")
        self.assertFalse(
            backorder.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
            ),
            "nobody is asked to update a delivery that is already updated",
        )
        self.assertEqual(ticket.ot_address_status, "approved")

    def test_the_order_chatter_logs_old_new_and_who(self):
        order, shipped, _backorder = self.order_with_an_open_backorder()
        ticket = self.address_ticket(shipped)
        ticket.with_user(self.approver).action_ot_approve_address()
        logs = order.message_ids.filtered(lambda m: "Golestan St." in (m.body or ""))
        self.assertEqual(len(logs), 1)
        body = str(logs.body)
        self.assertIn("Kianpars, Street 9", body, "the old address")
        self.assertIn("Golestan St., Alley 4, No. 12", body, "the new address")
        self.assertIn(self.approver.name, body)
        self.assertIn(ticket.number, body)
        self.assertEqual(logs.author_id, self.approver.partner_id)

    def test_identical_approval_reuses_the_delivery_contact(self):
        order, shipped, _backorder = self.order_with_an_open_backorder()
        self.address_ticket(shipped).with_user(self.approver).action_ot_approve_address()
        contact = order.partner_shipping_id
        # The parcel came back anyway; the customer confirms the same address again.
        again = self.address_ticket(shipped, "returned_to_sender")
        again.with_user(self.approver).action_ot_approve_address()
        self.assertEqual(order.partner_shipping_id, contact)
        other_order, other_shipped, _ = self.order_with_an_open_backorder()
        self.address_ticket(other_shipped).with_user(self.approver).action_ot_approve_address()
        self.assertEqual(other_order.partner_shipping_id, contact, "same address, same contact")
        deliveries = self.customer.child_ids.filtered(lambda p: p.type == "delivery")
        self.assertEqual(deliveries, contact)

    def test_a_different_address_gets_its_own_contact(self):
        order, shipped, _backorder = self.order_with_an_open_backorder()
        self.address_ticket(shipped).with_user(self.approver).action_ot_approve_address()
        first = order.partner_shipping_id
        again = self.address_ticket(shipped, "returned_to_sender", street2="Unit 4")
        again.with_user(self.approver).action_ot_approve_address()
        self.assertNotEqual(order.partner_shipping_id, first)
        self.assertEqual(order.partner_shipping_id.street2, "Unit 4")
        self.assertEqual(first.street2, "Unit 3", "an approved address is never rewritten")

    def test_company_customer_gets_the_address_under_the_company(self):
        company = self.env["res.partner"].create(
            {"name": "Saffron Trading Co.", "is_company": True, "country_id": self.iran.id}
        )
        buyer = self.make_customer("Buyer Person", self.khuzestan, "Ahvaz")
        buyer.parent_id = company
        company_before = self.snapshot(company)
        buyer_before = self.snapshot(buyer)
        order, shipped, _backorder = self.order_with_an_open_backorder(buyer)
        self.address_ticket(shipped).with_user(self.approver).action_ot_approve_address()
        self.assertEqual(order.partner_shipping_id.parent_id, company)
        self.assertEqual(self.snapshot(company), company_before)
        self.assertEqual(self.snapshot(buyer), buyer_before)

    def test_only_the_approving_group_may_approve(self):
        order, shipped, backorder = self.order_with_an_open_backorder()
        ticket = self.address_ticket(shipped)
        # The agent sees and may edit the ticket, but seeing a ticket is not the right to approve.
        self.assertTrue(ticket.with_user(self.outsider).ot_address_street)
        with self.assertRaises(AccessError):
            ticket.with_user(self.outsider).action_ot_approve_address()
        self.assertEqual(ticket.ot_address_status, "pending")
        self.assertEqual(order.partner_shipping_id, self.customer)
        self.assertEqual(backorder.partner_id, self.customer)
        # Rejecting changes nothing, so any agent of the ticket may do it.
        ticket.with_user(self.outsider).action_ot_reject_address()
        self.assertEqual(ticket.ot_address_status, "rejected")

    def test_helpdesk_managers_may_approve(self):
        manager = new_test_user(
            self.env, login="ot_helpdesk_manager", groups="helpdesk_mgmt.group_helpdesk_manager"
        )
        self.assertTrue(manager.has_group(APPROVER_GROUP))
        self.assertFalse(self.outsider.has_group(APPROVER_GROUP))
