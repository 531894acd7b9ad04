"""SMS.ir on its API v1, with ``requests``.

From the research file, section "SMS.ir v1" (sources: apidocs.sms.ir, IPeCompany/smsir-php):

* Base ``https://api.sms.ir/v1/``, headers ``X-API-KEY`` and ``Accept: application/json``,
  JSON bodies.
* Plain send ``POST send/bulk`` ``{lineNumber, messageText, mobiles[], sendDateTime|null}``.
* Template send ``POST send/verify`` ``{mobile, templateId: int, parameters: [{name, value}]}``
  (no line number: the template is bound to the account).
* Answer ``{"status": 1, "message": "موفق", "data": ...}``; HTTP 400 for logical errors,
  401 bad key, 429 rate limited, 500.
* Delivery report ``GET send/{messageId}``.
* Numbers as ``09...`` ("Iranian constraints").

[UNVERIFIED]/assumed: ``data`` shapes (verify ``{messageId, cost}``, bulk ``{packId,
messageIds, cost}`` with ``messageIds`` in the order of ``mobiles``), the report's
``deliveryState`` values in ``STATUS_MAP`` and the logical error codes in ``ERROR_MAP`` (taken
from typing import ClassVar

from third-party integrations). Both tables can be overridden per instance; the base URL is
configurable. SMS.ir has no documented delivery push.
"""

from typing import ClassVar

from . import base

DEFAULT_BASE_URL = "https://api.sms.ir/v1"


class SmsIrGateway(base.SmsGateway):
    name = "smsir"
    label = "SMS.ir"
    default_base_url = DEFAULT_BASE_URL
    number_style = base.STYLE_LOCAL
    batch_size = 100
    status_batch_size = 1  # one message per report request
    credential_fields = ("api_key",)
    ERROR_MAP: ClassVar[dict] = {
        "0": base.FAILURE_SERVER,  # server error
        "10": base.FAILURE_ACCOUNT,  # invalid API key
        "11": base.FAILURE_ACCOUNT,  # API key disabled
        "12": base.FAILURE_ACCOUNT,  # API key limited to other IPs
        "13": base.FAILURE_ACCOUNT,  # account inactive
        "14": base.FAILURE_ACCOUNT,  # account suspended
        "101": base.FAILURE_ACCOUNT,  # invalid line number
        "102": base.FAILURE_CREDIT,  # not enough credit
        "103": base.FAILURE_UNKNOWN,  # empty message text
        "104": base.FAILURE_NUMBER_FORMAT,  # invalid mobile
        "105": base.FAILURE_UNKNOWN,  # too many mobiles
        "111": base.FAILURE_TEMPLATE,  # template id invalid
        "113": base.FAILURE_TEMPLATE,  # template not found / not approved
        "114": base.FAILURE_TEMPLATE,  # template parameter names do not match
    }
    AUTH_CODES = frozenset({"10", "11", "12"})
    RETRYABLE_CODES = frozenset({"0"})
    STATUS_MAP: ClassVar[dict] = {
        "1": base.DELIVERED,  # delivered to the handset
        "2": base.NOT_DELIVERED,  # not delivered to the handset
        "3": base.PENDING,  # at the operator
        "4": base.NOT_DELIVERED,  # not delivered to the operator
        "5": base.PENDING,  # queued
        "6": base.REJECTED,  # blacklisted
        "7": base.PENDING,  # sent, no report yet
    }

    def _headers(self):
        return {"X-API-KEY": self.api_key, "Accept": "application/json"}

    def _call(self, method, path, body=None):
        response = self._request(
            method, path, json=body, headers=self._headers(), allow_status=(400, 404)
        )
        payload = self._json(response)
        if not isinstance(payload, dict) or "status" not in payload:
            raise self._shape_error("no status")
        if response.status_code != 200 or str(payload.get("status")) != "1":
            raise self._provider_error(
                payload.get("status"), payload.get("message"), status_code=response.status_code
            )
        return payload

    def _send_batch(self, numbers, text):
        line = self.sender
        body = {
            "lineNumber": int(line) if line.isdigit() else (line or None),
            "messageText": text,
            "mobiles": numbers,
            "sendDateTime": None,
        }
        payload = self._call("POST", "send/bulk", body)
        data = payload.get("data")
        ids = data.get("messageIds") if isinstance(data, dict) else None
        if not isinstance(ids, list) or len(ids) != len(numbers):
            raise self._shape_error("bulk answer without one messageId per mobile")
        answer = str(payload.get("message") or "")
        return [
            base.SendResult(number, message_id=str(mid), message=answer)
            for number, mid in zip(numbers, ids, strict=True)
        ]

    def _send_template(self, number, template_id, params):
        if not template_id.isdigit():
            return base.SendResult(
                number,
                failure_type=base.FAILURE_TEMPLATE,
                message=f"{self.name}: the template id must be a number",
            )
        body = {
            "mobile": number,
            "templateId": int(template_id),
            "parameters": [{"name": k, "value": v} for k, v in params.items()],
        }
        payload = self._call("POST", "send/verify", body)
        data = payload.get("data")
        message_id = data.get("messageId") if isinstance(data, dict) else None
        if message_id in (None, ""):
            raise self._shape_error("verify answer without messageId")
        return base.SendResult(
            number, message_id=str(message_id), message=str(payload.get("message") or "")
        )

    def _fetch_status_batch(self, message_ids):
        message_id = message_ids[0]
        if not message_id.isdigit():
            return {}
        payload = self._call("GET", f"send/{message_id}")
        data = payload.get("data")
        if data is None:
            return {}
        if not isinstance(data, dict) or "deliveryState" not in data:
            raise self._shape_error("report without deliveryState")
        return {message_id: self._report(message_id, data.get("deliveryState"))}
