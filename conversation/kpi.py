"""What a conversation counts as in the KPI reports, from the intents it went through.

Plain Python, no Odoo: the chat session stores the answers (models/
order_tracking_chat_session_kpi.py) so the reports read a column instead of parsing a list per
row, and the definitions live here once.
"""

from .intents import (
    DELAY_COMPLAINT,
    SOCIAL_INTENTS,
    TRACK_CODE,
    TRACK_MOBILE,
    TRACK_ORDER,
    UNKNOWN,
    WHERE_IS_TRACKING_CODE,
    WHY_NO_UPDATE,
)

# "Where is my order?" in all its forms: the questions proactive notifications should reduce.
WISMO_INTENTS = frozenset(
    {TRACK_ORDER, TRACK_MOBILE, TRACK_CODE, WHERE_IS_TRACKING_CODE, WHY_NO_UPDATE, DELAY_COMPLAINT}
)


def split_intents(intents):
    """The intent codes of a session's ``intents`` text ("greeting, track_order")."""
    return [code.strip() for code in (intents or "").split(",") if code.strip()]


def primary_intent(intents):
    """The customer's first real question: the first intent that is not small talk (greeting,
    thanks, bye), else the first one, else ``unknown``."""
    codes = split_intents(intents)
    for code in codes:
        if code not in SOCIAL_INTENTS:
            return code
    return codes[0] if codes else UNKNOWN


def is_wismo(intents):
    """Whether the conversation asked where an order is, in any of its forms."""
    return not WISMO_INTENTS.isdisjoint(split_intents(intents))
