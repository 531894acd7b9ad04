"""Disclosures made in Telegram/Bale chats keep their channel in the audit trail too."""

from odoo import fields, models


class OrderTrackingAudit(models.Model):
    _inherit = "order.tracking.audit"

    channel = fields.Selection(
        selection_add=[("telegram", "Telegram"), ("bale", "Bale")],
        ondelete={"telegram": "cascade", "bale": "cascade"},
    )
