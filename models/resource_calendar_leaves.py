"""Public holidays move delivery estimates: editing them clears the chat's cached estimates."""

from odoo import models


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ("resource.calendar.leaves", "order.tracking.cached.data")
