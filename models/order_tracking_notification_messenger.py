"""Customer notifications by Telegram/Bale: the third channel of order.tracking.notification.

A customer who linked a chat (shared their own contact with the shop's bot) gets the same
events as by SMS, with the SMS template's text: same switches, same one row per (order or
shipment, event, channel), same quiet hours, and a note on the order's chatter saying what was
sent where. A customer without a linked chat gets no messenger row at all; one who sent /stop
or /forget after the row was queued gets nothing either (the row says so).
"""

import logging

from markupsafe import Markup

from odoo import api, fields, models

from ..exceptions import TrackingError
from ..messenger import render
from ..messenger.client import BotBlockedError
from .mail_render_mixin import CONTEXT_KEY

_logger = logging.getLogger(__name__)

MESSENGER = "messenger"


class OrderTrackingNotification(models.Model):
    _inherit = "order.tracking.notification"

    channel = fields.Selection(
        selection_add=[(MESSENGER, "Messenger")], ondelete={MESSENGER: "cascade"}
    )

    # --- queueing ------------------------------------------------------------------------------

    @api.model
    def _ot_recipient(self, partner, channel):
        if channel != MESSENGER:
            return super()._ot_recipient(partner, channel)
        # The links depend on the company of the row: _ot_insert and _ot_send_one decide.
        return False, "queued", False

    @api.model
    def _ot_mask(self, channel, recipient):
        if channel == MESSENGER:
            return recipient or False  # already a masked label
        return super()._ot_mask(channel, recipient)

    @api.model
    def _ot_messenger_links(self, partner, company):
        # sudo: order.tracking.messenger.link - the system matches links, whoever triggered
        return self.env["order.tracking.messenger.link"].sudo()._ot_for_partner(partner, company)

    @api.model
    def _ot_messenger_label(self, links):
        platforms = dict(links._fields["platform"]._description_selection(self.env))
        return ", ".join(f"{platforms.get(link.platform)} {link.mobile_masked}" for link in links)

    @api.model
    def _ot_insert(self, rows):
        """Messenger rows only for customers with a linked chat of the row's company (others
        get nothing by messenger, not even a skipped row), held in quiet hours like SMS."""
        kept = []
        now = fields.Datetime.now()
        for row in rows:
            if row["channel"] == MESSENGER:
                company = self.env["res.company"].browse(row["company_id"])
                partner = self.env["res.partner"].browse(row["partner_id"])
                links = self._ot_messenger_links(partner, company)
                if row["state"] != "queued" or not links:
                    continue
                row = {**row, "recipient": self._ot_messenger_label(links)}
                row["recipient_masked"] = row["recipient"]
                release = self._ot_quiet_until(company, now)
                if release:
                    row.update(state="held", scheduled_at=release)
            kept.append(row)
        return super()._ot_insert(kept)

    # --- sending -------------------------------------------------------------------------------

    def _ot_send_one(self, now):
        if self.channel != MESSENGER:
            return super()._ot_send_one(now)
        self.ensure_one()
        if self.state in ("queued", "held"):
            release = self._ot_quiet_until(self.company_id, now)
            if release:
                self.write({"state": "held", "scheduled_at": release})
                return None
        links = self._ot_messenger_links(self.partner_id, self.company_id)
        if not links:
            self.write({"state": "skipped", "reason": self.env._("No linked messenger chat")})
            return None
        text = self._ot_messenger_text()
        sent, errors = links.browse(), []
        for link in links:
            try:
                link.bot_id._ot_client().send_message(link.chat_id, text)
                sent |= link
            except BotBlockedError as error:
                # The customer blocked the bot: as good as /stop.
                link.notify = False
                errors.append(str(error))
            except TrackingError as error:
                errors.append(str(error))
        values = {"attempts": self.attempts + 1}
        if not sent:
            values.update(state="failed", reason=("; ".join(errors) or "-")[:250])
            self.write(values)
            return None
        label = self._ot_messenger_label(sent)
        message = self.order_id.with_context(mail_post_autofollow=False).message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (self.env._("Sent by messenger to %(to)s:", to=label), text),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=self.company_id.partner_id.id,
        )
        values.update(
            state="sent",
            reason=("; ".join(errors)[:250] or False),
            sent_at=now,
            recipient=label,
            recipient_masked=label,
            message_id=message.id,
        )
        self.write(values)
        _logger.info("notification %s sent by messenger to %s chat(s)", self.id, len(sent))
        return None

    def _ot_messenger_text(self):
        """The SMS template's text of the event in the customer's language, and how to stop."""
        self.ensure_one()
        order = self.order_id
        lang = self.lang or "en_US"
        values = self._ot_render_values()
        template = self.env.ref(f"order_tracking_chatbot.ot_sms_{self.event}")
        body = (
            template.with_context(lang=lang, **{CONTEXT_KEY: values})
            ._render_field("body", order.ids)[order.id]
            .strip()
        )
        return f"{body}\n\n{render.say('notification_footer', lang)}"
