"""The delivery survey linked from the "delivered" message: a public page, one question (1-5)
and an optional comment, tokenised per order, recorded on the order and on the order's chat
(its CSAT, counted with the conversation statistics); and the email unsubscribe page."""

import re

from odoo.tests import HttpCase, tagged

from .notifications_common import NotificationFixtures


@tagged("post_install", "-at_install")
class TestNotificationSurvey(NotificationFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notifications()
        cls.picking = cls.ship(cls.env.cr.now())
        cls.order = cls.picking.sale_id
        cls.url = cls.order._ot_survey_url()
        cls.chat = cls.env["order.tracking.chat.session"].create(
            {"token_hash": "survey-test", "order_id": cls.order.id}
        )

    def _csrf(self, response):
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_wrong_token_or_order_is_not_found(self):
        path = self.url.split("://", 1)[1].split("/", 1)[1]
        self.assertEqual(self.url_open("/" + path).status_code, 200)
        self.assertEqual(self.url_open("/" + path[:-2] + "xx").status_code, 404)
        other = f"/order-tracking/survey/{self.order.id + 100000}/{path.rsplit('/', 1)[1]}"
        self.assertEqual(self.url_open(other).status_code, 404)

    def test_answer_is_recorded_on_the_order_and_the_chat(self):
        page = self.url_open(self.url)
        self.assertIn("How was the delivery of order", page.text)
        response = self.url_open(
            self.url,
            data={"csrf_token": self._csrf(page), "score": "4", "comment": " Fast courier "},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your answer", response.text)
        self.assertEqual(self.order.ot_survey_score, 4)
        self.assertEqual(self.order.ot_survey_comment, "Fast courier")
        self.assertTrue(self.order.ot_survey_at)
        self.assertEqual(self.chat.csat, 4, "counted with the conversation statistics")

    def test_out_of_range_score_is_refused(self):
        page = self.url_open(self.url)
        response = self.url_open(self.url, data={"csrf_token": self._csrf(page), "score": "9"})
        self.assertIn("Please choose a score from 1 to 5", response.text)
        self.assertFalse(self.order.ot_survey_score)
        self.assertFalse(self.chat.csat)

    def test_unsubscribe_blacklists_the_email(self):
        notifications = self.env["order.tracking.notification"]
        url = notifications._ot_unsubscribe_url("customer@example.com", "")
        self.assertEqual(self.url_open(url.replace("token=", "token=x")).status_code, 404)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertFalse(self.customer.is_blacklisted, "opening the link alone changes nothing")
        self.url_open(
            "/order-tracking/unsubscribe",
            data={
                "csrf_token": self._csrf(page),
                "email": "customer@example.com",
                "token": notifications._ot_unsubscribe_token("customer@example.com"),
            },
        )
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.is_blacklisted)

    def test_survey_tour(self):
        path = "/" + self.url.split("://", 1)[1].split("/", 1)[1]
        self.start_tour(path, "ot_survey")
        self.assertEqual(self.order.ot_survey_score, 5)
        self.assertEqual(self.order.ot_survey_comment, "Polite courier")
        self.assertEqual(self.chat.csat, 5)
