"""What the KPI reports (SQL views) share: the shop's local day and measures a sum cannot give.

A pivot adds measures up group by group (SUM, AVG, ...). Two kinds of KPIs cannot be built that
way and are computed by PostgreSQL inside each group instead, through aggregators of our own that
``_read_group_select`` understands (the pivot, the graph and the dashboard's spreadsheet pivots
all ask the server with ``field:aggregator``, so every group and every total is exact):

- ``median`` / ``p90``: ``percentile_cont`` of the field's values in the group;
- ``ratio``: ``factor * SUM(numerator) / SUM(denominator)`` of the fields named in
  ``_ot_ratio_measures`` (e.g. "where is my order" questions per 100 shipped orders).

Rates that are a share of rows (deflection, escalation, ...) need nothing special: each row holds
100 or 0 and the group's average is the percentage.

The day of a row is computed in the shop's time zone, so an index cannot serve ``day >= ...``:
every search on ``day`` also gets the UTC window that day can fall in (``_ot_utc_field``, a
column the index of the underlying table serves), which only drops rows the day test would drop.
"""

from datetime import datetime, time, timedelta
from types import MappingProxyType

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.orm.models import parse_read_group_spec
from odoo.tools import SQL

from .order_tracking_eta import DEFAULT_SHOP_TZ

PERCENTILES = {"median": 0.5, "p90": 0.9}
# Time zones run from UTC-12 to UTC+14: a local day starts at most 14 hours before the same day
# in UTC and ends at most 12 hours after it.
TZ_AHEAD = timedelta(hours=14)
TZ_BEHIND = timedelta(hours=12)


class OrderTrackingReportMixin(models.AbstractModel):
    _name = "order.tracking.report.mixin"
    _description = "Order Tracking KPI Report (shared)"

    # {ratio field: (numerator field, denominator field, factor)}
    _ot_ratio_measures = MappingProxyType({})
    # The UTC timestamp column the ``day`` column is computed from, when there is one.
    _ot_utc_field = None

    @api.model
    def _search(self, domain, *args, **kwargs):
        if self._ot_utc_field:
            domain = Domain(domain).map_conditions(self._ot_with_utc_window)
        return super()._search(domain, *args, **kwargs)

    def _ot_with_utc_window(self, condition):
        """``condition`` on ``day``, and the UTC window its days fall in (same rows)."""
        operator = condition.operator
        if condition.field_expr != "day" or operator not in (">=", ">", "<=", "<", "="):
            return condition
        try:
            day = fields.Date.to_date(condition.value)
        except (TypeError, ValueError):
            return condition
        if not day:
            return condition
        if operator == ">":
            day, operator = day + timedelta(days=1), ">="
        elif operator == "<":
            day, operator = day - timedelta(days=1), "<="
        start = datetime.combine(day, time.min)
        window = []
        if operator in (">=", "="):
            window.append(Domain(self._ot_utc_field, ">=", start - TZ_AHEAD))
        if operator in ("<=", "="):
            window.append(Domain(self._ot_utc_field, "<", start + timedelta(days=1) + TZ_BEHIND))
        return Domain.AND([condition, *window])

    @api.model
    def _ot_shop_tz_sql(self):
        """``SELECT company_id, tz`` of every company: the time zone its days are counted in.

        Same rule as ``order.tracking.eta._ot_shop_tz_name``: the company's working calendar,
        then the company's address, then Asia/Tehran.
        """
        return SQL(
            """
            SELECT c.id AS company_id,
                   COALESCE(NULLIF(cal.tz, ''), NULLIF(cp.tz, ''), %(default_tz)s) AS tz
              FROM res_company c
         LEFT JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
         LEFT JOIN res_partner cp ON cp.id = c.partner_id
            """,
            default_tz=DEFAULT_SHOP_TZ,
        )

    @api.model
    def _ot_local_day_sql(self, column, tz_column):
        """The calendar day, in the shop's time zone, of the UTC timestamp ``column``."""
        return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, tz_column)

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "__count":
            return super()._read_group_select(aggregate_spec, query)
        fname, property_name, func = parse_read_group_spec(aggregate_spec)
        if property_name or fname not in self._fields:
            return super()._read_group_select(aggregate_spec, query)
        if func in PERCENTILES:
            if self._fields[fname].type not in ("integer", "float"):
                raise ValueError(f"{func!r} needs a numeric field, not {aggregate_spec!r}")
            return SQL(
                "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                PERCENTILES[func],
                self._field_to_sql(self._table, fname, query),
            )
        if func == "ratio":
            if fname not in self._ot_ratio_measures:
                raise ValueError(f"{fname!r} is not a ratio measure of {self._name!r}")
            numerator, denominator, factor = self._ot_ratio_measures[fname]
            return SQL(
                "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
                float(factor),
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
