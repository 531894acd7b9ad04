"""The normalised mobile of a contact, so the chat finds a customer's orders by any spelling.

Customers type ``0912 123 4567``, ``+98 912...`` or Persian digits; contacts hold whatever the
shop typed. Both sides are reduced to E.164 (``+989121234567``) with the same function of the
conversation engine, and the contact's form is stored and indexed so "orders of this mobile" is
one indexed lookup, not a scan of every contact.
"""

from odoo import api, fields, models

from ..conversation.normalize import normalize_mobile


class ResPartner(models.Model):
    _inherit = "res.partner"

    ot_mobile_e164 = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_ot_mobile_e164",
        store=True,
        index="btree_not_null",
        copy=False,
        help="The phone number in international form when it is an Iranian mobile, used by the "
        "order tracking chat to find orders and to send one-time codes.",
    )

    @api.depends("phone")
    def _compute_ot_mobile_e164(self):
        for partner in self:
            partner.ot_mobile_e164 = normalize_mobile(partner.phone) or False
