"""Order-level notifications and the one-question satisfaction survey.

"Order confirmed" is queued where an order becomes a sale (``_action_confirm``). The "delivered"
message links to a survey page (``/order-tracking/survey/<order>/<token>``): a score from 1 to 5
and an optional comment, kept on the order and, when the customer chatted about the order, as
that chat's CSAT so it counts in the conversation statistics.
"""

import secrets

from odoo import fields, models
from odoo.tools import consteq


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ot_notification_ids = fields.One2many(
        "order.tracking.notification", "order_id", string="Customer Notifications"
    )
    ot_survey_token = fields.Char(string="Survey Token", copy=False, groups="base.group_system")
    ot_survey_score = fields.Integer(string="Satisfaction (1-5)", copy=False, readonly=True)
    ot_survey_comment = fields.Text(string="Satisfaction Comment", copy=False, readonly=True)
    ot_survey_at = fields.Datetime(string="Satisfaction Answered", copy=False, readonly=True)

    _ot_survey_score_range = models.Constraint(
        "CHECK(ot_survey_score IS NULL OR ot_survey_score BETWEEN 1 AND 5)",
        "The satisfaction score is from 1 to 5.",
    )

    def _action_confirm(self):
        result = super()._action_confirm()
        notifications = self.env["order.tracking.notification"]
        for order in self:
            notifications._ot_notify("confirmed", order)
        return result

    def _ot_survey_url(self):
        """The tokenised survey link of the order (the token is made on first use)."""
        self.ensure_one()
        # sudo: sale.order - the survey token is a system field created for the customer's link
        order = self.sudo()
        if not order.ot_survey_token:
            order.ot_survey_token = secrets.token_urlsafe(16)
        return f"{order.get_base_url()}/order-tracking/survey/{order.id}/{order.ot_survey_token}"

    def _ot_check_survey_token(self, token):
        self.ensure_one()
        # sudo: sale.order - comparing the system-only token is this method's job
        stored = self.sudo().ot_survey_token
        return bool(stored and token and consteq(stored, token))

    def _ot_record_survey(self, score, comment=None):
        """Keep the customer's answer on the order and on its latest unrated chat."""
        self.ensure_one()
        score = int(score)
        if not 1 <= score <= 5:
            raise ValueError("score out of range")
        comment = (comment or "").strip()[:2000] or False
        # sudo: sale.order - a public visitor with the survey token answers for the order
        order = self.sudo()
        order.write(
            {
                "ot_survey_score": score,
                "ot_survey_comment": comment,
                "ot_survey_at": fields.Datetime.now(),
            }
        )
        # sudo: order.tracking.chat.session - the chat about this order gets the same rating
        session = (
            self.env["order.tracking.chat.session"]
            .sudo()
            .search([("order_id", "=", order.id)], order="id desc", limit=1)
        )
        if session and not session.csat:
            session.csat = score
        order.message_post(
            body=self.env._("The customer rated the delivery %(score)s/5.", score=score),
            subtype_xmlid="mail.mt_note",
        )
        return True
