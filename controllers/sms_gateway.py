"""Delivery-report callbacks of SMS gateways (the providers that push reports, e.g. Kavenegar).

Thin on purpose: hand the provider name, company, URL token and form/query fields to
``sms.tracker._ot_dlr_callback``, which checks the token and then asks the provider's API about
the ids the push names (pushes are unsigned, so their content is never written as-is).
Answers 200 ``OK`` when accepted and 404 otherwise (unknown company or provider, wrong token,
unreadable push), whatever the reason, so the URL reveals nothing.
"""

from odoo import SUPERUSER_ID, http
from odoo.http import request


class OrderTrackingSmsGatewayController(http.Controller):
    @http.route(
        "/order-tracking/sms/dlr/<string:provider>/<int:company_id>/<string:token>",
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        readonly=False,
        save_session=False,
        max_content_length=64 * 1024,
    )
    def order_tracking_sms_delivery_report(self, provider, company_id, token, **params):
        if not request.db:
            return request.make_response("not found", status=404)
        # sudo: sms.tracker - the provider has no Odoo user; the company's secret token in
        # the URL, compared in constant time before anything is read, authenticates it.
        trackers = request.env(user=SUPERUSER_ID)["sms.tracker"]
        if not trackers._ot_dlr_callback(provider, company_id, token, params):
            return request.make_response("not found", status=404)
        return request.make_response("OK", headers=[("Content-Type", "text/plain")])
