"""The engine's messages as Bot API ``sendMessage`` calls: inline keyboards for buttons, the
"share my phone number" keyboard, and texts split at the 4,096-character limit.

The messenger's own sentences (how to share a contact, what a sticker gets, "stop") live in
:data:`CATALOGUE`, in English and Persian like the engine's catalogue (conversation/replies.py).
"""

from ..conversation.replies import EN, FA, lang_code

MAX_TEXT = 4096  # Bot API limit of one message's text
MAX_CALLBACK_DATA = 64  # bytes, Bot API limit of an inline button's callback_data
BUTTONS_PER_ROW = 2
# Callback data of the two messenger-only buttons (the engine never offers these actions).
ACTION_STOP = "ot:stop"
ACTION_FORGET = "ot:forget"
# Typed commands, compared after lower-casing and trimming.
START_COMMANDS = frozenset({"/start"})
STOP_COMMANDS = frozenset({"/stop", "stop", "توقف", "لغو اعلان", "لغو اعلان‌ها"})
FORGET_COMMANDS = frozenset({"/forget", "forget me", "فراموشم کن"})

CATALOGUE = {
    "share_contact_offer": {
        EN: "To see your orders without an SMS code, tap the button below to share your own "
        "phone number.",
        FA: "برای دیدن سفارش‌هایتان بدون کد پیامکی، دکمه زیر را بزنید و شماره تلفن خودتان را "
        "به اشتراک بگذارید.",
    },
    "btn_share_contact": {EN: "📱 Share my phone number", FA: "📱 ارسال شماره تلفن من"},
    "contact_linked": {
        EN: "Your number {mobile} is now linked to this chat. You'll get updates about your "
        "orders here. Send /stop to turn them off, or /forget to remove the link.",
        FA: "شماره {mobile} به این گفتگو متصل شد. از این پس خبر سفارش‌هایتان را همین‌جا "
        "دریافت می‌کنید. برای قطع اعلان‌ها /stop و برای حذف اتصال /forget را بفرستید.",
    },
    "contact_not_own": {
        EN: "That contact isn't your own number, so I can't use it to show orders. Please use "
        "the button to share your own number, or send your order number.",
        FA: "این مخاطب شماره خودتان نیست و نمی‌توانم با آن سفارشی نشان بدهم. لطفاً با دکمه، "
        "شماره خودتان را بفرستید یا شماره سفارش را بنویسید.",
    },
    "contact_not_mobile": {
        EN: "I can only verify Iranian mobile numbers. Please send your order number instead.",
        FA: "فقط شماره موبایل ایران را می‌توانم تأیید کنم. لطفاً شماره سفارش را بفرستید.",
    },
    "unsupported": {
        EN: "Sorry, I can only read text messages. Please type your question, or use the buttons.",
        FA: "ببخشید، فقط پیام متنی را می‌توانم بخوانم. لطفاً سؤال‌تان را بنویسید یا از "
        "دکمه‌ها استفاده کنید.",
    },
    "stopped": {
        EN: "Done: you won't get order updates in this chat any more. Send /start to chat again.",
        FA: "انجام شد: دیگر خبر سفارش‌ها را در این گفتگو دریافت نمی‌کنید. برای گفتگوی دوباره "
        "/start را بفرستید.",
    },
    "not_linked": {
        EN: "This chat isn't linked to a phone number, so there's nothing to turn off.",
        FA: "این گفتگو به شماره‌ای متصل نیست؛ اعلانی برای قطع کردن وجود ندارد.",
    },
    "forgotten": {
        EN: "Done: this chat is no longer linked to your number, and this conversation was closed.",
        FA: "انجام شد: اتصال این گفتگو به شماره شما حذف شد و این گفتگو بسته شد.",
    },
    "notification_footer": {
        EN: "Send /stop to stop these messages.",
        FA: "برای قطع این پیام‌ها /stop را بفرستید.",
    },
}


def say(key, lang, **params):
    """The text of the messenger sentence ``key`` in ``lang``."""
    return CATALOGUE[key][lang_code(lang)].format_map(params)


def split_text(text, limit=MAX_TEXT):
    """``text`` in chunks of at most ``limit`` characters, cut at a paragraph, a line or a space
    when there is one in the second half of the chunk, so words are not broken."""
    text = text or ""
    chunks = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not chunks:
        chunks.append(text)
    return chunks


def inline_keyboard(buttons):
    """``{"inline_keyboard": ...}`` of ``(label, action)`` pairs, or None when there are none.

    An action over the callback data limit is left out rather than cut: a cut action would be
    refused anyway, and the engine's own actions are far shorter.
    """
    usable = [
        {"text": label, "callback_data": action}
        for label, action in buttons
        if action and len(action.encode()) <= MAX_CALLBACK_DATA
    ]
    if not usable:
        return None
    rows = [usable[i : i + BUTTONS_PER_ROW] for i in range(0, len(usable), BUTTONS_PER_ROW)]
    return {"inline_keyboard": rows}


def contact_keyboard(lang):
    """The reply keyboard with the one "share my phone number" button (private chats only)."""
    return {
        "keyboard": [[{"text": say("btn_share_contact", lang), "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


REMOVE_KEYBOARD = {"remove_keyboard": True}


def outgoing_messages(messages, reply_markup_last=None):
    """``[(text, reply_markup)]`` for ``messages`` (``(text, [(label, action)])`` pairs).

    Consecutive messages without buttons are joined into one (fewer calls, the chat's 1 message
    per second limit); a message with buttons closes a group and carries them as an inline
    keyboard on its last chunk. ``reply_markup_last`` goes on the very last call when nothing
    else does (e.g. removing the contact keyboard).
    """
    calls = []
    pending = []
    for text, buttons in messages:
        if text:
            pending.append(text)
        if buttons:
            calls.extend(_chunks("\n\n".join(pending), inline_keyboard(buttons)))
            pending = []
    if pending:
        calls.extend(_chunks("\n\n".join(pending), None))
    if reply_markup_last and calls and calls[-1][1] is None:
        calls[-1] = (calls[-1][0], reply_markup_last)
    return [(text, markup) for text, markup in calls if text]


def _chunks(text, markup):
    if not text:
        return []
    parts = split_text(text)
    return [(part, markup if i == len(parts) - 1 else None) for i, part in enumerate(parts)]
