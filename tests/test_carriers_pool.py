"""Concurrent fetching: per-carrier caps, total cap, hanging and junk carriers."""

import threading
import time
import unittest
from datetime import datetime, timezone

from ..carriers import base
from ..carriers.aftership import AfterShipClient
from ..carriers.pool import fetch_many
from ..carriers.simulated import SimulatedClient
from ..exceptions import InvalidResponseError, RetryableError, TrackingError
from .test_carriers_support import LocalServer


class CountingClient(base.CarrierClient):
    """Records how many of its fetches run at the same time."""

    batch_size = 1

    def __init__(self, name, delay=0.05, shared=None, batch_size=1):
        self.name, self.delay, self.batch_size = name, delay, batch_size
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0
        self.chunks = []
        self.shared = shared

    def _enter(self, counter):
        with counter.lock:
            counter.in_flight += 1
            counter.max_in_flight = max(counter.max_in_flight, counter.in_flight)

    def _leave(self, counter):
        with counter.lock:
            counter.in_flight -= 1

    def _fetch_batch(self, codes):
        counters = [self] + ([self.shared] if self.shared else [])
        for counter in counters:
            self._enter(counter)
        with self.lock:
            self.chunks.append(list(codes))
        time.sleep(self.delay)
        for counter in counters:
            self._leave(counter)
        return {c: base.TrackingResult.from_events(c, []) for c in codes}


class Shared:
    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0


class HangingClient(base.CarrierClient):
    """Never answers until released (a carrier keeping connections open)."""

    name = "hanging"

    def __init__(self):
        self.release = threading.Event()
        self.calls = 0

    def _fetch_batch(self, codes):
        self.calls += 1
        self.release.wait(10)
        return {c: base.TrackingResult.from_events(c, []) for c in codes}


class JunkClient(base.CarrierClient):
    name = "junk"

    def _fetch_batch(self, codes):
        raise InvalidResponseError("junk: html page", carrier=self.name)


class BuggyClient(base.CarrierClient):
    name = "buggy"

    def fetch(self, codes):
        raise KeyError("bug")

    def _fetch_batch(self, codes):
        return {}


class TestPool(unittest.TestCase):
    def test_per_carrier_concurrency_is_capped(self):
        client = CountingClient("a")
        results = fetch_many(
            [(client, [f"C{i}" for i in range(20)])],
            max_workers_per_carrier=3,
            total_workers=16,
            per_request_timeout=5,
        )
        self.assertEqual(client.max_in_flight, 3)
        self.assertEqual(len(results), 20)
        self.assertTrue(all(isinstance(r, base.TrackingResult) for r in results.values()))
        self.assertEqual(set(results), {("a", f"C{i}") for i in range(20)})

    def test_total_workers_cap_across_carriers(self):
        shared = Shared()
        clients = [CountingClient(n, shared=shared) for n in ("a", "b", "c")]
        fetch_many(
            {c: [f"{c.name}{i}" for i in range(8)] for c in clients},
            max_workers_per_carrier=4,
            total_workers=5,
            per_request_timeout=5,
        )
        self.assertEqual(shared.max_in_flight, 5)
        self.assertTrue(all(c.max_in_flight <= 4 for c in clients))

    def test_codes_are_chunked_by_batch_size(self):
        client = CountingClient("a", delay=0, batch_size=4)
        fetch_many([(client, [f"C{i}" for i in range(10)] + ["C1", " "])], per_request_timeout=5)
        self.assertEqual(sorted(len(c) for c in client.chunks), [2, 4, 4])

    def test_hanging_carrier_does_not_delay_the_others(self):
        hanging, quick = HangingClient(), CountingClient("quick", delay=0.01)
        self.addCleanup(hanging.release.set)
        started = time.monotonic()
        results = fetch_many(
            [(hanging, [f"H{i}" for i in range(10)]), (quick, [f"Q{i}" for i in range(10)])],
            max_workers_per_carrier=2,
            total_workers=4,
            per_request_timeout=0.3,
        )
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 1.0)
        for i in range(10):
            self.assertIsInstance(results[("quick", f"Q{i}")], base.TrackingResult)
            error = results[("hanging", f"H{i}")]
            self.assertIsInstance(error, RetryableError)
            self.assertEqual(error.tracking_code, f"H{i}")
        # Queued chunks of the unresponsive carrier failed fast, not one timeout each.
        self.assertEqual(hanging.calls, 2)
        messages = [str(results[("hanging", f"H{i}")]) for i in range(10)]
        self.assertEqual(sum("timed out after 0.3s" in m for m in messages), 2)
        self.assertEqual(sum("did not answer in time" in m for m in messages), 8)

    def test_junk_and_buggy_carriers_do_not_spoil_other_results(self):
        good = CountingClient("good", delay=0)
        results = fetch_many(
            [(JunkClient(), ["J1"]), (BuggyClient(), ["B1"]), (good, ["G1"])], per_request_timeout=5
        )
        self.assertIsInstance(results[("junk", "J1")], InvalidResponseError)
        self.assertIsInstance(results[("buggy", "B1")], TrackingError)
        self.assertIsInstance(results[("good", "G1")], base.TrackingResult)

    def test_real_http_timeout_is_isolated(self):
        now = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)
        simulated = SimulatedClient(clock=lambda: now)
        with LocalServer(delay=2.0) as server:
            slow = AfterShipClient("as_key_for_pool_test", base_url=server.url, timeout=(0.5, 0.3))
            started = time.monotonic()
            results = fetch_many(
                {slow: ["1Z9"], simulated: ["ORD-1", "ORD-2"]}, per_request_timeout=5
            )
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, 1.5)
        self.assertIsInstance(results[("aftership", "1Z9")], RetryableError)
        self.assertIsInstance(results[("simulated", "ORD-1")], base.TrackingResult)

    def test_invalid_arguments(self):
        with self.assertRaises(ValueError):
            fetch_many([], max_workers_per_carrier=0)
        with self.assertRaises(ValueError):
            fetch_many([(CountingClient("x"), ["A"]), (CountingClient("x"), ["B"])])
        self.assertEqual(fetch_many([]), {})
