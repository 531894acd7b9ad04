"""Shared fixtures: one low-permission user per role that works with the addon, and loopback
HTTP for the local fakes of vendors' APIs."""

from urllib.parse import urlsplit

from odoo.tests import new_test_user
from odoo.tests.common import _super_send


class LoopbackRequests:
    """Test-case mixin: Odoo's test guard on ``requests`` compares the timeout with a number,
    but the addon's clients send a (connect, read) pair (carriers/http.py): calls to the local
    fakes on 127.0.0.1 go through unchanged; anything else meets Odoo's guard as usual."""

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        if urlsplit(request.url).hostname == "127.0.0.1":
            return _super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)


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
