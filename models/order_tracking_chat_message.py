"""One message of a chat transcript: what the customer wrote (masked) or what the bot answered.

Customer text is stored with mobile numbers, one-time codes and tracking codes masked
(``0912***4567``, ``TRK8…011``): a transcript is read by many staff and copied into tickets, and
nobody needs the full values there. The bot's level-2 answers are stored the same way: tracking
codes shortened, links without their query string (an invoice link's access token), and the
items, address and payment lines replaced by a note of what was shown. Texts are plain text,
never HTML: the backend and the ticket transcript escape them when displaying.
"""

from odoo import fields, models


class OrderTrackingChatMessage(models.Model):
    _name = "order.tracking.chat.message"
    _description = "Chat Message"
    _order = "session_id, id"
    _rec_name = "text"

    session_id = fields.Many2one(
        "order.tracking.chat.session",
        string="Chat",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    role = fields.Selection([("user", "Customer"), ("bot", "Bot")], required=True, readonly=True)
    text = fields.Text(readonly=True)
    buttons = fields.Char(
        readonly=True, help="Labels of the quick-reply buttons offered with this message."
    )
    action = fields.Char(
        readonly=True, help="The button the customer pressed, when the message is a button press."
    )
    intent = fields.Char(readonly=True, help="What the bot understood (customer messages).")
    create_date = fields.Datetime(string="Time", readonly=True)
