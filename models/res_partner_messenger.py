"""The customer's linked Telegram/Bale chats, shown on the contact form for staff."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    ot_messenger_link_ids = fields.One2many(
        "order.tracking.messenger.link",
        "partner_id",
        string="Messenger Chats",
        groups="base.group_system,stock.group_stock_user,sales_team.group_sale_salesman,"
        "helpdesk_mgmt.group_helpdesk_user_own",
    )
