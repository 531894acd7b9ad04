"""Kavenegar (کاوه‌نگار) on its REST API v1, with ``requests`` (the SDKs are not used).

From the research file, section "Kavenegar" (sources: kavenegar/kavenegar-python and
kavenegar/kavenegar-go):

* ``https://api.kavenegar.com/v1/{APIKEY}/{scope}/{method}.json``, POST form-urlencoded, the
  key in the path (so the path is redacted in every error and log line).
* Plain send ``sms/send.json``: ``receptor`` (comma list), ``message``, ``sender``.
* Template send ``verify/lookup.json``: ``receptor``, ``template``, ``token``, ``token2``,
  ``token3``, ``token10``, ``token20``, ``type=sms``.
* Answer ``{"return": {"status": 200, "message": ...}, "entries": [{messageid, message, status,
  statustext, sender, receptor, date, cost}]}``; errors are non-200 HTTP answers with the same
  ``return`` envelope.
* Delivery reports ``sms/status.json?messageid=...``: 1 queued, 2 scheduled, 4 sent to the
  operator, 10 delivered, 11 undelivered, 13 cancelled, 14 blocked, 100 invalid id.
* At most 200 receptors per send (code 414), 268 Persian characters (code 413).

[UNVERIFIED] (third-party copies only): the error codes in ``ERROR_MAP``; status 5 (sent to
the operator) and 6 (failed); the delivery push (a form with ``messageid`` and ``status``, set
in Kavenegar's panel) and that ``sms/status.json`` takes up to 500 comma-separated ids. The
tables can be overridden per instance; the base URL is configurable.
"""

from typing import ClassVar
from urllib.parse import quote

from ..conversation.normalize import normalize_mobile
from ..exceptions import AuthenticationError
from . import base

DEFAULT_BASE_URL = "https://api.kavenegar.com/v1"
# Non-2xx codes whose body is Kavenegar's envelope (read it rather than fail generically).
_ENVELOPE_STATUSES = tuple(s for s in range(400, 500) if s not in (408, 429))
# Template tokens Kavenegar accepts, in the order positional parameters fill them.
TOKEN_NAMES = ("token", "token2", "token3", "token10", "token20")


class KavenegarGateway(base.SmsGateway):
    name = "kavenegar"
    label = "Kavenegar"
    default_base_url = DEFAULT_BASE_URL
    number_style = base.STYLE_LOCAL
    batch_size = 200
    status_batch_size = 500
    credential_fields = ("api_key",)
    supports_callback = True
    ERROR_MAP: ClassVar[dict] = {
        "400": base.FAILURE_UNKNOWN,  # parameters incomplete
        "401": base.FAILURE_ACCOUNT,  # account deactivated
        "403": base.FAILURE_ACCOUNT,  # invalid API key
        "411": base.FAILURE_NUMBER_FORMAT,  # invalid receptor
        "412": base.FAILURE_ACCOUNT,  # invalid sender line
        "413": base.FAILURE_UNKNOWN,  # empty or too long message
        "414": base.FAILURE_UNKNOWN,  # more than 200 receptors
        "418": base.FAILURE_CREDIT,  # not enough credit
        "422": base.FAILURE_UNKNOWN,  # invalid characters
        "424": base.FAILURE_TEMPLATE,  # template missing or not approved
        "426": base.FAILURE_ACCOUNT,  # needs an advanced plan
        "428": base.FAILURE_TEMPLATE,  # voice call needs a numeric token
        "431": base.FAILURE_UNKNOWN,  # token with space, newline or underscore
        "432": base.FAILURE_TEMPLATE,  # template lacks %token%
    }
    AUTH_CODES = frozenset({"401", "403"})
    # Per-message statuses of the send answer and of sms/status.json.
    STATUS_MAP: ClassVar[dict] = {
        "1": base.PENDING,
        "2": base.PENDING,
        "4": base.PENDING,
        "5": base.PENDING,
        "6": base.NOT_DELIVERED,
        "10": base.DELIVERED,
        "11": base.NOT_DELIVERED,
        "13": base.NOT_DELIVERED,  # cancelled
        "14": base.REJECTED,  # blocked
    }
    # Send-time entry statuses that already mean "will not go out".
    ENTRY_FAILURES: ClassVar[dict] = {
        "6": base.FAILURE_UNKNOWN,
        "13": base.FAILURE_UNKNOWN,
        "14": base.FAILURE_BLACKLIST,
    }
    UNKNOWN_ID_STATUS = "100"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The key travels in the URL path: its URL-quoted spelling is a secret too.
        self._add_secret(quote(self.api_key, safe=""))

    def _call(self, method, data):
        path = f"/{quote(self.api_key, safe='')}/{method}"
        response = self._request(
            "POST",
            path,
            data=data,
            headers={"Accept": "application/json"},
            allow_status=_ENVELOPE_STATUSES,
        )
        payload = None if response.status_code in (401, 403) else self._json(response)
        if payload is None:
            try:
                payload = self._json(response)
            except base.TrackingError:
                payload = {}
        envelope = payload.get("return") if isinstance(payload, dict) else None
        if not isinstance(envelope, dict) or "status" not in envelope:
            if response.status_code in (401, 403):
                # Refused before Kavenegar's own envelope (a proxy, a changed API).
                raise self._error(
                    AuthenticationError,
                    f"HTTP {response.status_code}",
                    status_code=response.status_code,
                )
            raise self._shape_error("no return envelope")
        code = str(envelope.get("status"))
        if code != "200" or response.status_code != 200:
            raise self._provider_error(
                code, envelope.get("message"), status_code=response.status_code
            )
        entries = payload.get("entries")
        if entries is None:
            entries = []
        if isinstance(entries, dict):
            entries = [entries]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self._shape_error("entries is not a list of objects")
        return envelope, entries

    def _entry_result(self, number, entry, answer):
        message_id = entry.get("messageid")
        status = str(entry.get("status", ""))
        text = str(entry.get("statustext") or answer or "")
        if status in self.ENTRY_FAILURES:
            return base.SendResult(
                number,
                failure_type=self.ENTRY_FAILURES[status],
                message=f"{self.name}: {text}",
                provider_code=status,
            )
        if message_id in (None, ""):
            raise self._shape_error("entry without messageid")
        return base.SendResult(number, message_id=str(message_id), message=text)

    def _match(self, numbers, entries, answer):
        """Entries by receptor (Kavenegar echoes it), else by position."""
        by_mobile = {normalize_mobile(str(e.get("receptor") or "")): e for e in entries}
        results = []
        for index, number in enumerate(numbers):
            entry = by_mobile.get(normalize_mobile(number))
            if entry is None and len(entries) == len(numbers):
                entry = entries[index]
            if entry is None:
                raise self._shape_error("no entry for a receptor")
            results.append(self._entry_result(number, entry, answer))
        return results

    def _send_batch(self, numbers, text):
        data = {"receptor": ",".join(numbers), "message": text}
        if self.sender:
            data["sender"] = self.sender
        envelope, entries = self._call("sms/send.json", data)
        return self._match(numbers, entries, envelope.get("message"))

    def _send_template(self, number, template_id, params):
        data = {"receptor": number, "template": template_id, "type": "sms"}
        names = list(params)
        if not all(name in TOKEN_NAMES for name in names):
            # Named like the shop's own placeholders ({"code": ...}): fill tokens in order.
            if len(names) > len(TOKEN_NAMES):
                raise ValueError("Kavenegar templates take at most 5 tokens")
            names = TOKEN_NAMES[: len(names)]
        data.update(zip(names, params.values(), strict=True))
        envelope, entries = self._call("verify/lookup.json", data)
        return self._match([number], entries, envelope.get("message"))[0]

    def _fetch_status_batch(self, message_ids):
        _envelope, entries = self._call("sms/status.json", {"messageid": ",".join(message_ids)})
        reports = {}
        for entry in entries:
            message_id = str(entry.get("messageid", ""))
            status = str(entry.get("status", ""))
            if status == self.UNKNOWN_ID_STATUS:
                continue  # left out: fetch_status reports it as unknown
            reports[message_id] = self._report(message_id, status, entry.get("statustext"))
        return reports

    def parse_callback(self, params):
        """[UNVERIFIED] Kavenegar's delivery push: form fields ``messageid`` and ``status``."""
        message_id = str((params or {}).get("messageid") or "").strip()
        if not message_id.isdigit():
            raise self._error(base.PermanentError, "callback without a valid messageid")
        return [self._report(message_id, (params or {}).get("status"))]
