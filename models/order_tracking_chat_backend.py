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
import time

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.tools import escape_psql
from odoo.tools.misc import format_amount

from ..conversation.backend import OrderView, QuoteView
from ..conversation.jalali import time_label
from ..conversation.normalize import mask_mobile
from ..conversation.replies import exception_label, exception_next_step, stage_label

_logger = logging.getLogger(__name__)

# Fields of OrderView only shown at level 2 that cost queries: loaded on first access.
LAZY_FIELDS = frozenset(
    {
        "created_at",
        "items",
        "masked_address",
        "events",
        "payment_state",
        "payment_ref",
        "has_invoice",
        "invoice_url",
    }
)
# Ticket kinds that are opened without the order being proven theirs (level 3 never reads it).
UNVERIFIED_TICKET_KINDS = ("change_address", "return_request", "cancel_order", "callback")
MAX_EVENTS = 10
# Delivery estimates per (database, carrier, province, hand-over day, language): see
# OrderTrackingChatBackend._ot_cached_estimate.
ESTIMATE_CACHE_SECONDS = 600
ESTIMATE_CACHE_SIZE = 2000
_ESTIMATE_CACHE = {}
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


class LazyOrderView(OrderView):
    """An OrderView whose level-2 details are read from the database on first access.

    A level-1 answer never touches items, events, address or payment, so they are not queried;
    ``dataclasses.replace`` (used by the disclosure rules to redact) builds a plain copy.
    """

    def __getattribute__(self, name):
        if name in LAZY_FIELDS:
            data = object.__getattribute__(self, "__dict__")
            loader = data.get("_ot_loader")
            if loader is not None:
                data["_ot_loader"] = None
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

    def _remember(self, order):
        if order:
            self.orders[order.name.upper()] = order
            self.last_order = order

    def order_for(self, view):
        """The sale.order behind a view the policy returned (redacted views lose the ref)."""
        if view is not None and view.ref and view.ref.upper() in self.orders:
            return self.orders[view.ref.upper()]
        return self.last_order

    def find_order(self, ref):
        order = self.model._ot_search_order(self.session, ref)
        if not order:
            return None
        self._remember(order)
        return self.model._ot_order_view(order, self.lang)

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

    def open_ticket(self, kind, order_ref, mobile, summary):
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
        """The order named ``ref`` (any case) of the session's company, or an empty recordset.

        An unknown number builds the level-1 view of a stand-in order anyway (the same queries
        as a known one) so response times do not tell which numbers exist.
        """
        orders = self.env["sale.order"]
        ref = (ref or "").strip()
        found = orders
        if ref:
            found = orders.search(
                [*self._ot_order_domain(session), ("name", "=ilike", escape_psql(ref))], limit=1
            )
        if not found:
            decoy = orders.search(self._ot_order_domain(session), order="id desc", limit=1)
            if decoy:
                self._ot_order_view(decoy, session.lang or "en_US")
        return found

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
        """The latest orders whose mobile (see :meth:`_ot_order_mobile`) is ``e164``."""
        partners = self.env["res.partner"].with_context(active_test=False)
        partners = partners.search([("ot_mobile_e164", "=", e164)]) if e164 else partners
        orders = self.env["sale.order"]
        if partners:
            candidates = orders.search(
                [
                    *self._ot_order_domain(session),
                    "|",
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("partner_id.commercial_partner_id", "in", partners.ids),
                    ("partner_shipping_id", "in", partners.ids),
                ],
                order="date_order desc, id desc",
                limit=limit * 4,
            )
            orders = candidates.filtered(lambda o: self._ot_order_mobile(o) == e164)[:limit]
        return orders

    @api.model
    def _ot_mobile_has_orders(self, session, e164):
        return bool(self._ot_orders_for_mobile(session, e164, limit=1))

    @api.model
    def _ot_search_tracking_code(self, session, code):
        """``(order, picking)`` of the customer shipment with tracking code ``code``.

        A picking shipped in several parcels holds "code1,code2": each code finds it, exactly
        (never a prefix or a substring of another code).
        """
        pickings = self.env["stock.picking"]
        code = (code or "").strip()
        if not code:
            return self.env["sale.order"], pickings
        escaped = escape_psql(code)
        candidates = pickings.search(
            [
                ("company_id", "in", session.company_id.ids),
                ("sale_id", "!=", False),
                "|",
                "|",
                "|",
                ("carrier_tracking_ref", "=ilike", escaped),
                ("carrier_tracking_ref", "=ilike", f"{escaped},%"),
                ("carrier_tracking_ref", "=ilike", f"%,{escaped}"),
                ("carrier_tracking_ref", "=ilike", f"%,{escaped},%"),
            ],
            order="id desc",
            limit=5,
        )
        wanted = code.casefold()
        for picking in candidates:
            codes = [c.strip().casefold() for c in (picking.carrier_tracking_ref or "").split(",")]
            if wanted in codes:
                return picking.sale_id, picking
        return self.env["sale.order"], pickings

    # --- the order as the chat may show it ------------------------------------------------------

    @api.model
    def _ot_shop_tz(self, company):
        tz_name = (
            company.resource_calendar_id.tz or company.partner_id.tz or self.env.user.tz or "UTC"
        )
        try:
            return timezone(tz_name)
        except Exception:  # noqa: BLE001 - a broken time zone name must not break the chat
            return utc

    @api.model
    def _ot_iso(self, value, company):
        """``value`` (naive UTC) as ISO 8601 with the shop's offset: 2025-12-21T10:22:00+03:30."""
        if not value:
            return None
        aware = utc.localize(value) if not value.tzinfo else value
        return aware.astimezone(self._ot_shop_tz(company)).replace(microsecond=0).isoformat()

    @api.model
    def _ot_order_view(self, order, lang, picking=None, tracking_code=None):
        """The :class:`LazyOrderView` of ``order`` in ``lang``.

        :param picking: the shipment to talk about (default: the order's main shipment)
        :param tracking_code: the code the customer typed, when the order was found by it
        """
        order = order.with_context(lang=lang)
        picking = (picking or order.ot_main_picking_id).with_context(lang=lang)
        carrier = picking.carrier_id or order.carrier_id
        codes = [c.strip() for c in (picking.carrier_tracking_ref or "").split(",") if c.strip()]
        if tracking_code:
            codes = [c for c in codes if c.casefold() == tracking_code.casefold()] or codes
        view = LazyOrderView(
            ref=order.name,
            stage=order.ot_customer_stage or "registered",
            eta_text=self._ot_eta_text(order, picking, carrier, lang),
            carrier_label=carrier._ot_customer_label() if carrier else None,
            tracking_code=", ".join(codes) or None,
            tracking_url=self._ot_tracking_url(picking, codes) if codes else None,
            last_event=picking.ot_last_event_text or None,
            exception_type=picking.ot_exception_type or None,
            exception_next_step=picking.ot_exception_next_step or None,
            mobile_e164=self._ot_order_mobile(order),
            update_interval_hours=carrier.ot_update_interval_hours or None if carrier else None,
        )
        view._ot_loader = lambda: self._ot_order_details(order, picking, lang)
        return view

    @api.model
    def _ot_eta_text(self, order, picking, carrier, lang):
        """The estimated delivery in words: a number of days for an order not shipped yet, a
        date for a parcel on its way (none once that date has passed: the delay is the news)."""
        stage = order.ot_customer_stage
        if stage in ("awaiting_payment", "delivered", "cancelled"):
            return None
        if "order.tracking.eta" not in self.env:
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
            )
            if not estimate:
                return None
            if not shipped:
                return estimate["text"]
            day = estimate["date_to"]
        today = eta_model._ot_local_date(fields.Datetime.now(), order.company_id)
        return eta_model._ot_by_date_text(day, lang) if day >= today else None

    @api.model
    def _ot_cached_estimate(self, carrier, state, start, lang):
        """``order.tracking.eta._ot_estimate`` remembered for a few minutes per carrier,
        province, hand-over day and language.

        Working-day arithmetic on the company calendar is the costliest part of a chat turn,
        and its answer only changes with the day or the shop's settings: reusing it keeps turns
        fast, and about the same length whichever order is asked about.
        """
        now = time.monotonic()
        key = (
            self.env.cr.dbname,
            carrier.id,
            state.id,
            fields.Date.to_string(start.date()) if start else None,
            lang,
            fields.Date.to_string(fields.Date.context_today(self)),
        )
        hit = _ESTIMATE_CACHE.get(key)
        if hit and hit[0] > now:
            return hit[1]
        estimate = self.env["order.tracking.eta"]._ot_estimate(
            carrier, state, start=start, lang=lang
        )
        if len(_ESTIMATE_CACHE) >= ESTIMATE_CACHE_SIZE:
            _ESTIMATE_CACHE.clear()
        _ESTIMATE_CACHE[key] = (now + ESTIMATE_CACHE_SECONDS, estimate)
        return estimate

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
    def _ot_published_carriers(self, session):
        carriers = self.env["delivery.carrier"].search(
            [
                ("is_published", "=", True),
                ("company_id", "in", [False, *session.company_id.ids]),
            ],
            order="sequence, id",
        )
        website = session.website_id
        if website and "website_id" in carriers._fields:
            carriers = carriers.filtered(lambda c: not c.website_id or c.website_id == website)
        return carriers

    @api.model
    def _ot_shipping_methods(self, session, lang):
        carriers = self._ot_published_carriers(session).with_context(lang=lang)
        labels = []
        for carrier in carriers:
            label = carrier._ot_customer_label()
            if label not in labels:
                labels.append(label)
        return labels

    @api.model
    def _ot_shipping_quote(self, session, city_id, lang):
        """The published carriers that deliver to the city's province, with price and ETA."""
        city = self.env["order.tracking.city"].browse(city_id).exists()
        if not city:
            return None
        state = city.state_id
        address = self.env["res.partner"].new(
            {"country_id": state.country_id.id, "state_id": state.id, "city": city.name}
        )
        quotes = []
        for carrier in self._ot_published_carriers(session).with_context(lang=lang):
            if not carrier._match_address(address):
                continue
            quotes.append(
                QuoteView(
                    method_label=carrier._ot_customer_label(),
                    price_text=self._ot_price_text(carrier, lang),
                    eta_text=self._ot_quote_eta(carrier, state, lang),
                    free_over_text=self._ot_amount(carrier.amount, carrier, lang)
                    if carrier.free_over
                    else None,
                )
            )
        return quotes or None

    @api.model
    def _ot_amount(self, amount, carrier, lang):
        currency = carrier.currency_id or self.env.company.currency_id
        text = format_amount(self.env, amount, currency, lang_code=lang)
        return text.translate(FA_DIGITS) if _is_persian(lang) else text

    @api.model
    def _ot_price_text(self, carrier, lang):
        env = self.with_context(lang=lang).env
        if carrier.delivery_type == "base_on_rule" and carrier.price_rule_ids:
            lowest = min(carrier.price_rule_ids.mapped("list_base_price"))
            return env._("from %(price)s", price=self._ot_amount(lowest, carrier, lang))
        if carrier.delivery_type in ("fixed", "ot_simulated"):
            if not carrier.fixed_price:
                return env._("free")
            return self._ot_amount(carrier.fixed_price, carrier, lang)
        return env._("calculated at checkout")

    @api.model
    def _ot_quote_eta(self, carrier, state, lang):
        if "order.tracking.eta" in self.env:
            estimate = self.env["order.tracking.eta"]._ot_estimate(carrier, state, lang=lang)
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
            order = self._ot_search_order(session, order_ref)
        elif order_ref:
            # The visitor named an order without proving it is theirs: the agent checks it.
            summary = self.env._(
                "%(summary)s (order number given, not verified: %(ref)s)",
                summary=summary,
                ref=order_ref,
            )
        ticket_model = self.env["helpdesk.ticket"]
        transcript = session._ot_transcript_html()
        dedup_key = f"{session.id}:{order_ref or '-'}"
        if hasattr(ticket_model, "_ot_create_chat_ticket"):
            ticket = ticket_model._ot_create_chat_ticket(
                kind,
                order=order or None,
                mobile=mobile,
                summary=summary,
                transcript_html=transcript,
                dedup_key=dedup_key,
            )
        else:  # pragma: no cover - the helpdesk bridge is part of this addon
            ticket = ticket_model.create(
                {
                    "name": f"{kind}: {order.name or mask_mobile(mobile)}",
                    "description": transcript,
                    "partner_id": order.partner_id.id or False,
                }
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
            "statusLabel": stage_label(view.stage, lang),
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
                "nextStep": view.exception_next_step
                or exception_next_step(view.exception_type, lang),
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
