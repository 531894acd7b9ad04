"""The chat backend's one difference for messenger chats: no live-chat hand-over.

The website's live chat opens in the visitor's browser; a Telegram or Bale customer has none,
so "talk to a person" from a messenger takes the engine's other path (a helpdesk ticket with
the transcript, the customer's verified or given mobile to call back).
"""

from odoo import api, models

from .order_tracking_chat_session_messenger import MESSENGER_CHANNELS


class OrderTrackingChatBackend(models.AbstractModel):
    _inherit = "order.tracking.chat.backend"

    @api.model
    def _ot_operator_available(self, session):
        if session.channel in MESSENGER_CHANNELS:
            return False
        return super()._ot_operator_available(session)
