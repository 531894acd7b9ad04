"""Shared fixtures of the sync and webhook tests: carriers of each kind and validated deliveries
built directly (no stock moves: the sync only reads the delivery's tracking fields)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase

from .common import LoopbackRequests, create_role_users

SECRET = "s3cr3t-API-key-9f8e7d"


class SyncCase(LoopbackRequests, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env)
        cls.shipping_product = cls.env["product.product"].create(
            {"name": "Shipping (sync tests)", "type": "service"}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Sync Test Customer"})
        cls.picking_type = cls.env.ref("stock.picking_type_out")
        cls.simulated = cls._carrier("Simulated (tests)", "simulated", ot_update_interval_hours=6)

    @classmethod
    def _carrier(cls, name, provider, **vals):
        return cls.env["delivery.carrier"].create(
            {
                "name": name,
                "delivery_type": "fixed",
                "product_id": cls.shipping_product.id,
                "ot_tracking_provider": provider,
                **vals,
            }
        )

    @classmethod
    def _postex_carrier(cls, url, name="Post-ex (tests)", **vals):
        return cls._carrier(
            name,
            "postex",
            ot_postex_api_key=SECRET,
            ot_postex_courier="IR_POST",
            ot_tracking_api_url=url,
            **vals,
        )

    def _picking(self, carrier, code, handed_over=None, next_check="now"):
        """A validated delivery handed to ``carrier`` ``handed_over`` (default: a day ago)."""
        now = fields.Datetime.now()
        picking = self.env["stock.picking"].create(
            {
                "partner_id": self.partner.id,
                "picking_type_id": self.picking_type.id,
                "location_id": self.picking_type.default_location_src_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "carrier_id": carrier.id,
                "carrier_tracking_ref": code,
            }
        )
        picking.write(
            {
                "state": "done",
                "date_done": handed_over or now - timedelta(days=1),
                "ot_next_check_at": now if next_check == "now" else next_check,
            }
        )
        return picking

    def _sync_service(self):
        return self.env["order.tracking.sync"]

    def _run_cron(self, batch_size=None, time_left=3600.0, commit_size=None):
        """Run the cron with `_commit_progress` recorded instead of committing (tests may not
        commit). Returns the calls as (processed, remaining) pairs."""
        calls = []

        def fake_commit_progress(_self, processed=0, *, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return time_left

        with patch.object(self.registry["ir.cron"], "_commit_progress", fake_commit_progress):
            self._sync_service()._cron_sync_tracking(batch_size=batch_size, commit_size=commit_size)
        return calls

    def _isolate_from_demo(self):
        """Demo deliveries are due too; keep them out of tests that count what the cron does."""
        self.env["stock.picking"].search([("ot_next_check_at", "!=", False)]).write(
            {"ot_next_check_at": False}
        )

    def _set_param(self, name, value):
        self.env["ir.config_parameter"].set_param(f"order_tracking_chatbot.sync_{name}", value)
