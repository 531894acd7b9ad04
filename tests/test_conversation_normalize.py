"""Unit tests of conversation/normalize.py: Persian text, Iranian mobiles, masking, language."""

import unittest

from ..conversation.normalize import (
    detect_language,
    mask_code,
    mask_mobile,
    mask_url,
    normalize_digits,
    normalize_mobile,
    normalize_text,
    persian_digits,
    phrase_regex,
)

ZWNJ = "\u200c"
ARABIC_YEH = "\u064a"
ARABIC_KAF = "\u0643"


class TestNormalizeText(unittest.TestCase):
    def test_persian_and_arabic_indic_digits_become_ascii(self):
        self.assertEqual(normalize_text("S۰۰۰۴۲"), "s00042")
        self.assertEqual(normalize_text("٠٩١٢٣٤٥٦٧٨٩"), "09123456789")
        self.assertEqual(normalize_digits("۱۲۳ abc ٤٥٦"), "123 abc 456")

    def test_persian_digits_for_replies_round_trip(self):
        self.assertEqual(persian_digits(2025), "۲۰۲۵")
        self.assertEqual(persian_digits("S00042 at 12:30"), "S۰۰۰۴۲ at ۱۲:۳۰")
        self.assertEqual(normalize_digits(persian_digits("0123456789")), "0123456789")

    def test_arabic_letters_become_persian(self):
        # كيف -> کیف; the Arabic and Persian forms must normalise to the same string.
        arabic = "سفارش " + ARABIC_KAF + "ج" + "ا" + "ست " + "مرس" + ARABIC_YEH
        self.assertEqual(normalize_text(arabic), normalize_text("سفارش کجاست مرسی"))
        self.assertEqual(normalize_text("\u0649"), "ی")  # alef maksura
        self.assertEqual(normalize_text("\u0629"), "ه")  # teh marbuta
        self.assertEqual(normalize_text("\u0624"), "و")  # waw with hamza
        self.assertEqual(normalize_text("\u0623\u0625"), "اا")  # alef with hamza

    def test_madda_is_folded_for_matching(self):
        self.assertEqual(normalize_text("آپدیت"), normalize_text("اپدیت"))

    def test_tatweel_and_diacritics_are_removed(self):
        self.assertEqual(normalize_text("ســـلام"), "سلام")
        self.assertEqual(normalize_text("سَلامٌ"), "سلام")

    def test_zwnj_becomes_a_space_and_whitespace_collapses(self):
        self.assertEqual(normalize_text("می" + ZWNJ + "رسه"), "می رسه")
        self.assertEqual(normalize_text("  سفارش \t\n  من  "), "سفارش من")
        # Direction marks and zero-width joiners copied from other apps vanish.
        self.assertEqual(normalize_text("\u200fS00042\u200e\u200d"), "s00042")

    def test_latin_is_casefolded(self):
        self.assertEqual(normalize_text("Where IS My ORDER"), "where is my order")

    def test_empty_and_none(self):
        self.assertEqual(normalize_text(None), "")
        self.assertEqual(normalize_text(""), "")
        self.assertEqual(normalize_text("   "), "")

    def test_punctuation_is_mapped(self):
        self.assertEqual(normalize_text("کجاست؟"), "کجاست?")


class TestPhraseRegex(unittest.TestCase):
    def test_zwnj_space_and_joined_spellings_all_match(self):
        regex = phrase_regex("می رسه")
        for text in ("کی می" + ZWNJ + "رسه", "کی می رسه", "کی میرسه"):
            with self.subTest(text=text):
                self.assertTrue(regex.search(normalize_text(text)))

    def test_word_start_is_required(self):
        self.assertFalse(phrase_regex("می رسه").search(normalize_text("نمیرسه")))

    def test_star_allows_suffixes_and_no_star_does_not(self):
        self.assertTrue(phrase_regex("سفارش*").search(normalize_text("سفارشم")))
        self.assertFalse(phrase_regex("بای").search(normalize_text("باید")))
        self.assertTrue(phrase_regex("بای").search(normalize_text("مرسی بای")))

    def test_arabic_letters_in_text_match_persian_phrases(self):
        text = "مرس" + ARABIC_YEH + " " + ARABIC_KAF + "نسل"
        self.assertTrue(phrase_regex("مرسی").search(normalize_text(text)))
        self.assertTrue(phrase_regex("کنسل*").search(normalize_text(text)))


class TestNormalizeMobile(unittest.TestCase):
    def test_accepted_forms(self):
        forms = [
            "09121234567",
            "+989121234567",
            "00989121234567",
            "989121234567",
            "9121234567",
            "0912 123 4567",
            "0912-123-4567",
            "(0912) 123 45 67",
            "+98 (912) 123-4567",
            "۰۹۱۲۱۲۳۴۵۶۷",
            "۰۹۱۲-۱۲۳-۴۵۶۷",
            "٠٩١٢١٢٣٤٥٦٧",
        ]
        for form in forms:
            with self.subTest(form=form):
                self.assertEqual(normalize_mobile(form), "+989121234567")

    def test_other_operators(self):
        self.assertEqual(normalize_mobile("09351234567"), "+989351234567")
        self.assertEqual(normalize_mobile("09011234567"), "+989011234567")
        self.assertEqual(normalize_mobile("09901234567"), "+989901234567")

    def test_rejects_landlines_foreign_and_garbage(self):
        for value in (
            "02112345678",  # Tehran landline
            "+982112345678",
            "+14155552671",  # US number
            "0912123456",  # one digit short
            "091212345678",  # one digit too many
            "09411234567",  # no such mobile range
            "hello",
            "",
            None,
            "1" * 40,
        ):
            with self.subTest(value=value):
                self.assertIsNone(normalize_mobile(value))


class TestMasking(unittest.TestCase):
    def test_mask_mobile_keeps_first_and_last_four(self):
        self.assertEqual(mask_mobile("+989121234567"), "0912***4567")
        self.assertEqual(mask_mobile("09121234567"), "0912***4567")
        self.assertEqual(mask_mobile("۰۹۳۵ ۱۱۱ ۲۲۳۳"), "0935***2233")

    def test_mask_mobile_never_echoes_what_it_cannot_parse(self):
        self.assertEqual(mask_mobile("021-12345678"), "***")
        self.assertEqual(mask_mobile(None), "***")

    def test_mask_code_shows_at_most_half(self):
        for code in ("TRK-88392011", "123456789012345678901234", "1234567890", "RR123456789IR"):
            with self.subTest(code=code):
                masked = mask_code(code)
                visible = masked.replace("…", "")
                chars = code.replace("-", "")
                self.assertIn("…", masked)
                self.assertLessEqual(len(visible), len(chars) // 2)
                self.assertTrue(chars.startswith(masked.split("…")[0]))
                self.assertTrue(chars.endswith(masked.split("…")[1]))
        self.assertEqual(mask_code("TRK-88392011"), "TRK…11")

    def test_mask_code_short_and_empty(self):
        self.assertEqual(mask_code("A"), "…")
        self.assertEqual(mask_code(""), "…")
        self.assertEqual(mask_code(None), "…")

    def test_mask_url_drops_tokens_and_shortens_codes(self):
        self.assertEqual(
            mask_url("https://shop.ir/my/invoices/12?access_token=abc-123#x"),
            "https://shop.ir/my/invoices/12",
        )
        self.assertEqual(
            mask_url("https://post.ir/track?code=TRK88392011"), "https://post.ir/track"
        )
        self.assertEqual(
            mask_url("https://tipax.ir/track/TRK88392011/info", ["TRK88392011"]),
            "https://tipax.ir/track/TRK…11/info",
        )
        # A code-like path segment is shortened even when the code is not known.
        self.assertEqual(mask_url("https://c.ir/t/0123456789012"), "https://c.ir/t/012…012")
        self.assertEqual(mask_url(None), "")


class TestDetectLanguage(unittest.TestCase):
    def test_persian(self):
        self.assertEqual(detect_language("بسته من کجاست؟"), "fa_IR")

    def test_english(self):
        self.assertEqual(detect_language("where is my order", default="fa_IR"), "en_US")

    def test_persian_sentence_with_latin_order_code(self):
        self.assertEqual(detect_language("سفارش S00042 کجاست", default="en_US"), "fa_IR")

    def test_english_sentence_with_code(self):
        self.assertEqual(detect_language("order S00042 tracking", default="fa_IR"), "en_US")

    def test_codes_and_digits_alone_give_the_default(self):
        self.assertEqual(detect_language("S00042", default="en_US"), "en_US")
        self.assertEqual(detect_language("TRK-88392011", default="fa_IR"), "fa_IR")
        self.assertEqual(detect_language("۰۹۱۲۱۲۳۴۵۶۷", default="en_US"), "en_US")
        self.assertEqual(detect_language("🙏", default="fa_IR"), "fa_IR")
        self.assertEqual(detect_language("", default="en_US"), "en_US")

    def test_arabic_letters_count_as_persian(self):
        self.assertEqual(detect_language("مرس" + ARABIC_YEH, default="en_US"), "fa_IR")


if __name__ == "__main__":
    unittest.main()
