"""What every SMS gateway client shares: number styles, results, failure types, registry."""

import unittest

from ..exceptions import AuthenticationError, InvalidResponseError, RetryableError
from ..sms_gateways import GATEWAYS, base, get_gateway_class


class TestNumberStyles(unittest.TestCase):
    def test_each_style(self):
        for given in ("+989121234567", "09121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "0098 912 123 4567"):
            with self.subTest(given=given):
                self.assertEqual(base.format_number(given, base.STYLE_LOCAL), "09121234567")
                self.assertEqual(base.format_number(given, base.STYLE_98), "989121234567")
                self.assertEqual(base.format_number(given, base.STYLE_PLUS98), "+989121234567")

    def test_not_an_iranian_mobile(self):
        for given in ("", None, "02188776655", "+4915112345678", "12345"):
            with self.subTest(given=given):
                self.assertIsNone(base.format_number(given, base.STYLE_LOCAL))


class TestFailureTypes(unittest.TestCase):
    def test_errors_map_to_odoo_failure_types(self):
        self.assertEqual(base.failure_type_of(AuthenticationError("x")), base.FAILURE_ACCOUNT)
        self.assertEqual(base.failure_type_of(RetryableError("x")), base.FAILURE_SERVER)
        self.assertEqual(base.failure_type_of(InvalidResponseError("x")), base.FAILURE_SERVER)
        error = base.GatewayError("x", failure_type=base.FAILURE_CREDIT, provider_code="418")
        self.assertEqual(base.failure_type_of(error), base.FAILURE_CREDIT)
        result = base.SendResult.from_error("0912", error)
        self.assertEqual((result.failure_type, result.provider_code), ("sms_credit", "418"))
        self.assertFalse(result.ok)

    def test_every_mapped_value_is_an_odoo_failure_type(self):
        for name, cls in GATEWAYS.items():
            with self.subTest(gateway=name):
                self.assertLessEqual(set(cls.ERROR_MAP.values()), set(base.FAILURE_TYPES))
                for state, error in cls.STATUS_MAP.values():
                    self.assertIn(
                        state, (base.DLR_PENDING, base.DLR_DELIVERED, base.DLR_UNDELIVERED)
                    )
                    self.assertIn(error, (None, base.DLR_NOT_DELIVERED, base.DLR_REJECTED))

    def test_delivery_report_states_are_checked(self):
        with self.assertRaises(ValueError):
            base.DeliveryReport("1", "lost")
        self.assertTrue(base.DeliveryReport("1", base.DLR_DELIVERED).final)


class TestRegistry(unittest.TestCase):
    def test_five_gateways_by_name(self):
        self.assertEqual(
            sorted(GATEWAYS), ["ghasedak", "ippanel", "kavenegar", "melipayamak", "smsir"]
        )
        self.assertIs(get_gateway_class("kavenegar"), GATEWAYS["kavenegar"])
        with self.assertRaises(KeyError):
            get_gateway_class("outbox")

    def test_credentials_are_required(self):
        for name, cls in GATEWAYS.items():
            with self.subTest(gateway=name), self.assertRaises(ValueError):
                cls()
