"""Webhook route of the Telegram and Bale bots: the only route the shop must expose to them.

Thin: the raw body, the headers and the optional secret path segment go to
``order.tracking.messenger.update._ot_handle_webhook``, whose ``(status, dict)`` becomes the
JSON answer. The platform is authenticated by the webhook secret (header or path), not by a
session, hence ``auth="none"`` and no CSRF token. A 2xx answer stops the platform's retries.
"""

from odoo import SUPERUSER_ID, http
from odoo.http import request


class OrderTrackingMessengerController(http.Controller):
    @http.route(
        [
            "/order-tracking/messenger/<int:bot_id>/webhook",
            "/order-tracking/messenger/<int:bot_id>/webhook/<string:path_secret>",
        ],
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        readonly=False,
        save_session=False,
        max_content_length=1024 * 1024,
    )
    def order_tracking_messenger_webhook(self, bot_id, path_secret=None, **_kwargs):
        if not request.db:
            return request.make_json_response({"ok": False}, status=404)
        body = request.httprequest.get_data(cache=False)
        headers = dict(request.httprequest.headers.items())
        # sudo: order.tracking.messenger.update - the platform has no Odoo user; the webhook
        # secret, checked before anything is read or written, is the authentication.
        updates = request.env(user=SUPERUSER_ID)["order.tracking.messenger.update"]
        status, payload = updates._ot_handle_webhook(bot_id, headers, body, path_secret)
        return request.make_json_response(payload, status=status)
