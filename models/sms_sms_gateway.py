"""Routing Odoo's SMS queue to the company's gateway, and remembering what the gateway said.

Like ``sms_twilio``'s ``sms.sms``: ``_split_by_api`` groups the SMS by company and hands the
companies whose provider is a gateway to ``OtSmsGatewayApi``; the rest follow Odoo's usual path
(IAP, another provider, or our outbox). ``_send`` called without an API (the queue cron does
that) is split the same way, so a batch with SMS of several companies never goes through one
company's provider.

After sending, ``_handle_call_result_hook`` keeps the provider's message id on an
``sms.tracker`` (created when Odoo made none, e.g. for one-time codes): sent SMS are deleted
by Odoo, trackers stay, and delivery reports find their SMS through them.
"""

from datetime import timedelta

from odoo import api, fields, models

from .sms_gateway_api import OtSmsGatewayApi

# Context key: values every SMS created under it gets (see ``create``).
CREATE_VALUES_KEY = "ot_sms_values"
# First delivery-report check after sending: reports rarely exist sooner.
FIRST_DLR_CHECK = timedelta(minutes=2)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    ot_template_kind = fields.Char(
        string="Template Kind",
        readonly=True,
        help="Message kind (e.g. otp) whose approved gateway template is used when the company "
        "has one; otherwise the body is sent as plain text.",
    )
    ot_template_params = fields.Json(string="Template Parameters", readonly=True)
    # Delivery reports can say an SMS never arrived: the same values as mail.notification's.
    failure_type = fields.Selection(
        selection_add=[("sms_not_delivered", "Not Delivered"), ("sms_rejected", "Rejected")]
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Values the creator could not pass through Odoo's SMS posting (``_message_sms``
        # creates the SMS): set at creation rather than written on each SMS afterwards.
        extra = self.env.context.get(CREATE_VALUES_KEY)
        if extra:
            vals_list = [{**extra, **vals} for vals in vals_list]
        return super().create(vals_list)

    def _split_by_api(self):
        by_company = {}
        for sms in self:
            company = sms._ot_company()
            by_company.setdefault(company, self.browse())
            by_company[company] |= sms
        others = self.browse()
        for company, records in by_company.items():
            if company._ot_sms_is_gateway():
                sms_api = OtSmsGatewayApi(self.env)
                sms_api._set_company(company)
                yield sms_api, records
            else:
                others |= records
        if others:
            yield from super(SmsSms, others)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        if self.env.context.get("sms_api") or not self:
            return super()._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        # The queue cron sends without an API: route each company's SMS to its own provider.
        for sms_api, records in self._split_by_api():
            super(SmsSms, records.with_context(sms_api=sms_api))._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return None

    def _handle_call_result_hook(self, results):
        by_uuid = {r["uuid"]: r for r in results if r.get("ot_message_id")}
        gateway_sms = self.filtered(lambda s: s.uuid in by_uuid)
        if gateway_sms:
            gateway_sms._ot_track_gateway_ids(by_uuid)
        return super()._handle_call_result_hook(results)

    def _ot_track_gateway_ids(self, results_by_uuid):
        """Keep each SMS's provider message id on its tracker, for delivery reports."""
        trackers = self.env["sms.tracker"].sudo()
        existing = {
            t.sms_uuid: t for t in trackers.search([("sms_uuid", "in", self.mapped("uuid"))])
        }
        to_create = []
        next_check = fields.Datetime.now() + FIRST_DLR_CHECK
        for sms in self:
            company = sms._ot_company()
            values = {
                "ot_gateway": company.ot_sms_provider,
                "ot_gateway_message_id": results_by_uuid[sms.uuid]["ot_message_id"],
                "ot_company_id": company.id,
                "ot_dlr_state": "pending",
                "ot_dlr_checks": 0,
                "ot_dlr_next_check": next_check,
            }
            if sms.uuid in existing:
                existing[sms.uuid].write(values)
            else:
                to_create.append({"sms_uuid": sms.uuid, **values})
        if to_create:
            trackers.create(to_create)

    @api.model
    def _ot_queue_template(self, kind, params, values):
        """Create an SMS that the gateway sends with the approved template of ``kind`` (when
        the company has one) filled with ``params``; ``values`` as for ``create``."""
        return self.create({**values, "ot_template_kind": kind, "ot_template_params": params})
