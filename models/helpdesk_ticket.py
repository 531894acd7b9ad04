"""Helpdesk tickets (OCA `helpdesk_mgmt`) for shipment exceptions and chatbot requests: what both
share (the links to the order and shipment, deduplication, stages, team and category).

Exception tickets are in helpdesk_ticket_exception.py, chatbot tickets in helpdesk_ticket_chat.py.
Exactly one ticket exists per (shipment, exception) and per (chat session, request kind): the
``ot_dedup_key`` is unique in the database, so reruns, webhooks and two workers racing each other
all end on the same ticket.

The customer's address request on exception tickets and its approval are in
helpdesk_ticket_address.py.
"""

import logging

import psycopg2

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


def bump_priority(priority):
    """Helpdesk priorities: "0" low .. "3" very high. Escalation adds one level."""
    return str(min(int(priority) + 1, 3))


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    ot_picking_id = fields.Many2one(
        "stock.picking", string="Shipment", index="btree_not_null", readonly=True, copy=False
    )
    ot_sale_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", readonly=True, copy=False
    )
    ot_dedup_key = fields.Char(
        string="Deduplication Key",
        readonly=True,
        copy=False,
        help="Identifies what the ticket is about (shipment and exception, or chat session and "
        "request), so that it is never opened twice.",
    )
    ot_escalation_reason = fields.Char(string="Escalated Because", readonly=True, copy=False)
    ot_contact_mobile = fields.Char(string="Contact Mobile", copy=False)

    _ot_dedup_key_unique = models.Constraint(
        "UNIQUE(ot_dedup_key)",
        "A ticket already exists for this shipment exception or chat request.",
    )

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

    @api.model
    def _ot_find_by_key(self, key):
        # sudo: helpdesk.ticket - deduplication must see every ticket, not only the user's own
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("ot_dedup_key", "=", key)], limit=1)
        )

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
