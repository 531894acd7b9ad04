"""The contract between the dialogue policy and whatever holds the data (Odoo, a test fake).

The policy never reads a database or sends an SMS itself: the caller injects an object that
satisfies :class:`Backend`, and gets plain dataclasses back. Everything the policy may show
about an order is in :class:`OrderView`, so the disclosure rules can be checked field by field.

Texts inside the views (``eta_text``, ``carrier_label``, ``last_event``, ...) are shown as they
are: the caller builds the backend for the session's language.
"""

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

# The customer-facing journey: coarse on purpose, carrier jargon is mapped onto these.
STAGES = (
    "awaiting_payment",
    "registered",
    "preparing",
    "handed_to_carrier",
    "in_transit",
    "delivered",
    "cancelled",
)
EXCEPTION_TYPES = (
    "delayed",
    "returned_to_sender",
    "lost",
    "address_issue",
    "failed_attempt",
    "damaged",
)
EXCEPTION_REASONS = ("late", "no_first_scan", "stale", "carrier")
PAYMENT_STATES = ("paid", "not_paid", "pending", "refunded", "failed")

# Ticket kinds the policy opens; the caller maps them to helpdesk categories.
TICKET_KINDS = (
    "change_address",
    "return_request",
    "cancel_order",
    "callback",  # a person asked for a person and nobody is online
    "followup",  # the customer asked for a ticket about an order
    "delay",
    "exception",  # the carrier reported an exception (delayed, lost, ...)
    "payment",
    "invoice",
)

SEND_REASONS = ("sent", "cooldown", "daily_cap", "invalid")
CHECK_REASONS = ("ok", "wrong", "expired", "too_many", "none")


@dataclass
class OrderView:
    """One order as the chat may show it; the policy decides which fields are disclosed."""

    ref: str
    stage: str  # one of STAGES
    created_at: str | None = None  # ISO 8601
    eta_text: str | None = None  # "2 to 4 working days", already in the session language
    carrier_label: str | None = None  # plain label ("Post", "Tipax", "Courier"), not a carrier code
    tracking_code: str | None = None
    tracking_url: str | None = None
    last_event: str | None = None  # plain-language text of the latest carrier event
    exception_type: str | None = None  # one of EXCEPTION_TYPES, or None
    # What happens next is rendered from these at reply time, in the turn's language (see
    # replies.exception_next_step), never stored as a sentence in one language.
    exception_reason: str | None = None  # why a "delayed" parcel is late: EXCEPTION_REASONS
    exception_deadline_hours: int | None = None  # when the team promised to answer (lost)
    mobile_e164: str | None = None  # the mobile on the order: the only OTP destination for it
    payment_state: str | None = None  # one of PAYMENT_STATES
    payment_ref: str | None = None  # bank reference (کد پیگیری پرداخت)
    has_invoice: bool = False
    invoice_url: str | None = None
    items: list = field(default_factory=list)  # [(name, qty)]
    total_text: str | None = None  # the order's total in its own currency, already formatted
    masked_address: str | None = None  # already masked by the caller ("Tehran, Valiasr St, ...")
    events: list = field(default_factory=list)  # [(datetime_iso, text, location)], oldest first
    update_interval_hours: int | None = None  # how often the carrier usually updates


@dataclass
class SendResult:
    """Outcome of an OTP send; ``reason`` is one of SEND_REASONS."""

    ok: bool
    reason: str = "sent"


@dataclass
class CheckResult:
    """Outcome of an OTP check; ``reason`` is one of CHECK_REASONS."""

    ok: bool
    reason: str = "ok"
    attempts_left: int | None = None  # after a wrong code, when the backend counts attempts


@dataclass
class QuoteView:
    """One shipping option to a city."""

    method_label: str
    price_text: str
    eta_text: str
    free_over_text: str | None = None  # "free over 2,000,000 Toman", or None


@runtime_checkable
class Backend(Protocol):
    """What the policy needs from the outside world.

    Security duties that belong to the implementation, not to the policy:

    - ``send_otp`` must answer ``sent`` for any valid mobile whether or not it has orders (it
      may skip the actual SMS for numbers without orders): the policy's uniform "if this number
      has orders, a code was sent" relies on it. Cooldowns and daily caps are enforced here.
    - ``check_otp`` compares hashed codes in constant time, expires them, caps attempts and
      consumes a code once it matched.
    - lookups are rate-limited per visitor by the caller; the policy adds a per-session cap.
    """

    def find_order(self, ref: str) -> "OrderView | None":
        """The order named ``ref`` (upper-case as typed), or None.

        Customers type the separator between prefix and number or not ("S-00044" for S00044,
        "TS104233" for TS-104233): match any of ``entities.order_ref_variants(ref)``.
        """

    def orders_for_mobile(self, e164: str, limit: int = 3) -> "list[OrderView]":
        """The latest orders whose mobile is ``e164``, newest first."""

    def find_by_tracking_code(self, code: str) -> "OrderView | None":
        """The order shipped with tracking code ``code``, or None."""

    def send_otp(self, e164: str, purpose: str) -> SendResult:
        """Send a one-time code to ``e164``; ``purpose`` is ``"order"`` or ``"mobile"``."""

    def check_otp(self, e164: str, code: str) -> CheckResult:
        """Check ``code`` against the last code sent to ``e164``."""

    def shipping_quote(self, city_id) -> "list[QuoteView] | None":
        """Options to ``city_id``; None when the city is not covered."""

    def shipping_methods(self) -> "list[str]":
        """Labels of the shipping methods on offer, for "how do you ship?"."""

    def open_ticket(
        self, kind: str, order_ref: "str | None", mobile: "str | None", summary: str
    ) -> str:
        """Open a helpdesk ticket (``kind`` in TICKET_KINDS) and return its reference."""

    def operator_available(self) -> bool:
        """True when a live operator can take the chat now."""
