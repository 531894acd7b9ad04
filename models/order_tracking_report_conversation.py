"""KPI report: one row per conversation with the bot (SQL view).

A conversation is a chat in which the customer sent at least one message (a widget opened and
closed without a word is not one). Each KPI is defined once, here, and the field help texts and
the README's "KPIs" section say the same:

- *escalated*: a person was involved: a helpdesk ticket was opened from the chat, or the chat was
  handed to a live-chat operator, or the bot ended it as escalated. A chat the bot answered first
  and escalated later is escalated (and therefore neither deflected nor resolved).
- *deflected*: not escalated: the customer's questions were answered without a person.
- *resolved without operator*: the bot marked the chat resolved and it was not escalated.
- *first response*: the bot's time to answer the customer's first message; median and p90 are
  computed per group by PostgreSQL (``percentile_cont``), never summed.
- *CSAT*: the 1-5 score the customer gave; average over rated chats, chats without a score are
  left out (not counted as 0).
- *where is my order*: the chat asked where an order is (``conversation/kpi.py``).
- *intent*: the customer's first real question (greetings and thanks skipped).

The day is the chat's start in the shop's time zone (``_ot_shop_tz_sql``).
"""

from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

from ..conversation import intents as intent_codes

INTENT_SELECTION = [
    (intent_codes.TRACK_ORDER, "Track by order number"),
    (intent_codes.TRACK_MOBILE, "Track by mobile"),
    (intent_codes.TRACK_CODE, "Track by tracking code"),
    (intent_codes.WHERE_IS_TRACKING_CODE, "Where is my tracking code"),
    (intent_codes.WHY_NO_UPDATE, "Why no update"),
    (intent_codes.DELAY_COMPLAINT, "Delay complaint"),
    (intent_codes.PRE_PURCHASE_TIME, "Delivery time (before buying)"),
    (intent_codes.PRE_PURCHASE_COVERAGE, "Delivery coverage (before buying)"),
    (intent_codes.PRE_PURCHASE_COST, "Shipping cost (before buying)"),
    (intent_codes.PRE_PURCHASE_METHODS, "Shipping methods (before buying)"),
    (intent_codes.PAYMENT_STATUS, "Payment status"),
    (intent_codes.INVOICE, "Invoice"),
    (intent_codes.CHANGE_ADDRESS, "Change address"),
    (intent_codes.RETURN_REQUEST, "Return request"),
    (intent_codes.CANCEL_ORDER, "Cancel order"),
    (intent_codes.HUMAN, "Asked for a person"),
    (intent_codes.THANKS, "Thanks"),
    (intent_codes.BYE, "Goodbye"),
    (intent_codes.GREETING, "Greeting"),
    (intent_codes.UNKNOWN, "Not understood"),
]
CHANNEL_GROUP_SELECTION = [
    ("widget", "Website widget"),
    ("page", "Tracking page"),
    ("api", "API"),
    ("messenger", "Messenger"),
]
# Channels that are the website's own chat windows; page and api are themselves; every other
# channel (telegram, bale, any messenger added later) is a messenger.
WIDGET_CHANNELS = ("widget", "livechat")


class OrderTrackingReportConversation(models.Model):
    _name = "order.tracking.report.conversation"
    _inherit = "order.tracking.report.mixin"
    _description = "Order Tracking KPIs: Conversations"
    _auto = False
    _order = "day desc, id desc"
    _rec_name = "day"
    _ot_utc_field = "start_at"

    # Customer data: only the manager group reaches the chat and the order behind a row.
    session_id = fields.Many2one(
        "order.tracking.chat.session",
        string="Chat",
        readonly=True,
        groups="order_tracking_chatbot.group_order_tracking_manager",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Order",
        readonly=True,
        groups="order_tracking_chatbot.group_order_tracking_manager",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    website_id = fields.Many2one("website", readonly=True)
    day = fields.Date(readonly=True, help="The day the chat started, in the shop's time zone.")
    start_at = fields.Datetime(string="Time", readonly=True)
    channel = fields.Selection(selection="_ot_channel_selection", readonly=True)
    channel_group = fields.Selection(
        CHANNEL_GROUP_SELECTION,
        readonly=True,
        help="Website widget (and live chat), tracking page, API, or a messenger "
        "(Telegram, Bale, ...).",
    )
    lang = fields.Selection([("fa_IR", "Persian"), ("en_US", "English")], "Language", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    city = fields.Char(readonly=True, help="City of the order's delivery address.")
    intent = fields.Selection(
        INTENT_SELECTION,
        readonly=True,
        help="The customer's first question in the chat (greetings and thanks are skipped).",
    )
    level = fields.Selection(
        [("1", "Level 1 (stage only)"), ("2", "Level 2 (verified by SMS code)")],
        string="Verification Level",
        readonly=True,
    )
    outcome = fields.Selection(
        selection="_ot_outcome_selection", readonly=True, help="How the bot ended the chat."
    )
    wismo = fields.Integer(
        string="Where-Is-My-Order Chats",
        readonly=True,
        help="1 when the chat asks where an order is (by order number, mobile or tracking "
        "code, where the tracking code is, why there is no update, a delay).",
    )
    deflected = fields.Integer(
        readonly=True,
        help="1 when no person was involved: no ticket, no operator, not escalated.",
    )
    deflection_rate = fields.Float(
        string="Deflection (%)",
        readonly=True,
        aggregator="avg",
        help="Share of chats deflected: answered without a person.",
    )
    escalated = fields.Integer(
        readonly=True,
        help="1 when a person was involved: a ticket was opened, an operator took over, or "
        "the bot escalated it, even after answering first.",
    )
    escalation_rate = fields.Float(
        string="Escalation (%)", readonly=True, aggregator="avg", help="Share of chats escalated."
    )
    escalated_ticket = fields.Integer(
        string="Escalated to a Ticket", readonly=True, help="1 when a helpdesk ticket was opened."
    )
    escalated_operator = fields.Integer(
        string="Escalated to an Operator",
        readonly=True,
        help="1 when the chat was handed to a live-chat operator.",
    )
    resolved_without_operator = fields.Integer(
        string="Resolved without Operator",
        readonly=True,
        help="1 when the bot resolved the chat and it was never escalated.",
    )
    resolution_rate = fields.Float(
        string="Resolved without Operator (%)",
        readonly=True,
        aggregator="avg",
        help="Share of chats resolved by the bot without a person.",
    )
    first_response_ms = fields.Integer(
        string="First Response (ms, average)",
        readonly=True,
        aggregator="avg",
        help="The bot's time to answer the customer's first message.",
    )
    first_response_median_ms = fields.Integer(
        string="First Response (ms, median)",
        readonly=True,
        aggregator="median",
        help="Median of the bot's time to answer the customer's first message.",
    )
    first_response_p90_ms = fields.Integer(
        string="First Response (ms, p90)",
        readonly=True,
        aggregator="p90",
        help="90th percentile of the bot's time to answer the customer's first message: "
        "nine chats in ten were answered faster.",
    )
    csat = fields.Float(
        string="CSAT (average)",
        readonly=True,
        aggregator="avg",
        help="Average 1-5 score of the chats the customer rated; unrated chats are left out.",
    )
    csat_count = fields.Integer(
        string="CSAT Responses", readonly=True, help="1 when the customer gave a score."
    )

    @api.model
    def _ot_channel_selection(self):
        # The chat's own list, so channels other modules add appear here too.
        return self.env["order.tracking.chat.session"]._fields["channel"].selection

    @api.model
    def _ot_outcome_selection(self):
        return self.env["order.tracking.chat.session"]._fields["outcome"].selection

    @api.model
    def _ot_conversations_sql(self):
        """Chats that are conversations: the customer wrote at least once."""
        return SQL("s.turn_count > 0")

    def _ot_query(self):
        session_model = self.env["order.tracking.chat.session"]
        tickets = session_model._fields["ticket_ids"]
        return SQL(
            """
            WITH shop AS (%(shop)s),
            ticketed AS (
                SELECT DISTINCT %(ticket_session_col)s AS session_id FROM %(ticket_rel)s
            ),
            base AS (
                SELECT s.id, s.company_id, s.website_id, s.channel, s.lang, s.level, s.outcome,
                       s.order_id, s.carrier_id, s.destination_state_id,
                       s.first_response_ms, s.csat, s.kpi_intent, s.kpi_wismo, s.create_date,
                       (t.session_id IS NOT NULL) AS has_ticket,
                       COALESCE(s.handover, FALSE) AS has_operator,
                       (t.session_id IS NOT NULL OR COALESCE(s.handover, FALSE)
                        OR s.outcome = 'escalated') AS is_escalated,
                       shop.tz
                  FROM order_tracking_chat_session s
                  JOIN shop ON shop.company_id = s.company_id
             LEFT JOIN ticketed t ON t.session_id = s.id
                 WHERE %(conversations)s
            )
            SELECT b.id, b.id AS session_id, b.order_id, b.company_id, b.website_id,
                   %(day)s AS day,
                   b.create_date AS start_at,
                   b.channel,
                   CASE WHEN b.channel IN %(widget_channels)s THEN 'widget'
                        WHEN b.channel IN ('page', 'api') THEN b.channel
                        ELSE 'messenger' END AS channel_group,
                   b.lang, b.carrier_id, b.destination_state_id AS state_id,
                   NULLIF(btrim(ship.city), '') AS city,
                   COALESCE(b.kpi_intent, 'unknown') AS intent,
                   b.level, b.outcome,
                   COALESCE(b.kpi_wismo, FALSE)::int AS wismo,
                   (NOT b.is_escalated)::int AS deflected,
                   CASE WHEN b.is_escalated THEN 0.0 ELSE 100.0 END AS deflection_rate,
                   b.is_escalated::int AS escalated,
                   CASE WHEN b.is_escalated THEN 100.0 ELSE 0.0 END AS escalation_rate,
                   b.has_ticket::int AS escalated_ticket,
                   b.has_operator::int AS escalated_operator,
                   (b.outcome = 'resolved' AND NOT b.is_escalated)::int
                       AS resolved_without_operator,
                   CASE WHEN b.outcome = 'resolved' AND NOT b.is_escalated
                        THEN 100.0 ELSE 0.0 END AS resolution_rate,
                   NULLIF(b.first_response_ms, 0) AS first_response_ms,
                   NULLIF(b.first_response_ms, 0) AS first_response_median_ms,
                   NULLIF(b.first_response_ms, 0) AS first_response_p90_ms,
                   b.csat::float AS csat,
                   (b.csat IS NOT NULL)::int AS csat_count
              FROM base b
         LEFT JOIN sale_order so ON so.id = b.order_id
         LEFT JOIN res_partner ship ON ship.id = so.partner_shipping_id
            """,
            shop=self._ot_shop_tz_sql(),
            ticket_rel=SQL.identifier(tickets.relation),
            ticket_session_col=SQL.identifier(tickets.column1),
            conversations=self._ot_conversations_sql(),
            day=self._ot_local_day_sql(SQL("b.create_date"), SQL("b.tz")),
            widget_channels=WIDGET_CHANNELS,
        )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._ot_query())
        )
