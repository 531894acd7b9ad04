"""Records whose edits must reach the chat at once: the data behind its cached answers.

The chat compiles its city list into the dialogue policy and remembers delivery estimates in
Odoo's own ORM cache (``ormcache``, see order_tracking_chat_backend.py). Models that feed those
caches inherit this mixin: creating, editing or deleting one of their records clears the caches,
in this worker and, through Odoo's cache signalling, in every other worker.
"""

from odoo import api, models


class OrderTrackingCachedData(models.AbstractModel):
    _name = "order.tracking.cached.data"
    _description = "Data behind the chat's cached answers"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
