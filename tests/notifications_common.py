"""Fixtures of the customer notification tests (no test here): the exception tests' Iranian shop
and customer, with the company's SMS kept in the outbox (nothing leaves the test) and helpers to
read what was queued and sent."""

from odoo.tests import freeze_time

from .test_exceptions_common import ExceptionFixtures, tehran

# A weekday morning in Tehran, outside the quiet hours.
DAYTIME = tehran(2025, 6, 10, 11)


class NotificationFixtures(ExceptionFixtures):
    @classmethod
    def setup_notifications(cls):
        cls.setup_shop()
        cls.company = cls.env.company
        cls.company.write(
            {"ot_sms_provider": "outbox", "ot_notify_quiet_start": 22.0, "ot_notify_quiet_end": 8.0}
        )
        cls.notifications = cls.env["order.tracking.notification"]
        cls.rules = cls.env["order.tracking.notification.rule"]
        # The policy under test, whatever the database's switches are.
        cls.rules.search([("company_id", "=", cls.company.id)]).unlink()

    def ship_daytime(self, customer=None, carrier=None):
        with freeze_time(DAYTIME):
            return self.ship(DAYTIME, customer=customer, carrier=carrier)

    def rows(self, order, event=None, channel=None):
        domain = [("order_id", "=", order.id)]
        if event:
            domain.append(("event", "=", event))
        if channel:
            domain.append(("channel", "=", channel))
        return self.notifications.search(domain)

    def sms_messages(self, order):
        return order.message_ids.filtered(lambda m: m.message_type == "sms")

    def send_all(self, when=DAYTIME):
        with freeze_time(when):
            return self.notifications._ot_send_due(10000)
