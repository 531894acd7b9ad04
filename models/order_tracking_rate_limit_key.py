"""One row per rate-limited key (a visitor IP, an order looked up, a mobile codes go to), touched
by every transaction that counts or adds hits for that key.

Odoo runs requests in REPEATABLE READ transactions: a transaction that counted hits cannot see
hits committed after it started, so two workers could both see "59 of 60" and both go on. An
advisory lock would not help (the snapshot is older than the wait). Touching the same row does:
when two transactions touch a key, the later one fails with a serialization error, and Odoo
retries its request from the start, with a snapshot that sees the other's hits. Limits are
therefore exact across workers and servers, at the cost of one statement per chat turn.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Touch the rows of ``keys`` (insert or update), in key order so that two transactions never wait
# on each other in a circle. The rate-limit statements embed it as their first step.
TOUCH_KEYS_SQL = """
    INSERT INTO order_tracking_rate_limit_key (key, touched_at)
         SELECT k, %(now)s FROM unnest(%(keys)s::varchar[]) AS k ORDER BY k
    ON CONFLICT (key) DO UPDATE SET touched_at = EXCLUDED.touched_at
    RETURNING 1
"""


class OrderTrackingRateLimitKey(models.Model):
    _name = "order.tracking.rate.limit.key"
    _description = "Chat Rate Limit Key"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    touched_at = fields.Datetime(required=True, readonly=True)

    _key_unique = models.Constraint("unique(key)", "A rate-limit key exists once.")

    @api.model
    def _ot_touch(self, keys):
        """Touch ``keys`` (in a fixed order, so two transactions never wait on each other in a
        circle); concurrent transactions on one key are serialised by PostgreSQL."""
        keys = sorted(set(keys))
        if not keys:
            return
        self.env.cr.execute(SQL(TOUCH_KEYS_SQL, now=fields.Datetime.now(), keys=keys))

    @api.model
    def _ot_prune(self, older_than=timedelta(days=1)):
        self.env.cr.execute(
            SQL(
                "DELETE FROM order_tracking_rate_limit_key WHERE touched_at < %s",
                fields.Datetime.now() - older_than,
            )
        )
        return self.env.cr.rowcount
