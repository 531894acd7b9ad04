"""The dialogue policy: a small explicit state machine from (state, message) to a Turn.

``Policy(backend).handle(state, text=..., action=...)`` reads the stored state, classifies the
message (or button action), calls the injected :class:`backend.Backend`, and returns a
:class:`turn.Turn` with reply keys, rendered texts, the order to show and a new state. No I/O of
its own, no Odoo: the caller stores ``turn.new_state`` and renders ``turn.messages``.

Staged verification (security requirements of the spec)
-------------------------------------------------------
- **Level 1** (coarse stage, ETA text, carrier label) needs the order ref **and** proof of the
  mobile on the order: its last 4 digits or the whole number. A tracking code alone also gives
  level 1 (plus the last event's plain text) because it is a bearer token printed on the parcel,
  but never the order ref or anything personal.
- **Level 2** (items, tracking code and link, events, masked address, payment, invoice) needs an
  OTP sent to the mobile **on the order** (flow 1/3: the customer never picks the destination)
  or to the mobile the customer typed (flow 2, then only that mobile's orders are listed).
- **Level 3** (change address, return, cancel) is never automated: a ticket with a contact
  mobile, and a live operator when one is online. It never reads the order at all.

Uniform answers (no existence oracle)
-------------------------------------
Showing the stage of a known order while saying "not found" for an unknown one would let anyone
enumerate order refs. So:

1. Asking for the last 4 digits is the same reply for every ref, known or not.
2. An unknown ref, an order without a mobile and a wrong mobile all get the same ``l1_mismatch``
   reply (same key, same parameters, same buttons, same next step) and all count as a failure.
3. After ``MAX_LOOKUP_FAILURES`` failures (ref checks and unknown tracking codes together) the
   session answers ``l1_locked`` to every further lookup, known or not. This is on top of the
   per-visitor rate limits of the caller.
4. Flow 2 always sends the OTP request to the backend and always says "if this number has orders,
   we've sent a code"; the backend answers ``sent`` for numbers without orders (see Backend).
5. Sensitive requests and callbacks open a ticket with the customer's words and never say
   whether the ref exists.
6. The masked order mobile (``0912***4567``) is shown only to someone who already proved its last
   4 digits; the tracking-code path says "the mobile registered on the order" instead.

Tracking codes are looked up openly ("not found" is said): they are long, random and printed on
the parcel, and unknown ones still count towards the lock.
"""

import re
from typing import ClassVar

from .actions import (
    ACTION_HUMAN,
    ACTION_MENU,
    ACTION_OPEN_TICKET,
    ACTION_RESEND_OTP,
    ACTION_VERIFY_SMS,
    ACTION_WAIT,
    BTN_HUMAN,
    BTN_RESEND,
    BTN_TRACK_CODE,
    BTN_TRACK_MOBILE,
    BTN_TRACK_ORDER,
    MENU_BUTTONS,
    MENU_INTENTS,
    PREFIX_CITY,
    PREFIX_CSAT,
    PREFIX_INTENT,
    PREFIX_LANG,
    PREFIX_PICK,
)
from .cities import CityIndex
from .entities import Entities, EntityExtractor, ref_key
from .escalation import EscalationFlows
from .intents import (
    BYE,
    DELAY_COMPLAINT,
    GREETING,
    HUMAN,
    INVOICE,
    PAYMENT_STATUS,
    PRE_PURCHASE_COVERAGE,
    PRE_PURCHASE_INTENTS,
    SENSITIVE_INTENTS,
    SOCIAL_INTENTS,
    THANKS,
    TRACK_CODE,
    TRACK_MOBILE,
    TRACK_ORDER,
    TRACKING_INTENTS,
    UNKNOWN,
    WHERE_IS_TRACKING_CODE,
    WHY_NO_UPDATE,
    classify,
)
from .normalize import detect_language, normalize_digits, normalize_text
from .replies import lang_code
from .shipping import ShippingFlows
from .state import (
    MAX_INTENTS,
    STEP_AWAIT_CITY,
    STEP_AWAIT_CONTACT,
    STEP_AWAIT_CSAT,
    STEP_AWAIT_LAST4,
    STEP_AWAIT_MOBILE,
    STEP_AWAIT_ORDER_REF,
    STEP_AWAIT_OTP,
    STEP_AWAIT_TRACKING_CODE,
    STEP_CHOOSE_ORDER,
    STEP_IDLE,
    empty_pending,
    load_state,
)
from .turn import TurnBuilder
from .verification import VerificationFlows, looks_like_a_number

MAX_TEXT_LENGTH = 1000
MAX_LOOKUP_FAILURES = 3

# Questions about an existing order that need the order (and level 2 for details).
ORDER_TOPICS = (WHERE_IS_TRACKING_CODE, WHY_NO_UPDATE, DELAY_COMPLAINT, PAYMENT_STATUS, INVOICE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CSAT_TEXT = re.compile(r"\s*([1-5])\s*(?:/\s*5)?\s*")


class Policy(VerificationFlows, EscalationFlows, ShippingFlows):
    """The chatbot's decisions; one instance can serve many sessions (it keeps no state)."""

    def __init__(
        self,
        backend,
        cities=(),
        popular_city_ids=None,
        order_ref_pattern=None,
        tracking_prefixes=None,
        max_lookup_failures=MAX_LOOKUP_FAILURES,
        max_text_length=MAX_TEXT_LENGTH,
    ):
        self.backend = backend
        self.cities = CityIndex(cities)
        if popular_city_ids is None:
            popular_city_ids = self.cities.ids[:6]
        self.popular_city_ids = [c for c in popular_city_ids if c in self.cities]
        self.extractor = EntityExtractor(self.cities, order_ref_pattern, tracking_prefixes)
        self.max_lookup_failures = max_lookup_failures
        self.max_text_length = max_text_length

    # -- entry point --------------------------------------------------------------------------

    def handle(self, state, text=None, action=None, lang=None):
        """Answer one customer message (``text``) or button press (``action``).

        ``state`` is the dict from the previous turn's ``new_state`` (or None/{} to start);
        it is not modified. ``lang`` is the website language, used when the text does not tell.
        """
        st = load_state(state)
        st["turns"] += 1
        text = self._clean(text)
        action = str(action)[:100] if action else None
        if st["lang"] is None:
            st["lang"] = detect_language(text, default=lang_code(lang)) if text else lang_code(lang)
        if action and action.startswith(PREFIX_LANG):
            st["lang"] = lang_code(action[len(PREFIX_LANG) :])
            tb = TurnBuilder(st["lang"])
            tb.say("lang_switched", buttons=MENU_BUTTONS)
            return tb.build(UNKNOWN, st)
        tb = TurnBuilder(st["lang"])
        if action:
            intent = self._on_action(tb, st, action)
        else:
            intent = self._on_text(tb, st, text)
            st["intents"] = (st["intents"] + [intent])[-MAX_INTENTS:]
        return tb.build(intent, st)

    def handle_proven_mobile(self, state, e164, lang=None):
        """The turn after the platform proved that ``e164`` is the customer's own mobile (a
        messenger contact whose owner is the sender): the same level-2 state as a correct SMS
        code for that mobile. The order being asked about is shown when it carries that mobile,
        else the mobile's orders are listed."""
        st = load_state(state)
        st["turns"] += 1
        if st["lang"] is None:
            st["lang"] = lang_code(lang)
        tb = TurnBuilder(st["lang"])
        topic = self._topic(st, TRACK_MOBILE)
        ref = self._current_order_ref(st) or st["pending"]["order_ref"]
        order = self.backend.find_order(ref) if ref else None
        if order is not None and order.mobile_e164 != e164:
            order = None
        intent = self._mobile_proven(tb, st, e164, order, topic)
        return tb.build(intent, st)

    def _clean(self, text):
        if text is None:
            return ""
        if not isinstance(text, str):
            text = str(text)
        # Long pastes are cut before any regex runs, so no input can make a turn slow.
        text = _CONTROL_CHARS.sub(" ", text[: self.max_text_length])
        return text.strip()

    # -- text ---------------------------------------------------------------------------------

    def _on_text(self, tb, st, text):
        step = st["step"]
        if not normalize_text(text):
            return self._reprompt(tb, st)
        # A code is expected while one is outstanding, even if the customer wandered off.
        expect_otp = step == STEP_AWAIT_OTP or bool(st["otp"])
        ents = self.extractor.extract(text, expect_otp=expect_otp, expect_last4=True)
        result = classify(text, ents)
        if ents.otp and step != STEP_AWAIT_OTP and not self._strong(result, ents):
            return self._check_otp(tb, st, ents.otp)
        handler = self._STEP_HANDLERS.get(step)
        if handler:
            intent = handler(self, tb, st, text, ents, result)
            if intent:
                return intent
        st["step"] = STEP_IDLE
        return self._dispatch(tb, st, result.intent, ents, text)

    @staticmethod
    def _strong(result, ents):
        """True when a message clearly asks something else than what the step waits for."""
        return ents.has_lookup_key or result.intent not in SOCIAL_INTENTS + (UNKNOWN,)

    def _reprompt(self, tb, st):
        """Answer empty or meaningless input with what the current step needs."""
        step = st["step"]
        pending = st["pending"]["intent"] or UNKNOWN
        if step == STEP_AWAIT_OTP:
            tb.say("otp_prompt", buttons=[BTN_RESEND])
        elif step == STEP_AWAIT_LAST4:
            tb.say("last4_not_recognised")
        elif step == STEP_AWAIT_ORDER_REF:
            tb.say("ask_order_ref", buttons=[BTN_TRACK_MOBILE, BTN_TRACK_CODE])
        elif step in (STEP_AWAIT_MOBILE, STEP_AWAIT_CONTACT):
            tb.say("ask_mobile" if step == STEP_AWAIT_MOBILE else "ask_contact_mobile")
        elif step == STEP_AWAIT_TRACKING_CODE:
            tb.say("ask_tracking_code")
        elif step == STEP_AWAIT_CITY:
            tb.say("ask_city", buttons=self._city_buttons(tb))
        else:
            st["step"] = STEP_IDLE
            tb.say("menu_prompt", buttons=MENU_BUTTONS)
            return UNKNOWN
        return pending

    # Each step handler returns an intent when it consumed the message, else None (dispatch).

    def _step_otp(self, tb, st, text, ents, result):
        if ents.otp:
            return self._check_otp(tb, st, ents.otp)
        if self._strong(result, ents):
            return None
        tb.say("otp_prompt", buttons=[BTN_RESEND])
        return st["pending"]["intent"] or TRACK_ORDER

    def _step_last4(self, tb, st, text, ents, result):
        ref = st["pending"]["order_ref"]
        proof = ents.mobile or ents.last4
        same_ref = not ents.order_refs or [ref_key(r) for r in ents.order_refs] == [ref_key(ref)]
        if ref and proof and same_ref and result.intent not in SENSITIVE_INTENTS + (HUMAN,):
            topic = st["pending"]["intent"] or TRACK_ORDER
            order = self.backend.find_order(ref)
            return self._check_level1(tb, st, ref, order, ents.mobile, ents.last4, topic)
        if self._strong(result, ents):
            return None
        tb.say("last4_not_recognised")
        return st["pending"]["intent"] or TRACK_ORDER

    def _step_order_ref(self, tb, st, text, ents, result):
        if ents.order_refs and result.intent not in SENSITIVE_INTENTS + (HUMAN,):
            topic = st["pending"]["intent"] or TRACK_ORDER
            return self._track_ref(tb, st, ents.order_ref, ents, topic)
        if self._strong(result, ents):
            return None
        tb.say("order_ref_not_recognised", buttons=[BTN_TRACK_MOBILE, BTN_TRACK_CODE, BTN_HUMAN])
        return st["pending"]["intent"] or TRACK_ORDER

    def _step_mobile(self, tb, st, text, ents, result):
        if ents.mobile and result.intent not in SENSITIVE_INTENTS + (HUMAN,):
            return self._track_mobile(tb, st, ents.mobile, self._topic(st, TRACK_MOBILE))
        if ents.order_refs or ents.tracking_codes:
            return None
        if looks_like_a_number(text):
            tb.say("invalid_mobile")
            return TRACK_MOBILE
        if self._strong(result, ents):
            return None
        tb.say("ask_mobile")
        return TRACK_MOBILE

    def _step_tracking_code(self, tb, st, text, ents, result):
        if self._strong(result, ents):
            return None
        tb.say("tracking_code_not_recognised", buttons=[BTN_TRACK_ORDER, BTN_HUMAN])
        return TRACK_CODE

    def _step_choose_order(self, tb, st, text, ents, result):
        typed = {ref_key(r) for r in ents.order_refs}
        refs = [r for r in st["choices"] if ref_key(r) in typed]
        if refs and result.intent not in SENSITIVE_INTENTS + (HUMAN,):
            return self._pick(tb, st, refs[0])
        return None

    def _step_city(self, tb, st, text, ents, result):
        if ents.city_ids:
            intent = result.intent
            explicit = bool(result.score) or ents.has_lookup_key
            if explicit and intent not in PRE_PURCHASE_INTENTS + SOCIAL_INTENTS:
                return None  # another question that happens to name a city
            if not explicit or intent not in PRE_PURCHASE_INTENTS:
                # A bare city answers the question we asked.
                intent = st["pending"]["intent"]
                if intent not in PRE_PURCHASE_INTENTS:
                    intent = PRE_PURCHASE_COVERAGE
            return self._pre_purchase(tb, st, intent, ents.city_id)
        if self._strong(result, ents):
            return None
        tb.say("city_not_recognised", buttons=self._city_buttons(tb))
        return st["pending"]["intent"] or PRE_PURCHASE_COVERAGE

    def _step_contact(self, tb, st, text, ents, result):
        kind = st["pending"]["intent"] or HUMAN
        if ents.order_ref and not st["pending"]["order_ref"]:
            # The ref is useful to the operator; it changes nothing in what we say.
            st["pending"]["order_ref"] = ents.order_ref
        if ents.mobile:
            verified = ents.mobile in st["verified_mobiles"]
            return self._contact_ticket(tb, st, kind, ents.mobile, verified)
        if looks_like_a_number(text) and not ents.order_refs:
            tb.say("invalid_mobile")
            return kind
        if result.intent != kind and result.intent not in (UNKNOWN, TRACK_ORDER) + SOCIAL_INTENTS:
            return None
        tb.say("ask_contact_mobile", buttons=self._operator_buttons())
        return kind

    def _step_csat(self, tb, st, text, ents, result):
        match = _CSAT_TEXT.fullmatch(normalize_digits(text))
        if match:
            return self._record_csat(tb, st, int(match.group(1)))
        return None

    _STEP_HANDLERS: ClassVar[dict] = {
        STEP_AWAIT_OTP: _step_otp,
        STEP_AWAIT_LAST4: _step_last4,
        STEP_AWAIT_ORDER_REF: _step_order_ref,
        STEP_AWAIT_MOBILE: _step_mobile,
        STEP_AWAIT_TRACKING_CODE: _step_tracking_code,
        STEP_CHOOSE_ORDER: _step_choose_order,
        STEP_AWAIT_CITY: _step_city,
        STEP_AWAIT_CONTACT: _step_contact,
        STEP_AWAIT_CSAT: _step_csat,
    }

    # -- intents ------------------------------------------------------------------------------

    def _topic(self, st, intent):
        """Keep a pending order question (payment, invoice, ...) across "which order?" steps."""
        pending = st["pending"]["intent"]
        if intent in TRACKING_INTENTS and pending in ORDER_TOPICS:
            return pending
        return intent

    def _dispatch(self, tb, st, intent, ents, text):
        if intent in SENSITIVE_INTENTS:
            return self._sensitive(tb, st, intent, ents, text)
        if intent == HUMAN:
            return self._human(tb, st, ents, text)
        if intent in PRE_PURCHASE_INTENTS:
            return self._pre_purchase(tb, st, intent, ents.city_id or st["pending"]["city_id"])
        if intent in (THANKS, BYE):
            return self._goodbye(tb, st, intent)
        if intent == GREETING:
            tb.say("greeting", buttons=MENU_BUTTONS)
            return GREETING
        if intent == TRACK_MOBILE:
            return self._ask_or_track_mobile(tb, st, ents, text)
        if intent == TRACK_CODE:
            if ents.tracking_code:
                return self._track_code(tb, st, ents.tracking_code, self._topic(st, intent))
            if ents.order_ref:
                return self._track_ref(tb, st, ents.order_ref, ents, self._topic(st, TRACK_ORDER))
            st["pending"].update(intent=TRACK_CODE)
            st["step"] = STEP_AWAIT_TRACKING_CODE
            tb.say("ask_tracking_code", buttons=[BTN_TRACK_ORDER, BTN_TRACK_MOBILE])
            return TRACK_CODE
        if intent == TRACK_ORDER or intent in ORDER_TOPICS:
            return self._order_question(tb, st, self._topic(st, intent), ents)
        tb.say("menu_prompt", buttons=MENU_BUTTONS)
        return UNKNOWN

    def _order_question(self, tb, st, topic, ents):
        """Track an order, or answer a question about one (payment, invoice, delay, ...)."""
        if ents.order_ref:
            return self._track_ref(tb, st, ents.order_ref, ents, topic)
        if ents.tracking_code:
            return self._track_code(tb, st, ents.tracking_code, topic)
        if ents.mobile:
            return self._track_mobile(tb, st, ents.mobile, topic)
        current = self._current_order_ref(st)
        if current:
            # "Invoice please" right after an order was shown is about that order.
            return self._track_ref(tb, st, current, ents, topic)
        st["pending"].update(intent=topic, order_ref=None)
        if st["verified_mobiles"]:
            if topic == DELAY_COMPLAINT:
                tb.say("delay_apology")
            return self._list_orders(tb, st, st["verified_mobiles"][-1], topic)
        general = {
            WHERE_IS_TRACKING_CODE: ("tracking_code_general",),
            WHY_NO_UPDATE: ("update_interval_explain", "ask_order_ref"),
            DELAY_COMPLAINT: ("delay_apology", "ask_order_ref"),
            PAYMENT_STATUS: ("payment_help_general",),
            INVOICE: ("invoice_general", "ask_order_ref"),
        }.get(topic, ("ask_order_ref",))
        for key in general[:-1]:
            tb.say(key)
        tb.say(general[-1], buttons=[BTN_TRACK_MOBILE, BTN_TRACK_CODE, BTN_HUMAN])
        st["step"] = STEP_AWAIT_ORDER_REF
        return topic

    @staticmethod
    def _current_order_ref(st):
        """The order this conversation is about: the last one shown after a check, if any.

        Only an order that passed level 1 or 2 in this session counts, so a follow-up question
        never reveals more than the customer already unlocked.
        """
        ref = st["pending"]["order_ref"]
        if not ref:
            return None
        key = ref_key(ref)
        passed = [*st["level1"], *st["verified_refs"]]
        return ref if any(ref_key(done) == key for done in passed) else None

    # -- closing --------------------------------------------------------------------------------

    def _goodbye(self, tb, st, intent):
        tb.say("thanks_reply" if intent == THANKS else "bye_reply")
        tb.outcome = "resolved"
        self._ask_csat(tb, st)
        return intent

    def _ask_csat(self, tb, st):
        if st["csat"] is not None:
            return
        buttons = [tb.button("btn_csat", f"{PREFIX_CSAT}{n}", stars="★" * n) for n in range(1, 6)]
        tb.say("csat_ask", buttons=buttons)
        st["step"] = STEP_AWAIT_CSAT

    def _record_csat(self, tb, st, score):
        st["csat"] = score
        st["step"] = STEP_IDLE
        tb.say("csat_thanks")
        tb.outcome = "resolved"
        return THANKS

    # -- buttons --------------------------------------------------------------------------------

    def _on_action(self, tb, st, action):
        topic = st["pending"]["intent"] or TRACK_ORDER
        if action == ACTION_VERIFY_SMS:
            return self._send_order_otp(tb, st, st["pending"]["order_ref"], topic)
        if action == ACTION_RESEND_OTP:
            return self._resend(tb, st)
        if action == ACTION_OPEN_TICKET:
            return self._order_ticket(tb, st)
        if action == ACTION_HUMAN:
            return self._human(tb, st, Entities(), "")
        if action == ACTION_WAIT:
            tb.say("wait_ack")
            tb.outcome = "resolved"
            st["step"] = STEP_IDLE
            self._ask_csat(tb, st)
            return topic
        if action == ACTION_MENU:
            st["step"] = STEP_IDLE
            st["pending"] = empty_pending()
            tb.say("menu", buttons=MENU_BUTTONS)
            return UNKNOWN
        prefix, _sep, value = action.partition(":")
        prefix += ":"
        if prefix == PREFIX_PICK:
            return self._pick(tb, st, value)
        if prefix == PREFIX_CITY:
            city_id = self.cities.by_key(value)
            intent = st["pending"]["intent"]
            if intent not in PRE_PURCHASE_INTENTS:
                intent = PRE_PURCHASE_COVERAGE
            if city_id is None:
                st["step"] = STEP_AWAIT_CITY
                tb.say("city_not_recognised", buttons=self._city_buttons(tb))
                return intent
            return self._pre_purchase(tb, st, intent, city_id)
        if prefix == PREFIX_CSAT and value in ("1", "2", "3", "4", "5"):
            return self._record_csat(tb, st, int(value))
        if prefix == PREFIX_INTENT and value in MENU_INTENTS:
            return self._menu_intent(tb, st, value)
        tb.say("menu_prompt", buttons=MENU_BUTTONS)
        return UNKNOWN

    def _menu_intent(self, tb, st, intent):
        st["pending"] = {**empty_pending(), "city_id": st["pending"]["city_id"]}
        if intent == HUMAN:
            return self._human(tb, st, Entities(), "")
        if intent in PRE_PURCHASE_INTENTS:
            return self._pre_purchase(tb, st, intent, st["pending"]["city_id"])
        st["pending"]["intent"] = intent
        if intent == TRACK_ORDER:
            st["step"] = STEP_AWAIT_ORDER_REF
            tb.say("ask_order_ref", buttons=[BTN_TRACK_MOBILE, BTN_TRACK_CODE])
        elif intent == TRACK_MOBILE:
            st["step"] = STEP_AWAIT_MOBILE
            tb.say("ask_mobile")
        else:
            st["step"] = STEP_AWAIT_TRACKING_CODE
            tb.say("ask_tracking_code", buttons=[BTN_TRACK_ORDER, BTN_TRACK_MOBILE])
        return intent
