"""The conversation state the caller stores between turns, and its steps.

The state is a JSON-serialisable dict. It holds which orders passed which check, so it must be
kept server-side (e.g. on the chat session record), never round-tripped through the browser:
a client that could edit it could mark itself verified.

Schema (version 1)::

    {
      "v": 1,
      "lang": "fa_IR" | "en_US" | None,    # fixed at the first turn, changed by "lang:" actions
      "step": one of STEPS,                # what the bot is waiting for
      "pending": {                         # the question being worked on
        "intent": str | None,              # e.g. "payment_status", resumed after verification
        "order_ref": str | None,           # the ref being checked / shown
        "city_id": id | None,              # last city asked about (pre-purchase follow-ups)
        "summary": str | None,             # customer's words for a ticket still being collected
      },
      "otp": None | {"target": "order", "order_ref": str}
                  | {"target": "mobile", "mobile": e164},
      "level1": {ref: "mobile" | "code"},  # refs that passed a level-1 gate, and which one
      "verified_mobiles": [e164, ...],     # mobiles proven by OTP in this session
      "verified_refs": [ref, ...],         # orders shown at level 2 (audit convenience)
      "choices": [ref, ...],               # refs offered as buttons to a verified mobile
      "failures": int,                     # failed level-1 checks / unknown codes
      "tickets": {"kind:ref": ticket_ref}, # one ticket per kind and order per session
      "intents": [intent, ...],            # last MAX_INTENTS intents seen
      "csat": int | None,                  # 1..5
      "turns": int,
    }
"""

import copy

STATE_VERSION = 1
MAX_INTENTS = 20
MAX_VERIFIED_MOBILES = 3

STEP_IDLE = "idle"
STEP_AWAIT_ORDER_REF = "await_order_ref"
STEP_AWAIT_LAST4 = "await_last4"
STEP_AWAIT_OTP = "await_otp"
STEP_AWAIT_MOBILE = "await_mobile"
STEP_AWAIT_TRACKING_CODE = "await_tracking_code"
STEP_CHOOSE_ORDER = "choose_order"
STEP_AWAIT_CITY = "await_city"
STEP_AWAIT_CONTACT = "await_contact_mobile"
STEP_AWAIT_CSAT = "await_csat"
STEPS = (
    STEP_IDLE,
    STEP_AWAIT_ORDER_REF,
    STEP_AWAIT_LAST4,
    STEP_AWAIT_OTP,
    STEP_AWAIT_MOBILE,
    STEP_AWAIT_TRACKING_CODE,
    STEP_CHOOSE_ORDER,
    STEP_AWAIT_CITY,
    STEP_AWAIT_CONTACT,
    STEP_AWAIT_CSAT,
)


def empty_pending():
    return {"intent": None, "order_ref": None, "city_id": None, "summary": None}


def new_state(lang=None):
    """A fresh state for a new conversation."""
    return {
        "v": STATE_VERSION,
        "lang": lang,
        "step": STEP_IDLE,
        "pending": empty_pending(),
        "otp": None,
        "level1": {},
        "verified_mobiles": [],
        "verified_refs": [],
        "choices": [],
        "failures": 0,
        "tickets": {},
        "intents": [],
        "csat": None,
        "turns": 0,
    }


def load_state(state):
    """Return a deep copy of ``state`` with every key present and of the right type.

    Anything missing or malformed falls back to the fresh value, so a state written by an older
    version (or damaged) costs the customer at worst a repeated question, never a crash.
    """
    fresh = new_state()
    if not isinstance(state, dict) or state.get("v") != STATE_VERSION:
        return fresh
    loaded = copy.deepcopy(state)
    for key, default in fresh.items():
        value = loaded.get(key)
        if key not in loaded or (default is not None and not isinstance(value, type(default))):
            loaded[key] = default
    if loaded["step"] not in STEPS:
        loaded["step"] = STEP_IDLE
    pending = empty_pending()
    pending.update({k: v for k, v in loaded["pending"].items() if k in pending})
    loaded["pending"] = pending
    if loaded["otp"] is not None and not isinstance(loaded["otp"], dict):
        loaded["otp"] = None
    if loaded["lang"] not in (None, "fa_IR", "en_US"):
        loaded["lang"] = None
    return loaded
