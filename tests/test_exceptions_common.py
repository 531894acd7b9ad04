"""Fixtures of the exception, ticket and ETA tests (no test here): an Iranian shop on the
"Iran (Sat–Thu)" calendar, a carrier, a customer in Ahvaz, and shipments handed over at chosen
Tehran times with the carrier events the sync would have stored.

Dates used by the tests (June 2025): Sat 7, Sun 8, ... Wed 11, Thu 12, Fri 13 (weekend),
Sat 14 (made a public holiday where a test needs one), Sun 15, Mon 16, Tue 17.
"""

from datetime import datetime, timedelta

from odoo import Command

from .common import create_role_users

PARAM = "order_tracking_chatbot."


def tehran(year, month, day, hour=10, minute=0):
    """Naive UTC datetime (as Odoo stores it) of a Tehran wall-clock time (UTC+3:30)."""
    return datetime(year, month, day, hour, minute) - timedelta(hours=3, minutes=30)


class ExceptionFixtures:
    """Mixin for TransactionCase/HttpCase classes: call ``setup_shop`` in ``setUpClass``."""

    @classmethod
    def setup_shop(cls):
        env = cls.env
        cls.calendar = env.ref("order_tracking_chatbot.resource_calendar_iran")
        env.company.resource_calendar_id = cls.calendar
        cls.iran = env.ref("base.ir")
        states = env["res.country.state"].search([("country_id", "=", cls.iran.id)])
        cls.khuzestan = states.filtered(lambda s: s.code == "IR-06")
        cls.tehran_province = states.filtered(lambda s: s.code == "IR-23")
        cls.fars = states.filtered(lambda s: s.code == "IR-07")
        shipping = env["product.product"].create(
            {"name": "Test shipping", "type": "service", "sale_ok": False}
        )
        cls.carrier = env["delivery.carrier"].create(
            {
                "name": "Test Post",
                "delivery_type": "fixed",
                "fixed_price": 2.0,
                "product_id": shipping.id,
            }
        )
        cls.product = env["product.product"].create(
            {"name": "Test saffron", "type": "consu", "list_price": 10.0}
        )
        cls.customer = cls.make_customer("Hamed Test", cls.khuzestan, "اهواز")
        cls.team = env.ref("order_tracking_chatbot.helpdesk_team_shipping")
        params = env["ir.config_parameter"].sudo()
        # The policy under test, whatever the database's settings are.
        for key, value in {
            "late_after_days": "5",
            "stale_after_days": "3",
            "first_scan_days": "2",
            "lost_deadline_hours": "24",
            "preparation_days": "1",
            "team_default": str(cls.team.id),
            "vip_category_id": False,
            "escalation_state_ids": False,
            "escalation_city_ids": False,
        }.items():
            params.set_param(PARAM + key, value)
        cls.users = create_role_users(env)
        cls.users["helpdesk_user"].helpdesk_team_ids = [Command.link(cls.team.id)]

    @classmethod
    def make_customer(cls, name, state, city, lang="en_US"):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "phone": "+989161234000",
                "email": "customer@example.com",
                "street": "Kianpars, Street 9",
                "city": city,
                "state_id": state.id,
                "country_id": cls.iran.id,
                "zip": "6155689411",
                "lang": lang,
            }
        )

    @classmethod
    def lead_time(cls, state=None, carrier=None, **values):
        return cls.env["order.tracking.lead.time"].create(
            {
                "carrier_id": (carrier or cls.carrier).id,
                "state_id": state.id if state else False,
                **values,
            }
        )

    @classmethod
    def ship(cls, handed_over, customer=None, carrier=None, events=()):
        """A validated customer delivery handed over at ``handed_over`` (naive UTC), tracked by
        the carrier sync, with ``events`` as ``(when, status, text)``."""
        carrier = carrier or cls.carrier
        order = cls.env["sale.order"].create(
            {
                "partner_id": (customer or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.set_delivery_line(carrier, carrier.fixed_price)
        order.action_confirm()
        picking = cls.env["order.tracking.demo"]._demo_ship(order)
        picking.write(
            {
                "date_done": handed_over,
                "carrier_tracking_ref": f"TST{picking.id:08d}",
                "ot_next_check_at": handed_over + timedelta(hours=6),
                "ot_carrier_status": "Pending",
            }
        )
        for when, status, text in events:
            cls.add_event(picking, when, status, text)
        return picking

    @classmethod
    def add_event(cls, picking, when, status, text, location="Tehran"):
        """Store a carrier event and the picking fields the sync derives from it."""
        events = cls.env["order.tracking.event"]
        events.create(
            {
                "picking_id": picking.id,
                "occurred_at": when,
                "status": status,
                "raw_text": text,
                "location": location,
                "source": "poll",
                "dedup_key": events._ot_dedup_key(when, None, text, location),
            }
        )
        last = max(picking.ot_last_event_at or when, when)
        picking.write(
            {
                "ot_carrier_status": status,
                "ot_last_event_at": last,
                "ot_last_event_text": text,
            }
        )

    def tickets_of(self, picking):
        return (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search([("ot_picking_id", "=", picking.id)])
        )

    def closed_stage(self):
        return self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
