"""What a FAQ page may say about each intent, and which customer phrasings may be shown to staff.

Plain Python, no Odoo import. The FAQ model (models/order_tracking_faq*.py) mines the intents
customers ask most and starts each entry from :data:`FAQ_DEFAULTS`: a question and an answer in
English and Persian that the shop then edits. Answers about shipping times, carriers and costs are
never written down here: their ``kind`` makes the page fill them from the shop's own data at
every view, so they stay true when a lead time or a price changes.

Customer texts are stored masked (models/order_tracking_chat_message.py), but masking is not
anonymising: a name or an address line typed once is still there. :func:`public_phrasing` drops
everything that can carry personal data (any digit, a mask, an address of any kind), and the
mining keeps a phrasing only when several different visitors (IPs, by their keyed hash) used the
very same words (:data:`MIN_VISITORS_PER_PHRASING`), which a name or a street typed by one person,
in however many chats, never is.
"""

import re

from .intents import (
    CANCEL_ORDER,
    CHANGE_ADDRESS,
    DELAY_COMPLAINT,
    HUMAN,
    INVOICE,
    PAYMENT_STATUS,
    PRE_PURCHASE_COST,
    PRE_PURCHASE_COVERAGE,
    PRE_PURCHASE_METHODS,
    PRE_PURCHASE_TIME,
    RETURN_REQUEST,
    TRACK_CODE,
    TRACK_MOBILE,
    TRACK_ORDER,
    WHERE_IS_TRACKING_CODE,
    WHY_NO_UPDATE,
)
from .normalize import normalize_digits, normalize_text

EN = "en_US"
FA = "fa_IR"

# How a FAQ answer is completed at display time from the shop's data.
KIND_TEXT = "text"
KIND_SHIPPING_TIMES = "shipping_times"
KIND_CARRIERS = "carriers"
KIND_SHIPPING_COSTS = "shipping_costs"
ANSWER_KINDS = (KIND_TEXT, KIND_SHIPPING_TIMES, KIND_CARRIERS, KIND_SHIPPING_COSTS)

# A phrasing is shown to staff only when this many different visitors used it word for word.
MIN_VISITORS_PER_PHRASING = 3
# Phrasings kept per FAQ entry (the most frequent first).
MAX_PHRASINGS = 5
PHRASING_MIN_CHARS = 4
PHRASING_MAX_CHARS = 120
PHRASING_MAX_WORDS = 16

# Digits of every script, the masks of the transcript (*, …), e-mail and web addresses, and
# bracketed button labels: none of them belongs in a public question.
_PRIVATE = re.compile(r"[0-9*…@<>\[\]{}]|https?:|www\.|\.(?:com|ir|net|org)\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.!?؟,،؛;:]+$")

# intent -> (answer kind, {lang: question}, {lang: answer}). The answer of a live kind is the
# sentence that introduces the shop's data.
FAQ_DEFAULTS = {
    TRACK_ORDER: (
        KIND_TEXT,
        {EN: "Where is my order?", FA: "سفارشم کجاست؟"},
        {
            EN: "Open the order tracker and type your order number. To protect your privacy we "
            "first ask for the last four digits of the mobile number you used at checkout; then "
            "you see the stage of your order, its tracking code and when it should arrive.",
            FA: "صفحهٔ پیگیری سفارش را باز کنید و شمارهٔ سفارش را بنویسید. برای حفظ حریم خصوصی "
            "ابتدا چهار رقم آخر موبایلی را که هنگام خرید وارد کرده‌اید می‌پرسیم؛ پس از آن مرحلهٔ "
            "سفارش، کد رهگیری و زمان تقریبی رسیدن آن را می‌بینید.",
        },
    ),
    TRACK_MOBILE: (
        KIND_TEXT,
        {
            EN: "Can I find my order with my mobile number?",
            FA: "می‌توانم سفارشم را با شماره موبایل پیدا کنم؟",
        },
        {
            EN: "Yes. Type the mobile number you used at checkout in the order tracker: we send a "
            "one-time code by SMS to that number, and once you enter it you see your recent "
            "orders.",
            FA: "بله. شماره موبایلی را که هنگام خرید وارد کرده‌اید در صفحهٔ پیگیری بنویسید؛ یک کد "
            "یک‌بارمصرف به همان شماره پیامک می‌شود و پس از وارد کردن آن سفارش‌های اخیرتان را "
            "می‌بینید.",
        },
    ),
    TRACK_CODE: (
        KIND_TEXT,
        {
            EN: "How do I track my parcel with its tracking code?",
            FA: "چطور مرسوله‌ام را با کد رهگیری پیگیری کنم؟",
        },
        {
            EN: "Type the tracking code in the order tracker. The code shows that the parcel is "
            "yours, so you see its latest status and where it is right away.",
            FA: "کد رهگیری را در صفحهٔ پیگیری سفارش بنویسید. همین کد نشان می‌دهد مرسوله مال "
            "شماست، پس آخرین وضعیت و محل آن را بی‌درنگ می‌بینید.",
        },
    ),
    WHERE_IS_TRACKING_CODE: (
        KIND_TEXT,
        {
            EN: "I haven't received a tracking code. What should I do?",
            FA: "کد رهگیری برایم نیامده؛ چه کار کنم؟",
        },
        {
            EN: "A tracking code exists once your parcel is handed to the carrier, and we send it "
            "by SMS then. Until that, your order is being prepared. Type your order number in "
            "the order tracker to see its stage and, once shipped, its tracking code.",
            FA: "کد رهگیری وقتی صادر می‌شود که مرسوله به شرکت حمل تحویل داده شود و همان موقع "
            "برایتان پیامک می‌شود. تا آن زمان سفارش در حال آماده‌سازی است. شمارهٔ سفارش را در "
            "صفحهٔ پیگیری بنویسید تا مرحلهٔ آن و پس از ارسال، کد رهگیری را ببینید.",
        },
    ),
    WHY_NO_UPDATE: (
        KIND_TEXT,
        {
            EN: "Why hasn't my parcel's status changed?",
            FA: "چرا وضعیت مرسوله‌ام تغییر نمی‌کند؟",
        },
        {
            EN: "Carriers update a parcel's status at their own pace, often only when it reaches "
            "the next sorting centre. When there is no news for longer than usual, our team is "
            "alerted automatically and checks with the carrier.",
            FA: "شرکت‌های حمل وضعیت مرسوله را با زمان‌بندی خودشان به‌روز می‌کنند و اغلب فقط وقتی "
            "به مرکز مبادلهٔ بعدی می‌رسد. اگر بیش از حد معمول خبری نشود، همکاران ما خودکار باخبر "
            "می‌شوند و با شرکت حمل پیگیری می‌کنند.",
        },
    ),
    DELAY_COMPLAINT: (
        KIND_TEXT,
        {EN: "My order is late. What can I do?", FA: "سفارشم دیر شده؛ چه کار کنم؟"},
        {
            EN: "The order tracker shows the expected delivery date. When a shipment is later "
            "than the carrier's usual time we open a ticket ourselves and follow it up with the "
            "carrier; in the chat you can also ask to talk to a person.",
            FA: "صفحهٔ پیگیری، تاریخ تقریبی تحویل را نشان می‌دهد. اگر مرسوله از زمان معمول شرکت "
            "حمل دیرتر شود، خودمان تیکت پیگیری باز می‌کنیم و با شرکت حمل پیگیری می‌کنیم؛ در گفتگو "
            "هم می‌توانید درخواست صحبت با همکاران ما را بدهید.",
        },
    ),
    PRE_PURCHASE_TIME: (
        KIND_SHIPPING_TIMES,
        {EN: "How long does delivery take?", FA: "ارسال چند روز طول می‌کشد؟"},
        {
            EN: "Delivery times in business days from your order, preparation included:",
            FA: "زمان تحویل به روز کاری از زمان ثبت سفارش، با احتساب آماده‌سازی:",
        },
    ),
    PRE_PURCHASE_COVERAGE: (
        KIND_CARRIERS,
        {EN: "Do you ship to my city?", FA: "به شهر من ارسال دارید؟"},
        {
            EN: "We ship with these methods; the order tracker tells you which of them reach "
            "your city:",
            FA: "با این روش‌ها ارسال می‌کنیم؛ در صفحهٔ پیگیری می‌توانید بپرسید کدام‌یک به شهر شما "
            "می‌رسد:",
        },
    ),
    PRE_PURCHASE_COST: (
        KIND_SHIPPING_COSTS,
        {EN: "How much does shipping cost?", FA: "هزینهٔ ارسال چقدر است؟"},
        {EN: "Shipping costs by method:", FA: "هزینهٔ ارسال به تفکیک روش ارسال:"},
    ),
    PRE_PURCHASE_METHODS: (
        KIND_CARRIERS,
        {
            EN: "Which shipping methods do you offer?",
            FA: "با چه روش‌هایی ارسال می‌کنید؟",
        },
        {EN: "We ship with:", FA: "با این روش‌ها ارسال می‌کنیم:"},
    ),
    PAYMENT_STATUS: (
        KIND_TEXT,
        {
            EN: "I paid but my order isn't confirmed. What should I do?",
            FA: "پول از حسابم کم شده ولی سفارشم ثبت نشده؛ چه کنم؟",
        },
        {
            EN: "Bank payments are sometimes confirmed with a delay. If the money left your "
            "account but no order was placed, the bank usually returns it within three days. To "
            "check the payment of an order, track it in the chat or ask for a person.",
            FA: "تأیید پرداخت بانکی گاهی با تأخیر انجام می‌شود. اگر مبلغ از حسابتان کم شده ولی "
            "سفارشی ثبت نشده، بانک معمولاً ظرف سه روز آن را برمی‌گرداند. برای بررسی پرداخت یک "
            "سفارش، آن را در گفتگو پیگیری کنید یا درخواست صحبت با همکاران ما را بدهید.",
        },
    ),
    INVOICE: (
        KIND_TEXT,
        {EN: "How do I get my invoice?", FA: "فاکتور سفارشم را چطور بگیرم؟"},
        {
            EN: "In the order tracker, confirm with the one-time code we send to your mobile: "
            "you then get a link to your order's invoice. For an official invoice, ask the chat "
            "for a person.",
            FA: "در صفحهٔ پیگیری، با کد یک‌بارمصرفی که به موبایلتان پیامک می‌شود تأیید کنید تا "
            "پیوند فاکتور سفارش را دریافت کنید. برای فاکتور رسمی، در گفتگو درخواست صحبت با همکاران "
            "ما را بدهید.",
        },
    ),
    CHANGE_ADDRESS: (
        KIND_TEXT,
        {
            EN: "Can I change my delivery address?",
            FA: "می‌توانم آدرس تحویل را تغییر بدهم؟",
        },
        {
            EN: "Usually yes, as long as the parcel has not left us. An address is never changed "
            "automatically: tell the chat, it opens a ticket and our team confirms the new "
            "address with you.",
            FA: "معمولاً بله، تا وقتی مرسوله از انبار ما خارج نشده باشد. آدرس هیچ‌وقت خودکار عوض "
            "نمی‌شود: در گفتگو بگویید تا تیکت باز شود و همکاران ما آدرس جدید را با شما تأیید کنند.",
        },
    ),
    RETURN_REQUEST: (
        KIND_TEXT,
        {EN: "How do I return an item?", FA: "چطور کالا را مرجوع کنم؟"},
        {
            EN: "Tell the chat you want to return an item: it opens a ticket for your order and "
            "our team contacts you about the return.",
            FA: "در گفتگو بگویید که می‌خواهید کالا را مرجوع کنید؛ برای سفارش‌تان تیکت باز می‌شود و "
            "همکاران ما برای مرجوعی با شما تماس می‌گیرند.",
        },
    ),
    CANCEL_ORDER: (
        KIND_TEXT,
        {EN: "Can I cancel my order?", FA: "می‌توانم سفارشم را لغو کنم؟"},
        {
            EN: "Tell the chat with your order number: it opens a ticket, and our team cancels "
            "the order if it has not shipped yet.",
            FA: "در گفتگو با شمارهٔ سفارش بگویید؛ تیکت باز می‌شود و اگر سفارش هنوز ارسال نشده "
            "باشد، همکاران ما آن را لغو می‌کنند.",
        },
    ),
    HUMAN: (
        KIND_TEXT,
        {EN: "How can I talk to a person?", FA: "چطور با پشتیبانی صحبت کنم؟"},
        {
            EN: "Ask the chat for a person at any time. When a colleague is online the chat is "
            "handed over at once; otherwise a ticket is opened and we answer you as soon as we "
            "can.",
            FA: "هر زمان در گفتگو درخواست صحبت با همکاران ما را بدهید. اگر همکاری آنلاین باشد "
            "گفتگو همان لحظه به او سپرده می‌شود؛ وگرنه تیکت باز می‌شود و در اولین فرصت پاسخ "
            "می‌دهیم.",
        },
    ),
}

FAQ_INTENTS = tuple(FAQ_DEFAULTS)


def public_phrasing(text):
    """``text`` as a phrasing fit to show staff (spaces collapsed, trailing punctuation kept
    to one), or None when it may carry personal data or is no question at all."""
    if not text or not isinstance(text, str):
        return None
    text = _SPACES.sub(" ", text).strip()
    if _PRIVATE.search(normalize_digits(text)):
        return None
    if not PHRASING_MIN_CHARS <= len(text) <= PHRASING_MAX_CHARS:
        return None
    if len(text.split(" ")) > PHRASING_MAX_WORDS:
        return None
    if not any(ch.isalpha() for ch in text):
        return None
    return text


def phrasing_key(text):
    """The key two spellings of one phrasing share (letters, ZWNJ, case, final punctuation)."""
    return _TRAILING.sub("", normalize_text(text))


def frequent_phrasings(rows, min_visitors=MIN_VISITORS_PER_PHRASING, limit=MAX_PHRASINGS):
    """The phrasings several visitors used, most frequent first.

    :param rows: ``(text, visitor)`` pairs of one intent's customer messages, ``visitor`` being
        anything that tells two visitors apart (the chat's IP hash).
    :return: ``[(phrasing, number of visitors)]``, at most ``limit``; a phrasing is shown in its
        most used spelling and kept only when ``min_visitors`` visitors used it.
    """
    visitors, spellings = {}, {}
    for text, visitor in rows:
        phrasing = public_phrasing(text)
        if not phrasing:
            continue
        key = phrasing_key(phrasing)
        if not key:
            continue
        visitors.setdefault(key, set()).add(visitor)
        counts = spellings.setdefault(key, {})
        counts[phrasing] = counts.get(phrasing, 0) + 1
    ranked = sorted(
        ((len(ids), key) for key, ids in visitors.items() if len(ids) >= min_visitors),
        key=lambda pair: (-pair[0], pair[1]),
    )
    result = []
    for count, key in ranked[:limit]:
        best = max(spellings[key].items(), key=lambda item: (item[1], item[0]))[0]
        result.append((best, count))
    return result
