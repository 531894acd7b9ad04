"""Unit tests of conversation/kpi.py: what a chat counts as in the KPI reports."""

import unittest

from ..conversation.kpi import is_wismo, primary_intent, split_intents


class TestKpiDefinitions(unittest.TestCase):
    def test_primary_intent_skips_small_talk(self):
        self.assertEqual(primary_intent("greeting, thanks, track_order, human"), "track_order")
        self.assertEqual(primary_intent("human, track_order"), "human")

    def test_small_talk_only_and_nothing(self):
        self.assertEqual(primary_intent("greeting, thanks"), "greeting")
        self.assertEqual(primary_intent(""), "unknown")
        self.assertEqual(primary_intent(False), "unknown")

    def test_where_is_my_order_in_any_form(self):
        for intents in (
            "track_order",
            "greeting, track_mobile",
            "track_code",
            "where_is_tracking_code",
            "pre_purchase_cost, why_no_update",
            "delay_complaint",
        ):
            with self.subTest(intents=intents):
                self.assertTrue(is_wismo(intents))
        for intents in ("pre_purchase_cost", "change_address, human", "greeting", "", None):
            with self.subTest(intents=intents):
                self.assertFalse(is_wismo(intents))

    def test_split_tolerates_spacing(self):
        self.assertEqual(split_intents(" greeting ,track_order,, "), ["greeting", "track_order"])
