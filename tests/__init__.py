"""Tests of the addon; pytest-odoo collects them, Odoo's runner finds them through this package."""
