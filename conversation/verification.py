"""Flows 1-3 and the OTP step: who may see what about an order, and when.

Level 1 needs the order ref plus the last 4 digits (or all) of the order's mobile, or a tracking
code; level 2 needs an OTP to the order's mobile, or to a mobile whose orders are then listed.
The uniform-answer rules these methods follow are described in :mod:`.policy`.
"""

import hmac
import re

from .actions import (
    BTN_HUMAN,
    BTN_RESEND,
    BTN_TICKET,
    BTN_TRACK_MOBILE,
    BTN_TRACK_ORDER,
    BTN_VERIFY,
    MENU_BUTTONS,
    NEXT_STEP_BUTTONS,
    PREFIX_PICK,
)
from .backend import CheckResult
from .disclosure import FOLLOW_UP_TOPICS, say_follow_up, say_level1, say_level2
from .entities import ref_key
from .intents import (
    DELAY_COMPLAINT,
    INVOICE,
    PAYMENT_STATUS,
    TRACK_CODE,
    TRACK_MOBILE,
    TRACK_ORDER,
    UNKNOWN,
    WHERE_IS_TRACKING_CODE,
    WHY_NO_UPDATE,
)
from .normalize import mask_mobile, normalize_digits
from .replies import stage_label
from .state import (
    MAX_VERIFIED_MOBILES,
    STEP_AWAIT_LAST4,
    STEP_AWAIT_MOBILE,
    STEP_AWAIT_OTP,
    STEP_CHOOSE_ORDER,
    STEP_IDLE,
)


class VerificationFlows:
    """Mixin of :class:`.policy.Policy`: order lookups, level 1, OTP, level 2."""

    # -- flow 1: order ref ----------------------------------------------------------------------

    def _track_ref(self, tb, st, ref, ents, topic):
        st["pending"].update(intent=topic, order_ref=ref)
        if topic == DELAY_COMPLAINT:
            tb.say("delay_apology")
        order = self.backend.find_order(ref)
        if order is not None and self._verified_for(st, order):
            return self._show_level2(tb, st, order, topic)
        passed = _level1_via(st, ref)
        if st["failures"] >= self.max_lookup_failures and not passed:
            return self._locked(tb, st, topic)
        if order is not None and passed:
            return self._show_level1(tb, st, order, topic, passed)
        if ents.mobile or ents.last4:
            return self._check_level1(tb, st, ref, order, ents.mobile, ents.last4, topic)
        # Same words for every ref, known or not: nothing is revealed before the check.
        tb.say("ask_last4", ref=ref)
        st["step"] = STEP_AWAIT_LAST4
        return topic

    def _check_level1(self, tb, st, ref, order, mobile, last4, topic):
        if st["failures"] >= self.max_lookup_failures:
            return self._locked(tb, st, topic)
        expected = (order.mobile_e164 or "") if order is not None else ""
        if mobile:
            matched = hmac.compare_digest(mobile.encode(), expected.encode())
        else:
            matched = hmac.compare_digest((last4 or "").encode(), expected[-4:].encode())
        if not (expected and matched):
            # Unknown ref, order without mobile, wrong mobile: one answer for all three.
            st["failures"] += 1
            if st["failures"] >= self.max_lookup_failures:
                return self._locked(tb, st, topic)
            tb.say("l1_mismatch", ref=ref, buttons=[BTN_TRACK_MOBILE, BTN_HUMAN])
            st["step"] = STEP_AWAIT_LAST4
            return topic
        # Under the shop's spelling of the ref, whatever the customer typed.
        st["level1"][order.ref] = "mobile"
        return self._show_level1(tb, st, order, topic, "mobile")

    def _locked(self, tb, st, topic):
        tb.say("l1_locked", buttons=[BTN_TRACK_MOBILE, BTN_HUMAN])
        st["step"] = STEP_IDLE
        return topic

    def _show_level1(self, tb, st, order, topic, via):
        st["pending"].update(intent=topic, order_ref=order.ref)
        st["step"] = STEP_IDLE
        say_level1(tb, order, via)
        if topic == WHY_NO_UPDATE:
            tb.say("update_interval_explain")
        tb.say("verify_offer", buttons=[BTN_VERIFY])
        tb.say("next_steps", buttons=NEXT_STEP_BUTTONS)
        if topic in (TRACK_ORDER, TRACK_CODE) and not order.exception_type:
            tb.outcome = "resolved"
        return topic

    def _verified_for(self, st, order):
        return bool(order.mobile_e164) and order.mobile_e164 in st["verified_mobiles"]

    # -- level 2 --------------------------------------------------------------------------------

    def _show_level2(self, tb, st, order, topic):
        st["pending"].update(intent=topic, order_ref=order.ref)
        st["step"] = STEP_IDLE
        if order.ref in st["verified_refs"] and topic in FOLLOW_UP_TOPICS:
            return self._follow_up(tb, st, order, topic)
        if order.ref not in st["verified_refs"]:
            st["verified_refs"].append(order.ref)
        say_level2(tb, order)
        tb.outcome = "resolved"
        if order.exception_type:
            summary = f"carrier exception: {order.exception_type}"
            ticket = self._ticket(tb, st, "exception", order.ref, order.mobile_e164, summary)
            tb.say("exception_ticket", ticket=ticket)
            if self.backend.operator_available():
                tb.say("operator_offer", buttons=[BTN_HUMAN])
        elif topic == PAYMENT_STATUS and order.payment_state != "paid":
            tb.say("payment_help_order")
        elif topic == INVOICE and not (order.has_invoice and order.invoice_url):
            ticket = self._ticket(tb, st, "invoice", order.ref, order.mobile_e164, "invoice")
            tb.say("invoice_requested", ticket=ticket)
        elif topic == WHERE_IS_TRACKING_CODE and not order.tracking_code:
            tb.say("tracking_not_yet")
        elif topic in (DELAY_COMPLAINT, WHY_NO_UPDATE) and order.stage not in (
            "delivered",
            "cancelled",
        ):
            tb.say("delay_ticket_offer")
        tb.say("next_steps", buttons=NEXT_STEP_BUTTONS)
        return topic

    def _follow_up(self, tb, st, order, topic):
        """Answer a question about an order already shown at level 2, without repeating it all."""
        say_follow_up(tb, order, topic)
        tb.outcome = "resolved"
        if topic == INVOICE and not (order.has_invoice and order.invoice_url):
            ticket = self._ticket(tb, st, "invoice", order.ref, order.mobile_e164, "invoice")
            tb.say("invoice_requested", ticket=ticket)
        elif topic == PAYMENT_STATUS and order.payment_state != "paid":
            tb.say("payment_help_order")
        tb.say("next_steps", buttons=NEXT_STEP_BUTTONS)
        return topic

    # -- one-time codes -------------------------------------------------------------------------

    def _send_order_otp(self, tb, st, ref, topic):
        """Send an OTP to the mobile on order ``ref`` (which must have passed level 1)."""
        via = _level1_via(st, ref)
        if not via:
            tb.say("menu_prompt", buttons=MENU_BUTTONS)
            return UNKNOWN
        order = self.backend.find_order(ref)
        if order is not None and self._verified_for(st, order):
            return self._show_level2(tb, st, order, topic)
        if order is None or not order.mobile_e164:
            tb.say("otp_invalid_target", buttons=[BTN_TICKET, BTN_HUMAN])
            return topic
        result = self.backend.send_otp(order.mobile_e164, "order")
        st["otp"] = {"target": "order", "order_ref": ref}
        if via == "mobile":
            # They proved the last 4 digits already: the masked number tells them nothing new.
            self._say_sent(tb, st, result, "otp_sent_masked", mask_mobile(order.mobile_e164))
            if result.ok:
                tb.disclose("mobile_masked")
        else:
            self._say_sent(tb, st, result, "otp_sent_registered", None)
        return topic

    def _say_sent(self, tb, st, result, sent_key, masked):
        reason = result.reason if not result.ok else "sent"
        if reason == "sent":
            if masked:
                tb.say(sent_key, mobile=masked)
            else:
                tb.say(sent_key)
            st["step"] = STEP_AWAIT_OTP
        elif reason == "cooldown":
            # An earlier code may still be valid, so keep waiting for it.
            tb.say("otp_cooldown", buttons=[BTN_RESEND])
            st["step"] = STEP_AWAIT_OTP
        elif reason == "daily_cap":
            tb.say("otp_daily_cap", buttons=[BTN_TICKET, BTN_HUMAN])
            st["step"] = STEP_IDLE
        elif st["otp"] and st["otp"].get("target") == "mobile":
            tb.say("invalid_mobile")
            st["step"] = STEP_AWAIT_MOBILE
        else:
            tb.say("otp_invalid_target", buttons=[BTN_TICKET, BTN_HUMAN])
            st["step"] = STEP_IDLE

    def _check_otp(self, tb, st, code):
        otp = st["otp"] or {}
        topic = st["pending"]["intent"] or TRACK_ORDER
        order = None
        if otp.get("target") == "order":
            order = self.backend.find_order(otp.get("order_ref") or "")
            e164 = order.mobile_e164 if order is not None else None
        else:
            e164 = otp.get("mobile")
        result = self.backend.check_otp(e164, code) if e164 else CheckResult(False, "none")
        if result.ok:
            return self._mobile_proven(tb, st, e164, order, topic)
        if result.reason == "wrong":
            if result.attempts_left is not None:
                tb.say("otp_wrong_left", left=int(result.attempts_left), buttons=[BTN_RESEND])
            else:
                tb.say("otp_wrong", buttons=[BTN_RESEND])
            st["step"] = STEP_AWAIT_OTP
        else:
            key = {"expired": "otp_expired", "too_many": "otp_too_many"}.get(
                result.reason, "otp_none"
            )
            tb.say(key, buttons=[BTN_RESEND] if otp else [])
            st["step"] = STEP_IDLE if not otp else STEP_AWAIT_OTP
        return topic

    def _mobile_proven(self, tb, st, e164, order, topic):
        """``e164`` is proven to belong to the customer (an SMS code, or a messenger contact the
        platform vouches for): level 2 for ``order`` when given, else that mobile's orders."""
        if e164 not in st["verified_mobiles"]:
            st["verified_mobiles"] = (st["verified_mobiles"] + [e164])[-MAX_VERIFIED_MOBILES:]
        st["otp"] = None
        st["step"] = STEP_IDLE
        tb.say("verified_ok")
        if order is not None:
            return self._show_level2(tb, st, order, topic)
        return self._list_orders(tb, st, e164, topic)

    def _resend(self, tb, st):
        otp = st["otp"] or {}
        topic = st["pending"]["intent"] or TRACK_ORDER
        if otp.get("target") == "order":
            return self._send_order_otp(tb, st, otp.get("order_ref"), topic)
        if otp.get("target") == "mobile" and otp.get("mobile"):
            return self._track_mobile(tb, st, otp["mobile"], topic)
        tb.say("menu_prompt", buttons=MENU_BUTTONS)
        return UNKNOWN

    # -- flow 2: mobile -------------------------------------------------------------------------

    def _ask_or_track_mobile(self, tb, st, ents, text):
        topic = self._topic(st, TRACK_MOBILE)
        if ents.mobile:
            return self._track_mobile(tb, st, ents.mobile, topic)
        st["step"] = STEP_AWAIT_MOBILE
        tb.say("invalid_mobile" if looks_like_a_number(text) else "ask_mobile")
        return TRACK_MOBILE

    def _track_mobile(self, tb, st, e164, topic):
        st["pending"].update(intent=topic, order_ref=None)
        if e164 in st["verified_mobiles"]:
            return self._list_orders(tb, st, e164, topic)
        # Always ask the backend to send, and always word it "if this number has orders":
        # whether the number has orders is only learnt by whoever holds the phone.
        result = self.backend.send_otp(e164, "mobile")
        st["otp"] = {"target": "mobile", "mobile": e164}
        self._say_sent(tb, st, result, "otp_sent_if_orders", mask_mobile(e164))
        return topic

    def _list_orders(self, tb, st, e164, topic):
        orders = self.backend.orders_for_mobile(e164, limit=3) or []
        # Belt and braces: only orders that really carry the verified mobile are listed.
        orders = [o for o in orders if o.mobile_e164 == e164][:3]
        st["step"] = STEP_IDLE
        if not orders:
            tb.say("no_orders_for_mobile", buttons=[BTN_TRACK_ORDER, BTN_HUMAN])
            return topic
        if len(orders) == 1:
            return self._show_level2(tb, st, orders[0], topic)
        st["choices"] = [o.ref for o in orders]
        st["step"] = STEP_CHOOSE_ORDER
        buttons = [
            tb.button(
                "btn_order", PREFIX_PICK + o.ref, ref=o.ref, stage=stage_label(o.stage, tb.lang)
            )
            for o in orders
        ]
        tb.say("choose_order", buttons=buttons)
        tb.disclose("ref", "stage")
        tb.level = 2
        return topic

    def _pick(self, tb, st, ref):
        topic = self._topic(st, TRACK_ORDER)
        if ref not in st["choices"]:
            tb.say("menu_prompt", buttons=MENU_BUTTONS)
            return UNKNOWN
        order = self.backend.find_order(ref)
        if order is None or not self._verified_for(st, order):
            tb.say("menu_prompt", buttons=MENU_BUTTONS)
            return UNKNOWN
        return self._show_level2(tb, st, order, topic)

    # -- flow 3: tracking code ------------------------------------------------------------------

    def _track_code(self, tb, st, code, topic):
        st["pending"].update(intent=topic, order_ref=None)
        if st["failures"] >= self.max_lookup_failures:
            return self._locked(tb, st, topic)
        order = self.backend.find_by_tracking_code(code)
        if order is None:
            st["failures"] += 1
            st["step"] = STEP_IDLE
            tb.say("tracking_not_found", buttons=[BTN_TRACK_ORDER, BTN_HUMAN])
            return topic
        if self._verified_for(st, order):
            return self._show_level2(tb, st, order, topic)
        st["level1"].setdefault(order.ref, "code")
        return self._show_level1(tb, st, order, topic, "code")


def _level1_via(st, ref):
    """How ``ref`` (any spelling) passed level 1 in this session: "mobile", "code" or None."""
    key = ref_key(ref)
    return next((via for done, via in st["level1"].items() if ref_key(done) == key), None)


def looks_like_a_number(text):
    """Seven digits or more: the customer meant a phone number, even if it is not a valid one."""
    return len(re.findall(r"\d", normalize_digits(text))) >= 7
