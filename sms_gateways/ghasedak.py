"""Ghasedak (قاصدک) on its REST gateway v1, with ``requests``.

From the research file, section "Ghasedak" (sources: ghasedak.me/docs and
ghasedakapi/ghasedak_sms_python):

* Base ``https://gateway.ghasedak.me/rest/api/v1/WebService/``, header ``ApiKey``.
* Plain send ``POST SendSingleSMS`` ``{sendDate, lineNumber, receptor, message,
  clientReferenceId, udh}``.
* Template send ``POST SendOtpSMS`` ``{sendDate, receptors: [{mobile, clientReferenceId}],
  templateName, inputs: [{param, value}], udh}``.
* Envelope ``{"IsSuccess": true, "StatusCode": 200, "Message": ..., "Data": {...}}``.
* Delivery reports ``GET CheckSmsStatus?Ids=...&Type=1|2``; statuses include 12 blacklisted,
  13 not delivered, 14 delivered, 16 failed.
* Numbers as ``09...``.

[UNVERIFIED]/assumed: the ``Data`` fields (``messageId`` on a single send; ``items:
[{messageId, mobile}]`` on an OTP send; a list of ``{messageId, status}`` from
CheckSmsStatus; names matched case-insensitively), ``Type=1`` meaning "by message id", and
the error ``StatusCode`` values in ``ERROR_MAP`` (HTTP-like codes). Tables can be overridden
per instance; the base URL is configurable. One request per recipient: the documented
plain send is single-recipient.
"""

from typing import ClassVar

from . import base

DEFAULT_BASE_URL = "https://gateway.ghasedak.me/rest/api/v1/WebService"
_ENVELOPE_STATUSES = tuple(s for s in range(400, 500) if s not in (401, 403, 408, 429))


def _get(mapping, name):
    """A field by name, whatever its capitalisation (``messageId`` / ``MessageId``)."""
    if not isinstance(mapping, dict):
        return None
    wanted = name.lower()
    for key, value in mapping.items():
        if str(key).lower() == wanted:
            return value
    return None


class GhasedakGateway(base.SmsGateway):
    name = "ghasedak"
    label = "Ghasedak"
    default_base_url = DEFAULT_BASE_URL
    number_style = base.STYLE_LOCAL
    batch_size = 1
    status_batch_size = 100
    credential_fields = ("api_key",)
    ERROR_MAP: ClassVar[dict] = {
        "401": base.FAILURE_ACCOUNT,
        "402": base.FAILURE_CREDIT,
        "403": base.FAILURE_ACCOUNT,
        "404": base.FAILURE_TEMPLATE,  # template name not found / not approved
        "406": base.FAILURE_NUMBER_FORMAT,
        "418": base.FAILURE_CREDIT,
        "500": base.FAILURE_SERVER,
    }
    AUTH_CODES = frozenset({"401", "403"})
    RETRYABLE_CODES = frozenset({"500"})
    STATUS_MAP: ClassVar[dict] = {
        "12": base.REJECTED,  # blacklisted
        "13": base.NOT_DELIVERED,
        "14": base.DELIVERED,
        "16": base.NOT_DELIVERED,  # failed
    }

    def _headers(self):
        return {"ApiKey": self.api_key, "Accept": "application/json"}

    def _call(self, method, path, **kwargs):
        response = self._request(
            method, path, headers=self._headers(), allow_status=_ENVELOPE_STATUSES, **kwargs
        )
        payload = self._json(response)
        if not isinstance(payload, dict) or _get(payload, "IsSuccess") is None:
            raise self._shape_error("no IsSuccess")
        if _get(payload, "IsSuccess") is not True or response.status_code != 200:
            code = _get(payload, "StatusCode")
            raise self._provider_error(
                response.status_code if code is None else code,
                _get(payload, "Message"),
                status_code=response.status_code,
            )
        return payload

    def _send_batch(self, numbers, text):
        number = numbers[0]
        body = {
            "sendDate": None,
            "lineNumber": self.sender,
            "receptor": number,
            "message": text,
            "clientReferenceId": None,
            "udh": False,
        }
        payload = self._call("POST", "SendSingleSMS", json=body)
        message_id = _get(_get(payload, "Data"), "messageId")
        if message_id in (None, ""):
            raise self._shape_error("Data without messageId")
        return [
            base.SendResult(
                number, message_id=str(message_id), message=str(_get(payload, "Message") or "")
            )
        ]

    def _send_template(self, number, template_id, params):
        body = {
            "sendDate": None,
            "receptors": [{"mobile": number, "clientReferenceId": None}],
            "templateName": template_id,
            "inputs": [{"param": k, "value": v} for k, v in params.items()],
            "udh": False,
        }
        payload = self._call("POST", "SendOtpSMS", json=body)
        data = _get(payload, "Data")
        items = _get(data, "items")
        item = items[0] if isinstance(items, list) and items else data
        message_id = _get(item, "messageId")
        if message_id in (None, ""):
            raise self._shape_error("Data without messageId")
        return base.SendResult(
            number, message_id=str(message_id), message=str(_get(payload, "Message") or "")
        )

    def _fetch_status_batch(self, message_ids):
        params = [("Ids", message_id) for message_id in message_ids] + [("Type", "1")]
        payload = self._call("GET", "CheckSmsStatus", params=params)
        data = _get(payload, "Data")
        items = _get(data, "items") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise self._shape_error("Data is not a list of statuses")
        reports = {}
        for item in items:
            message_id = _get(item, "messageId")
            if message_id in (None, ""):
                continue
            message_id = str(message_id)
            reports[message_id] = self._report(
                message_id, _get(item, "status"), _get(item, "statusDescription") or ""
            )
        return reports
