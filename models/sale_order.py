"""The customer stage of an order: the words a customer understands, derived from the order,
its payment transactions and its customer-facing shipments."""

from odoo import api, fields, models

CUSTOMER_STAGE_SELECTION = [
    ("awaiting_payment", "Awaiting Payment"),
    ("registered", "Registered"),
    ("preparing", "Being Prepared"),
    ("handed_to_carrier", "Handed to Carrier"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
]
# Order of progress: an order with several shipments is as far as its least advanced one.
STAGE_RANK = {code: rank for rank, (code, _label) in enumerate(CUSTOMER_STAGE_SELECTION)}

IN_TRANSIT_STATUSES = {
    "InTransit",
    "OutForDelivery",
    "AttemptFail",
    "AvailableForPickup",
    "Exception",
    "Expired",
}
# The most pressing exception is the one a customer hears about first.
EXCEPTION_SEVERITY = [
    "lost",
    "returned_to_sender",
    "damaged",
    "address_issue",
    "failed_attempt",
    "delayed",
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # The chat looks orders up by number in any case with `upper(name) = ...`: exact and indexed,
    # where Odoo's trigram index on `name` matches thousands of candidates for "S225201".
    _ot_name_upper_idx = models.Index("(upper(name))")

    ot_customer_stage = fields.Selection(
        CUSTOMER_STAGE_SELECTION,
        string="Customer Stage",
        compute="_compute_ot_customer_stage",
        store=True,
        index=True,
        help="Where the order is, in the words the chatbot uses with the customer.",
    )
    ot_exception_type = fields.Selection(
        related="ot_main_picking_id.ot_exception_type", string="Shipment Exception"
    )
    ot_main_picking_id = fields.Many2one(
        "stock.picking",
        string="Customer Shipment",
        compute="_compute_ot_customer_stage",
        store=True,
        help="The customer-facing shipment the chatbot talks about (the least advanced one when "
        "the order ships in several parts, or the one with an exception).",
    )
    ot_event_count = fields.Integer(compute="_compute_ot_event_count", string="Tracking Events")

    def _ot_customer_pickings(self):
        """Outgoing, not cancelled shipments to the customer (last step of multi-step delivery)."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )

    @api.model
    def _ot_picking_stage(self, picking):
        """Customer stage of one customer-facing shipment."""
        if picking.state == "done":
            if picking.ot_carrier_status == "Delivered":
                return "delivered"
            if picking.ot_carrier_status in IN_TRANSIT_STATUSES:
                return "in_transit"
            return "handed_to_carrier"
        earlier_steps_done = any(m.state == "done" for m in picking.move_ids.move_orig_ids)
        if picking.state == "assigned" or earlier_steps_done:
            return "preparing"
        return "registered"

    @api.depends(
        "state",
        "transaction_ids.state",
        "picking_ids.state",
        "picking_ids.ot_carrier_status",
        "picking_ids.ot_exception_type",
        "picking_ids.move_ids.move_orig_ids.state",
    )
    def _compute_ot_customer_stage(self):
        for order in self:
            stage, main = order._ot_compute_stage_and_main_picking()
            order.ot_customer_stage = stage
            order.ot_main_picking_id = main

    def _ot_compute_stage_and_main_picking(self):
        self.ensure_one()
        empty = self.env["stock.picking"]
        if self.state == "cancel":
            return "cancelled", empty
        if self.state in ("draft", "sent"):
            return "awaiting_payment", empty
        pickings = self._ot_customer_pickings()
        if not pickings:
            # Services only, or delivery not created yet: the order is registered.
            return "registered", empty
        with_exception = pickings.filtered("ot_exception_type").sorted(
            lambda p: EXCEPTION_SEVERITY.index(p.ot_exception_type)
        )
        stages = {picking: self._ot_picking_stage(picking) for picking in pickings}
        least_advanced = min(pickings, key=lambda p: (STAGE_RANK[stages[p]], p.id))
        main = with_exception[:1] or least_advanced
        return stages[least_advanced], main

    @api.depends("picking_ids.ot_event_ids")
    def _compute_ot_event_count(self):
        groups = self.env["order.tracking.event"]._read_group(
            [("sale_id", "in", self.ids)], ["sale_id"], ["__count"]
        )
        counts = {sale.id: count for sale, count in groups}
        for order in self:
            order.ot_event_count = counts.get(order.id, 0)

    def action_ot_view_tracking_events(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tracking Events"),
            "res_model": "order.tracking.event",
            "view_mode": "list,form",
            "domain": [("sale_id", "=", self.id)],
        }
