"""Melipayamak (ملی پیامک) on its REST web service, with ``requests``.

From the research file, section "Melipayamak" (source: Melipayamak/melipayamak-python,
``sms/rest.py``):

* ``https://rest.payamak-panel.com/api/SendSMS/{Method}``, POST form with ``username`` and
  ``password`` (the password is redacted everywhere).
* Plain send ``SendSMS``: ``to``, ``from``, ``text``, ``isFlash``.
* Template send ``BaseServiceNumber``: ``text`` (the values joined with ``;``, in order),
  ``to``, ``bodyId`` (the approved template).
* Answer ``{"Value": "<recId|error code>", "RetStatus": 1, "StrRetStatus": "Ok"}``: success is
  ``RetStatus`` 1 with a long numeric ``Value`` (the recId); a short ``Value`` is an error code.
* Delivery report ``GetDeliveries2`` with ``recId``.
* Numbers as ``09...``.

[UNVERIFIED] (Melipayamak's public help pages as copied by third parties): the error codes in
``ERROR_MAP`` (0 wrong username/password, 2 no credit, 35 number on the operators' blacklist,
-4/-5 template not approved / text not matching it...) and the delivery statuses in
``STATUS_MAP``; the length threshold telling a recId from an error code. One recipient per
request, so every SMS gets its own recId. Tables can be overridden; the base URL is
configurable. No documented delivery push.
"""

from typing import ClassVar

from . import base

DEFAULT_BASE_URL = "https://rest.payamak-panel.com/api/SendSMS"
# recIds are long numbers; error codes have at most a few digits.
MIN_REC_ID_LENGTH = 6


class MelipayamakGateway(base.SmsGateway):
    name = "melipayamak"
    label = "Melipayamak"
    default_base_url = DEFAULT_BASE_URL
    number_style = base.STYLE_LOCAL
    batch_size = 1
    status_batch_size = 1
    credential_fields = ("username", "password")
    ERROR_MAP: ClassVar[dict] = {
        "0": base.FAILURE_ACCOUNT,  # wrong username or password
        "2": base.FAILURE_CREDIT,  # not enough credit
        "3": base.FAILURE_UNKNOWN,  # daily sending limit
        "4": base.FAILURE_UNKNOWN,  # volume limit
        "5": base.FAILURE_ACCOUNT,  # sender number not valid
        "6": base.FAILURE_SERVER,  # system being updated
        "7": base.FAILURE_UNKNOWN,  # text contains filtered words
        "9": base.FAILURE_ACCOUNT,  # public lines cannot send through the web service
        "10": base.FAILURE_ACCOUNT,  # user not active
        "11": base.FAILURE_UNKNOWN,  # not sent
        "12": base.FAILURE_ACCOUNT,  # account documents incomplete
        "14": base.FAILURE_UNKNOWN,  # text contains a link
        "16": base.FAILURE_NUMBER_FORMAT,  # recipient not found
        "17": base.FAILURE_UNKNOWN,  # empty text
        "35": base.FAILURE_BLACKLIST,  # number on the operators' blacklist
        "-1": base.FAILURE_ACCOUNT,  # web service access disabled
        "-2": base.FAILURE_UNKNOWN,  # too many numbers
        "-3": base.FAILURE_ACCOUNT,  # sender line not defined
        "-4": base.FAILURE_TEMPLATE,  # bodyId invalid or template not approved
        "-5": base.FAILURE_TEMPLATE,  # text does not match the template variables
        "-6": base.FAILURE_SERVER,  # internal error
        "-7": base.FAILURE_ACCOUNT,  # sender line error
        "-10": base.FAILURE_UNKNOWN,  # a variable contains a link
    }
    AUTH_CODES = frozenset({"0"})
    RETRYABLE_CODES = frozenset({"6", "-6"})
    STATUS_MAP: ClassVar[dict] = {
        "0": base.PENDING,  # sent to the operator
        "1": base.DELIVERED,  # delivered to the handset
        "2": base.NOT_DELIVERED,  # not delivered to the handset
        "8": base.PENDING,  # delivered to the operator
        "16": base.NOT_DELIVERED,  # not delivered to the operator
        "35": base.REJECTED,  # blacklisted
        "200": base.PENDING,  # sent
    }

    def _call(self, method, data):
        form = {"username": self.username, "password": self.password, **data}
        response = self._request("POST", method, data=form, headers={"Accept": "application/json"})
        payload = self._json(response)
        if not isinstance(payload, dict) or "Value" not in payload or "RetStatus" not in payload:
            raise self._shape_error("no Value/RetStatus")
        return payload

    def _rec_id(self, number, payload):
        value = str(payload.get("Value") if payload.get("Value") is not None else "").strip()
        if (
            str(payload.get("RetStatus")) == "1"
            and value.isdigit()
            and len(value) >= MIN_REC_ID_LENGTH
        ):
            return base.SendResult(
                number, message_id=value, message=str(payload.get("StrRetStatus") or "")
            )
        # The error code is the short Value; a failed RetStatus without one is the code itself.
        code = value if value.lstrip("-").isdigit() else str(payload.get("RetStatus"))
        raise self._provider_error(code, payload.get("StrRetStatus"))

    def _send_batch(self, numbers, text):
        number = numbers[0]
        data = {"to": number, "from": self.sender, "text": text, "isFlash": "false"}
        return [self._rec_id(number, self._call("SendSMS", data))]

    def _send_template(self, number, template_id, params):
        if not template_id.isdigit():
            return base.SendResult(
                number,
                failure_type=base.FAILURE_TEMPLATE,
                message=f"{self.name}: the template id (bodyId) must be a number",
            )
        # Positional template ({0}, {1}...): the values in the order the caller gave them.
        data = {"to": number, "bodyId": template_id, "text": ";".join(params.values())}
        return self._rec_id(number, self._call("BaseServiceNumber", data))

    def _fetch_status_batch(self, message_ids):
        message_id = message_ids[0]
        payload = self._call("GetDeliveries2", {"recId": message_id})
        if str(payload.get("RetStatus")) != "1":
            raise self._provider_error(payload.get("Value"), payload.get("StrRetStatus"))
        return {message_id: self._report(message_id, payload.get("Value"))}
