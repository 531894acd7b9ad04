"""A small Bot API client shared by Telegram and Bale (Bale's Bot API mirrors Telegram's).

``BotApiClient(base_url, token).call("sendMessage", chat_id=..., text=...)`` posts JSON to
``<base_url>/bot<token>/<method>`` and returns the ``result`` of the ``{"ok": true}`` envelope.
An ``{"ok": false}`` answer raises a typed error from ``exceptions.py``: 429 is retried after
the ``retry_after`` the API asked for (within a budget, so a webhook answer never waits long),
401/403/404 mean a wrong token or a chat that blocked the bot (permanent), 5xx and network
errors are retryable. Requests go through the carriers' shared HTTP path
(``carriers/http.py``: timeouts, a size and time cap on answers, typed transport errors), which
also keeps the token, part of the URL, out of every error message and log line.
"""

import logging
import time

from ..carriers.http import HttpMixin
from ..exceptions import AuthenticationError, InvalidResponseError, PermanentError, RetryableError

_logger = logging.getLogger(__name__)

# Documented base URLs (core.telegram.org/bots/api, docs.bale.ai); each bot may override its own.
DEFAULT_BASE_URLS = {
    "telegram": "https://api.telegram.org",
    "bale": "https://tapi.bale.ai",
}
# (connect, read) seconds.
TIMEOUT = (3.05, 10.0)
# The most a single call may sleep on 429s in total: a webhook must answer within seconds.
RETRY_BUDGET_SECONDS = 10
MAX_ATTEMPTS = 3
# Every answer carries the API's own envelope, errors included: this client reads it itself.
ENVELOPE_STATUSES = range(300, 600)


class BotApiError(PermanentError):
    """The API refused the call for good (bad request, chat not found, ...)."""


class BotBlockedError(AuthenticationError):
    """403: the user blocked the bot or the chat is gone; sending again will not help."""


class BotApiClient(HttpMixin):
    """One bot's connection to the Bot API; ``session`` and ``sleep`` are injectable for tests."""

    name = "Bot API"

    def __init__(self, base_url, token, session=None, timeout=TIMEOUT, sleep=time.sleep):
        if not token:
            raise AuthenticationError("The bot has no token")
        self.token = token
        self._init_http(base_url or "", timeout=timeout, session=session, secrets=(token,))
        self.sleep = sleep

    def call(self, method, retry_budget=RETRY_BUDGET_SECONDS, **params):
        """POST ``params`` as JSON to ``method``; the ``result`` of the answer.

        A 429 is retried after ``parameters.retry_after`` seconds while the sum of the waits
        stays within ``retry_budget``; past it a :class:`RetryableError` carries ``retry_after``
        so a queue can try later.
        """
        waited = 0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self._call_once(method, params)
            except RetryableError as error:
                wait = error.retry_after
                if wait is None or attempt == MAX_ATTEMPTS or waited + wait > retry_budget:
                    raise
                _logger.info("Bot API %s: rate limited, retrying after %ss", method, wait)
                self.sleep(wait)
                waited += wait
        raise RetryableError(f"{method}: no answer")  # pragma: no cover - loop always returns

    def _call_once(self, method, params):
        response = self._request(
            "POST", f"bot{self.token}/{method}", json=params, allow_status=ENVELOPE_STATUSES
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "ok" not in body:
            if response.status_code >= 500 or response.status_code == 429:
                raise self._error(
                    RetryableError,
                    f"{method}: HTTP {response.status_code}",
                    status_code=response.status_code,
                )
            raise self._error(
                InvalidResponseError,
                f"{method}: not a Bot API answer (HTTP {response.status_code})",
                status_code=response.status_code,
            )
        if body.get("ok"):
            return body.get("result")
        code = body.get("error_code") or response.status_code
        message = f"{method}: {code} {str(body.get('description') or '')[:300]}".strip()
        parameters = body.get("parameters") or {}
        if code == 429:
            retry_after = parameters.get("retry_after")
            retry_after = int(retry_after) if isinstance(retry_after, (int, float)) else 1
            raise self._error(RetryableError, message, retry_after=retry_after, status_code=code)
        if code == 403:
            raise self._error(BotBlockedError, message, status_code=code)
        if code in (401, 404):
            raise self._error(AuthenticationError, message, status_code=code)
        if isinstance(code, int) and code >= 500:
            raise self._error(RetryableError, message, status_code=code)
        raise self._error(BotApiError, message, status_code=code)

    # -- the few methods the addon uses ---------------------------------------------------------

    def get_me(self):
        return self.call("getMe")

    def set_webhook(self, url, secret_token, allowed_updates):
        return self.call(
            "setWebhook", url=url, secret_token=secret_token, allowed_updates=list(allowed_updates)
        )

    def get_webhook_info(self):
        return self.call("getWebhookInfo")

    def send_message(self, chat_id, text, reply_markup=None):
        params = {"chat_id": chat_id, "text": text}
        if reply_markup:
            params["reply_markup"] = reply_markup
        return self.call("sendMessage", **params)

    def answer_callback_query(self, callback_query_id):
        # Stops the spinner on the pressed button; a failure here must not stop the answer.
        return self.call("answerCallbackQuery", retry_budget=0, callback_query_id=callback_query_id)
