"""Carrier clients: plain Python (stdlib + requests), no Odoo import.

Each provider has one client module; ``registry`` maps provider names to client
classes and ``pool`` fetches from several carriers concurrently. The Odoo layer only
adapts the ``TrackingResult`` objects these clients return.
"""
