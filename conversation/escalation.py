"""Level 3 and people: sensitive requests, "talk to a person", and helpdesk tickets.

Nothing here reads an order: a change of address, a return or a cancellation is answered with a
ticket and a contact mobile whatever the ref, so these paths can neither leak details nor tell
whether an order exists.
"""

from .actions import BTN_HUMAN
from .entities import Entities
from .intents import (
    DELAY_COMPLAINT,
    HUMAN,
    INVOICE,
    PAYMENT_STATUS,
    SENSITIVE_INTENTS,
    TRACK_ORDER,
    WHY_NO_UPDATE,
)
from .normalize import mask_mobile
from .state import STEP_AWAIT_CONTACT, STEP_IDLE

SUMMARY_LENGTH = 500

# The ticket kind opened by the "open a request" button, by the question being asked.
TOPIC_TICKET_KIND = {
    DELAY_COMPLAINT: "delay",
    WHY_NO_UPDATE: "delay",
    PAYMENT_STATUS: "payment",
    INVOICE: "invoice",
}


class EscalationFlows:
    """Mixin of :class:`.policy.Policy`: tickets, operators, sensitive requests."""

    # -- level 3: sensitive requests, people, tickets -------------------------------------------

    def _sensitive(self, tb, st, intent, ents, text):
        ref = ents.order_ref or st["pending"]["order_ref"]
        st["pending"].update(intent=intent, order_ref=ref, summary=summary_of(text))
        tb.say(f"sensitive_{intent}")
        return self._collect_contact(tb, st, intent, ents)

    def _human(self, tb, st, ents, text):
        if self.backend.operator_available():
            tb.say("handover")
            tb.handover = True
            tb.outcome = "escalated"
            st["step"] = STEP_IDLE
            return HUMAN
        ref = ents.order_ref or st["pending"]["order_ref"]
        st["pending"].update(intent=HUMAN, order_ref=ref, summary=summary_of(text))
        tb.say("human_unavailable")
        return self._collect_contact(tb, st, HUMAN, ents)

    def _collect_contact(self, tb, st, kind, ents):
        """Open the ticket now if we know how to reach the customer, else ask for a mobile."""
        if ents.mobile:
            verified = ents.mobile in st["verified_mobiles"]
            return self._contact_ticket(tb, st, kind, ents.mobile, verified)
        if st["verified_mobiles"]:
            return self._contact_ticket(tb, st, kind, st["verified_mobiles"][-1], True)
        st["step"] = STEP_AWAIT_CONTACT
        tb.say("ask_contact_mobile", buttons=self._operator_buttons())
        return kind

    def _contact_ticket(self, tb, st, kind, mobile, verified):
        pending = st["pending"]
        ticket_kind = kind if kind in SENSITIVE_INTENTS else "callback"
        summary = "verified mobile: {}; customer wrote: {}".format(
            "yes" if verified else "no", pending["summary"] or "-"
        )
        ticket, existed = self._open_ticket(st, ticket_kind, pending["order_ref"], mobile, summary)
        tb.ticket_ref = ticket
        tb.outcome = "escalated"
        if existed:
            tb.say("ticket_exists", ticket=ticket)
        else:
            tb.say("ticket_opened_contact", ticket=ticket, mobile=mask_mobile(mobile))
        if kind != HUMAN and self.backend.operator_available():
            tb.say("operator_offer", buttons=[BTN_HUMAN])
        st["step"] = STEP_IDLE
        pending["summary"] = None
        return kind

    def _ticket(self, tb, st, kind, ref, mobile, summary):
        ticket, _existed = self._open_ticket(st, kind, ref, mobile, summary)
        tb.ticket_ref = ticket
        tb.outcome = "escalated"
        return ticket

    def _open_ticket(self, st, kind, ref, mobile, summary):
        # One ticket per kind and order per session: pressing the button twice is one ticket.
        key = f"{kind}:{ref or '-'}"
        if key in st["tickets"]:
            return st["tickets"][key], True
        ticket = self.backend.open_ticket(kind, ref, mobile, summary)
        st["tickets"][key] = ticket
        return ticket, False

    def _order_ticket(self, tb, st):
        """The "open a request" button under an order's status."""
        pending = st["pending"]
        ref = pending["order_ref"]
        topic = pending["intent"] or TRACK_ORDER
        if not ref or (ref not in st["level1"] and ref not in st["verified_refs"]):
            st["pending"].update(intent=HUMAN, summary=None)
            return self._collect_contact(tb, st, HUMAN, Entities())
        kind = TOPIC_TICKET_KIND.get(topic, "followup")
        verified = ref in st["verified_refs"]
        summary = f"{kind} requested from the chat; verified: {'yes' if verified else 'no'}"
        # No mobile passed: the helpdesk reaches the customer through the order's own mobile.
        ticket, existed = self._open_ticket(st, kind, ref, None, summary)
        tb.ticket_ref = ticket
        tb.outcome = "escalated"
        tb.say("ticket_exists" if existed else "ticket_opened", ticket=ticket)
        st["step"] = STEP_IDLE
        return topic

    def _operator_buttons(self):
        return [BTN_HUMAN] if self.backend.operator_available() else []


def summary_of(text):
    """The customer's own words for the ticket, cut to a reasonable size."""
    return (text or "")[:SUMMARY_LENGTH] or None
