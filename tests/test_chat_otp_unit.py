"""The one-time code algorithm (conversation/otp.py), without a database."""

import unittest
from datetime import datetime, timedelta
from unittest import mock

from ..conversation import otp

SECRET = "s3cr3t-database-secret"
MOBILE = "+989121234567"
T0 = datetime(2025, 6, 1, 8, 0, 0)


class TestCodes(unittest.TestCase):
    def test_codes_are_six_digits_and_keep_leading_zeros(self):
        with mock.patch.object(otp.secrets, "randbelow", return_value=4217):
            self.assertEqual(otp.generate_code(), "004217")
        for _ in range(200):
            code = otp.generate_code()
            self.assertRegex(code, r"^\d{6}$")

    def test_codes_come_from_secrets_not_random(self):
        with mock.patch.object(otp.secrets, "randbelow", return_value=123456) as randbelow:
            self.assertEqual(otp.generate_code(), "123456")
        randbelow.assert_called_once_with(10**6)

    def test_codes_vary(self):
        self.assertGreater(len({otp.generate_code() for _ in range(50)}), 40)

    def test_clean_code_keeps_digits_only(self):
        self.assertEqual(otp.clean_code("123 456"), "123456")
        self.assertEqual(otp.clean_code("123-456\n"), "123456")
        self.assertEqual(otp.clean_code(None), "")


class TestHashing(unittest.TestCase):
    def test_hash_is_keyed_salted_and_bound_to_the_mobile(self):
        nonce = otp.new_nonce()
        digest = otp.hash_code(SECRET, nonce, MOBILE, "123456")
        self.assertRegex(digest, r"^[0-9a-f]{64}$")
        self.assertNotIn("123456", digest)
        self.assertNotEqual(digest, otp.hash_code("other-secret", nonce, MOBILE, "123456"))
        self.assertNotEqual(digest, otp.hash_code(SECRET, otp.new_nonce(), MOBILE, "123456"))
        self.assertNotEqual(digest, otp.hash_code(SECRET, nonce, "+989131112233", "123456"))
        self.assertEqual(digest, otp.hash_code(SECRET, nonce, MOBILE, "123 456"))

    def test_match_and_mismatch(self):
        nonce = otp.new_nonce()
        digest = otp.hash_code(SECRET, nonce, MOBILE, "654321")
        self.assertTrue(otp.code_matches(SECRET, nonce, MOBILE, "654321", digest))
        self.assertFalse(otp.code_matches(SECRET, nonce, MOBILE, "654320", digest))
        self.assertFalse(otp.code_matches(SECRET, nonce, MOBILE, "", digest))
        self.assertFalse(otp.code_matches(SECRET, nonce, MOBILE, "654321", None))

    def test_comparison_is_constant_time(self):
        nonce = otp.new_nonce()
        digest = otp.hash_code(SECRET, nonce, MOBILE, "111111")
        with mock.patch.object(otp.hmac, "compare_digest", return_value=False) as compare:
            self.assertFalse(otp.code_matches(SECRET, nonce, MOBILE, "111111", digest))
        compare.assert_called_once()

    def test_an_empty_secret_is_refused(self):
        with self.assertRaises(ValueError):
            otp.hash_code("", "nonce", MOBILE, "123456")


class TestSendRules(unittest.TestCase):
    def test_first_code_is_sent(self):
        self.assertEqual(otp.send_decision(T0, None, 0), ("sent", 0))

    def test_cooldown_between_codes(self):
        reason, wait = otp.send_decision(T0 + timedelta(seconds=20), T0, 1)
        self.assertEqual(reason, "cooldown")
        self.assertEqual(wait, 41)
        self.assertEqual(otp.send_decision(T0 + timedelta(seconds=60), T0, 1)[0], "sent")
        self.assertEqual(
            otp.send_decision(T0 + timedelta(seconds=20), T0, 1, cooldown_seconds=10)[0], "sent"
        )

    def test_daily_cap_wins_over_cooldown(self):
        self.assertEqual(otp.send_decision(T0 + timedelta(hours=2), T0, 5)[0], "daily_cap")
        self.assertEqual(otp.send_decision(T0 + timedelta(seconds=1), T0, 5)[0], "daily_cap")
        self.assertEqual(otp.send_decision(T0 + timedelta(hours=2), T0, 4)[0], "sent")
        self.assertEqual(
            otp.send_decision(T0 + timedelta(hours=2), T0, 2, daily_cap=2)[0], "daily_cap"
        )


class TestCheckRules(unittest.TestCase):
    def test_expiry_is_five_minutes_by_default(self):
        self.assertEqual(otp.expiry(T0), T0 + timedelta(minutes=5))
        self.assertEqual(otp.expiry(T0, 10), T0 + timedelta(minutes=10))

    def test_check_before_compare(self):
        expires = otp.expiry(T0)
        self.assertEqual(otp.check_decision(T0, expires, 0), "compare")
        self.assertEqual(otp.check_decision(expires - timedelta(seconds=1), expires, 4), "compare")
        self.assertEqual(otp.check_decision(expires, expires, 0), "expired")
        self.assertEqual(otp.check_decision(T0, expires, 5), "too_many")
        self.assertEqual(otp.check_decision(T0, expires, 3, max_attempts=3), "too_many")

    def test_wrong_attempts_count_down_then_stop(self):
        self.assertEqual(otp.after_wrong_attempt(1), ("wrong", 4))
        self.assertEqual(otp.after_wrong_attempt(4), ("wrong", 1))
        self.assertEqual(otp.after_wrong_attempt(5), ("too_many", 0))
        self.assertEqual(otp.after_wrong_attempt(2, max_attempts=2), ("too_many", 0))
