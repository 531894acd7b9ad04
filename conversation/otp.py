"""One-time codes sent by SMS: generation, hashing and the rules of sending and checking.

Plain Python (no Odoo import), like Odoo's ``auth_totp/models/totp.py``: the Odoo model
``order.tracking.otp`` stores rows and calls these functions, so the security rules can be read
and tested without a database.

- A code is ``DIGITS`` random decimal digits from :mod:`secrets` (never :mod:`random`).
- Only an HMAC-SHA256 of the code is stored, keyed with a server secret and salted with a random
  nonce per code and the mobile it was sent to: a leaked table row is useless without the
  secret, and the same code sent twice never hashes the same.
- Codes are compared in constant time (:func:`hmac.compare_digest`).
- :func:`send_decision` and :func:`check_decision` hold the expiry, attempt cap, resend cooldown
  and daily cap as pure functions of the stored facts and the current time.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

DIGITS = 6
NONCE_BYTES = 16

# Defaults of the settings (Settings > Order Tracking > Chat security).
DEFAULT_VALIDITY_MINUTES = 5
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_COOLDOWN_SECONDS = 60
DEFAULT_DAILY_CAP = 5

_NOT_DIGIT = re.compile(r"\D")


def generate_code(digits=DIGITS):
    """A random code of ``digits`` decimal digits, leading zeros kept (``"004217"``)."""
    return str(secrets.randbelow(10**digits)).zfill(digits)


def new_nonce():
    """A random salt for one code, as hex."""
    return secrets.token_hex(NONCE_BYTES)


def clean_code(code):
    """The digits of what the customer typed (``"123 456"``, ``"123-456"``), ASCII only.

    Persian digits must be converted by the caller (``normalize.normalize_digits``) first; any
    other character is dropped.
    """
    return _NOT_DIGIT.sub("", code or "")


def hash_code(secret, nonce, subject, code):
    """The hex HMAC-SHA256 of ``code`` for ``subject`` (the E.164 mobile) under ``secret``."""
    if not secret:
        # An empty key would make the hash a plain salted SHA-256 that anyone can brute-force.
        raise ValueError("a server secret is required to hash one-time codes")
    message = f"{nonce}\x1f{subject}\x1f{clean_code(code)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def code_matches(secret, nonce, subject, code, expected_hash):
    """True when ``code`` hashes to ``expected_hash``; constant time whatever the input."""
    candidate = hash_code(secret, nonce, subject, code)
    return hmac.compare_digest(candidate.encode(), (expected_hash or "").encode())


def expiry(sent_at, validity_minutes=DEFAULT_VALIDITY_MINUTES):
    """When a code sent at ``sent_at`` stops being valid."""
    return sent_at + timedelta(minutes=validity_minutes)


def send_decision(
    now,
    last_sent_at,
    sent_last_24h,
    cooldown_seconds=DEFAULT_COOLDOWN_SECONDS,
    daily_cap=DEFAULT_DAILY_CAP,
):
    """Whether a new code may be sent to a mobile now.

    :param last_sent_at: when the latest code to this mobile was issued (any session), or None
    :param sent_last_24h: how many codes were issued to this mobile in the last 24 hours
    :return: ``(reason, retry_after_seconds)``: ``reason`` is ``"sent"`` (go ahead),
        ``"cooldown"`` or ``"daily_cap"`` (see ``backend.SEND_REASONS``).
    """
    if sent_last_24h >= daily_cap:
        return "daily_cap", 24 * 3600
    if last_sent_at is not None:
        wait = (last_sent_at + timedelta(seconds=cooldown_seconds) - now).total_seconds()
        if wait > 0:
            return "cooldown", int(wait) + 1
    return "sent", 0


def check_decision(now, expires_at, attempts, max_attempts=DEFAULT_MAX_ATTEMPTS):
    """What to do with a code check *before* comparing: ``"compare"``, ``"expired"`` or
    ``"too_many"`` (attempts already used up)."""
    if attempts >= max_attempts:
        return "too_many"
    if now >= expires_at:
        return "expired"
    return "compare"


def after_wrong_attempt(attempts, max_attempts=DEFAULT_MAX_ATTEMPTS):
    """After one more wrong code: ``(reason, attempts_left)``.

    The last allowed wrong try already answers ``"too_many"``: telling someone "0 tries left"
    and then refusing the next code says the same thing in two turns.
    """
    left = max(max_attempts - attempts, 0)
    return ("too_many", 0) if left == 0 else ("wrong", left)
