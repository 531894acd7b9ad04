"""Solar Hijri (Jalali) dates for Persian replies, and the time labels of carrier events.

Iranian customers read dates in the Jalali calendar («۲ آذر ۱۴۰۵») with Persian digits; English
replies keep the Gregorian calendar. Plain Python: the conversation engine and the Odoo layer
both format event times with :func:`time_label`, so the text and the JSON payload agree.
"""

from datetime import datetime

from .normalize import persian_digits

MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def gregorian_to_jalali(day):
    """``(year, month, day)`` in the Jalali calendar of a ``date`` (or ``datetime``).

    The arithmetic form of the 33-year cycle used by Iranian software, exact for 1900-2100.
    """
    gy, gm, gd = day.year, day.month, day.day
    gy2 = gy + 1 if gm > 2 else gy
    days = (
        355666 + 365 * gy + (gy2 + 3) // 4 - (gy2 + 99) // 100 + (gy2 + 399) // 400
        + gd + _DAYS_BEFORE_MONTH[gm - 1]
    )  # fmt: skip
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


def time_label(iso, lang):
    """A moment as people read it, in the time zone ``iso`` carries.

    ``"2025-11-23T17:31:00+03:30"`` gives «۲ آذر ۱۴۰۴، ۱۷:۳۱» in Persian and
    "23 November 2025, 17:31" otherwise; an empty or unreadable value gives ``""``.
    """
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return ""
    clock = moment.strftime("%H:%M")
    if (lang or "").lower().startswith("fa"):
        year, month, dom = gregorian_to_jalali(moment)
        return persian_digits(f"{dom} {MONTHS_FA[month - 1]} {year}، {clock}")
    return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}, {clock}"
