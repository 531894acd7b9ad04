"""The simulated carrier through the sync: demo shipments move with time and go wrong on
purpose; validation schedules the first check; OCA's hook and the buttons use the same path."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import demo_order
from .test_sync_support import SyncCase

# What each demo scenario shipment shows once its story has played out.
SCENARIO_SUBSTATUS = {
    "SIM-DELAYED": "Exception_005",
    "SIM-RETURNED": "Exception_011",
    "SIM-ADDRESS": "Exception_007",
    "SIM-LOST": "Exception_013",
}


@tagged("post_install", "-at_install")
class TestSyncSimulated(SyncCase):
    def test_a_shipment_advances_with_time_until_delivered(self):
        handed_over = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=1)
        with freeze_time(handed_over):
            self._isolate_from_demo()
            picking = self._picking(self.simulated, "SIM-MOVES-1", handed_over=handed_over)
        seen = []
        for hours in (1, 30, 120):
            with freeze_time(handed_over + timedelta(hours=hours)):
                picking.ot_next_check_at = fields.Datetime.now()
                self._run_cron()
                seen.append((picking.ot_carrier_status, len(picking.ot_event_ids)))
        self.assertEqual(seen[0], ("InfoReceived", 1))
        self.assertEqual(seen[1][0], "InTransit")
        self.assertEqual(seen[2][0], "Delivered")
        counts = [count for _status, count in seen]
        self.assertEqual(counts, sorted(counts), "events accumulate")
        self.assertLess(counts[0], counts[1])
        self.assertFalse(picking.ot_next_check_at, "no polling after delivery")
        self.assertEqual(picking.ot_eta_source, "carrier")
        picking.invalidate_recordset(["ot_event_ids"])
        self.assertEqual(picking.ot_event_ids[0].status, "Delivered", "newest first")

    def test_demo_scenario_shipments_raise_their_exceptions(self):
        pickings = self.env["stock.picking"]
        for tag in SCENARIO_SUBSTATUS:
            order = demo_order(self.env, tag)
            self.assertTrue(order, f"demo order DEMO-{tag} exists")
            pickings |= order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        self.assertTrue(all(pickings.mapped("ot_next_check_at")), "tracked from validation")
        self._sync_service()._ot_sync_pickings(pickings)
        for picking in pickings:
            tag = picking.sale_id.client_order_ref.removeprefix("DEMO-")
            with self.subTest(tag=tag):
                self.assertEqual(picking.ot_carrier_status, "Exception")
                self.assertEqual(picking.ot_carrier_substatus, SCENARIO_SUBSTATUS[tag])
                self.assertEqual(picking.delivery_state, "incident")
                self.assertEqual(picking.sale_id.ot_customer_stage, "in_transit")

    def test_validating_a_delivery_schedules_its_first_check(self):
        product = self.env["product.product"].create(
            {"name": "Tracked goods", "type": "consu", "is_storable": True}
        )
        stock = self.picking_type.default_location_src_id
        self.env["stock.quant"]._update_available_quantity(product, stock, 10)
        link_only = self._carrier("Link only", "none")
        results = {}
        for carrier in (self.simulated, link_only):
            picking = self.env["stock.picking"].create(
                {
                    "partner_id": self.partner.id,
                    "picking_type_id": self.picking_type.id,
                    "location_id": stock.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                    "carrier_id": carrier.id,
                    "move_ids": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "location_id": stock.id,
                                "location_dest_id": self.env.ref(
                                    "stock.stock_location_customers"
                                ).id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.move_ids.write({"quantity": 1, "picked": True})
            picking.with_context(skip_sms=True).button_validate()
            self.assertEqual(picking.state, "done")
            results[carrier.ot_tracking_provider] = picking.ot_next_check_at
        self.assertTrue(results["simulated"])
        self.assertFalse(results["none"], "no polling for a carrier without a provider")

    def test_oca_delivery_state_hook_lands_in_our_sync(self):
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "Simulated shipping",
                "delivery_type": "ot_simulated",
                "product_id": self.shipping_product.id,
            }
        )
        picking = self._picking(carrier, "SIM-OCA-1")
        picking.tracking_state_update()
        self.assertTrue(picking.ot_event_ids)
        self.assertEqual(picking.delivery_state, "in_transit")

    def test_sync_now_button_retries_a_stopped_shipment(self):
        picking = self._picking(self.simulated, "SIM-BUTTON-1", next_check=False)
        picking.write({"ot_check_failures": 3, "ot_last_check_error": "Tracking stopped: x"})
        action = picking.with_user(self.users["stock_user"]).action_ot_sync_tracking_now()
        self.assertEqual(action["params"]["type"], "success")
        self.assertTrue(picking.ot_event_ids)
        self.assertEqual(picking.ot_check_failures, 0)
        self.assertFalse(picking.ot_last_check_error)
        self.assertTrue(picking.ot_next_check_at)

    def test_carrier_sync_now_schedules_its_open_shipments(self):
        self._isolate_from_demo()
        waiting = self._picking(self.simulated, "SIM-LATER-1", next_check=False)
        delivered = self._picking(self.simulated, "SIM-DONE-1", next_check=False)
        delivered.ot_carrier_status = "Delivered"
        self.simulated.action_ot_sync_now()
        self.assertTrue(waiting.ot_next_check_at)
        self.assertFalse(delivered.ot_next_check_at)
