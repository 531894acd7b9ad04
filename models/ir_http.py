"""Load this addon's translations on website pages.

Odoo's website only sends the browser the JS/OWL translations of modules whose name contains
"website"; the chat widget's strings (`_t` and its templates) would otherwise stay in English on
Persian pages.
"""

from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        return [*super()._get_translation_frontend_modules_name(), "order_tracking_chatbot"]
