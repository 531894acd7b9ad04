"""Pricelists, their rules, currencies and currency rates price the chat's cached shipping
quotes, and a website's settings decide which pricelist a new visitor gets: editing them clears
the cache (see order_tracking_cached_data.py), so a new price or today's rate reaches the chat at
once."""

from odoo import models


class ProductPricelist(models.Model):
    _name = "product.pricelist"
    _inherit = ("product.pricelist", "order.tracking.cached.data")


class ProductPricelistItem(models.Model):
    _name = "product.pricelist.item"
    _inherit = ("product.pricelist.item", "order.tracking.cached.data")


class ResCurrency(models.Model):
    _name = "res.currency"
    _inherit = ("res.currency", "order.tracking.cached.data")


class ResCurrencyRate(models.Model):
    _name = "res.currency.rate"
    _inherit = ("res.currency.rate", "order.tracking.cached.data")


class Website(models.Model):
    _name = "website"
    _inherit = ("website", "order.tracking.cached.data")
