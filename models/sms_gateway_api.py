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

The gateway calls of a batch (one per text, one per templated SMS) run side by side, at most
``sms_send_concurrency`` (a system parameter, default 8) at a time: a notification batch
waits for its slowest calls rather than for the sum of them (``sms_gateways/parallel.py``).
"""

import logging
from functools import partial

from odoo.exceptions import UserError

from odoo.addons.sms.tools.sms_api import SmsApiBase

from ..conversation.normalize import mask_mobile
from ..sms_gateways import base
from ..sms_gateways.parallel import JobFailed, run_bounded
from .settings import read_setting

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
        jobs = self._jobs(gateway, messages, self._templated(uuids))
        # The HTTP calls only run side by side: everything Odoo (the template ids, the SMS
        # records) was read above, in this thread.
        answers = run_bounded(
            [job for _uuids, job in jobs], read_setting(self.env, "sms_send_concurrency")
        )
        results = []
        for (job_uuids, _job), answer in zip(jobs, answers, strict=True):
            if isinstance(answer, JobFailed):
                # A client bug in one call fails its own SMS (to resend), not the batch.
                _logger.error(
                    "SMS gateway %s: %s while sending", gateway.name, type(answer.error).__name__
                )
                reason = f"{gateway.name}: {type(answer.error).__name__}"
                results += [self._failure(u, base.FAILURE_SERVER, reason) for u in job_uuids]
                continue
            results += [self._result(u, a) for u, a in zip(job_uuids, answer, strict=True)]
        # Odoo's sender logs the results (no secret in them: the clients redact their messages).
        return results

    def _jobs(self, gateway, messages, templated):
        """``[(uuids, call)]``: one gateway call per text for the plain SMS (the provider's
        many-recipients send), one per SMS with an approved template; each call returns one
        answer per uuid. Template ids are looked up here, once per kind; an SMS whose kind
        has none is plain text and joins its text's call."""
        company = self.company
        template_ids = {}
        jobs = []
        for message in messages:
            content = message.get("content") or ""
            plain = []
            for item in message.get("numbers") or []:
                kind, params = templated.get(item["uuid"], (None, None))
                if kind and kind not in template_ids:
                    template_ids[kind] = company._ot_sms_template_id(kind)
                if not kind or not template_ids[kind]:
                    plain.append(item)
                    continue
                call = partial(_one_template, gateway, item["number"], template_ids[kind], params)
                jobs.append(([item["uuid"]], call))
            if plain:
                numbers = [n["number"] for n in plain]
                jobs.append(([n["uuid"] for n in plain], partial(gateway.send, numbers, content)))
        return jobs

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


def _one_template(gateway, number, template_id, params):
    """The template send as a list of one answer, like ``gateway.send``."""
    return [gateway.send_template(number, template_id, params)]
