"""Shipment-level notification triggers, each at the one place its transition happens.

- handed to the carrier: the outgoing shipment is validated (``_action_done``);
- out for delivery / delivered: the carrier status changes (``write`` of ``ot_carrier_status``,
  whoever writes it: the sync poll, a webhook, OCA's ``delivery_state``, a person);
- exceptions: ``order.tracking.exception._ot_notify_customer`` when an exception is raised.

Each trigger only queues rows (``order.tracking.notification._ot_notify``); the sending cron
renders and sends, so the sync path stays fast.
"""

from odoo import models

# Carrier status → the event customers are told about.
STATUS_EVENTS = {"OutForDelivery": "out_for_delivery", "Delivered": "delivered"}


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _ot_notify_event(self, event):
        notifications = self.env["order.tracking.notification"]
        for picking in self:
            if picking.picking_type_code == "outgoing" and picking.sale_id:
                notifications._ot_notify(event, picking.sale_id, picking)

    def _action_done(self):
        res = super()._action_done()
        self.filtered(lambda p: p.state == "done")._ot_notify_event("handed_to_carrier")
        return res

    def write(self, vals):
        watched = "ot_carrier_status" in vals or "delivery_state" in vals
        before = {p.id: p.ot_carrier_status for p in self} if watched else {}
        result = super().write(vals)
        if watched:
            for picking in self:
                status = picking.ot_carrier_status
                if status in STATUS_EVENTS and before.get(picking.id) != status:
                    picking._ot_notify_event(STATUS_EVENTS[status])
        return result
