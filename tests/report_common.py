"""Fixtures of the KPI report tests (tests/test_report_*.py): a shop of its own (so demo data
never counts) and hand-made conversations, shipments, exception tickets and notifications whose
timestamps are set exactly, in UTC, as the database stores them."""

import secrets

from odoo import Command
from odoo.tests import TransactionCase
from odoo.tools import SQL

from .common import create_role_users


class ReportCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env)
        cls.shop = cls.env["res.company"].create({"name": "KPI Shop"})
        cls.shop.resource_calendar_id.tz = "Asia/Tehran"
        cls.env.user.company_ids |= cls.shop
        for user in cls.users.values():
            user.company_ids |= cls.shop
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "KPI Post",
                "product_id": cls.env["product.product"]
                .create({"name": "KPI shipping", "type": "service"})
                .id,
            }
        )
        cls.province = cls.env["res.country.state"].search(
            [("country_id.code", "=", "IR")], limit=1
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "KPI Customer", "city": "Tabriz", "state_id": cls.province.id}
        )

    # --- builders ---------------------------------------------------------------------------------

    @classmethod
    def set_dates(cls, records, **columns):
        """Write timestamp columns the ORM keeps for itself (create_date, ...) with SQL."""
        records.flush_recordset()
        for column, value in columns.items():
            cls.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id IN %s",
                    SQL.identifier(records._table),
                    SQL.identifier(column),
                    value,
                    tuple(records.ids),
                )
            )
        records.invalidate_recordset()

    @classmethod
    def conversation(cls, created, channel="widget", lang="en_US", **vals):
        """A chat as the engine leaves it; ``created`` is its UTC start time."""
        channel_in_selection = channel in dict(
            cls.env["order.tracking.chat.session"]._fields["channel"].selection
        )
        session = (
            cls.env["order.tracking.chat.session"]
            .sudo()
            .create(
                {
                    "token_hash": secrets.token_hex(16),
                    "channel": channel if channel_in_selection else "api",
                    "lang": lang,
                    "company_id": vals.pop("company_id", cls.shop.id),
                    "turn_count": vals.pop("turn_count", 2),
                    "carrier_id": cls.carrier.id,
                    "destination_state_id": cls.province.id,
                    **vals,
                }
            )
        )
        cls.set_dates(session, create_date=created)
        if not channel_in_selection:
            # A messenger channel another module adds to the selection (telegram, bale).
            cls.set_dates(session, channel=channel)
        return session

    @classmethod
    def ticket(cls, **vals):
        return (
            cls.env["helpdesk.ticket"]
            .sudo()
            .create({"name": "KPI ticket", "description": "KPI", "company_id": cls.shop.id, **vals})
        )

    @classmethod
    def order(cls):
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.shop.id,
                "carrier_id": cls.carrier.id,
            }
        )

    @classmethod
    def shipment(cls, order, done_at):
        """A delivery of ``order`` done (handed over) at ``done_at`` (UTC)."""
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.shop.id)], limit=1)
        picking_type = warehouse.out_type_id
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": cls.customer.id,
                "company_id": cls.shop.id,
                "carrier_id": cls.carrier.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
            }
        )
        cls.set_dates(picking, state="done", date_done=done_at, sale_id=order.id)
        return picking

    def report(self, model, user=None):
        # The views read other tables: pending ORM writes must reach them first.
        self.env.flush_all()
        env = self.env(user=user) if user else self.env
        return env[f"order.tracking.report.{model}"].with_context(
            allowed_company_ids=[self.shop.id]
        )

    def totals(self, model, aggregates, domain=(), groupby=(), user=None):
        """``{group key: {aggregate: value}}`` (key ``()`` without groupby) over the shop."""
        rows = self.report(model, user)._read_group(
            [("company_id", "=", self.shop.id), *domain], list(groupby), aggregates
        )
        return {
            tuple(row[: len(groupby)]): dict(zip(aggregates, row[len(groupby) :], strict=True))
            for row in rows
        }

    @staticmethod
    def link_ticket(session, ticket):
        session.sudo().write({"ticket_ids": [Command.link(ticket.id)]})
