"""Amounts in Persian chat replies (conversation/money.py): Persian digits and separators, the
unit after the number, rials with their toman equivalent. Plain Python, no database."""

import unittest

from ..conversation.money import persian_amount, persian_number


class TestPersianAmounts(unittest.TestCase):
    def test_rials_say_their_toman_equivalent(self):
        self.assertEqual(
            persian_amount(950_000, 0, "﷼", "IRR"), "۹۵۰٬۰۰۰\u00a0ریال (۹۵٬۰۰۰\u00a0تومان)"
        )
        # Odoo's rial has two decimals unless the shop changes it: a zero fraction is not said.
        self.assertEqual(
            persian_amount(16_500_000.0, 2, "﷼", "IRR"),
            "۱۶٬۵۰۰٬۰۰۰\u00a0ریال (۱٬۶۵۰٬۰۰۰\u00a0تومان)",
        )
        # An amount that is not a whole number of tomans is not rounded away.
        self.assertEqual(persian_amount(1_005, 0, "﷼", "IRR"), "۱٬۰۰۵\u00a0ریال (۱۰۰٫۵\u00a0تومان)")

    def test_other_currencies_keep_their_symbol_after_the_number(self):
        # "$ 12.50" would put the symbol on the wrong side in a right-to-left line.
        self.assertEqual(persian_amount(12.5, 2, "$", "USD"), "۱۲٫۵۰\u00a0$")
        self.assertEqual(persian_amount(1234.0, 2, "€", "EUR"), "۱٬۲۳۴\u00a0€")
        self.assertEqual(persian_amount(7, 2, "", "CHF"), "۷\u00a0CHF")

    def test_numbers(self):
        self.assertEqual(persian_number(0), "۰")
        self.assertEqual(persian_number(999), "۹۹۹")
        self.assertEqual(persian_number(1_234_567.25, 2), "۱٬۲۳۴٬۵۶۷٫۲۵")
        self.assertEqual(persian_number(1_234_567.25, 0), "۱٬۲۳۴٬۵۶۷")
        self.assertEqual(persian_number(-1500), "-۱٬۵۰۰")
        self.assertEqual(persian_number(-0.001, 2), "۰", "no minus sign on a rounded zero")
        self.assertNotIn(",", persian_number(10**9))
