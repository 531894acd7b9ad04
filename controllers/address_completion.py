"""Secure page where a customer completes or confirms the delivery address of an order.

The link is sent when the carrier reports an incomplete address or returns the parcel; the order's
portal access token proves the visitor is its customer. A submitted address becomes a request on
the ticket that an agent approves; nothing is written to the contact from here. Without a valid
token, or without an open address ticket for the order, the page does not exist (404), so the
route tells nothing about which orders exist.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq


class AddressCompletion(http.Controller):
    @http.route(
        "/order-tracking/address/<int:order_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def ot_address_completion(self, order_id, access_token=None, **post):
        ticket = self._ot_address_ticket(order_id, access_token)
        errors, done, submitted = {}, False, None
        if request.httprequest.method == "POST":
            submitted = post
            errors = ticket._ot_submit_address_request(post)
            done = not errors
        values = ticket._ot_address_form_values(submitted, lang=request.env.lang)
        values.update(
            {
                "order_id": order_id,
                "access_token": access_token,
                "errors": errors,
                "done": done,
            }
        )
        return request.render("order_tracking_chatbot.address_completion_page", values)

    def _ot_address_ticket(self, order_id, access_token):
        # sudo: sale.order - the visitor is anonymous; the access token checked below is the proof
        order = request.env["sale.order"].sudo().browse(order_id).exists()
        if not (
            order
            and access_token
            and order.access_token
            and consteq(order.access_token, str(access_token))
        ):
            raise NotFound()
        # sudo: helpdesk.ticket - the customer may not read tickets; only the order's open address
        # ticket is used, and only through the address request methods
        ticket = request.env["helpdesk.ticket"].sudo()._ot_address_ticket_for_order(order)
        if not ticket:
            raise NotFound()
        return ticket
