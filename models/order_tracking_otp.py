"""One-time codes of the chat's level-2 verification, sent by SMS (`sms.sms`).

Only the HMAC of a code is stored (keyed with ``database.secret``, see conversation/otp.py); the
SMS itself is an `sms.sms` record, kept in the SMS outbox when the company's provider is the
outbox. A code belongs to one chat session and one mobile: a code requested in one chat cannot
be typed into another, so asking for a code to someone else's number gains nothing.

Rules (Settings > Order Tracking): validity (5 minutes), attempts per code (5), resend cooldown
per mobile (60 seconds), codes per mobile per 24 hours (5). Cooldown and daily cap count every
code issued to the mobile, also those not sent because the number has no orders, so the answers
are the same whether a number is a customer's or not.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..conversation import otp as otp_algo
from ..conversation.backend import CheckResult, SendResult
from ..conversation.normalize import mask_mobile, normalize_digits
from .settings import read_setting

_logger = logging.getLogger(__name__)

# Used and expired codes are kept this long for the OTP log, then deleted by the cleanup cron.
KEEP_CODES = timedelta(days=7)


class OrderTrackingOtp(models.Model):
    _name = "order.tracking.otp"
    _description = "Chat One-Time Code"
    _order = "id desc"

    session_id = fields.Many2one(
        "order.tracking.chat.session", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    mobile_hash = fields.Char(required=True, readonly=True, index=True)
    mobile_masked = fields.Char(string="Mobile", readonly=True)
    purpose = fields.Selection(
        [("order", "Order verification"), ("mobile", "Orders of a mobile")],
        required=True,
        readonly=True,
    )
    nonce = fields.Char(required=True, readonly=True, groups="base.group_system")
    code_hash = fields.Char(required=True, readonly=True, groups="base.group_system")
    expires_at = fields.Datetime(required=True, readonly=True)
    attempts = fields.Integer(readonly=True)
    state = fields.Selection(
        [
            ("active", "Waiting"),
            ("used", "Used"),
            ("superseded", "Replaced by a newer code"),
            ("blocked", "Too many wrong tries"),
            ("expired", "Expired"),
        ],
        default="active",
        required=True,
        readonly=True,
    )
    sent = fields.Boolean(
        readonly=True,
        help="False when no SMS went out because the number has no orders (the visitor is told "
        "the same thing either way).",
    )
    sms_id = fields.Many2one("sms.sms", string="SMS", readonly=True, ondelete="set null")
    issued_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    _mobile_issued_idx = models.Index("(mobile_hash, issued_at)")
    _session_mobile_idx = models.Index("(session_id, mobile_hash, id)")

    # --- issuing ------------------------------------------------------------------------------

    @api.model
    def _ot_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _ot_issue(self, session, e164, purpose, deliver, lang):
        """Issue a code for ``e164`` in ``session`` and SMS it when ``deliver`` is true.

        :param deliver: False for a mobile without orders: the code is recorded (so cooldown and
            daily cap behave the same) but nothing is sent.
        :return: a :class:`SendResult` (``sent``, ``cooldown``, ``daily_cap`` or ``invalid``).
        """
        if not e164:
            return SendResult(False, "invalid")
        now = fields.Datetime.now()
        mobile_hash = self.env["order.tracking.rate.limit"]._ot_hash("mobile", e164)
        # Two chats asking for the same number at the same moment must not both pass the cooldown
        # (the later one is retried and then sees the other's code).
        self.env["order.tracking.rate.limit"]._ot_lock([f"otp:{mobile_hash}"])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*), MAX(issued_at) FROM order_tracking_otp"
                " WHERE mobile_hash = %s AND issued_at >= %s",
                mobile_hash,
                now - timedelta(hours=24),
            )
        )
        count, last_issued = self.env.cr.fetchone()
        reason, _wait = otp_algo.send_decision(
            now,
            last_issued,
            count,
            cooldown_seconds=read_setting(self.env, "otp_cooldown_seconds"),
            daily_cap=read_setting(self.env, "otp_daily_cap"),
        )
        if reason != "sent":
            _logger.info("Chat OTP to %s refused: %s", mask_mobile(e164), reason)
            return SendResult(False, reason)
        # An older code of this chat for this number stops working when a new one is issued.
        self.search(
            [
                ("session_id", "=", session.id),
                ("mobile_hash", "=", mobile_hash),
                ("state", "=", "active"),
            ]
        ).write({"state": "superseded"})
        code = otp_algo.generate_code()
        nonce = otp_algo.new_nonce()
        record = self.create(
            {
                "session_id": session.id,
                "company_id": session.company_id.id,
                "mobile_hash": mobile_hash,
                "mobile_masked": mask_mobile(e164),
                "purpose": purpose,
                "nonce": nonce,
                "code_hash": otp_algo.hash_code(self._ot_secret(), nonce, e164, code),
                "expires_at": otp_algo.expiry(now, read_setting(self.env, "otp_validity_minutes")),
                "issued_at": now,
                "sent": bool(deliver),
            }
        )
        if deliver:
            record.sms_id = record._ot_send_sms(e164, code, lang)
        _logger.info(
            "Chat OTP issued to %s (session %s, %s)",
            mask_mobile(e164),
            session.id,
            "sent" if deliver else "not sent: no orders",
        )
        return SendResult(True, "sent")

    def _ot_send_sms(self, e164, code, lang):
        """Queue the SMS with the code; the company's SMS provider decides where it goes."""
        self.ensure_one()
        env = self.with_context(lang=lang).env
        company = self.company_id
        minutes = read_setting(self.env, "otp_validity_minutes")
        body = env._(
            "%(shop)s code: %(code)s\nValid %(minutes)s min. Never share it.",
            shop=company.name,
            code=code,
            minutes=minutes,
        )
        # The code stays in ASCII digits in both languages: phones offer it for one-tap filling.
        # A gateway with an approved "otp" template sends the template filled with the code
        # (Iranian operators require it for codes); otherwise the body goes as plain text.
        return self.env["sms.sms"]._ot_queue_template(
            "otp", {"code": code}, {"number": e164, "body": body, "ot_company_id": company.id}
        )

    # --- checking -----------------------------------------------------------------------------

    @api.model
    def _ot_check(self, session, e164, code):
        """Check ``code`` against the latest code of ``session`` for ``e164``.

        :return: a :class:`CheckResult`; a matching code is consumed (it cannot be replayed).
        """
        if not e164:
            return CheckResult(False, "none")
        max_attempts = read_setting(self.env, "otp_max_attempts")
        mobile_hash = self.env["order.tracking.rate.limit"]._ot_hash("mobile", e164)
        record = self.search(
            [("session_id", "=", session.id), ("mobile_hash", "=", mobile_hash)],
            order="id desc",
            limit=1,
        )
        if not record or record.state in ("used", "superseded"):
            return CheckResult(False, "none")
        if record.state == "blocked":
            return CheckResult(False, "too_many", 0)
        now = fields.Datetime.now()
        decision = otp_algo.check_decision(now, record.expires_at, record.attempts, max_attempts)
        if decision == "expired":
            record.state = "expired"
            return CheckResult(False, "expired")
        if decision == "too_many":
            record.state = "blocked"
            return CheckResult(False, "too_many", 0)
        # sudo: order.tracking.otp - the hash and nonce are system-only fields; comparing them
        # is this method's job whoever asks.
        stored = record.sudo()
        if otp_algo.code_matches(
            self._ot_secret(),
            stored.nonce,
            e164,
            normalize_digits(code or ""),
            stored.code_hash,
        ):
            record.write({"state": "used", "attempts": record.attempts + 1})
            _logger.info("Chat OTP verified for %s (session %s)", mask_mobile(e164), session.id)
            return CheckResult(True, "ok")
        attempts = record.attempts + 1
        reason, left = otp_algo.after_wrong_attempt(attempts, max_attempts)
        record.write(
            {"attempts": attempts, "state": "blocked" if reason == "too_many" else "active"}
        )
        _logger.info(
            "Chat OTP wrong for %s (session %s, %s tries left)", mask_mobile(e164), session.id, left
        )
        return CheckResult(False, reason, left)

    # --- cleanup ------------------------------------------------------------------------------

    @api.model
    def _ot_prune(self):
        """Expire codes past their time and delete old ones; returns how many were deleted."""
        now = fields.Datetime.now()
        self.search([("state", "=", "active"), ("expires_at", "<", now)]).write(
            {"state": "expired"}
        )
        old = self.search([("issued_at", "<", now - KEEP_CODES)])
        count = len(old)
        old.unlink()
        return count
