"""KPI report: one row per proactive customer notification (SQL view).

- *sent*: handed to the SMS gateway or the mail server (``state = sent``);
- *delivered*: sent, and the gateway's delivery report (SMS) or Odoo's mail notification says it
  arrived (``mail.notification`` status *sent*, or the SMS tracker's report *delivered*);
- *failed*: not delivered and it failed to send, bounced, or the gateway reported it undelivered.

Queued, held (quiet hours) and skipped (blacklisted, no number) rows are neither; group by state
to see them. The day is the day it was queued, in the shop's time zone.
"""

from types import MappingProxyType

from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from .order_tracking_notification import STATE_SELECTION
from .order_tracking_notification_rule import EVENT_SELECTION


class OrderTrackingReportNotification(models.Model):
    _name = "order.tracking.report.notification"
    _inherit = "order.tracking.report.mixin"
    _description = "Order Tracking KPIs: Customer Notifications"
    _auto = False
    _order = "day desc, id desc"
    _rec_name = "day"
    _ot_utc_field = "start_at"

    order_id = fields.Many2one(
        "sale.order",
        string="Order",
        readonly=True,
        groups="order_tracking_chatbot.group_order_tracking_manager",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    day = fields.Date(readonly=True, help="The day it was queued, in the shop's time zone.")
    start_at = fields.Datetime(string="Time", readonly=True)
    channel = fields.Selection(selection="_ot_channel_selection", readonly=True)
    event = fields.Selection(EVENT_SELECTION, readonly=True)
    state = fields.Selection(STATE_SELECTION, readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    sent = fields.Integer(readonly=True, help="1 when handed to the SMS gateway or mail server.")
    delivered = fields.Integer(
        readonly=True,
        help="1 when the gateway's delivery report or the mail server confirms it arrived.",
    )
    failed = fields.Integer(
        readonly=True,
        help="1 when it could not be sent, bounced, or was reported undelivered.",
    )
    delivery_rate = fields.Float(
        string="Delivered (% of sent)",
        readonly=True,
        aggregator="ratio",
        help="Delivered notifications per 100 sent.",
    )

    _ot_ratio_measures = MappingProxyType({"delivery_rate": ("delivered", "sent", 100)})

    def _ot_channel_selection(self):
        # The notification's own channels, with those other files add (the messenger's).
        return self.env["order.tracking.notification"]._fields["channel"].selection

    def _ot_query(self):
        return SQL(
            """
            WITH shop AS (%(shop)s),
            status AS (
                SELECT n.id,
                       BOOL_OR(mn.notification_status = 'sent') AS mail_delivered,
                       BOOL_OR(mn.notification_status IN ('exception', 'bounce')) AS mail_failed
                  FROM order_tracking_notification n
                  JOIN mail_notification mn ON mn.mail_message_id = n.message_id
              GROUP BY n.id
            ),
            flags AS (
                SELECT n.id, n.order_id, n.company_id, n.channel, n.event, n.state,
                       n.create_date, n.picking_id,
                       (n.state = 'sent') AS is_sent,
                       (n.state = 'sent' AND (COALESCE(status.mail_delivered, FALSE)
                                              OR tr.ot_dlr_state = 'delivered')) AS is_delivered,
                       (n.state = 'failed' OR COALESCE(status.mail_failed, FALSE)
                        OR tr.ot_dlr_state = 'undelivered') AS is_failed
                  FROM order_tracking_notification n
             LEFT JOIN status ON status.id = n.id
             LEFT JOIN sms_tracker tr ON tr.sms_uuid = n.sms_uuid
            )
            SELECT f.id, f.order_id, f.company_id, %(day)s AS day, f.create_date AS start_at,
                   f.channel, f.event, f.state,
                   COALESCE(p.carrier_id, so.carrier_id) AS carrier_id,
                   ship.state_id,
                   f.is_sent::int AS sent,
                   f.is_delivered::int AS delivered,
                   (f.is_failed AND NOT f.is_delivered)::int AS failed,
                   CASE WHEN f.is_delivered THEN 100.0 ELSE 0.0 END AS delivery_rate
              FROM flags f
              JOIN shop ON shop.company_id = f.company_id
         LEFT JOIN stock_picking p ON p.id = f.picking_id
         LEFT JOIN sale_order so ON so.id = f.order_id
         LEFT JOIN res_partner ship ON ship.id = so.partner_shipping_id
            """,
            shop=self._ot_shop_tz_sql(),
            day=self._ot_local_day_sql(SQL("f.create_date"), SQL("shop.tz")),
        )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._ot_query())
        )
