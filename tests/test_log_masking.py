"""Tokens in URLs never reach Odoo's request log (controllers/api.py ``mask_token_path``): the
chat token, the survey token, a Bale bot's webhook secret, the order's access token (address
page, portal links) and the unsubscribe token with its e-mail address are cut short in
werkzeug's request lines."""

import logging
import secrets

from odoo.tests import HttpCase, tagged

from odoo.addons.order_tracking_chatbot.controllers.api import (
    _TOKEN_LOG_FILTER,
    API_PREFIX,
    mask_token_path,
)

from .common import demo_order


class TestMaskTokenPath(HttpCase):
    """The masking itself, on the URL shapes the addon and Odoo's portal put tokens in."""

    def test_every_kind_of_url_token_is_cut_to_four_characters(self):
        token = secrets.token_urlsafe(32)
        cases = {
            f"POST {API_PREFIX}/sessions/{token}/messages HTTP/1.1": (
                f"{API_PREFIX}/sessions/{token[:4]}***/messages"
            ),
            f"GET /order-tracking/survey/42/{token} HTTP/1.1": (
                f"/order-tracking/survey/42/{token[:4]}*** "
            ),
            f"GET /order-tracking/survey/42/{token}?score=5 HTTP/1.1": (
                f"/order-tracking/survey/42/{token[:4]}***?score=5"
            ),
            f"POST /order-tracking/address/42?access_token={token} HTTP/1.1": (
                f"/order-tracking/address/42?access_token={token[:4]}*** "
            ),
            f"GET /my/orders/42?report_type=pdf&access_token={token}&download=1 HTTP/1.1": (
                f"&access_token={token[:4]}***&download=1"
            ),
            f"POST /order-tracking/messenger/7/webhook/{token} HTTP/1.1": (
                f"/order-tracking/messenger/7/webhook/{token[:4]}*** "
            ),
            f"GET /order-tracking/unsubscribe?email=sara@example.com&token={token} HTTP/1.1": (
                f"?email=sa***&token={token[:4]}*** "
            ),
        }
        for line, expected in cases.items():
            with self.subTest(line=line[:40]):
                masked = mask_token_path(line)
                self.assertNotIn(token, masked)
                self.assertNotIn(token[4:12], masked)
                self.assertIn(expected, masked)
        self.assertNotIn("sara@example.com", mask_token_path(next(reversed(cases))))

    def test_other_lines_are_left_alone(self):
        for line in (
            "GET /shop?order=name+asc HTTP/1.1",
            "GET /order-tracking/survey HTTP/1.1",
            "POST /order-tracking/messenger/7/webhook HTTP/1.1",
            "POST /web/session/authenticate HTTP/1.1",
            "GET /web/assets/1/web.assets_frontend.min.js HTTP/1.1",
        ):
            with self.subTest(line=line):
                self.assertEqual(mask_token_path(line), line)

    def test_the_filter_masks_messages_and_arguments(self):
        token = secrets.token_urlsafe(32)
        logger = logging.getLogger("werkzeug")
        self.assertIn(_TOKEN_LOG_FILTER, logger.filters)
        # Odoo's request handler passes the request line as an argument.
        record = logger.makeRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            1,
            '"%s" %s %s',
            (f"GET /order-tracking/survey/7/{token} HTTP/1.1", "404", "-"),
            None,
        )
        self.assertTrue(_TOKEN_LOG_FILTER.filter(record))
        self.assertNotIn(token, record.getMessage())
        self.assertIn(f"/survey/7/{token[:4]}***", record.getMessage())
        record = logger.makeRecord(
            "werkzeug", logging.INFO, __file__, 1, f"GET /x?access_token={token}", (), None
        )
        _TOKEN_LOG_FILTER.filter(record)
        self.assertNotIn(token, record.getMessage())


@tagged("post_install", "-at_install")
class TestRequestLogLines(HttpCase):
    """Real requests through Odoo's HTTP server: its request log lines carry no token."""

    def test_request_lines_of_token_pages_are_masked(self):
        order = demo_order(self.env, "DELIVERED")
        survey_token = secrets.token_urlsafe(24)
        access_token = order._portal_ensure_token()
        unsubscribe_token = secrets.token_hex(32)
        paths = [
            f"/order-tracking/survey/{order.id}/{survey_token}",
            f"/order-tracking/address/{order.id}?access_token={access_token}",
            f"/my/orders/{order.id}?access_token={access_token}",
            f"/order-tracking/unsubscribe?email=sara%40example.com&token={unsubscribe_token}",
        ]
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            for path in paths:
                self.url_open(path, allow_redirects=False)
        lines = "\n".join(logs.output)
        for path in ("/order-tracking/survey/", "/order-tracking/address/", "/my/orders/"):
            self.assertIn(path, lines, "the request was logged")
        for secret in (survey_token, access_token, unsubscribe_token, "sara%40example.com"):
            self.assertNotIn(secret, lines)
            self.assertNotIn(secret[:12], lines)
        self.assertIn(f"{survey_token[:4]}***", lines)
        self.assertIn(f"access_token={access_token[:4]}***", lines)
