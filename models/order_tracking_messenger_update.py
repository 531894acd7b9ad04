"""The log of processed messenger updates: the webhook's idempotency and its entry point.

Telegram resends an update until it gets a 2xx answer, so the same ``update_id`` can arrive
twice (or in parallel). The row ``(bot, update_id)`` is inserted first with ``ON CONFLICT DO
NOTHING``: whoever inserts it processes the update, anyone else answers "duplicate". The row
is part of the turn's transaction, so a turn that fails leaves no row and the retry is
processed. Rows are pruned after a week by the chat cleanup cron; the update's content is never
stored.
"""

import hmac
import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..messenger.updates import parse_update
from .order_tracking_messenger_bot import HEADER_PLATFORMS, SECRET_HEADER

_logger = logging.getLogger(__name__)

KEEP_DAYS = 7


class OrderTrackingMessengerUpdate(models.Model):
    _name = "order.tracking.messenger.update"
    _description = "Order Tracking Messenger Update"
    _order = "id desc"
    _log_access = False

    bot_id = fields.Many2one(
        "order.tracking.messenger.bot", required=True, readonly=True, ondelete="cascade"
    )
    # A string: update ids may pass 32 bits, and they are only compared.
    update_id = fields.Char(required=True, readonly=True)
    kind = fields.Char(readonly=True)
    received_at = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)

    _update_unique = models.Constraint(
        "UNIQUE(bot_id, update_id)", "An update is processed once per bot."
    )

    # --- webhook ------------------------------------------------------------------------------

    @api.model
    def _ot_handle_webhook(self, bot_id, headers, body, path_secret=None):
        """Authenticate, de-duplicate and process one webhook call; ``(http status, dict)``.

        401 for a missing or wrong secret and 404 for an unknown bot, both before anything is
        read or stored; 400 for a body that is not an update; 200 otherwise (also for updates
        the bot ignores, so the platform does not resend them).
        """
        bot = self.env["order.tracking.messenger.bot"].browse(bot_id).exists()
        if not bot or not bot.active:
            return 404, {"ok": False}
        if not self._ot_secret_ok(bot, headers, path_secret):
            _logger.warning("Messenger bot %s: webhook call with a wrong secret refused", bot.id)
            return 401, {"ok": False}
        try:
            update = json.loads(body or b"")
        except ValueError:
            return 400, {"ok": False}
        incoming = parse_update(update)
        if incoming is None:
            return 400, {"ok": False}
        if not self._ot_claim(bot, incoming):
            return 200, {"ok": True, "result": "duplicate"}
        bot = bot.with_company(bot.company_id)
        self.env["order.tracking.chat.session"]._ot_messenger_update(bot, incoming)
        return 200, {"ok": True}

    @api.model
    def _ot_secret_ok(self, bot, headers, path_secret):
        expected = bot._ot_secret()
        if not expected:
            return False
        given = path_secret
        if given is None and bot.platform in HEADER_PLATFORMS:
            given = next(
                (v for k, v in headers.items() if k.lower() == SECRET_HEADER.lower()), None
            )
        return bool(given) and hmac.compare_digest(given.encode(), expected.encode())

    @api.model
    def _ot_claim(self, bot, incoming):
        """Insert the (bot, update_id) row; False when it was there already."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO order_tracking_messenger_update (bot_id, update_id, kind, received_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
                bot.id,
                str(incoming.update_id),
                incoming.kind,
                fields.Datetime.now(),
            )
        )
        return bool(self.env.cr.fetchone())

    # --- housekeeping (the hourly chat cleanup, order_tracking_chat_session.py) ---------------

    @api.model
    def _ot_prune(self):
        """Forget updates older than a week (Telegram gives up on an update after 24 hours, so
        no retry can arrive later); returns how many rows were deleted."""
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM order_tracking_messenger_update WHERE received_at < %s", limit)
        )
        deleted = self.env.cr.rowcount
        self.invalidate_model()
        return deleted
