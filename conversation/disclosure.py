"""What may be shown about an order at each verification level, and how it is worded.

This is the one place that reads OrderView fields for display, so the disclosure rules can be
reviewed here and nowhere else:

- level 1 after the order ref + mobile check: the coarse stage, the ETA text, the carrier label
  and whether there is a delivery exception (``LEVEL1_FIELDS``);
- level 1 from a tracking code: the same minus the order ref, plus the plain text of the last
  carrier event, since the code is a bearer token printed on the parcel (``LEVEL1_CODE_FIELDS``);
- level 2 after an OTP to the order's mobile: everything in the OrderView.

A delivery exception changes what is true: the stage is worded from the exception ("on its way
back to us", "being investigated"), no delivery estimate is given (the date is no longer a
promise) and the exception's next step is said instead, at both levels, rendered in the turn's
language from the exception's type, reason and deadline.

The order handed back to the caller in ``Turn.order`` is redacted to the same fields, so a
widget that renders the whole object cannot leak more than the text did.
"""

import dataclasses

from .backend import OrderView
from .intents import INVOICE, PAYMENT_STATUS, WHERE_IS_TRACKING_CODE
from .jalali import time_label
from .normalize import mask_code, mask_url
from .replies import (
    exception_label,
    exception_next_step_key,
    payment_state_label,
    render,
    stage_label,
)

# The next step of an exception is coarse (which team acts, and when), like the exception itself.
EXCEPTION_FIELDS = frozenset({"exception_type", "exception_reason", "exception_deadline_hours"})
LEVEL1_FIELDS = frozenset({"ref", "stage", "eta_text", "carrier_label"}) | EXCEPTION_FIELDS
LEVEL1_CODE_FIELDS = (
    frozenset({"stage", "eta_text", "carrier_label", "last_event"}) | EXCEPTION_FIELDS
)
# Fields that are never shown at level 1, whatever the path: tests assert on these.
LEVEL2_ONLY_FIELDS = frozenset(
    {
        "tracking_code", "tracking_url", "items", "masked_address", "events", "mobile_e164",
        "payment_state", "payment_ref", "invoice_url", "has_invoice", "created_at", "total_text",
    }
)  # fmt: skip

DEFAULT_UPDATE_INTERVAL_HOURS = 12
MAX_EVENTS = 3
_FINISHED = ("delivered", "cancelled")


def redact(order, allowed):
    """Return a copy of ``order`` where every field not in ``allowed`` is emptied."""
    values = {}
    for f in dataclasses.fields(OrderView):
        if f.name in allowed:
            continue
        if f.default is not dataclasses.MISSING:
            values[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            values[f.name] = f.default_factory()
        else:
            values[f.name] = None
    return dataclasses.replace(order, **values)


def _stage(order, lang):
    return stage_label(order.stage, lang, order.exception_type)


def _say_eta(tb, order):
    """The delivery estimate, only while it is still a promise the shop can keep."""
    if order.eta_text and order.stage not in _FINISHED and not order.exception_type:
        tb.say("status_eta", eta=order.eta_text)
        tb.disclose("eta_text")


def _say_exception(tb, order):
    """What went wrong and what happens next, both in the turn's language."""
    lang = tb.lang
    tb.say("exception_notice", label=exception_label(order.exception_type, lang))
    key = exception_next_step_key(
        order.exception_type, order.exception_reason, order.exception_deadline_hours
    )
    hours = order.exception_deadline_hours
    tb.say(key, **({"hours": int(hours)} if hours else {}))
    tb.disclose(*(f for f in sorted(EXCEPTION_FIELDS) if getattr(order, f)))


def _shown(order):
    """The order for the caller's card: no estimate once an exception makes it untrue."""
    if order.exception_type and order.eta_text:
        return dataclasses.replace(order, eta_text=None)
    return order


def say_level1(tb, order, via):
    """Add the level-1 status of ``order`` to the turn; ``via`` is ``"mobile"`` or ``"code"``."""
    stage = _stage(order, tb.lang)
    if via == "code":
        tb.say("status_code_l1", stage=stage)
        tb.disclose("stage")
    else:
        tb.say("status_l1", ref=order.ref, stage=stage)
        tb.disclose("ref", "stage")
    _say_eta(tb, order)
    if order.carrier_label:
        tb.say("status_carrier", carrier=order.carrier_label)
        tb.disclose("carrier_label")
    if via == "code" and order.last_event:
        tb.say("status_last_event", event=order.last_event)
        tb.disclose("last_event")
    if order.exception_type:
        _say_exception(tb, order)
    tb.order = _shown(redact(order, LEVEL1_CODE_FIELDS if via == "code" else LEVEL1_FIELDS))
    tb.level = 1


def _carrier(order, lang):
    return order.carrier_label or render("carrier_generic", lang)


def say_journey(tb, order):
    """The stage-specific explanation (journey table of the spec), or the exception's."""
    lang = tb.lang
    if order.exception_type:
        _say_exception(tb, order)
        return
    stage = order.stage
    if stage == "handed_to_carrier":
        tb.say("journey_handed", carrier=_carrier(order, lang))
        tb.disclose("carrier_label")
    elif stage == "in_transit":
        hours = order.update_interval_hours or DEFAULT_UPDATE_INTERVAL_HOURS
        tb.say("journey_in_transit", carrier=_carrier(order, lang), hours=hours)
        tb.disclose("carrier_label", "update_interval_hours")
    elif f"journey_{stage}" in _JOURNEY_KEYS:
        tb.say(f"journey_{stage}")


_JOURNEY_KEYS = frozenset(
    {
        "journey_awaiting_payment", "journey_registered", "journey_preparing",
        "journey_delivered", "journey_cancelled",
    }
)  # fmt: skip


def say_level2(tb, order):
    """Add the full (level-2) picture of ``order`` to the turn."""
    lang = tb.lang
    tb.say("status_l2", ref=order.ref, stage=_stage(order, lang))
    tb.disclose("ref", "stage")
    say_journey(tb, order)
    _say_eta(tb, order)
    journey_named_carrier = order.stage in ("handed_to_carrier", "in_transit")
    if order.carrier_label and (order.exception_type or not journey_named_carrier):
        tb.say("status_carrier", carrier=order.carrier_label)
        tb.disclose("carrier_label")
    if order.tracking_code:
        tb.say("tracking_code_line", record=_masked_code(order), code=order.tracking_code)
        tb.disclose("tracking_code")
    if order.tracking_url:
        tb.say("tracking_link_line", record=_masked_link(order), url=order.tracking_url)
        tb.disclose("tracking_url")
    if order.last_event:
        tb.say("status_last_event", event=order.last_event)
        tb.disclose("last_event")
    if order.stage == "in_transit" and not order.exception_type:
        hours = order.update_interval_hours or DEFAULT_UPDATE_INTERVAL_HOURS
        tb.say("in_transit_advice", wait=2 * hours)
    if order.events:
        tb.say(
            "events_block",
            record=_shown_record("events", order),
            lines=_event_lines(order.events, lang),
        )
        tb.disclose("events")
    if order.items:
        lines = "\n".join(
            render("item_line", lang, name=name, qty=_qty(qty)) for name, qty in order.items
        )
        tb.say("items_block", record=_shown_record("items", order), lines=lines)
        tb.disclose("items")
    if order.total_text:
        tb.say("order_total_line", record=_shown_record("total", order), total=order.total_text)
        tb.disclose("total_text")
    if order.masked_address:
        tb.say("address_line", record=_shown_record("address", order), address=order.masked_address)
        tb.disclose("masked_address")
    if order.payment_state:
        state = payment_state_label(order.payment_state, lang)
        tb.say("payment_line", record=_shown_record("payment", order), state=state)
        tb.disclose("payment_state")
    if order.payment_ref:
        _say_payment_ref(tb, order)
    if order.has_invoice and order.invoice_url:
        record = ("invoice_line", {"url": mask_url(order.invoice_url)})
        tb.say("invoice_line", record=record, url=order.invoice_url)
        tb.disclose("invoice_url")
    tb.order = _shown(order)
    tb.level = 2


# Questions about an order already shown at level 2 that get a short answer, not the whole order.
FOLLOW_UP_TOPICS = (INVOICE, PAYMENT_STATUS, WHERE_IS_TRACKING_CODE)


def say_follow_up(tb, order, topic):
    """The level-2 fields that answer ``topic`` (one of FOLLOW_UP_TOPICS) about ``order``."""
    lang = tb.lang
    if topic == INVOICE and order.has_invoice and order.invoice_url:
        record = ("invoice_for_order", {"ref": order.ref, "url": mask_url(order.invoice_url)})
        tb.say("invoice_for_order", record=record, ref=order.ref, url=order.invoice_url)
        tb.disclose("ref", "invoice_url")
    elif topic == PAYMENT_STATUS:
        state = payment_state_label(order.payment_state, lang)
        record = _shown_record("payment", order)
        tb.say("payment_for_order", record=record, ref=order.ref, state=state)
        tb.disclose("ref", "payment_state")
        if order.payment_ref:
            _say_payment_ref(tb, order)
    elif topic == WHERE_IS_TRACKING_CODE:
        if order.tracking_code:
            record = ("tracking_code_for_order", {"ref": order.ref, **_masked_code(order)[1]})
            tb.say(
                "tracking_code_for_order", record=record, ref=order.ref, code=order.tracking_code
            )
            tb.disclose("ref", "tracking_code")
            if order.tracking_url:
                tb.say("tracking_link_line", record=_masked_link(order), url=order.tracking_url)
                tb.disclose("tracking_url")
        else:
            tb.say("tracking_not_yet")
    tb.order = _shown(order)
    tb.level = 2


# The transcript form of level-2 lines (``TurnBuilder.say(record=...)``): a transcript is read
# by many staff and copied into tickets, so it keeps codes shortened, links without their query
# string (access tokens) and, for personal lines, only what was shown, not its content.
def _masked_code(order):
    return "tracking_code_line", {"code": mask_code(order.tracking_code)}


def _masked_link(order):
    return "tracking_link_line", {"url": mask_url(order.tracking_url, [order.tracking_code])}


def _shown_record(what, order):
    return f"record_{what}_shown", {"ref": order.ref or ""}


def _say_payment_ref(tb, order):
    record = _shown_record("payment_ref", order)
    tb.say("payment_ref_line", record=record, payment_ref=order.payment_ref)
    tb.disclose("payment_ref")


def _qty(qty):
    # 2.0 -> 2: quantities come from float fields.
    if isinstance(qty, float) and qty.is_integer():
        return int(qty)
    return qty


def _event_lines(events, lang):
    latest = sorted(events, key=lambda e: e[0] or "", reverse=True)[:MAX_EVENTS]
    lines = []
    for when, text, location in latest:
        # Jalali calendar and Persian digits in Persian; what cannot be read is shown as given.
        when = time_label(when, lang) or (when or "")[:16].replace("T", " ")
        if location:
            lines.append(
                render("event_line_location", lang, when=when, text=text, location=location)
            )
        else:
            lines.append(render("event_line", lang, when=when, text=text))
    return "\n".join(lines)
