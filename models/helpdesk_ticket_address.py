"""The customer's corrected delivery address on an exception ticket, and its approval.

Exception tickets about the address (incomplete address, parcel returned to sender) carry the
customer's pending address request: the customer submits it through a secure link
(controllers/address_completion.py) and it is stored on the ticket. Nothing reaches a contact
until a member of the "Order Tracking: Approve address changes" group approves it; seeing the
ticket is not enough.

Approval never edits the customer's own contact (often the main partner, used by every other
order and invoice): it creates a delivery address under the customer's commercial partner, or
reuses an identical one, and sets it on the ticket's order and on its open outgoing deliveries.
The order's chatter records the old and the new address and who approved.
"""

import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..conversation.normalize import normalize_digits

APPROVER_GROUP = "order_tracking_chatbot.group_address_approver"
ADDRESS_STATUS_SELECTION = [
    ("pending", "Waiting for approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
ADDRESS_TICKET_TYPES = ("address_issue", "returned_to_sender")
# Field size limits of a submitted address: enough for any real address, not for a novel.
ADDRESS_LIMITS = {"street": 200, "street2": 200, "city": 80, "zip": 20}
# The fields that make an address, on a contact (an approved address sets all of them).
ADDRESS_FIELDS = ("street", "street2", "city", "state_id", "country_id", "zip")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # The customer's pending address request; never written to a contact without approval.
    ot_address_status = fields.Selection(
        ADDRESS_STATUS_SELECTION, string="Address Request", copy=False, tracking=True
    )
    ot_address_submitted_at = fields.Datetime(string="Address Submitted", copy=False, readonly=True)
    ot_address_street = fields.Char(string="Requested Street", copy=False)
    ot_address_street2 = fields.Char(string="Requested Street 2", copy=False)
    ot_address_city = fields.Char(string="Requested City", copy=False)
    ot_address_state_id = fields.Many2one(
        "res.country.state", string="Requested Province", copy=False
    )
    ot_address_zip = fields.Char(string="Requested Postal Code", copy=False)

    # --- the customer's request ------------------------------------------------------------------

    @api.model
    def _ot_address_ticket_for_order(self, order):
        """The open ticket waiting for the customer of ``order`` to complete or confirm the
        address (incomplete address or returned parcel), or an empty recordset."""
        return self.search(
            [
                ("ot_sale_id", "=", order.id),
                ("ot_exception_type", "in", ADDRESS_TICKET_TYPES),
                ("stage_id.closed", "=", False),
            ],
            order="id desc",
            limit=1,
        )

    def _ot_address_form_values(self, submitted=None, lang=None):
        """What the address page shows: the order, the provinces to choose from (named in the
        customer's language) and the form's values (submitted, pending, else the current
        address)."""
        self.ensure_one()
        partner = self.ot_sale_id.partner_shipping_id or self.ot_picking_id.partner_id
        names = ("street", "street2", "city", "state_id", "zip")
        if submitted is not None:
            form = {name: submitted.get(name) or "" for name in names}
        elif self.ot_address_status == "pending":
            form = {
                "street": self.ot_address_street,
                "street2": self.ot_address_street2,
                "city": self.ot_address_city,
                "state_id": self.ot_address_state_id.id,
                "zip": self.ot_address_zip,
            }
        else:
            form = {
                "street": partner.street,
                "street2": partner.street2,
                "city": partner.city,
                "state_id": partner.state_id.id,
                "zip": partner.zip,
            }
        form["state_id"] = str(form["state_id"] or "")
        states = self._ot_address_country().state_ids
        return {
            "order_name": self.ot_sale_id.name,
            "exception_type": self.ot_exception_type,
            "states": sorted(
                ((str(state.id), state._ot_display_name(lang)) for state in states),
                key=lambda item: item[1],
            ),
            "form": {name: value or "" for name, value in form.items()},
        }

    def _ot_address_country(self):
        self.ensure_one()
        partner = self.ot_sale_id.partner_shipping_id or self.ot_picking_id.partner_id
        return partner.country_id or self.env.ref("base.ir")

    def _ot_clean_address(self, values):
        """Validate a submitted address; returns ``(clean_vals, errors)``, errors keyed by field
        and worded for the customer."""
        self.ensure_one()
        _ = self.env._

        def text(name):
            value = " ".join(str(values.get(name) or "").split())
            return value[: ADDRESS_LIMITS[name]]

        clean = {
            "ot_address_street": text("street"),
            "ot_address_street2": text("street2"),
            "ot_address_city": text("city"),
            "ot_address_zip": normalize_digits(text("zip")).replace(" ", "").replace("-", ""),
        }
        errors = {}
        if len(clean["ot_address_street"]) < 5:
            errors["street"] = _("Please enter the street and house number.")
        if len(clean["ot_address_city"]) < 2:
            errors["city"] = _("Please enter the city.")
        country = self._ot_address_country()
        state_id = str(values.get("state_id") or "")
        state = self.env["res.country.state"]
        if state_id.isdigit():
            state = state.browse(int(state_id)).exists()
        if not state or state.country_id != country:
            errors["state_id"] = _("Please choose the province.")
        clean["ot_address_state_id"] = state.id if state else False
        postcode = clean["ot_address_zip"]
        if country.code == "IR" and postcode and not re.fullmatch(r"\d{10}", postcode):
            errors["zip"] = _("An Iranian postal code has 10 digits.")
        return clean, errors

    def _ot_submit_address_request(self, values):
        """Store the address the customer submitted as a request waiting for an agent's
        approval; returns the errors (empty when stored). The contact is not changed."""
        self.ensure_one()
        clean, errors = self._ot_clean_address(values)
        if errors:
            return errors
        clean.update(
            {"ot_address_status": "pending", "ot_address_submitted_at": fields.Datetime.now()}
        )
        self.write(clean)
        self.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._("The customer submitted a delivery address; it waits for approval:"),
                self._ot_requested_address_text(),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {}

    def _ot_requested_address_vals(self):
        """The requested address as contact values (every address field, empty ones False)."""
        self.ensure_one()
        return {
            "street": self.ot_address_street or False,
            "street2": self.ot_address_street2 or False,
            "city": self.ot_address_city or False,
            "state_id": self.ot_address_state_id.id,
            "country_id": self.ot_address_state_id.country_id.id,
            "zip": self.ot_address_zip or False,
        }

    def _ot_requested_address_text(self):
        self.ensure_one()
        parts = [
            self.ot_address_street,
            self.ot_address_street2,
            self.ot_address_city,
            self.ot_address_state_id.name,
            self.ot_address_zip,
        ]
        return ", ".join(part for part in parts if part)

    @api.model
    def _ot_contact_address_text(self, partner):
        parts = [partner.street, partner.street2, partner.city, partner.state_id.name, partner.zip]
        return ", ".join(part for part in parts if part)

    # --- approval --------------------------------------------------------------------------------

    def _ot_check_address_approver(self):
        if not self.env.user.has_group(APPROVER_GROUP):
            raise AccessError(
                self.env._(
                    "Only members of the group “Order Tracking: Approve address changes” may "
                    "approve a delivery address."
                )
            )

    @api.model
    def _ot_delivery_contact(self, order, address_vals):
        """The delivery address contact of ``order``'s customer holding ``address_vals``: an
        identical one (same recipient and address) when it exists, a new one otherwise. It is a
        child of the customer's commercial partner, never the customer's own contact."""
        commercial = order.partner_id.commercial_partner_id
        recipient = order.partner_shipping_id or order.partner_id
        partners = self.env["res.partner"]
        domain = [
            ("parent_id", "=", commercial.id),
            ("type", "=", "delivery"),
            ("name", "=", recipient.name),
        ] + [(name, "=", value) for name, value in address_vals.items()]
        existing = partners.search(domain, order="id", limit=1)
        if existing:
            return existing
        return partners.create(
            {
                **address_vals,
                "type": "delivery",
                "parent_id": commercial.id,
                "name": recipient.name,
                "phone": recipient.phone or False,
                "email": recipient.email or False,
            }
        )

    def action_ot_approve_address(self):
        """Make the customer's requested address the delivery address of the ticket's order and
        of its open deliveries, through a delivery contact (see the module docstring)."""
        self.ensure_one()
        self._ot_check_address_approver()
        if self.ot_address_status != "pending":
            raise UserError(self.env._("There is no address request waiting for approval."))
        # sudo: sale.order - approvers may lack sales rights; only the ticket's own order is read
        order = self.sudo().ot_sale_id or self.sudo().ot_picking_id.sale_id
        if not order:
            raise UserError(self.env._("This ticket has no order with a delivery address."))
        # The ticket write comes first: it checks the approver may edit this ticket.
        self.write({"ot_address_status": "approved"})
        old_text = self._ot_contact_address_text(order.partner_shipping_id or order.partner_id)
        # sudo: res.partner, sale.order, stock.picking - an approver sets an approved address on
        # the ticket's order and its open deliveries without needing contact, sales or warehouse
        # rights; the customer's own contact is never written
        contact = self.sudo()._ot_delivery_contact(order, self._ot_requested_address_vals())
        pickings = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
        activities_before = pickings.activity_ids
        # The fiscal position follows the shipping address in Odoo: a confirmed order keeps its own.
        order.write(
            {"partner_shipping_id": contact.id, "fiscal_position_id": order.fiscal_position_id.id}
        )
        # sale_stock asks a person to update the open deliveries' address: done just below.
        warning = self.env.ref("mail.mail_activity_data_warning", False)
        (pickings.activity_ids - activities_before).filtered(
            lambda activity: activity.activity_type_id == warning
        ).unlink()
        pickings.write({"partner_id": contact.id})
        new_text = self._ot_contact_address_text(contact)
        order.message_post(
            body=Markup("<p>%s</p><p>%s → %s</p>")
            % (
                self.env._(
                    "%(user)s approved a new delivery address (ticket %(ticket)s):",
                    user=self.env.user.name,
                    ticket=self.number or self.name,
                ),
                old_text,
                new_text,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.message_post(
            body=self.env._(
                "%(user)s approved the address; it is now the delivery address of order "
                "%(order)s and its open deliveries: %(address)s",
                user=self.env.user.name,
                order=order.name,
                address=new_text,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_ot_reject_address(self):
        self.ensure_one()
        if self.ot_address_status != "pending":
            raise UserError(self.env._("There is no address request waiting for approval."))
        self.write({"ot_address_status": "rejected"})
        self.message_post(
            body=self.env._("%(user)s rejected the requested address.", user=self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return True
