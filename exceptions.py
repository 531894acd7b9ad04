"""Typed errors raised by the carrier clients (plain Python, no Odoo import).

Every error says through ``.retryable`` whether asking again later can succeed, so the
Odoo layer (crons, controllers) decides between "retry with backoff", "tell a person"
and "answer the customer" without parsing messages. Messages are built by the clients
from already-redacted text: they may be logged and shown to administrators, never
secrets (see ``carriers.base.redact``).
"""


class TrackingError(Exception):
    """Base class: a tracking look-up or webhook could not be turned into a result."""

    retryable = False

    def __init__(self, message="", *, carrier=None, tracking_code=None, status_code=None):
        super().__init__(message)
        self.message = message
        self.carrier = carrier
        self.tracking_code = tracking_code
        self.status_code = status_code

    def __str__(self):
        return self.message

    def __repr__(self):
        # Only fields that are safe to show; the message was redacted by its author.
        parts = [repr(self.message)]
        for name in ("carrier", "tracking_code", "status_code"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class RetryableError(TrackingError):
    """Temporary: timeouts, connection errors, HTTP 5xx and 429.

    ``retry_after`` (seconds) is set when the provider said how long to wait.
    """

    retryable = True

    def __init__(self, message="", *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after

    def __repr__(self):
        base = super().__repr__()
        if self.retry_after is None:
            return base
        return f"{base[:-1]}, retry_after={self.retry_after!r})"


class InvalidResponseError(RetryableError):
    """The provider answered with junk: HTML, truncated JSON, JSON of the wrong shape.

    Treated as retryable because in practice junk comes from transient states on the
    provider's side (a proxy error page, a deploy in progress, a cut connection), not
    from our request; a later attempt usually gets a proper answer. Repeated junk is
    caught by the caller's retry cap and then surfaces to a person.
    """


class PermanentError(TrackingError):
    """Asking again will not help: bad credentials, bad configuration, unknown code."""


class AuthenticationError(PermanentError):
    """HTTP 401/403 or a provider-level "bad credentials" answer: fix the settings."""


class TrackingNotFoundError(PermanentError):
    """The provider does not know this tracking code (yet)."""


class SignatureError(TrackingError):
    """An inbound webhook failed verification; it must be rejected, never processed.

    ``reason`` is one of ``missing``, ``malformed``, ``mismatch``, ``expired``,
    ``replayed``, ``not_configured`` so the controller can answer (e.g. acknowledge a
    replay with 200 but refuse a forgery with 401) without reading the message.
    """

    def __init__(self, message="", *, reason="mismatch", **kwargs):
        super().__init__(message, **kwargs)
        self.reason = reason
