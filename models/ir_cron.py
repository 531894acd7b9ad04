"""Holding back one cron's wake-ups while a batch makes records it processes itself.

Odoo's ``sms.sms.create`` wakes the SMS queue cron for every SMS: a trigger row and, after the
commit, a ``NOTIFY`` on a fresh connection to the ``postgres`` database. The notification batch
creates its SMS and sends them itself right away, so 200 wake-ups per batch would find nothing
to do and cost three queries each. With ``ot_hold_cron_trigger`` (a cron id) in the context,
that cron's triggers are not created; the caller wakes it once if anything is left for it.
"""

from odoo import models

HOLD_TRIGGER_KEY = "ot_hold_cron_trigger"


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _trigger_list(self, at_list):
        held = self.env.context.get(HOLD_TRIGGER_KEY)
        if held and self.ids == [held]:
            return self.env["ir.cron.trigger"]
        return super()._trigger_list(at_list)
