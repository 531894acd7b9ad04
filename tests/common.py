"""Shared fixtures: one low-permission user per role that works with the addon."""

from odoo.tests import new_test_user


def create_role_users(env):
    """Users with only the groups their job needs: salesman, stock user, helpdesk user."""
    return {
        "salesman": new_test_user(
            env, login="ot_salesman", groups="sales_team.group_sale_salesman", name="Sales Person"
        ),
        "stock_user": new_test_user(
            env, login="ot_stock_user", groups="stock.group_stock_user", name="Warehouse Worker"
        ),
        "helpdesk_user": new_test_user(
            env,
            login="ot_helpdesk_user",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Support Agent",
        ),
    }


def demo_order(env, stage_tag):
    """The demo order built for one stage (see models/order_tracking_demo.py)."""
    return env["sale.order"].search([("client_order_ref", "=", f"DEMO-{stage_tag}")], limit=1)
