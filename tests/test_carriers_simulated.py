"""Simulated carrier: deterministic progression over time and each exception scenario."""

import unittest
from datetime import date, datetime, timedelta, timezone

from ..carriers import base, persian
from ..carriers.simulated import SimulatedClient, build_route
from ..carriers.timeparse import TEHRAN
from ..exceptions import TrackingNotFoundError

HANDED_OVER = datetime(2025, 5, 1, 5, 0, tzinfo=timezone.utc)
ORDER = {
    s: i
    for i, s in enumerate(
        (base.INFO_RECEIVED, base.IN_TRANSIT, base.OUT_FOR_DELIVERY, base.DELIVERED)
    )
}


def at(hours):
    return HANDED_OVER + timedelta(hours=hours)


class TestSimulatedCarrier(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.client = SimulatedClient(clock=lambda: at(1000))

    def track(self, code, hours):
        return self.client.fetch({code: HANDED_OVER}, now=at(hours))[code]

    def test_normal_shipment_progresses_to_delivered(self):
        seen = []
        for hours in range(0, 120, 2):
            status = self.track("ORD-1001", hours + 0.01).status
            if not seen or seen[-1] != status:
                seen.append(status)
        self.assertEqual(
            seen, [base.INFO_RECEIVED, base.IN_TRANSIT, base.OUT_FOR_DELIVERY, base.DELIVERED]
        )
        final = self.track("ORD-1001", 200)
        self.assertIsNone(final.exception_hint)
        self.assertTrue(any("مرکز مبادلات" in e.raw_text for e in final.events))
        self.assertTrue(all(e.occurred_at <= at(200) for e in final.events))

    def test_status_never_goes_backwards_for_normal_codes(self):
        for code in ("A-1", "B-22", "C-333", "SIM-XYZ-4"):
            last = 0
            for hours in range(0, 100, 3):
                rank = ORDER[self.track(code, hours).status]
                self.assertGreaterEqual(rank, last, code)
                last = rank

    def test_every_route_uses_the_tehran_exchange_centre(self):
        through = 0
        for i in range(30):
            steps, _ = build_route(f"ORD-{i}")
            texts = [text for _h, _s, _sub, text, _loc in steps]
            self.assertIn("ورود به مرکز مبادلات تهران", texts)
            origin, destination = steps[0][4], steps[-1][4]
            self.assertNotEqual(origin, destination)
            if "تهران" not in (origin, destination):
                through += 1
                self.assertIn("خروج از مرکز مبادلات تهران", texts)
        self.assertGreater(through, 0)

    def test_deterministic_per_code_and_different_between_codes(self):
        first = self.track("ORD-1001", 40)
        again = SimulatedClient().fetch({"ORD-1001": HANDED_OVER}, now=at(40))["ORD-1001"]
        self.assertEqual(first, again)
        routes = {tuple(t for _h, _s, _sub, t, _l in build_route(f"ORD-{i}")[0]) for i in range(20)}
        self.assertGreater(len(routes), 10)

    def test_before_hand_over_nothing_is_visible(self):
        result = self.track("ORD-1001", -1)
        self.assertEqual(result.status, base.PENDING)
        self.assertEqual(result.events, [])

    def test_eta_is_the_planned_tehran_date(self):
        result = self.track("ORD-1001", 1)
        planned_hour = build_route("ORD-1001")[1]
        self.assertEqual(result.eta, at(planned_hour).astimezone(TEHRAN).date())
        self.assertIsInstance(result.eta, date)

    def test_scenarios_raise_their_exception_hint_late_but_not_early(self):
        expected = {
            "SIM-DLY-1": (base.EXCEPTION, base.HINT_DELAYED),
            "SIM-RTS-1": (base.EXCEPTION, base.HINT_RETURNED),
            "SIM-LOST-1": (base.EXCEPTION, base.HINT_LOST),
            "SIM-ADDR-1": (base.EXCEPTION, base.HINT_ADDRESS),
            "SIM-DMG-1": (base.EXCEPTION, base.HINT_DAMAGED),
            "sim-dly-lower": (base.EXCEPTION, base.HINT_DELAYED),
        }
        for code, (status, hint) in expected.items():
            with self.subTest(code=code):
                early = self.track(code, 1)
                self.assertIsNone(early.exception_hint)
                late = self.track(code, 24 * 10)
                self.assertEqual((late.status, late.exception_hint), (status, hint))

    def test_delayed_shipment_goes_stale_after_the_notice(self):
        late = self.track("SIM-DLY-7", 24 * 10)
        later = self.track("SIM-DLY-7", 24 * 30)
        self.assertEqual(late.events, later.events)
        self.assertLess(late.eta, at(24 * 10).date())

    def test_failed_attempt_then_delivered(self):
        steps, _ = build_route("SIM-FAIL-1")
        fail_hour = next(h for h, s, *_ in steps if s == base.ATTEMPT_FAIL)
        during = self.track("SIM-FAIL-1", fail_hour + 0.1)
        self.assertEqual(during.status, base.ATTEMPT_FAIL)
        self.assertEqual(during.exception_hint, base.HINT_FAILED_ATTEMPT)
        after = self.track("SIM-FAIL-1", 24 * 10)
        self.assertEqual(after.status, base.DELIVERED)
        self.assertIsNone(after.exception_hint)

    def test_returned_to_sender_passes_through_two_attempts(self):
        result = self.track("SIM-RTS-1", 24 * 10)
        statuses = [e.status for e in result.events]
        self.assertEqual(statuses.count(base.ATTEMPT_FAIL), 2)
        self.assertEqual(result.events[0].raw_text, "مرسوله به فرستنده تحویل شد")

    def test_lost_goes_silent_before_being_declared(self):
        steps, _ = build_route("SIM-LOST-1")
        lost_hour = steps[-1][0]
        silent = self.track("SIM-LOST-1", lost_hour - 1)
        self.assertEqual(silent.status, base.IN_TRANSIT)
        self.assertAlmostEqual(lost_hour - steps[-2][0], 96)

    def test_not_found_prefix(self):
        error = self.track("SIM-404-1", 10)
        self.assertIsInstance(error, TrackingNotFoundError)

    def test_texts_agree_with_the_persian_classifier(self):
        for code in (
            "ORD-1",
            "SIM-DLY-1",
            "SIM-RTS-1",
            "SIM-LOST-1",
            "SIM-ADDR-1",
            "SIM-FAIL-1",
            "SIM-DMG-1",
        ):
            for _hour, status, _sub, text, _loc in build_route(code)[0]:
                with self.subTest(text=text):
                    self.assertEqual(persian.classify(text).status, status)

    def test_clock_and_handover_sources(self):
        client = SimulatedClient(clock=lambda: at(100), handed_over_at={"ORD-9": HANDED_OVER})
        self.assertEqual(client.fetch(["ORD-9"])["ORD-9"].status, base.DELIVERED)
        by_callable = SimulatedClient(
            clock=lambda: at(0.5), handed_over_at=lambda code: HANDED_OVER
        )
        self.assertEqual(by_callable.fetch(["ORD-9"])["ORD-9"].status, base.INFO_RECEIVED)
        default = SimulatedClient(clock=lambda: datetime(2025, 5, 1, 4, 0, tzinfo=timezone.utc))
        self.assertIsInstance(default.fetch(["ORD-9"])["ORD-9"], base.TrackingResult)

    def test_naive_times_are_refused(self):
        with self.assertRaises(ValueError):
            self.client.fetch({"ORD-1": datetime(2025, 5, 1)}, now=at(1))
