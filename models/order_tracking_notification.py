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

This file holds the rows and their queueing; order_tracking_notification_sending.py the cron that
renders and sends them.
"""

from datetime import datetime, time, timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize

from ..conversation.normalize import mask_mobile
from .order_tracking_notification_rule import CHANNEL_SELECTION, EVENT_SELECTION
from .sms_sms import OUTBOX_STATE

STATE_SELECTION = [
    ("queued", "Queued"),
    ("held", "Held (quiet hours)"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]
# Shipment events; the others (order confirmed) belong to the order.
ORDER_EVENTS = ("confirmed",)


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
