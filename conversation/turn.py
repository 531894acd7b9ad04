"""What one call of the policy returns: messages with buttons, the order to show, audit data.

Everything here is plain data (dataclasses of str/int/list/dict) so the caller can turn it into
JSON for the website widget and into rows for the audit trail without knowing the policy.
"""

from dataclasses import asdict, dataclass, field

from .backend import OrderView
from .replies import render


@dataclass
class Button:
    """A quick-reply button: ``action`` goes back into ``Policy.handle(action=...)``."""

    label_key: str
    action: str
    params: dict = field(default_factory=dict)
    label: str = ""  # rendered in the session language


@dataclass
class Message:
    """One bot message: a catalogue key, its parameters, its buttons and its rendered text.

    ``record`` is the form a transcript keeps: the same as ``text`` unless the message showed
    level-2 data, whose record shortens codes, drops link tokens and names what was shown instead
    of showing it (see ``disclosure.py``). ``text`` goes to the visitor only.
    """

    key: str
    params: dict = field(default_factory=dict)
    buttons: list = field(default_factory=list)
    text: str = ""
    record: str = ""


@dataclass
class Turn:
    """The policy's answer to one customer message or button press.

    ``level`` is 2 when this turn showed level-2 (verified) order data, else 1. ``verified`` says
    whether the session holds a verified mobile. ``disclosed_fields`` names the OrderView fields
    whose values appear in this turn (plus ``mobile_masked`` when a masked mobile was shown), for
    the audit trail. ``outcome`` is ``"resolved"``, ``"escalated"`` or None (conversation goes on).
    """

    messages: list
    new_state: dict
    intent: str
    lang: str
    order: OrderView | None = None
    level: int = 1
    verified: bool = False
    next_actions: list = field(default_factory=list)
    outcome: str | None = None
    disclosed_fields: list = field(default_factory=list)
    ticket_ref: str | None = None
    handover: bool = False  # the caller should route the chat to a live operator now

    @property
    def text(self):
        """All messages' texts, one paragraph each."""
        return "\n\n".join(m.text for m in self.messages)

    @property
    def buttons(self):
        return [b for m in self.messages for b in m.buttons]

    def to_dict(self):
        """A JSON-serialisable form (the order as a dict, or None)."""
        data = asdict(self)
        data["text"] = self.text
        return data


class TurnBuilder:
    """Collects the messages and audit data of one turn, rendering as it goes."""

    def __init__(self, lang):
        self.lang = lang
        self.messages = []
        self.disclosed = []
        self.order = None
        self.level = 1
        self.outcome = None
        self.ticket_ref = None
        self.handover = False

    def button(self, label_key, action, **params):
        return Button(label_key, action, params, render(label_key, self.lang, **params))

    def say(self, key, buttons=(), record=None, **params):
        """Add a message; ``buttons`` are Button objects or ``(label_key, action)`` pairs.

        ``record`` is ``(key, params)`` of the message's transcript form when the text itself
        must not be stored (level-2 data); by default the transcript keeps the text.
        """
        buttons = [b if isinstance(b, Button) else self.button(*b) for b in buttons]
        text = render(key, self.lang, **params)
        recorded = render(record[0], self.lang, **record[1]) if record else text
        message = Message(key, params, buttons, text, recorded)
        self.messages.append(message)
        return message

    def disclose(self, *fields):
        for name in fields:
            if name not in self.disclosed:
                self.disclosed.append(name)

    def build(self, intent, state):
        actions = []
        for button in (b for m in self.messages for b in m.buttons):
            if button.action not in actions:
                actions.append(button.action)
        return Turn(
            messages=self.messages,
            new_state=state,
            intent=intent,
            lang=self.lang,
            order=self.order,
            level=self.level,
            verified=bool(state.get("verified_mobiles")),
            next_actions=actions,
            outcome=self.outcome,
            disclosed_fields=list(self.disclosed),
            ticket_ref=self.ticket_ref,
            handover=self.handover,
        )
