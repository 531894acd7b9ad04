"""Chats held in Telegram or Bale: the same conversation engine as the website widget, driven
by webhook updates instead of the JSON API.

One chat session per (bot, chat id), reused while it is alive (the widget's idle expiry); the
session's channel (``telegram``/``bale``) feeds the same statistics as the widget's. Texts and
button presses run :meth:`_ot_run_turn`, the widget's turn, unchanged: same rate limits, state,
transcript, audit and tickets. Two things are the messenger's own:

- a contact the customer shares with the "share my phone number" button, when the platform says
  it is the sender's own (``contact.user_id == from.id``), proves that mobile like a correct SMS
  code (``Policy.handle_proven_mobile``) and links the chat for notifications; any other contact
  proves nothing;
- the commands /start, /stop (notifications off) and /forget (remove the link).
"""

import logging
import secrets
import time

from odoo import api, fields, models
from odoo.tools import SQL

from ..conversation.actions import ACTION_VERIFY_SMS, MENU_BUTTONS
from ..conversation.normalize import mask_mobile, normalize_mobile
from ..conversation.state import STEP_AWAIT_MOBILE
from ..conversation.turn import TurnBuilder
from ..exceptions import TrackingError
from ..messenger import render
from .order_tracking_chat_session import LANGS

_logger = logging.getLogger(__name__)

MESSENGER_CHANNELS = ("telegram", "bale")


class OrderTrackingChatSession(models.Model):
    _inherit = "order.tracking.chat.session"

    channel = fields.Selection(
        selection_add=[("telegram", "Telegram"), ("bale", "Bale")],
        ondelete={"telegram": "cascade", "bale": "cascade"},
    )
    ot_messenger_bot_id = fields.Many2one(
        "order.tracking.messenger.bot",
        string="Messenger Bot",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    ot_messenger_chat_id = fields.Char(
        string="Messenger Chat",
        readonly=True,
        groups="base.group_system",
        copy=False,
        index="btree_not_null",
    )

    # --- entry point ---------------------------------------------------------------------------

    @api.model
    def _ot_messenger_update(self, bot, incoming):
        """Answer one parsed update (see messenger/updates.py) of ``bot``; the answer's calls are
        sent to the chat once the database work of the turn is done."""
        handler = getattr(self, f"_ot_messenger_on_{incoming.kind}")
        calls = handler(bot, incoming) or []
        if calls:
            bot._ot_send(incoming.chat_id, calls)
        return calls

    def _ot_messenger_on_ignored(self, bot, incoming):
        return []

    def _ot_messenger_on_unsupported(self, bot, incoming):
        lang = self._ot_messenger_lang(bot, incoming)
        return [(render.say("unsupported", lang), None)]

    def _ot_messenger_on_text(self, bot, incoming):
        started = time.perf_counter()
        text = incoming.text.strip()
        # "/start@shop_bot payload" is /start; plain words are compared whole.
        command = (
            text.lower().split(maxsplit=1)[0].split("@")[0] if text[:1] == "/" else text.lower()
        )
        if command in render.START_COMMANDS:
            session, calls = self._ot_messenger_session(bot, incoming)
            return session._ot_messenger_greet(bot, incoming.chat_id) if session else calls
        if command in render.STOP_COMMANDS:
            return self._ot_messenger_stop(bot, incoming)
        if command in render.FORGET_COMMANDS:
            return self._ot_messenger_forget(bot, incoming)
        return self._ot_messenger_turn(bot, incoming, {"text": text}, started)

    def _ot_messenger_on_action(self, bot, incoming):
        started = time.perf_counter()
        if incoming.callback_query_id and bot._ot_token():
            try:
                bot._ot_client().answer_callback_query(incoming.callback_query_id)
            except TrackingError as error:  # the spinner is cosmetic, the answer is not
                _logger.info("Messenger bot %s: answerCallbackQuery failed (%s)", bot.id, error)
        if incoming.action == render.ACTION_STOP:
            return self._ot_messenger_stop(bot, incoming)
        if incoming.action == render.ACTION_FORGET:
            return self._ot_messenger_forget(bot, incoming)
        return self._ot_messenger_turn(bot, incoming, {"action": incoming.action}, started)

    def _ot_messenger_on_contact(self, bot, incoming):
        started = time.perf_counter()
        session, calls = self._ot_messenger_session(bot, incoming)
        if not session:
            return calls
        lang = session._ot_messenger_turn_lang()
        e164 = normalize_mobile(incoming.phone_number or "") if incoming.own_contact else None
        if not incoming.own_contact or not e164:
            # Someone else's card, or a number we cannot verify: nothing is proven or stored
            # beyond a note in the transcript.
            key = "contact_not_own" if not incoming.own_contact else "contact_not_mobile"
            session._ot_messenger_note(render.say(key, lang))
            return [(render.say(key, lang), None)]
        return session._ot_messenger_proven(bot, incoming, e164, started)

    # --- sessions ------------------------------------------------------------------------------

    @api.model
    def _ot_messenger_lang(self, bot, incoming):
        """The customer's app language when we speak it, else the website's; the engine still
        follows the language of what they type."""
        code = (incoming.language_code or "").lower()
        if code.startswith("fa"):
            return "fa_IR"
        if code.startswith("en"):
            return "en_US"
        return self._ot_default_lang(bot.website_id)

    @api.model
    def _ot_messenger_ip_hash(self, bot, chat_id):
        """The rate limits' key of a chat: its platform and id stand for the widget's IP."""
        return self.env["order.tracking.rate.limit"]._ot_hash(
            "ip", f"{bot.platform}:{bot.id}:{chat_id}"
        )

    @api.model
    def _ot_messenger_find(self, bot, chat_id):
        """The latest chat of ``chat_id`` with ``bot``, its row locked (see _ot_find_session)."""
        self.flush_model(["ot_messenger_bot_id", "ot_messenger_chat_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM order_tracking_chat_session"
                " WHERE ot_messenger_bot_id = %s AND ot_messenger_chat_id = %s"
                " ORDER BY id DESC LIMIT 1 FOR NO KEY UPDATE",
                bot.id,
                chat_id,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _ot_messenger_session(self, bot, incoming):
        """``(session, calls)``: the chat's live session, else a new one (``calls`` then holds
        the rate-limit answer when no session may be started)."""
        session = self._ot_messenger_find(bot, incoming.chat_id)
        if session and not session._ot_expired() and session.outcome != "abandoned":
            return session.with_company(session.company_id), []
        return self._ot_messenger_start(bot, incoming)

    @api.model
    def _ot_messenger_start(self, bot, incoming):
        """``(session, calls)``: a new chat for ``incoming``'s chat, or no chat and the answer
        of the rate limit when this chat started too many lately."""
        lang = self._ot_messenger_lang(bot, incoming)
        ip_hash = self._ot_messenger_ip_hash(bot, incoming.chat_id)
        limit, retry_after = self.env["order.tracking.rate.limit"]._ot_check_session_start(ip_hash)
        if limit:
            _logger.info("Messenger chat start refused: %s", limit)
            body = self._ot_error_body("rate_limited", lang, retry_after)
            return self.browse(), [(body["error"]["message"], None)]
        session = self.create(
            {
                # Nobody holds a token for a messenger chat: the chat id finds it.
                "token_hash": self._ot_token_hash(secrets.token_urlsafe(32)),
                "channel": bot.platform,
                "lang": lang,
                "website_id": bot.website_id.id or False,
                "company_id": bot.company_id.id,
                "engine_state": None,
                "offered_actions": {},
                "ip_hash": ip_hash,
                "last_activity_at": fields.Datetime.now(),
                "ot_messenger_bot_id": bot.id,
                "ot_messenger_chat_id": incoming.chat_id,
            }
        ).with_company(bot.company_id)
        _logger.info("Chat %s started (%s)", session.id, session.channel)
        return session, []

    def _ot_messenger_greet(self, bot, chat_id):
        """/start: the greeting and the menu and, unless the chat already proved a mobile or is
        linked, the "share my phone number" keyboard. The chat's state is kept (a verified
        customer stays verified)."""
        self.ensure_one()
        lang = self._ot_messenger_turn_lang()
        tb = TurnBuilder(lang)
        tb.say("greeting", buttons=MENU_BUTTONS)
        offered = dict(self.offered_actions or {}) if isinstance(self.offered_actions, dict) else {}
        self.write(
            {
                "offered_actions": {**offered, **self._ot_offered(tb.messages)},
                "last_activity_at": fields.Datetime.now(),
            }
        )
        self._ot_store_bot_messages(tb.messages)
        calls = render.outgoing_messages(self._ot_messenger_pairs(tb.messages))
        state = self.engine_state or {}
        linked = self.env["order.tracking.messenger.link"]._ot_find(bot, chat_id)
        if not linked and not state.get("verified_mobiles"):
            calls.append((render.say("share_contact_offer", lang), render.contact_keyboard(lang)))
        return calls

    def _ot_messenger_turn_lang(self):
        self.ensure_one()
        state = self.engine_state or {}
        lang = state.get("lang") if isinstance(state, dict) else None
        return lang if lang in LANGS else (self.lang or "fa_IR")

    # --- turns ---------------------------------------------------------------------------------

    @api.model
    def _ot_messenger_turn(self, bot, incoming, payload, started):
        """One engine turn for a text or a button press, answered as Bot API calls."""
        session, calls = self._ot_messenger_session(bot, incoming)
        if not session:
            return calls
        lang = session._ot_messenger_turn_lang()
        if "text" in payload and len(payload["text"]) > 1000:
            body = self._ot_error_body("text_too_long", lang)
            return [(body["error"]["message"], None)]
        error = self._ot_check_payload(payload, session)
        if error:
            # A button of an older message, or of a chat that expired meanwhile.
            body = self._ot_error_body(error[1], lang)
            return [(body["error"]["message"], render.inline_keyboard(session._ot_menu()))]
        status, body = session._ot_run_turn(payload, started)
        if status != 200:
            return [(body["error"]["message"], None)]
        calls = render.outgoing_messages(
            [
                (m["text"], [(b["label"], b["action"]) for b in m["buttons"]])
                for m in body["messages"]
            ]
        )
        if session._ot_messenger_offer_contact():
            lang = session._ot_messenger_turn_lang()
            calls.append((render.say("share_contact_offer", lang), render.contact_keyboard(lang)))
        return calls

    def _ot_messenger_offer_contact(self):
        """Offer the contact button when the bot just asked for a mobile or offered an SMS code,
        unless the chat already proved a mobile."""
        self.ensure_one()
        state = self.engine_state or {}
        if state.get("verified_mobiles"):
            return False
        asked_mobile = state.get("step") == STEP_AWAIT_MOBILE
        offered_code = ACTION_VERIFY_SMS in (self.offered_actions or {})
        return asked_mobile or offered_code

    def _ot_menu(self):
        lang = self._ot_messenger_turn_lang()
        tb = TurnBuilder(lang)
        return [(b.label, b.action) for b in (tb.button(*pair) for pair in MENU_BUTTONS)]

    def _ot_messenger_proven(self, bot, incoming, e164, started):
        """The customer shared their own contact: level 2 for that mobile, and the link."""
        self.ensure_one()
        session = self
        rate_limits = self.env["order.tracking.rate.limit"]
        target = rate_limits._ot_hash("mobile", e164)
        limit, retry_after = rate_limits._ot_check_message(session, session.ip_hash, [target])
        lang = session._ot_messenger_turn_lang()
        if limit:
            body = self._ot_error_body("rate_limited", lang, retry_after)
            return [(body["error"]["message"], None)]
        backend = self.env["order.tracking.chat.backend"]._ot_backend(session, lang)
        policy = self._ot_policy(backend)
        user_message = session._ot_user_message_vals(
            self.env._("[shared own contact %(mobile)s]", mobile=mask_mobile(e164)), False
        )
        backend.user_message = user_message
        turn = policy.handle_proven_mobile(session.engine_state, e164, lang=lang)
        elapsed_ms = int((time.perf_counter() - started) * 1000)
        session._ot_record_turn(turn, backend, elapsed_ms, backend.take_user_message())
        self.env["order.tracking.messenger.link"]._ot_link(bot, incoming.chat_id, e164)
        linked = render.say("contact_linked", turn.lang, mobile=mask_mobile(e164))
        return [(linked, render.REMOVE_KEYBOARD)] + render.outgoing_messages(
            self._ot_messenger_pairs(turn.messages)
        )

    @api.model
    def _ot_messenger_pairs(self, messages):
        return [(m.text, [(b.label, b.action) for b in m.buttons]) for m in messages]

    def _ot_messenger_note(self, text):
        """A bot line in the transcript for answers outside the engine."""
        self.ensure_one()
        self.env["order.tracking.chat.message"].create(
            {"session_id": self.id, "role": "bot", "text": text}
        )

    # --- commands ------------------------------------------------------------------------------

    @api.model
    def _ot_messenger_stop(self, bot, incoming):
        lang = self._ot_messenger_lang(bot, incoming)
        session = self._ot_messenger_find(bot, incoming.chat_id)
        if session:
            lang = session._ot_messenger_turn_lang()
        link = self.env["order.tracking.messenger.link"]._ot_find(bot, incoming.chat_id)
        if not link:
            return [(render.say("not_linked", lang), None)]
        link.notify = False
        _logger.info("Messenger bot %s: a chat stopped its notifications", bot.id)
        return [(render.say("stopped", lang), render.REMOVE_KEYBOARD)]

    @api.model
    def _ot_messenger_forget(self, bot, incoming):
        """Remove the chat's link and detach its chats: what it proved is no longer reachable."""
        lang = self._ot_messenger_lang(bot, incoming)
        sessions = self.search(
            [("ot_messenger_bot_id", "=", bot.id), ("ot_messenger_chat_id", "=", incoming.chat_id)]
        )
        if sessions:
            lang = sessions[:1]._ot_messenger_turn_lang()
        self.env["order.tracking.messenger.link"]._ot_find(bot, incoming.chat_id).unlink()
        sessions.write({"ot_messenger_chat_id": False, "engine_state": None})
        _logger.info("Messenger bot %s: a chat asked to be forgotten", bot.id)
        return [(render.say("forgotten", lang), render.REMOVE_KEYBOARD)]
