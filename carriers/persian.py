"""Map free-text carrier statuses (Persian or English) onto the normalised vocabulary.

Iranian carriers publish few stable status codes but always a human sentence such as
«تحویل به مرکز مبادلات» or «برگشت به فرستنده». Rules are tried in order, most specific
first: exceptions before "out for delivery" before hub movements before "delivered",
because many sentences contain «تحویل» (delivery/hand-over) in an unrelated sense.
"""

import re
from collections import namedtuple

from . import base

Classification = namedtuple("Classification", "status substatus hint")

_CHAR_MAP = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ۀ": "ه",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ؤ": "و",
        "\u200c": " ",  # ZWNJ: «آسیب‌دیده» and «آسیب دیده» must match alike
    }
)
_DROP = re.compile("[\u064b-\u065f\u0670\u0640\u200d\u200e\u200f\ufeff]")


def normalize(text):
    """Fold letter variants, drop diacritics/tatweel, collapse spaces, lowercase."""
    text = _DROP.sub("", str(text or "").translate(_CHAR_MAP))
    return " ".join(text.split()).lower()


_B = base
_RULES_SOURCE = (
    # (keywords, status, substatus)
    (("در حال برگشت", "در حال بازگشت", "returning to sender"), _B.EXCEPTION, _B.SUB_RETURNING),
    (
        (
            "برگشت به فرستنده",
            "بازگشت به فرستنده",
            "به فرستنده تحویل",
            "برگشت خورد",
            "مرجوع",
            "عودت",
            "برگشتی",
            "returned to sender",
            "return to sender",
        ),
        _B.EXCEPTION,
        _B.SUB_RETURNED,
    ),
    (("مفقود", "گم شده", "lost"), _B.EXCEPTION, _B.SUB_LOST),
    (("آسیب", "خسارت", "شکسته", "معیوب", "damaged"), _B.EXCEPTION, _B.SUB_DAMAGED),
    (
        (
            "آدرس ناقص",
            "آدرس نادرست",
            "آدرس اشتباه",
            "آدرس نامعتبر",
            "نشانی ناقص",
            "نشانی نادرست",
            "عدم شناسایی آدرس",
            "incorrect address",
            "address issue",
        ),
        _B.EXCEPTION,
        _B.SUB_INCORRECT_ADDRESS,
    ),
    (("عدم پذیرش", "امتناع", "refused"), _B.EXCEPTION, _B.SUB_REFUSED),
    (
        (
            "عدم حضور",
            "در دسترس نبود",
            "عدم پاسخگویی",
            "تلاش ناموفق",
            "عدم تحویل",
            "تحویل ناموفق",
            "failed attempt",
            "attempt failed",
        ),
        _B.ATTEMPT_FAIL,
        _B.SUB_ATTEMPT_FAIL,
    ),
    (("تاخیر", "تعویق", "delay"), _B.EXCEPTION, _B.SUB_DELAYED),
    (
        ("آماده تحویل در", "قابل دریافت", "available for pickup", "ready for pickup"),
        _B.AVAILABLE_FOR_PICKUP,
        _B.SUB_AVAILABLE_FOR_PICKUP,
    ),
    (
        (
            "در حال توزیع",
            "مامور توزیع",
            "موزع",
            "خروج برای توزیع",
            "سفیر",
            "توزیع",
            "out for delivery",
        ),
        _B.OUT_FOR_DELIVERY,
        _B.SUB_OUT_FOR_DELIVERY,
    ),
    (("ورود به", "رسید به", "arrived"), _B.IN_TRANSIT, _B.SUB_ARRIVED_HUB),
    (("خروج از", "departed"), _B.IN_TRANSIT, _B.SUB_DEPARTED_HUB),
    (
        (
            "مرکز مبادلات",
            "مبادلات",
            "هاب",
            "ارسال به",
            "در مسیر",
            "در حال ارسال",
            "بارگیری",
            "انتقال",
            "in transit",
        ),
        _B.IN_TRANSIT,
        _B.SUB_IN_TRANSIT,
    ),
    (
        ("جمع آوری", "پذیرش", "دریافت از فرستنده", "تحویل از فرستنده", "picked up", "accepted"),
        _B.IN_TRANSIT,
        _B.SUB_ACCEPTED,
    ),
    (
        ("تحویل گیرنده", "تحویل شد", "تحویل داده شد", "تحویل مشتری", "delivered"),
        _B.DELIVERED,
        _B.SUB_DELIVERED,
    ),
    (
        ("ثبت", "ورود اطلاعات", "صدور بارنامه", "info received", "registered", "created"),
        _B.INFO_RECEIVED,
        _B.SUB_INFO_RECEIVED,
    ),
)
_RULES = tuple(
    (tuple(normalize(k) for k in keywords), status, substatus)
    for keywords, status, substatus in _RULES_SOURCE
)


def classify(*texts):
    """Classify by the most specific rule any of ``texts`` matches; ``None`` if none.

    Carriers often send a generic name and a specific description («عدم تحویل» and
    «آدرس ناقص»): the most specific rule wins, whichever field it came from.
    """
    folded = [f for f in (normalize(t) for t in texts) if f]
    for keywords, status, substatus in _RULES:
        if any(k in text for text in folded for k in keywords):
            return Classification(status, substatus, base.hint_for(status, substatus))
    return None


def resolve(code, *texts, code_map=None, default=(base.IN_TRANSIT, None)):
    """Status and sub-status for a carrier event: its code first, then its texts.

    ``code_map`` ({code: (status, substatus)}) lets an administrator pin codes the
    carrier documents later. An unrecognised event still means the parcel moved, so
    it defaults to "InTransit" rather than being dropped.
    """
    if code_map and code is not None and str(code) in code_map:
        status, substatus = code_map[str(code)]
        return status, substatus
    found = classify(*texts)
    if found:
        return found.status, found.substatus
    return default
