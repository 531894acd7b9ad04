"""The ``ot`` values of the customer notification templates, in every template's render context.

The SMS and email templates of the notifications (data/*_template_notification_data.xml) read
``ot['order']``, ``ot['tracker_url']``... computed per message in the customer's language by
``order.tracking.notification._ot_render_values``. Outside a notification (Odoo checking a
template on save, a preview, a shop's own template) ``ot`` is empty and every key renders "".
"""

from collections import defaultdict

from odoo import api, models

CONTEXT_KEY = "ot_notification_values"


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_eval_context(self):
        render_context = super()._render_eval_context()
        render_context["ot"] = defaultdict(str, self.env.context.get(CONTEXT_KEY) or {})
        return render_context
