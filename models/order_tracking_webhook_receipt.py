"""Ids of the webhook events already processed, per carrier, so a replayed push is recognised.

Recording an id is one ``INSERT ... ON CONFLICT DO NOTHING`` under the unique constraint, in the
same transaction as applying the event: two deliveries of the same event racing each other
cannot both be applied, and an event whose processing failed (rolled back) can be sent again.
Receipts older than ``RECEIPT_RETENTION_DAYS`` are pruned by the sync cron; pushes older than
that are refused by their timestamp, so pruning never re-opens a replay.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

RECEIPT_RETENTION_DAYS = 3


class OrderTrackingWebhookReceipt(models.Model):
    _name = "order.tracking.webhook.receipt"
    _description = "Processed Tracking Webhook Event"
    _order = "id desc"
    _log_access = False

    carrier_id = fields.Many2one(
        "delivery.carrier", required=True, index=True, ondelete="cascade", readonly=True
    )
    event_id = fields.Char(string="Event Id", required=True, readonly=True)
    received_at = fields.Datetime(required=True, index=True, readonly=True)

    _carrier_event_unique = models.Constraint(
        "unique(carrier_id, event_id)",
        "This webhook event was already processed for this carrier.",
    )

    @api.model
    def _ot_register(self, carrier, event_id):
        """Record ``event_id`` for ``carrier``; ``True`` if it was new, ``False`` if seen."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO order_tracking_webhook_receipt (carrier_id, event_id, received_at)
                VALUES (%s, %s, %s)
                ON CONFLICT (carrier_id, event_id) DO NOTHING
                RETURNING id
                """,
                carrier.id,
                str(event_id)[:255],
                fields.Datetime.now(),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _ot_prune(self):
        """Forget receipts past the retention window; returns how many were removed."""
        limit = fields.Datetime.now() - timedelta(days=RECEIPT_RETENTION_DAYS)
        self.env.cr.execute(
            SQL("DELETE FROM order_tracking_webhook_receipt WHERE received_at < %s", limit)
        )
        return self.env.cr.rowcount
