"""Order tracking settings on delivery carriers, and the simulated carrier provider.

The simulated provider is the embedded default: it needs no account, issues tracking codes when a
delivery is validated, and the sync cron advances its shipments realistically so a demo lives.
"""

import secrets

from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("ot_simulated", "Simulated carrier (demo)")],
        ondelete={
            "ot_simulated": lambda recs: recs.write({"delivery_type": "fixed", "fixed_price": 0})
        },
    )
    ot_label = fields.Char(
        string="Customer Label",
        translate=True,
        help="Simple name customers see in the chat (e.g. 'Post', 'Tipax', 'Courier'); "
        "defaults to the carrier's name.",
    )
    ot_update_interval_hours = fields.Integer(
        string="Updates Every (hours)",
        default=12,
        help="How often this carrier usually publishes new tracking events: the chatbot tells "
        "customers why a status has not changed yet.",
    )

    def _ot_customer_label(self):
        self.ensure_one()
        return self.ot_label or self.name

    # --- simulated provider: <delivery_type>_<verb> methods called by stock_delivery ---------

    def ot_simulated_rate_shipment(self, order):
        return self.fixed_rate_shipment(order)

    def ot_simulated_send_shipping(self, pickings):
        # A code looks like a real one but is recognisably simulated; its random part keeps codes
        # from being guessable (tracking codes are treated as semi-secret by the chatbot).
        return [
            {
                "exact_price": self.fixed_price,
                "tracking_number": f"SIM-{secrets.token_hex(5).upper()}",
            }
            for _picking in pickings
        ]

    def ot_simulated_get_tracking_link(self, picking):
        if not picking.carrier_tracking_ref:
            return False
        base = picking.get_base_url()
        return f"{base}/order-tracking?code={picking.carrier_tracking_ref}"

    def ot_simulated_cancel_shipment(self, pickings):
        pickings.write({"carrier_tracking_ref": False})
