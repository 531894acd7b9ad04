"""19.0.1.1.0: indexes replaced by ones the chat's queries actually use.

- rate limits are counted per IP or session whatever the kind: ``(kind, ip_hash, at)`` and
  ``(kind, session_id, at)`` gave way to ``(ip_hash, at)`` and ``(session_id, at)``;
- tracking codes are looked up exactly through an array index, not with ILIKE through a trigram
  index on ``stock_picking.carrier_tracking_ref`` (which this addon had added; Odoo has none),
  and that array index is rebuilt without GIN's pending list.
"""

from odoo.tools import SQL


def migrate(cr, version):
    for index in (
        "order_tracking_rate_limit_kind_ip_at_idx",
        "order_tracking_rate_limit_kind_session_at_idx",
        "stock_picking__carrier_tracking_ref_index",
        # created with GIN's pending list on; its successor has fastupdate off
        "stock_picking_ot_tracking_codes_idx",
    ):
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
