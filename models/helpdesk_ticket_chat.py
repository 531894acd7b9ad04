"""Helpdesk tickets for requests the chatbot hands to a person (address change, return,
cancellation, call-back, ...): one per (chat session, request kind), with the masked transcript.
"""

from markupsafe import Markup

from odoo import api, fields, models

from .helpdesk_ticket import bump_priority

# The request kinds the chatbot opens (same codes as conversation.backend.TICKET_KINDS).
CHAT_KIND_SELECTION = [
    ("change_address", "Address change"),
    ("return_request", "Return request"),
    ("cancel_order", "Cancellation request"),
    ("callback", "Call-back request"),
    ("followup", "Order follow-up"),
    ("delay", "Delay"),
    ("exception", "Shipment problem"),
    ("payment", "Payment"),
    ("invoice", "Invoice"),
]
CHAT_PRIORITY = {"cancel_order": "2", "change_address": "2"}
# Kinds a chat customer raises about a shipment problem the rules may already have a ticket for.
CHAT_KINDS_ON_EXCEPTION = ("delay", "exception")
# The helpdesk channel of a ticket opened from a messenger chat; every other chat is "Web".
TICKET_CHANNELS = {
    "telegram": "order_tracking_chatbot.helpdesk_ticket_channel_telegram",
    "bale": "order_tracking_chatbot.helpdesk_ticket_channel_bale",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    ot_chat_kind = fields.Selection(
        CHAT_KIND_SELECTION, string="Chat Request", readonly=True, copy=False
    )

    @api.model
    def _ot_create_chat_ticket(
        self,
        kind,
        order=None,
        mobile=None,
        summary="",
        transcript_html=None,
        dedup_key=None,
        chat_channel="widget",
    ):
        """Open a ticket for a request the chatbot hands to a person (address change, return,
        cancellation, call-back, ...; ``kind`` in CHAT_KIND_SELECTION) and return it.

        :param order: the order it is about, when the customer proved it is theirs (the ticket is
            then linked to the order's customer, who may see it in the portal).
        :param mobile: the customer's mobile (E.164), recorded for a call-back, never used to
            link a contact (it may not be verified).
        :param summary: one line, plain text.
        :param transcript_html: the conversation; ``Markup`` is kept as HTML, text is escaped.
        :param dedup_key: the chat session's identity: the same session and kind give the same
            ticket, however often the call is repeated.
        :param chat_channel: where the customer chatted (a chat session's ``channel``): the
            ticket's helpdesk channel, so staff know where to answer.

        A delay/shipment-problem request about a shipment that already has an exception goes on
        that exception's ticket instead of opening a second one.
        """
        if kind not in dict(CHAT_KIND_SELECTION):
            raise ValueError(f"Unknown chat ticket kind {kind!r}")
        # sudo: helpdesk.ticket - the chatbot opens tickets for website visitors, who have no
        # helpdesk rights; what goes in is chosen here, not by the visitor
        tickets = self.sudo()
        # sudo: sale.order - the caller already established the visitor's right to this order
        order = order.sudo() if order else self.env["sale.order"].sudo()
        picking = order.ot_main_picking_id if order else None
        if kind in CHAT_KINDS_ON_EXCEPTION and picking and picking.ot_exception_type:
            ticket = tickets._ot_ensure_exception_ticket(picking, picking.ot_exception_type)
            ticket.message_post(
                body=self._ot_chat_body(
                    kind, order, mobile, summary, transcript_html, chat_channel
                ),
                subtype_xmlid="mail.mt_note",
            )
            return ticket
        key = f"chat:{dedup_key}:{kind}" if dedup_key else False
        if key and (existing := tickets._ot_find_by_key(key)):
            return existing
        company = order.company_id or self.env.company
        team, category = tickets._ot_team_and_category("chat", company)
        kind_category = self.env.ref(f"order_tracking_chatbot.helpdesk_category_chat_{kind}", False)
        if kind_category and kind_category.company_id in (company, company.browse()):
            category = kind_category
        customer = order.partner_id
        priority = CHAT_PRIORITY.get(kind, "1")
        escalation = customer and self.env["order.tracking.exception"]._ot_escalation_reason(
            customer, order.partner_shipping_id
        )
        if escalation:
            priority = bump_priority(priority)
        kind_label = dict(self._fields["ot_chat_kind"]._description_selection(self.env))[kind]
        ticket_channel = self.env.ref(
            TICKET_CHANNELS.get(chat_channel, "helpdesk_mgmt.helpdesk_ticket_channel_web"), False
        )
        vals = {
            "name": self.env._(
                "%(kind)s: %(subject)s",
                kind=kind_label,
                subject=order.name or mobile or self.env._("website visitor"),
            ),
            "description": self._ot_chat_body(
                kind, order, mobile, summary, transcript_html, chat_channel
            ),
            "partner_id": customer.id or False,
            "partner_name": customer.name or False,
            "partner_email": customer.email or False,
            "company_id": company.id,
            "team_id": team.id,
            "category_id": category.id,
            "user_id": False,
            "priority": priority,
            "channel_id": ticket_channel.id if ticket_channel else False,
            "ot_sale_id": order.id or False,
            "ot_picking_id": picking.id if picking else False,
            "ot_chat_kind": kind,
            "ot_dedup_key": key,
            "ot_escalation_reason": escalation or False,
            "ot_contact_mobile": mobile or False,
        }
        return tickets._ot_create_unique(vals) if key else tickets.create(vals)

    @api.model
    def _ot_chat_body(self, kind, order, mobile, summary, transcript_html, chat_channel="widget"):
        _ = self.env._
        default_summary = {
            "telegram": _("Request from a Telegram chat."),
            "bale": _("Request from a Bale chat."),
        }.get(chat_channel) or _("Request from the website chat.")
        kind_label = dict(self._fields["ot_chat_kind"]._description_selection(self.env))[kind]
        facts = [
            (_("Request"), kind_label),
            (_("Order"), order.name if order else ""),
            (_("Mobile"), mobile or ""),
        ]
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            summary or default_summary,
            Markup().join(
                Markup("<li>%s: %s</li>") % (label, value) for label, value in facts if value
            ),
        )
        if transcript_html:
            transcript = (
                transcript_html
                if isinstance(transcript_html, Markup)
                else Markup("<pre>%s</pre>") % transcript_html
            )
            body += Markup("<p><strong>%s</strong></p>%s") % (_("Conversation"), transcript)
        return body
