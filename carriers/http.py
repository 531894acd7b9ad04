"""The one HTTP path of the carrier clients: a session, explicit timeouts, typed errors.

Every request goes through ``HttpMixin._request`` so that timeouts are never forgotten,
transport failures become ``RetryableError``, provider answers are classified the same
way for all carriers, and nothing secret reaches a log line or an error message.
"""

import json
import logging
import math
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import partial
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from ..exceptions import (
    AuthenticationError,
    InvalidResponseError,
    PermanentError,
    RetryableError,
    TrackingNotFoundError,
)

_logger = logging.getLogger(__name__)

# (connect, read) seconds. Connect is short: an unreachable carrier should fail fast so
# the chatbot can answer "we'll check again"; read allows slow but alive APIs.
DEFAULT_TIMEOUT = (3.05, 10.0)
# A tracking answer is a few KB; anything far bigger is junk or an attack on memory.
MAX_RESPONSE_BYTES = 2 * 1024 * 1024
MAX_RETRY_AFTER = 24 * 3600.0
REDACTED = "***"

# Secrets that may appear in text we did not build ourselves (provider error bodies,
# exception messages that quote URLs or payloads).
_SECRET_PATTERNS = (
    re.compile(
        r"(?i)(\"?(?:[a-z0-9_-]*api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|token"
        r"|password|passwd|secret|signature|authorization|as-api-key|x-api-key)\"?"
        r"\s*[:=]\s*\"?)(?:bearer\s+|basic\s+)?([^\s\"&,;}]+)"
    ),
    re.compile(r"(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}"),
)


def redact(text, secrets=()):
    """Remove known secret values and secret-looking ``key=value`` pairs from ``text``."""
    if text is None:
        return ""
    text = str(text)
    for secret in sorted({s for s in secrets if s and len(str(s)) >= 4}, key=len, reverse=True):
        text = text.replace(str(secret), REDACTED)
    text = _SECRET_PATTERNS[0].sub(lambda m: m.group(1) + REDACTED, text)
    return _SECRET_PATTERNS[1].sub(lambda m: m.group(1) + " " + REDACTED, text)


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
        if math.isnan(seconds):
            return None
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _pieces(response, size=65536):
    """Yield the body as it arrives, one socket read at a time.

    ``iter_content`` would block until a whole chunk is buffered, so a server sending a
    byte at a time could outlive the deadline check; ``read1`` returns what is there.
    """
    raw = response.raw
    if isinstance(raw, urllib3.response.BaseHTTPResponse) and hasattr(type(raw), "read1"):
        read = partial(raw.read1, size, decode_content=True)
    elif hasattr(raw, "read1"):
        read = partial(raw.read1, size)
    else:
        yield from response.iter_content(chunk_size=1024)
        return
    while True:
        piece = read()
        if not piece:
            return
        yield piece


class HttpMixin:
    """Shared HTTP plumbing for clients; call ``_init_http`` from ``__init__``."""

    name = ""

    def _init_http(self, base_url, *, timeout=None, session=None, secrets=()):
        self.base_url = str(base_url).rstrip("/")
        self.timeout = tuple(timeout) if timeout else DEFAULT_TIMEOUT
        if len(self.timeout) != 2:
            raise ValueError("timeout must be a (connect, read) pair")
        # Overall cap per request: the read timeout only bounds the gap between bytes,
        # so a server trickling a byte per second could otherwise hold a worker forever.
        self.deadline = self.timeout[0] + 2 * self.timeout[1]
        self._secrets = {s for s in secrets if s}
        if session is None:
            session = requests.Session()
            # No transport retries: retry policy (backoff, caps) belongs to the caller,
            # which knows whether a cron or a customer is waiting.
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session

    def __repr__(self):
        return f"<{type(self).__name__} base_url={self._redact(self.base_url)!r}>"

    def _add_secret(self, value):
        if value:
            self._secrets.add(value)

    def _redact(self, text):
        return redact(text, getattr(self, "_secrets", ()))

    def _error(self, cls, message, **kwargs):
        return cls(self._redact(f"{self.name}: {message}"), carrier=self.name, **kwargs)

    def _unknown_code(self, code, status_code=None):
        """The per-code answer of single-code endpoints that do not know ``code``."""
        return {
            code: self._error(
                TrackingNotFoundError,
                "unknown tracking code",
                tracking_code=code,
                status_code=status_code,
            )
        }

    def _request(self, method, path, *, allow_status=(), **kwargs):
        """Send one request; return the ``requests.Response`` or raise a typed error.

        ``allow_status`` lists non-2xx codes the caller interprets itself (e.g. 404 for
        an unknown tracking code on a single-code endpoint).
        """
        url = (
            path
            if path.startswith(("http://", "https://"))
            else f"{self.base_url}/{path.lstrip('/')}"
        )
        shown = self._redact(urlsplit(url).path)
        started = time.monotonic()
        try:
            response = self.session.request(
                method, url, timeout=self.timeout, stream=True, **kwargs
            )
        except requests.Timeout as exc:
            raise self._error(RetryableError, f"timeout calling {shown}") from exc
        except requests.ConnectionError as exc:
            raise self._error(RetryableError, f"connection failed to {shown}: {exc}") from exc
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
            requests.exceptions.InvalidHeader,
        ) as exc:
            raise self._error(PermanentError, f"bad request configuration: {exc}") from exc
        except requests.RequestException as exc:
            raise self._error(RetryableError, f"request failed: {exc}") from exc
        try:
            body = self._read_body(response, started, shown)
        finally:
            response.close()
        _logger.debug(
            "%s %s %s -> %s in %.2fs",
            self.name,
            method,
            shown,
            response.status_code,
            time.monotonic() - started,
        )
        self._raise_for_status(response, body, shown, allow_status)
        return response

    def _read_body(self, response, started, shown):
        chunks, size = [], 0
        try:
            for chunk in _pieces(response):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise self._error(InvalidResponseError, f"response from {shown} too large")
                chunks.append(chunk)
                if time.monotonic() - started > self.deadline:
                    raise self._error(RetryableError, f"timeout reading {shown} (too slow)")
        except (
            requests.Timeout,
            requests.ConnectionError,
            urllib3.exceptions.TimeoutError,
            urllib3.exceptions.ProtocolError,
        ) as exc:
            # requests reports a read timeout inside the body as a ConnectionError.
            raise self._error(RetryableError, f"timeout or cut connection reading {shown}") from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise self._error(InvalidResponseError, f"broken response from {shown}: {exc}") from exc
        # Cache the body on the response so callers use .content/.json() as usual.
        response._content = b"".join(chunks)
        response._content_consumed = True
        return response._content

    def _raise_for_status(self, response, body, shown, allow_status):
        status = response.status_code
        if 200 <= status < 300 or status in allow_status:
            return
        detail = self._snippet(body)
        message = f"HTTP {status} from {shown}" + (f": {detail}" if detail else "")
        if status == 429 or status >= 500 or status == 408:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise self._error(RetryableError, message, status_code=status, retry_after=retry_after)
        if status in (401, 403):
            raise self._error(AuthenticationError, message, status_code=status)
        # A 404 on a single-code endpoint means "unknown code": those clients pass
        # allow_status=(404,) and decide. Elsewhere it means a wrong base URL.
        raise self._error(PermanentError, message, status_code=status)

    def _snippet(self, body, limit=160):
        """A short, redacted excerpt of an error body, only when it is JSON text."""
        text = body.decode("utf-8", "replace").strip() if body else ""
        if not text.startswith(("{", "[")):
            return ""
        return self._redact(" ".join(text.split()))[:limit]

    def _json(self, response):
        """Decode a JSON body (UTF-8, BOM tolerated) or raise ``InvalidResponseError``."""
        try:
            return json.loads(response.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise self._error(InvalidResponseError, "response is not valid JSON") from exc

    def _shape_error(self, what):
        """Error for JSON that parsed but does not have the documented shape."""
        return self._error(InvalidResponseError, f"unexpected response shape: {what}")
