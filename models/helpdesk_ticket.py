"""Helpdesk tickets (OCA `helpdesk_mgmt`) for shipment exceptions and chatbot requests.

Exactly one ticket exists per (shipment, exception) and per (chat session, request kind): the
``ot_dedup_key`` is unique in the database, so reruns, webhooks and two workers racing each other
all end on the same ticket. Closing an exception ticket clears the shipment's exception, and a
shipment whose exception is resolved (the carrier delivered it) closes its ticket; a context flag
stops the second write from echoing back.

Exception tickets about the address carry the customer's pending address request: the customer
submits it through a secure link (controllers/address_completion.py), it is stored here, and only
an agent's approval writes it to the delivery address.
"""

import logging
import re

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ..conversation.normalize import normalize_digits
from .stock_picking import EXCEPTION_REASON_SELECTION, EXCEPTION_SELECTION

_logger = logging.getLogger(__name__)

# The request kinds the chatbot opens (same codes as conversation.backend.TICKET_KINDS).
CHAT_KIND_SELECTION = [
    ("change_address", "Address change"),
    ("return_request", "Return request"),
    ("cancel_order", "Cancellation request"),
    ("callback", "Call-back request"),
    ("followup", "Order follow-up"),
    ("delay", "Delay"),
    ("exception", "Shipment problem"),
    ("payment", "Payment"),
    ("invoice", "Invoice"),
]
ADDRESS_STATUS_SELECTION = [
    ("pending", "Waiting for approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# Helpdesk priorities: "0" low .. "3" very high. Escalation adds one level.
EXCEPTION_PRIORITY = {
    "delayed": "1",
    "failed_attempt": "1",
    "address_issue": "1",
    "returned_to_sender": "2",
    "damaged": "2",
    "lost": "3",
}
CHAT_PRIORITY = {"cancel_order": "2", "change_address": "2"}
# Kinds a chat customer raises about a shipment problem the rules may already have a ticket for.
CHAT_KINDS_ON_EXCEPTION = ("delay", "exception")
ADDRESS_TICKET_TYPES = ("address_issue", "returned_to_sender")
# Field size limits of a submitted address: enough for any real address, not for a novel.
ADDRESS_LIMITS = {"street": 200, "street2": 200, "city": 80, "zip": 20}
HISTORY_ROWS = 50


def _bump(priority):
    return str(min(int(priority) + 1, 3))


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    ot_picking_id = fields.Many2one(
        "stock.picking", string="Shipment", index="btree_not_null", readonly=True, copy=False
    )
    ot_sale_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", readonly=True, copy=False
    )
    ot_exception_type = fields.Selection(
        EXCEPTION_SELECTION, string="Shipment Exception", readonly=True, copy=False
    )
    ot_exception_reason = fields.Selection(
        EXCEPTION_REASON_SELECTION, string="Exception Reason", readonly=True, copy=False
    )
    ot_chat_kind = fields.Selection(
        CHAT_KIND_SELECTION, string="Chat Request", readonly=True, copy=False
    )
    ot_dedup_key = fields.Char(
        string="Deduplication Key",
        readonly=True,
        copy=False,
        help="Identifies what the ticket is about (shipment and exception, or chat session and "
        "request), so that it is never opened twice.",
    )
    ot_deadline = fields.Datetime(string="Handle Before", copy=False, tracking=True)
    ot_escalation_reason = fields.Char(string="Escalated Because", readonly=True, copy=False)
    ot_contact_mobile = fields.Char(string="Contact Mobile", copy=False)
    ot_tracking_ref = fields.Char(
        related="ot_picking_id.carrier_tracking_ref", string="Tracking Code"
    )
    ot_carrier_id = fields.Many2one(related="ot_picking_id.carrier_id", string="Carrier")
    ot_carrier_status = fields.Selection(
        related="ot_picking_id.ot_carrier_status", string="Carrier Status"
    )
    # The customer's pending address request; never written to the contact without approval.
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

    _ot_dedup_key_unique = models.Constraint(
        "UNIQUE(ot_dedup_key)",
        "A ticket already exists for this shipment exception or chat request.",
    )

    # --- keeping ticket and shipment in step -----------------------------------------------------

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id") and not self.env.context.get("ot_skip_exception_sync"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                closing = self.filtered(
                    lambda t: not t.closed and t.ot_picking_id and t.ot_exception_type
                )
        result = super().write(vals)
        for ticket in closing:
            # sudo: stock.picking - closing the ticket resolves the shipment's exception; support
            # agents need no warehouse rights for that
            self.env["order.tracking.exception"].sudo()._ot_clear_exception(
                ticket.sudo().ot_picking_id,
                self.env._(
                    "Ticket %(ticket)s was closed by %(user)s.",
                    ticket=ticket.number,
                    user=self.env.user.name,
                ),
                only_type=ticket.ot_exception_type,
                close_tickets=False,
            )
        return result

    def _ot_stage(self, closed):
        """The first stage of the ticket's team that is closed (or open)."""
        self.ensure_one()
        stages = self.team_id._get_applicable_stages()
        return stages.filtered(lambda s: bool(s.closed) == closed)[:1]

    def _ot_close(self, reason):
        """Close the open tickets among ``self`` with ``reason`` logged, without touching their
        shipment (the caller already did)."""
        for ticket in self.filtered(lambda t: not t.closed):
            stage = ticket._ot_stage(closed=True)
            if not stage:
                _logger.warning("No closed stage for ticket %s", ticket.id)
                continue
            ticket.with_context(ot_skip_exception_sync=True).write({"stage_id": stage.id})
            ticket.message_post(body=reason, subtype_xmlid="mail.mt_note")
        return True

    def _ot_reopen(self, reason):
        for ticket in self.filtered("closed"):
            stage = ticket._ot_stage(closed=False)
            if stage:
                ticket.with_context(ot_skip_exception_sync=True).write({"stage_id": stage.id})
                ticket.message_post(body=reason, subtype_xmlid="mail.mt_note")
        return True

    # --- exception tickets -----------------------------------------------------------------------

    @api.model
    def _ot_exception_key(self, picking, exception_type):
        return f"exception:{picking.id}:{exception_type}"

    @api.model
    def _ot_find_by_key(self, key):
        # sudo: helpdesk.ticket - deduplication must see every ticket, not only the user's own
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("ot_dedup_key", "=", key)], limit=1)
        )

    @api.model
    def _ot_find_exception_ticket(self, picking, exception_type):
        """The ticket for ``exception_type`` on ``picking`` (open or closed), if any."""
        if not picking or not exception_type:
            return self.browse()
        return self._ot_find_by_key(self._ot_exception_key(picking, exception_type))

    @api.model
    def _ot_ensure_exception_ticket(self, picking, exception_type, reason=None):
        """The one ticket for ``exception_type`` on ``picking``: created when missing, reopened
        when a person had closed it, returned as is otherwise. Safe under reruns and concurrent
        workers (unique key, created in a savepoint)."""
        picking.ensure_one()
        ticket = self._ot_find_exception_ticket(picking, exception_type)
        if ticket:
            if ticket.closed:
                ticket._ot_reopen(
                    self.env._("The exception was detected again on the shipment; ticket reopened.")
                )
            if reason and ticket.ot_exception_reason != reason:
                ticket.ot_exception_reason = reason
            return ticket
        # sudo: helpdesk.ticket - exception tickets are raised by the system (cron, webhook,
        # carrier sync), whoever triggered it and whatever their helpdesk rights
        tickets = self.sudo()
        vals = tickets._ot_prepare_exception_ticket_vals(picking.sudo(), exception_type, reason)
        return tickets._ot_create_unique(vals)

    @api.model
    def _ot_create_unique(self, vals):
        """Create a ticket with a dedup key; if another transaction created it in the meantime,
        return that one instead (the unique constraint decides, not a prior search)."""
        try:
            with self.env.cr.savepoint():
                return self.create(vals)
        except psycopg2.IntegrityError:
            existing = self._ot_find_by_key(vals["ot_dedup_key"])
            if not existing:
                raise
            _logger.info("Ticket %s already existed, not duplicated", vals["ot_dedup_key"])
            return existing

    @api.model
    def _ot_team_and_category(self, kind, company):
        """Team and category configured for ``kind`` (an exception type, or ``'chat'``), falling
        back to the default team and the addon's categories. A team or category of another
        company is skipped: the team would move the ticket to its company."""
        settings = self.env["res.config.settings"]
        teams = self.env["helpdesk.ticket.team"]
        if kind == "chat":
            team_key = "team_chat"
            category_candidates = [
                self.env.ref("order_tracking_chatbot.helpdesk_category_chat", False)
            ]
        else:
            team_key = f"team_{kind}"
            category_candidates = [
                settings._ot_get_record(f"category_{kind}", "helpdesk.ticket.category"),
                self.env.ref(f"order_tracking_chatbot.helpdesk_category_{kind}", False),
            ]
        team_candidates = [
            settings._ot_get_record(team_key, teams._name),
            settings._ot_get_record("team_default", teams._name),
            self.env.ref("order_tracking_chatbot.helpdesk_team_shipping", False),
        ]

        def first_of_company(candidates, empty):
            for record in candidates:
                if record and record.company_id in (company, company.browse()):
                    return record
            return empty

        return (
            first_of_company(team_candidates, teams),
            first_of_company(category_candidates, self.env["helpdesk.ticket.category"]),
        )

    @api.model
    def _ot_prepare_exception_ticket_vals(self, picking, exception_type, reason):
        exceptions = self.env["order.tracking.exception"]
        order = picking.sale_id
        customer = order.partner_id or picking.partner_id
        escalation = exceptions._ot_escalation_reason(customer, picking.partner_id)
        priority = EXCEPTION_PRIORITY.get(exception_type, "1")
        if escalation:
            priority = _bump(priority)
        deadline = False
        if exception_type == "lost":
            hours = self.env["res.config.settings"]._ot_get_int("lost_deadline_hours")
            deadline = fields.Datetime.add(fields.Datetime.now(), hours=hours)
        team, category = self._ot_team_and_category(exception_type, picking.company_id)
        label = exceptions._ot_label("stock.picking", "ot_exception_type", exception_type)
        return {
            "name": self.env._(
                "%(exception)s: %(order)s (%(shipment)s)",
                exception=label,
                order=order.name or picking.origin or "",
                shipment=picking.name,
            ),
            "description": self._ot_exception_description(
                picking, exception_type, reason, escalation
            ),
            "partner_id": customer.id,
            "partner_name": customer.name,
            "partner_email": customer.email,
            "company_id": picking.company_id.id,
            "team_id": team.id,
            "category_id": category.id,
            # Unassigned: the team picks it up (OCA would assign whoever triggered the sync).
            "user_id": False,
            "priority": priority,
            "ot_picking_id": picking.id,
            "ot_sale_id": order.id,
            "ot_exception_type": exception_type,
            "ot_exception_reason": reason or False,
            "ot_dedup_key": self._ot_exception_key(picking, exception_type),
            "ot_deadline": deadline,
            "ot_escalation_reason": escalation or False,
            "ot_contact_mobile": customer.phone or False,
        }

    @api.model
    def _ot_staff_instruction(self, exception_type, reason):
        """What the agent should do, in the agent's language."""
        _ = self.env._
        instructions = {
            "late": _(
                "Ask the carrier why the parcel is late and tell the customer when it will arrive."
            ),
            "stale": _(
                "The carrier has stopped updating the tracking: ask them where the parcel is."
            ),
            "no_first_scan": _(
                "The carrier has not scanned the parcel since hand-over: check that it was picked "
                "up."
            ),
            "returned_to_sender": _(
                "Confirm the address with the customer before resending; an address change or a "
                "resend is always done by a person."
            ),
            "address_issue": _(
                "The customer received a secure link to complete the address. Review and approve "
                "the request on this ticket, then give the address to the carrier."
            ),
            "lost": _(
                "Open a claim with the carrier, collect what the claim needs from the customer and "
                "contact them before the deadline."
            ),
            "failed_attempt": _("Contact the customer to arrange a new delivery attempt."),
            "damaged": _(
                "Contact the customer about a replacement or a refund and open a claim with the "
                "carrier."
            ),
        }
        key = reason if exception_type == "delayed" and reason in instructions else exception_type
        return instructions.get(key) or instructions["late"]

    @api.model
    def _ot_exception_description(self, picking, exception_type, reason, escalation=False):
        """Ticket description: what happened, what to do, the shipment's facts and its carrier
        event history; every value is escaped (carrier texts are foreign input)."""
        exceptions = self.env["order.tracking.exception"]
        _ = self.env._
        destination = picking.partner_id
        facts = [
            (_("Order"), picking.sale_id.name or picking.origin or ""),
            (_("Shipment"), picking.name),
            (_("Carrier"), picking.carrier_id.name or ""),
            (_("Tracking code"), picking.carrier_tracking_ref or ""),
            (
                _("Destination"),
                ", ".join(filter(None, [destination.city, destination.state_id.name])),
            ),
            (
                _("Handed over"),
                format_datetime(self.env, picking.date_done) if picking.date_done else "",
            ),
        ]
        if escalation:
            facts.append((_("Escalated because"), escalation))
        body = Markup("<p><strong>%s</strong> — %s</p><p>%s</p><ul>%s</ul>") % (
            exceptions._ot_label("stock.picking", "ot_exception_type", exception_type),
            exceptions._ot_label("helpdesk.ticket", "ot_exception_reason", reason or "carrier"),
            self._ot_staff_instruction(exception_type, reason),
            Markup().join(
                Markup("<li>%s: %s</li>") % (label, value) for label, value in facts if value
            ),
        )
        return body + self._ot_events_table(picking)

    @api.model
    def _ot_events_table(self, picking):
        """The shipment's carrier events, newest first, as an escaped HTML table."""
        _ = self.env._
        events = picking.ot_event_ids[:HISTORY_ROWS]
        if not events:
            return Markup("<p>%s</p>") % _("No carrier event yet.")
        statuses = dict(
            self.env["order.tracking.event"]._fields["status"]._description_selection(self.env)
        )
        rows = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                format_datetime(self.env, event.occurred_at),
                statuses.get(event.status, event.status),
                event.raw_text,
                event.location or "",
            )
            for event in events
        )
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            _("Time"),
            _("Status"),
            _("Event"),
            _("Place"),
        )
        return Markup(
            '<table class="table table-sm"><thead>%s</thead><tbody>%s</tbody></table>'
        ) % (
            head,
            rows,
        )

    # --- chatbot tickets -------------------------------------------------------------------------

    @api.model
    def _ot_create_chat_ticket(
        self, kind, order=None, mobile=None, summary="", transcript_html=None, dedup_key=None
    ):
        """Open a ticket for a request the chatbot hands to a person (address change, return,
        cancellation, call-back, ...; ``kind`` in CHAT_KIND_SELECTION) and return it.

        :param order: the order it is about, when the customer proved it is theirs (the ticket is
            then linked to the order's customer, who may see it in the portal).
        :param mobile: the customer's mobile (E.164), recorded for a call-back, never used to
            link a contact (it may not be verified).
        :param summary: one line, plain text.
        :param transcript_html: the conversation; ``Markup`` is kept as HTML, text is escaped.
        :param dedup_key: the chat session's identity: the same session and kind give the same
            ticket, however often the call is repeated.

        A delay/shipment-problem request about a shipment that already has an exception goes on
        that exception's ticket instead of opening a second one.
        """
        if kind not in dict(CHAT_KIND_SELECTION):
            raise ValueError(f"Unknown chat ticket kind {kind!r}")
        # sudo: helpdesk.ticket - the chatbot opens tickets for website visitors, who have no
        # helpdesk rights; what goes in is chosen here, not by the visitor
        tickets = self.sudo()
        # sudo: sale.order - the caller already established the visitor's right to this order
        order = order.sudo() if order else self.env["sale.order"].sudo()
        picking = order.ot_main_picking_id if order else None
        if kind in CHAT_KINDS_ON_EXCEPTION and picking and picking.ot_exception_type:
            ticket = tickets._ot_ensure_exception_ticket(picking, picking.ot_exception_type)
            ticket.message_post(
                body=self._ot_chat_body(kind, order, mobile, summary, transcript_html),
                subtype_xmlid="mail.mt_note",
            )
            return ticket
        key = f"chat:{dedup_key}:{kind}" if dedup_key else False
        if key and (existing := tickets._ot_find_by_key(key)):
            return existing
        company = order.company_id or self.env.company
        team, category = tickets._ot_team_and_category("chat", company)
        kind_category = self.env.ref(f"order_tracking_chatbot.helpdesk_category_chat_{kind}", False)
        if kind_category and kind_category.company_id in (company, company.browse()):
            category = kind_category
        customer = order.partner_id
        priority = CHAT_PRIORITY.get(kind, "1")
        escalation = customer and self.env["order.tracking.exception"]._ot_escalation_reason(
            customer, order.partner_shipping_id
        )
        if escalation:
            priority = _bump(priority)
        kind_label = dict(self._fields["ot_chat_kind"]._description_selection(self.env))[kind]
        web_channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", False)
        vals = {
            "name": self.env._(
                "%(kind)s: %(subject)s",
                kind=kind_label,
                subject=order.name or mobile or self.env._("website visitor"),
            ),
            "description": self._ot_chat_body(kind, order, mobile, summary, transcript_html),
            "partner_id": customer.id or False,
            "partner_name": customer.name or False,
            "partner_email": customer.email or False,
            "company_id": company.id,
            "team_id": team.id,
            "category_id": category.id,
            "user_id": False,
            "priority": priority,
            "channel_id": web_channel.id if web_channel else False,
            "ot_sale_id": order.id or False,
            "ot_picking_id": picking.id if picking else False,
            "ot_chat_kind": kind,
            "ot_dedup_key": key,
            "ot_escalation_reason": escalation or False,
            "ot_contact_mobile": mobile or False,
        }
        return tickets._ot_create_unique(vals) if key else tickets.create(vals)

    @api.model
    def _ot_chat_body(self, kind, order, mobile, summary, transcript_html):
        _ = self.env._
        kind_label = dict(self._fields["ot_chat_kind"]._description_selection(self.env))[kind]
        facts = [
            (_("Request"), kind_label),
            (_("Order"), order.name if order else ""),
            (_("Mobile"), mobile or ""),
        ]
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            summary or _("Request from the website chat."),
            Markup().join(
                Markup("<li>%s: %s</li>") % (label, value) for label, value in facts if value
            ),
        )
        if transcript_html:
            transcript = (
                transcript_html
                if isinstance(transcript_html, Markup)
                else Markup("<pre>%s</pre>") % transcript_html
            )
            body += Markup("<p><strong>%s</strong></p>%s") % (_("Conversation"), transcript)
        return body

    # --- the customer's address request ----------------------------------------------------------

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

    def action_ot_approve_address(self):
        """Write the customer's requested address on the order's delivery address."""
        self.ensure_one()
        if self.ot_address_status != "pending":
            raise UserError(self.env._("There is no address request waiting for approval."))
        # sudo: sale.order - agents may lack sales rights; only the ticket's own order is read
        partner = self.sudo().ot_sale_id.partner_shipping_id or self.sudo().ot_picking_id.partner_id
        if not partner:
            raise UserError(self.env._("This ticket has no order with a delivery address."))
        # The ticket write comes first: it checks the agent may edit this ticket.
        self.write({"ot_address_status": "approved"})
        # sudo: res.partner - approving a delivery address is the agent's job; agents have no
        # right to edit contacts otherwise
        partner.sudo().write(
            {
                "street": self.ot_address_street,
                "street2": self.ot_address_street2 or False,
                "city": self.ot_address_city,
                "state_id": self.ot_address_state_id.id,
                "country_id": self.ot_address_state_id.country_id.id,
                "zip": self.ot_address_zip or False,
            }
        )
        self.message_post(
            body=self.env._(
                "%(user)s approved the address; it is now the delivery address of %(contact)s: "
                "%(address)s",
                user=self.env.user.name,
                contact=partner.name,
                address=self._ot_requested_address_text(),
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
