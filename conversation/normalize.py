"""Text normalisation for matching Persian and English customer messages.

Customers type the same word many ways: Persian (۰-۹) or Arabic-Indic (٠-٩) digits, Arabic
ي/ك from some keyboards, a zero-width non-joiner (ZWNJ), a space or nothing between the parts
of a word (می‌رسه · می رسه · میرسه). Everything here maps those variants onto one form so that
keywords and entities are matched once, not once per keyboard.

The normalised text is for matching only; it is never shown to anyone.
ZWNJ becomes a space, and :func:`phrase_regex` lets every space in a keyword match "one space or
nothing", so the three spellings above all match the keyword ``"می رسه"``.
"""

import re
from urllib.parse import urlsplit, urlunsplit

import phonenumbers

# The one digit table of the addon: Persian (U+06F0..) and Arabic-Indic (U+0660..) digits.
# Matching reads both as ASCII; Persian replies write ASCII digits as Persian ones.
PERSIAN_DIGITS = "".join(chr(0x06F0 + i) for i in range(10))
ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + i) for i in range(10))
_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)

# Letters: escapes rather than glyphs, because ي and ی look alike in most editors.
_LETTERS = {
    0x064A: "\u06cc",  # ARABIC YEH -> FARSI YEH
    0x0649: "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    0x0643: "\u06a9",  # ARABIC KAF -> KEHEH
    0x0629: "\u0647",  # TEH MARBUTA -> HEH
    0x06C0: "\u0647",  # HEH WITH YEH ABOVE -> HEH (the ezafe is a diacritic for matching)
    0x0624: "\u0648",  # WAW WITH HAMZA -> WAW
    0x0623: "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
    0x0625: "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
    0x0671: "\u0627",  # ALEF WASLA -> ALEF
    # People write آپدیت and اپدیت, آدرس and ادرس: fold the madda for matching.
    0x0622: "\u0627",  # ALEF WITH MADDA -> ALEF
    # Persian punctuation, so that one regex handles both.
    0x061F: "?",
    0x060C: ",",
    0x061B: ";",
}

# Removed outright: tatweel (stretches letters for looks) and the Arabic diacritics.
_REMOVE = {0x0640: None}
_REMOVE.update({cp: None for cp in range(0x064B, 0x0660)})  # fathatan .. hamza below
_REMOVE.update({0x0670: None})  # superscript alef
_REMOVE.update({cp: None for cp in range(0x06D6, 0x06EE)})  # Quranic annotation marks
# Invisible formatting characters with no meaning for matching: ZWJ, word joiner, BOM,
# direction marks and embeddings that copy-paste from RTL apps leaves behind.
_REMOVE.update({cp: None for cp in (0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x061C)})
_REMOVE.update({cp: None for cp in range(0x202A, 0x202F)})
_REMOVE.update({cp: None for cp in range(0x2066, 0x206A)})

# ZWNJ and zero-width space separate word parts: a space keeps the parts apart for entity
# matching, and phrase_regex() makes spaces optional for keyword matching.
_AS_SPACE = {0x200C: " ", 0x200B: " "}

_TABLE = {**_DIGITS, **_LETTERS, **_REMOVE, **_AS_SPACE}

_WHITESPACE = re.compile(r"\s+")

ZWNJ = "\u200c"


def normalize_digits(s):
    """Return ``s`` with Persian and Arabic-Indic digits replaced by ASCII digits."""
    return (s or "").translate(_DIGITS)


def persian_digits(value):
    """Return ``value`` as text with ASCII digits written as Persian digits (for replies)."""
    return str(value).translate(_TO_PERSIAN)


def normalize_text(s):
    """Return the matching form of ``s``: one spelling per word, ASCII digits, casefolded.

    ``None`` and the empty string give ``""``.
    """
    if not s:
        return ""
    s = s.translate(_TABLE)
    s = _WHITESPACE.sub(" ", s).strip()
    return s.casefold()


def phrase_regex(phrase):
    """Compile a keyword phrase into a regex that tolerates the usual spelling variants.

    The phrase is normalised like the text. A space in it matches one space or nothing (so
    ``"می رسه"`` also matches ``"میرسه"``). The phrase must start at a word start; it must also
    end at a word end unless it ends with ``*``, which allows suffixes (``"سفارش*"`` matches
    ``"سفارشم"``, ``"سفارشای"``).
    """
    prefix_only = phrase.endswith("*")
    words = normalize_text(phrase.rstrip("*")).split(" ")
    body = r"\s?".join(re.escape(w) for w in words if w)
    tail = "" if prefix_only else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail)


def normalize_mobile(s):
    """Return the E.164 form (``+989121234567``) of an Iranian mobile number, else ``None``.

    Accepts ``0912…``, ``+98912…``, ``0098912…``, ``98912…`` and ``912…`` with spaces, dashes,
    dots or parentheses and Persian/Arabic digits. Landlines and non-Iranian numbers give
    ``None``: an SMS code can only reach a mobile.
    """
    if not s:
        return None
    s = normalize_digits(s).strip()
    plus = s.startswith("+")
    digits = re.sub(r"\D", "", s)
    if not digits or len(digits) > 16:
        return None
    if plus:
        candidate = "+" + digits
    elif digits.startswith("0098"):
        candidate = "+" + digits[2:]
    elif digits.startswith("98") and len(digits) == 12:
        candidate = "+" + digits
    elif digits.startswith("9") and len(digits) == 10:
        candidate = "0" + digits
    else:
        candidate = digits
    try:
        number = phonenumbers.parse(candidate, "IR")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 98 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(e164_or_local):
    """Return a mobile number as ``0912***4567``: enough for its owner to recognise it.

    Anything that is not a recognisable mobile gives ``"***"`` rather than an echo of the input.
    """
    e164 = normalize_mobile(e164_or_local or "")
    if not e164:
        return "***"
    local = "0" + e164[3:]
    return local[:4] + "***" + local[-4:]


def mask_code(code):
    """Return a shortened form of a code (``TRK8…011`` style) that never shows more than half.

    Separators are dropped; at most half of the characters (and never more than 8) are kept,
    split between the head and the tail.
    """
    chars = re.sub(r"[^0-9A-Za-z]", "", normalize_digits(code or ""))
    visible = min(len(chars) // 2, 8)
    if visible == 0:
        return "…"
    head = (visible + 1) // 2
    tail = visible - head
    return chars[:head] + "…" + (chars[-tail:] if tail else "")


_SECRET_SEGMENT = re.compile(r"^(?=(?:.*\d){6})[0-9A-Za-z\-_]+$|^[0-9A-Za-z\-_]{20,}$")


def mask_url(url, codes=()):
    """Return ``url`` as a transcript may keep it: no query string or fragment (access tokens,
    tracking codes as parameters) and ``codes`` or code-like path segments shortened by
    :func:`mask_code`; the scheme, host and the rest of the path stay, so staff see which page
    was linked.
    """
    if not url:
        return url or ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "…"
    path = parts.path
    for code in sorted((c for c in codes if c), key=len, reverse=True):
        path = path.replace(code, mask_code(code))
    path = "/".join(
        mask_code(segment) if _SECRET_SEGMENT.match(segment) else segment
        for segment in path.split("/")
    )
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z]")
_ANY_DIGIT = re.compile(r"[0-9\u06f0-\u06f9\u0660-\u0669]")


def detect_language(text, default="fa_IR"):
    """Return ``"fa_IR"`` or ``"en_US"`` from the share of Persian/Arabic letters in ``text``.

    Words that contain digits are codes (``S00042``, ``TRK-88392011``), not language, and are
    ignored; Persian wins ties. Text without letters gives ``default``.
    """
    words = [w for w in (text or "").split() if not _ANY_DIGIT.search(w)]
    persian = sum(len(_ARABIC_SCRIPT.findall(w)) for w in words)
    latin = sum(len(_LATIN.findall(w)) for w in words)
    if not persian and not latin:
        return default if default in ("fa_IR", "en_US") else "fa_IR"
    return "fa_IR" if persian >= latin else "en_US"
