"""Unit tests of conversation/entities.py: refs, mobiles, tracking codes, cities, OTPs."""

import time
import unittest

from ..conversation.entities import (
    EntityExtractor,
    extract_entities,
    order_ref_variants,
    ref_key,
)

ARABIC_KAF = "\u0643"
ARABIC_YEH = "\u064a"

CITIES = [
    (1, "تهران", "Tehran"),
    (2, "شیراز", "Shiraz"),
    (3, "بندر عباس", "Bandar Abbas"),
    (4, "کرمان", "Kerman"),
    (5, "قم", "Qom"),
]


class TestOrderRefs(unittest.TestCase):
    def test_odoo_sale_order_names(self):
        for text in ("S00042", "s00042", "S۰۰۰۴۲", "سفارش S00042 کجاست", "سفارش S00042رو"):
            with self.subTest(text=text):
                self.assertEqual(extract_entities(text).order_refs, ["S00042"])

    def test_prefix_dash_digits(self):
        self.assertEqual(extract_entities("هنوز ارسال نکردین؟ TS-104233").order_refs, ["TS-104233"])
        self.assertEqual(extract_entities("ts-104233").order_refs, ["TS-104233"])

    def test_several_refs_in_text_order_without_duplicates(self):
        ents = extract_entities("S00042 and S00043 and s00042")
        self.assertEqual(ents.order_refs, ["S00042", "S00043"])
        self.assertEqual(ents.order_ref, "S00042")

    def test_mobile_and_tracking_code_are_not_refs(self):
        ents = extract_entities("09121234567 TRK-88392011 123456789012")
        self.assertEqual(ents.order_refs, [])

    def test_words_and_numbers_alone_are_not_refs(self):
        self.assertEqual(extract_entities("order 12345 please").order_refs, [])
        self.assertEqual(extract_entities("covid19 mp3").order_refs, [])

    def test_configurable_pattern(self):
        extractor = EntityExtractor(order_ref_pattern=r"web\d{5}")
        self.assertEqual(extractor.extract("web12345 S00042").order_refs, ["WEB12345"])

    def test_refs_as_customers_type_them(self):
        # Spaced, dotted, in Persian or Arabic-Indic digits, the letter spelt in Persian.
        for text in (
            "S 00044",
            "s 00044",
            "S  00044",
            "S.00044",
            "s_00044",
            "S ۰۰۰۴۴",
            "s ٠٠٠٤٤",
            "سفارش S ۰۰۰۴۴ کجاست",
            "سفارش اس ۰۰۰۴۴",
            "اس-00044 کی میرسه",
            "where is order S 00044?",
            "S 12345",
        ):
            with self.subTest(text=text):
                refs = extract_entities(text).order_refs
                self.assertEqual(len(refs), 1)
                self.assertEqual(ref_key(refs[0]), "S12345" if "12345" in text else "S00044")

    def test_dashed_refs_keep_the_dash_and_share_the_key(self):
        for text in ("s-00044", "S-00044", "S/00044", "s-۰۰۰۴۴"):
            with self.subTest(text=text):
                self.assertEqual(ref_key(extract_entities(text).order_ref), "S00044")

    def test_spaced_words_and_numbers_are_not_refs(self):
        for text in (
            "in 2025 I ordered",
            "at 1400 please",
            "order no 00044",
            "order 00044",
            "ref 00044",
            "I have 2 items of 1500",
            "a 12345",
            "is 00044 mine",
            "tel 021 1234",
            "x 123",
            "post 123456",
            "it's 4567",
            "it’s 4567",
        ):
            with self.subTest(text=text):
                self.assertEqual(extract_entities(text).order_refs, [])

    def test_spaced_ref_with_a_custom_pattern(self):
        extractor = EntityExtractor(order_ref_pattern=r"web\d{5}")
        self.assertEqual(extractor.extract("web 01234").order_refs, ["WEB01234"])

    def test_ref_variants_for_the_lookup(self):
        self.assertEqual(order_ref_variants("S-00044"), ["S-00044", "S00044"])
        self.assertEqual(order_ref_variants("ts104233"), ["TS104233", "TS-104233"])
        self.assertEqual(order_ref_variants("S00044"), ["S00044", "S-00044"])
        self.assertEqual(order_ref_variants(""), [])


class TestMobiles(unittest.TestCase):
    def test_forms_inside_sentences(self):
        for text in (
            "با شماره ۰۹۱۲-۳۴۵-۶۷۸۹ خرید کردم",
            "سفارشای من با این شماره: 0912 345 6789",
            "I used my number +98 912 345 6789 at checkout",
            "(0912) 345 67 89",
            "00989123456789",
            "989123456789",
            "9123456789",
            "٠٩١٢٣٤٥٦٧٨٩",
        ):
            with self.subTest(text=text):
                ents = extract_entities(text)
                self.assertEqual(ents.mobiles, ["+989123456789"])
                self.assertEqual(ents.tracking_codes, [])
                self.assertEqual(ents.order_refs, [])

    def test_landline_is_neither_mobile_nor_tracking_code(self):
        ents = extract_entities("tel 02112345678")
        self.assertEqual(ents.mobiles, [])
        self.assertEqual(ents.tracking_codes, [])

    def test_mobile_next_to_ref(self):
        ents = extract_entities("S00042 09121234567")
        self.assertEqual(ents.order_refs, ["S00042"])
        self.assertEqual(ents.mobiles, ["+989121234567"])


class TestTrackingCodes(unittest.TestCase):
    def test_kinds_of_codes(self):
        cases = {
            "کد رهگیری پستی 123456789012345678901234": "123456789012345678901234",
            "شماره بارنامه تیپاکس 1234567890": "1234567890",
            "tipax 12345678901234": "12345678901234",
            "مرسوله‌ی TRK-88392011 تو چه وضعیتیه": "TRK-88392011",
            "trk88392011": "TRK88392011",
            "can you track RR123456789IR for me": "RR123456789IR",
            "کد ۱۲۳۴۵۶۷۸۹۰۱۲۳": "1234567890123",
            "can you track 152400001234 for me": "152400001234",
            "where is SIM-68CB4C0F96": "SIM-68CB4C0F96",
            "مرسوله sim-dly-00a1b2c3": "SIM-DLY-00A1B2C3",
        }
        for text, code in cases.items():
            with self.subTest(text=text):
                ents = extract_entities(text)
                self.assertEqual(ents.tracking_codes, [code])
                self.assertEqual(ents.order_refs, [])
                self.assertEqual(ents.mobiles, [])

    def test_a_mobile_is_not_a_tracking_code(self):
        self.assertEqual(extract_entities("09121234567").tracking_codes, [])
        self.assertEqual(extract_entities("9121234567").tracking_codes, [])

    def test_short_numbers_are_not_tracking_codes(self):
        self.assertEqual(extract_entities("123456789").tracking_codes, [])


class TestCities(unittest.TestCase):
    def test_prepositions_spaced_and_attached(self):
        for text, city in (
            ("به تهران ارسال دارین؟", 1),
            ("برای شیراز چقدره", 2),
            ("بتهران میفرستید", 1),
            ("به" + "\u200c" + "تهران", 1),
            ("ارسال به بندرعباس", 3),
            ("ارسال به بندر عباس", 3),
            ("do you ship to shiraz?", 2),
            ("How long to BANDAR ABBAS", 3),
        ):
            with self.subTest(text=text):
                self.assertEqual(extract_entities(text, cities=CITIES).city_ids, [city])

    def test_arabic_letters_in_city_names(self):
        text = "به " + ARABIC_KAF + "رمان"
        self.assertEqual(extract_entities(text, cities=CITIES).city_ids, [4])

    def test_city_inside_another_word_is_not_a_city(self):
        self.assertEqual(extract_entities("قمقمه", cities=CITIES).city_ids, [])
        self.assertEqual(extract_entities("Tehranian", cities=CITIES).city_ids, [])

    def test_no_city_list_no_cities(self):
        self.assertEqual(extract_entities("به تهران").city_ids, [])


class TestExpectedCodes(unittest.TestCase):
    def test_otp_only_when_expected(self):
        self.assertIsNone(extract_entities("123456").otp)
        self.assertEqual(extract_entities("123456", expect_otp=True).otp, "123456")
        self.assertEqual(extract_entities("کد ۱۲۳۴۵۶ هست", expect_otp=True).otp, "123456")
        self.assertEqual(extract_entities("123 456", expect_otp=True).otp, "123456")
        self.assertIsNone(extract_entities("1234567", expect_otp=True).otp)
        self.assertIsNone(extract_entities("12345", expect_otp=True).otp)

    def test_last4_only_when_expected(self):
        self.assertIsNone(extract_entities("4567").last4)
        self.assertEqual(extract_entities("۴۵۶۷", expect_last4=True).last4, "4567")
        self.assertEqual(extract_entities("S00042 4567", expect_last4=True).last4, "4567")
        # A masked number as we display it: the end counts, not the operator prefix.
        self.assertEqual(extract_entities("0912***4567", expect_last4=True).last4, "4567")
        self.assertIsNone(extract_entities("S00042", expect_last4=True).last4)


class TestGarbage(unittest.TestCase):
    def test_noise_gives_no_entities_quickly(self):
        for text in (
            None,
            "",
            "🙏🙏🙏",
            "a" * 5000,
            "1" * 5000,
            "<script>alert('S00042')</script>",
            "'; DROP TABLE sale_order; --",
        ):
            with self.subTest(text=(text or "")[:20]):
                start = time.monotonic()
                ents = extract_entities(text, cities=CITIES, expect_otp=True, expect_last4=True)
                self.assertLess(time.monotonic() - start, 1.0)
                self.assertEqual(ents.mobiles, [])
                self.assertEqual(ents.city_ids, [])
        self.assertEqual(extract_entities("a" * 5000).order_refs, [])
        self.assertEqual(extract_entities(None).order_refs, [])


if __name__ == "__main__":
    unittest.main()
