"""Webhook endpoint where carriers and aggregators push tracking updates.

Thin on purpose: read the raw body (the signature covers its exact bytes), hand it to
``order.tracking.sync._ot_handle_webhook`` and turn its ``(status, dict)`` into JSON. The sender
is authenticated by the signature, not by a session, hence ``auth="none"`` and no CSRF token.

Answers: 200 ``{"result": "ok"}`` when applied; 200 ``{"result": "duplicate"}`` for an event
already processed (a replay is harmless, and a 2xx stops the sender's retries); 400 for a body
that is not a valid payload; 401 for a missing, wrong or expired signature; 404 for an unknown
endpoint; 503 when we failed (the sender retries later). Never a stack trace.
"""

import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

_logger = logging.getLogger(__name__)


class OrderTrackingWebhookController(http.Controller):
    @http.route(
        "/order-tracking/webhook/<string:provider>/<int:carrier_id>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        readonly=False,
        save_session=False,
        max_content_length=1024 * 1024,
    )
    def order_tracking_webhook(self, provider, carrier_id, **_kwargs):
        if not request.db:
            return request.make_json_response({"error": "unknown webhook"}, status=404)
        body = request.httprequest.get_data(cache=False)
        headers = dict(request.httprequest.headers.items())
        # sudo: order.tracking.sync - the sender has no Odoo user; its signature, checked
        # against the carrier's secret before anything is written, is the authentication.
        service = request.env(user=SUPERUSER_ID)["order.tracking.sync"]
        status, payload = service._ot_handle_webhook(provider, carrier_id, headers, body)
        return request.make_json_response(payload, status=status)
