"""What each chat counts as in the KPI reports, stored when the chat changes.

The reports (models/order_tracking_report_*.py) group 100,000s of chats by their first real
question and count the "where is my order?" ones; computing that from the ``intents`` text in SQL
for every row and every query costs more than the rest of the report, so it is stored here, from
the definitions in conversation/kpi.py.
"""

from odoo import api, fields, models

from ..conversation.kpi import is_wismo, primary_intent
from .order_tracking_report_conversation import INTENT_SELECTION


class OrderTrackingChatSession(models.Model):
    _inherit = "order.tracking.chat.session"

    kpi_intent = fields.Selection(
        INTENT_SELECTION,
        string="First Question",
        compute="_compute_kpi",
        store=True,
        help="The customer's first question in the chat (greetings and thanks are skipped).",
    )
    kpi_wismo = fields.Boolean(
        string="Where Is My Order",
        compute="_compute_kpi",
        store=True,
        help="The chat asked where an order is (by order number, mobile or tracking code, where "
        "the tracking code is, why there is no update, a delay).",
    )

    # The reports' day filters become UTC windows on this column (order_tracking_report_mixin).
    _create_date_idx = models.Index("(create_date)")

    @api.depends("intents")
    def _compute_kpi(self):
        for session in self:
            session.kpi_intent = primary_intent(session.intents)
            session.kpi_wismo = is_wismo(session.intents)
