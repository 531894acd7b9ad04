"""Unit tests of conversation/intents.py: every intent in Persian and English, spelling variants,
entities that decide the intent, and the precedence of sensitive requests."""

import unittest

from ..conversation import intents as I
from ..conversation.entities import EntityExtractor

ZWNJ = "\u200c"
CITIES = [(1, "تهران", "Tehran"), (2, "شیراز", "Shiraz"), (3, "بندر عباس", "Bandar Abbas")]
EXTRACTOR = EntityExtractor(CITIES)


def arabic_letters(text):
    """The same text typed on an Arabic keyboard: ي for ی and ك for ک."""
    return text.replace("ی", "\u064a").replace("ک", "\u0643")


def spellings(text):
    """A phrase written with ZWNJ, with a space instead, with nothing, and with Arabic letters."""
    variants = [text, text.replace(ZWNJ, " "), text.replace(ZWNJ, ""), arabic_letters(text)]
    return list(dict.fromkeys(variants))


def classify(text):
    return I.classify(text, EXTRACTOR.extract(text))


# intent -> (Persian phrasings, English phrasings); Persian ones are also tried in every spelling.
PHRASES = {
    I.TRACK_ORDER: (
        ["بسته من کجاست؟", "سفارشمو کی تحویل پیک می‌دین", "سفارشم کی می‌رسه", "وضعیت سفارشم"],
        ["where is my order", "what's the status of my order", "when will my order arrive"],
    ),
    I.TRACK_MOBILE: (
        ["با شماره موبایلم پیگیری کنید", "با شماره تلفن خرید کردم"],
        ["track with my phone number", "can I use my mobile number"],
    ),
    I.TRACK_CODE: (
        ["کد رهگیری پستی دارم", "شماره بارنامه تیپاکس"],
        ["I have a tracking number", "can you track this"],
    ),
    I.WHERE_IS_TRACKING_CODE: (
        ["کد رهگیری برام پیامک نشد", "کد رهگیری کو؟", "کد رهگیری نیومد هنوز"],
        ["where is my tracking code", "I didn't get a tracking number"],
    ),
    I.WHY_NO_UPDATE: (
        ["چرا وضعیت آپدیت نمی‌شه", "از دیروز وضعیت «تحویل به مرکز مبادلات» مونده", "تغییر نکرده"],
        ["it says in transit since Monday", "the status is stuck", "tracking not updated"],
    ),
    I.DELAY_COMPLAINT: (
        ["چرا اینقدر طول کشیده؟", "یه هفته‌ست منتظرم", "هنوز نرسیده", "قرار بود سه روزه برسه"],
        ["why is it taking so long", "I've been waiting for a week", "my parcel is late"],
    ),
    I.PRE_PURCHASE_TIME: (
        ["چند روزه می‌رسه؟", "ارسال به تهران چقدر طول می‌کشه؟"],
        ["how long does delivery to Shiraz take", "how many days for shipping"],
    ),
    I.PRE_PURCHASE_COVERAGE: (
        ["به شیراز ارسال دارین؟", "به بندرعباس هم می‌فرستید؟"],
        ["do you ship to Tehran?", "do you deliver to Bandar Abbas"],
    ),
    I.PRE_PURCHASE_COST: (
        ["هزینه ارسال چقدره", "ارسال رایگان دارید؟", "هزینه پست پیشتاز به تهران"],
        ["how much is shipping", "is there free shipping", "delivery fee to Shiraz"],
    ),
    I.PRE_PURCHASE_METHODS: (
        [
            "پیک موتوری برای تهران هست؟",
            "روش‌های ارسال چیه",
            "چه روش‌های ارسالی دارید؟",
            "با چی ارسال می‌کنید",
            "با چی می‌فرستین؟",
            "از چه طریقی ارسال میشه",
            "نحوه ارسال‌تون چطوریه",
            "با تیپاکس می‌فرستید؟",
            "تیپاکس دارید؟",
            "با پست پیشتاز ارسال می‌کنین یا پیک؟",
            "کدوم شرکت حمل ارسال می‌کنه",
        ],
        [
            "what shipping methods do you have",
            "what shipping methods do you have?",
            "do you have same day delivery",
            "do you ship with Tipax or Post?",
            "how do you ship?",
            "which couriers do you use",
            "what are your delivery options",
            "can you send it with Chapar",
        ],
    ),
    I.PAYMENT_STATUS: (
        ["پول از حسابم رفته ولی سفارش ثبت نشده", "کد پیگیری پرداخت چیه", "پرداخت کردم ولی"],
        ["I paid but the order says unpaid", "I was charged twice"],
    ),
    I.INVOICE: (
        ["فاکتور رسمی می‌خوام", "صورتحساب سفارش"],
        ["I need an invoice", "can I get a receipt"],
    ),
    I.CHANGE_ADDRESS: (
        ["آدرس رو اشتباه زدم، پلاک عوض شده", "میشه به جای خونه بفرستید محل کار؟"],
        ["change my address please", "I gave the wrong address"],
    ),
    I.RETURN_REQUEST: (
        ["کالا آسیب دیده رسیده می‌خوام پس بدم", "می‌خوام مرجوع کنم"],
        ["I want to return this", "the item arrived broken, I want a refund"],
    ),
    I.CANCEL_ORDER: (
        ["سفارش رو نمی‌خوام دیگه، کنسلش کنید", "لطفا سفارشم رو لغو کنید"],
        ["please cancel my order", "I don't want it anymore"],
    ),
    I.HUMAN: (
        ["میشه با یه کارشناس حرف بزنم", "اپراتور لطفا"],
        ["I want to speak to someone", "can I talk to a human"],
    ),
    I.THANKS: (
        ["مرسی، لطف کردین", "ممنونم"],
        ["thanks a lot", "thank you"],
    ),
    I.BYE: (
        ["خداحافظ", "فعلا بای"],
        ["bye", "goodbye"],
    ),
    I.GREETING: (
        ["سلام", "سلام وقت بخیر"],
        ["hello", "hi there"],
    ),
}


class TestEveryIntent(unittest.TestCase):
    def test_every_intent_but_unknown_has_phrases(self):
        self.assertEqual(set(PHRASES), set(I.ALL_INTENTS) - {I.UNKNOWN})

    def test_persian_phrasings_in_every_spelling(self):
        for intent, (persian, _english) in PHRASES.items():
            for phrase in persian:
                for text in spellings(phrase):
                    with self.subTest(intent=intent, text=text):
                        self.assertEqual(classify(text).intent, intent)

    def test_english_phrasings(self):
        for intent, (_persian, english) in PHRASES.items():
            for text in english + [e.upper() for e in english]:
                with self.subTest(intent=intent, text=text):
                    self.assertEqual(classify(text).intent, intent)

    def test_zwnj_space_and_joined_verbs(self):
        for text in ("کی می\u200cرسه", "کی می رسه", "کی میرسه"):
            with self.subTest(text=text):
                self.assertEqual(classify(text).intent, I.TRACK_ORDER)

    def test_score_and_ranking(self):
        result = classify("فاکتور رسمی می‌خوام")
        self.assertEqual(result.ranking[0], (I.INVOICE, result.score))
        self.assertGreater(result.score, 0.5)
        self.assertLessEqual(result.score, 1.0)


class TestEntitiesDecide(unittest.TestCase):
    def test_bare_order_ref(self):
        for text in ("S00042", "s00042", "S۰۰۰۴۲", "TS-104233"):
            with self.subTest(text=text):
                result = classify(text)
                self.assertEqual(result.intent, I.TRACK_ORDER)
                self.assertGreaterEqual(result.score, I.ENTITY_SCORE)

    def test_bare_mobile(self):
        for text in ("09121234567", "۰۹۱۲-۱۲۳-۴۵۶۷", "+98 912 123 4567"):
            with self.subTest(text=text):
                self.assertEqual(classify(text).intent, I.TRACK_MOBILE)

    def test_bare_tracking_code(self):
        for text in ("TRK-88392011", "123456789012345678901234", "RR123456789IR"):
            with self.subTest(text=text):
                self.assertEqual(classify(text).intent, I.TRACK_CODE)

    def test_order_question_with_ref_keeps_the_ref(self):
        result = classify("سفارش S00042 من کجاست")
        self.assertEqual(result.intent, I.TRACK_ORDER)
        self.assertEqual(result.entities.order_ref, "S00042")
        result = classify("سفارش S۰۰۰۴۲ کی به دستم میرسه")
        self.assertEqual(result.intent, I.TRACK_ORDER)
        self.assertEqual(result.entities.order_ref, "S00042")

    def test_tracking_code_answers_where_is_my_tracking_code(self):
        self.assertEqual(classify("کد رهگیری پستی 123456789012345678901234").intent, I.TRACK_CODE)

    def test_mobile_with_order_words(self):
        result = classify("سفارشای من با این شماره: 0912 345 6789")
        self.assertEqual(result.intent, I.TRACK_MOBILE)
        self.assertEqual(result.entities.mobile, "+989123456789")

    def test_specific_question_with_ref_keeps_its_intent(self):
        self.assertEqual(classify("یه هفته‌ست منتظرم S00042").intent, I.DELAY_COMPLAINT)
        self.assertEqual(classify("فاکتور سفارش S00042").intent, I.INVOICE)
        self.assertEqual(
            classify("پرداخت S00042 ناموفق بود ولی پول کم شد").intent, I.PAYMENT_STATUS
        )

    def test_greeting_with_ref_is_tracking(self):
        self.assertEqual(classify("سلام، سفارش S00042").intent, I.TRACK_ORDER)
        self.assertEqual(classify("hi, any update on S00042?").intent, I.TRACK_ORDER)

    def test_existing_order_is_not_a_pre_purchase_question(self):
        self.assertEqual(classify("how long will my order take").intent, I.TRACK_ORDER)
        self.assertEqual(classify("چند روز طول میکشه S00042").intent, I.TRACK_ORDER)

    def test_bare_city_is_a_coverage_question(self):
        self.assertEqual(classify("شیراز؟").intent, I.PRE_PURCHASE_COVERAGE)

    def test_spaced_and_dashed_refs_are_tracking(self):
        for text in ("S 00044", "s-00044", "S-00044", "سفارش اس ۰۰۰۴۴", "سفارش S ۰۰۰۴۴ کجاست"):
            with self.subTest(text=text):
                result = classify(text)
                self.assertEqual(result.intent, I.TRACK_ORDER)
                self.assertGreaterEqual(result.score, I.ENTITY_SCORE)


class TestShippingMethods(unittest.TestCase):
    def test_a_carrier_with_a_city_is_still_about_that_city(self):
        self.assertEqual(classify("به شیراز ارسال دارین؟").intent, I.PRE_PURCHASE_COVERAGE)
        self.assertEqual(classify("do you ship to Shiraz?").intent, I.PRE_PURCHASE_COVERAGE)
        self.assertEqual(classify("هزینه پست پیشتاز به شیراز").intent, I.PRE_PURCHASE_COST)
        self.assertEqual(classify("how long does Tipax take to Shiraz").intent, I.PRE_PURCHASE_TIME)

    def test_methods_beat_coverage_without_a_city(self):
        for text in ("do you ship with Tipax or Post?", "با تیپاکس می‌فرستید؟", "how do you ship"):
            with self.subTest(text=text):
                scores = I.keyword_scores(text)
                self.assertIn(I.PRE_PURCHASE_COVERAGE, scores)  # "do you ship" is there too
                self.assertEqual(classify(text).intent, I.PRE_PURCHASE_METHODS)

    def test_carrier_words_in_tracking_talk_stay_tracking(self):
        self.assertEqual(classify("کد رهگیری پستی دارم").intent, I.TRACK_CODE)
        self.assertEqual(classify("شماره بارنامه تیپاکس").intent, I.TRACK_CODE)
        self.assertEqual(classify("the carrier hasn't updated S00042").intent, I.WHY_NO_UPDATE)
        self.assertEqual(classify("S00042 با تیپاکس ارسال شده؟").intent, I.TRACK_ORDER)


class TestSensitiveWins(unittest.TestCase):
    def test_sensitive_over_tracking(self):
        cases = {
            "آدرس سفارش S00042 رو عوض کنید": I.CHANGE_ADDRESS,
            "سفارش S00042 کجاست؟ می‌خوام کنسلش کنم": I.CANCEL_ORDER,
            "S00042 آسیب دیده رسید، می‌خوام پس بدم": I.RETURN_REQUEST,
            "change the address of order S00042": I.CHANGE_ADDRESS,
            "cancel S00042": I.CANCEL_ORDER,
            "TRK-88392011 arrived damaged": I.RETURN_REQUEST,
            "با شماره 09121234567 خرید کردم، آدرسم اشتباهه": I.CHANGE_ADDRESS,
        }
        for text, intent in cases.items():
            for variant in spellings(text):
                with self.subTest(text=variant):
                    result = classify(variant)
                    self.assertEqual(result.intent, intent)
                    self.assertTrue(result.is_sensitive)

    def test_sensitive_over_stronger_specific_questions(self):
        # Payment words score higher than one cancel word: the request still wins.
        self.assertEqual(
            classify("پول از حسابم رفته پرداخت کردم، سفارش رو کنسل کنید").intent, I.CANCEL_ORDER
        )
        self.assertEqual(
            classify("I paid, payment failed, money was taken, just cancel it").intent,
            I.CANCEL_ORDER,
        )

    def test_sensitive_over_human_and_thanks(self):
        self.assertEqual(classify("مرسی، فقط آدرس رو عوض کنید").intent, I.CHANGE_ADDRESS)
        self.assertEqual(classify("I want to talk to someone to cancel").intent, I.CANCEL_ORDER)


class TestNoise(unittest.TestCase):
    def test_garbage_is_unknown(self):
        for text in (
            None,
            "",
            "   ",
            "🙏",
            "😡😡😡",
            "a" * 5000,
            "<script>alert(1)</script>",
            "<b>hello</b>" * 0 + "<div></div>",
            "'; DROP TABLE sale_order; --",
            "SELECT * FROM res_partner WHERE 1=1",
            "؟؟؟",
        ):
            with self.subTest(text=(text or "")[:30]):
                result = classify(text)
                self.assertEqual(result.intent, I.UNKNOWN)
                self.assertEqual(result.score, 0.0)

    def test_persian_digits_do_not_confuse(self):
        self.assertEqual(classify("۱۲۳").intent, I.UNKNOWN)


if __name__ == "__main__":
    unittest.main()
