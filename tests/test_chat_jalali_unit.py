"""Jalali time labels of carrier events (conversation/jalali.py), without a database."""

import unittest
from datetime import date, timedelta

from ..carriers.timeparse import jalali_to_gregorian
from ..conversation.disclosure import _event_lines
from ..conversation.jalali import gregorian_to_jalali, persian_digits, time_label


class TestJalali(unittest.TestCase):
    def test_known_dates(self):
        self.assertEqual(gregorian_to_jalali(date(2025, 3, 21)), (1404, 1, 1))  # Nowruz
        self.assertEqual(gregorian_to_jalali(date(2025, 3, 20)), (1403, 12, 30))  # leap year
        self.assertEqual(gregorian_to_jalali(date(2025, 12, 22)), (1404, 10, 1))
        self.assertEqual(gregorian_to_jalali(date(2026, 11, 23)), (1405, 9, 2))

    def test_round_trip_over_ten_years(self):
        day = date(2020, 1, 1)
        while day < date(2030, 1, 1):
            self.assertEqual(jalali_to_gregorian(*gregorian_to_jalali(day)), day, day)
            day += timedelta(days=1)

    def test_time_label_in_persian_and_english(self):
        iso = "2025-12-21T10:22:00+03:30"
        self.assertEqual(time_label(iso, "fa_IR"), "۳۰ آذر ۱۴۰۴، ۱۰:۲۲")
        self.assertEqual(time_label(iso, "en_US"), "21 December 2025, 10:22")
        self.assertEqual(time_label(None, "fa_IR"), "")
        self.assertEqual(time_label("yesterday", "fa_IR"), "")
        self.assertEqual(persian_digits("S-2025"), "S-۲۰۲۵")

    def test_event_lines_of_persian_replies_use_the_jalali_calendar(self):
        events = [
            ("2025-12-20T09:00:00+03:30", "مرسوله در سامانه ثبت شد", "تهران"),
            ("2025-12-21T10:22:00+03:30", "تحویل به مرکز مبادلات", None),
        ]
        lines = _event_lines(events, "fa_IR").split("\n")
        self.assertEqual(lines[0], "• ۳۰ آذر ۱۴۰۴، ۱۰:۲۲: تحویل به مرکز مبادلات")
        self.assertIn("۲۹ آذر ۱۴۰۴، ۰۹:۰۰", lines[1])
        self.assertIn("20 December 2025, 09:00", _event_lines(events, "en_US"))
