"""Delivery estimates from each source: the carrier's date, configured lead times per carrier ×
province (plus preparation), and the median of the shop's own past deliveries."""

from datetime import date, timedelta

from odoo.tests import TransactionCase, freeze_time, tagged

from .test_exceptions_common import ExceptionFixtures, tehran

ASCII_DIGITS = set("0123456789")


@tagged("post_install", "-at_install")
class TestEtaSources(ExceptionFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_shop()
        cls.eta = cls.env["order.tracking.eta"]

    # --- configured lead times -------------------------------------------------------------------

    def test_lead_time_after_hand_over(self):
        self.lead_time(self.khuzestan, min_days=2, max_days=4, preparation_days=1)
        estimate = self.eta._ot_estimate(
            self.carrier, self.khuzestan, start=tehran(2025, 6, 11), lang="en_US"
        )
        self.assertEqual(estimate["source"], "lead_time")
        self.assertEqual(estimate["text"], "2–4 business days")
        # Wednesday + Thu (1), Fri off, Sat (2) ... Mon (4).
        self.assertEqual(estimate["date_from"], date(2025, 6, 14))
        self.assertEqual(estimate["date_to"], date(2025, 6, 16))

    def test_lead_time_before_purchase_adds_preparation(self):
        self.lead_time(self.khuzestan, min_days=2, max_days=4, preparation_days=1)
        with freeze_time(tehran(2025, 6, 11)):
            estimate = self.eta._ot_estimate(self.carrier, self.khuzestan, lang="en_US")
        self.assertEqual(estimate["text"], "3–5 business days")
        self.assertEqual((estimate["min_days"], estimate["max_days"]), (3, 5))
        self.assertEqual(estimate["date_to"], date(2025, 6, 17))

    def test_province_row_wins_over_the_carrier_default(self):
        self.lead_time(None, min_days=3, max_days=6)
        self.lead_time(self.tehran_province, min_days=1, max_days=1)
        start = tehran(2025, 6, 11)
        tehran_estimate = self.eta._ot_estimate(self.carrier, self.tehran_province, start, "en_US")
        fars_estimate = self.eta._ot_estimate(self.carrier, self.fars, start, "en_US")
        self.assertEqual(tehran_estimate["text"], "1 business day")
        self.assertEqual(fars_estimate["text"], "3–6 business days")

    def test_persian_text_uses_persian_digits(self):
        self.lead_time(self.khuzestan, min_days=2, max_days=4)
        estimate = self.eta._ot_estimate(
            self.carrier, self.khuzestan, start=tehran(2025, 6, 11), lang="fa_IR"
        )
        self.assertIn("۲", estimate["text"])
        self.assertIn("۴", estimate["text"])
        self.assertFalse(ASCII_DIGITS & set(estimate["text"]))

    def test_estimate_for_picking_stores_the_eta(self):
        self.lead_time(self.khuzestan, min_days=2, max_days=4)
        picking = self.ship(tehran(2025, 6, 11))
        picking.write({"ot_eta": False, "ot_eta_source": False})
        estimate = self.eta._ot_estimate_for_picking(picking)
        self.assertEqual(estimate["source"], "lead_time")
        self.assertEqual(picking.ot_eta, date(2025, 6, 16))
        self.assertEqual(picking.ot_eta_source, "lead_time")

    # --- the carrier's own date ------------------------------------------------------------------

    def test_carrier_date_is_kept(self):
        self.lead_time(self.khuzestan, min_days=2, max_days=4)
        picking = self.ship(tehran(2025, 6, 11))
        picking.write({"ot_eta": date(2025, 6, 21), "ot_eta_source": "carrier"})
        estimate = self.eta._ot_estimate_for_picking(picking, lang="en_US")
        self.assertEqual(estimate["source"], "carrier")
        self.assertEqual(estimate["date_to"], date(2025, 6, 21))
        self.assertEqual(estimate["text"], "by 21 June")
        self.assertEqual(picking.ot_eta, date(2025, 6, 21), "not replaced by the lead time")
        persian = self.eta._ot_estimate_for_picking(picking, lang="fa_IR")
        # 21 June 2025 is 31 Khordad 1404.
        self.assertIn("۳۱ خرداد", persian["text"])

    # --- the shop's own history ------------------------------------------------------------------

    def deliver_after(self, days, handed_over=None, customer=None):
        handed_over = handed_over or tehran(2025, 5, 1)
        picking = self.ship(handed_over, customer=customer)
        self.add_event(picking, handed_over + timedelta(days=days), "Delivered", "Delivered")
        return picking

    def test_history_median_when_nothing_is_configured(self):
        with freeze_time(tehran(2025, 6, 11)):
            for days in (2, 3, 3, 4, 6):
                self.deliver_after(days)
            self.env.flush_all()
            with self.assertQueryCount(1):
                stats = self.eta._ot_history_stats(self.carrier, self.khuzestan)
            self.assertEqual(stats["count"], 5)
            self.assertAlmostEqual(stats["median"], 3.0)
            estimate = self.eta._ot_estimate(
                self.carrier, self.khuzestan, start=tehran(2025, 6, 11), lang="en_US"
            )
        self.assertEqual(estimate["source"], "history")
        self.assertEqual(estimate["text"], "about 3 days")
        self.assertEqual(estimate["date_from"], date(2025, 6, 14))
        self.assertEqual(estimate["date_to"], date(2025, 6, 15))

    def test_history_needs_enough_deliveries_of_that_province(self):
        with freeze_time(tehran(2025, 6, 11)):
            for days in (2, 3, 3, 4):
                self.deliver_after(days)
            elsewhere = self.make_customer("Elsewhere", self.fars, "Shiraz")
            self.deliver_after(1, customer=elsewhere)
            self.assertIsNone(
                self.eta._ot_estimate(self.carrier, self.khuzestan, tehran(2025, 6, 11))
            )
            # All provinces together are enough.
            self.assertEqual(
                self.eta._ot_estimate(self.carrier, None, tehran(2025, 6, 11))["source"], "history"
            )

    def test_configured_lead_time_wins_over_history(self):
        with freeze_time(tehran(2025, 6, 11)):
            for days in (2, 3, 3, 4, 6):
                self.deliver_after(days)
            self.lead_time(self.khuzestan, min_days=1, max_days=2)
            estimate = self.eta._ot_estimate(self.carrier, self.khuzestan, tehran(2025, 6, 11))
        self.assertEqual(estimate["source"], "lead_time")
