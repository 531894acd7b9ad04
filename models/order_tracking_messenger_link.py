"""The link between a messenger chat and a customer's mobile, made when the customer shares
their own contact (the platform has verified the number, like an SMS code would).

The link is the customer's opt-in to notifications by messenger; "/stop" turns them off, and
"/forget" (or staff deleting the row) removes the link. The full mobile is kept for matching and
readable by administrators only; staff see it masked, on the link and on the customer's form.
"""

import logging

from odoo import api, fields, models

from ..conversation.normalize import mask_mobile

_logger = logging.getLogger(__name__)


class OrderTrackingMessengerLink(models.Model):
    _name = "order.tracking.messenger.link"
    _description = "Order Tracking Messenger Link"
    _order = "linked_at desc, id desc"
    _rec_name = "mobile_masked"

    bot_id = fields.Many2one(
        "order.tracking.messenger.bot", required=True, readonly=True, ondelete="cascade"
    )
    platform = fields.Selection(related="bot_id.platform", store=True)
    company_id = fields.Many2one(related="bot_id.company_id", store=True, index=True)
    chat_id = fields.Char(required=True, readonly=True, groups="base.group_system")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True, ondelete="cascade"
    )
    mobile_e164 = fields.Char(
        string="Mobile", required=True, readonly=True, index=True, groups="base.group_system"
    )
    mobile_masked = fields.Char(string="Verified Mobile", readonly=True)
    linked_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    notify = fields.Boolean(
        string="Notifications",
        default=True,
        help="Order notifications go to this chat. The customer turns them off with /stop.",
    )

    _chat_unique = models.Constraint(
        "UNIQUE(bot_id, chat_id)", "A chat is linked to one mobile per bot."
    )

    @api.model
    def _ot_link(self, bot, chat_id, e164):
        """Link ``chat_id`` of ``bot`` to the proven mobile ``e164`` (replacing an older link of
        that chat), with notifications on; returns the link."""
        partner = self._ot_partner_of(e164)
        vals = {
            "partner_id": partner.id or False,
            "mobile_e164": e164,
            "mobile_masked": mask_mobile(e164),
            "linked_at": fields.Datetime.now(),
            "notify": True,
        }
        link = self._ot_find(bot, chat_id)
        if link:
            link.write(vals)
        else:
            link = self.create({"bot_id": bot.id, "chat_id": chat_id, **vals})
        _logger.info("Messenger bot %s: chat linked to %s", bot.id, mask_mobile(e164))
        return link

    @api.model
    def _ot_find(self, bot, chat_id):
        return self.search([("bot_id", "=", bot.id), ("chat_id", "=", chat_id)], limit=1)

    @api.model
    def _ot_partner_of(self, e164):
        """The contact the mobile belongs to (the most recent one), for staff to see the link."""
        return self.env["res.partner"].search(
            [("ot_mobile_e164", "=", e164)], order="id desc", limit=1
        )

    @api.model
    def _ot_for_partner(self, partner, company):
        """The chats that want notifications for ``partner``'s orders in ``company``: linked to
        the partner or to its mobile (the one codes go to), by an active bot of the company."""
        mobiles = [
            m for m in (partner.ot_mobile_e164, partner.commercial_partner_id.ot_mobile_e164) if m
        ]
        domain = [
            ("notify", "=", True),
            ("bot_id.active", "=", True),
            ("bot_id.company_id", "=", company.id),
        ]
        if mobiles:
            domain += ["|", ("partner_id", "=", partner.id), ("mobile_e164", "in", mobiles)]
        else:
            domain.append(("partner_id", "=", partner.id))
        return self.search(domain)

    def action_ot_stop_notifications(self):
        self.write({"notify": False})
        return True

    def action_ot_resume_notifications(self):
        self.write({"notify": True})
        return True
