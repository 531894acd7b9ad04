"""Cities the chatbot recognises in questions ("do you ship to Shiraz?"), each in a province."""

from odoo import fields, models


class OrderTrackingCity(models.Model):
    _name = "order.tracking.city"
    _inherit = "order.tracking.cached.data"
    _description = "Order Tracking City"
    _order = "sequence, name"

    name = fields.Char(required=True, help="City name in English (Latin script).")
    name_fa = fields.Char(string="Persian Name", required=True)
    aliases = fields.Char(
        help="Other spellings customers use, comma separated (e.g. 'Esfahan, Isfahan, اصفهان').",
    )
    state_id = fields.Many2one("res.country.state", string="Province", required=True, index=True)
    country_id = fields.Many2one(related="state_id.country_id", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _name_state_unique = models.Constraint(
        "unique(name, state_id)",
        "A city name must be unique within its province.",
    )

    def _ot_display_name(self, lang):
        """Name of the city in the customer's language."""
        self.ensure_one()
        return self.name_fa if lang and lang.startswith("fa") else self.name
