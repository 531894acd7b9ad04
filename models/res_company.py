"""Which SMS provider the company's text messages go through.

``outbox`` (the default) sends nothing: messages stay in Odoo's SMS queue, in the "SMS Outbox"
menu, where staff can read them (one-time codes included, for demos and tests). ``odoo`` uses
Odoo's own SMS service (IAP) or whatever provider the `sms` module is set to. Iranian gateways
add themselves with ``selection_add`` (and an ``ondelete`` back to the outbox).
"""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ot_sms_provider = fields.Selection(
        [
            ("outbox", "Outbox (keep messages in Odoo, send nothing)"),
            ("odoo", "Odoo SMS (sms module / IAP)"),
        ],
        string="SMS Provider",
        default="outbox",
        required=True,
        help="Where text messages of this company (chat codes, delivery notifications) go.",
    )
