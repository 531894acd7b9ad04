"""Parsing of the date/time shapes carriers send, into tz-aware UTC values.

Iranian carriers mix ISO 8601, "YYYY-MM-DD HH:MM" in Tehran local time, unix
timestamps, Persian/Arabic-Indic digits and Solar Hijri (Jalali) dates; AfterShip sends
ISO 8601 with or without an offset. Everything funnels through ``parse_datetime`` so
the clients never build naive datetimes.
"""

import re
from datetime import date, datetime, timedelta, timezone

# Iran has used a fixed UTC+03:30 since daylight saving was abolished in 2022; a fixed
# offset avoids depending on the system tz database for the (recent) dates we parse.
TEHRAN = timezone(timedelta(hours=3, minutes=30), "Asia/Tehran")

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

_DATETIME_RE = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)

# Years below this are Solar Hijri: no carrier sends Gregorian dates that old.
_JALALI_MAX_YEAR = 1700


def normalize_digits(text):
    """Turn Persian and Arabic-Indic digits into ASCII ones."""
    return text.translate(_DIGITS)


def jalali_to_gregorian(jy, jm, jd):
    """Convert a Solar Hijri date to a Gregorian ``date`` (33-year-cycle arithmetic)."""
    if not (1 <= jm <= 12 and 1 <= jd <= 31):
        raise ValueError(f"invalid Jalali date {jy}/{jm}/{jd}")
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
    days += (jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    return date(gy, 1, 1) + timedelta(days=days)


def _from_unix(value):
    number = float(value)
    if number > 1e12:  # milliseconds
        number /= 1000.0
    return datetime.fromtimestamp(number, tz=timezone.utc)


def _parse_offset(text):
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(sign * delta)


def _match(value):
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a date/time: {value!r}")
    if isinstance(value, (int, float)):
        return None
    text = normalize_digits(str(value)).strip()
    if not text:
        raise ValueError("empty date/time")
    match = _DATETIME_RE.match(text)
    if not match and not re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        raise ValueError(f"unrecognised date/time: {text[:40]!r}")
    return match


def _calendar_date(match):
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    if y < _JALALI_MAX_YEAR:
        return jalali_to_gregorian(y, m, d)
    return date(y, m, d)


def parse_datetime(value, default_tz=timezone.utc):
    """Parse ``value`` into an aware UTC datetime; naive input is read in ``default_tz``.

    Accepts ISO 8601 (``Z`` or offsets), ``YYYY-MM-DD HH:MM[:SS]``, ``YYYY/MM/DD``,
    Jalali dates, unix seconds or milliseconds. Raises ``ValueError`` otherwise.
    """
    match = _match(value)
    if match is None:
        return _from_unix(
            value if isinstance(value, (int, float)) else normalize_digits(str(value))
        )
    day = _calendar_date(match)
    fraction = (match["f"] or "0")[:6].ljust(6, "0")
    parsed = datetime(
        day.year,
        day.month,
        day.day,
        int(match["H"] or 0),
        int(match["M"] or 0),
        int(match["S"] or 0),
        int(fraction),
        tzinfo=_parse_offset(match["tz"]) if match["tz"] else default_tz,
    )
    return parsed.astimezone(timezone.utc)


def parse_eta(value, default_tz=timezone.utc):
    """Parse an estimated delivery: a ``date`` when only a day is given, else UTC datetime.

    Empty values give ``None``; a carrier saying "no estimate" is not an error.
    """
    if value in (None, ""):
        return None
    match = _match(value)
    if match is not None and match["H"] is None:
        return _calendar_date(match)
    return parse_datetime(value, default_tz)
