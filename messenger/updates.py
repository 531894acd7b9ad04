"""What an incoming Bot API update asks of the bot, as one small dataclass.

Only private chats are served (``request_contact`` works there only, and a group must never see
a customer's orders). Kinds:

- ``text``: a message or an edited message with text (an edit is a correction the customer
  wants answered, e.g. a mistyped order number);
- ``action``: a ``callback_query`` from one of our inline buttons (``data`` is the action);
- ``contact``: a shared contact; ``own_contact`` says whether it is the sender's own card
  (``contact.user_id == from.id``), the only case in which the platform vouches for the number;
- ``unsupported``: stickers, photos, voice, documents, locations...: answered politely;
- ``ignored``: anything else (group messages, channel posts, membership changes).
"""

from dataclasses import dataclass

KIND_TEXT = "text"
KIND_ACTION = "action"
KIND_CONTACT = "contact"
KIND_UNSUPPORTED = "unsupported"
KIND_IGNORED = "ignored"
# The updates the webhook subscribes to (setWebhook allowed_updates).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")


@dataclass
class Incoming:
    update_id: int | None
    kind: str = KIND_IGNORED
    chat_id: str | None = None
    user_id: str | None = None
    language_code: str | None = None
    text: str | None = None
    action: str | None = None
    callback_query_id: str | None = None
    phone_number: str | None = None
    own_contact: bool = False
    edited: bool = False


def _as_id(value):
    """Chat and user ids as strings: Telegram's may exceed 32 bits, and they are only compared."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
        return None
    return str(value)


def parse_update(update):
    """The :class:`Incoming` of a decoded update; ``None`` when it is not an update at all."""
    if not isinstance(update, dict):
        return None
    update_id = update.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        return None
    incoming = Incoming(update_id=update_id)
    if isinstance(update.get("callback_query"), dict):
        return _parse_callback(incoming, update["callback_query"])
    message = update.get("message")
    if message is None and isinstance(update.get("edited_message"), dict):
        message = update["edited_message"]
        incoming.edited = True
    if not isinstance(message, dict):
        return incoming
    return _parse_message(incoming, message)


def _private_chat(incoming, message, sender):
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != "private" or not isinstance(sender, dict):
        return False
    if sender.get("is_bot"):
        return False
    incoming.chat_id = _as_id(chat.get("id"))
    incoming.user_id = _as_id(sender.get("id"))
    code = sender.get("language_code")
    incoming.language_code = code if isinstance(code, str) else None
    return bool(incoming.chat_id and incoming.user_id)


def _parse_message(incoming, message):
    if not _private_chat(incoming, message, message.get("from")):
        return incoming
    contact = message.get("contact")
    if isinstance(contact, dict):
        incoming.kind = KIND_CONTACT
        phone = contact.get("phone_number")
        incoming.phone_number = phone if isinstance(phone, str) else None
        owner = _as_id(contact.get("user_id"))
        incoming.own_contact = bool(owner) and owner == incoming.user_id
        return incoming
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        incoming.kind = KIND_TEXT
        incoming.text = text
        return incoming
    incoming.kind = KIND_UNSUPPORTED
    return incoming


def _parse_callback(incoming, query):
    message = query.get("message")
    if not isinstance(message, dict):
        return incoming
    if not _private_chat(incoming, message, query.get("from")):
        return incoming
    incoming.callback_query_id = _as_id(query.get("id"))
    data = query.get("data")
    if isinstance(data, str) and data:
        incoming.kind = KIND_ACTION
        incoming.action = data
    return incoming
