"""Public chat API: plain JSON over HTTP for the website widget, the full-page tracker and bots.

The routes are thin on purpose: check what HTTP carries (size, content type, JSON), make one
call to ``order.tracking.chat.session`` -- which owns rate limits, verification, disclosure,
audit and the dialogue -- and turn its ``(status, body)`` into a JSON response. The contract is
``api/openapi.json``, served at ``/order-tracking/api/v1/openapi.json``; tests/test_api_openapi.py
keeps the routes and the document in step.

Every failure is a JSON ``{"error": {"code", "message"}}`` with a 4xx status, never an HTML page
or a stack trace; an unexpected exception becomes a bare 500 JSON and is logged here.

The answers carry no Odoo session cookie (``save_session=False``): a bot or a widget holds only
the opaque chat token. There are no CORS headers: the widget is served from the same origin. To
let another origin call the API, inherit this controller and re-decorate the two POST routes with
``@http.route(cors="https://other.example")`` (Odoo then answers the OPTIONS preflight itself), or
add the headers in the reverse proxy in front of Odoo.
"""

import json
import logging
import math
import re

from odoo import http
from odoo.exceptions import ConcurrencyError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.misc import file_open

from ..models.order_tracking_chat_session import API_CHANNELS, LANGS

_logger = logging.getLogger(__name__)

API_PREFIX = "/order-tracking/api/v1"
OPENAPI_FILE = "order_tracking_chatbot/api/openapi.json"

# Larger bodies are refused before they are parsed: a chat turn is a few hundred bytes. (The
# model refuses texts over 1,000 characters with its own 413, in the session's language.)
MAX_BODY_BYTES = 16 * 1024

SESSION_FIELDS = frozenset({"lang", "channel"})

_API_HEADERS = [
    # Answers may hold order details disclosed to one verified visitor: never cache them.
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
]
_ALLOW_SESSION_POST = "POST, OPTIONS"
_ALLOW_OPENAPI = "GET, HEAD, OPTIONS"
# The rest of the usual verbs, routed to a JSON 405 instead of Odoo's HTML error page.
_OTHER_METHODS = ["GET", "PUT", "PATCH", "DELETE"]


# What _ot_read_json answers for an empty body, told apart from a JSON `null`.
NO_BODY = object()


# Tokens in URLs are credentials, and Odoo's HTTP server writes every request's URL to its log:
# the chat token (the visitor's only credential, in the API path), the survey token of a
# delivered order (in the survey page's path), the webhook secret of a Bale bot (its webhook
# path's last segment), the order's access token of the address page and of portal links
# (``access_token=``) and the unsubscribe token (``token=``). Each is cut to its first 4
# characters; the e-mail address of an unsubscribe link to its first 2.
_TOKEN_IN_PATH = re.compile(r"(/sessions/)([^/\s\"?#]{4})[^/\s\"?#]*")
_URL_SECRETS = (
    (_TOKEN_IN_PATH, r"\1\2***"),
    (re.compile(r"(/order-tracking/survey/\d+/)([^/\s\"?#]{4})[^/\s\"?#]*"), r"\1\2***"),
    (re.compile(r"(/order-tracking/messenger/\d+/webhook/)([^/\s\"?#]{4})[^/\s\"?#]*"), r"\1\2***"),
    (re.compile(r"([?&](?:access_)?token=)([^&\s\"#]{4})[^&\s\"#]*"), r"\1\2***"),
    (re.compile(r"([?&]email=)([^&\s\"#]{2})[^&\s\"#]*"), r"\1\2***"),
)
# A log line without any of these is left alone without running the patterns.
_URL_SECRET_MARKS = ("/sessions/", "/order-tracking/survey/", "/webhook/", "token=", "email=")


def mask_token_path(text):
    """``text`` with the tokens of URLs (chat, survey, webhook, access and unsubscribe tokens)
    cut to their first 4 characters."""
    if not any(mark in text for mark in _URL_SECRET_MARKS):
        return text
    for pattern, replacement in _URL_SECRETS:
        text = pattern.sub(replacement, text)
    return text


class ChatTokenLogFilter(logging.Filter):
    """Masks URL tokens in request log lines (werkzeug formats the path into the message)."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = mask_token_path(record.msg)
        if isinstance(record.args, tuple) and any(isinstance(arg, str) for arg in record.args):
            record.args = tuple(
                mask_token_path(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


_TOKEN_LOG_FILTER = ChatTokenLogFilter()
logging.getLogger("werkzeug").addFilter(_TOKEN_LOG_FILTER)


class ApiError(Exception):
    """A request the API refuses, with the HTTP status and a machine-readable code."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or []


class OrderTrackingApi(http.Controller):
    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(
        f"{API_PREFIX}/sessions",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def api_session_start(self, **kwargs):
        """Open a chat session; answer its token and the greeting messages."""
        return self._ot_serve(self._ot_start_session, _ALLOW_SESSION_POST)

    @http.route(
        f"{API_PREFIX}/sessions/<string:token>/messages",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def api_session_message(self, token, **kwargs):
        """Post one visitor turn (free text or a button's action) and answer the bot's reply."""
        return self._ot_serve(lambda: self._ot_post_message(token), _ALLOW_SESSION_POST)

    @http.route(
        f"{API_PREFIX}/openapi.json",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
        readonly=True,
    )
    def api_openapi(self, **kwargs):
        """The OpenAPI 3 description of this API, as kept in the repository."""
        if request.httprequest.method == "OPTIONS":
            return self._ot_options(_ALLOW_OPENAPI)
        with file_open(OPENAPI_FILE, "rb") as document:
            body = document.read()
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Cache-Control", "public, max-age=3600"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @http.route(
        [f"{API_PREFIX}/sessions", f"{API_PREFIX}/sessions/<string:token>/messages"],
        type="http",
        auth="public",
        methods=_OTHER_METHODS,
        csrf=False,
        save_session=False,
        readonly=True,
    )
    def api_session_wrong_method(self, token=None, **kwargs):
        """Other verbs on the chat resources: a JSON 405 rather than Odoo's HTML error page."""
        return self._ot_serve(self._ot_method_not_allowed, _ALLOW_SESSION_POST)

    @http.route(
        f"{API_PREFIX}/openapi.json",
        type="http",
        auth="public",
        methods=["POST", "PUT", "PATCH", "DELETE"],
        csrf=False,
        save_session=False,
        readonly=True,
    )
    def api_openapi_wrong_method(self, **kwargs):
        """The document is read-only."""
        return self._ot_serve(self._ot_method_not_allowed, _ALLOW_OPENAPI)

    # ------------------------------------------------------------------
    # One call to the model per route
    # ------------------------------------------------------------------

    def _ot_start_session(self):
        payload = self._ot_read_json()
        if payload is NO_BODY:
            payload = {}
        elif not isinstance(payload, dict):
            raise ApiError(
                400, "invalid_body", self._ot_env()._("The request body must be a JSON object.")
            )
        self._ot_check_start_payload(payload)
        lang = payload.get("lang") or self._ot_accept_language()
        # sudo: order.tracking.chat.session - visitors have no Odoo login; the model creates the
        # session (nothing disclosed yet) and applies the per-IP limit on new sessions.
        sessions = request.env["order.tracking.chat.session"].sudo()
        body = sessions._ot_api_start(lang, payload.get("channel", "api"), self._ot_client_ip())
        error = body.get("error")
        if error:
            return (429 if error.get("code") == "rate_limited" else 400), body
        return 201, body

    def _ot_post_message(self, token):
        # The payload's fields (text or action, lang) are checked by the model, which answers in
        # the session's language; only what HTTP and JSON can carry is checked here.
        payload = self._ot_read_json()
        if payload is NO_BODY:
            payload = None
        # sudo: order.tracking.chat.session - the token is the visitor's only credential; the model
        # checks it, rate-limits the session, IP and looked-up targets, and discloses by level.
        sessions = request.env["order.tracking.chat.session"].sudo()
        return sessions._ot_api_post(token, payload, self._ot_client_ip())

    def _ot_method_not_allowed(self):
        raise ApiError(
            405,
            "method_not_allowed",
            self._ot_env()._(
                "Method %(method)s is not allowed here.", method=request.httprequest.method
            ),
        )

    # ------------------------------------------------------------------
    # Request checks
    # ------------------------------------------------------------------

    def _ot_read_json(self):
        """The request body parsed as JSON, or ``NO_BODY`` when there is none (a JSON ``null``
        body is None, which is not an object)."""
        httprequest = request.httprequest
        env = self._ot_env()
        too_large = ApiError(
            413,
            "body_too_large",
            env._("The request body is larger than %(limit)s bytes.", limit=MAX_BODY_BYTES),
        )
        length = httprequest.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise too_large
        # Without a Content-Length (a chunked upload) the body is read, then measured.
        raw = httprequest.get_data(cache=True)
        if len(raw) > MAX_BODY_BYTES:
            raise too_large
        charset = httprequest.mimetype_params.get("charset", "utf-8").lower()
        is_json = httprequest.mimetype == "application/json" and charset in ("utf-8", "utf8")
        # A form body was already consumed by Odoo's form parsing: its length still tells.
        if not raw.strip() and (is_json or not length):
            return NO_BODY
        if not is_json:
            raise ApiError(
                415,
                "unsupported_media_type",
                env._("Send the body as JSON with the header 'Content-Type: application/json'."),
                headers=[("Accept", "application/json")],
            )
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ApiError(
                400, "invalid_json", env._("The request body is not valid JSON.")
            ) from None
        if not self._ot_storable(payload):
            raise ApiError(
                400,
                "invalid_text",
                env._("The request contains characters that are not allowed."),
            )
        return payload

    def _ot_storable(self, value, depth=0):
        """False when a string in ``value`` holds NUL or a lone surrogate.

        JSON can carry both ("\\u0000", "\\ud800") but PostgreSQL cannot store them: they would
        end as a 500 when the transcript is written.
        """
        if depth > 32:
            return True  # only top-level strings are stored; deeper nesting is refused anyway
        if isinstance(value, str):
            if "\x00" in value:
                return False
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
            return True
        if isinstance(value, dict):
            return all(
                self._ot_storable(k, depth + 1) and self._ot_storable(v, depth + 1)
                for k, v in value.items()
            )
        if isinstance(value, list):
            return all(self._ot_storable(v, depth + 1) for v in value)
        return True

    def _ot_check_start_payload(self, payload):
        env = self._ot_env(payload.get("lang") if payload.get("lang") in LANGS else None)
        unknown = sorted(set(payload) - SESSION_FIELDS)
        if unknown:
            raise ApiError(
                400,
                "unknown_field",
                env._("Only 'lang' and 'channel' are accepted."),
            )
        if "lang" in payload and payload["lang"] not in LANGS:
            raise ApiError(400, "invalid_lang", env._("'lang' must be fa_IR or en_US."))
        if "channel" in payload and payload["channel"] not in API_CHANNELS:
            raise ApiError(400, "invalid_channel", env._("'channel' must be widget, page or api."))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _ot_serve(self, handler, allow):
        """Run one route's handler and turn whatever happens into a JSON response."""
        if request.httprequest.method == "OPTIONS":
            return self._ot_options(allow)
        try:
            status, body = handler()
        except ApiError as error:
            headers = list(error.headers)
            if error.status == 405:
                headers.append(("Allow", allow))
            return self._ot_json(
                {"error": {"code": error.code, "message": error.message}}, error.status, headers
            )
        except (ConcurrencyError, *PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            # Odoo's request loop retries the whole request on these; do not swallow them.
            raise
        except Exception:
            # Nothing half-done may be committed, and nothing internal may reach the client.
            request.env.cr.rollback()
            _logger.exception(
                "Chat API: unexpected error on %s %s",
                request.httprequest.method,
                self._ot_masked_path(),
            )
            return self._ot_json(
                {
                    "error": {
                        "code": "internal_error",
                        "message": self._ot_env()._(
                            "Something went wrong on our side. Please try again in a moment."
                        ),
                    }
                },
                500,
            )
        headers = []
        if status == 429:
            retry_after = (body.get("error") or {}).get("retryAfter")
            if isinstance(retry_after, int | float) and retry_after > 0:
                headers.append(("Retry-After", str(math.ceil(retry_after))))
        return self._ot_json(body, status, headers)

    def _ot_json(self, body, status, headers=()):
        return request.make_json_response(body, headers=[*_API_HEADERS, *headers], status=status)

    def _ot_options(self, allow):
        return request.make_response(b"", headers=[("Allow", allow)], status=204)

    def _ot_env(self, lang=None):
        """An environment whose ``_()`` speaks the visitor's language."""
        lang = lang or self._ot_accept_language() or "en_US"
        return request.env(context=dict(request.env.context, lang=lang))

    def _ot_accept_language(self):
        best = request.httprequest.accept_languages.best_match(["fa-IR", "fa", "en-US", "en"])
        if not best:
            return None
        return "fa_IR" if best.startswith("fa") else "en_US"

    def _ot_client_ip(self):
        # Odoo rewrites remote_addr from X-Forwarded-For only when proxy_mode is on: the header
        # itself is never trusted here, or anyone could pick the IP their rate limit counts.
        return request.httprequest.remote_addr or ""

    def _ot_masked_path(self):
        return mask_token_path(request.httprequest.path)
