"""Public pages linked from customer notifications: the delivery survey and email unsubscribe.

Survey: ``/order-tracking/survey/<order>/<token>`` — one question (1 to 5) and an optional
comment; the token is the order's own survey token (made when the "delivered" message is
rendered), compared in constant time. A wrong token or order is a 404, whatever exists.

Unsubscribe: ``/order-tracking/unsubscribe?email=...&token=...`` — the token is an HMAC of the
address with the database secret; the page asks for a click (mail clients prefetch links), then
puts the address on Odoo's mail blacklist, which the notifications respect.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

SCORES = ("1", "2", "3", "4", "5")


class OrderTrackingNotificationPages(http.Controller):
    @http.route(
        "/order-tracking/survey/<int:order_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def ot_survey(self, order_id, token, score=None, comment=None, **_kwargs):
        # sudo: sale.order - the visitor is anonymous; the survey token checked below is the proof
        order = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order or not order._ot_check_survey_token(token):
            raise NotFound()
        error = False
        if request.httprequest.method == "POST":
            try:
                order._ot_record_survey(int(score or 0), comment)
            except ValueError:
                error = True
        values = {
            "order_name": order.name,
            "order_id": order.id,
            "token": token,
            "answered": bool(order.ot_survey_score),
            "score": order.ot_survey_score or (score if str(score) in SCORES else None),
            "error": error,
        }
        return request.render("order_tracking_chatbot.notification_survey_page", values)

    @http.route(
        "/order-tracking/unsubscribe",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def ot_unsubscribe(self, email=None, token=None, **_kwargs):
        notifications = request.env["order.tracking.notification"]
        expected = notifications._ot_unsubscribe_token(email or "")
        if not email or not token or not consteq(expected, token):
            raise NotFound()
        done = False
        if request.httprequest.method == "POST":
            # sudo: mail.blacklist - a visitor proving the address (HMAC token) opts it out
            request.env["mail.blacklist"].sudo()._add(email, message="Order tracking unsubscribe")
            done = True
        values = {"email": email, "token": token, "done": done}
        return request.render("order_tracking_chatbot.notification_unsubscribe_page", values)
