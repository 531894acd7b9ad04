"""The full-page order tracker at /order-tracking (the conversation goes through the JSON API).

Carrier tracking links and notification messages point here with ``?code=<tracking code>`` or
``?order=<order number>``: the page then starts that lookup by itself. The value is only handed to
the browser as a prefill of what the visitor could have typed; nothing is looked up here.
"""

import re

from odoo import http
from odoo.http import request

# Order numbers and tracking codes are short; anything longer, or with control characters, is not
# a lookup worth starting automatically (the visitor can still type it in the chat).
PREFILL_MAX_LENGTH = 64
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class OrderTrackingPage(http.Controller):
    @http.route(
        "/order-tracking",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=True,
    )
    def order_tracking_page(self, order=None, code=None, **_kwargs):
        values = {"ot_page_props": self._prepare_page_props(order=order, code=code)}
        return request.render("order_tracking_chatbot.order_tracking_page", values)

    def _prepare_page_props(self, order=None, code=None):
        """Props of the TrackingPage component: the page language and an optional prefill."""
        props = {"lang": request.env.lang or "en_US"}
        for kind, value in (("code", code), ("order", order)):
            clean = self._clean_prefill(value)
            if clean:
                props["prefill"] = {"kind": kind, "value": clean}
                break
        return props

    @staticmethod
    def _clean_prefill(value):
        if not isinstance(value, str):
            return ""
        value = value.strip()
        if not value or len(value) > PREFILL_MAX_LENGTH or _CONTROL_CHARS.search(value):
            return ""
        return value
