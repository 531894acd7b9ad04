"""KPI report: one row per shipment exception raised (SQL view).

Every exception the rules or the carrier raise opens exactly one helpdesk ticket per (shipment,
exception type) (models/order_tracking_exception.py), so the tickets with an exception type are
the exceptions, each counted once. An exception is *resolved* when its ticket is closed (the
parcel was delivered, or a person closed it); the *time to resolution* is from the ticket's
creation to its closing, in hours, and is empty while it is open. Median and p90 are computed per
group by PostgreSQL. The day is the day it was raised, in the shop's time zone.
"""

from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from .stock_picking import EXCEPTION_REASON_SELECTION, EXCEPTION_SELECTION


class OrderTrackingReportException(models.Model):
    _name = "order.tracking.report.exception"
    _inherit = "order.tracking.report.mixin"
    _description = "Order Tracking KPIs: Shipment Exceptions"
    _auto = False
    _order = "day desc, id desc"
    _rec_name = "day"
    _ot_utc_field = "start_at"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        readonly=True,
        groups="order_tracking_chatbot.group_order_tracking_manager",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Shipment",
        readonly=True,
        groups="order_tracking_chatbot.group_order_tracking_manager",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    day = fields.Date(
        string="Raised On", readonly=True, help="The day it was raised, in the shop's time zone."
    )
    start_at = fields.Datetime(string="Time", readonly=True)
    exception_type = fields.Selection(EXCEPTION_SELECTION, string="Exception", readonly=True)
    exception_reason = fields.Selection(
        EXCEPTION_REASON_SELECTION, string="Exception Reason", readonly=True
    )
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    city = fields.Char(readonly=True, help="City of the shipment's delivery address.")
    resolved = fields.Integer(
        readonly=True, help="1 when its ticket is closed (delivered, or closed by a person)."
    )
    open_count = fields.Integer(string="Open", readonly=True, help="1 while its ticket is open.")
    resolution_hours = fields.Float(
        string="Time to Resolution (h, average)",
        readonly=True,
        aggregator="avg",
        help="Hours from raising the exception to closing its ticket; open ones are left out.",
    )
    resolution_median_hours = fields.Float(
        string="Time to Resolution (h, median)",
        readonly=True,
        aggregator="median",
        help="Median hours from raising the exception to closing its ticket.",
    )
    resolution_p90_hours = fields.Float(
        string="Time to Resolution (h, p90)",
        readonly=True,
        aggregator="p90",
        help="90th percentile of the hours from raising the exception to closing its ticket.",
    )

    def _ot_query(self):
        hours = SQL(
            "CASE WHEN st.closed AND t.closed_date IS NOT NULL "
            "THEN EXTRACT(EPOCH FROM (t.closed_date - t.create_date)) / 3600.0 END"
        )
        return SQL(
            """
            WITH shop AS (%(shop)s)
            SELECT t.id, t.id AS ticket_id, t.ot_picking_id AS picking_id, t.company_id,
                   %(day)s AS day,
                   t.create_date AS start_at,
                   t.ot_exception_type AS exception_type,
                   t.ot_exception_reason AS exception_reason,
                   p.carrier_id,
                   dest.state_id,
                   NULLIF(btrim(dest.city), '') AS city,
                   COALESCE(st.closed, FALSE)::int AS resolved,
                   (NOT COALESCE(st.closed, FALSE))::int AS open_count,
                   %(hours)s AS resolution_hours,
                   %(hours)s AS resolution_median_hours,
                   %(hours)s AS resolution_p90_hours
              FROM helpdesk_ticket t
              JOIN shop ON shop.company_id = t.company_id
         LEFT JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
         LEFT JOIN stock_picking p ON p.id = t.ot_picking_id
         LEFT JOIN res_partner dest ON dest.id = p.partner_id
             WHERE t.ot_exception_type IS NOT NULL
            """,
            shop=self._ot_shop_tz_sql(),
            day=self._ot_local_day_sql(SQL("t.create_date"), SQL("shop.tz")),
            hours=hours,
        )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._ot_query())
        )
