"""ETAs of a real shop: a shop set up here from scratch (no demo helper) validates a delivery the
normal way and finds the ETA stored with its source; a carrier's own date wins; lead-time edits
move the ETAs of open shipments and leave delivered ones alone.

Dates (June 2025, "Iran (Sat–Thu)" calendar, Friday off): deliveries are validated on
Wednesday 11; 3 business days later is Sunday 15, 4 is Monday 16, 5 is Tuesday 17.
"""

from datetime import date, datetime, timedelta, timezone

from odoo import Command
from odoo.tests import TransactionCase, freeze_time, tagged

from ..carriers.base import TrackingEvent, TrackingResult
from .common import demo_order


def tehran(year, month, day, hour=10):
    """Naive UTC datetime of a Tehran wall-clock time (UTC+3:30)."""
    return datetime(year, month, day, hour) - timedelta(hours=3, minutes=30)


VALIDATED_AT = tehran(2025, 6, 11)


@tagged("post_install", "-at_install")
class TestEtaRealShop(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.resource_calendar_id = env.ref("order_tracking_chatbot.resource_calendar_iran")
        iran = env.ref("base.ir")
        states = env["res.country.state"].search([("country_id", "=", iran.id)])
        cls.fars = states.filtered(lambda s: s.code == "IR-07")
        cls.khuzestan = states.filtered(lambda s: s.code == "IR-06")
        shipping = env["product.product"].create(
            {"name": "Courier delivery", "type": "service", "sale_ok": False}
        )
        cls.carrier = env["delivery.carrier"].create(
            {
                "name": "Shop Courier",
                "delivery_type": "fixed",
                "fixed_price": 3.0,
                "product_id": shipping.id,
            }
        )
        cls.product = env["product.product"].create(
            {"name": "Rose water, 1 l", "type": "consu", "is_storable": True, "list_price": 9.0}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 50)
        cls.shiraz_customer = cls._customer("Leila Shirazi", cls.fars, "Shiraz")
        cls.ahvaz_customer = cls._customer("Kaveh Ahvazi", cls.khuzestan, "Ahvaz")
        cls.fars_row = env["order.tracking.lead.time"].create(
            {"carrier_id": cls.carrier.id, "state_id": cls.fars.id, "min_days": 1, "max_days": 3}
        )

    @classmethod
    def _customer(cls, name, state, city):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "street": "Zand Blvd., No. 40",
                "city": city,
                "state_id": state.id,
                "country_id": state.country_id.id,
                "zip": "7134814336",
            }
        )

    def deliver(self, customer=None):
        """Sell, confirm and validate the delivery as a shop does; returns the delivery."""
        with freeze_time(VALIDATED_AT):
            order = self.env["sale.order"].create(
                {
                    "partner_id": (customer or self.shiraz_customer).id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 2})
                    ],
                }
            )
            order.set_delivery_line(self.carrier, self.carrier.fixed_price)
            order.action_confirm()
            picking = order.picking_ids
            self.assertEqual(picking.picking_type_code, "outgoing")
            self.assertEqual(picking.carrier_id, self.carrier)
            self.assertFalse(picking.ot_eta, "no ETA before the parcel leaves")
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            self.assertIs(picking.with_context(skip_sms=True).button_validate(), True)
        self.assertEqual(picking.state, "done")
        picking.carrier_tracking_ref = f"SC{picking.id:08d}"
        return picking

    def carrier_update(self, picking, status, eta=None, when=None):
        """What a carrier push (webhook) hands to the sync for this shipment."""
        when = (when or VALIDATED_AT + timedelta(days=1)).replace(tzinfo=timezone.utc)
        event = TrackingEvent(occurred_at=when, status=status, raw_text=f"{status} at the hub")
        result = TrackingResult(
            picking.carrier_tracking_ref, events=[event], status=status, eta=eta
        )
        applied, unknown = self.env["order.tracking.sync"]._ot_apply_pushed(self.carrier, [result])
        self.assertEqual((applied, unknown), (1, 0))

    # --- at validation -----------------------------------------------------------------------

    def test_validated_delivery_has_a_stored_eta(self):
        picking = self.deliver()
        # Wednesday + 3 business days: Thu (1), Fri off, Sat (2), Sun (3).
        self.assertEqual(picking.ot_eta, date(2025, 6, 15))
        self.assertEqual(picking.ot_eta_source, "lead_time")

    def test_without_lead_time_or_history_there_is_no_eta_until_one_is_configured(self):
        picking = self.deliver(self.ahvaz_customer)
        self.assertFalse(picking.ot_eta)
        self.assertFalse(picking.ot_eta_source)
        self.env["order.tracking.lead.time"].create(
            {"carrier_id": self.carrier.id, "min_days": 2, "max_days": 4}
        )
        self.assertEqual(picking.ot_eta, date(2025, 6, 16))
        self.assertEqual(picking.ot_eta_source, "lead_time")

    def test_corrected_hand_over_moves_the_eta(self):
        picking = self.deliver()
        picking.date_done = tehran(2025, 6, 12)  # handed over on Thursday after all
        # Thursday + 3 business days: Sat (1), Sun (2), Mon (3).
        self.assertEqual(picking.ot_eta, date(2025, 6, 16))

    # --- carrier updates ---------------------------------------------------------------------

    def test_carrier_date_wins_and_is_kept(self):
        picking = self.deliver()
        self.carrier_update(picking, "InTransit", eta=date(2025, 6, 19))
        self.assertEqual(picking.ot_eta, date(2025, 6, 19))
        self.assertEqual(picking.ot_eta_source, "carrier")
        # A later update without a date keeps the carrier's; so does a lead-time edit.
        self.carrier_update(picking, "OutForDelivery", when=VALIDATED_AT + timedelta(days=2))
        self.fars_row.max_days = 5
        self.assertEqual(picking.ot_eta, date(2025, 6, 19))
        self.assertEqual(picking.ot_eta_source, "carrier")

    def test_carrier_update_without_a_date_fills_a_missing_eta(self):
        picking = self.deliver()
        # A shipment validated before the shop upgraded to stored ETAs has none.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_picking SET ot_eta = NULL, ot_eta_source = NULL WHERE id = %s",
            [picking.id],
        )
        picking.invalidate_recordset(["ot_eta", "ot_eta_source"])
        self.carrier_update(picking, "InTransit")
        self.assertEqual(picking.ot_eta, date(2025, 6, 15))
        self.assertEqual(picking.ot_eta_source, "lead_time")

    # --- lead-time edits ---------------------------------------------------------------------

    def test_lead_time_edit_moves_open_etas_not_delivered_ones(self):
        open_picking = self.deliver()
        delivered = self.deliver()
        self.carrier_update(delivered, "Delivered")
        self.assertEqual(delivered.ot_carrier_status, "Delivered")
        self.assertEqual(
            (open_picking | delivered).mapped("ot_eta"), [date(2025, 6, 15), date(2025, 6, 15)]
        )
        self.fars_row.write({"max_days": 5})
        self.assertEqual(open_picking.ot_eta, date(2025, 6, 17))
        self.assertEqual(delivered.ot_eta, date(2025, 6, 15), "a delivered shipment keeps its ETA")

    def test_catch_all_row_and_removals_are_followed(self):
        shiraz = self.deliver()
        ahvaz = self.deliver(self.ahvaz_customer)
        catch_all = self.env["order.tracking.lead.time"].create(
            {"carrier_id": self.carrier.id, "min_days": 2, "max_days": 4}
        )
        self.assertEqual(ahvaz.ot_eta, date(2025, 6, 16))
        self.assertEqual(shiraz.ot_eta, date(2025, 6, 15), "the province row still wins")
        self.fars_row.unlink()
        self.assertEqual(shiraz.ot_eta, date(2025, 6, 16), "now the catch-all row's")
        catch_all.unlink()
        for picking in shiraz | ahvaz:
            self.assertFalse(picking.ot_eta, "no lead time, no history: no promise")
            self.assertFalse(picking.ot_eta_source)

    def edit_queries(self, max_days):
        self.env.flush_all()
        start = self.cr.sql_log_count
        self.fars_row.write({"max_days": max_days})
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_lead_time_edit_costs_the_same_for_more_shipments(self):
        first = self.deliver()
        one = self.edit_queries(4)
        self.assertEqual(first.ot_eta, date(2025, 6, 16))
        more = first | self.deliver() | self.deliver() | self.deliver()
        many = self.edit_queries(5)
        self.assertEqual(set(more.mapped("ot_eta")), {date(2025, 6, 17)})
        self.assertEqual(many, one, "one estimate and one write per group, not per shipment")


@tagged("post_install", "-at_install")
class TestEtaDemoShop(TransactionCase):
    def test_demo_shipments_get_their_eta_through_the_same_path(self):
        picking = demo_order(self.env, "IN-TRANSIT").ot_main_picking_id
        self.assertTrue(picking, "the test database has the demo shop")
        self.assertEqual(picking.ot_eta_source, "lead_time")
        row = self.env["order.tracking.lead.time"]._ot_find(
            picking.carrier_id, picking.partner_id.state_id
        )
        expected = self.env["order.tracking.eta"]._ot_add_business_days(
            picking.date_done, row.max_days, picking.company_id
        )
        self.assertEqual(picking.ot_eta, expected)
