"""A small Bot API client shared by Telegram and Bale (Bale's Bot API mirrors Telegram's).

``BotApiClient(base_url, token).call("sendMessage", chat_id=..., text=...)`` posts JSON to
``<base_url>/bot<token>/<method>`` and returns the ``result`` of the ``{"ok": true}`` envelope.
An ``{"ok": false}`` answer raises a typed error from ``exceptions.py``: 429 is retried after
the ``retry_after`` the API asked for (within a budget, so a webhook answer never waits long),
401/403/404 mean a wrong token or a chat that blocked the bot (permanent), 5xx and network
errors are retryable. The token is part of the URL: it never appears in an error message or a
log line (see :func:`redact`).
"""

import logging
import time

import requests

from ..exceptions import AuthenticationError, InvalidResponseError, PermanentError, RetryableError

_logger = logging.getLogger(__name__)

# Documented base URLs (core.telegram.org/bots/api, docs.bale.ai); each bot may override its own.
DEFAULT_BASE_URLS = {
    "telegram": "https://api.telegram.org",
    "bale": "https://tapi.bale.ai",
}
TIMEOUT = 10
# The most a single call may sleep on 429s in total: a webhook must answer within seconds.
RETRY_BUDGET_SECONDS = 10
MAX_ATTEMPTS = 3


class BotApiError(PermanentError):
    """The API refused the call for good (bad request, chat not found, ...)."""


class BotBlockedError(AuthenticationError):
    """403: the user blocked the bot or the chat is gone; sending again will not help."""


def redact(text, token):
    """``text`` without the bot token (an exception message may quote the URL)."""
    text = str(text or "")
    return text.replace(token, "***") if token else text


class BotApiClient:
    """One bot's connection to the Bot API; ``session`` and ``sleep`` are injectable for tests."""

    def __init__(self, base_url, token, session=None, timeout=TIMEOUT, sleep=time.sleep):
        if not token:
            raise AuthenticationError("The bot has no token")
        self.base_url = (base_url or "").rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.timeout = timeout
        self.sleep = sleep

    def _url(self, method):
        return f"{self.base_url}/bot{self.token}/{method}"

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
        try:
            response = self.session.post(self._url(method), json=params, timeout=self.timeout)
        except requests.RequestException as error:
            # The exception text may quote the URL, hence the token.
            raise RetryableError(
                f"{method}: {type(error).__name__}: {redact(error, self.token)}"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "ok" not in body:
            if response.status_code >= 500 or response.status_code == 429:
                raise RetryableError(f"{method}: HTTP {response.status_code}")
            raise InvalidResponseError(
                f"{method}: not a Bot API answer (HTTP {response.status_code})",
                status_code=response.status_code,
            )
        if body.get("ok"):
            return body.get("result")
        code = body.get("error_code") or response.status_code
        description = redact(body.get("description") or "", self.token)[:300]
        message = f"{method}: {code} {description}".strip()
        parameters = body.get("parameters") or {}
        if code == 429:
            retry_after = parameters.get("retry_after")
            retry_after = int(retry_after) if isinstance(retry_after, (int, float)) else 1
            raise RetryableError(message, retry_after=retry_after, status_code=code)
        if code == 403:
            raise BotBlockedError(message, status_code=code)
        if code in (401, 404):
            raise AuthenticationError(message, status_code=code)
        if isinstance(code, int) and code >= 500:
            raise RetryableError(message, status_code=code)
        raise BotApiError(message, status_code=code)

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
