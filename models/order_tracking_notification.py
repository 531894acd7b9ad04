"""Proactive customer notifications: one row per (order or shipment, event, channel).

Triggers (order confirmed, shipment handed over, carrier status, exceptions) call
:meth:`_ot_notify`, which only inserts rows — ``INSERT ... ON CONFLICT DO NOTHING`` on the unique
key, so reruns, webhooks repeating themselves and two cron workers never make a second row — and
wakes the sending cron. The sync path stays fast: rendering and sending happen in
:meth:`_cron_send_notifications`, batched, rows claimed with ``FOR UPDATE SKIP LOCKED``.

Sending uses Odoo's own machinery: the SMS is posted on the order with ``_message_sms`` (an
``sms.sms`` in Odoo's queue, so the company's gateway or outbox applies, with the gateway's
approved template when one is configured for the event) and the email is the event's
``mail.template`` posted on the order. Either way staff see it on the order's chatter, with
Odoo's delivery icons and resend dialog.

Customers on Odoo's phone or mail blacklist get nothing (the row says so); SMS that would arrive
in quiet hours (default 22:00-08:00 shop time) are held until the morning.
"""

import logging
from datetime import datetime, time, timedelta
from urllib.parse import quote

from pytz import utc

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize
from odoo.tools.misc import hmac as odoo_hmac

from ..conversation.normalize import mask_mobile
from ..conversation.replies import exception_next_step
from .ir_cron import HOLD_TRIGGER_KEY
from .mail_render_mixin import CONTEXT_KEY
from .order_tracking_eta import format_day
from .order_tracking_exception import ADDRESS_EXCEPTIONS
from .order_tracking_notification_rule import CHANNEL_SELECTION, EVENT_SELECTION
from .sms_sms import OUTBOX_STATE
from .sms_sms_gateway import CREATE_VALUES_KEY

_logger = logging.getLogger(__name__)

STATE_SELECTION = [
    ("queued", "Queued"),
    ("held", "Held (quiet hours)"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]
# Shipment events; the others (order confirmed) belong to the order.
ORDER_EVENTS = ("confirmed",)
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


def mask_email(email):
    """``a***@example.com``: enough for staff to recognise, not to copy."""
    if not email or "@" not in email:
        return email or ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


class OrderTrackingNotification(models.Model):
    _name = "order.tracking.notification"
    _description = "Order Tracking Customer Notification"
    _order = "id desc"
    _rec_name = "event"

    res_model = fields.Char(string="Subject Model", required=True, readonly=True)
    res_id = fields.Integer(string="Subject Id", required=True, readonly=True)
    event = fields.Selection(EVENT_SELECTION, required=True, readonly=True, index=True)
    channel = fields.Selection(CHANNEL_SELECTION, required=True, readonly=True)
    order_id = fields.Many2one(
        "sale.order", string="Order", readonly=True, index=True, ondelete="cascade"
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Shipment", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    # sudo-only: the full number/address; users without the manager group see the masked one.
    recipient = fields.Char(
        string="Recipient (full)", readonly=True, groups="stock.group_stock_manager"
    )
    recipient_masked = fields.Char(string="Recipient", readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    state = fields.Selection(STATE_SELECTION, default="queued", required=True, index=True)
    reason = fields.Char(readonly=True, help="Why it was skipped or failed.")
    scheduled_at = fields.Datetime(string="Send After", readonly=True, index=True)
    sent_at = fields.Datetime(readonly=True)
    attempts = fields.Integer(readonly=True)
    message_id = fields.Many2one("mail.message", string="Chatter Message", readonly=True)
    sms_id = fields.Many2one("sms.sms", string="SMS", readonly=True, ondelete="set null")
    sms_uuid = fields.Char(string="SMS UUID", readonly=True)
    mail_id = fields.Many2one("mail.mail", string="Email", readonly=True, ondelete="set null")
    delivery_state = fields.Char(
        string="Delivery State",
        compute="_compute_delivery_state",
        help="What the gateway (SMS) or the mail server (email) says about the message.",
    )

    _unique_key = models.Constraint(
        "UNIQUE(res_model, res_id, event, channel)",
        "One notification per order or shipment, event and channel.",
    )

    @api.depends("message_id", "sms_uuid", "state")
    def _compute_delivery_state(self):
        # sudo: mail.notification - the delivery status of our own message, for staff
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "in", self.message_id.ids)])
        )
        labels = dict(notifications._fields["notification_status"]._description_selection(self.env))
        by_message = {}
        for notification in notifications:
            by_message.setdefault(notification.mail_message_id.id, notification)
        trackers = (
            self.env["sms.tracker"]
            .sudo()
            .search([("sms_uuid", "in", [u for u in self.mapped("sms_uuid") if u])])
        )
        dlr = {t.sms_uuid: t.ot_dlr_state for t in trackers if t.ot_dlr_state}
        for record in self:
            notification = by_message.get(record.message_id.id)
            state = labels.get(notification.notification_status) if notification else False
            if record.sms_uuid in dlr:
                state = f"{state or ''} ({dlr[record.sms_uuid]})".strip()
            if record.sms_id.state == OUTBOX_STATE:
                state = self.env._("Kept in Outbox")
            record.delivery_state = state or False

    # --- queueing (called by the triggers, must stay cheap) ------------------------------------

    @api.model
    def _ot_notify(self, event, order, picking=None):
        """Queue ``event`` of ``order`` (and of its shipment ``picking``) on each channel switched
        on; returns the rows created now (none when they already existed)."""
        picking = picking or self.env["stock.picking"]
        if not order or order.state != "sale":
            return self.browse()
        company = order.company_id
        carrier = picking.carrier_id or order.carrier_id
        channels = self.env["order.tracking.notification.rule"]._ot_channels(
            company, carrier, event
        )
        if not channels:
            return self.browse()
        subject = order if event in ORDER_EVENTS or not picking else picking
        partner = order.partner_id
        now = fields.Datetime.now()
        rows = []
        for channel in channels:
            recipient, state, reason = self._ot_recipient(partner, channel)
            scheduled = now
            if state == "queued" and channel == "sms":
                release = self._ot_quiet_until(company, now)
                if release:
                    state, scheduled = "held", release
            rows.append(
                {
                    "res_model": subject._name,
                    "res_id": subject.id,
                    "event": event,
                    "channel": channel,
                    "order_id": order.id,
                    "picking_id": picking.id or None,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "recipient": recipient or None,
                    "recipient_masked": self._ot_mask(channel, recipient) or None,
                    "lang": partner.lang or company.partner_id.lang or "en_US",
                    "state": state,
                    "reason": reason or None,
                    "scheduled_at": scheduled,
                }
            )
        created = self._ot_insert(rows)
        # Decided from the values, not the new rows: the caller (a portal checkout, a
        # warehouse worker) may not read notifications.
        if created and any(row["state"] in ("queued", "held") for row in rows):
            self._ot_wake_cron()
        return created

    @api.model
    def _ot_wake_cron(self):
        """Wake the sending cron once per transaction (a sync batch may queue hundreds)."""
        precommit = self.env.cr.precommit
        if precommit.data.get("ot_notification_wake"):
            return
        precommit.data["ot_notification_wake"] = True
        # sudo: ir.cron - whoever triggered an event may wake the system's sending cron
        cron = self.env.ref("order_tracking_chatbot.ir_cron_order_tracking_notifications").sudo()
        precommit.add(cron._trigger)

    @api.model
    def _ot_insert(self, rows):
        """Insert ``rows``, skipping those whose (subject, event, channel) exists already."""
        if not rows:
            return self.browse()
        columns = list(rows[0])
        uid, now = self.env.uid, fields.Datetime.now()
        values = [
            SQL("(%s)", SQL(", ").join([*(row[c] for c in columns), uid, now, uid, now]))
            for row in rows
        ]
        names = SQL(", ").join(
            SQL.identifier(c) for c in (*columns, "create_uid", "create_date", "write_uid")
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO order_tracking_notification (%s, write_date) VALUES %s "
                "ON CONFLICT DO NOTHING RETURNING id",
                names,
                SQL(", ").join(values),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _ot_recipient(self, partner, channel):
        """``(recipient, state, reason)``: where to send, or why nothing is sent. The blacklists
        are read from the database, not from the partner's cached flags: an opt-out made after
        the notification was queued still counts."""
        if channel == "sms":
            number = partner.phone_sanitized
            if not number:
                return False, "skipped", self.env._("No valid mobile number")
            # sudo: phone.blacklist - an opt-out check, whoever triggered the notification
            if self.env["phone.blacklist"].sudo().search_count([("number", "=", number)], limit=1):
                return number, "skipped", self.env._("Opted out (phone blacklist)")
            return number, "queued", False
        email = email_normalize(partner.email or "")
        if not email:
            return False, "skipped", self.env._("No email address")
        # sudo: mail.blacklist - an opt-out check, whoever triggered the notification
        if self.env["mail.blacklist"].sudo().search_count([("email", "=", email)], limit=1):
            return email, "skipped", self.env._("Opted out (email blacklist)")
        return email, "queued", False

    @api.model
    def _ot_mask(self, channel, recipient):
        if not recipient:
            return False
        return mask_mobile(recipient) if channel == "sms" else mask_email(recipient)

    @api.model
    def _ot_quiet_until(self, company, now):
        """End of the quiet hours (UTC, naive) when ``now`` falls inside them, else ``None``."""
        start, end = company.ot_notify_quiet_start, company.ot_notify_quiet_end
        if start == end:
            return None
        tz = self.env["order.tracking.eta"]._ot_shop_tz(company)
        local = utc.localize(now).astimezone(tz)
        hour = local.hour + local.minute / 60
        inside = (start <= hour or hour < end) if start > end else (start <= hour < end)
        if not inside:
            return None
        day = local.date() if hour < end else local.date() + timedelta(days=1)
        hours, minutes = int(end), round((end - int(end)) * 60)
        release = tz.localize(datetime.combine(day, time(hours, minutes)))
        return release.astimezone(utc).replace(tzinfo=None)

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
            self.write(
                {
                    "state": "sent",
                    "reason": False,
                    "sent_at": now,
                    "attempts": self.attempts + 1,
                    "recipient": recipient,
                    "message_id": message.id,
                    "sms_id": sms[:1].id,
                    "sms_uuid": sms[:1].uuid,
                }
            )
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
        self.write(
            {
                "state": "sent",
                "reason": False,
                "sent_at": now,
                "attempts": self.attempts + 1,
                "recipient": recipient,
                "message_id": message.id,
                "mail_id": mail.id,
            }
        )
        return None

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

    # --- staff -----------------------------------------------------------------------------------

    def action_ot_retry(self):
        """Send failed notifications again (a new message; the failed one stays on the chatter)."""
        failed = self.filtered(lambda n: n.state == "failed")
        failed.write({"state": "queued", "reason": False, "scheduled_at": fields.Datetime.now()})
        if failed:
            self._ot_wake_cron()
        return True

    def action_ot_open_subject(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
