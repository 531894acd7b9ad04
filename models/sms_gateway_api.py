"""The SMS API class Odoo's ``sms`` module calls when a company's provider is a gateway.

Same contract as ``addons/sms/tools/sms_api.py`` (and ``sms_twilio``'s ``SmsApiTwilio``):
``_send_sms_batch(messages)`` gets ``[{content, numbers: [{uuid, number}]}]`` and returns one
``{uuid, state, failure_type, failure_reason}`` per number. ``state`` is ``"success"`` (Odoo
shows the SMS as "Sent") or Odoo's failure type itself, which ``PROVIDER_TO_SMS_FAILURE_TYPE``
maps onto itself, so ``sms.sms`` and its notification get the right failure type and the
provider's own words as the reason. ``ot_message_id`` carries the provider's id to
``sms.sms._handle_call_result_hook``, which keeps it for delivery reports.

An SMS that asked for an approved template (``sms.sms.ot_template_kind``, e.g. the one-time
code) goes through the provider's template send when the company has a template id for that
kind, and as plain text otherwise.
"""

import logging

from odoo.exceptions import UserError

from odoo.addons.sms.tools.sms_api import SmsApiBase

from ..conversation.normalize import mask_mobile
from ..sms_gateways import base

_logger = logging.getLogger(__name__)

SUCCESS_STATE = "success"


class OtSmsGatewayApi(SmsApiBase):
    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE | {
        failure_type: failure_type
        for failure_type in base.FAILURE_TYPES
        if failure_type != base.FAILURE_UNKNOWN
    }

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        company = self.company
        uuids = [n["uuid"] for message in messages for n in message.get("numbers") or []]
        try:
            gateway = company._ot_sms_gateway()
        except UserError as error:
            # Missing credentials fail these SMS (as an account problem), not the whole queue.
            reason = str(error.args[0]) if error.args else str(error)
            return [self._failure(uuid, base.FAILURE_ACCOUNT, reason) for uuid in uuids]
        templated = self._templated(uuids)
        results = []
        for message in messages:
            content = message.get("content") or ""
            numbers = message.get("numbers") or []
            plain = [n for n in numbers if n["uuid"] not in templated]
            if plain:
                answers = gateway.send([n["number"] for n in plain], content)
                results += [self._result(n["uuid"], a) for n, a in zip(plain, answers, strict=True)]
            for item in numbers:
                if item["uuid"] not in templated:
                    continue
                kind, params = templated[item["uuid"]]
                template_id = company._ot_sms_template_id(kind)
                if template_id:
                    answer = gateway.send_template(item["number"], template_id, params)
                else:
                    answer = gateway.send([item["number"]], content)[0]
                results.append(self._result(item["uuid"], answer))
        # Odoo's sender logs the results (no secret in them: the clients redact their messages).
        return results

    def _templated(self, uuids):
        """``{uuid: (kind, params)}`` of the SMS that asked for an approved template."""
        # sudo: sms.sms - the sender runs as whoever triggered the queue; the template request
        # is part of the SMS being sent.
        records = (
            self.env["sms.sms"]
            .sudo()
            .search([("uuid", "in", uuids), ("ot_template_kind", "!=", False)])
        )
        return {r.uuid: (r.ot_template_kind, dict(r.ot_template_params or {})) for r in records}

    def _result(self, uuid, answer):
        if answer.ok:
            return {
                "uuid": uuid,
                "state": SUCCESS_STATE,
                "failure_reason": False,
                "ot_message_id": answer.message_id,
                "ot_provider_answer": answer.message,
            }
        _logger.info(
            "SMS %s to %s refused: %s (%s)",
            uuid,
            mask_mobile(answer.number),
            answer.failure_type,
            answer.provider_code or "-",
        )
        return self._failure(uuid, answer.failure_type, answer.message)

    def _failure(self, uuid, failure_type, reason):
        return {
            "uuid": uuid,
            "state": failure_type,
            "failure_type": failure_type,
            "failure_reason": reason,
        }

    def _get_sms_api_error_messages(self):
        messages = super()._get_sms_api_error_messages()
        messages.update(
            {
                base.FAILURE_CREDIT: self.env._("Not enough credit on the SMS gateway account."),
                base.FAILURE_NUMBER_FORMAT: self.env._("The number is not an Iranian mobile."),
                base.FAILURE_BLACKLIST: self.env._("The number is on the operators' blacklist."),
                base.FAILURE_ACCOUNT: self.env._(
                    "The SMS gateway refused the account, sender line or template."
                ),
                base.FAILURE_SERVER: self.env._("The SMS gateway could not be reached."),
            }
        )
        return messages
