"""Tests of the dialogue policy (conversation/policy.py and its flows) and the reply catalogue.

The backend is a small in-memory implementation of conversation.backend.Backend: the policy's
injected dependency, not a mock of Odoo. It records every call so the tests can check what was
looked up, where codes were sent and which tickets were opened.
"""

import dataclasses
import json
import re
import string
import unittest
from pathlib import Path

from ..conversation import intents as I
from ..conversation.backend import Backend, CheckResult, OrderView, QuoteView, SendResult
from ..conversation.disclosure import LEVEL1_CODE_FIELDS, LEVEL1_FIELDS, LEVEL2_ONLY_FIELDS
from ..conversation.entities import order_ref_variants
from ..conversation.policy import MAX_TEXT_LENGTH, Policy
from ..conversation.replies import CATALOGUE, render, stage_label
from ..conversation.state import new_state

MOBILE = "+989121234567"
OTHER_MOBILE = "+989351112233"
GOOD_CODE = "123456"
CITIES = [
    (1, "تهران", "Tehran"),
    (2, "شیراز", "Shiraz"),
    (3, "کیش", "Kish"),
]

# Values that must never appear in a level-1 reply (all distinctive strings).
SECRET_VALUES = {
    "tracking_code": "TRK-88392011",
    "tracking_url": "https://carrier.example/track/TRK-88392011",
    "items": "Blue mug",
    "masked_address": "Valiasr St",
    "events": "Picked up at Tehran hub",
    "payment_ref": "PAYREF998877",
    "invoice_url": "https://shop.example/my/invoices/7",
}


def make_order(ref="S00042", mobile=MOBILE, **values):
    base = {
        "ref": ref,
        "stage": "in_transit",
        "created_at": "2025-12-21T10:22:00+03:30",
        "eta_text": "2-4 working days",
        "carrier_label": "Tipax",
        "tracking_code": SECRET_VALUES["tracking_code"],
        "tracking_url": SECRET_VALUES["tracking_url"],
        "last_event": "Handed to the exchange centre",
        "mobile_e164": mobile,
        "payment_state": "paid",
        "payment_ref": SECRET_VALUES["payment_ref"],
        "has_invoice": True,
        "invoice_url": SECRET_VALUES["invoice_url"],
        "items": [(SECRET_VALUES["items"], 2.0)],
        "masked_address": "Tehran, " + SECRET_VALUES["masked_address"] + ", ***",
        "events": [
            ("2025-12-22T09:00:00", SECRET_VALUES["events"], "Tehran"),
            ("2025-12-23T12:30:00", "Handed to the exchange centre", "Tehran hub"),
        ],
        "update_interval_hours": 6,
    }
    base.update(values)
    return OrderView(**base)


class FakeBackend:
    """In-memory Backend: orders by ref, one OTP per mobile, tickets numbered HT00001..."""

    def __init__(self, orders=()):
        self.orders = {o.ref: o for o in orders}
        self.calls = []
        self.sent = []
        self.codes = {}
        self.tickets = []
        self.operator = False
        self.send_reason = "sent"
        self.check_override = None
        self.attempts_left = 3

    def find_order(self, ref):
        # As the contract says: any spelling of the separator finds the order.
        self.calls.append(("find_order", ref))
        return next((self.orders[v] for v in order_ref_variants(ref) if v in self.orders), None)

    def orders_for_mobile(self, e164, limit=3):
        self.calls.append(("orders_for_mobile", e164))
        found = [o for o in self.orders.values() if o.mobile_e164 == e164]
        return sorted(found, key=lambda o: o.created_at or "", reverse=True)[:limit]

    def find_by_tracking_code(self, code):
        self.calls.append(("find_by_tracking_code", code))
        return next((o for o in self.orders.values() if o.tracking_code == code), None)

    def send_otp(self, e164, purpose):
        self.calls.append(("send_otp", e164))
        if self.send_reason != "sent":
            return SendResult(False, self.send_reason)
        self.sent.append((e164, purpose))
        self.codes[e164] = GOOD_CODE
        return SendResult(True, "sent")

    def check_otp(self, e164, code):
        self.calls.append(("check_otp", e164))
        if self.check_override:
            return self.check_override
        if self.codes.get(e164) == code:
            del self.codes[e164]
            return CheckResult(True, "ok")
        self.attempts_left -= 1
        return CheckResult(False, "wrong", self.attempts_left)

    def shipping_quote(self, city_id):
        self.calls.append(("shipping_quote", city_id))
        if city_id == 3:
            return None
        return [
            QuoteView("Post", "90,000 Toman", "3-5 days", "2,000,000 Toman"),
            QuoteView("Motor courier", "150,000 Toman", "same day"),
        ]

    def shipping_methods(self):
        return ["Post", "Tipax", "Motor courier"]

    def open_ticket(self, kind, order_ref, mobile, summary):
        self.tickets.append(
            {"kind": kind, "order_ref": order_ref, "mobile": mobile, "summary": summary}
        )
        return f"HT{len(self.tickets):05d}"

    def operator_available(self):
        return self.operator

    def called(self, name):
        return [args for call, *args in self.calls if call == name]


class PolicyTestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.backend = FakeBackend(
            [
                make_order(),
                make_order(
                    "S00043", stage="preparing", tracking_code=None, tracking_url=None,
                    created_at="2025-12-24T10:00:00", last_event=None, events=[],
                ),
                make_order("S00077", mobile=OTHER_MOBILE, tracking_code="TRK-11112222"),
            ]
        )  # fmt: skip
        self.policy = Policy(self.backend, cities=CITIES)

    def say(self, text=None, action=None, state=None, lang=None):
        """One turn; keeps the state between calls like the caller would."""
        state = self.state if state is None else state
        turn = self.policy.handle(state, text=text, action=action, lang=lang)
        json.dumps(turn.new_state)  # the caller must be able to store it
        self.state = turn.new_state
        return turn

    state = None

    def keys(self, turn):
        return [m.key for m in turn.messages]

    def assert_level1_safe(self, turn, allowed=LEVEL1_FIELDS):
        self.assertEqual(turn.level, 1)
        self.assertTrue(set(turn.disclosed_fields) <= set(allowed) | {"mobile_masked"})
        self.assertFalse(set(turn.disclosed_fields) & LEVEL2_ONLY_FIELDS)
        for field, value in SECRET_VALUES.items():
            self.assertNotIn(value, turn.text, f"{field} leaked at level 1")
            for button in turn.buttons:
                self.assertNotIn(value, button.label)
        if turn.order is not None:
            for field in LEVEL2_ONLY_FIELDS:
                value = getattr(turn.order, field)
                self.assertFalse(value, f"Turn.order.{field} not redacted")

    def reach_level1(self, ref="S00042", last4="4567"):
        self.state = None
        self.say(f"سفارش {ref} کجاست")
        return self.say(last4)


class TestMessageLimit(unittest.TestCase):
    """The 1,000-character limit is defined once (policy.MAX_TEXT_LENGTH); the browser widget
    and the OpenAPI document cannot import Python, so they are checked against it."""

    ROOT = Path(__file__).resolve().parent.parent

    def test_widget_and_openapi_use_the_same_limit(self):
        js = (self.ROOT / "static/src/js/chat_session.js").read_text(encoding="utf-8")
        found = re.search(r"export const MAX_TEXT_LENGTH = (\d+);", js)
        self.assertIsNotNone(found)
        self.assertEqual(int(found.group(1)), MAX_TEXT_LENGTH)
        spec = json.loads((self.ROOT / "api/openapi.json").read_text(encoding="utf-8"))
        text = spec["components"]["schemas"]["TextMessage"]["properties"]["text"]
        self.assertEqual(text["maxLength"], MAX_TEXT_LENGTH)

    def test_policy_cuts_long_texts_at_the_limit(self):
        policy = Policy(FakeBackend())
        self.assertEqual(policy.max_text_length, MAX_TEXT_LENGTH)
        self.assertEqual(len(policy._clean("x" * (MAX_TEXT_LENGTH + 50))), MAX_TEXT_LENGTH)


class TestCatalogue(unittest.TestCase):
    def test_every_key_in_both_languages(self):
        for key, texts in CATALOGUE.items():
            with self.subTest(key=key):
                self.assertEqual(set(texts), {"en_US", "fa_IR"})
                self.assertTrue(texts["en_US"].strip())
                self.assertTrue(texts["fa_IR"].strip())

    def test_same_placeholders_in_both_languages(self):
        formatter = string.Formatter()
        for key, texts in CATALOGUE.items():
            fields = {
                lang: {name for _, name, _, _ in formatter.parse(text) if name}
                for lang, text in texts.items()
            }
            with self.subTest(key=key):
                self.assertEqual(fields["en_US"], fields["fa_IR"])

    def test_every_key_the_policy_uses_exists(self):
        folder = Path(__file__).resolve().parent.parent / "conversation"
        used = set()
        for path in folder.glob("*.py"):
            source = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'(?:say|render|button)\(\s*"([a-z0-9_]+)"', source))
            used |= set(re.findall(r'\(\s*"(btn_[a-z0-9_]+)"', source))
            used |= set(re.findall(r'tb\.say\("([a-z0-9_]+)" if', source))
            used |= set(re.findall(r'else "([a-z0-9_]+)"\)', source))
            used |= set(re.findall(r'"(otp_[a-z_]+|journey_[a-z_]+)"', source))
        self.assertGreater(len(used), 60)
        self.assertFalse(used - set(CATALOGUE), f"missing keys: {used - set(CATALOGUE)}")
        for prefix, values in (
            ("sensitive_", I.SENSITIVE_INTENTS),
            ("stage_", ("awaiting_payment", "registered", "preparing", "handed_to_carrier")),
            ("stage_", ("in_transit", "delivered", "cancelled")),
        ):
            for value in values:
                self.assertIn(prefix + value, CATALOGUE)
        for exc in ("delayed", "returned_to_sender", "lost", "address_issue", "failed_attempt"):
            self.assertIn(f"exception_{exc}", CATALOGUE)
            self.assertIn(f"exception_{exc}_next", CATALOGUE)
        self.assertIn("exception_damaged_next", CATALOGUE)

    def test_stage_labels_in_persian(self):
        expected = {
            "awaiting_payment": "در انتظار پرداخت",
            "registered": "ثبت شده",
            "preparing": "در حال آماده‌سازی",
            "handed_to_carrier": "تحویل به پست/پیک",
            "in_transit": "در مسیر",
            "delivered": "تحویل شده",
            "cancelled": "لغو شده",
        }
        for stage, label in expected.items():
            self.assertEqual(stage_label(stage, "fa_IR"), label)
        self.assertEqual(stage_label("in_transit", "en_US"), "on its way")

    def test_persian_uses_zwnj_and_persian_letters(self):
        for key, texts in CATALOGUE.items():
            fa = texts["fa_IR"]
            with self.subTest(key=key):
                # «می رسد» with a space is a typo in Persian: the prefix takes a ZWNJ.
                self.assertIsNone(re.search(r"(?<![\w\u200c])ن?می (?=\w)", fa), fa)
                self.assertNotIn("\u064a", fa)  # Arabic yeh
                self.assertNotIn("\u0643", fa)  # Arabic kaf
        self.assertIn("\u200c", CATALOGUE["journey_in_transit"]["fa_IR"])

    def test_render_fills_parameters_and_persian_numbers(self):
        self.assertEqual(render("status_l1", "en_US", ref="S1", stage="x"), "Order S1: x.")
        self.assertIn("۱۲", render("journey_in_transit", "fa_IR", carrier="پست", hours=12))
        self.assertIn("S00042", render("ask_last4", "fa", ref="S00042"))
        with self.assertRaises(KeyError):
            render("status_l1", "en_US")


class TestFlowOrderRef(PolicyTestCase):
    def test_ref_first_asks_for_the_last_four_digits(self):
        turn = self.say("سفارش S00042 کجاست")
        self.assertEqual(self.keys(turn), ["ask_last4"])
        self.assertEqual(turn.intent, I.TRACK_ORDER)
        self.assertEqual(turn.new_state["step"], "await_last4")
        self.assertEqual(turn.disclosed_fields, [])
        self.assertNotIn("در مسیر", turn.text)
        self.assertEqual(self.backend.sent, [])

    def test_level1_after_last_four_digits(self):
        turn = self.reach_level1(last4="۴۵۶۷")
        self.assertEqual(self.keys(turn)[:3], ["status_l1", "status_eta", "status_carrier"])
        self.assertIn("در مسیر", turn.text)
        self.assertEqual(turn.disclosed_fields, ["ref", "stage", "eta_text", "carrier_label"])
        self.assert_level1_safe(turn)
        self.assertIn("verify_sms", turn.next_actions)
        for action in ("wait", "open_ticket", "human"):
            self.assertIn(action, turn.next_actions)
        self.assertEqual(turn.outcome, "resolved")
        self.assertFalse(turn.verified)

    def test_level1_with_the_full_mobile_in_the_first_message(self):
        turn = self.say("order S00042 0912 123 4567")
        self.assertEqual(turn.messages[0].key, "status_l1")
        self.assert_level1_safe(turn)
        self.assertEqual(turn.lang, "en_US")

    def test_level1_events_and_tracking_are_redacted_from_the_order_object(self):
        turn = self.reach_level1()
        self.assertEqual(turn.order.ref, "S00042")
        self.assertEqual(turn.order.stage, "in_transit")
        self.assertIsNone(turn.order.tracking_code)
        self.assertEqual(turn.order.items, [])
        self.assertIsNone(turn.order.mobile_e164)

    def test_verify_sends_the_code_to_the_mobile_on_the_order(self):
        self.reach_level1()
        turn = self.say(action="verify_sms")
        self.assertEqual(self.backend.sent, [(MOBILE, "order")])
        self.assertEqual(self.keys(turn), ["otp_sent_masked"])
        self.assertIn("0912***4567", turn.text)
        self.assertNotIn("09121234567", turn.text)
        self.assertEqual(turn.new_state["step"], "await_otp")

    def test_otp_gives_level2_with_everything(self):
        self.reach_level1()
        self.say(action="verify_sms")
        turn = self.say("کد ۱۲۳۴۵۶")
        self.assertEqual(turn.level, 2)
        self.assertTrue(turn.verified)
        for field, value in SECRET_VALUES.items():
            self.assertIn(value, turn.text, field)
            self.assertIn(field, turn.disclosed_fields)
        self.assertIn("journey_in_transit", self.keys(turn))
        self.assertIn("۶", turn.text)  # updates every 6 hours, in Persian digits
        self.assertEqual(turn.order.tracking_code, SECRET_VALUES["tracking_code"])
        self.assertEqual(turn.new_state["verified_mobiles"], [MOBILE])
        self.assertIn("S00042", turn.new_state["verified_refs"])

    def test_level2_messages_have_a_masked_record_form(self):
        turn = self.reach_level1()
        self.assertEqual([m.record for m in turn.messages], [m.text for m in turn.messages])
        self.say(action="verify_sms")
        turn = self.say("کد ۱۲۳۴۵۶")
        record = "\n".join(m.record for m in turn.messages)
        for field, value in SECRET_VALUES.items():
            with self.subTest(field=field):
                self.assertIn(value, turn.text)
                if field != "invoice_url":  # a link without a token is kept as is
                    self.assertNotIn(value, record)
        self.assertIn("TRK…11", record)
        self.assertIn("https://carrier.example/track/TRK…11", record)
        self.assertIn(SECRET_VALUES["invoice_url"], record)
        self.assertIn("[اقلام سفارش S00042 نمایش داده شد (سطح ۲)]", record)
        self.assertIn("[آدرس تحویل سفارش S00042 نمایش داده شد (سطح ۲)]", record)
        self.assertEqual(len(record.split("\n")), len(turn.messages), "one line per message")

    def test_after_verification_the_ref_goes_straight_to_level2(self):
        self.reach_level1()
        self.say(action="verify_sms")
        self.say(GOOD_CODE)
        turn = self.say("S00043")
        self.assertEqual(turn.level, 2)
        self.assertIn("journey_preparing", self.keys(turn))

    def test_verified_customer_cannot_see_someone_elses_order(self):
        self.reach_level1()
        self.say(action="verify_sms")
        self.say(GOOD_CODE)
        turn = self.say("S00077")
        self.assertEqual(self.keys(turn), ["ask_last4"])
        self.assertEqual(turn.level, 1)
        turn = self.say("4567")  # the verified customer's digits, not the order's
        self.assertEqual(self.keys(turn)[0], "l1_mismatch")
        self.assert_level1_safe(turn)

    def test_verify_without_level1_sends_nothing(self):
        self.say("S00042")
        turn = self.say(action="verify_sms")
        self.assertEqual(self.backend.sent, [])
        self.assertEqual(turn.disclosed_fields, [])
        forged = dict(self.state, pending=dict(self.state["pending"], order_ref="S00077"))
        turn = self.say(action="verify_sms", state=forged)
        self.assertEqual(self.backend.sent, [])
        self.assertEqual(self.keys(turn), ["menu_prompt"])

    def test_customer_never_chooses_the_otp_destination(self):
        # A wrong full mobile does not pass level 1, and no SMS goes to the typed number.
        turn = self.say("S00042 09351112233")
        self.assertEqual(self.keys(turn)[0], "l1_mismatch")
        self.assertEqual(self.backend.sent, [])

    def test_why_no_update_at_level1_explains_without_events(self):
        self.say("چرا وضعیت سفارش S00042 آپدیت نمیشه")
        turn = self.say("4567")
        self.assertIn("update_interval_explain", self.keys(turn))
        self.assert_level1_safe(turn)
        self.assertEqual(turn.intent, I.WHY_NO_UPDATE)


class TestRefSpellings(PolicyTestCase):
    def test_spaced_dashed_and_persian_refs_reach_the_order(self):
        for text in ("S 00042 4567", "s-00042 4567", "سفارش اس ۰۰۰۴۲ کجاست ۴۵۶۷", "S ۰۰۰۴۲ 4567"):
            with self.subTest(text=text):
                self.state = None
                turn = self.say(text)
                self.assertEqual(self.keys(turn)[0], "status_l1")
                self.assertIn("S00042", turn.text)
                # The shop's spelling is what passed, so the SMS button works.
                self.assertEqual(list(turn.new_state["level1"]), ["S00042"])
                turn = self.say(action="verify_sms")
                self.assertEqual(self.keys(turn), ["otp_sent_masked"])

    def test_last4_after_a_dashed_ref(self):
        self.state = None
        self.say("s-00042 کجاست")
        turn = self.say("S 00042 4567")
        self.assertEqual(self.keys(turn)[0], "status_l1")


class TestUniformAnswers(PolicyTestCase):
    def shape(self, turn, ref):
        return (
            self.keys(turn),
            re.sub(r"HT\d{5}", "<TICKET>", turn.text.replace(ref, "<REF>")),
            [(b.label, b.action) for b in turn.buttons],
            turn.new_state["step"],
            turn.disclosed_fields,
            turn.order,
            turn.level,
            turn.outcome,
        )

    def test_asking_for_digits_is_the_same_for_known_and_unknown_refs(self):
        known = self.policy.handle(None, "سفارش S00042 کجاست")
        unknown = self.policy.handle(None, "سفارش S99999 کجاست")
        self.assertEqual(self.shape(known, "S00042"), self.shape(unknown, "S99999"))

    def test_unknown_ref_and_wrong_digits_get_the_same_reply(self):
        for lang_text in ("سفارش {} کجاست", "where is order {}"):
            with self.subTest(text=lang_text):
                mismatch = self.policy.handle(None, lang_text.format("S00042"))
                mismatch = self.policy.handle(mismatch.new_state, "1111")
                unknown = self.policy.handle(None, lang_text.format("S99999"))
                unknown = self.policy.handle(unknown.new_state, "4567")
                self.assertEqual(self.keys(mismatch), ["l1_mismatch"])
                self.assertEqual(self.shape(mismatch, "S00042"), self.shape(unknown, "S99999"))
                self.assertEqual(mismatch.new_state["failures"], unknown.new_state["failures"])

    def test_order_without_mobile_gets_the_same_reply(self):
        self.backend.orders["S00050"] = make_order("S00050", mobile=None)
        no_mobile = self.policy.handle(None, "S00050 4567")
        unknown = self.policy.handle(None, "S99999 4567")
        self.assertEqual(self.shape(no_mobile, "S00050"), self.shape(unknown, "S99999"))

    def test_lock_after_three_failures_whatever_exists(self):
        self.say("S99999")
        self.say("1111")
        self.say("2222")
        turn = self.say("3333")
        self.assertEqual(self.keys(turn), ["l1_locked"])
        # Now even a correct pair is refused, with the same words as an unknown ref.
        correct = self.say("S00042 4567")
        unknown = self.say("S88888 4567")
        self.assertEqual(self.keys(correct), ["l1_locked"])
        self.assertEqual(self.shape(correct, "S00042"), self.shape(unknown, "S88888"))
        self.assert_level1_safe(correct)

    def test_mobile_flow_is_uniform_with_and_without_orders(self):
        with_orders = self.policy.handle(None, "با شماره 09121234567 خرید کردم")
        without = self.policy.handle(None, "با شماره 09901234567 خرید کردم")
        self.assertEqual(self.keys(with_orders), ["otp_sent_if_orders"])
        self.assertEqual(self.shape(with_orders, "0912***4567"), self.shape(without, "0990***4567"))
        self.assertEqual([e for e, _ in self.backend.sent], [MOBILE, "+989901234567"])
        self.assertEqual(self.backend.called("orders_for_mobile"), [])

    def test_sensitive_requests_do_not_reveal_existence(self):
        known = self.policy.handle(None, "آدرس سفارش S00042 رو عوض کنید 09351112233")
        unknown = self.policy.handle(None, "آدرس سفارش S99999 رو عوض کنید 09351112233")
        self.assertEqual(
            self.shape(known, "S00042")[:5],
            self.shape(unknown, "S99999")[:5],
        )


class TestOtp(PolicyTestCase):
    def start_otp(self):
        self.reach_level1()
        return self.say(action="verify_sms")

    def test_wrong_code_says_how_many_tries_are_left(self):
        self.start_otp()
        turn = self.say("۱۱۱۱۱۱")
        self.assertEqual(self.keys(turn), ["otp_wrong_left"])
        self.assertIn("۲", turn.text)
        self.assertEqual(turn.new_state["step"], "await_otp")
        self.assertIn("resend_otp", turn.next_actions)
        self.assertEqual(turn.disclosed_fields, [])
        turn = self.say("222222")
        self.assertIn("۱", turn.text)

    def test_wrong_code_without_a_count(self):
        self.start_otp()
        self.backend.check_override = CheckResult(False, "wrong")
        turn = self.say("111111")
        self.assertEqual(self.keys(turn), ["otp_wrong"])

    def test_expired_and_too_many_offer_a_resend(self):
        for reason, key in (("expired", "otp_expired"), ("too_many", "otp_too_many")):
            with self.subTest(reason=reason):
                self.start_otp()
                self.backend.check_override = CheckResult(False, reason)
                turn = self.say(GOOD_CODE)
                self.assertEqual(self.keys(turn), [key])
                self.assertEqual(turn.next_actions, ["resend_otp"])
                self.assertEqual(turn.level, 1)
                self.assertFalse(turn.verified)
                self.backend.check_override = None
                turn = self.say(action="resend_otp")
                self.assertEqual(self.keys(turn), ["otp_sent_masked"])
                self.assertEqual(self.backend.sent[-1], (MOBILE, "order"))

    def test_cooldown_daily_cap_and_invalid_on_send(self):
        expected = {
            "cooldown": ("otp_cooldown", "await_otp"),
            "daily_cap": ("otp_daily_cap", "idle"),
            "invalid": ("otp_invalid_target", "idle"),
        }
        for reason, (key, step) in expected.items():
            with self.subTest(reason=reason):
                self.reach_level1()
                self.backend.send_reason = reason
                turn = self.say(action="verify_sms")
                self.assertEqual(self.keys(turn), [key])
                self.assertEqual(turn.new_state["step"], step)
                self.assertNotIn("0912***4567", turn.text)
                self.assertNotIn("mobile_masked", turn.disclosed_fields)
                self.backend.send_reason = "sent"

    def test_text_instead_of_code_reprompts(self):
        self.start_otp()
        turn = self.say("کدی نیومده")
        self.assertEqual(self.keys(turn), ["otp_prompt"])
        turn = self.say("")
        self.assertEqual(self.keys(turn), ["otp_prompt"])

    def test_code_after_wandering_off_still_counts(self):
        self.start_otp()
        self.assertEqual(self.keys(self.say("به شیراز ارسال دارین؟")), ["coverage_yes"])
        self.assertEqual(self.state["step"], "idle")
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.level, 2)


class TestFlowMobile(PolicyTestCase):
    def test_mobile_otp_then_choose_then_level2(self):
        turn = self.say("سفارشای من با این شماره: ۰۹۱۲-۱۲۳-۴۵۶۷")
        self.assertEqual(turn.intent, I.TRACK_MOBILE)
        self.assertIn("0912***4567", turn.text)
        self.assertEqual(self.backend.sent, [(MOBILE, "mobile")])
        turn = self.say(GOOD_CODE)
        self.assertEqual(self.keys(turn), ["verified_ok", "choose_order"])
        actions = [b.action for b in turn.buttons]
        self.assertEqual(actions, ["pick:S00043", "pick:S00042"])
        self.assertNotIn("pick:S00077", actions)
        self.assertEqual(turn.new_state["step"], "choose_order")
        turn = self.say(action="pick:S00042")
        self.assertEqual(turn.level, 2)
        self.assertIn(SECRET_VALUES["tracking_code"], turn.text)

    def test_only_orders_of_the_verified_mobile_are_offered(self):
        # A backend that forgets to filter must not leak other customers' orders.
        self.backend.orders_for_mobile = lambda e164, limit=3: list(self.backend.orders.values())
        self.say("09121234567")
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.new_state["choices"], ["S00042", "S00043"])
        self.assertNotIn("S00077", turn.text + " ".join(b.label for b in turn.buttons))

    def test_single_order_is_shown_directly(self):
        turn = self.say("09351112233")
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.level, 2)
        self.assertIn("S00077", turn.text)

    def test_verified_mobile_without_orders(self):
        self.say("09901234567")
        turn = self.say(GOOD_CODE)
        self.assertEqual(self.keys(turn), ["verified_ok", "no_orders_for_mobile"])

    def test_forged_pick_discloses_nothing(self):
        turn = self.say(action="pick:S00042")
        self.assertEqual(self.keys(turn), ["menu_prompt"])
        self.say("09121234567")
        self.say(GOOD_CODE)
        turn = self.say(action="pick:S00077")
        self.assertEqual(self.keys(turn), ["menu_prompt"])
        self.assertEqual(turn.disclosed_fields, [])

    def test_invalid_mobile(self):
        turn = self.say(action="intent:track_mobile")
        self.assertEqual(self.keys(turn), ["ask_mobile"])
        turn = self.say("02112345678")
        self.assertEqual(self.keys(turn), ["invalid_mobile"])
        self.assertEqual(self.backend.sent, [])


class TestFlowTrackingCode(PolicyTestCase):
    def test_code_gives_stage_and_last_event_but_nothing_personal(self):
        turn = self.say("کد رهگیری TRK-88392011")
        self.assertEqual(turn.intent, I.TRACK_CODE)
        self.assertIn("status_last_event", self.keys(turn))
        self.assertIn("Handed to the exchange centre", turn.text)
        self.assertNotIn("S00042", turn.text)
        self.assertIsNone(turn.order.ref)
        self.assert_level1_safe(turn, LEVEL1_CODE_FIELDS)

    def test_verify_from_a_code_does_not_show_the_masked_mobile(self):
        self.say("TRK-88392011")
        turn = self.say(action="verify_sms")
        self.assertEqual(self.keys(turn), ["otp_sent_registered"])
        self.assertNotIn("4567", turn.text)
        self.assertEqual(self.backend.sent, [(MOBILE, "order")])
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.level, 2)

    def test_unknown_code(self):
        turn = self.say("TRK-00000000")
        self.assertEqual(self.keys(turn), ["tracking_not_found"])
        self.assertEqual(turn.new_state["failures"], 1)
        self.assertEqual(turn.disclosed_fields, [])


class TestJourney(PolicyTestCase):
    def level2(self, **values):
        self.backend.orders["S00042"] = make_order(**values)
        self.state = None
        self.say("S00042 4567")
        self.say(action="verify_sms")
        return self.say(GOOD_CODE)

    def test_journey_message_by_stage(self):
        expected = {
            "awaiting_payment": "journey_awaiting_payment",
            "registered": "journey_registered",
            "preparing": "journey_preparing",
            "handed_to_carrier": "journey_handed",
            "in_transit": "journey_in_transit",
            "delivered": "journey_delivered",
            "cancelled": "journey_cancelled",
        }
        for stage, key in expected.items():
            with self.subTest(stage=stage):
                turn = self.level2(stage=stage)
                self.assertIn(key, self.keys(turn))
                self.assertEqual(self.backend.tickets, [])

    def test_handed_to_carrier_shows_code_and_link(self):
        turn = self.level2(stage="handed_to_carrier")
        self.assertIn("tracking_code_line", self.keys(turn))
        self.assertIn("tracking_link_line", self.keys(turn))

    def test_exception_opens_one_ticket_and_says_what_happens_next(self):
        self.backend.operator = True
        turn = self.level2(exception_type="lost")
        self.assertIn("exception_notice", self.keys(turn))
        self.assertIn(render("exception_lost_next", "fa_IR"), turn.text)
        self.assertIn("exception_ticket", self.keys(turn))
        self.assertEqual(turn.outcome, "escalated")
        self.assertEqual(turn.ticket_ref, "HT00001")
        self.assertIn("operator_offer", self.keys(turn))
        self.assertEqual(self.backend.tickets[0]["kind"], "exception")
        self.assertEqual(self.backend.tickets[0]["order_ref"], "S00042")
        turn = self.say("S00042")
        self.assertEqual(len(self.backend.tickets), 1)
        self.assertEqual(turn.ticket_ref, "HT00001")

    def test_exception_next_step_follows_the_delay_reason_and_deadline(self):
        turn = self.level2(exception_type="delayed", exception_reason="stale")
        self.assertIn("exception_delayed_stale_next", self.keys(turn))
        self.assertIn("exception_reason", turn.disclosed_fields)
        turn = self.level2(exception_type="lost", exception_deadline_hours=6)
        self.assertIn(render("exception_lost_hours_next", "fa_IR", hours=6), turn.text)
        self.assertIn("۶", turn.text)

    def test_exception_at_level1_says_the_label_and_the_next_step(self):
        # API, SMS and messenger users read no order card: the next step must be in the text.
        self.backend.orders["S00042"] = make_order(exception_type="address_issue")
        turn = self.say("S00042 4567")
        self.assertIn("exception_notice", self.keys(turn))
        self.assertIn(render("exception_address_issue_next", "fa_IR"), turn.text)
        self.assertEqual(self.backend.tickets, [])
        self.assertIsNone(turn.outcome)
        self.assert_level1_safe(turn)

    def test_where_is_tracking_code_before_handover(self):
        self.backend.orders["S00042"] = make_order(stage="preparing", tracking_code=None)
        self.say("کد رهگیری سفارش S00042 نیومده")
        self.say("4567")
        self.say(action="verify_sms")
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.intent, I.WHERE_IS_TRACKING_CODE)
        self.assertIn("tracking_not_yet", self.keys(turn))


class TestTruthfulExceptions(PolicyTestCase):
    """A parcel that is coming back or cannot be found is not "on its way" with a date."""

    def order_with(self, exception_type, **values):
        self.backend.orders["S00042"] = make_order(
            exception_type=exception_type, eta_text="by 2 December", **values
        )

    def level2(self, lang=None):
        self.state = None
        self.say("S00042 4567", lang=lang)
        self.say(action="verify_sms")
        return self.say(GOOD_CODE)

    def test_returned_and_lost_change_the_stage_and_drop_the_eta(self):
        cases = {
            "returned_to_sender": ("on its way back to us", "در حال بازگشت به فروشگاه"),
            "lost": ("being investigated", "در حال بررسی و جست‌وجو"),
        }
        for exception_type, (english, persian) in cases.items():
            self.order_with(exception_type)
            for lang, opener, stage in (
                ("en_US", "order S00042", english),
                ("fa_IR", "سفارش S00042", persian),
            ):
                with self.subTest(exception=exception_type, lang=lang):
                    self.state = None
                    self.say(opener, lang=lang)
                    level1 = self.say("4567")
                    self.say(action="verify_sms")
                    level2 = self.say(GOOD_CODE)
                    for turn in (level1, level2):
                        self.assertEqual(turn.lang, lang)
                        self.assertIn(stage, turn.text)
                        on_its_way = stage_label("in_transit", lang)
                        for key in ("status_l1", "status_l2"):
                            untrue = render(key, lang, ref="S00042", stage=on_its_way)
                            self.assertNotIn(untrue, turn.text)
                        self.assertNotIn("status_eta", self.keys(turn))
                        self.assertNotIn("by 2 December", turn.text)
                        self.assertNotIn("journey_in_transit", self.keys(turn))
                        self.assertIsNone(turn.order.eta_text)
                        self.assertNotIn("eta_text", turn.disclosed_fields)

    def test_every_exception_has_its_own_stage_wording(self):
        for exception_type in ("delayed", "returned_to_sender", "lost", "address_issue",
                               "failed_attempt", "damaged"):  # fmt: skip
            with self.subTest(exception=exception_type):
                for lang in ("en_US", "fa_IR"):
                    label = stage_label("in_transit", lang, exception_type)
                    self.assertNotEqual(label, stage_label("in_transit", lang))
                    self.assertEqual(label, render(f"stage_exception_{exception_type}", lang))
        # A cancelled order stays cancelled whatever the carrier said.
        self.assertEqual(stage_label("cancelled", "en_US", "lost"), "cancelled")

    def test_without_exception_the_eta_is_still_given(self):
        self.backend.orders["S00042"] = make_order(eta_text="by 2 December")
        turn = self.say("order S00042 4567", lang="en_US")
        self.assertIn("Estimated delivery: by 2 December.", turn.text)
        self.assertEqual(turn.order.eta_text, "by 2 December")

    def test_next_step_is_in_the_text_at_both_levels(self):
        self.order_with("returned_to_sender")
        level1 = self.say("order S00042 4567", lang="en_US")
        self.assertIn(render("exception_returned_to_sender_next", "en_US"), level1.text)
        self.assertIn("exception_returned_to_sender_next", self.keys(level1))
        self.assert_level1_safe(level1)
        self.say(action="verify_sms")
        level2 = self.say(GOOD_CODE)
        self.assertIn(render("exception_returned_to_sender_next", "en_US"), level2.text)

    def test_next_step_is_rendered_in_the_language_of_the_turn(self):
        # Same order, same exception data: an English chat reads English, a Persian one Persian.
        self.order_with("lost", exception_deadline_hours=24)
        english = self.level2(lang="en_US")
        self.assertIn("within 24 hours", english.text)
        self.assertNotIn(render("exception_lost_hours_next", "fa_IR", hours=24), english.text)
        self.state = None
        self.say("سفارش S00042 کجاست")
        persian = self.say("۴۵۶۷")
        self.assertEqual(persian.lang, "fa_IR")
        self.assertIn(render("exception_lost_hours_next", "fa_IR", hours=24), persian.text)
        self.assertIn("۲۴", persian.text)
        self.assertNotIn("within", persian.text)

    def test_delay_reason_changes_the_next_step(self):
        for reason, key in (
            ("stale", "exception_delayed_stale_next"),
            ("no_first_scan", "exception_delayed_no_first_scan_next"),
            ("late", "exception_delayed_next"),
            (None, "exception_delayed_next"),
        ):
            with self.subTest(reason=reason):
                self.order_with("delayed", exception_reason=reason)
                self.state = None
                turn = self.say("S00042 4567")
                self.assertIn(key, self.keys(turn))


class TestFollowUpOnAVerifiedOrder(PolicyTestCase):
    """After level 2 on one order, "invoice please" is about that order (not a list of all)."""

    def verify(self, opener="S00042 4567"):
        self.state = None
        self.say(opener)
        self.say(action="verify_sms")
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.level, 2)
        # The mobile has two orders: a bare question would list them both.
        self.assertGreater(len(self.backend.orders_for_mobile(MOBILE)), 1)

    def test_invoice_please_in_both_languages(self):
        for text, lang in (
            ("invoice please", "en_US"),
            ("فاکتور", "fa_IR"),
            ("فاکتورشو میخوام", "fa_IR"),
        ):
            with self.subTest(text=text):
                self.verify("order S00042 4567" if lang == "en_US" else "سفارش S00042 4567")
                turn = self.say(text)
                self.assertEqual(turn.intent, I.INVOICE)
                self.assertEqual(self.keys(turn), ["invoice_for_order", "next_steps"])
                self.assertIn(SECRET_VALUES["invoice_url"], turn.text)
                self.assertIn("S00042", turn.text)
                self.assertNotIn("choose_order", self.keys(turn))
                self.assertNotIn(SECRET_VALUES["items"], turn.text)  # not the whole order again
                self.assertEqual(turn.level, 2)
                self.assertEqual(turn.order.ref, "S00042")
                self.assertIn("invoice_url", turn.disclosed_fields)

    def test_invoice_not_issued_yet_opens_one_ticket_for_that_order(self):
        self.backend.orders["S00042"] = make_order(has_invoice=False, invoice_url=None)
        self.verify()
        turn = self.say("invoice please")
        self.assertIn("invoice_requested", self.keys(turn))
        self.assertEqual(self.backend.tickets[-1]["order_ref"], "S00042")
        self.say("فاکتور")
        self.assertEqual(len(self.backend.tickets), 1)

    def test_payment_and_tracking_code_follow_ups(self):
        self.verify()
        turn = self.say("کد پیگیری پرداخت چیه")
        self.assertIn(SECRET_VALUES["payment_ref"], turn.text)
        self.assertNotIn("choose_order", self.keys(turn))
        turn = self.say("where is my tracking code")
        self.assertIn(SECRET_VALUES["tracking_code"], turn.text)
        self.assertIn("tracking_code_for_order", self.keys(turn))

    def test_level1_only_order_gets_the_verify_offer_again(self):
        self.state = None
        self.say("S00042 4567")
        turn = self.say("فاکتور")
        self.assertIn("verify_offer", self.keys(turn))
        self.assert_level1_safe(turn)
        self.say(action="verify_sms")
        turn = self.say(GOOD_CODE)
        self.assertEqual(turn.intent, I.INVOICE)
        self.assertIn(SECRET_VALUES["invoice_url"], turn.text)

    def test_without_an_order_in_the_conversation_the_list_comes_back(self):
        self.state = None
        self.say("با شماره 09121234567")
        self.say(GOOD_CODE)
        turn = self.say(action="menu")
        turn = self.say("فاکتور")
        self.assertIn("choose_order", self.keys(turn))

    def test_another_ref_is_not_answered_for_the_current_one(self):
        self.verify()
        turn = self.say("invoice for S00077")
        self.assertIn("ask_last4", self.keys(turn))
        self.assertNotIn(SECRET_VALUES["invoice_url"], turn.text)


class TestPaymentAndInvoice(PolicyTestCase):
    def test_payment_question_without_an_order(self):
        turn = self.say("پول از حسابم رفته ولی سفارش ثبت نشده")
        self.assertEqual(turn.intent, I.PAYMENT_STATUS)
        self.assertEqual(self.keys(turn), ["payment_help_general"])
        self.assertEqual(turn.new_state["step"], "await_order_ref")
        turn = self.say("S00042")
        self.assertEqual(self.keys(turn), ["ask_last4"])
        self.assertEqual(turn.new_state["pending"]["intent"], I.PAYMENT_STATUS)

    def test_payment_details_need_level2(self):
        self.backend.orders["S00042"] = make_order(payment_state="not_paid")
        turn = self.say("I paid but order S00042 says unpaid")
        turn = self.say("4567")
        self.assert_level1_safe(turn)
        self.assertNotIn("payment_state", turn.disclosed_fields)
        self.say(action="verify_sms")
        turn = self.say(GOOD_CODE)
        self.assertIn(SECRET_VALUES["payment_ref"], turn.text)
        self.assertIn("payment_help_order", self.keys(turn))
        self.assertIn("not paid", turn.text)

    def test_invoice_link_or_ticket(self):
        self.say("invoice for S00042 please")
        self.say("4567")
        self.say(action="verify_sms")
        turn = self.say(GOOD_CODE)
        self.assertIn(SECRET_VALUES["invoice_url"], turn.text)
        self.assertEqual(self.backend.tickets, [])
        self.backend.orders["S00043"] = make_order("S00043", has_invoice=False, invoice_url=None)
        turn = self.say("فاکتور رسمی سفارش S00043 رو میخوام")
        self.assertIn("invoice_requested", self.keys(turn))
        self.assertEqual(self.backend.tickets[-1]["kind"], "invoice")


class TestSensitive(PolicyTestCase):
    def test_unverified_request_asks_for_a_contact_then_opens_a_ticket(self):
        for text, kind in (
            ("آدرس سفارش S00042 رو عوض کنید", "change_address"),
            ("کالا آسیب دیده رسیده می‌خوام پس بدم", "return_request"),
            ("سفارش رو نمی‌خوام دیگه، کنسلش کنید", "cancel_order"),
            ("change my address please", "change_address"),
        ):
            with self.subTest(text=text):
                self.backend.calls.clear()
                self.state = None
                turn = self.say(text)
                self.assertEqual(turn.intent, kind)
                self.assertEqual(self.keys(turn), [f"sensitive_{kind}", "ask_contact_mobile"])
                self.assertEqual(turn.disclosed_fields, [])
                turn = self.say("۰۹۳۵ ۱۱۱ ۲۲۳۳")
                self.assertEqual(self.keys(turn), ["ticket_opened_contact"])
                self.assertEqual(turn.outcome, "escalated")
                ticket = self.backend.tickets[-1]
                self.assertEqual(ticket["kind"], kind)
                self.assertEqual(ticket["mobile"], OTHER_MOBILE)
                self.assertIn("verified mobile: no", ticket["summary"])
                self.assertEqual(turn.ticket_ref, f"HT{len(self.backend.tickets):05d}")
                self.assertEqual(turn.disclosed_fields, [])
                self.assertIsNone(turn.order)
                # The order is never read on this path.
                self.assertEqual(self.backend.called("find_order"), [])

    def test_ticket_immediately_when_the_mobile_is_in_the_message(self):
        turn = self.say("آدرس سفارش S00042 رو عوض کنید، شمارم 09351112233")
        self.assertEqual(self.keys(turn), ["sensitive_change_address", "ticket_opened_contact"])
        self.assertEqual(self.backend.tickets[0]["order_ref"], "S00042")
        self.assertNotIn("در مسیر", turn.text)

    def test_verified_customer_gets_a_ticket_with_the_verified_mobile(self):
        self.backend.operator = True
        self.reach_level1()
        self.say(action="verify_sms")
        self.say(GOOD_CODE)
        turn = self.say("cancel S00042")
        self.assertEqual(
            self.keys(turn), ["sensitive_cancel_order", "ticket_opened_contact", "operator_offer"]
        )
        self.assertIn("verified mobile: yes", self.backend.tickets[0]["summary"])
        self.assertEqual(self.backend.tickets[0]["mobile"], MOBILE)
        self.assertNotIn(SECRET_VALUES["tracking_code"], turn.text)
        self.assertEqual(turn.level, 1)

    def test_same_request_twice_is_one_ticket(self):
        self.say("cancel S00042 09351112233")
        turn = self.say("cancel S00042 09351112233")
        self.assertEqual(len(self.backend.tickets), 1)
        self.assertIn("ticket_exists", self.keys(turn))

    def test_operator_offered_while_collecting_the_contact(self):
        self.backend.operator = True
        turn = self.say("میخوام مرجوع کنم")
        self.assertIn("human", turn.next_actions)


class TestHumanAndTickets(PolicyTestCase):
    def test_operator_available(self):
        self.backend.operator = True
        turn = self.say("میشه با یه کارشناس حرف بزنم")
        self.assertEqual(self.keys(turn), ["handover"])
        self.assertTrue(turn.handover)
        self.assertEqual(turn.outcome, "escalated")
        self.assertEqual(self.backend.tickets, [])

    def test_no_operator_opens_a_callback_ticket(self):
        turn = self.say("I want to speak to someone")
        self.assertEqual(self.keys(turn), ["human_unavailable", "ask_contact_mobile"])
        self.assertFalse(turn.handover)
        turn = self.say("09351112233")
        self.assertEqual(self.backend.tickets[0]["kind"], "callback")
        self.assertEqual(turn.outcome, "escalated")

    def test_ticket_button_after_level1(self):
        self.reach_level1()
        turn = self.say(action="open_ticket")
        self.assertEqual(self.keys(turn), ["ticket_opened"])
        self.assertEqual(self.backend.tickets[0]["order_ref"], "S00042")
        self.assertIsNone(self.backend.tickets[0]["mobile"])
        self.assertEqual(self.backend.tickets[0]["kind"], "followup")

    def test_delay_ticket_kind(self):
        self.say("یه هفته‌ست منتظرم S00042")
        self.say("4567")
        self.say(action="open_ticket")
        self.assertEqual(self.backend.tickets[0]["kind"], "delay")

    def test_ticket_button_without_an_order_collects_a_contact(self):
        turn = self.say(action="open_ticket")
        self.assertEqual(self.keys(turn), ["ask_contact_mobile"])
        self.assertEqual(self.backend.tickets, [])


class TestPrePurchase(PolicyTestCase):
    def test_coverage_with_city(self):
        turn = self.say("به شیراز ارسال دارین؟")
        self.assertEqual(self.keys(turn), ["coverage_yes"])
        self.assertIn("شیراز", turn.text)
        self.assertIn("Motor courier", turn.text)
        self.assertEqual(turn.outcome, "resolved")
        self.assertEqual(self.backend.sent, [])
        self.assertEqual(self.backend.called("find_order"), [])

    def test_not_covered(self):
        turn = self.say("do you ship to Kish?")
        self.assertEqual(self.keys(turn), ["not_covered"])
        self.assertIn("Kish", turn.text)
        self.backend.shipping_quote = lambda city_id: []  # covered by nothing is not covered
        turn = self.policy.handle(None, "do you ship to Tehran?")
        self.assertEqual(self.keys(turn), ["not_covered"])

    def test_missing_city_is_asked_with_buttons(self):
        turn = self.say("how much is shipping")
        self.assertEqual(self.keys(turn), ["ask_city"])
        self.assertEqual(turn.next_actions, ["city:1", "city:2", "city:3"])
        self.assertEqual([b.label for b in turn.buttons], ["Tehran", "Shiraz", "Kish"])
        turn = self.say(action="city:2")
        self.assertEqual(self.keys(turn), ["quote_cost"])
        self.assertIn("free for orders over 2,000,000 Toman", turn.text)

    def test_city_typed_after_the_question(self):
        self.say("چند روزه میرسه؟")
        turn = self.say("برای تهران")
        self.assertEqual(self.keys(turn), ["quote_time"])
        self.assertIn("3-5 days", turn.text)
        self.assertNotIn("90,000", turn.text)

    def test_unknown_city(self):
        self.say("هزینه ارسال چقدره")
        turn = self.say("آتلانتیس")
        self.assertEqual(self.keys(turn), ["city_not_recognised"])
        self.assertEqual(len(turn.buttons), 3)

    def test_follow_up_question_remembers_the_city(self):
        self.say("do you ship to Shiraz?")
        turn = self.say("how much is shipping?")
        self.assertEqual(self.keys(turn), ["quote_cost"])
        self.assertIn("Shiraz", turn.text)

    def test_do_you_ship_with_tipax_or_post_lists_the_methods(self):
        for text in (
            "do you ship with Tipax or Post?",
            "چه روش‌های ارسالی دارید؟",
            "با چی ارسال می‌کنید",
        ):
            with self.subTest(text=text):
                self.state = None
                turn = self.say(text)
                self.assertEqual(turn.intent, I.PRE_PURCHASE_METHODS)
                self.assertEqual(self.keys(turn), ["quote_methods", "city_hint"])
                for method in self.backend.shipping_methods():
                    self.assertIn(method, turn.text)
                self.assertNotIn("ask_city", self.keys(turn))

    def test_methods_without_a_city(self):
        turn = self.say("پیک موتوری دارین؟")
        self.assertEqual(self.keys(turn), ["quote_methods", "city_hint"])
        self.assertIn("Tipax", turn.text)


class TestClosingAndNoise(PolicyTestCase):
    def test_thanks_asks_for_csat_and_records_it(self):
        turn = self.say("مرسی، لطف کردین")
        self.assertEqual(self.keys(turn), ["thanks_reply", "csat_ask"])
        self.assertEqual(turn.next_actions, [f"csat:{n}" for n in range(1, 6)])
        turn = self.say(action="csat:4")
        self.assertEqual(turn.new_state["csat"], 4)
        self.assertEqual(self.keys(turn), ["csat_thanks"])
        turn = self.say("خداحافظ")
        self.assertEqual(self.keys(turn), ["bye_reply"])  # asked once only

    def test_csat_typed_in_persian_digits(self):
        self.say("bye")
        turn = self.say("۵")
        self.assertEqual(turn.new_state["csat"], 5)

    def test_forged_csat_is_ignored(self):
        turn = self.say(action="csat:9")
        self.assertIsNone(turn.new_state["csat"])
        self.assertEqual(self.keys(turn), ["menu_prompt"])

    def test_unknown_offers_what_the_bot_can_do(self):
        turn = self.say("blah blah")
        self.assertEqual(turn.intent, I.UNKNOWN)
        self.assertEqual(self.keys(turn), ["menu_prompt"])
        self.assertEqual(
            turn.next_actions,
            [
                "intent:track_order",
                "intent:track_mobile",
                "intent:track_code",
                "intent:pre_purchase_coverage",
                "human",
            ],
        )

    def test_garbage_never_crashes(self):
        for text in (
            None,
            "",
            "   ",
            "🙏",
            "a" * 5000,
            "<script>alert('S00042')</script>",
            "'; DROP TABLE sale_order; --",
            "\x00\x01\x02",
            12345,
        ):
            with self.subTest(text=str(text)[:20]):
                turn = self.policy.handle(None, text=text, lang="fa_IR")
                self.assertTrue(turn.messages)
                self.assertNotIn("<script>", turn.text)
                json.dumps(turn.to_dict(), ensure_ascii=False)

    def test_garbage_in_the_middle_of_a_step_reprompts_the_step(self):
        self.say("S00042")
        turn = self.say("🙏")
        self.assertEqual(self.keys(turn), ["last4_not_recognised"])
        self.assertEqual(turn.new_state["step"], "await_last4")

    def test_forged_and_unknown_actions(self):
        for action in ("drop_table", "intent:admin", "pick:", "city:999", "x" * 500):
            with self.subTest(action=action[:20]):
                turn = self.policy.handle(None, action=action)
                self.assertEqual(turn.disclosed_fields, [])
                self.assertTrue(turn.messages)


class TestLanguageAndState(PolicyTestCase):
    def test_language_detected_at_the_first_turn_then_kept(self):
        turn = self.say("where is my order")
        self.assertEqual(turn.lang, "en_US")
        self.assertEqual(turn.text, render("ask_order_ref", "en_US"))
        turn = self.say("سفارش S00042")
        self.assertEqual(turn.lang, "en_US")
        self.assertIn("last 4 digits", turn.text)

    def test_code_only_first_message_uses_the_site_language(self):
        turn = self.policy.handle(None, "S00042", lang="en_US")
        self.assertEqual(turn.lang, "en_US")
        turn = self.policy.handle(None, "S00042", lang="fa_IR")
        self.assertEqual(turn.lang, "fa_IR")
        turn = self.policy.handle(None, "S00042")
        self.assertEqual(turn.lang, "fa_IR")

    def test_language_switch_action(self):
        self.say("سلام")
        turn = self.say(action="lang:en_US")
        self.assertEqual(turn.lang, "en_US")
        turn = self.say("S00042")
        self.assertIn("last 4 digits", turn.text)

    def test_state_is_not_mutated_and_intents_are_recorded(self):
        state = new_state()
        snapshot = json.dumps(state, sort_keys=True)
        turn = self.policy.handle(state, "سفارش S00042 کجاست")
        self.assertEqual(json.dumps(state, sort_keys=True), snapshot)
        self.assertEqual(turn.new_state["intents"], [I.TRACK_ORDER])
        self.assertEqual(turn.new_state["turns"], 1)

    def test_damaged_state_starts_over(self):
        for state in ({"v": 99}, {"v": 1, "step": "nonsense", "pending": "x"}, "junk", None):
            with self.subTest(state=state):
                turn = self.policy.handle(state, "S00042")
                self.assertEqual(self.keys(turn), ["ask_last4"])

    def test_backend_protocol(self):
        self.assertIsInstance(self.backend, Backend)
        self.assertIn("mobile_e164", {f.name for f in dataclasses.fields(OrderView)})


if __name__ == "__main__":
    unittest.main()
