"""A company's working calendar and address give the shop's time zone: editing a company clears
the chat's cached time zones and delivery estimates (see order_tracking_cached_data.py)."""

from odoo import models


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ("res.company", "order.tracking.cached.data")
