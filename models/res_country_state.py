"""Persian names for provinces: `res.country.state.name` is not translatable in Odoo 19."""

from odoo import fields, models


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    ot_name_fa = fields.Char(
        string="Persian Name",
        help="Name shown to Persian-speaking customers by the order tracking chatbot.",
    )

    def _ot_display_name(self, lang):
        """Name of the province in the customer's language (Persian falls back to the name)."""
        self.ensure_one()
        if lang and lang.startswith("fa") and self.ot_name_fa:
            return self.ot_name_fa
        return self.name
