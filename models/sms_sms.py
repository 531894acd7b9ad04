"""The SMS outbox: text messages kept in Odoo instead of being sent.

When the company's provider (`res.company.ot_sms_provider`) is the outbox, an SMS is created in
the ``ot_outbox`` state. Odoo's sender (`send()`, the queue cron) only picks ``outgoing``
messages, so nothing goes out, nothing is marked for deletion, and staff read the messages in
Order Tracking > SMS Outbox. Messages queued before a switch to the outbox, or created with an
explicit ``outgoing`` state by other modules, are diverted when the sender gets to them.
"""

import logging

from odoo import api, fields, models

from ..conversation.normalize import mask_mobile

_logger = logging.getLogger(__name__)

OUTBOX_STATE = "ot_outbox"


class SmsSms(models.Model):
    _inherit = "sms.sms"

    state = fields.Selection(
        selection_add=[(OUTBOX_STATE, "Kept in Outbox")],
        # Uninstalling must not release kept messages to the sender: they are cancelled.
        ondelete={OUTBOX_STATE: lambda records: records.write({"state": "canceled"})},
    )
    ot_company_id = fields.Many2one(
        "res.company",
        string="Sending Company",
        readonly=True,
        help="The company whose SMS provider applies (the chat's company for one-time codes).",
    )

    def _ot_company(self):
        self.ensure_one()
        return self.ot_company_id or self._get_sms_company()

    def _ot_in_outbox(self):
        """The messages of ``self`` whose company keeps SMS in the outbox."""
        return self.filtered(lambda sms: sms._ot_company().ot_sms_provider == "outbox")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # Diverted at once: a message never shows "In Queue" when nothing will ever send it.
        outbox = records.filtered(lambda sms: sms.state == "outgoing")._ot_in_outbox()
        if outbox:
            outbox._ot_keep_in_outbox()
        return records

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        outbox = self._ot_in_outbox()
        if outbox:
            outbox._ot_keep_in_outbox()
        to_send = self - outbox
        if not to_send:
            return None
        return super(SmsSms, to_send)._send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            raise_exception=raise_exception,
        )

    def _ot_keep_in_outbox(self):
        self.write({"state": OUTBOX_STATE, "failure_type": False, "to_delete": False})
        for sms in self:
            _logger.info(
                "SMS %s to %s kept in the outbox (not sent)", sms.id, mask_mobile(sms.number)
            )
