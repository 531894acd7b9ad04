"""Amounts of money as the chat writes them in Persian; no Odoo import.

Persian text gets Persian digits, the Persian thousands separator (٬ U+066C) and decimal separator
(٫ U+066B), and the currency *after* the number, the way Persian reads: «۳۵۰٬۰۰۰ ریال»,
«۱۲٫۵۰ €». A symbol before the number ("$ 12.50", Odoo's format for dollars) lands on the wrong
side of the number in a right-to-left line. A zero fraction is left out («۱۲ €», not «۱۲٫۰۰ €»):
Persian prices are written without it. English text keeps Odoo's own format (the caller's), so
the chat writes an amount exactly as the shop's pages do.

Rial and Toman: the rial (IRR) is Iran's currency of record, the unit of banknotes, bank
documents, invoices and payment gateways, and the only one Odoo knows; people say and often
write prices in toman (10 rials). So the chat says the rial amount the cart and the invoice show
and, in Persian, adds the toman equivalent in brackets: «۳۵۰٬۰۰۰ ریال (۳۵٬۰۰۰ تومان)». Nothing is
converted at a rate, and a customer cannot misread a price by a factor of ten.
"""

from .normalize import persian_digits

RIAL_CODE = "IRR"
RIAL_FA = "ریال"
TOMAN_FA = "تومان"
RIALS_PER_TOMAN = 10
FA_THOUSANDS_SEP = "\u066c"
FA_DECIMAL_POINT = "\u066b"
# Between a number and its unit: the line never breaks there.
_NBSP = "\u00a0"


def _grouped(amount, decimals, thousands_sep, decimal_point):
    """``amount`` with ``decimals`` digits, grouped by thousands; a zero fraction left out."""
    text = f"{abs(amount):,.{max(decimals, 0)}f}"
    integer, _, fraction = text.partition(".")
    if not fraction.strip("0"):
        fraction = ""
    sign = "-" if amount < 0 and (integer.strip("0,") or fraction) else ""
    return (
        sign + integer.replace(",", thousands_sep) + (decimal_point + fraction if fraction else "")
    )


def persian_number(amount, decimals=0):
    """``1234567.5`` -> «۱٬۲۳۴٬۵۶۷٫۵» (``decimals`` digits at most)."""
    return persian_digits(_grouped(amount, decimals, FA_THOUSANDS_SEP, FA_DECIMAL_POINT))


def persian_amount(amount, decimals, symbol, code):
    """``amount`` of the currency ``code`` (ISO 4217, with its Odoo ``symbol`` and number of
    ``decimals``) as Persian text; rials with their toman equivalent."""
    number = persian_number(amount, decimals)
    if code == RIAL_CODE:
        tomans = persian_number(amount / RIALS_PER_TOMAN, max(decimals, 1))
        return f"{number}{_NBSP}{RIAL_FA} ({tomans}{_NBSP}{TOMAN_FA})"
    return f"{number}{_NBSP}{symbol or code}"
