"""Shipment exception rules: what makes a shipment a problem, and what happens then.

The seed's exception table as code. Two kinds of exceptions reach a shipment:

- reported by the carrier (returned to sender, lost, incomplete address, failed attempt, damaged,
  delayed), handed in by the carrier sync through :meth:`_ot_on_tracking_update`;
- found by our own rules on shipped, undelivered parcels (:meth:`_ot_delay_reason`):
  *late* (not delivered N business days after hand-over, N per carrier × destination province),
  *no first scan* (the carrier never scanned it) and *stale* (no carrier event for N business
  days). All three are the ``delayed`` exception; the reason is kept on the shipment and its ticket.

Raising an exception writes the picking's ``ot_exception_*`` fields (type, reason, time; the next
step is rendered from them in each reader's language), opens exactly one helpdesk ticket per
(shipment, exception) and queues the customer's notification. Delivery, or a person closing the
ticket, clears it. A person's decision is respected: a ticket closed after the carrier's latest
news is not reopened by the same news, and closing a delay ticket restarts the delay clocks from
that moment.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..conversation.normalize import normalize_text
from ..conversation.replies import exception_next_step
from .stock_picking import EXCEPTION_SELECTION

_logger = logging.getLogger(__name__)

# Why a shipment is delayed: our rules, or the carrier said so.
RULE_REASONS = ("late", "no_first_scan", "stale")
# Statuses that are not a physical scan: the label exists, the parcel may not.
NOT_SCANNED_STATUSES = ("Pending", "InfoReceived")
# Shipments handed over longer ago than this are people's business, not the rules'.
WATCH_DAYS = 60
# Exception types whose customer gets the secure link to complete or confirm the address.
ADDRESS_EXCEPTIONS = ("address_issue", "returned_to_sender")


class OrderTrackingException(models.AbstractModel):
    _name = "order.tracking.exception"
    _description = "Order Tracking Exception Rules"

    # --- entry points ----------------------------------------------------------------------------

    @api.model
    def _ot_on_tracking_update(self, picking, exception_hint=None):
        """Apply the exception rules to shipments that just received new carrier events.

        Called by the carrier sync (poll or webhook) after it stored the new events and status,
        only when something new arrived. ``exception_hint`` is the exception the carrier's newest
        events imply (one of the ``ot_exception_type`` codes, see ``carriers.base.hint_for``) or
        ``None``.

        - Delivered: any exception is cleared and its ticket closed.
        - A hint raises that exception (replacing another one and closing its ticket), unless a
          person already closed a ticket for it after the carrier's latest event.
        - No hint keeps an exception the carrier reported (a person resolves it), but a delay
          found by our rules clears once the rules no longer find it (the parcel moves again).
        - Then the late/stale rules run for the shipment.
        """
        for shipment in picking:
            if shipment.ot_carrier_status == "Delivered":
                if shipment.ot_exception_type:
                    self._ot_clear_exception(
                        shipment, self.env._("The carrier delivered the parcel.")
                    )
                continue
            if exception_hint:
                self._ot_apply_carrier_hint(shipment, exception_hint)
            self._ot_apply_rules(shipment)
        return True

    @api.model
    def _cron_detect_exceptions(self, batch_size=200):
        """Run the late/stale rules on every shipped, undelivered, tracked shipment.

        Batched by id with progress committed after each batch; a savepoint per shipment, so one
        broken shipment is logged and skipped rather than stopping the run. Safe to re-run and to
        kill half-way: the rules are idempotent and tickets are unique per (shipment, exception).
        """
        pickings = self.env["stock.picking"]
        domain = self._ot_watch_domain()
        cron = self.env["ir.cron"]
        last_id = 0
        while True:
            batch = pickings.search(
                Domain.AND([domain, [("id", ">", last_id)]]), order="id", limit=batch_size
            )
            if not batch:
                cron._commit_progress(remaining=0)
                return
            failed = 0
            for shipment in batch:
                try:
                    with self.env.cr.savepoint():
                        self._ot_apply_rules(shipment)
                except Exception:
                    failed += 1
                    _logger.exception("Exception rules failed for shipment %s", shipment.id)
            if failed:
                _logger.warning("Exception rules failed for %s of %s shipments", failed, len(batch))
            last_id = batch[-1].id
            remaining = pickings.search_count(Domain.AND([domain, [("id", ">", last_id)]]))
            if not cron._commit_progress(len(batch), remaining=remaining) or not remaining:
                return

    @api.model
    def _ot_watch_domain(self):
        """Shipments the rules watch: customer deliveries handed over recently, not delivered,
        that the carrier sync tracks (it polls them or they already have events). Shipments of
        carriers that never report anything are not watched: they would all look late."""
        since = fields.Datetime.now() - timedelta(days=WATCH_DAYS)
        return Domain.AND(
            [
                [("picking_type_code", "=", "outgoing")],
                [("state", "=", "done")],
                [("date_done", ">=", since)],
                [("ot_carrier_status", "!=", "Delivered")],
                Domain.OR(
                    [[("ot_next_check_at", "!=", False)], [("ot_last_event_at", "!=", False)]]
                ),
            ]
        )

    # --- rules -----------------------------------------------------------------------------------

    @api.model
    def _ot_apply_carrier_hint(self, picking, hint):
        if hint not in dict(EXCEPTION_SELECTION):
            _logger.warning("Unknown exception hint %r for shipment %s", hint, picking.id)
            return False
        tickets = self.env["helpdesk.ticket"]
        if picking.ot_exception_type == hint:
            # Already raised: only make sure its ticket exists (idempotent).
            tickets._ot_ensure_exception_ticket(picking, hint, reason="carrier")
            return False
        if self._ot_handled_since_last_event(picking, hint):
            return False
        self._ot_raise(picking, hint, "carrier")
        return True

    @api.model
    def _ot_apply_rules(self, picking):
        """Raise or clear the rule-based delay of one shipment; returns the delay reason or False.

        A carrier-reported exception outranks a delay: the rules then do nothing."""
        current = picking.ot_exception_type
        if current and current != "delayed":
            return False
        reason = self._ot_delay_reason(picking)
        if reason:
            if not current:
                self._ot_raise(picking, "delayed", reason)
            return reason
        if current == "delayed":
            ticket = self.env["helpdesk.ticket"]._ot_find_exception_ticket(picking, "delayed")
            if ticket.ot_exception_reason in RULE_REASONS:
                self._ot_clear_exception(
                    picking, self.env._("The carrier reported the parcel moving again.")
                )
        return False

    @api.model
    def _ot_delay_reason(self, picking, now=None):
        """Why a shipped, undelivered parcel counts as delayed now: ``'late'``,
        ``'no_first_scan'``, ``'stale'``, or ``False``.

        Delays are counted in business days of the company's calendar (weekends such as
        Iran's Friday and public holidays do not count), and the day a clock starts does not
        count either. A delay ticket a person closed restarts the clocks from its closing.
        """
        if picking.state != "done" or not picking.date_done:
            return False
        if picking.ot_carrier_status == "Delivered":
            return False
        settings = self.env["res.config.settings"]
        eta = self.env["order.tracking.eta"]
        company = picking.company_id
        today = eta._ot_local_date(now or fields.Datetime.now(), company)
        acknowledged = self._ot_acknowledged_at(picking)

        deadline = eta._ot_add_business_days(
            picking.date_done, self._ot_late_after_days(picking), company
        )
        acknowledged_day = eta._ot_local_date(acknowledged, company) if acknowledged else None
        if today > deadline and not (acknowledged_day and acknowledged_day > deadline):
            return "late"

        events = picking.ot_event_ids
        scanned = events.filtered(lambda e: e.status not in NOT_SCANNED_STATUSES)
        if not scanned:
            start = max(filter(None, [picking.date_done, acknowledged]))
            limit = eta._ot_add_business_days(
                start, settings._ot_get_int("first_scan_days"), company
            )
            if today > limit:
                return "no_first_scan"
        if events:
            last_event = picking.ot_last_event_at or max(events.mapped("occurred_at"))
            start = max(filter(None, [last_event, acknowledged]))
            limit = eta._ot_add_business_days(
                start, settings._ot_get_int("stale_after_days"), company
            )
            if today > limit:
                return "stale"
        return False

    @api.model
    def _ot_late_after_days(self, picking):
        """Business days after hand-over before the shipment is late: the lead-time row's own
        limit, else the settings' default but never before the row's promised maximum."""
        default = self.env["res.config.settings"]._ot_get_int("late_after_days")
        row = self.env["order.tracking.lead.time"]._ot_find(
            picking.carrier_id, picking.partner_id.state_id
        )
        if row.late_after_days:
            return row.late_after_days
        return max(default, row.max_days) if row else default

    @api.model
    def _ot_acknowledged_at(self, picking):
        """When a person closed the shipment's delay ticket, if one is closed."""
        ticket = self.env["helpdesk.ticket"]._ot_find_exception_ticket(picking, "delayed")
        return ticket.closed_date if ticket and ticket.closed else None

    @api.model
    def _ot_handled_since_last_event(self, picking, exception_type):
        """True when a ticket for this exception was closed after the carrier's newest event:
        the carrier repeating itself must not undo a person's decision."""
        ticket = self.env["helpdesk.ticket"]._ot_find_exception_ticket(picking, exception_type)
        if not ticket or not ticket.closed or not ticket.closed_date:
            return False
        newest = picking.ot_last_event_at or picking.date_done
        return bool(newest) and ticket.closed_date >= newest

    # --- raising and clearing --------------------------------------------------------------------

    @api.model
    def _ot_raise(self, picking, exception_type, reason):
        """Set ``exception_type`` on the shipment, open (or reopen) its ticket and notify the
        customer. A different exception the shipment had is replaced and its ticket closed."""
        previous = picking.ot_exception_type
        picking.write(
            {
                "ot_exception_type": exception_type,
                "ot_exception_detected_at": fields.Datetime.now(),
                "ot_exception_reason": reason,
            }
        )
        picking.message_post(
            body=self.env._(
                "Shipment exception: %(exception)s (%(reason)s).",
                exception=self._ot_label("stock.picking", "ot_exception_type", exception_type),
                reason=self._ot_label("helpdesk.ticket", "ot_exception_reason", reason),
            ),
            subtype_xmlid="mail.mt_note",
        )
        tickets = self.env["helpdesk.ticket"]
        if previous and previous != exception_type:
            tickets._ot_find_exception_ticket(picking, previous)._ot_close(
                self.env._(
                    "Replaced by a new exception on the shipment: %(exception)s.",
                    exception=self._ot_label("stock.picking", "ot_exception_type", exception_type),
                )
            )
        ticket = tickets._ot_ensure_exception_ticket(picking, exception_type, reason=reason)
        self._ot_notify_customer(picking, exception_type)
        return ticket

    @api.model
    def _ot_clear_exception(self, picking, reason, only_type=None, close_tickets=True):
        """Clear the shipment's exception (when it is ``only_type``, if given), log ``reason`` on
        the shipment, and close its ticket unless the ticket is what asked for it."""
        previous = picking.ot_exception_type
        if not previous or (only_type and previous != only_type):
            return False
        picking.write(
            {
                "ot_exception_type": False,
                "ot_exception_detected_at": False,
                "ot_exception_reason": False,
            }
        )
        picking.message_post(
            body=self.env._(
                "Shipment exception resolved: %(exception)s. %(reason)s",
                exception=self._ot_label("stock.picking", "ot_exception_type", previous),
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if close_tickets:
            self.env["helpdesk.ticket"]._ot_find_exception_ticket(picking, previous)._ot_close(
                reason
            )
        return True

    @api.model
    def _ot_label(self, model, field, value):
        """The label of selection ``value`` in the environment's language."""
        selection = self.env[model]._fields[field]._description_selection(self.env)
        return dict(selection).get(value, value or "")

    # --- customer side ---------------------------------------------------------------------------

    @api.model
    def _ot_customer_lang(self, picking):
        partner = picking.sale_id.partner_id or picking.partner_id
        return partner.lang or self.env.lang or "en_US"

    @api.model
    def _ot_deadline_hours(self, exception_type):
        """The hours within which the team promises to come back, for exceptions that have one."""
        if exception_type == "lost":
            return self.env["res.config.settings"]._ot_get_int("lost_deadline_hours")
        return None

    @api.model
    def _ot_next_step(self, picking, lang):
        """What happens next for the shipment's exception, in ``lang`` (False without one).

        The wording is the chatbot's catalogue (conversation/replies.py), so the chat, the
        customer notice and the shipment form say the same thing.
        """
        exception_type = picking.ot_exception_type
        if not exception_type:
            return False
        return exception_next_step(
            exception_type,
            lang,
            reason=picking.ot_exception_reason or None,
            hours=self._ot_deadline_hours(exception_type),
        )

    @api.model
    def _ot_notify_customer(self, picking, exception_type):
        """Tell the customer about a new exception on their shipment.

        Queues the exception's customer notification (SMS and email as switched on, with the
        apology, the catalogue's next step and, when the address is in question, the secure
        address link; see ``order.tracking.notification``) and returns the rows created: one
        per (shipment, exception, channel), so raising the same exception again sends nothing.
        Does nothing (returns an empty recordset) without an order.
        """
        notifications = self.env["order.tracking.notification"]
        order = picking.sale_id
        if not order:
            return notifications
        if exception_type in ADDRESS_EXCEPTIONS:
            # The link works from now on (the chat and the agent may give it before the message).
            self._ot_address_completion_url(order)
        return notifications._ot_notify(exception_type, order, picking)

    @api.model
    def _ot_address_completion_url(self, order):
        """The secure link where the customer of ``order`` completes or confirms the address
        (the order's portal access token proves who they are)."""
        # sudo: sale.order - the access token is created by the system for the customer's link
        order_sudo = order.sudo()
        token = order_sudo._portal_ensure_token()
        path = f"/order-tracking/address/{order_sudo.id}?access_token={token}"
        return order_sudo.get_base_url() + path

    @api.model
    def _ot_escalation_reason(self, customer, destination=None):
        """Why exception tickets of this customer / destination address get a higher priority:
        a VIP tag on the customer, or a destination province or city on the escalation lists;
        ``False`` when none applies."""
        settings = self.env["res.config.settings"]
        destination = destination or customer
        vip = settings._ot_get_record("vip_category_id", "res.partner.category")
        tags = customer.category_id | customer.commercial_partner_id.category_id
        if vip and vip in tags:
            return self.env._("VIP customer")
        state = destination.state_id
        if state and state.id in settings._ot_get_id_list("escalation_state_ids"):
            return self.env._("Shipment to %(province)s", province=state.name)
        city = normalize_text(destination.city)
        if city:
            cities = (
                self.env["order.tracking.city"]
                .browse(settings._ot_get_id_list("escalation_city_ids"))
                .exists()
            )
            for candidate in cities:
                names = [candidate.name, candidate.name_fa, *(candidate.aliases or "").split(",")]
                if city in {normalize_text(name) for name in names if name and name.strip()}:
                    return self.env._("Shipment to %(city)s", city=candidate.name)
        return False

    # --- demo ------------------------------------------------------------------------------------

    @api.model
    def _ot_load_demo_tickets(self):
        """Demo: give the demo shop's exception orders their tickets (idempotent)."""
        orders = self.env["sale.order"].search([("client_order_ref", "=like", "DEMO-%")])
        for picking in orders.picking_ids.filtered("ot_exception_type"):
            reason = "carrier"
            if picking.ot_exception_type == "delayed":
                reason = self._ot_delay_reason(picking) or "late"
            self.env["helpdesk.ticket"]._ot_ensure_exception_ticket(
                picking, picking.ot_exception_type, reason=reason
            )
            self._ot_notify_customer(picking, picking.ot_exception_type)
