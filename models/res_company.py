"""Which SMS provider the company's text messages go through.

``odoo`` (the default) keeps Odoo's own behaviour: its SMS service (IAP) or whatever provider
the `sms` module is set to, so installing the addon never changes where a shop's SMS go.
``outbox`` is chosen explicitly (the demo does): it sends nothing, messages stay in Odoo's SMS
queue, in the "SMS Outbox" menu, where staff can read them (one-time codes included). Iranian
gateways add themselves with ``selection_add`` (see res_company_sms.py; ``ondelete`` back to
the default).
"""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ot_sms_provider = fields.Selection(
        [
            ("odoo", "Odoo SMS (sms module / IAP)"),
            ("outbox", "Outbox (keep messages in Odoo, send nothing)"),
        ],
        string="SMS Provider",
        # Odoo's behaviour by default: installing must not hijack a shop's SMS.
        default="odoo",
        required=True,
        help="Where all text messages of this company go, Odoo's own SMS included.",
    )
