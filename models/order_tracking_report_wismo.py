"""KPI report: "where is my order?" chats per 100 shipped orders, per day (SQL view).

The number a shop wants to see fall once proactive notifications run. One row per day (shop
time zone) × company × carrier × province with:

- *shipped orders*: sales orders whose first delivery to the customer was done that day (an
  order shipped in two parcels counts once, on its first one);
- *where-is-my-order chats*: conversations that asked where an order is (the definition of
  ``order.tracking.report.conversation``), on the day they started;
- *per 100 shipped*: ``100 × chats / shipped orders`` of the group, computed from the two sums of
  the group (the ``ratio`` aggregator), never a sum or average of daily ratios.

A chat is counted on its own day and carrier, not matched to the order it is about: chats about
orders of other days, and about no order at all, count too.
"""

from types import MappingProxyType

from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists


class OrderTrackingReportWismo(models.Model):
    _name = "order.tracking.report.wismo"
    _inherit = "order.tracking.report.mixin"
    _description = "Order Tracking KPIs: Where-Is-My-Order Chats per Shipped Orders"
    _auto = False
    _order = "day desc"
    _rec_name = "day"

    company_id = fields.Many2one("res.company", readonly=True)
    day = fields.Date(readonly=True, help="The day, in the shop's time zone.")
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    shipped_orders = fields.Integer(
        readonly=True, help="Sales orders whose first delivery to the customer was done that day."
    )
    wismo_questions = fields.Integer(
        string="Where-Is-My-Order Chats",
        readonly=True,
        help="Chats that asked where an order is, started that day.",
    )
    wismo_per_100_shipped = fields.Float(
        string="Where-Is-My-Order Chats per 100 Shipped Orders",
        readonly=True,
        aggregator="ratio",
        help="100 × where-is-my-order chats / shipped orders of the same days, carriers and "
        "provinces.",
    )

    _ot_ratio_measures = MappingProxyType(
        {"wismo_per_100_shipped": ("wismo_questions", "shipped_orders", 100)}
    )

    def _ot_query(self):
        conversations = self.env["order.tracking.report.conversation"]
        return SQL(
            """
            WITH shop AS (%(shop)s),
            first_shipment AS (
                SELECT DISTINCT ON (p.sale_id)
                       p.sale_id, p.company_id, p.date_done,
                       COALESCE(p.carrier_id, so.carrier_id) AS carrier_id,
                       ship.state_id
                  FROM stock_picking p
                  JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                  JOIN sale_order so ON so.id = p.sale_id
             LEFT JOIN res_partner ship ON ship.id = so.partner_shipping_id
                 WHERE p.state = 'done' AND pt.code = 'outgoing' AND p.date_done IS NOT NULL
              ORDER BY p.sale_id, p.date_done, p.id
            ),
            events AS (
                SELECT f.company_id, %(ship_day)s AS day, f.carrier_id, f.state_id,
                       1 AS shipped_orders, 0 AS wismo_questions
                  FROM first_shipment f
                  JOIN shop ON shop.company_id = f.company_id
                UNION ALL
                SELECT s.company_id, %(chat_day)s AS day, s.carrier_id,
                       s.destination_state_id, 0, 1
                  FROM order_tracking_chat_session s
                  JOIN shop ON shop.company_id = s.company_id
                 WHERE %(conversations)s AND s.kpi_wismo
            )
            SELECT row_number() OVER (ORDER BY day, company_id, carrier_id, state_id) AS id,
                   company_id, day, carrier_id, state_id,
                   SUM(shipped_orders) AS shipped_orders,
                   SUM(wismo_questions) AS wismo_questions,
                   100.0 * SUM(wismo_questions) / NULLIF(SUM(shipped_orders), 0)
                       AS wismo_per_100_shipped
              FROM events
          GROUP BY company_id, day, carrier_id, state_id
            """,
            shop=self._ot_shop_tz_sql(),
            ship_day=self._ot_local_day_sql(SQL("f.date_done"), SQL("shop.tz")),
            chat_day=self._ot_local_day_sql(SQL("s.create_date"), SQL("shop.tz")),
            conversations=conversations._ot_conversations_sql(),
        )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._ot_query())
        )
