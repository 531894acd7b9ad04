"""The tracking sync cron: due selection, batches, dedup, backoff, errors, a failing carrier."""

import time
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..bench.fake_carrier import FakeCarrierServer, postex_event
from ..models.order_tracking_sync import MAX_FAILURES
from .test_sync_support import SECRET, SyncCase


@tagged("post_install", "-at_install")
class TestSyncCron(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeCarrierServer(delay=0.0, hang=3.0, lifetime=600).start()
        cls.addClassCleanup(cls.server.stop)
        cls.postex = cls._postex_carrier(cls.server.url, ot_update_interval_hours=6)

    def setUp(self):
        super().setUp()
        self._isolate_from_demo()
        self.server.events.clear()
        self.server.reset_counters()

    def assertAlmostNow(self, value, delta, seconds=120):
        expected = fields.Datetime.now() + delta
        self.assertTrue(value, "a next check is planned")
        self.assertLess(abs((value - expected).total_seconds()), seconds, f"{value} != {expected}")

    # --- due selection and batches --------------------------------------------------------

    def test_claims_only_due_shipments_and_leases_them(self):
        now = fields.Datetime.now()
        due = self._picking(self.simulated, "SIM-DUE-1")
        webhook_carrier = self._carrier("Push only", "webhook", ot_webhook_secret="x" * 16)
        link_only = self._carrier("Link only", "none")
        not_due = [
            self._picking(self.simulated, "SIM-LATER", next_check=now + timedelta(hours=1)),
            self._picking(self.simulated, "SIM-NEVER", next_check=False),
            self._picking(self.simulated, "", next_check=now),
            self._picking(link_only, "LINK-1"),
            self._picking(webhook_carrier, "PUSH-1"),
        ]
        delivered = self._picking(self.simulated, "SIM-DONE")
        delivered.ot_carrier_status = "Delivered"
        draft = self._picking(self.simulated, "SIM-DRAFT")
        draft.state = "assigned"
        ids = self._sync_service()._ot_claim_due(100)
        self.assertEqual(ids, due.ids)
        self.assertAlmostNow(due.ot_next_check_at, timedelta(minutes=15), seconds=5)
        self.assertEqual(self._sync_service()._ot_claim_due(100), [], "claimed rows are leased")
        for picking in [*not_due, delivered, draft]:
            self.assertNotIn(picking.id, ids)

    def test_batches_report_progress_and_handle_everything(self):
        pickings = self.env["stock.picking"].browse(
            [self._picking(self.simulated, f"SIM-BATCH-{i}").id for i in range(7)]
        )
        calls = self._run_cron(batch_size=3)
        self.assertEqual([done for done, _remaining in calls if done], [3, 3, 1])
        self.assertEqual(calls[0], (0, 7), "the first report announces the whole run")
        self.assertEqual(calls[-1], (1, 0), "the last one says nothing is left")
        for picking in pickings:
            self.assertTrue(picking.ot_event_ids, picking.carrier_tracking_ref)
            self.assertGreater(picking.ot_next_check_at, fields.Datetime.now())

    def test_a_batch_is_committed_in_smaller_steps(self):
        for i in range(7):
            self._picking(self.simulated, f"SIM-STEPS-{i}")
        calls = [call for call in self._run_cron(batch_size=4, commit_size=2) if call[0]]
        self.assertEqual(calls, [(2, 5), (2, 3), (2, 1), (1, 0)])

    def test_stops_claiming_when_time_is_up(self):
        for i in range(7):
            self._picking(self.simulated, f"SIM-TIME-{i}")
        calls = self._run_cron(batch_size=3, time_left=0.0)
        self.assertEqual([done for done, _remaining in calls if done], [3])
        self.assertEqual(calls[-1], (3, 4), "what is left is reported for the next run")
        self.assertEqual(self._sync_service()._ot_count_due(), 4)

    # --- events ---------------------------------------------------------------------------

    def test_events_are_stored_once_and_forgotten_ones_kept(self):
        picking = self._picking(self.postex, "OK-DEDUP")
        first = postex_event("2025-05-01", "06:00", "ثبت مرسوله", "10", "تهران")
        second = postex_event("2025-05-01", "09:30", "ورود به مرکز مبادلات تهران", "20", "تهران")
        third = postex_event("2025-05-02", "08:00", "خروج از مرکز مبادلات تهران", "30", "تهران")
        self.server.events["OK-DEDUP"] = [first, second]
        self._run_cron()
        self.assertEqual(len(picking.ot_event_ids), 2)
        self.assertEqual(picking.ot_carrier_status, "InTransit")
        self.assertEqual(picking.delivery_state, "in_transit", "OCA's state follows ours")
        self.assertEqual(picking.ot_last_event_text, "ورود به مرکز مبادلات تهران")

        picking.ot_next_check_at = fields.Datetime.now()
        self._run_cron()
        self.assertEqual(len(picking.ot_event_ids), 2, "the same events fetched again")

        self.server.events["OK-DEDUP"] = [second, third]  # the carrier forgot the first one
        picking.ot_next_check_at = fields.Datetime.now()
        self._run_cron()
        picking.invalidate_recordset(["ot_event_ids"])
        texts = picking.ot_event_ids.mapped("raw_text")
        self.assertEqual(len(texts), 3)
        self.assertIn("ثبت مرسوله", texts, "an event the carrier forgot is kept")
        self.assertEqual(picking.ot_event_ids[0].raw_text, "خروج از مرکز مبادلات تهران")
        self.assertEqual(picking.ot_last_event_text, "خروج از مرکز مبادلات تهران")
        self.assertEqual(set(picking.ot_event_ids.mapped("source")), {"poll"})

    def test_delivery_stops_polling(self):
        picking = self._picking(self.postex, "OK-DELIVERED")
        self.server.events["OK-DELIVERED"] = [
            postex_event("2025-05-01", "06:00", "ثبت مرسوله", "10", "تهران"),
            postex_event("2025-05-02", "12:00", "تحویل گیرنده شد", "90", "شیراز"),
        ]
        self._run_cron()
        self.assertEqual(picking.ot_carrier_status, "Delivered")
        self.assertEqual(picking.delivery_state, "customer_delivered")
        self.assertEqual(str(picking.date_delivered), "2025-05-02 12:00:00")
        self.assertFalse(picking.ot_next_check_at)
        self.assertEqual(self._sync_service()._ot_count_due(), 0)

    # --- when to ask again --------------------------------------------------------------

    def test_news_brings_the_carrier_interval_and_silence_doubles_the_wait(self):
        now = fields.Datetime.now()
        picking = self._picking(self.postex, "OK-BACKOFF", handed_over=now - timedelta(hours=6))
        self._run_cron()
        self.assertAlmostNow(picking.ot_next_check_at, timedelta(hours=6))
        # Nothing new six hours after hand-over: wait twice the interval.
        picking.ot_next_check_at = fields.Datetime.now()
        self._run_cron()
        self.assertAlmostNow(picking.ot_next_check_at, timedelta(hours=12))
        self.assertEqual(len(picking.ot_event_ids), 2)

        service = self._sync_service()
        handed_over = picking.date_done
        picking.ot_last_event_at = handed_over
        waits = [
            service._ot_next_check_at(picking, False, handed_over + timedelta(hours=hours))
            - (handed_over + timedelta(hours=hours))
            for hours in (6, 18, 42, 90, 200)
        ]
        self.assertEqual(
            [wait / timedelta(hours=1) for wait in waits],
            [12, 24, 48, 48, 48],
            "each wait doubles, up to the carrier's cap (48 h)",
        )

    def test_give_up_age_stops_without_asking(self):
        old = self._picking(
            self.postex, "OK-OLD", handed_over=fields.Datetime.now() - timedelta(days=61)
        )
        self._run_cron()
        self.assertEqual(self.server.requests, 0, "no request for a shipment given up")
        self.assertFalse(old.ot_next_check_at)
        self.assertIn("60", old.ot_last_check_error)
        self.assertFalse(old.ot_event_ids)

    # --- errors ---------------------------------------------------------------------------

    def test_retryable_error_backs_off_then_stops_after_too_many(self):
        picking = self._picking(self.postex, "E500-RETRY")
        self._run_cron()
        self.assertEqual(picking.ot_check_failures, 1)
        self.assertAlmostNow(picking.ot_next_check_at, timedelta(minutes=15))
        self.assertIn("HTTP 500", picking.ot_last_check_error)
        self.assertNotIn(SECRET, picking.ot_last_check_error)

        picking.ot_next_check_at = fields.Datetime.now()
        self._run_cron()
        self.assertEqual(picking.ot_check_failures, 2)
        self.assertAlmostNow(picking.ot_next_check_at, timedelta(minutes=30))

        picking.write(
            {"ot_check_failures": MAX_FAILURES - 1, "ot_next_check_at": fields.Datetime.now()}
        )
        self._run_cron()
        self.assertFalse(picking.ot_next_check_at, "stopped after too many failures")
        self.assertTrue(picking.ot_last_check_error.startswith("Tracking stopped"))

    def test_permanent_errors_stop_and_flag_the_shipment(self):
        refused = self._picking(self.postex, "E401-REFUSED")
        young_unknown = self._picking(self.postex, "GONE-YOUNG")
        old_unknown = self._picking(
            self.postex, "GONE-OLD", handed_over=fields.Datetime.now() - timedelta(days=5)
        )
        self._run_cron()
        self.assertFalse(refused.ot_next_check_at)
        self.assertIn("Tracking stopped", refused.ot_last_check_error)
        self.assertFalse(old_unknown.ot_next_check_at, "still unknown days after hand-over")
        self.assertAlmostNow(young_unknown.ot_next_check_at, timedelta(minutes=15))
        self.assertEqual(young_unknown.ot_check_failures, 1, "not listed yet: ask again later")
        self.assertFalse(young_unknown.ot_last_check_error.startswith("Tracking stopped"))

        # The carrier lists it now: the failures are forgotten.
        young_unknown.write(
            {"carrier_tracking_ref": "OK-LISTED", "ot_next_check_at": fields.Datetime.now()}
        )
        self._run_cron()
        self.assertEqual(young_unknown.ot_check_failures, 0)
        self.assertFalse(young_unknown.ot_last_check_error)
        self.assertTrue(young_unknown.ot_event_ids)

    def test_a_hanging_or_junk_carrier_does_not_stall_another(self):
        self._set_param("request_timeout", "1")
        hanging = self._postex_carrier(self.server.url, name="Hanging carrier")
        with FakeCarrierServer(delay=0.0) as healthy_server:
            healthy = self._postex_carrier(healthy_server.url, name="Healthy carrier")
            stuck = [self._picking(hanging, code) for code in ("HANG-1", "JUNK-1", "HANG-2")]
            fine = [self._picking(healthy, f"OK-FINE-{i}") for i in range(3)]
            simulated = self._picking(self.simulated, "SIM-FINE")
            started = time.monotonic()
            self._run_cron()
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, 2.9, "the hanging carrier is abandoned after its timeout")
        for picking in [*fine, simulated]:
            self.assertTrue(picking.ot_event_ids, "healthy carriers are updated")
            self.assertEqual(picking.ot_check_failures, 0)
        for picking in stuck:
            self.assertEqual(picking.ot_check_failures, 1, picking.carrier_tracking_ref)
            self.assertAlmostNow(picking.ot_next_check_at, timedelta(minutes=15))
            self.assertFalse(picking.ot_event_ids)

    def test_cron_prunes_old_webhook_receipts(self):
        receipts = self.env["order.tracking.webhook.receipt"]
        self.assertTrue(receipts._ot_register(self.postex, "evt-old"))
        self.assertTrue(receipts._ot_register(self.postex, "evt-new"))
        self.assertFalse(receipts._ot_register(self.postex, "evt-new"), "seen once already")
        self.env.cr.execute(
            "UPDATE order_tracking_webhook_receipt SET received_at = %s WHERE event_id = %s",
            (fields.Datetime.now() - timedelta(days=4), "evt-old"),
        )
        self._run_cron()
        left = receipts.search([("carrier_id", "=", self.postex.id)]).mapped("event_id")
        self.assertEqual(left, ["evt-new"])

    def test_queries_per_shipment_do_not_grow_with_the_batch(self):
        def queries_for(count, tag):
            self._isolate_from_demo()
            for i in range(count):
                self._picking(self.postex, f"OK-QUERIES-{tag}-{i}")
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._run_cron(batch_size=100)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        queries_for(2, "warm")  # fill the caches of what runs once per process
        small, medium, large = queries_for(5, "a"), queries_for(10, "b"), queries_for(20, "c")
        per_shipment = (medium - small) / 5
        self.assertEqual((large - medium) / 10, per_shipment, (small, medium, large))
        self.assertLessEqual(per_shipment, 40)
