"""IPPanel Edge (and FarazSMS, an IPPanel panel) with ``requests``.

From the research file, section "IPPanel Edge / FarazSMS" (source: ippanelcom/Edge-Document),
and from the same documentation's pages ``docs/send/webservice.md`` and
``docs/report/bulk-recipient.md`` read for this module:

* ``POST https://edge.ippanel.com/v1/api/send``, header ``Authorization: <API key>``.
* Plain send: ``{"sending_type": "webservice", "from_number": "+983000505", "message": ...,
  "params": {"recipients": ["+98912..."]}}``.
* Pattern send: ``{"sending_type": "pattern", "from_number", "code", "recipients": [...],
  "params": {...}}`` (named variables).
* Success ``{"data": {"message_outbox_ids": [...]}, "meta": {"status": true, "message_code":
  "200-1"}}``; 401 (``message_code`` "400-1") and 422 (``"400-2"``, ``meta.errors`` by field)
  with ``data: null``.
* Delivery report ``GET /api/report/recipients?bulk_id=...&page=1&per_page=...``: ``data`` is a
  list of ``{recipient, message_status}``, statuses 0 sent to the operator, 1 received by the
  operator, 2 delivered, 3 not delivered, 4 blacklisted.
* Numbers in E.164 (``+98...``).

One send (a "bulk") covers several recipients, so the message id kept per SMS is
``"<bulk id>:<recipient>"`` and one report request answers for the whole bulk.

[UNVERIFIED]/assumed: which 422 fields mean what (``ERROR_FIELDS``); that FarazSMS accounts
answer on the same API (point the base URL at the panel's own host when it differs; the
research notes FarazSMS now documents IranPayamak's different API, not implemented here).
No credit error is documented: such answers map to "unknown" with the provider's message.
"""

from typing import ClassVar
from urllib.parse import quote

from . import base

DEFAULT_BASE_URL = "https://edge.ippanel.com/v1"
_ENVELOPE_STATUSES = (400, 402, 404, 422)
# 422 field names -> failure type.
ERROR_FIELDS = {
    "recipients": base.FAILURE_NUMBER_FORMAT,
    "params.recipients": base.FAILURE_NUMBER_FORMAT,
    "code": base.FAILURE_TEMPLATE,
    "from_number": base.FAILURE_ACCOUNT,
    "credit": base.FAILURE_CREDIT,
}


class IppanelGateway(base.SmsGateway):
    name = "ippanel"
    label = "IPPanel Edge / FarazSMS"
    default_base_url = DEFAULT_BASE_URL
    number_style = base.STYLE_PLUS98
    batch_size = 100
    status_batch_size = 100
    credential_fields = ("api_key",)
    ERROR_MAP: ClassVar[dict] = {"400-1": base.FAILURE_ACCOUNT}
    AUTH_CODES = frozenset({"400-1"})
    STATUS_MAP: ClassVar[dict] = {
        "0": base.PENDING,
        "1": base.PENDING,
        "2": base.DELIVERED,
        "3": base.NOT_DELIVERED,
        "4": base.REJECTED,
    }
    REPORT_PAGE_SIZE = 100

    def _headers(self):
        return {"Authorization": self.api_key, "Accept": "application/json"}

    def _call(self, method, path, **kwargs):
        response = self._request(
            method, path, headers=self._headers(), allow_status=_ENVELOPE_STATUSES, **kwargs
        )
        payload = self._json(response)
        meta = payload.get("meta") if isinstance(payload, dict) else None
        if not isinstance(meta, dict) or "status" not in meta:
            raise self._shape_error("no meta.status")
        if meta.get("status") is not True or response.status_code != 200:
            raise self._meta_error(meta, response.status_code)
        return payload

    def _meta_error(self, meta, status_code):
        code = str(meta.get("message_code") or status_code)
        errors = meta.get("errors") if isinstance(meta.get("errors"), dict) else {}
        details = "; ".join(
            f"{field}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
            for field, v in errors.items()
        )
        message = " ".join(p for p in (str(meta.get("message") or ""), details) if p)
        error = self._provider_error(code, message, status_code=status_code)
        field_type = next((ERROR_FIELDS[f] for f in errors if f in ERROR_FIELDS), None)
        if field_type and code not in self.error_map:
            error.failure_type = field_type
        return error

    def _results(self, payload, numbers):
        data = payload.get("data")
        ids = data.get("message_outbox_ids") if isinstance(data, dict) else None
        if not isinstance(ids, list) or not ids:
            raise self._shape_error("no message_outbox_ids")
        bulk = str(ids[0])
        answer = str(payload["meta"].get("message") or "")
        return [base.SendResult(n, message_id=f"{bulk}:{n}", message=answer) for n in numbers]

    def _send_batch(self, numbers, text):
        body = {
            "sending_type": "webservice",
            "from_number": self.sender,
            "message": text,
            "params": {"recipients": numbers},
        }
        return self._results(self._call("POST", "/api/send", json=body), numbers)

    def _send_template(self, number, template_id, params):
        body = {
            "sending_type": "pattern",
            "from_number": self.sender,
            "code": template_id,
            "recipients": [number],
            "params": params,
        }
        return self._results(self._call("POST", "/api/send", json=body), [number])[0]

    def _fetch_status_batch(self, message_ids):
        by_bulk = {}
        for message_id in message_ids:
            bulk, _sep, recipient = message_id.partition(":")
            if bulk.isdigit() and recipient:
                by_bulk.setdefault(bulk, []).append(message_id)
        reports = {}
        for bulk, wanted in by_bulk.items():
            try:
                payload = self._call(
                    "GET",
                    f"/api/report/recipients?page=1&per_page={self.REPORT_PAGE_SIZE}"
                    f"&bulk_id={quote(bulk)}",
                )
            except base.TrackingError as error:
                reports.update(dict.fromkeys(wanted, error))
                continue
            rows = payload.get("data")
            if not isinstance(rows, list):
                reports.update(dict.fromkeys(wanted, self._shape_error("data is not a list")))
                continue
            for row in rows:
                if not isinstance(row, dict):
                    continue
                recipient = base.format_number(str(row.get("recipient") or ""), self.number_style)
                message_id = f"{bulk}:{recipient}"
                if message_id in wanted:
                    reports[message_id] = self._report(message_id, row.get("message_status"))
        return reports
