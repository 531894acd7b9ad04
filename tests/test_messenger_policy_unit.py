"""``Policy.handle_proven_mobile`` (a messenger contact the platform vouches for), without a
database: the same level-2 state as a correct SMS code for that mobile, and nothing more."""

from ..conversation.state import STEP_CHOOSE_ORDER, STEP_IDLE
from .test_conversation_policy import MOBILE, OTHER_MOBILE, PolicyTestCase


class TestProvenMobile(PolicyTestCase):
    def prove(self, e164, lang="en_US"):
        turn = self.policy.handle_proven_mobile(self.state, e164, lang=lang)
        self.state = turn.new_state
        return turn

    def test_lists_the_orders_of_that_mobile_only_without_any_code(self):
        turn = self.prove(MOBILE)
        self.assertEqual(self.keys(turn), ["verified_ok", "choose_order"])
        self.assertEqual(turn.level, 2)
        self.assertTrue(turn.verified)
        labels = " ".join(b.label for b in turn.buttons)
        self.assertIn("S00042", labels)
        self.assertIn("S00043", labels)
        self.assertNotIn("S00077", labels, "another mobile's order")
        self.assertEqual(self.state["verified_mobiles"], [MOBILE])
        self.assertEqual(self.state["step"], STEP_CHOOSE_ORDER)
        self.assertFalse(self.backend.called("send_otp"), "no SMS")
        self.assertFalse(self.backend.called("check_otp"))
        # Afterwards the chat behaves as after a correct SMS code: a pick shows level 2.
        picked = self.say(action="pick:S00042")
        self.assertEqual(picked.level, 2)
        self.assertIn("TRK-88392011", picked.text)

    def test_the_order_being_asked_about_is_shown_when_it_carries_that_mobile(self):
        self.say("where is my order S00042")  # asks for the last 4 digits
        turn = self.prove(MOBILE)
        self.assertEqual(turn.level, 2)
        self.assertEqual(turn.order.ref, "S00042")
        self.assertIn("TRK-88392011", turn.text)
        self.assertEqual(self.state["step"], STEP_IDLE)

    def test_another_mobile_does_not_unlock_the_order_asked_about(self):
        self.say("where is my order S00042")
        turn = self.prove(OTHER_MOBILE)
        # S00042 carries another mobile: only that mobile's own order is shown.
        self.assertEqual(turn.order.ref, "S00077")
        self.assertNotIn("S00042", turn.text)
        self.assertNotIn("S00042", " ".join(b.label for b in turn.buttons))
        self.assertEqual(self.state["verified_mobiles"], [OTHER_MOBILE])

    def test_a_pending_code_is_dropped_and_the_language_kept(self):
        self.say("سفارشای من با این شماره: 09121234567")  # an SMS code goes out
        self.assertTrue(self.state["otp"])
        turn = self.prove(MOBILE, lang="en_US")
        self.assertIsNone(self.state["otp"])
        self.assertEqual(turn.lang, "fa_IR", "the chat's language, not the default")
