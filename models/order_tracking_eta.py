"""Delivery estimates ("when will it arrive?") and business-day arithmetic.

An estimate comes, in this order of trust, from the carrier (a date it published for the
shipment), from the lead times configured per carrier × province (`order.tracking.lead.time`),
or from the shop's own past deliveries with that carrier to that province. Its inputs are a
carrier and a province, not a shipment, so the same function answers "how many days to Shiraz
with Tipax?" before anything is bought.

Every customer delivery of a sales order stores its estimate (``stock.picking.ot_eta`` and
``ot_eta_source``, see :meth:`OrderTrackingEta._ot_refresh_etas`): computed when it is validated,
when its hand-over, carrier or address changes, after carrier updates, and when lead times change.
The chat reads the stored date.

Business days follow the company's working calendar (`resource.calendar`) and its public holidays
(calendar leaves without a resource): an Iranian shop's calendar has Friday off, and
the addon ships an "Iran (Sat–Thu)" calendar for it.
"""

import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import babel.dates
from pytz import all_timezones_set, timezone, utc

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, ormcache
from odoo.tools.misc import babel_locale_parse

from ..conversation.jalali import MONTHS_FA, gregorian_to_jalali
from ..conversation.normalize import persian_digits

# The one time-zone fallback of the addon: the shops it is for are in Iran.
DEFAULT_SHOP_TZ = "Asia/Tehran"
# Past deliveries count when there are enough of them, and only recent ones (carriers change).
MIN_HISTORY_SAMPLES = 5
HISTORY_WINDOW_DAYS = 180


def is_persian(lang):
    return bool(lang) and lang.startswith("fa")


def localize_digits(value, lang):
    """``value`` as text, with Persian digits for Persian."""
    return persian_digits(value) if is_persian(lang) else str(value)


def format_day(day, lang):
    """A day as customers write it: «۱۵ فروردین» in Persian (Jalali), "15 March" otherwise."""
    if is_persian(lang):
        _year, month, dom = gregorian_to_jalali(day)
        return f"{localize_digits(dom, lang)} {MONTHS_FA[month - 1]}"
    try:
        locale = babel_locale_parse(lang or "en_US")
    except Exception:  # noqa: BLE001 - an unknown language must not break an estimate
        locale = babel_locale_parse("en_US")
    return babel.dates.format_date(day, format="d MMMM", locale=locale)


class OrderTrackingEta(models.AbstractModel):
    _name = "order.tracking.eta"
    _description = "Order Tracking Delivery Estimates"

    # --- business days ---------------------------------------------------------------------------

    @api.model
    def _ot_shop_tz(self, company):
        """The shop's time zone: its working calendar's, else its address's, else Tehran's.

        Business days, local dates, carrier ETAs and the times the chat shows all use this one,
        never the time zone of whoever happens to run the code (a cron, a public visitor).
        """
        return timezone(self._ot_shop_tz_name(company.id))

    @api.model
    @ormcache("company_id")
    def _ot_shop_tz_name(self, company_id):
        # Asked on every chat turn and every estimate: remembered per company; editing a company
        # or a working calendar clears Odoo's caches (see order_tracking_cached_data.py).
        company = self.env["res.company"].browse(company_id)
        name = company.resource_calendar_id.tz or company.partner_id.tz or DEFAULT_SHOP_TZ
        return name if name in all_timezones_set else DEFAULT_SHOP_TZ

    @api.model
    def _ot_local_date(self, value, company=None):
        """The local date (in the company calendar's time zone) of a UTC datetime, or ``value``
        itself when it is already a date."""
        if not value:
            return None
        if isinstance(value, datetime):
            company = company or self.env.company
            aware = value if value.tzinfo else utc.localize(value)
            return aware.astimezone(self._ot_shop_tz(company)).date()
        return value

    @api.model
    def _ot_add_business_days(self, start, days, company=None):
        """The date ``days`` business days after ``start`` (a UTC datetime or a local date).

        The start day itself does not count, so a parcel handed over on Wednesday with 2 days
        arrives by Saturday in an Iranian calendar (Thursday, then Friday off, then Saturday).
        Days without working time and public holidays of the company's calendar are skipped.
        """
        company = company or self.env.company
        start_date = self._ot_local_date(start, company)
        if days <= 0:
            return start_date
        calendar = company.resource_calendar_id
        if not calendar:
            return start_date + timedelta(days=days)
        tz = self._ot_shop_tz(company)
        # The sync and the exception cron ask this for many shipments handed over on the same few
        # days: memoise per transaction, keyed by what shapes the answer (the calendar's working
        # times and leaves, read in one cheap query) so an edited holiday is never answered stale.
        memo = self.env.cr.cache.setdefault("ot_business_days", {})
        key = (calendar.id, str(tz), start_date, days, self._ot_calendar_signature(calendar))
        if key not in memo:
            memo[key] = self._ot_compute_business_days(calendar, tz, start_date, days)
        return memo[key]

    def _ot_calendar_signature(self, calendar):
        """A value that changes whenever the calendar's working times or leaves change."""
        self.env["resource.calendar.leaves"].flush_model()
        self.env["resource.calendar.attendance"].flush_model()
        calendar.flush_recordset()
        self.env.cr.execute(
            SQL(
                """SELECT (SELECT ARRAY[COUNT(*)::text, MAX(write_date)::text, SUM(id)::text]
                             FROM resource_calendar_leaves
                            WHERE (calendar_id = %(cal)s OR calendar_id IS NULL)
                              AND resource_id IS NULL),
                          (SELECT ARRAY[COUNT(*)::text, MAX(write_date)::text, SUM(id)::text]
                             FROM resource_calendar_attendance WHERE calendar_id = %(cal)s),
                          (SELECT write_date::text FROM resource_calendar WHERE id = %(cal)s)""",
                cal=calendar.id,
            )
        )
        return repr(self.env.cr.fetchone())

    def _ot_compute_business_days(self, calendar, tz, start_date, days):
        begin = tz.localize(datetime.combine(start_date + timedelta(days=1), time.min))
        span = days * 2 + 14
        # Grow the window rather than loop day by day: one leave query per window.
        for _attempt in range(4):
            end = tz.localize(datetime.combine(start_date + timedelta(days=span), time.max))
            intervals = calendar._work_intervals_batch(begin, end)[False]
            work_dates = sorted({interval[0].date() for interval in intervals})
            if len(work_dates) >= days:
                return work_dates[days - 1]
            span *= 3
        # A calendar with (almost) no working time: calendar days rather than no answer.
        return start_date + timedelta(days=days)

    # --- estimates -------------------------------------------------------------------------------

    @api.model
    def _ot_estimate(self, carrier, state, start=None, lang=None):
        """Estimate delivery with ``carrier`` to province ``state`` (either may be empty).

        :param start: hand-over to the carrier (UTC datetime or local date) for a parcel already
            shipped; ``None`` for one not shipped yet (or not bought yet): preparation time is then
            added and days count from now.
        :param lang: language of ``text`` (default: the environment's).
        :return: ``dict(date_from, date_to, source, text, min_days, max_days)`` with ``source`` in
            ``'lead_time'`` (configured) or ``'history'`` (median of past deliveries), or ``None``
            when nothing is known. Carrier dates are per shipment: see
            :meth:`_ot_estimate_for_picking`.
        """
        lang = lang or self.env.lang or "en_US"
        company = (carrier and carrier.company_id) or self.env.company
        settings = self.env["res.config.settings"]
        row = self.env["order.tracking.lead.time"]._ot_find(carrier, state)
        shipped = start is not None
        origin = start if shipped else fields.Datetime.now()
        preparation = 0
        if not shipped:
            preparation = row.preparation_days if row else settings._ot_get_int("preparation_days")
        if row:
            low, high = preparation + row.min_days, preparation + row.max_days
            return {
                "date_from": self._ot_add_business_days(origin, low, company),
                "date_to": self._ot_add_business_days(origin, high, company),
                "source": "lead_time",
                "text": self._ot_days_text(low, high, lang, business=True),
                "min_days": low,
                "max_days": high,
            }
        stats = self._ot_history_stats(carrier, state)
        if not stats:
            return None
        # Past deliveries are measured in calendar days (hand-over → delivered event).
        ship_day = self._ot_add_business_days(origin, preparation, company)
        low = math.ceil(stats["p25"])
        high = max(math.ceil(stats["p75"]), low)
        median = math.ceil(stats["median"])
        return {
            "date_from": ship_day + timedelta(days=low),
            "date_to": ship_day + timedelta(days=high),
            "source": "history",
            "text": self._ot_about_days_text(median, lang),
            "min_days": low,
            "max_days": high,
            "median_days": median,
            "samples": stats["count"],
        }

    @api.model
    def _ot_estimate_for_picking(self, picking, lang=None):
        """Estimate delivery of one customer shipment and store it on the picking.

        A date published by the carrier (``ot_eta`` with source ``'carrier'``) is kept and
        reported as is; otherwise :meth:`_ot_estimate` answers from lead times or history and its
        latest date becomes ``ot_eta`` (a promise the shop can keep). Returns the estimate dict or
        ``None``.
        """
        picking.ensure_one()
        lang = lang or picking.partner_id.lang or self.env.lang or "en_US"
        if picking.ot_eta and picking.ot_eta_source == "carrier":
            return {
                "date_from": picking.ot_eta,
                "date_to": picking.ot_eta,
                "source": "carrier",
                "text": self._ot_by_date_text(picking.ot_eta, lang),
                "min_days": None,
                "max_days": None,
            }
        start = picking.date_done if picking.state == "done" else None
        estimate = self._ot_estimate(
            picking.carrier_id, picking.partner_id.state_id, start=start, lang=lang
        )
        if estimate and (
            picking.ot_eta != estimate["date_to"] or picking.ot_eta_source != estimate["source"]
        ):
            picking.write({"ot_eta": estimate["date_to"], "ot_eta_source": estimate["source"]})
        return estimate

    # --- stored ETAs of shipments ----------------------------------------------------------------

    @api.model
    def _ot_open_shipment_domain(self):
        """Customer shipments whose stored ETA is ours to keep current: outgoing deliveries of a
        sales order, handed over, not delivered yet, and without a date the carrier published
        (a carrier's own date is never replaced by an estimate)."""
        return Domain(
            [
                ("state", "=", "done"),
                ("picking_type_code", "=", "outgoing"),
                ("sale_id", "!=", False),
                ("ot_carrier_status", "!=", "Delivered"),
                ("ot_eta_source", "!=", "carrier"),
            ]
        )

    @api.model
    def _ot_refresh_etas(self, pickings):
        """Compute and store the ETA (``ot_eta``, ``ot_eta_source``) of the open customer
        shipments among ``pickings`` from their hand-over, carrier and destination province.

        Called when a delivery is validated or its hand-over, carrier or address changes, after
        a carrier update without a date of its own, and when lead times change. Shipments are
        grouped by what the estimate depends on, so a lead-time edit over thousands of shipments
        costs one estimate per (company, carrier, province, hand-over day) and one write per
        resulting date. An estimate that can no longer be made (its lead time was removed)
        clears the stored one rather than leave a stale promise. Returns the shipments written.
        """
        open_pickings = pickings.filtered_domain(self._ot_open_shipment_domain())
        groups = defaultdict(lambda: self.env["stock.picking"])
        for picking in open_pickings:
            company = picking.company_id or self.env.company
            key = (
                company,
                picking.carrier_id,
                picking.partner_id.state_id,
                self._ot_local_date(picking.date_done, company),
            )
            groups[key] |= picking
        targets = defaultdict(lambda: self.env["stock.picking"])
        for (company, carrier, state, start), members in groups.items():
            estimate = None
            if carrier and start:
                estimate = (
                    self.with_company(company)
                    .with_context(lang="en_US")
                    ._ot_estimate(carrier, state, start=start)
                )
            for picking in members:
                if estimate:
                    vals = (estimate["date_to"], estimate["source"])
                elif picking.ot_eta_source in ("lead_time", "history"):
                    vals = (False, False)
                else:
                    continue
                if (picking.ot_eta or False, picking.ot_eta_source or False) != vals:
                    targets[vals] |= picking
        written = self.env["stock.picking"]
        for (eta, source), members in targets.items():
            # The estimate is derived data: no chatter line per shipment.
            members.with_context(mail_notrack=True).write({"ot_eta": eta, "ot_eta_source": source})
            written |= members
        return written

    @api.model
    def _ot_refresh_etas_for_lead_times(self, pairs):
        """Recompute the stored ETAs of the open shipments governed by lead times of
        ``pairs`` (``(carrier, province or empty)``, as before and after an edit): a province
        row governs its province, a catch-all row every province of its carrier."""
        by_carrier = defaultdict(set)
        for carrier, state in pairs:
            if carrier:
                by_carrier[carrier.id].add(state.id if state else False)
        if not by_carrier:
            return self.env["stock.picking"]
        carrier_domains = []
        for carrier_id, state_ids in by_carrier.items():
            domain = Domain("carrier_id", "=", carrier_id)
            if False not in state_ids:
                domain &= Domain("partner_id.state_id", "in", list(state_ids))
            carrier_domains.append(domain)
        # sudo: stock.picking - whoever may edit lead times moves the ETAs they govern, in every
        # company of the carrier, without needing warehouse rights
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .search(self._ot_open_shipment_domain() & Domain.OR(carrier_domains))
        )
        return self.sudo()._ot_refresh_etas(pickings)

    @api.model
    def _ot_history_stats(self, carrier, state):
        """Quartiles of the calendar days between hand-over and the carrier's first Delivered
        event, over the recent deliveries of ``carrier`` to ``state`` (all provinces when
        empty), in one query. ``None`` below MIN_HISTORY_SAMPLES deliveries."""
        if not carrier:
            return None
        for model, names in (
            ("stock.picking", ["carrier_id", "state", "date_done", "partner_id", "company_id"]),
            ("order.tracking.event", ["picking_id", "status", "occurred_at"]),
            ("res.partner", ["state_id"]),
        ):
            self.env[model].flush_model(names)
        since = fields.Datetime.now() - timedelta(days=HISTORY_WINDOW_DAYS)
        state_clause = SQL("AND partner.state_id = %s", state.id) if state else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*),
                       percentile_cont(0.25) WITHIN GROUP (ORDER BY days),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
                       percentile_cont(0.75) WITHIN GROUP (ORDER BY days)
                  FROM (
                        SELECT EXTRACT(EPOCH FROM MIN(event.occurred_at) - picking.date_done)
                               / 86400.0 AS days
                          FROM stock_picking picking
                          JOIN res_partner partner ON partner.id = picking.partner_id
                          JOIN order_tracking_event event
                            ON event.picking_id = picking.id AND event.status = 'Delivered'
                         WHERE picking.carrier_id = %(carrier)s
                           AND picking.state = 'done'
                           AND picking.date_done >= %(since)s
                           AND picking.company_id IN %(companies)s
                           %(state_clause)s
                      GROUP BY picking.id, picking.date_done
                       ) AS deliveries
                 WHERE days >= 0
                """,
                carrier=carrier.id,
                since=since,
                companies=tuple(self.env.companies.ids),
                state_clause=state_clause,
            )
        )
        count, p25, median, p75 = self.env.cr.fetchone()
        if count < MIN_HISTORY_SAMPLES:
            return None
        return {"count": count, "p25": p25, "median": median, "p75": p75}

    # --- texts -----------------------------------------------------------------------------------

    def _ot_lang_env(self, lang):
        return self.with_context(lang=lang).env

    @api.model
    def _ot_days_text(self, low, high, lang, business=True):
        """ "2–4 business days" / «۲ تا ۴ روز کاری» in ``lang``."""
        env = self._ot_lang_env(lang)
        low_text, high_text = localize_digits(low, lang), localize_digits(high, lang)
        if low == high:
            if low == 1:
                return env._("1 business day") if business else env._("1 day")
            if business:
                return env._("%(days)s business days", days=low_text)
            return env._("%(days)s days", days=low_text)
        if business:
            return env._("%(low)s–%(high)s business days", low=low_text, high=high_text)
        return env._("%(low)s–%(high)s days", low=low_text, high=high_text)

    @api.model
    def _ot_about_days_text(self, days, lang):
        env = self._ot_lang_env(lang)
        if days <= 1:
            return env._("about 1 day")
        return env._("about %(days)s days", days=localize_digits(days, lang))

    @api.model
    def _ot_by_date_text(self, day, lang):
        env = self._ot_lang_env(lang)
        if isinstance(day, datetime):
            day = day.date()
        if not isinstance(day, date):
            return ""
        return env._("by %(date)s", date=format_day(day, lang))
