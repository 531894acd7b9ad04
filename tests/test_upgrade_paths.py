"""Upgrade scripts of the addon (migrations/): what they do to rows of an older version."""

import importlib.util
from pathlib import Path

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import demo_order

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def load_migration(version, name):
    path = MIGRATIONS / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"ot_migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestUpgradePaths(TransactionCase):
    def test_the_unused_manual_event_source_becomes_poll(self):
        self.assertNotIn(
            "manual", dict(self.env["order.tracking.event"]._fields["source"].selection)
        )
        picking = demo_order(self.env, "IN-TRANSIT").ot_main_picking_id
        events = self.env["order.tracking.event"]
        now = fields.Datetime.now()
        event = events.create(
            {
                "picking_id": picking.id,
                "occurred_at": now,
                "status": "InTransit",
                "raw_text": "written by an old script",
                "dedup_key": events._ot_dedup_key(now, None, "written by an old script", None),
            }
        )
        event.flush_recordset()
        # A row of 19.0.1.1.0, where the value still existed.
        self.env.cr.execute(
            SQL("UPDATE order_tracking_event SET source = 'manual' WHERE id = %s", event.id)
        )
        load_migration("19.0.1.2.0", "pre-migrate").migrate(self.env.cr, "19.0.1.1.0")
        event.invalidate_recordset()
        self.assertEqual(event.source, "poll")
