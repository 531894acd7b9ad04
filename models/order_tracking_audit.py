"""Audit trail of the chat: which fields of which order were shown, in which chat, at which level.

One row per chat turn and order that disclosed something (the security checklist of the spec:
"record what data was shown to the user"). Rows name the fields (``stage``, ``tracking_code``,
``masked_address``, ...) as the conversation engine reports them, never their values, so the
trail itself holds nothing worth stealing.
"""

from odoo import api, fields, models

from .order_tracking_chat_session import CHANNELS

# Fields that say something about a person or a shipment beyond its coarse stage.
PERSONAL_FIELDS = frozenset(
    {
        "tracking_code",
        "tracking_url",
        "items",
        "masked_address",
        "events",
        "mobile_e164",
        "mobile_masked",
        "payment_state",
        "payment_ref",
        "invoice_url",
        "has_invoice",
        "created_at",
    }
)


class OrderTrackingAudit(models.Model):
    _name = "order.tracking.audit"
    _description = "Chat Disclosure Audit"
    _order = "id desc"
    _rec_name = "session_id"

    session_id = fields.Many2one(
        "order.tracking.chat.session",
        string="Chat",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    order_id = fields.Many2one(
        "sale.order", readonly=True, index="btree_not_null", ondelete="set null"
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    level = fields.Selection(
        [("1", "Level 1 (stage only)"), ("2", "Level 2 (verified by SMS code)")],
        required=True,
        readonly=True,
    )
    disclosed_fields = fields.Char(string="Fields Shown", required=True, readonly=True)
    personal = fields.Boolean(
        string="Personal Data",
        readonly=True,
        help="Whether any field beyond the order's coarse stage, ETA and carrier was shown.",
    )
    verified_mobile = fields.Char(readonly=True, help="Masked: 0912***4567.")
    channel = fields.Selection(CHANNELS, readonly=True)
    create_date = fields.Datetime(string="Shown At", readonly=True)

    @api.model
    def _ot_record(self, session, orders, level, disclosed, verified_mobile=None):
        """Record one disclosure per order in ``orders`` (or one without an order)."""
        names = [str(name) for name in disclosed if name]
        if not names:
            return self.browse()
        vals = {
            "session_id": session.id,
            "company_id": session.company_id.id,
            "level": "2" if level >= 2 else "1",
            "disclosed_fields": ", ".join(names),
            "personal": bool(PERSONAL_FIELDS & set(names)),
            "verified_mobile": verified_mobile or False,
            "channel": session.channel,
        }
        if not orders:
            return self.create([vals])
        return self.create([{**vals, "order_id": order.id} for order in orders])
