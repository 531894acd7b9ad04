"""Unit tests of conversation/faq.py: which customer wordings may reach the FAQ curators, and
the FAQ's wording of every intent."""

import unittest

from ..conversation.faq import (
    ANSWER_KINDS,
    EN,
    FA,
    FAQ_DEFAULTS,
    MIN_VISITORS_PER_PHRASING,
    frequent_phrasings,
    phrasing_key,
    public_phrasing,
)
from ..conversation.intents import ALL_INTENTS, GREETING, THANKS, UNKNOWN
from ..models.order_tracking_faq import INTENT_SELECTION

ZWNJ = "\u200c"


class TestPublicPhrasing(unittest.TestCase):
    def test_plain_questions_pass(self):
        self.assertEqual(public_phrasing("  where is   my order? "), "where is my order?")
        self.assertEqual(public_phrasing("به شیراز ارسال دارین؟"), "به شیراز ارسال دارین؟")

    def test_anything_that_may_carry_personal_data_is_dropped(self):
        for text in (
            "where is my order S00042",  # an order number
            "سفارش ۴۵۶۷ کجاست",  # Persian digits
            "سفارش ٤٥٦٧ کجاست",  # Arabic-Indic digits
            "my number is 0912***4567",  # a masked mobile
            "code TRK8…011 please",  # a shortened tracking code
            "write to sara@example.com",  # an e-mail address
            "see https://shop.example/track",  # a link
            "see www.example.ir please",
            "[Track my order]",  # a button label
        ):
            with self.subTest(text=text):
                self.assertIsNone(public_phrasing(text))

    def test_noise_is_dropped(self):
        for text in ("", None, "ok", "🙏🙏🙏", "a " * 40, 12, "?!"):
            with self.subTest(text=text):
                self.assertIsNone(public_phrasing(text))


class TestFrequentPhrasings(unittest.TestCase):
    def test_kept_only_when_enough_visitors_used_it(self):
        rows = [("do you ship to Shiraz?", visitor) for visitor in ("a", "b", "c")]
        # A name typed by two visitors: under the threshold, never shown.
        rows += [("I am Sara Ahmadi, where is it", visitor) for visitor in ("d", "e")]
        result = frequent_phrasings(rows)
        self.assertEqual(result, [("do you ship to Shiraz?", 3)])
        self.assertEqual(MIN_VISITORS_PER_PHRASING, 3)

    def test_one_visitor_repeating_itself_counts_once(self):
        rows = [("where is my parcel", "same visitor")] * 5
        self.assertEqual(frequent_phrasings(rows), [])
        self.assertEqual(frequent_phrasings(rows, min_visitors=1), [("where is my parcel", 1)])

    def test_spellings_of_one_phrasing_are_merged(self):
        rows = [
            (f"می{ZWNJ}رسه؟", 1),
            ("می رسه", 2),  # space instead of ZWNJ
            ("می\u064aرسه", 3),  # not the same words: Arabic yeh inside
            (f"می{ZWNJ}رسه؟", 4),
        ]
        self.assertEqual(phrasing_key(f"می{ZWNJ}رسه؟"), phrasing_key("می رسه"))
        result = frequent_phrasings(rows)
        # The most used spelling represents the phrasing.
        self.assertEqual(result, [(f"می{ZWNJ}رسه؟", 3)])

    def test_most_frequent_first_and_limited(self):
        rows = []
        for index, text in enumerate(["how much is shipping", "do you ship abroad", "tipax?"]):
            rows += [(text, session) for session in range(100 * index, 100 * index + 3 + index)]
        result = frequent_phrasings(rows, limit=2)
        self.assertEqual([text for text, _count in result], ["tipax?", "do you ship abroad"])
        self.assertEqual([count for _text, count in result], [5, 4])


class TestFaqDefaults(unittest.TestCase):
    def test_every_default_is_bilingual_and_of_a_known_kind(self):
        for intent, (kind, questions, answers) in FAQ_DEFAULTS.items():
            with self.subTest(intent=intent):
                self.assertIn(intent, ALL_INTENTS)
                self.assertIn(kind, ANSWER_KINDS)
                for texts in (questions, answers):
                    self.assertEqual(set(texts), {EN, FA})
                    self.assertTrue(all(texts.values()))
                # A public answer never carries digits someone could mistake for a promise.
                self.assertIsNone(next((c for c in answers[EN] if c.isdigit()), None))

    def test_small_talk_and_unknown_have_no_faq(self):
        for intent in (GREETING, THANKS, UNKNOWN):
            self.assertNotIn(intent, FAQ_DEFAULTS)


class TestIntentLabels(unittest.TestCase):
    def test_every_intent_has_a_label_for_staff(self):
        self.assertEqual([intent for intent, _label in INTENT_SELECTION], list(ALL_INTENTS))
