"""Smoke tests: the addon is installed with its data, and the demo shop has an order per stage."""

from odoo.tests import TransactionCase, tagged

from .common import demo_order

EXPECTED_DEMO_STAGES = {
    "AWAITING-PAYMENT": ("awaiting_payment", False),
    "CONFIRMED": ("registered", False),
    "PREPARING": ("preparing", False),
    "HANDED-OVER": ("handed_to_carrier", False),
    "IN-TRANSIT": ("in_transit", False),
    "DELIVERED": ("delivered", False),
    "DELAYED": ("in_transit", "delayed"),
    "RETURNED": ("in_transit", "returned_to_sender"),
    "LOST": ("in_transit", "lost"),
    "ADDRESS-ISSUE": ("in_transit", "address_issue"),
    "CANCELLED": ("cancelled", False),
}


@tagged("post_install", "-at_install")
class TestInstallSmoke(TransactionCase):
    def test_iranian_provinces_loaded(self):
        states = self.env["res.country.state"].search([("country_id.code", "=", "IR")])
        self.assertEqual(len(states), 31)
        tehran = states.filtered(lambda s: s.code == "IR-23")
        self.assertEqual(tehran.name, "Tehran")
        self.assertEqual(tehran._ot_display_name("fa_IR"), "تهران")
        self.assertEqual(tehran._ot_display_name("en_US"), "Tehran")

    def test_every_province_has_a_city(self):
        cities = self.env["order.tracking.city"].search([])
        provinces = self.env["res.country.state"].search([("country_id.code", "=", "IR")])
        self.assertEqual(set(cities.state_id.ids), set(provinces.ids))

    def test_demo_orders_cover_every_stage(self):
        for tag, (stage, exception) in EXPECTED_DEMO_STAGES.items():
            with self.subTest(tag=tag):
                order = demo_order(self.env, tag)
                self.assertTrue(order, f"demo order DEMO-{tag} is missing")
                self.assertEqual(order.ot_customer_stage, stage)
                self.assertEqual(order.ot_exception_type, exception)

    def test_demo_customers_have_iranian_mobiles_in_several_provinces(self):
        orders = self.env["sale.order"].search([("client_order_ref", "=like", "DEMO-%")])
        partners = orders.partner_id
        self.assertTrue(all(p.phone.startswith("+989") for p in partners))
        self.assertGreaterEqual(len(partners.state_id), 5)

    def test_shipped_demo_orders_have_tracking_and_events(self):
        order = demo_order(self.env, "IN-TRANSIT")
        picking = order.ot_main_picking_id
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertEqual(picking.delivery_state, "in_transit", "OCA delivery_state follows ours")
        events = picking.ot_event_ids
        self.assertEqual(len(events), 3)
        self.assertEqual(events[0].raw_text, picking.ot_last_event_text, "newest event first")
        self.assertEqual(order.ot_event_count, 3)

    def test_simulated_carrier_issues_tracking_codes(self):
        order = demo_order(self.env, "HANDED-OVER")
        picking = order.ot_main_picking_id
        self.assertEqual(picking.carrier_id.delivery_type, "ot_simulated")
        self.assertRegex(picking.carrier_tracking_ref, r"^SIM-[0-9A-F]{10}$")
        self.assertIn("/order-tracking?code=SIM-", picking.carrier_tracking_url)

    def test_demo_carriers_keep_their_own_prices(self):
        carriers = self.env["delivery.carrier"].search([("name", "in", ["Tipax", "Chapar"])])
        prices = {carrier.name: carrier.fixed_price for carrier in carriers}
        self.assertEqual(prices, {"Tipax": 4.0, "Chapar": 3.5})
        tipax = carriers.filtered(lambda c: c.name == "Tipax")
        self.assertEqual(tipax.with_context(lang="fa_IR").ot_label, "تیپاکس")
