"""The conversation engine's data source in Odoo: `conversation.backend.Backend` on the ORM.

`order.tracking.chat.backend` holds the queries (orders by number, by mobile, by tracking code,
shipping quotes, tickets, live operators); :class:`ChatBackend` is the small per-turn object the
policy is given, bound to one chat session and language. It also remembers which orders the turn
looked at, for the session record and the audit trail.

Two properties matter beyond correctness:

- **Constant work per turn.** Every lookup is a fixed number of queries whatever the number of
  orders, and an order's level-2 details (items, events, address, payment, invoice) are only
  read when the policy actually shows them (:class:`LazyOrderView`).
- **No existence oracle.** Looking up an unknown order number builds the level-1 view of a
  stand-in order and throws it away, so known and unknown numbers cost the same queries.

Everything here runs as superuser on behalf of an anonymous visitor (the chat API has no Odoo
login); what may be shown is decided by the policy's disclosure rules, and every disclosure is
audited by the session.
"""

import json
import logging
import re

from pytz import utc

from odoo import api, fields, models
from odoo.tools import SQL, ormcache

from ..conversation.backend import OrderView, QuoteView
from ..conversation.entities import order_ref_variants
from ..conversation.jalali import time_label
from ..conversation.normalize import mask_mobile
from ..conversation.policy import Policy
from ..conversation.replies import exception_label, exception_next_step, stage_label
from .stock_picking import TRACKING_CODES_SQL

_logger = logging.getLogger(__name__)

# Fields of OrderView read only once they may be shown, each group by one loader on first access:
# the summary after the level-1 check, the details at level 2. Before the check a lookup reads
# nothing but the order's id and mobile, so known and unknown numbers cost the same.
SUMMARY_FIELDS = frozenset(
    {
        "stage",
        "eta_text",
        "carrier_label",
        "last_event",
        "exception_type",
        "exception_reason",
        "exception_deadline_hours",
        "update_interval_hours",
    }
)
# The tracking code and link: shown with the details, and the link is computed by the carrier
# (stock_delivery's carrier_tracking_url), which costs more than the rest of the summary.
TRACKING_FIELDS = frozenset({"tracking_code", "tracking_url"})
DETAIL_FIELDS = frozenset(
    {
        "created_at",
        "items",
        "masked_address",
        "events",
        "payment_state",
        "payment_ref",
        "has_invoice",
        "invoice_url",
        "total_text",
    }
)
SUMMARY_ORDER_FIELDS = [
    "ot_customer_stage",
    "ot_main_picking_id",
    "carrier_id",
    "company_id",
    "partner_shipping_id",
]
SUMMARY_PICKING_FIELDS = [
    "carrier_id",
    "state",
    "date_done",
    "ot_eta",
    "ot_last_event_text",
    "ot_exception_type",
    "ot_exception_reason",
]
# Ticket kinds that are opened without the order being proven theirs (level 3 never reads it).
UNVERIFIED_TICKET_KINDS = ("change_address", "return_request", "cancel_order", "callback")
MAX_EVENTS = 10


# field -> the attribute of LazyOrderView holding the loader of its group
_LAZY_GROUPS = {
    **dict.fromkeys(SUMMARY_FIELDS, "_ot_summary"),
    **dict.fromkeys(TRACKING_FIELDS, "_ot_tracking"),
    **dict.fromkeys(DETAIL_FIELDS, "_ot_details"),
}


class LazyOrderView(OrderView):
    """An OrderView whose summary and level-2 details are read from the database on first access.

    Built with its ref and mobile only (what the level-1 check needs); ``dataclasses.replace``
    (used by the disclosure rules to redact) reads every field and so builds a plain copy.
    """

    def __getattribute__(self, name):
        group = _LAZY_GROUPS.get(name)
        if group:
            data = object.__getattribute__(self, "__dict__")
            loader = data.get(group)
            if loader is not None:
                data[group] = None
                data.update(loader())
        return object.__getattribute__(self, name)


def _is_persian(lang):
    return bool(lang) and lang.startswith("fa")


class ChatBackend:
    """The Backend protocol for one chat turn (see conversation/backend.py for the contract)."""

    def __init__(self, model, session, lang):
        self.model = model
        self.session = session
        self.lang = lang
        self.orders = {}  # ref -> sale.order of the views handed to the policy
        self.last_order = model.env["sale.order"]
        self.listed_orders = model.env["sale.order"]
        self.tickets = model.env["helpdesk.ticket"]
        # The vals of the visitor's message of this turn: stored with the bot's answers in one
        # INSERT at the end of the turn, or before anything that copies the transcript.
        self.user_message = None
        # That message once stored early (see store_user_message), to add the turn's intent.
        self.stored_user_message = model.env["order.tracking.chat.message"]

    def _remember(self, order, name=None):
        if order:
            self.orders[(name or order.name).upper()] = order
            self.last_order = order

    def order_for(self, view):
        """The sale.order behind a view the policy returned (redacted views lose the ref)."""
        if view is not None and view.ref and view.ref.upper() in self.orders:
            return self.orders[view.ref.upper()]
        return self.last_order

    def find_order(self, ref):
        order, name, mobile = self.model._ot_search_order(self.session, ref)
        if not order:
            return None
        self._remember(order, name)
        return self.model._ot_order_view(order, self.lang, mobile=mobile, name=name)

    def orders_for_mobile(self, e164, limit=3):
        orders = self.model._ot_orders_for_mobile(self.session, e164, limit)
        self.listed_orders = orders
        views = []
        for order in orders:
            self.orders[order.name.upper()] = order
            views.append(self.model._ot_order_view(order, self.lang))
        return views

    def find_by_tracking_code(self, code):
        order, picking = self.model._ot_search_tracking_code(self.session, code)
        if not order:
            return None
        self._remember(order)
        return self.model._ot_order_view(order, self.lang, picking=picking, tracking_code=code)

    def send_otp(self, e164, purpose):
        return self.model._ot_send_otp(self.session, e164, purpose, self.lang)

    def check_otp(self, e164, code):
        return self.model.env["order.tracking.otp"]._ot_check(self.session, e164, code)

    def shipping_quote(self, city_id):
        return self.model._ot_shipping_quote(self.session, city_id, self.lang)

    def shipping_methods(self):
        return self.model._ot_shipping_methods(self.session, self.lang)

    def take_user_message(self):
        """The visitor's message of this turn if it is not stored yet (and forget it)."""
        vals, self.user_message = self.user_message, None
        return vals

    def store_user_message(self):
        """Store the visitor's message of this turn now: the transcript is about to be copied."""
        vals = self.take_user_message()
        if vals:
            self.stored_user_message = self.model.env["order.tracking.chat.message"].create(vals)

    def open_ticket(self, kind, order_ref, mobile, summary):
        self.store_user_message()
        ticket = self.model._ot_open_ticket(self.session, kind, order_ref, mobile, summary)
        self.tickets |= ticket
        return ticket.number if ticket.number and ticket.number != "/" else str(ticket.id)

    def operator_available(self):
        return self.model._ot_operator_available(self.session)


class OrderTrackingChatBackend(models.AbstractModel):
    _name = "order.tracking.chat.backend"
    _description = "Order Tracking Chat Data Source"

    @api.model
    def _ot_backend(self, session, lang):
        """The Backend object the conversation policy is given for one turn of ``session``."""
        return ChatBackend(self, session, lang)

    # --- configuration for the policy -------------------------------------------------------

    @api.model
    def _ot_cities(self):
        """``(id, English name, Persian name, aliases...)`` of the active cities, in order."""
        cities = self.env["order.tracking.city"].search_fetch(
            [], ["name", "name_fa", "aliases"], order="sequence, id"
        )
        return [
            (
                city.id,
                city.name,
                city.name_fa,
                *[alias.strip() for alias in (city.aliases or "").split(",") if alias.strip()],
            )
            for city in cities
        ]

    @api.model
    def _ot_order_ref_pattern(self):
        pattern = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("order_tracking_chatbot.order_ref_pattern")
        )
        if not pattern:
            return None
        try:
            re.compile(pattern)
        except re.error:
            _logger.warning("Ignoring the invalid order number pattern in the settings")
            return None
        return pattern

    # --- orders -------------------------------------------------------------------------------

    @api.model
    def _ot_order_domain(self, session):
        return [("company_id", "in", session.company_id.ids)]

    @api.model
    def _ot_search_order(self, session, ref):
        """``(order, name, mobile)`` of the order numbered ``ref`` (any case) in the session's
        company, or ``(empty recordset, None, None)``; the mobile is the one codes go to (see
        :meth:`_ot_order_mobile`). The name comes with it so that nothing of the order is read
        before it is shown.

        One indexed query (``upper(name)``, see sale_order.py) whether the number exists or not,
        and nothing else is read before the visitor proves the order theirs, so the answer time
        does not tell which numbers exist. "S-00044" finds S00044 and "TS104233" TS-104233
        (:func:`order_ref_variants`); the spelling as typed wins if both exist.
        """
        orders = self.env["sale.order"]
        ref = (ref or "").strip().upper()
        if not ref:
            return orders, None, None
        orders.flush_model(["name", "company_id", "partner_id", "partner_shipping_id"])
        self.env["res.partner"].flush_model(["ot_mobile_e164", "commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT so.id, so.name, COALESCE(customer.ot_mobile_e164, company.ot_mobile_e164,
                                                shipping.ot_mobile_e164)
                  FROM sale_order so
                  JOIN res_partner customer ON customer.id = so.partner_id
             LEFT JOIN res_partner company ON company.id = customer.commercial_partner_id
             LEFT JOIN res_partner shipping ON shipping.id = so.partner_shipping_id
                 WHERE upper(so.name) = ANY(%s) AND so.company_id = ANY(%s)
              ORDER BY upper(so.name) = %s DESC, so.id
                 LIMIT 1
                """,
                order_ref_variants(ref),
                session.company_id.ids,
                ref,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return orders, None, None
        return orders.browse(row[0]), row[1], row[2]

    @api.model
    def _ot_order_mobile(self, order):
        """The mobile codes for ``order`` go to: the customer's, else their company's, else the
        delivery contact's."""
        for partner in (
            order.partner_id,
            order.partner_id.commercial_partner_id,
            order.partner_shipping_id,
        ):
            if partner.ot_mobile_e164:
                return partner.ot_mobile_e164
        return None

    @api.model
    def _ot_orders_for_mobile(self, session, e164, limit=3):
        """The latest orders whose mobile (see :meth:`_ot_order_mobile`) is ``e164``.

        One query: the contacts with that mobile (indexed), then their orders as customer,
        company or delivery contact (each an indexed column), newest first.
        """
        orders = self.env["sale.order"]
        if not e164:
            return orders
        orders.flush_model(["partner_id", "partner_shipping_id", "company_id", "date_order"])
        self.env["res.partner"].flush_model(["ot_mobile_e164", "commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH owner AS (
                    SELECT id FROM res_partner WHERE ot_mobile_e164 = %(mobile)s
                ), person AS (
                    SELECT id FROM owner
                     UNION
                    SELECT member.id FROM res_partner member
                     WHERE member.commercial_partner_id IN (SELECT id FROM owner)
                ), candidate AS MATERIALIZED (
                    -- Each branch is an indexed lookup; sorted afterwards. Left to itself the
                    -- planner walks the date_order index of every order and filters (seconds
                    -- at 100,000 orders).
                    SELECT so.id, so.date_order FROM sale_order so
                     WHERE so.partner_id IN (SELECT id FROM person)
                       AND so.company_id = ANY(%(companies)s)
                     UNION
                    SELECT so.id, so.date_order FROM sale_order so
                     WHERE so.partner_shipping_id IN (SELECT id FROM owner)
                       AND so.company_id = ANY(%(companies)s)
                )
                SELECT id FROM candidate
              ORDER BY date_order DESC, id DESC
                 LIMIT %(limit)s
                """,
                mobile=e164,
                companies=session.company_id.ids,
                limit=limit * 4,
            )
        )
        candidates = orders.browse([row[0] for row in self.env.cr.fetchall()])
        # The customer's own mobile wins over their company's: keep the orders codes go to e164.
        return candidates.filtered(lambda o: self._ot_order_mobile(o) == e164)[:limit]

    @api.model
    def _ot_mobile_has_orders(self, session, e164):
        return bool(self._ot_orders_for_mobile(session, e164, limit=1))

    @api.model
    def _ot_search_tracking_code(self, session, code):
        """``(order, picking)`` of the customer shipment with tracking code ``code``.

        A picking shipped in several parcels holds "code1,code2": each code finds it, exactly
        (never a prefix or a substring of another code), through the index of the codes as an
        array (see stock_picking.py): one indexed query whether the code exists or not.
        """
        pickings = self.env["stock.picking"]
        code = (code or "").strip().upper()
        if not code:
            return self.env["sale.order"], pickings
        pickings.flush_model(["carrier_tracking_ref", "sale_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH match AS MATERIALIZED (
                    -- Only the indexed condition here: with ORDER BY id LIMIT 1 beside it the
                    -- planner walks the primary key and splits every row's codes instead.
                    SELECT id, sale_id, company_id
                      FROM stock_picking
                     WHERE carrier_tracking_ref IS NOT NULL AND %s @> ARRAY[%s]::text[]
                )
                SELECT id FROM match
                 WHERE sale_id IS NOT NULL AND company_id = ANY(%s)
              ORDER BY id DESC
                 LIMIT 1
                """,
                SQL(TRACKING_CODES_SQL),
                code,
                session.company_id.ids,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.env["sale.order"], pickings
        picking = pickings.browse(row[0])
        return picking.sale_id, picking

    # --- the order as the chat may show it ------------------------------------------------------

    @api.model
    def _ot_iso(self, value, company):
        """``value`` (naive UTC) as ISO 8601 with the shop's offset: 2025-12-21T10:22:00+03:30."""
        if not value:
            return None
        aware = utc.localize(value) if not value.tzinfo else value
        shop_tz = self.env["order.tracking.eta"]._ot_shop_tz(company)
        return aware.astimezone(shop_tz).replace(microsecond=0).isoformat()

    @api.model
    def _ot_order_view(
        self, order, lang, picking=None, tracking_code=None, mobile=False, name=None
    ):
        """The :class:`LazyOrderView` of ``order`` in ``lang``.

        :param picking: the shipment to talk about (default: the order's main shipment)
        :param tracking_code: the code the customer typed, when the order was found by it
        :param mobile: the order's mobile when the caller read it already (see
            :meth:`_ot_search_order`); read here otherwise
        :param name: the order's number, when the caller read it already
        """
        view = LazyOrderView(
            ref=name or order.name,
            stage=None,
            mobile_e164=self._ot_order_mobile(order) if mobile is False else mobile,
        )
        view._ot_summary = lambda: self._ot_order_summary(order, picking, lang)
        view._ot_tracking = lambda: self._ot_order_tracking(order, picking, tracking_code)
        view._ot_details = lambda: self._ot_order_details(
            order, picking or order.ot_main_picking_id, lang
        )
        return view

    @api.model
    def _ot_order_tracking(self, order, picking, tracking_code):
        """The tracking code(s) and link of an order's view; with ``tracking_code`` (the code the
        customer typed) only that parcel's."""
        picking = picking or order.ot_main_picking_id
        codes = [c.strip() for c in (picking.carrier_tracking_ref or "").split(",") if c.strip()]
        if tracking_code:
            codes = [c for c in codes if c.casefold() == tracking_code.casefold()] or codes
        return {
            "tracking_code": ", ".join(codes) or None,
            "tracking_url": self._ot_tracking_url(picking, codes) if codes else None,
        }

    @api.model
    def _ot_order_summary(self, order, picking, lang):
        """The level-1 fields of an order's view: stage, ETA, carrier, last event, exception."""
        order = order.with_context(lang=lang)
        # Only the columns the summary reads: an order or shipment row has a hundred others.
        order.fetch(SUMMARY_ORDER_FIELDS)
        picking = (picking or order.ot_main_picking_id).with_context(lang=lang)
        picking.fetch(SUMMARY_PICKING_FIELDS)
        carrier = picking.carrier_id or order.carrier_id
        return {
            "stage": order.ot_customer_stage or "registered",
            "eta_text": self._ot_eta_text(order, picking, carrier, lang),
            "carrier_label": carrier._ot_customer_label() if carrier else None,
            "last_event": picking.ot_last_event_text or None,
            "exception_type": picking.ot_exception_type or None,
            "exception_reason": picking.ot_exception_reason or None,
            "exception_deadline_hours": self.env["order.tracking.exception"]._ot_deadline_hours(
                picking.ot_exception_type
            ),
            "update_interval_hours": carrier.ot_update_interval_hours or None if carrier else None,
        }

    @api.model
    def _ot_eta_text(self, order, picking, carrier, lang):
        """The estimated delivery in words: a number of days for an order not shipped yet, a
        date for a parcel on its way (none once that date has passed: the delay is the news)."""
        stage = order.ot_customer_stage
        if stage in ("awaiting_payment", "delivered", "cancelled"):
            return None
        eta_model = self.env["order.tracking.eta"]
        shipped = picking.state == "done"
        if shipped and picking.ot_eta:
            # Stored at hand-over by the carrier or the estimator: no calendar arithmetic here.
            day = picking.ot_eta
        else:
            estimate = self._ot_cached_estimate(
                carrier,
                order.partner_shipping_id.state_id,
                picking.date_done if shipped else None,
                lang,
                order.company_id,
            )
            if not estimate:
                return None
            if not shipped:
                return estimate["text"]
            day = estimate["date_to"]
        today = eta_model._ot_local_date(fields.Datetime.now(), order.company_id)
        return eta_model._ot_by_date_text(day, lang) if day >= today else None

    @api.model
    def _ot_cached_estimate(self, carrier, state, start, lang, company):
        """``order.tracking.eta._ot_estimate`` for ``company``'s shop, remembered per carrier,
        province, local hand-over day, language and local day (see :meth:`_ot_estimate_by_ids`)."""
        eta_model = self.env["order.tracking.eta"]
        company = carrier.company_id or company
        return self._ot_estimate_by_ids(
            company.id,
            carrier.id,
            state.id,
            eta_model._ot_local_date(start, company) if start else None,
            lang,
            eta_model._ot_local_date(fields.Datetime.now(), company),
        )

    @api.model
    @ormcache("company_id", "carrier_id", "state_id", "start_day", "lang", "today")
    def _ot_estimate_by_ids(self, company_id, carrier_id, state_id, start_day, lang, today):
        """Working-day arithmetic on the company calendar is the costliest part of a chat turn,
        and its answer changes only with the day (part of the key) or the shop's data: lead
        times, holidays, calendars and settings clear Odoo's caches when they change (see
        order_tracking_cached_data.py; settings are config parameters, which do the same).
        """
        return (
            self.with_company(company_id)
            .env["order.tracking.eta"]
            ._ot_estimate(
                self.env["delivery.carrier"].browse(carrier_id),
                self.env["res.country.state"].browse(state_id),
                start=start_day,
                lang=lang,
            )
        )

    @api.model
    @ormcache()
    def _ot_policy_template(self):
        """The dialogue policy compiled with the shop's cities and order-number pattern.

        Compiling every city name is the costly part of a policy, so it is done once per
        registry and copied per turn; editing a city or the settings clears Odoo's caches.
        """
        return Policy(
            None, cities=tuple(self._ot_cities()), order_ref_pattern=self._ot_order_ref_pattern()
        )

    @api.model
    def _ot_tracking_url(self, picking, codes):
        url = picking.carrier_tracking_url or None
        if url and url.startswith("["):
            # stock_delivery encodes several parcels as [[code, url], ...].
            try:
                pairs = json.loads(url)
            except ValueError:
                return None
            wanted = {c.casefold() for c in codes}
            return next((u for c, u in pairs if str(c).casefold() in wanted), None)
        return url

    @api.model
    def _ot_order_details(self, order, picking, lang):
        """The level-2 fields of an order's view (a few queries, only when shown)."""
        company = order.company_id
        lines = order.order_line.filtered(
            lambda line: not line.display_type and not line.is_delivery
        )
        items = [
            (
                line.product_id.with_context(lang=lang).name or line.name,
                int(line.product_uom_qty)
                if float(line.product_uom_qty).is_integer()
                else line.product_uom_qty,
            )
            for line in lines
        ]
        events = picking.ot_event_ids[:MAX_EVENTS] if picking else []
        payment_state, payment_ref = self._ot_payment(order)
        invoices = order.invoice_ids.filtered(
            lambda inv: inv.state == "posted" and inv.move_type == "out_invoice"
        )
        invoice_url = None
        if invoices:
            invoice = invoices.sorted("id")[-1]
            invoice_url = order.get_base_url() + invoice.get_portal_url()
        return {
            "created_at": self._ot_iso(order.date_order, company),
            "items": items,
            "total_text": self._ot_order_total_text(order, lang),
            "masked_address": self._ot_masked_address(order.partner_shipping_id, lang),
            "events": [
                (self._ot_iso(event.occurred_at, company), event.raw_text, event.location or None)
                for event in reversed(events)
            ],
            "payment_state": payment_state,
            "payment_ref": payment_ref,
            "has_invoice": bool(invoices),
            "invoice_url": invoice_url,
        }

    @api.model
    def _ot_payment(self, order):
        """``(payment state, bank reference)`` in the engine's vocabulary."""
        invoices = order.invoice_ids.filtered(lambda inv: inv.state == "posted")
        if invoices and all(inv.payment_state == "reversed" for inv in invoices):
            return "refunded", None
        transactions = order.transaction_ids.sorted("id")
        last = transactions[-1:] if transactions else transactions
        reference = (last.provider_reference or last.reference or None) if last else None
        if invoices and all(inv.payment_state in ("paid", "in_payment") for inv in invoices):
            return "paid", reference
        if not last:
            return "not_paid", None
        state = {
            "done": "paid",
            "authorized": "pending",
            "pending": "pending",
            "draft": "pending",
            "error": "failed",
            "cancel": "not_paid",
        }.get(last.state, "pending")
        return state, reference

    @api.model
    def _ot_masked_address(self, partner, lang):
        """Province, city and the street name without numbers: enough to recognise, not to
        find the door."""
        if not partner:
            return None
        parts = []
        if partner.state_id:
            parts.append(partner.state_id._ot_display_name(lang))
        if partner.city and partner.city not in parts:
            parts.append(partner.city)
        street = re.split(r"[,،\d۰-۹٠-٩]", partner.street or "")[0].strip(" .-")
        if street:
            parts.append(street + " …")
        return "، ".join(parts) if _is_persian(lang) else ", ".join(parts) or None

    # --- one-time codes ----------------------------------------------------------------------

    @api.model
    def _ot_send_otp(self, session, e164, purpose, lang):
        """Issue a code; for a mobile typed by the visitor, the SMS only goes out when the number
        has orders, and the answer is ``sent`` either way (see Backend.send_otp)."""
        deliver = True
        if purpose == "mobile":
            deliver = self._ot_mobile_has_orders(session, e164)
        return self.env["order.tracking.otp"]._ot_issue(session, e164, purpose, deliver, lang)

    # --- before buying ------------------------------------------------------------------------

    @api.model
    def _ot_published_carriers(self, company, website):
        carriers = self.env["delivery.carrier"].search(
            [
                ("is_published", "=", True),
                ("company_id", "in", [False, *company.ids]),
            ],
            order="sequence, id",
        )
        if website and "website_id" in carriers._fields:
            carriers = carriers.filtered(lambda c: not c.website_id or c.website_id == website)
        return carriers

    @api.model
    def _ot_shipping_methods(self, session, lang):
        carriers = self._ot_published_carriers(session.company_id, session.website_id)
        carriers = carriers.with_context(lang=lang)
        labels = []
        for carrier in carriers:
            label = carrier._ot_customer_label()
            if label not in labels:
                labels.append(label)
        return labels

    @api.model
    def _ot_shipping_quote(self, session, city_id, lang):
        """The published carriers that deliver to the city's province, with price and ETA, in
        the currency of the visitor's website pricelist (see order_tracking_chat_prices.py).

        Remembered per shop, pricelist, city, language and local day: the answer only moves
        with carriers, price rules, pricelists, currency rates, lead times, calendars or cities,
        whose edits clear Odoo's caches (see order_tracking_cached_data.py), and with the day,
        part of the key.
        """
        company = session.company_id
        today = self.env["order.tracking.eta"]._ot_local_date(fields.Datetime.now(), company)
        pricelist = self._ot_visitor_pricelist(session)
        quotes = self._ot_shipping_quote_by_ids(
            company.id, session.website_id.id, pricelist.id, city_id, lang, today
        )
        return list(quotes) if quotes else None

    @api.model
    @ormcache("company_id", "website_id", "pricelist_id", "city_id", "lang", "today")
    def _ot_shipping_quote_by_ids(self, company_id, website_id, pricelist_id, city_id, lang, today):
        quotes = self._ot_compute_shipping_quote(
            self.env["res.company"].browse(company_id),
            self.env["website"].browse(website_id),
            self.env["product.pricelist"].sudo().browse(pricelist_id),
            city_id,
            lang,
        )
        return tuple(quotes) if quotes else None

    @api.model
    def _ot_compute_shipping_quote(self, company, website, pricelist, city_id, lang):
        city = self.env["order.tracking.city"].browse(city_id).exists()
        if not city:
            return None
        state = city.state_id
        address = self.env["res.partner"].new(
            {"country_id": state.country_id.id, "state_id": state.id, "city": city.name}
        )
        quotes = []
        carriers = self._ot_published_carriers(company, website).with_context(lang=lang)
        for carrier in carriers:
            if not carrier._match_address(address):
                continue
            price_text, free_over_text = self._ot_quote_prices(carrier, company, pricelist, lang)
            quotes.append(
                QuoteView(
                    method_label=carrier._ot_customer_label(),
                    price_text=price_text,
                    eta_text=self._ot_quote_eta(company, carrier, state, lang),
                    free_over_text=free_over_text,
                )
            )
        return quotes or None

    @api.model
    def _ot_quote_eta(self, company, carrier, state, lang):
        estimate = self._ot_cached_estimate(carrier, state, None, lang, company)
        if estimate:
            return estimate["text"]
        return self.with_context(lang=lang).env._("delivery time shown at checkout")

    # --- people ---------------------------------------------------------------------------------

    @api.model
    def _ot_open_ticket(self, session, kind, order_ref, mobile, summary):
        """Open (or find again) the helpdesk ticket of a chat request, with the transcript."""
        order = self.env["sale.order"]
        proven = set(session._ot_proven_refs())
        if order_ref and (kind not in UNVERIFIED_TICKET_KINDS or order_ref.upper() in proven):
            order = self._ot_search_order(session, order_ref)[0]  # (order, name, mobile)
        elif order_ref:
            # The visitor named an order without proving it is theirs: the agent checks it.
            summary = self.env._(
                "%(summary)s (order number given, not verified: %(ref)s)",
                summary=summary,
                ref=order_ref,
            )
        ticket = self.env["helpdesk.ticket"]._ot_create_chat_ticket(
            kind,
            order=order or None,
            mobile=mobile,
            summary=summary,
            transcript_html=session._ot_transcript_html(),
            dedup_key=f"{session.id}:{order_ref or '-'}",
            chat_channel=session.channel,
        )
        _logger.info(
            "Chat %s opened ticket %s (%s, order %s, mobile %s)",
            session.id,
            ticket.id,
            kind,
            order.name or "-",
            mask_mobile(mobile) if mobile else "-",
        )
        return ticket

    @api.model
    def _ot_operator_available(self, session):
        """True when the website's live chat channel has an operator online with capacity."""
        website = session.website_id
        channel = website.channel_id if website and "channel_id" in website._fields else None
        if not channel:
            return False
        return bool(channel.available_operator_ids)

    # --- payload for the API ----------------------------------------------------------------------

    @api.model
    def _ot_order_payload(self, view, level, lang):
        """The ``order`` object of the API answer (the seed's payload), or None.

        ``view`` is what the policy returned: already redacted to what this level may show, so
        the payload cannot show more than the text did.
        """
        if view is None:
            return None
        payload = {
            "orderId": view.ref or None,
            "status": view.stage,
            "statusLabel": stage_label(view.stage, lang, view.exception_type),
            "createdAt": view.created_at or None,
            "eta": view.eta_text or None,
            "tracking": {
                "carrier": view.carrier_label or None,
                "code": view.tracking_code or None,
                "url": view.tracking_url or None,
                "lastEvent": view.last_event or None,
            },
            "exception": None,
        }
        if view.exception_type:
            payload["exception"] = {
                "type": view.exception_type,
                "label": exception_label(view.exception_type, lang),
                "nextStep": exception_next_step(
                    view.exception_type,
                    lang,
                    reason=view.exception_reason,
                    hours=view.exception_deadline_hours,
                ),
            }
        if level >= 2:
            payload["details"] = {
                "items": [{"name": name, "qty": qty} for name, qty in view.items],
                "events": [
                    {
                        "time": when,
                        "timeLabel": time_label(when, lang) or None,
                        "text": text,
                        "location": location,
                    }
                    for when, text, location in reversed(view.events)
                ],
                "address": view.masked_address or None,
                "payment": {"state": view.payment_state, "reference": view.payment_ref},
                "invoiceUrl": view.invoice_url if view.has_invoice else None,
            }
        return payload
