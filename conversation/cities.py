"""The list of cities the caller ships to, searchable in Persian and English.

The caller passes ``(city_id, name, name, ...)`` tuples (Persian and English names, spelling
variants); this module finds them in normalised text and picks the display name for a language.
"""

import re

from .normalize import detect_language, normalize_text

# Persian prepositions that people glue to the city name ("بتهران", "به‌تهران" after ZWNJ
# folding is "به تهران" and needs no rule). A spaced preposition is just another word.
_ATTACHED_PREPOSITIONS = ("برای", "برا", "به", "ب")


class CityIndex:
    """Find cities in text and name them in the reply language."""

    def __init__(self, cities=()):
        self._names = {}  # city_id -> [display names as given]
        patterns = []  # (normalised length, city_id, compiled regex)
        for entry in cities or ():
            city_id, *names = entry
            names = [n for n in names if n and n.strip()]
            if not names:
                continue
            self._names[city_id] = names
            for name in names:
                norm = normalize_text(name)
                body = r"\s?".join(re.escape(w) for w in norm.split(" "))
                if detect_language(name, default="en_US") == "fa_IR":
                    prefix = "(?:" + "|".join(_ATTACHED_PREPOSITIONS) + ")?"
                else:
                    prefix = ""
                regex = re.compile(r"(?<!\w)" + prefix + "(" + body + r")(?!\w)")
                patterns.append((len(norm), city_id, regex))
        # Longest names first, so "Bandar Abbas" wins over a city called "Abbas".
        patterns.sort(key=lambda p: -p[0])
        self._patterns = patterns

    @property
    def ids(self):
        """The city ids in the order the caller gave them."""
        return list(self._names)

    def __contains__(self, city_id):
        return city_id in self._names

    def find(self, normalized_text):
        """Return ``[(start, end, city_id)]`` of non-overlapping matches in text order.

        ``normalized_text`` must come from :func:`normalize_text`.
        """
        found = []
        taken = []
        for _length, city_id, regex in self._patterns:
            for match in regex.finditer(normalized_text):
                start, end = match.span()
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((start, end))
                found.append((start, end, city_id))
        found.sort()
        return found

    def by_key(self, key):
        """Return the city id whose ``str()`` is ``key`` (button actions carry strings)."""
        for city_id in self._names:
            if str(city_id) == str(key):
                return city_id
        return None

    def name(self, city_id, lang):
        """Return the display name of ``city_id`` in ``lang`` (falling back to the first name)."""
        names = self._names.get(city_id) or []
        if not names:
            return str(city_id)
        for name in names:
            if detect_language(name, default="en_US") == lang:
                return name
        return names[0]
