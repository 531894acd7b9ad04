"""A Telegram or Bale bot the shop runs: its token, its webhook and the buttons that set it up.

The token comes from the environment variable ``OT_TELEGRAM_BOT_TOKEN`` / ``OT_BALE_BOT_TOKEN``
when set (one bot per platform kept out of the database), else from the stored field, which only
system administrators can read (same rule as models/credentials.py). The webhook secret is
random, generated here, sent once to the platform by "Set webhook" and compared in constant
time on every update (see order_tracking_messenger_update.py). Neither is ever logged.
"""

import logging
import os
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..exceptions import TrackingError
from ..messenger.client import DEFAULT_BASE_URLS, BotApiClient
from ..messenger.updates import ALLOWED_UPDATES

_logger = logging.getLogger(__name__)

PLATFORM_SELECTION = [("telegram", "Telegram"), ("bale", "Bale")]
# Platforms that send the secret back in a header. Bale's header is not documented, so its
# webhook URL carries the secret as a path segment instead (the route accepts either).
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEADER_PLATFORMS = ("telegram",)
WEBHOOK_PATH = "/order-tracking/messenger/{bot_id}/webhook"


def _new_secret():
    # Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -: token_urlsafe stays within.
    return secrets.token_urlsafe(32)


class OrderTrackingMessengerBot(models.Model):
    _name = "order.tracking.messenger.bot"
    _description = "Order Tracking Messenger Bot"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    platform = fields.Selection(PLATFORM_SELECTION, required=True, default="telegram")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    website_id = fields.Many2one(
        "website",
        ondelete="set null",
        help="The website whose chat settings (language, live chat) the bot follows.",
    )
    token = fields.Char(
        string="Bot Token",
        groups="base.group_system",
        copy=False,
        help="The token BotFather (Telegram) or Bale's BotFather gave. The environment variable "
        "OT_TELEGRAM_BOT_TOKEN / OT_BALE_BOT_TOKEN wins over this field.",
    )
    webhook_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        default=lambda self: _new_secret(),
        help="Sent to the platform by 'Set webhook'; updates without it are refused.",
    )
    api_base_url = fields.Char(
        string="API Base URL",
        groups="base.group_system",
        help="Empty: the platform's public Bot API (https://api.telegram.org, "
        "https://tapi.bale.ai). Set it only for a proxy or a test server.",
    )
    bot_username = fields.Char(readonly=True, copy=False)
    last_api_answer = fields.Text(string="Last API Answer", readonly=True, copy=False)
    webhook_url = fields.Char(
        compute="_compute_webhook_url",
        help="The only URL of this Odoo the platform needs to reach.",
    )
    link_ids = fields.One2many("order.tracking.messenger.link", "bot_id", string="Linked Chats")
    link_count = fields.Integer(compute="_compute_link_count", string="Linked Chats Count")

    @api.depends("platform")
    def _compute_webhook_url(self):
        for bot in self:
            base = bot.get_base_url() if bot.id else ""
            bot.webhook_url = (base + WEBHOOK_PATH.format(bot_id=bot.id)) if bot.id else False

    def _compute_link_count(self):
        counts = dict(
            self.env["order.tracking.messenger.link"]._read_group(
                [("bot_id", "in", self.ids)], ["bot_id"], ["__count"]
            )
        )
        for bot in self:
            bot.link_count = counts.get(bot, 0)

    # --- secrets and client -------------------------------------------------------------------

    def _ot_token(self):
        """The bot's token: its environment variable, else the stored field (see module doc)."""
        self.ensure_one()
        from_env = os.environ.get(f"OT_{self.platform.upper()}_BOT_TOKEN")
        if from_env:
            return from_env
        # sudo: order.tracking.messenger.bot - the token is a system-group field used server-side
        return self.sudo().token or None

    def _ot_secret(self):
        self.ensure_one()
        # sudo: order.tracking.messenger.bot - compared server-side only, never shown
        return self.sudo().webhook_secret or ""

    def _ot_client(self):
        """A :class:`BotApiClient` for this bot (raises UserError without a token)."""
        self.ensure_one()
        token = self._ot_token()
        if not token:
            raise UserError(self.env._("The bot %(name)s has no token.", name=self.name))
        # sudo: order.tracking.messenger.bot - a system-group setting read server-side
        base = self.sudo().api_base_url or DEFAULT_BASE_URLS[self.platform]
        return BotApiClient(base, token)

    def _ot_webhook_target(self):
        """``(url, secret)`` given to setWebhook; the secret is in the URL only for platforms
        without the header."""
        self.ensure_one()
        url = self.get_base_url() + WEBHOOK_PATH.format(bot_id=self.id)
        secret = self._ot_secret()
        if self.platform not in HEADER_PLATFORMS:
            url = f"{url}/{secret}"
        return url, secret

    # --- buttons ------------------------------------------------------------------------------

    def action_ot_set_webhook(self):
        """Register this Odoo's webhook URL and secret with the platform; show the answer."""
        self.ensure_one()
        if not self.webhook_secret:
            self.webhook_secret = _new_secret()
        url, secret = self._ot_webhook_target()
        return self._ot_api_button(
            lambda client: client.set_webhook(url, secret, ALLOWED_UPDATES),
            self.env._("Set webhook"),
        )

    def action_ot_check_bot(self):
        """Call getMe (and getWebhookInfo) and show what the platform says about the bot."""
        self.ensure_one()

        def check(client):
            me = client.get_me() or {}
            if isinstance(me, dict) and me.get("username"):
                self.bot_username = me["username"]
            info = client.get_webhook_info() or {}
            # The answer may echo the URL (with Bale's secret path): keep only what helps.
            if isinstance(info, dict):
                info = {
                    k: info[k]
                    for k in ("pending_update_count", "last_error_message", "last_error_date")
                    if k in info
                }
            return {"getMe": me, "getWebhookInfo": info}

        return self._ot_api_button(check, self.env._("Check bot"))

    def _ot_api_button(self, call, title):
        try:
            answer = call(self._ot_client())
            ok, text = True, str(answer)
        except TrackingError as error:
            ok, text = False, str(error)
        self.last_api_answer = text[:2000]
        _logger.info("Messenger bot %s: %s -> %s", self.id, title, "ok" if ok else "error")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": text[:500],
                "type": "success" if ok else "danger",
                "sticky": not ok,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_ot_regenerate_secret(self):
        """A new webhook secret (then set the webhook again): for a secret that leaked."""
        self.ensure_one()
        self.webhook_secret = _new_secret()
        return True

    def action_ot_open_links(self):
        self.ensure_one()
        domain = [("bot_id", "=", self.id)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Linked Chats"),
            "res_model": "order.tracking.messenger.link",
            "view_mode": "list,form",
            "domain": domain,
        }

    # --- sending ------------------------------------------------------------------------------

    def _ot_send(self, chat_id, calls):
        """Send ``calls`` (``[(text, reply_markup)]``) to ``chat_id``; returns the number sent.

        Errors are logged (without the chat id) and stop the rest of this answer: the customer
        sees what got through, and the webhook still answers 200 (the turn is stored).
        """
        self.ensure_one()
        if not self._ot_token():
            # The turn is stored; without a token there is no way to answer (and no point in
            # making the platform resend the update).
            _logger.warning("Messenger bot %s has no token: answer not sent", self.id)
            return 0
        client = self._ot_client()
        sent = 0
        for text, markup in calls:
            try:
                client.send_message(chat_id, text, reply_markup=markup)
            except TrackingError as error:
                _logger.warning("Messenger bot %s: sending failed (%s)", self.id, error)
                break
            sent += 1
        return sent
