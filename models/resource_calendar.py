"""Working calendars set the shop's time zone and working days: editing one clears the chat's
cached time zones and delivery estimates (see order_tracking_cached_data.py)."""

from odoo import models


class ResourceCalendar(models.Model):
    _name = "resource.calendar"
    _inherit = ("resource.calendar", "order.tracking.cached.data")
