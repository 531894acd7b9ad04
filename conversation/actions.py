"""Button actions the policy understands, and the standard buttons that carry them.

A button's ``action`` string comes back verbatim in ``Policy.handle(action=...)``; actions that
name something (``pick:S00042``, ``city:3``) are re-checked against the state, so a forged action
can never reach further than typing would.
"""

from .intents import (
    HUMAN,
    PRE_PURCHASE_COVERAGE,
    PRE_PURCHASE_INTENTS,
    TRACK_CODE,
    TRACK_MOBILE,
    TRACK_ORDER,
)

ACTION_VERIFY_SMS = "verify_sms"
ACTION_RESEND_OTP = "resend_otp"
ACTION_OPEN_TICKET = "open_ticket"
ACTION_HUMAN = "human"
ACTION_WAIT = "wait"
ACTION_MENU = "menu"
PREFIX_INTENT = "intent:"  # intent:track_order, intent:pre_purchase_coverage, ...
PREFIX_PICK = "pick:"  # pick:S00042, only for refs offered to a verified mobile
PREFIX_CITY = "city:"  # city:<city_id>
PREFIX_CSAT = "csat:"  # csat:1 .. csat:5
PREFIX_LANG = "lang:"  # lang:fa_IR, lang:en_US

# Intents a menu button may start.
MENU_INTENTS = (TRACK_ORDER, TRACK_MOBILE, TRACK_CODE, HUMAN) + PRE_PURCHASE_INTENTS

# (label key, action) pairs; TurnBuilder.say() renders them.
BTN_VERIFY = ("btn_verify_sms", ACTION_VERIFY_SMS)
BTN_RESEND = ("btn_resend_code", ACTION_RESEND_OTP)
BTN_TICKET = ("btn_open_ticket", ACTION_OPEN_TICKET)
BTN_HUMAN = ("btn_human", ACTION_HUMAN)
BTN_WAIT = ("btn_wait", ACTION_WAIT)
BTN_MENU = ("btn_menu", ACTION_MENU)
BTN_TRACK_ORDER = ("btn_track_order", PREFIX_INTENT + TRACK_ORDER)
BTN_TRACK_MOBILE = ("btn_track_mobile", PREFIX_INTENT + TRACK_MOBILE)
BTN_TRACK_CODE = ("btn_track_code", PREFIX_INTENT + TRACK_CODE)
BTN_SHIPPING = ("btn_shipping", PREFIX_INTENT + PRE_PURCHASE_COVERAGE)
MENU_BUTTONS = (BTN_TRACK_ORDER, BTN_TRACK_MOBILE, BTN_TRACK_CODE, BTN_SHIPPING, BTN_HUMAN)
NEXT_STEP_BUTTONS = (BTN_WAIT, BTN_TICKET, BTN_HUMAN)
