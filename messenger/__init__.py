"""Telegram and Bale Bot API support in plain Python (no Odoo import): the HTTP client, the
parsing of incoming updates and the rendering of the engine's messages into Bot API calls.

The Odoo layer (models/order_tracking_messenger_*.py) only adapts these to records.
"""
