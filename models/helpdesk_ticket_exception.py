"""Helpdesk tickets for shipment exceptions: one per (shipment, exception type), opened by the
exception rules, the carrier sync and webhooks, closed when the exception clears, and closing the
ticket clears the exception (a context flag stops the second write from echoing back).
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_datetime

from .helpdesk_ticket import bump_priority
from .stock_picking import EXCEPTION_REASON_SELECTION, EXCEPTION_SELECTION

# Helpdesk priorities: "0" low .. "3" very high. Escalation adds one level.
EXCEPTION_PRIORITY = {
    "delayed": "1",
    "failed_attempt": "1",
    "address_issue": "1",
    "returned_to_sender": "2",
    "damaged": "2",
    "lost": "3",
}
HISTORY_ROWS = 50


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    ot_exception_type = fields.Selection(
        EXCEPTION_SELECTION, string="Shipment Exception", readonly=True, copy=False
    )
    ot_exception_reason = fields.Selection(
        EXCEPTION_REASON_SELECTION, string="Exception Reason", readonly=True, copy=False
    )
    ot_deadline = fields.Datetime(string="Handle Before", copy=False, tracking=True)
    ot_tracking_ref = fields.Char(
        related="ot_picking_id.carrier_tracking_ref", string="Tracking Code"
    )
    ot_carrier_id = fields.Many2one(related="ot_picking_id.carrier_id", string="Carrier")
    ot_carrier_status = fields.Selection(
        related="ot_picking_id.ot_carrier_status", string="Carrier Status"
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

    # --- exception tickets -----------------------------------------------------------------------

    @api.model
    def _ot_exception_key(self, picking, exception_type):
        return f"exception:{picking.id}:{exception_type}"

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
    def _ot_prepare_exception_ticket_vals(self, picking, exception_type, reason):
        exceptions = self.env["order.tracking.exception"]
        order = picking.sale_id
        customer = order.partner_id or picking.partner_id
        escalation = exceptions._ot_escalation_reason(customer, picking.partner_id)
        priority = EXCEPTION_PRIORITY.get(exception_type, "1")
        if escalation:
            priority = bump_priority(priority)
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
