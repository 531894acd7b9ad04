"""Order tracking settings (Settings > Order Tracking), stored as system parameters."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ot_widget_enabled = fields.Boolean(
        string="Chat Widget on Website",
        config_parameter="order_tracking_chatbot.widget_enabled",
        default=True,
    )
    ot_order_ref_pattern = fields.Char(
        string="Order Number Pattern",
        config_parameter="order_tracking_chatbot.order_ref_pattern",
        help="Regular expression that recognises your order numbers in customer messages. "
        "Empty: Odoo's default sale order numbers (e.g. S00042).",
    )
