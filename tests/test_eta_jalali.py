"""Jalali dates and Persian digits of the delivery estimate texts (plain Python, no database)."""

import unittest
from datetime import date, timedelta

from ..carriers.timeparse import jalali_to_gregorian
from ..models.order_tracking_eta import format_day, gregorian_to_jalali, localize_digits


class TestJalali(unittest.TestCase):
    def test_known_dates(self):
        self.assertEqual(gregorian_to_jalali(date(2025, 3, 21)), (1404, 1, 1))  # Nowruz 1404
        self.assertEqual(gregorian_to_jalali(date(2025, 3, 20)), (1403, 12, 30))  # leap year end
        self.assertEqual(gregorian_to_jalali(date(2024, 3, 20)), (1403, 1, 1))
        self.assertEqual(gregorian_to_jalali(date(2025, 6, 21)), (1404, 3, 31))
        self.assertEqual(gregorian_to_jalali(date(2025, 9, 23)), (1404, 7, 1))

    def test_round_trip_over_ten_years(self):
        day = date(2020, 1, 1)
        while day < date(2030, 1, 1):
            self.assertEqual(jalali_to_gregorian(*gregorian_to_jalali(day)), day, day)
            day += timedelta(days=1)

    def test_format_day(self):
        self.assertEqual(format_day(date(2025, 3, 21), "fa_IR"), "۱ فروردین")
        self.assertEqual(format_day(date(2025, 12, 22), "fa_IR"), "۱ دی")
        self.assertEqual(format_day(date(2025, 6, 21), "en_US"), "21 June")

    def test_localize_digits(self):
        self.assertEqual(localize_digits(2025, "fa_IR"), "۲۰۲۵")
        self.assertEqual(localize_digits(2025, "en_US"), "2025")
        self.assertEqual(localize_digits("2–4", None), "2–4")
