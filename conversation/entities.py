"""Entity extraction: order refs, mobiles, tracking codes, cities and OTP codes in free text.

Entities are looked for in a fixed order on the normalised text, and each match is blanked out
before the next kind is searched, so one run of characters is never two things at once:

1. mobile numbers (validated with ``phonenumbers``), so ``09121234567`` is never a tracking code;
2. tracking codes: carrier-prefixed (``TRK-88392011``), UPU ``RR123456789IR``, long digit runs
   (Tipax 10-14 digits, Iran Post 20-24 digits) and long letter+digit mixes;
3. order refs (configurable regex; default ``S00042`` and ``TS-104233``), also as people type
   them: ``s 00044``, ``S.00044``, ``s-00044`` or the letter spelt in Persian («اس ۰۰۰۴۴»);
4. cities from the caller's list;
5. a 6-digit OTP or the last 4 digits of a mobile, only when the caller expects one, because
   otherwise any 4 or 6 digits (a price, a year) would be read as a code.

Boundaries are ASCII-only on purpose: Persian text glues suffixes to Latin codes ("S00042رو").
"""

import re
from dataclasses import dataclass, field

from .cities import CityIndex
from .normalize import normalize_digits, normalize_mobile, normalize_text

DEFAULT_ORDER_REF_PATTERN = r"[a-z]{1,4}[-/]?\d{3,8}"
DEFAULT_TRACKING_PREFIXES = ("trk", "trc", "track", "tpx", "post")

# A ref typed with a space (or dot, underscore) between its letters and its number is joined up
# before the ref pattern runs, so any configured pattern benefits. To keep "in 2025" or "at 1400"
# from becoming refs, the gap is only closed before a zero-padded number (sequences look like
# "00044") or between a single letter that is not an English word and 4+ digits; words that
# introduce a number ("no 123", "order 00044") are never a prefix.
_SPACED_REF = re.compile(r"(?<![\w\-+/'’`])([a-z]{1,4})[\s._]{1,2}(?=(\d{3,8})(?!\d))")
_NOT_A_PREFIX = frozenset(
    {"a", "i", "no", "nr", "nos", "num", "ref", "id", "is", "in", "on", "at", "to", "of", "by",
     "my", "for", "and", "the", "or", "it", "me", "us", "we", "be", "so", "up", "ok", "as", "an",
     "am", "pm", "do", "go", "hi", "if", "was", "are", "has", "had", "not", "but", "you", "its",
     "all", "any", "via", "per", "day", "days", "code", "sms", "otp", "tel", "mob", "from",
     "with", "than", "over", "till", "last", "next", "item", "items", "only", "just", "also",
     "toman", "irr", "irt", "rial"}
)  # fmt: skip
# Letters spelt the Persian way before a number: «اس ۰۰۰۴۴» is how S00044 is read aloud.
_PERSIAN_LETTER_NAMES = {"اس": "s", "تی اس": "ts", "اس او": "so"}
_SPELT_REF = re.compile(
    r"(?<!\w)("
    + "|".join(sorted((re.escape(n) for n in _PERSIAN_LETTER_NAMES), key=len, reverse=True))
    + r")[\s\-]{0,2}(?=\d{3,8}(?!\d))"
)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")

_B = r"(?<![a-z0-9_\-+/])"  # start of a code: no ASCII word char, dash, plus or slash before
_E = r"(?![a-z0-9_\-/])"  # end of a code

_MOBILE = re.compile(
    r"(?<![a-z0-9_+])(?:\+\s?98|0098|98|0)?[\s\-.()]{0,2}9(?:[\s\-.()]{0,2}\d){9}(?!\d)"
)
_UPU = re.compile(_B + r"[a-z]{2}\d{9}[a-z]{2}" + _E)
_DIGIT_RUN = re.compile(_B + r"\d{10,30}" + _E)
# The simulated carrier's codes: "SIM-68CB4C0F96", or with a scenario, "SIM-DLY-0001A2".
_SIMULATED = re.compile(_B + r"sim-(?:[a-z]{3,4}-)?[0-9a-f]{4,20}" + _E)
_ALNUM_MIX = re.compile(_B + r"(?=[a-z0-9]*\d{6})(?=[a-z0-9]*[a-z])[a-z0-9]{12,30}" + _E)
_OTP = re.compile(r"(?<!\d)(\d{3})[\s\-]?(\d{3})(?!\d)")
_LAST4 = re.compile(r"(?<!\d)\d{4}(?!\d)")
_SPACES = re.compile(r"\s+")


@dataclass
class Entities:
    """What was found in one message; lists are in text order, without duplicates."""

    order_refs: list = field(default_factory=list)  # upper-case, e.g. "S00042"
    mobiles: list = field(default_factory=list)  # E.164, e.g. "+989121234567"
    tracking_codes: list = field(default_factory=list)  # upper-case, e.g. "TRK-88392011"
    city_ids: list = field(default_factory=list)  # ids from the caller's city list
    otp: str | None = None  # "123456", only when the caller expected an OTP
    last4: str | None = None  # "4567", only when the caller expected the end of a mobile

    @property
    def order_ref(self):
        return self.order_refs[0] if self.order_refs else None

    @property
    def mobile(self):
        return self.mobiles[0] if self.mobiles else None

    @property
    def tracking_code(self):
        return self.tracking_codes[0] if self.tracking_codes else None

    @property
    def city_id(self):
        return self.city_ids[0] if self.city_ids else None

    @property
    def has_lookup_key(self):
        """True when the message names an order, a mobile or a tracking code."""
        return bool(self.order_refs or self.mobiles or self.tracking_codes)


def ref_key(ref):
    """The comparable form of an order ref: upper-case letters and digits only (S-00044 -> S00044).

    Two spellings of one ref have the same key; the policy compares refs by it.
    """
    return _NOT_ALNUM.sub("", normalize_digits(ref or "").upper())


def order_ref_variants(ref):
    """The ways ``ref`` may be written in the shop's records, for a lookup that takes any of them.

    ``"S-00044"`` gives ``["S-00044", "S00044"]``, ``"TS104233"`` gives ``["TS104233",
    "TS-104233"]``: a customer's dash says nothing about whether the shop's numbers have one.
    """
    ref = (ref or "").strip().upper()
    variants = [ref] if ref else []
    key = ref_key(ref)
    match = re.fullmatch(r"([A-Z]+)(\d+)", key)
    for candidate in (key, f"{match[1]}-{match[2]}" if match else None):
        if candidate and candidate not in variants:
            variants.append(candidate)
    return variants


def _join_spaced_refs(text):
    """``text`` with "s 00044" / «اس 00044» written as "s00044" (see ``_SPACED_REF``)."""
    text = _SPELT_REF.sub(lambda m: _PERSIAN_LETTER_NAMES[m.group(1)], text)

    def join(match):
        letters, number = match.group(1), match.group(2)
        if letters in _NOT_A_PREFIX:
            return match.group()
        if number.startswith("0") or (len(letters) == 1 and len(number) >= 4):
            return letters
        return match.group()

    return _SPACED_REF.sub(join, text)


def _blank(text, start, end):
    # Same length, so the other matches keep their offsets.
    return text[:start] + " " * (end - start) + text[end:]


def _add(values, value):
    if value not in values:
        values.append(value)


class EntityExtractor:
    """Extract :class:`Entities` with the caller's configuration (cities, ref format)."""

    def __init__(self, cities=(), order_ref_pattern=None, tracking_prefixes=None):
        self.cities = cities if isinstance(cities, CityIndex) else CityIndex(cities)
        self.order_ref_re = re.compile(
            _B + "(?:" + (order_ref_pattern or DEFAULT_ORDER_REF_PATTERN) + ")" + _E,
            re.IGNORECASE,
        )
        prefixes = tracking_prefixes if tracking_prefixes is not None else DEFAULT_TRACKING_PREFIXES
        if prefixes:
            alternatives = "|".join(re.escape(p.casefold()) for p in prefixes)
            # Only a dash may separate prefix and digits: in "track 1524..." the word is a verb.
            self.prefixed_code_re = re.compile(_B + "(?:" + alternatives + r")-?\d{6,30}" + _E)
        else:
            self.prefixed_code_re = None

    def extract(self, text, expect_otp=False, expect_last4=False):
        """Return the :class:`Entities` in ``text`` (any string; garbage gives empty lists)."""
        found = Entities()
        work = normalize_text(text)
        if not work:
            return found

        for match in _MOBILE.finditer(work):
            e164 = normalize_mobile(match.group())
            if e164:
                _add(found.mobiles, e164)
                work = _blank(work, *match.span())

        code_regexes = [self.prefixed_code_re, _SIMULATED, _UPU, _DIGIT_RUN, _ALNUM_MIX]
        codes = []
        for regex in filter(None, code_regexes):
            for match in regex.finditer(work):
                value = match.group()
                if regex is _DIGIT_RUN and self._is_phone_number(value):
                    continue
                codes.append((match.start(), _SPACES.sub("", value).upper()))
                work = _blank(work, *match.span())
        for _start, code in sorted(codes):
            _add(found.tracking_codes, code)

        # Joining changes offsets: it runs after the kinds above and before the ones below.
        work = _join_spaced_refs(work)
        for match in self.order_ref_re.finditer(work):
            _add(found.order_refs, match.group().upper())
            work = _blank(work, *match.span())

        for start, end, city_id in self.cities.find(work):
            _add(found.city_ids, city_id)
            work = _blank(work, start, end)

        if expect_otp:
            match = _OTP.search(work)
            if match:
                found.otp = match.group(1) + match.group(2)
                work = _blank(work, *match.span())
        if expect_last4:
            # The last group of 4: in "0912***4567" the end is what was asked for.
            groups = _LAST4.findall(work)
            if groups:
                found.last4 = groups[-1]
        return found

    @staticmethod
    def _is_phone_number(digits):
        # An 11-digit run starting with 0 is how Iranians write a landline: not a parcel.
        return len(digits) == 11 and digits.startswith("0")


def extract_entities(text, cities=(), expect_otp=False, expect_last4=False, **config):
    """Shortcut for one-off use: ``EntityExtractor(cities, **config).extract(text, ...)``."""
    extractor = EntityExtractor(cities, **config)
    return extractor.extract(text, expect_otp=expect_otp, expect_last4=expect_last4)
