"""Shipping methods and their price rules feed the chat's cached shipping quotes: editing them
clears the cache (see order_tracking_cached_data.py)."""

from odoo import models


class DeliveryCarrier(models.Model):
    _name = "delivery.carrier"
    _inherit = ("delivery.carrier", "order.tracking.cached.data")


class DeliveryPriceRule(models.Model):
    _name = "delivery.price.rule"
    _inherit = ("delivery.price.rule", "order.tracking.cached.data")
