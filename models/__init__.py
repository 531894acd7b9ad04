"""Odoo models of the addon: one model (or one extension) per file."""

from . import (
    res_country_state,
    order_tracking_city,
    order_tracking_event,
    stock_picking,
    delivery_carrier,
    res_config_settings,
    sale_order,
    order_tracking_demo,
)
