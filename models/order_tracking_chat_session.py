"""A chat with a website visitor: the conversation engine's state, the transcript and the KPIs.

The public chat API (controllers/api.py) calls exactly two methods, as superuser since visitors
have no Odoo login: :meth:`_ot_api_start` and :meth:`_ot_api_post`. They own everything between
the HTTP request and the engine: payload checks, rate limits, one policy turn, persistence of
the state, transcript and audit rows, and the JSON answer.

The visitor's only credential is an opaque random token returned once at the start; only its
SHA-256 is stored. The engine state (which orders passed which check) lives here, server-side.
The visitor's IP is kept as a keyed hash, for rate limits only.
"""

import copy
import hashlib
import logging
import re
import secrets
import time
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..conversation.entities import ref_key
from ..conversation.normalize import (
    detect_language,
    mask_code,
    mask_mobile,
    normalize_digits,
    normalize_mobile,
)
from ..conversation.policy import (
    ACTION_HUMAN,
    ACTION_MENU,
    ACTION_OPEN_TICKET,
    ACTION_RESEND_OTP,
    ACTION_VERIFY_SMS,
    ACTION_WAIT,
    MAX_TEXT_LENGTH,
    MENU_BUTTONS,
    PREFIX_LANG,
    PREFIX_PICK,
)
from ..conversation.replies import lang_code
from ..conversation.state import STEP_AWAIT_LAST4, STEP_AWAIT_OTP, load_state
from ..conversation.turn import TurnBuilder
from .settings import read_setting

_logger = logging.getLogger(__name__)

LANGS = ("fa_IR", "en_US")
CHANNELS = [
    ("widget", "Website widget"),
    ("page", "Tracking page"),
    ("api", "API"),
    ("livechat", "Live chat"),
]
# The channels a client may name when it starts a chat through the API.
API_CHANNELS = ("widget", "page", "api")
PAYLOAD_KEYS = frozenset({"text", "action", "lang"})
# Buttons that are always meaningful; others (pick:, city:, csat:) only when offered.
STATIC_ACTIONS = frozenset(
    {
        ACTION_VERIFY_SMS,
        ACTION_RESEND_OTP,
        ACTION_OPEN_TICKET,
        ACTION_HUMAN,
        ACTION_WAIT,
        ACTION_MENU,
        *(PREFIX_LANG + lang for lang in LANGS),
        *(action for _label, action in MENU_BUTTONS),
    }
)
OUTCOMES = [
    ("open", "Ongoing"),
    ("resolved", "Resolved by the bot"),
    ("escalated", "Escalated to a person"),
    ("abandoned", "Abandoned"),
]

_MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+\s?98|0098|98|0)?[\s\-.()]{0,2}9(?:[\s\-.()]{0,2}\d){9}(?!\d)"
)
_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")


def mask_customer_text(text, order_refs=(), expecting_code=False):
    """``text`` with mobiles, one-time codes and tracking codes masked, everything else as typed.

    Persian digits are matched through :func:`normalize_digits`, which keeps string length, so
    masks land on the right characters and the rest of the text keeps its digits.
    """
    if not text:
        return text or ""
    digits = normalize_digits(text)
    spans = []
    for match in _MOBILE_RE.finditer(digits):
        if normalize_mobile(match.group()):
            spans.append((match.start(), match.end(), mask_mobile(match.group())))
            digits = digits[: match.start()] + " " * len(match.group()) + digits[match.end() :]
    refs = {ref.upper() for ref in order_refs}
    for match in _TOKEN_RE.finditer(digits):
        token = match.group()
        count = sum(ch.isdigit() for ch in token)
        if token.upper() in refs or count < 4:
            continue
        if token.isdigit() and (len(token) == 6 or (expecting_code and len(token) <= 8)):
            masked = "*" * len(token)  # a one-time code or the end of a mobile
        elif count >= 6:
            masked = mask_code(token)
        else:
            continue
        spans.append((match.start(), match.end(), masked))
    for start, end, masked in sorted(spans, reverse=True):
        text = text[:start] + masked + text[end:]
    return text


class OrderTrackingChatSession(models.Model):
    _name = "order.tracking.chat.session"
    _description = "Order Tracking Chat"
    _order = "id desc"

    token_hash = fields.Char(required=True, readonly=True, copy=False, groups="base.group_system")
    channel = fields.Selection(CHANNELS, required=True, default="api", readonly=True)
    lang = fields.Selection(
        [("fa_IR", "Persian"), ("en_US", "English")], string="Language", readonly=True
    )
    website_id = fields.Many2one("website", readonly=True, ondelete="set null")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    engine_state = fields.Json(readonly=True, groups="base.group_system", copy=False)
    offered_actions = fields.Json(readonly=True, groups="base.group_system", copy=False)
    level = fields.Selection(
        [("1", "Level 1 (stage only)"), ("2", "Level 2 (verified by SMS code)")],
        string="Verification Level",
        default="1",
        required=True,
        readonly=True,
    )
    verified_mobile = fields.Char(readonly=True, help="Masked: 0912***4567.")
    order_id = fields.Many2one(
        "sale.order", readonly=True, index="btree_not_null", ondelete="set null"
    )
    carrier_id = fields.Many2one("delivery.carrier", readonly=True, ondelete="set null")
    destination_state_id = fields.Many2one(
        "res.country.state", string="Destination Province", readonly=True, ondelete="set null"
    )
    intents = fields.Char(string="Intents Seen", readonly=True)
    last_intent = fields.Char(readonly=True)
    outcome = fields.Selection(OUTCOMES, default="open", required=True, readonly=True, index=True)
    first_response_ms = fields.Integer(
        string="First Response (ms)",
        readonly=True,
        help="Time the bot took to answer the customer's first message.",
    )
    csat = fields.Integer(string="CSAT (1-5)", readonly=True)
    turn_count = fields.Integer(string="Messages", readonly=True)
    handover = fields.Boolean(string="Handed to an Operator", readonly=True)
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Tickets",
        readonly=True,
        groups="helpdesk_mgmt.group_helpdesk_user_own,base.group_system",
    )
    ip_hash = fields.Char(string="IP (hashed)", readonly=True)
    last_activity_at = fields.Datetime(
        string="Last Activity", readonly=True, index=True, default=fields.Datetime.now
    )
    message_ids = fields.One2many("order.tracking.chat.message", "session_id", string="Transcript")
    audit_ids = fields.One2many("order.tracking.audit", "session_id", string="Disclosures")

    _token_hash_unique = models.Constraint("unique(token_hash)", "Chat tokens must be unique.")
    _csat_range = models.Constraint(
        "CHECK(csat IS NULL OR csat BETWEEN 1 AND 5)", "CSAT is a score from 1 to 5."
    )

    @api.depends("create_date")
    def _compute_display_name(self):
        for session in self:
            session.display_name = self.env._("Chat #%(id)s", id=session.id or "")

    # --- public API: start --------------------------------------------------------------------

    @api.model
    def _ot_token_hash(self, token):
        return hashlib.sha256((token or "").encode()).hexdigest()

    @api.model
    def _ot_default_lang(self, website):
        code = website.default_lang_id.code if website else None
        return code if code in LANGS else "fa_IR"

    @api.model
    def _ot_api_start(self, lang, channel, ip):
        """Open a chat and return ``{"session": token, "messages": [greeting]}``.

        The token is returned here only; the database keeps its hash. When the visitor's IP
        started too many chats lately the answer is ``{"error": {...}}`` with code
        ``rate_limited`` and ``retryAfter`` (seconds), for a 429.
        """
        website = self.env["website"].get_current_website()
        lang = lang if lang in LANGS else self._ot_default_lang(website)
        ip_hash = self.env["order.tracking.rate.limit"]._ot_hash("ip", ip or "")
        limit, retry_after = self.env["order.tracking.rate.limit"]._ot_check_session_start(ip_hash)
        if limit:
            _logger.info("Chat start refused for an IP: %s", limit)
            return self._ot_error_body("rate_limited", lang, retry_after)
        token = secrets.token_urlsafe(32)
        tb = TurnBuilder(lang)
        tb.say("greeting", buttons=MENU_BUTTONS)
        session = self.create(
            {
                "token_hash": self._ot_token_hash(token),
                "channel": channel if channel in API_CHANNELS else "api",
                "lang": lang,
                "website_id": website.id or False,
                "company_id": (website.company_id or self.env.company).id,
                # The language is left open: the first message decides it, unless asked.
                "engine_state": None,
                "offered_actions": self._ot_offered(tb.messages),
                "ip_hash": ip_hash,
                "last_activity_at": fields.Datetime.now(),
            }
        )
        session._ot_store_bot_messages(tb.messages)
        _logger.info("Chat %s started (%s, %s)", session.id, session.channel, lang)
        return {"session": token, "messages": self._ot_messages_json(tb.messages)}

    # --- public API: one turn -----------------------------------------------------------------

    @api.model
    def _ot_api_post(self, token, payload, ip):
        """Run one visitor turn; return ``(http_status, body)``.

        ``payload`` is ``{"text": str}`` or ``{"action": str}``, optionally with ``"lang"``.
        Errors are ``(4xx, {"error": {"code", "message"}})`` in the session's language: 404 for an
        unknown or expired token, 400 for a bad payload, 413 for a text over 1,000 characters,
        429 with ``retryAfter`` when a rate limit is hit.
        """
        started = time.perf_counter()
        # Two requests of one chat must not run the engine on the same state at once: the second
        # waits on this lock (and is retried by Odoo if the first changed the session meanwhile).
        session = self._ot_find_session(token, lock=True)
        if not session:
            lang = payload.get("lang") if isinstance(payload, dict) else None
            return 404, self._ot_error_body("session_not_found", lang)
        lang = session.lang or "fa_IR"
        error = self._ot_check_payload(payload, session)
        if error:
            status, code = error
            asked = payload.get("lang") if isinstance(payload, dict) else None
            return status, self._ot_error_body(code, asked if asked in LANGS else lang)
        if session._ot_expired():
            return 404, self._ot_error_body("session_expired", lang)
        # The chat's company is the environment's: Odoo then never reads the (public) user's
        # company for defaults and company-dependent values, and every lookup is the shop's.
        session = session.with_company(session.company_id)
        return session._ot_run_turn(payload, started)

    def _ot_run_turn(self, payload, started):
        """The turn of :meth:`_ot_api_post` once the chat (``self``, locked) and the payload are
        known good: rate limits, one policy turn, persistence, and the ``(200, body)`` answer."""
        self.ensure_one()
        session = self
        lang = session.lang or "fa_IR"
        text = payload.get("text")
        action = payload.get("action")
        state = load_state(session.engine_state) if session.engine_state else None
        # Order texts (carrier label, ETA) are built in the language of this turn's answer.
        turn_lang = self._ot_turn_lang(session, state, payload)
        backend = self.env["order.tracking.chat.backend"]._ot_backend(session, turn_lang)
        policy = self._ot_policy(backend)
        entities = policy.extractor.extract(text[:MAX_TEXT_LENGTH]) if text else None
        targets = session._ot_targets(entities, action)
        rate_limits = self.env["order.tracking.rate.limit"]
        limit, retry_after = rate_limits._ot_check_message(session, session.ip_hash, targets)
        if limit:
            _logger.info("Chat %s rate limited: %s", session.id, limit)
            return 429, self._ot_error_body("rate_limited", lang, retry_after)
        if payload.get("lang") in LANGS:
            # An explicit choice of language wins over what the engine guessed.
            state = state or load_state(None)
            state["lang"] = payload["lang"]
        expecting = bool(state) and state["step"] in (STEP_AWAIT_OTP, STEP_AWAIT_LAST4)
        backend.user_message = session._ot_user_message_vals(
            self._ot_user_text(entities, text, expecting), action
        )
        turn = policy.handle(state, text=text, action=action, lang=lang)
        elapsed_ms = int((time.perf_counter() - started) * 1000)
        session._ot_record_turn(turn, backend, elapsed_ms, backend.take_user_message())
        body = {
            "messages": self._ot_messages_json(turn.messages),
            "order": backend.model._ot_order_payload(
                turn.order, 2 if turn.level >= 2 else 1, turn.lang
            ),
            "security": {
                "verified": bool(turn.verified),
                "level": 2 if turn.verified or turn.level >= 2 else 1,
                "method": "otp" if turn.verified else None,
            },
            "nextActions": self._ot_next_actions(turn),
            "handover": bool(turn.handover),
        }
        if turn.handover:
            # The live chat conversation the widget opens (models/order_tracking_livechat.py).
            body["livechat"] = session._ot_livechat_handover()
        return 200, body

    @api.model
    def _ot_turn_lang(self, session, state, payload):
        """The language the engine will answer this turn in (same rules as the policy)."""
        action = payload.get("action") or ""
        if action.startswith(PREFIX_LANG):
            return lang_code(action[len(PREFIX_LANG) :])
        if payload.get("lang") in LANGS:
            return payload["lang"]
        if state and state.get("lang") in LANGS:
            return state["lang"]
        if payload.get("text"):
            return detect_language(payload["text"], default=session.lang or "fa_IR")
        return session.lang or "fa_IR"

    @api.model
    def _ot_find_session(self, token, lock=False):
        """The chat whose token is ``token``, or an empty recordset; ``lock`` also locks its row
        until the end of the transaction (one query either way)."""
        if not isinstance(token, str) or not token or len(token) > 256:
            return self.browse()
        if not lock:
            return self.search([("token_hash", "=", self._ot_token_hash(token))], limit=1)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM order_tracking_chat_session WHERE token_hash = %s "
                "FOR NO KEY UPDATE",
                self._ot_token_hash(token),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _ot_expired(self):
        self.ensure_one()
        ttl = timedelta(minutes=read_setting(self.env, "chat_session_ttl_minutes"))
        return bool(self.last_activity_at) and self.last_activity_at < fields.Datetime.now() - ttl

    @api.model
    def _ot_check_payload(self, payload, session):
        """``(status, error code)`` of a payload the engine must not see, or None."""
        if not isinstance(payload, dict) or not payload:
            return 400, "invalid_body"
        if set(payload) - PAYLOAD_KEYS:
            return 400, "unknown_field"
        lang = payload.get("lang")
        if lang is not None and lang not in LANGS:
            return 400, "invalid_lang"
        has_text, has_action = "text" in payload, "action" in payload
        if has_text == has_action:
            return 400, "text_or_action"
        if has_text:
            text = payload["text"]
            if not isinstance(text, str):
                return 400, "invalid_text"
            if not text.strip():
                return 400, "empty_text"
            if len(text.strip()) > MAX_TEXT_LENGTH:
                return 413, "text_too_long"
            return None
        action = payload["action"]
        if not isinstance(action, str) or not action or len(action) > 128:
            return 400, "invalid_action"
        offered = session.offered_actions or []
        if action not in STATIC_ACTIONS and action not in offered:
            return 400, "invalid_action"
        return None

    @api.model
    def _ot_error_body(self, code, lang, retry_after=None):
        env = self.with_context(lang=lang if lang in LANGS else "en_US").env
        messages = {
            "session_not_found": env._(
                "This chat session does not exist. Please start a new chat."
            ),
            "session_expired": env._("This chat has expired. Please start a new chat."),
            "invalid_body": env._("The request must be a JSON object with 'text' or 'action'."),
            "unknown_field": env._("Only 'text', 'action' and 'lang' are accepted."),
            "invalid_lang": env._("'lang' must be fa_IR or en_US."),
            "text_or_action": env._("Send either 'text' or 'action', exactly one of them."),
            "invalid_text": env._("'text' must be a string."),
            "empty_text": env._("Please type a message."),
            "text_too_long": env._(
                "Your message is too long. Please keep it under %(limit)s characters.",
                limit=MAX_TEXT_LENGTH,
            ),
            "invalid_action": env._("This button is not available any more."),
            "rate_limited": env._("Too many messages. Please wait a moment before trying again."),
        }
        error = {"code": code, "message": messages[code]}
        if retry_after is not None:
            error["retryAfter"] = int(retry_after)
        return {"error": error}

    # --- the engine -----------------------------------------------------------------------------

    @api.model
    def _ot_policy(self, backend):
        """A Policy for ``backend``: a copy of the compiled policy of the shop's cities and order
        number pattern (compiled once per registry, see ``_ot_policy_template``)."""
        policy = copy.copy(self.env["order.tracking.chat.backend"]._ot_policy_template())
        policy.backend = backend
        return policy

    def _ot_targets(self, entities, action):
        """Hashes of the order refs, mobiles and tracking codes this turn looks up (``entities``
        of its text, or its ``pick:`` action); two spellings of one ref are one target."""
        self.ensure_one()
        hash_ = self.env["order.tracking.rate.limit"]._ot_hash
        targets = []
        if entities:
            targets += [hash_("order", ref_key(ref)) for ref in entities.order_refs]
            targets += [hash_("mobile", mobile) for mobile in entities.mobiles]
            targets += [hash_("code", code) for code in entities.tracking_codes]
        elif action and action.startswith(PREFIX_PICK):
            targets.append(hash_("order", ref_key(action[len(PREFIX_PICK) :])))
        return targets

    @api.model
    def _ot_user_text(self, entities, text, expecting_code):
        """The visitor's text as the transcript keeps it (see :func:`mask_customer_text`)."""
        if text is None:
            return None
        return mask_customer_text(text.strip(), entities.order_refs, expecting_code=expecting_code)

    @api.model
    def _ot_offered(self, messages):
        """``{action: label}`` of the buttons just offered: the only dynamic actions accepted
        next, and the words a button press is recorded with in the transcript."""
        return {b.action: b.label for m in messages for b in m.buttons}

    def _ot_user_message_vals(self, text, action):
        """The transcript row of the visitor's turn (a button press is kept as its label)."""
        self.ensure_one()
        if text is None and action:
            label = (
                (self.offered_actions or {}).get(action)
                if isinstance(self.offered_actions, dict)
                else None
            )
            text = f"[{label or action}]"
        return {
            "session_id": self.id,
            "role": "user",
            "text": text or False,
            "action": action or False,
            "buttons": False,
        }

    def _ot_store_bot_messages(self, messages, user_message=None):
        """Append the bot's ``messages`` to the transcript, after ``user_message`` (the vals of
        the visitor's turn) when given: one INSERT for the whole turn.

        The transcript keeps each message's ``record`` form (codes shortened, links without
        tokens, personal lines replaced by what was shown, see conversation/disclosure.py), never
        the text the visitor read. The full text is not stored anywhere: the API returns it once,
        in the answer of the turn, and the widget keeps its own copy in the tab's sessionStorage
        (static/src/js/chat_session.js), which dies with the tab; no route serves a transcript
        back. A server-side copy would be one more place to protect and purge for no reader.
        """
        self.ensure_one()
        bot_rows = [
            {
                "session_id": self.id,
                "role": "bot",
                "text": message.record or message.text,
                "action": False,
                "buttons": " | ".join(b.label for b in message.buttons) or False,
            }
            for message in messages
        ]
        self.env["order.tracking.chat.message"].create(
            [user_message, *bot_rows] if user_message else bot_rows
        )

    def _ot_record_turn(self, turn, backend, elapsed_ms, user_message=None):
        """Persist what one turn changed: state, KPIs, transcript (``user_message``, the vals of
        the visitor's message, then the bot's answers) and audit rows."""
        self.ensure_one()
        state = turn.new_state
        vals = {
            "engine_state": state,
            "offered_actions": self._ot_offered(turn.messages),
            "lang": turn.lang if turn.lang in LANGS else self.lang,
            "last_activity_at": fields.Datetime.now(),
            "turn_count": self.turn_count + 1,
            "intents": ", ".join(dict.fromkeys(state.get("intents") or [])) or False,
            "last_intent": turn.intent,
        }
        if not self.first_response_ms and state.get("turns") == 1:
            vals["first_response_ms"] = max(elapsed_ms, 1)
        verified = state.get("verified_mobiles") or []
        if verified:
            vals["level"] = "2"
            vals["verified_mobile"] = mask_mobile(verified[-1])
        elif turn.level >= 2:
            vals["level"] = "2"
        if state.get("csat"):
            vals["csat"] = state["csat"]
        if turn.handover:
            vals["handover"] = True
        if turn.outcome == "escalated" or (turn.outcome and self.outcome != "escalated"):
            vals["outcome"] = turn.outcome
        elif self.outcome == "abandoned":
            vals["outcome"] = "open"  # the customer came back
        order = backend.order_for(turn.order) if turn.order is not None else None
        if order:
            picking = order.ot_main_picking_id
            vals.update(
                order_id=order.id,
                carrier_id=(picking.carrier_id or order.carrier_id).id or False,
                destination_state_id=order.partner_shipping_id.state_id.id or False,
            )
        else:
            city_id = (state.get("pending") or {}).get("city_id")
            if city_id and isinstance(city_id, int):
                city = self.env["order.tracking.city"].browse(city_id).exists()
                if city:
                    vals["destination_state_id"] = city.state_id.id
        if backend.tickets:
            vals["ticket_ids"] = [fields.Command.link(t.id) for t in backend.tickets]
        self.write(vals)
        self._ot_note_intent(turn, backend, user_message)
        self._ot_store_bot_messages(turn.messages, user_message)
        if turn.disclosed_fields:
            if order:
                orders = order
            elif backend.listed_orders:
                orders = backend.listed_orders
            else:
                orders = backend.last_order
            self.env["order.tracking.audit"]._ot_record(
                self,
                orders,
                turn.level,
                turn.disclosed_fields,
                verified_mobile=vals.get("verified_mobile") or self.verified_mobile,
            )
        _logger.info(
            "Chat %s turn %s: intent=%s level=%s outcome=%s (%s ms)",
            self.id,
            state.get("turns"),
            turn.intent,
            turn.level,
            turn.outcome or "-",
            elapsed_ms,
        )

    @api.model
    def _ot_note_intent(self, turn, backend, user_message):
        """The customer's message keeps what the bot understood of it, so the FAQ and the
        reports count questions by intent without reading anyone's words: in ``user_message``
        (vals still to insert), or on the row stored early when the turn opened a ticket."""
        if user_message:
            user_message["intent"] = turn.intent or False
        elif backend.stored_user_message:
            backend.stored_user_message.intent = turn.intent or False

    @api.model
    def _ot_messages_json(self, messages):
        return [
            {
                "text": message.text,
                "buttons": [{"label": b.label, "action": b.action} for b in message.buttons],
            }
            for message in messages
        ]

    @api.model
    def _ot_next_actions(self, turn):
        seen = {}
        for button in turn.buttons:
            seen.setdefault(button.action, button.label)
        return [{"label": label, "action": action} for action, label in seen.items()]

    def _ot_proven_refs(self):
        """Order refs this chat proved (last 4 digits, tracking code or SMS code), upper-case."""
        self.ensure_one()
        state = load_state(self.engine_state) if self.engine_state else load_state(None)
        return [ref.upper() for ref in [*state["level1"], *state["verified_refs"]]]

    def _ot_transcript_html(self):
        """The transcript for a helpdesk ticket, as stored: customer text masked, bot messages in
        their record form (see :meth:`_ot_store_bot_messages`), everything escaped."""
        self.ensure_one()
        role_field = self.env["order.tracking.chat.message"]._fields["role"]
        roles = dict(role_field._description_selection(self.env))
        rows = Markup("").join(
            Markup("<p><b>%s</b> <small>%s</small><br/>%s</p>")
            % (
                roles.get(message.role, message.role),
                fields.Datetime.to_string(message.create_date) if message.create_date else "",
                Markup("<br/>").join((message.text or message.action or "").split("\n")),
            )
            for message in self.message_ids
        )
        return Markup("<div>%s</div>") % rows

    # --- crons ----------------------------------------------------------------------------------

    @api.model
    def _cron_ot_chat_cleanup(self):
        """Hourly: close idle chats and prune the chat logs (see :meth:`_ot_chat_cleanup`)."""
        done = self._ot_chat_cleanup()
        self.env["ir.cron"]._commit_progress(sum(done.values()))

    @api.model
    def _ot_chat_cleanup(self):
        """Close idle chats (abandoned when the bot neither resolved nor escalated them), expire
        and delete old one-time codes, delete rate-limit rows no window needs. Set-based and
        idempotent: a rerun finds nothing left to do."""
        idle = fields.Datetime.now() - timedelta(
            minutes=read_setting(self.env, "chat_idle_minutes")
        )
        self.flush_model(["outcome", "last_activity_at"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE order_tracking_chat_session
                   SET outcome = 'abandoned'
                 WHERE outcome = 'open' AND last_activity_at < %s
                """,
                idle,
            )
        )
        done = {"abandoned": self.env.cr.rowcount}
        self.invalidate_model(["outcome"])
        done["codes"] = self.env["order.tracking.otp"]._ot_prune()
        done["rate_limit_rows"] = self.env["order.tracking.rate.limit"]._ot_prune()
        done["messenger_updates"] = self.env["order.tracking.messenger.update"]._ot_prune()
        _logger.info(
            "Chat cleanup: %(abandoned)s chats abandoned, %(codes)s codes, "
            "%(rate_limit_rows)s rate-limit rows and %(messenger_updates)s messenger update ids "
            "deleted",
            done,
        )
        return done
