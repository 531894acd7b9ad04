"""The sync under failure and concurrency: a run killed half-way and resumed, two workers."""

from datetime import timedelta, timezone
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from ..carriers.simulated import SimulatedClient
from .test_sync_support import SyncCase


class Killed(BaseException):
    """Stands for the process dying: not an ``Exception``, so nothing in the sync catches it."""


@tagged("post_install", "-at_install")
class TestSyncInterrupted(SyncCase):
    def setUp(self):
        super().setUp()
        self._isolate_from_demo()

    def _run_cron_until_killed(self, batch_size, kill_at):
        """Run the cron, "committing" by placing a savepoint, and die while applying the
        ``kill_at``-th shipment; then roll back what was not committed, as PostgreSQL would."""
        sync_class = self.registry["order.tracking.sync"]
        original = sync_class._ot_apply_result
        applied = []

        def apply_or_die(service, picking, *args, **kwargs):
            if len(applied) + 1 == kill_at:
                raise Killed()
            applied.append(picking.id)
            return original(service, picking, *args, **kwargs)

        def commit(_self, processed=0, *, remaining=None, deactivate=False):
            self.env.flush_all()
            self.env.cr.execute("SAVEPOINT ot_test_commit")
            return 3600.0

        self.env.cr.execute("SAVEPOINT ot_test_commit")
        killed = False
        # Not assertRaises: Odoo's wraps the block in a savepoint, which is not what dying does.
        with (
            patch.object(sync_class, "_ot_apply_result", apply_or_die),
            patch.object(self.registry["ir.cron"], "_commit_progress", commit),
        ):
            try:
                self._sync_service()._cron_sync_tracking(batch_size=batch_size)
            except Killed:
                killed = True
        self.assertTrue(killed)
        self.env.cr.execute("ROLLBACK TO SAVEPOINT ot_test_commit")
        self.env.invalidate_all()
        return applied

    def test_killed_half_way_then_resumed_without_duplicates(self):
        start = fields.Datetime.now().replace(microsecond=0)
        handed_over = start - timedelta(days=1)
        with freeze_time(start):
            pickings = self.env["stock.picking"].browse(
                [
                    self._picking(self.simulated, f"SIM-KILL-{i}", handed_over=handed_over).id
                    for i in range(10)
                ]
            )
            applied = self._run_cron_until_killed(batch_size=4, kill_at=7)
        self.assertEqual(len(applied), 6)
        first_batch = pickings.filtered(lambda p: p.id in applied[:4])
        self.assertTrue(all(p.ot_event_ids for p in first_batch), "the committed batch stays")
        lost = pickings - first_batch
        self.assertFalse(lost.ot_event_ids, "work of the killed batch was rolled back")
        self.assertEqual(
            self._sync_service()._ot_count_due(start),
            0,
            "claimed shipments are not due for anyone until their lease ends",
        )

        with freeze_time(start + timedelta(minutes=16)):
            self._run_cron(batch_size=4)
            now = fields.Datetime.now()
        client = SimulatedClient()
        for picking in pickings:
            code = picking.carrier_tracking_ref
            visible = client.track(
                code, handed_over.replace(tzinfo=timezone.utc), now.replace(tzinfo=timezone.utc)
            ).events
            self.assertEqual(len(picking.ot_event_ids), len(visible), f"{code}: once each")
            self.assertGreater(picking.ot_next_check_at, now)
        self.assertEqual(self._sync_service()._ot_count_due(now), 0)


@tagged("post_install", "-at_install")
class TestSyncTwoWorkers(SyncCase):
    """Uses the committed demo deliveries: a second cursor sees only committed rows."""

    def test_second_worker_skips_shipments_being_claimed(self):
        far_future = fields.Datetime.now() + timedelta(days=365)
        service = self._sync_service()
        other_cursor = self.registry.cursor()
        try:
            other_cursor.execute("SET LOCAL lock_timeout = '5s'")
            other_service = self.env(cr=other_cursor)["order.tracking.sync"]
            visible_to_both = other_service._ot_count_due(far_future)
            self.assertGreaterEqual(visible_to_both, 4, "the demo has tracked deliveries")

            mine = service._ot_claim_due(2, now=far_future)
            self.assertEqual(len(mine), 2)
            # The other worker does not wait for our locks, and takes only the others.
            theirs = other_service._ot_claim_due(100, now=far_future)
            self.assertEqual(len(theirs), visible_to_both - 2)
            self.assertFalse(set(mine) & set(theirs), "no shipment is handled twice")
            # And now that it holds them, we find nothing more to claim.
            self.assertEqual(service._ot_claim_due(100, now=far_future), [])
        finally:
            other_cursor.rollback()
            other_cursor.close()
