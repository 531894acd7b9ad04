"""The contract every Iranian SMS gateway client fills, and the vocabulary it answers in.

Results speak Odoo's language without importing Odoo: failure types are the values of
``sms.sms.failure_type`` (addons/sms/models/sms_sms.py) and delivery errors are the suffixes
Odoo's ``sms.tracker._action_update_from_provider_error`` turns into ``sms_<error>``.
Transport and provider failures are the typed errors of ``exceptions.py`` (retryable or
permanent), extended here with ``GatewayError``, which carries the failure type and the
provider's own code and message. Facts about each provider are cited in its module from
``shared/research/notifications_and_sms.md`` (quoted below as "research").
"""

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..carriers.base import chunked
from ..carriers.http import HttpMixin
from ..conversation.normalize import normalize_mobile
from ..exceptions import AuthenticationError, PermanentError, TrackingError, TrackingNotFoundError

# -- Odoo's sms.sms failure types (stored values, plain strings on purpose) -------------------
FAILURE_CREDIT = "sms_credit"
FAILURE_NUMBER_FORMAT = "sms_number_format"
FAILURE_NUMBER_MISSING = "sms_number_missing"
FAILURE_BLACKLIST = "sms_blacklist"
FAILURE_SERVER = "sms_server"
FAILURE_ACCOUNT = "sms_acc"
FAILURE_UNKNOWN = "unknown"
# Odoo has no "template not approved" type. A template is approved (or not) in the provider's
# panel, for the account: it is an account configuration problem, like an unregistered account,
# and the provider's message (kept as the failure reason) says which template.
FAILURE_TEMPLATE = FAILURE_ACCOUNT
FAILURE_TYPES = (
    FAILURE_CREDIT,
    FAILURE_NUMBER_FORMAT,
    FAILURE_NUMBER_MISSING,
    FAILURE_BLACKLIST,
    FAILURE_SERVER,
    FAILURE_ACCOUNT,
    FAILURE_UNKNOWN,
)

# -- Delivery reports ---------------------------------------------------------------------------
DLR_PENDING = "pending"  # queued, at the operator: ask again later
DLR_DELIVERED = "delivered"
DLR_UNDELIVERED = "undelivered"
# Why an SMS was not delivered: Odoo's sms.sms DELIVERY_ERRORS without their "sms_" prefix.
DLR_NOT_DELIVERED = "not_delivered"
DLR_REJECTED = "rejected"  # blocked / blacklisted by the operator
DLR_EXPIRED = "expired"
DLR_INVALID_DESTINATION = "invalid_destination"

# -- Number styles each provider wants (research, "Iranian constraints") -------------------------
STYLE_LOCAL = "0"  # 09121234567
STYLE_98 = "98"  # 989121234567
STYLE_PLUS98 = "+98"  # +989121234567


def format_number(number, style):
    """An Iranian mobile in the provider's style, or ``None`` when it is not one.

    Accepts whatever Odoo stores (E.164, ``0912…``, Persian digits, spaces) through the one
    normaliser of the addon (``conversation.normalize.normalize_mobile``).
    """
    e164 = normalize_mobile(number or "")
    if not e164:
        return None
    national = e164[3:]
    if style == STYLE_PLUS98:
        return e164
    if style == STYLE_98:
        return "98" + national
    return "0" + national


class GatewayError(PermanentError):
    """The provider answered and refused: no credit, bad number, unapproved template...

    ``failure_type`` is Odoo's (see the constants above); ``provider_code`` and
    ``provider_message`` are the provider's own words, kept for the person who reads the
    failure reason. ``retryable`` is per instance: a provider's "system busy" code is worth
    retrying, "no credit" is not.
    """

    def __init__(
        self,
        message="",
        *,
        failure_type=FAILURE_UNKNOWN,
        provider_code=None,
        provider_message="",
        retryable=False,
        **kwargs,
    ):
        super().__init__(message, **kwargs)
        self.failure_type = failure_type
        self.provider_code = provider_code
        self.provider_message = provider_message
        self.retryable = retryable


class GatewayAuthError(GatewayError, AuthenticationError):
    """The provider refused the credentials (or the account): fix the settings."""


def failure_type_of(error):
    """Odoo's failure type for any error a gateway client raises."""
    if isinstance(error, GatewayError):
        return error.failure_type
    if isinstance(error, AuthenticationError):
        return FAILURE_ACCOUNT
    return FAILURE_SERVER


@dataclass(frozen=True)
class SendResult:
    """What happened to one recipient: a provider message id, or a failure with its reason."""

    number: str
    message_id: str | None = None
    failure_type: str | None = None
    message: str = ""
    provider_code: str | None = None
    retryable: bool = False

    @property
    def ok(self):
        return self.failure_type is None

    @classmethod
    def from_error(cls, number, error):
        return cls(
            number=number,
            failure_type=failure_type_of(error),
            message=str(error),
            provider_code=getattr(error, "provider_code", None),
            retryable=bool(getattr(error, "retryable", False)),
        )


@dataclass(frozen=True)
class DeliveryReport:
    """The provider's delivery state of one message (``state`` is a ``DLR_*`` value)."""

    message_id: str
    state: str
    error: str | None = None
    raw_status: str = ""
    message: str = ""

    def __post_init__(self):
        if self.state not in (DLR_PENDING, DLR_DELIVERED, DLR_UNDELIVERED):
            raise ValueError(f"unknown delivery state {self.state!r}")

    @property
    def final(self):
        return self.state != DLR_PENDING


class SmsGateway(HttpMixin, abc.ABC):
    """An SMS provider: plain send, approved-template send, delivery reports.

    Subclasses set ``name``, ``default_base_url``, ``number_style``, ``batch_size`` and the
    provider tables ``ERROR_MAP`` (provider code -> failure type), ``AUTH_CODES`` (codes that
    mean bad credentials), ``RETRYABLE_CODES`` and ``STATUS_MAP`` (provider delivery status ->
    ``(DLR state, error)``); the tables marked [UNVERIFIED] can be overridden per instance
    (``error_map=``, ``status_map=``) once a shop learns better from its provider.

    The public methods never raise for a provider's or a network's failure: each recipient
    (or message id) gets a result or the typed error it hit, so one bad batch never hides
    the others. They raise ``ValueError`` only for programming errors.
    """

    name = ""
    label = ""
    default_base_url = ""
    number_style = STYLE_LOCAL
    batch_size = 100
    status_batch_size = 100
    # Constructor credentials the provider needs (the Odoo layer shows only these).
    credential_fields = ("api_key",)
    # Whether the provider can call us back with delivery reports (see ``parse_callback``).
    supports_callback = False
    ERROR_MAP: ClassVar[dict] = {}
    AUTH_CODES = frozenset()
    RETRYABLE_CODES = frozenset()
    STATUS_MAP: ClassVar[dict] = {}

    def __init__(
        self,
        *,
        api_key=None,
        username=None,
        password=None,
        sender=None,
        base_url=None,
        timeout=None,
        session=None,
        error_map=None,
        status_map=None,
    ):
        given = {"api_key": api_key, "username": username, "password": password}
        missing = [name for name in self.credential_fields if not given.get(name)]
        if missing:
            raise ValueError(f"{self.name} needs {', '.join(missing)}")
        self.api_key, self.username, self.password = api_key, username, password
        self.sender = (sender or "").strip()
        self._init_http(
            base_url or self.default_base_url,
            timeout=timeout,
            session=session,
            secrets=(api_key, password),
        )
        self.error_map = {**self.ERROR_MAP, **{str(k): v for k, v in (error_map or {}).items()}}
        self.status_map = {**self.STATUS_MAP, **{str(k): v for k, v in (status_map or {}).items()}}

    # --- public API --------------------------------------------------------------------------

    def send(self, numbers, text):
        """Send ``text`` to every number; return one ``SendResult`` per number, in order."""
        results = [None] * len(numbers)
        valid = []
        for index, number in enumerate(numbers):
            formatted = format_number(number, self.number_style)
            if formatted:
                valid.append((index, formatted))
            else:
                results[index] = self._bad_number(number)
        for chunk in chunked(valid, self.batch_size):
            formatted = [f for _i, f in chunk]
            try:
                found = self._send_batch(formatted, text)
                if len(found) != len(formatted):
                    raise self._shape_error("not one result per recipient")
            except TrackingError as error:
                found = [SendResult.from_error(f, error) for f in formatted]
            for (index, _f), result in zip(chunk, found, strict=True):
                results[index] = _with_number(result, numbers[index])
        return results

    def send_template(self, number, template_id, params):
        """Send the provider-approved template ``template_id`` filled with ``params``.

        ``params`` is an ordered mapping name -> value (``{"code": "123456"}``); providers
        with positional templates use the order.
        """
        formatted = format_number(number, self.number_style)
        if not formatted:
            return self._bad_number(number)
        if not str(template_id or "").strip():
            return SendResult(
                number,
                failure_type=FAILURE_TEMPLATE,
                message=f"{self.name}: no template id configured",
            )
        if not isinstance(params, Mapping):
            raise TypeError("params must be a mapping")
        values = {str(k): "" if v is None else str(v) for k, v in params.items()}
        try:
            result = self._send_template(formatted, str(template_id).strip(), values)
        except TrackingError as error:
            result = SendResult.from_error(formatted, error)
        return _with_number(result, number)

    def fetch_status(self, message_ids):
        """Return ``{message_id: DeliveryReport | TrackingError}`` for every id."""
        wanted = list(dict.fromkeys(str(m).strip() for m in message_ids if str(m or "").strip()))
        reports = {}
        for chunk in chunked(wanted, self.status_batch_size):
            try:
                found = self._fetch_status_batch(chunk)
            except TrackingError as error:
                found = dict.fromkeys(chunk, error)
            for message_id in chunk:
                reports[message_id] = found.get(message_id) or self._error(
                    TrackingNotFoundError, f"unknown message id {message_id}"
                )
        return reports

    def parse_callback(self, params):
        """Message ids (and claimed states) of a delivery-report push, as ``DeliveryReport``s.

        Pushes are not signed by any of these providers, so the Odoo layer treats them as a
        hint and confirms each id with ``fetch_status`` before changing anything.
        """
        raise PermanentError(f"{self.name}: delivery callbacks are not supported")

    # --- provider part -------------------------------------------------------------------------

    @abc.abstractmethod
    def _send_batch(self, numbers, text):
        """Send to at most ``batch_size`` formatted numbers; one ``SendResult`` each, in order.

        May raise a ``TrackingError`` that then applies to the whole batch.
        """

    @abc.abstractmethod
    def _send_template(self, number, template_id, params):
        """Send one approved template to one formatted number; return a ``SendResult``."""

    @abc.abstractmethod
    def _fetch_status_batch(self, message_ids):
        """Return ``{message_id: DeliveryReport | TrackingError}`` for at most
        ``status_batch_size`` ids; may raise for the whole batch."""

    # --- helpers ---------------------------------------------------------------------------------

    def _bad_number(self, number):
        missing = not str(number or "").strip()
        return SendResult(
            number,
            failure_type=FAILURE_NUMBER_MISSING if missing else FAILURE_NUMBER_FORMAT,
            message=f"{self.name}: " + ("no number" if missing else "not an Iranian mobile number"),
        )

    def _provider_error(self, code, provider_message, status_code=None):
        """The typed error for a provider's refusal ``code`` (with its own message)."""
        code = "" if code is None else str(code)
        text = self._redact(str(provider_message or "").strip())[:300]
        cls = GatewayAuthError if code in self.AUTH_CODES else GatewayError
        return cls(
            self._redact(f"{self.name}: error {code}" + (f": {text}" if text else "")),
            carrier=self.name,
            status_code=status_code,
            failure_type=self.error_map.get(code, FAILURE_UNKNOWN),
            provider_code=code or None,
            provider_message=text,
            retryable=code in self.RETRYABLE_CODES,
        )

    def _report(self, message_id, raw_status, message=""):
        """A ``DeliveryReport`` from a provider status through ``status_map``."""
        raw = "" if raw_status is None else str(raw_status)
        state, error = self.status_map.get(raw, (DLR_PENDING, None))
        return DeliveryReport(str(message_id), state, error, raw, self._redact(message or ""))


def _with_number(result, number):
    """The result as the caller knows the recipient (the number it passed in)."""
    return SendResult(
        number,
        result.message_id,
        result.failure_type,
        result.message,
        result.provider_code,
        result.retryable,
    )


# Shorthands for the providers' STATUS_MAP tables.
PENDING = (DLR_PENDING, None)
DELIVERED = (DLR_DELIVERED, None)
NOT_DELIVERED = (DLR_UNDELIVERED, DLR_NOT_DELIVERED)
REJECTED = (DLR_UNDELIVERED, DLR_REJECTED)
EXPIRED = (DLR_UNDELIVERED, DLR_EXPIRED)
