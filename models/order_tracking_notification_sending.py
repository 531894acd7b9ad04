"""Sending the queued customer notifications (see order_tracking_notification.py): the cron
claims due rows in batches (``FOR UPDATE SKIP LOCKED``), renders each with the event's
``sms.template`` / ``mail.template`` in the customer's language, and posts it on the order, so
Odoo's SMS queue (the company's gateway or outbox) and mail server deliver it and staff see it on
the chatter. The SMS of a batch are created with the queue cron's wake-up held back and the
gateway's template fields already set, then sent together (see sms_gateway_api.py).
"""

import logging
from urllib.parse import quote

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import hmac as odoo_hmac

from ..conversation.replies import exception_next_step
from .ir_cron import HOLD_TRIGGER_KEY
from .mail_render_mixin import CONTEXT_KEY
from .order_tracking_eta import format_day
from .order_tracking_exception import ADDRESS_EXCEPTIONS
from .sms_sms_gateway import CREATE_VALUES_KEY

_logger = logging.getLogger(__name__)

EXCEPTION_EVENTS = (
    "failed_attempt",
    "delayed",
    "returned_to_sender",
    "lost",
    "address_issue",
    "damaged",
)
UNSUBSCRIBE_SCOPE = "order_tracking_chatbot.unsubscribe"
# Parameters of an event's approved gateway template, in this order (positional templates take
# them in order): few, and free text last, as gateways cap tokens (Kavenegar: 5) and refuse
# spaces in the first ones.
DEFAULT_GATEWAY_PARAMS = ("order", "tracker_url")
GATEWAY_PARAMS = {
    "handed_to_carrier": ("order", "code", "tracking_url", "carrier"),
    "delivered": ("order", "survey_url"),
    "address_issue": ("order", "address_url"),
    "returned_to_sender": ("order", "address_url"),
}


class OrderTrackingNotification(models.Model):
    _inherit = "order.tracking.notification"

    # --- sending (cron) --------------------------------------------------------------------------

    @api.model
    def _ot_claim_due(self, limit, now=None):
        """Lock up to ``limit`` due rows; rows another worker holds are skipped, not waited for."""
        self.flush_model(["state", "scheduled_at"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM order_tracking_notification"
                " WHERE state IN ('queued', 'held') AND scheduled_at <= %s"
                " ORDER BY scheduled_at, id LIMIT %s FOR UPDATE SKIP LOCKED",
                now or fields.Datetime.now(),
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_send_notifications(self, batch_size=200):
        """Send the due notifications, ``batch_size`` at a time, committing after each batch."""
        cron = self.env["ir.cron"]
        while True:
            sent = self._ot_send_due(batch_size)
            if not sent:
                cron._commit_progress(remaining=0)
                return
            remaining = self.search_count(
                [("state", "in", ("queued", "held")), ("scheduled_at", "<=", fields.Datetime.now())]
            )
            if not cron._commit_progress(len(sent), remaining=remaining) or not remaining:
                return

    @api.model
    def _ot_send_due(self, limit):
        """Claim and send up to ``limit`` due notifications (no commit); returns them."""
        batch = self._ot_claim_due(limit)
        batch._ot_send()
        return batch

    def _ot_send(self):
        """Render and hand each notification to Odoo's SMS queue or mail queue."""
        now = fields.Datetime.now()
        sms_by_notification = {}
        # The SMS created here are sent below, in this transaction: Odoo's queue cron is not
        # woken for each of them (ir_cron.py), only once if some are left for it.
        sms_cron = self.env.ref("sms.ir_cron_sms_scheduler_action", raise_if_not_found=False)
        notifications = self.sudo().with_context(
            **{HOLD_TRIGGER_KEY: sms_cron.id if sms_cron else False}
        )
        for notification in notifications:
            try:
                with self.env.cr.savepoint():
                    sms = notification._ot_send_one(now)
                    if sms:
                        sms_by_notification[notification] = sms
            except Exception as error:  # noqa: BLE001 - one message must not stop the batch
                _logger.warning(
                    "notification %s could not be sent (%s)", notification.id, type(error).__name__
                )
                notification.write(
                    {
                        "state": "failed",
                        "reason": self.env._("Internal error: %s", type(error).__name__),
                        "attempts": notification.attempts + 1,
                    }
                )
        if sms_by_notification:
            all_sms = self.env["sms.sms"].sudo().concat(*sms_by_notification.values())
            to_send = all_sms.filtered(lambda s: s.state == "outgoing")
            if to_send:
                # Odoo's own sender: the company's gateway (or IAP) sends, the outbox keeps.
                to_send.send(unlink_failed=False, unlink_sent=True, raise_exception=False)
                # Locked by the queue cron meanwhile, or kept back by a provider: its turn.
                if sms_cron and to_send.exists().filtered(lambda s: s.state == "outgoing"):
                    sms_cron.sudo()._trigger()
            for notification, sms in sms_by_notification.items():
                if sms.exists() and sms.state == "error":
                    notification.write(
                        {"state": "failed", "reason": sms.failure_type or "sms_server"}
                    )

    def _ot_send_one(self, now):
        """Send one notification; returns its ``sms.sms`` (to be sent with the batch)."""
        self.ensure_one()
        if self.channel == "sms" and self.state in ("queued", "held"):
            release = self._ot_quiet_until(self.company_id, now)
            if release:
                self.write({"state": "held", "scheduled_at": release})
                return None
        partner = self.partner_id
        recipient, state, reason = self._ot_recipient(partner, self.channel)
        if state == "skipped":
            self.write({"state": "skipped", "reason": reason})
            return None
        order = self.order_id
        values = self._ot_render_values()
        lang = self.lang or "en_US"
        if self.channel == "sms":
            template = self.env.ref(f"order_tracking_chatbot.ot_sms_{self.event}")
            body = (
                template.with_context(lang=lang, **{CONTEXT_KEY: values})
                ._render_field("body", order.ids)[order.id]
                .strip()
            )
            sms_values = {
                "ot_company_id": self.company_id.id,
                "ot_template_kind": f"notify_{self.event}",
                "ot_template_params": values["params"],
            }
            # The gateway fields are given to the SMS as Odoo creates it (sms_sms_gateway.py).
            message = order.with_context(**{CREATE_VALUES_KEY: sms_values})._message_sms(
                body,
                partner_ids=partner.ids,
                sms_pid_to_number={partner.id: recipient},
                put_in_queue=True,
            )
            sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
            self._ot_mark_sent(now, recipient, message, sms_id=sms[:1].id, sms_uuid=sms[:1].uuid)
            return sms
        template = self.env.ref(f"order_tracking_chatbot.ot_mail_{self.event}")
        rendered = template.with_context(lang=lang, **{CONTEXT_KEY: values})
        subject = rendered._render_field("subject", order.ids)[order.id]
        body = rendered._render_field("body_html", order.ids)[order.id]
        message = order.with_context(mail_post_autofollow=False).message_post(
            body=body,
            subject=subject,
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            author_id=self.company_id.partner_id.id,
            email_from=self.company_id.email_formatted or None,
        )
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)], limit=1)
        self._ot_mark_sent(now, recipient, message, mail_id=mail.id)
        return None

    def _ot_mark_sent(self, now, recipient, message, **sent_with):
        """The row is sent: when, to whom, the chatter message and the SMS or mail behind it."""
        self.write(
            {
                "state": "sent",
                "reason": False,
                "sent_at": now,
                "attempts": self.attempts + 1,
                "recipient": recipient,
                "message_id": message.id,
                **sent_with,
            }
        )

    def _ot_render_values(self):
        """The values the templates show (``ctx['ot']``) and the gateway template's parameters,
        in the customer's language."""
        self.ensure_one()
        order = self.order_id.sudo()
        picking = self.picking_id.sudo()
        lang = self.lang or "en_US"
        base_url = order.get_base_url()
        carrier = picking.carrier_id or order.carrier_id
        values = {
            "order": order.name,
            "tracker_url": f"{base_url}/order-tracking?order={quote(order.name)}",
            "carrier": carrier.with_context(lang=lang)._ot_customer_label() if carrier else "",
            "code": picking.carrier_tracking_ref or "",
            "tracking_url": picking.carrier_tracking_url or "",
            "eta": format_day(picking.ot_eta, lang) if picking.ot_eta else "",
            "date": format_day(
                self.env["order.tracking.eta"]._ot_local_date(
                    fields.Datetime.now(), self.company_id
                ),
                lang,
            ),
            "next_step": "",
            "address_url": "",
            "survey_url": "",
            "unsubscribe_url": "",
        }
        exceptions = self.env["order.tracking.exception"]
        if self.event in EXCEPTION_EVENTS:
            values["next_step"] = self._ot_next_step_text(picking, lang)
        if self.event in ADDRESS_EXCEPTIONS:
            values["address_url"] = exceptions._ot_address_completion_url(order)
        if self.event == "delivered":
            values["survey_url"] = order._ot_survey_url()
        if self.channel == "email" and self.recipient:
            values["unsubscribe_url"] = self._ot_unsubscribe_url(self.recipient, base_url)
        link = values["tracking_url"] or values["tracker_url"]
        values["params"] = {
            name: (link if name == "tracking_url" else values[name]) or ""
            for name in GATEWAY_PARAMS.get(self.event, DEFAULT_GATEWAY_PARAMS)
        }
        return values

    def _ot_next_step_text(self, picking, lang):
        """The catalogue's next step for this event (the shipment's own reason when the
        exception is still on it)."""
        self.ensure_one()
        exceptions = self.env["order.tracking.exception"]
        if picking.ot_exception_type == self.event:
            return exceptions._ot_next_step(picking, lang)
        return exception_next_step(
            self.event, lang, hours=exceptions._ot_deadline_hours(self.event)
        )

    @api.model
    def _ot_unsubscribe_token(self, email):
        return odoo_hmac(self.env(su=True), UNSUBSCRIBE_SCOPE, email)

    @api.model
    def _ot_unsubscribe_url(self, email, base_url):
        token = self._ot_unsubscribe_token(email)
        return f"{base_url}/order-tracking/unsubscribe?email={quote(email)}&token={token}"
