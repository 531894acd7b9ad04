"""Rate limits of the public chat, as rows in the database (like `auth.totp.rate.limit.log`).

Every chat turn leaves a row per visitor IP (hashed) and session, and every order ref, mobile or
tracking code a turn looks up leaves a row for that target (hashed). Limits are counts of rows in
a sliding window, so they hold across Odoo workers and servers, which process memory would not.

Why these limits (defaults in Settings > Order Tracking):

- messages per session and per IP in 10 minutes: a person types a few messages a minute; a
  script types hundreds;
- sessions started per IP in 10 minutes: a new session resets the per-session caps, so starting
  sessions is itself limited;
- sessions looking up the *same* target in an hour: the level-1 check (last 4 digits of the
  mobile) has 10,000 answers; three tries per session and five sessions per hour per order make
  guessing hopeless, whatever the number of IPs an attacker controls;
- *distinct* targets per session and per IP in an hour: enumeration (S00001, S00002, ...) needs
  many targets, a customer needs one or two.

Counting and inserting are serialised per IP and per target (`order.tracking.rate.limit.key`),
so two workers cannot both see "59 of 60" and both let a message through.
"""

import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .order_tracking_rate_limit_key import TOUCH_KEYS_SQL
from .settings import read_setting

MESSAGE_WINDOW = timedelta(minutes=10)
TARGET_WINDOW = timedelta(hours=1)
# Rows older than this are useless to every window; the cleanup cron removes them.
KEEP_ROWS = timedelta(days=1)

# limit name -> (settings key, row kind, window)
LIMITS = {
    "session_messages": ("chat_session_messages", "message", MESSAGE_WINDOW),
    "ip_messages": ("chat_ip_messages", "message", MESSAGE_WINDOW),
    "ip_sessions": ("chat_ip_sessions", "session", MESSAGE_WINDOW),
    "target_sessions": ("chat_target_sessions", "target", TARGET_WINDOW),
    "session_targets": ("chat_session_targets", "target", TARGET_WINDOW),
    "ip_targets": ("chat_ip_targets", "target", TARGET_WINDOW),
}


# One chat turn's rate limits in one statement (see _ot_check_message): touch the keys, count
# every window, record the turn's rows only when no limit is hit.
MESSAGE_CHECK_SQL = (
    "WITH touched AS ("
    + TOUCH_KEYS_SQL
    + """), mine AS (
    SELECT
        COUNT(*) FILTER (WHERE kind = 'message' AND session_id = %(session)s
                         AND at >= %(since_msg)s) AS session_messages,
        MIN(at) FILTER (WHERE kind = 'message' AND session_id = %(session)s
                        AND at >= %(since_msg)s) AS session_messages_at,
        COUNT(*) FILTER (WHERE kind = 'message' AND ip_hash = %(ip)s
                         AND at >= %(since_msg)s) AS ip_messages,
        MIN(at) FILTER (WHERE kind = 'message' AND ip_hash = %(ip)s
                        AND at >= %(since_msg)s) AS ip_messages_at,
        COUNT(DISTINCT target_hash) FILTER (WHERE kind = 'target'
                         AND session_id = %(session)s AND at >= %(since_target)s
                         AND NOT target_hash = ANY(%(targets)s::varchar[]))
            AS session_targets,
        MIN(at) FILTER (WHERE kind = 'target' AND session_id = %(session)s
                        AND at >= %(since_target)s) AS session_targets_at,
        COUNT(DISTINCT target_hash) FILTER (WHERE kind = 'target'
                         AND ip_hash = %(ip)s AND at >= %(since_target)s
                         AND NOT target_hash = ANY(%(targets)s::varchar[]))
            AS ip_targets,
        MIN(at) FILTER (WHERE kind = 'target' AND ip_hash = %(ip)s
                        AND at >= %(since_target)s) AS ip_targets_at
      FROM order_tracking_rate_limit
     WHERE at >= %(since_target)s
       AND (session_id = %(session)s OR ip_hash = %(ip)s)
), others AS (
    -- other sessions that looked up one of these targets
    SELECT COALESCE(MAX(n_sessions), 0) AS target_sessions,
           MIN(oldest) AS target_sessions_at
      FROM (SELECT COUNT(DISTINCT other.session_id) AS n_sessions,
                   MIN(other.at) AS oldest
              FROM order_tracking_rate_limit other
             WHERE other.kind = 'target'
               AND other.target_hash = ANY(%(targets)s::varchar[])
               AND other.at >= %(since_target)s
               AND other.session_id != %(session)s
          GROUP BY other.target_hash) AS per_target
), verdict AS (
    SELECT mine.*, others.*,
           mine.session_messages + 1 > %(max_session_messages)s
               AS session_messages_hit,
           mine.ip_messages + 1 > %(max_ip_messages)s AS ip_messages_hit,
           %(n_targets)s > 0 AND mine.session_targets + %(n_targets)s
               > %(max_session_targets)s AS session_targets_hit,
           %(n_targets)s > 0 AND mine.ip_targets + %(n_targets)s
               > %(max_ip_targets)s AS ip_targets_hit,
           %(n_targets)s > 0 AND others.target_sessions + 1
               > %(max_target_sessions)s AS target_sessions_hit
      FROM mine, others
), recorded AS (
    INSERT INTO order_tracking_rate_limit (kind, at, ip_hash, session_id,
                                          target_hash)
         SELECT turn_row.kind, %(now)s, %(ip)s, %(session)s, turn_row.target
           FROM (SELECT 'message' AS kind, NULL::varchar AS target
                  UNION ALL
                 SELECT 'target', t FROM unnest(%(targets)s::varchar[]) AS t)
                AS turn_row, verdict
          WHERE NOT (verdict.session_messages_hit OR verdict.ip_messages_hit
                     OR verdict.session_targets_hit OR verdict.ip_targets_hit
                     OR verdict.target_sessions_hit)
      RETURNING 1
)
SELECT session_messages_hit, session_messages_at,
       ip_messages_hit, ip_messages_at,
       session_targets_hit, session_targets_at,
       ip_targets_hit, ip_targets_at,
       target_sessions_hit, target_sessions_at,
       (SELECT COUNT(*) FROM touched), (SELECT COUNT(*) FROM recorded)
  FROM verdict
"""
)
# A session start: the same, for the sessions an IP started in the message window.
SESSION_CHECK_SQL = (
    "WITH touched AS ("
    + TOUCH_KEYS_SQL
    + """), counted AS (
    SELECT COUNT(*) AS sessions, MIN(at) AS oldest
      FROM order_tracking_rate_limit
     WHERE kind = 'session' AND ip_hash = %(ip)s AND at >= %(since)s
), recorded AS (
    INSERT INTO order_tracking_rate_limit (kind, at, ip_hash)
         SELECT 'session', %(now)s, %(ip)s FROM counted WHERE counted.sessions < %(max_sessions)s
      RETURNING 1
)
SELECT counted.sessions >= %(max_sessions)s, counted.oldest,
       (SELECT COUNT(*) FROM touched), (SELECT COUNT(*) FROM recorded)
  FROM counted
"""
)


class OrderTrackingRateLimit(models.Model):
    _name = "order.tracking.rate.limit"
    _description = "Chat Rate Limit Log"
    _order = "at desc, id desc"
    _log_access = False  # `at` is the only date that matters, and rows are written by the ton

    kind = fields.Selection(
        [("message", "Message"), ("session", "Session Started"), ("target", "Lookup")],
        required=True,
        readonly=True,
    )
    at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    ip_hash = fields.Char(string="IP (hashed)", readonly=True)
    session_id = fields.Many2one(
        "order.tracking.chat.session", readonly=True, ondelete="cascade", index="btree_not_null"
    )
    target_hash = fields.Char(string="Target (hashed)", readonly=True)

    # A turn counts the rows of its IP *or* its session in the window, whatever their kind: only
    # indexes led by the IP and by the session serve that OR (a BitmapOr of two range scans); led
    # by the kind, PostgreSQL would scan every row of the last day.
    _ip_at_idx = models.Index("(ip_hash, at)")
    _session_at_idx = models.Index("(session_id, at)")
    _kind_target_at_idx = models.Index("(kind, target_hash, at) WHERE target_hash IS NOT NULL")

    # --- hashing ------------------------------------------------------------------------------

    @api.model
    def _ot_hash(self, kind, value):
        """A keyed hash of an IP, order ref, mobile or tracking code: rows can be matched with
        each other but never read back, even by someone with the database but not the secret."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        message = f"{kind}:{value}".encode()
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:40]

    # --- checking -----------------------------------------------------------------------------

    @api.model
    def _ot_limits(self):
        return {name: read_setting(self.env, key) for name, (key, _k, _w) in LIMITS.items()}

    @api.model
    def _ot_lock_keys(self, keys):
        """The rate-limit key rows of ``keys`` (an IP, a target, a mobile), sorted."""
        return sorted({self._ot_hash("key", key)[:32] for key in keys})

    @api.model
    def _ot_lock(self, keys):
        """Serialise the transactions that count hits of the same IP, target or mobile (see
        order_tracking_rate_limit_key.py for why a row and not an advisory lock)."""
        self.env["order.tracking.rate.limit.key"]._ot_touch(self._ot_lock_keys(keys))

    @api.model
    def _ot_check_message(self, session, ip_hash, target_hashes=()):
        """Check the limits for one chat turn and, when it may go on, record it.

        :param session: the chat session (a record)
        :param target_hashes: hashes of the order refs / mobiles / tracking codes in the message
        :return: ``(limit_name, retry_after_seconds)`` of the first limit hit, or ``(None, 0)``
            after recording the turn.

        One statement whatever is found: it touches the keys of the IP and targets (see
        order_tracking_rate_limit_key.py), counts every window, and records the turn's rows only
        when no limit is hit. All its parts read the transaction's snapshot, so the rows it adds
        are not counted against themselves.
        """
        now = fields.Datetime.now()
        targets = sorted(set(target_hashes))
        limits = self._ot_limits()
        keys = self._ot_lock_keys([f"ip:{ip_hash}", *(f"target:{t}" for t in targets)])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                MESSAGE_CHECK_SQL,
                now=now,
                keys=keys,
                session=session.id,
                ip=ip_hash or "",
                targets=targets,
                n_targets=len(targets),
                since_msg=now - MESSAGE_WINDOW,
                since_target=now - TARGET_WINDOW,
                **{f"max_{name}": value for name, value in limits.items()},
            )
        )
        row = self.env.cr.fetchone()
        # The limits in the order they are reported, with the window their oldest row leaves.
        verdicts = (
            ("session_messages", row[0], row[1], MESSAGE_WINDOW),
            ("ip_messages", row[2], row[3], MESSAGE_WINDOW),
            ("session_targets", row[4], row[5], TARGET_WINDOW),
            ("ip_targets", row[6], row[7], TARGET_WINDOW),
            ("target_sessions", row[8], row[9], TARGET_WINDOW),
        )
        for name, hit, oldest, window in verdicts:
            if hit:
                return name, self._ot_retry_after(oldest, window, now)
        return None, 0

    @api.model
    def _ot_check_session_start(self, ip_hash):
        """Check and record the start of a session from ``ip_hash``: ``(limit, retry_after)``."""
        now = fields.Datetime.now()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                SESSION_CHECK_SQL,
                now=now,
                keys=self._ot_lock_keys([f"ip:{ip_hash}"]),
                ip=ip_hash or "",
                since=now - MESSAGE_WINDOW,
                max_sessions=self._ot_limits()["ip_sessions"],
            )
        )
        hit, oldest, _touched, _recorded = self.env.cr.fetchone()
        if hit:
            return "ip_sessions", self._ot_retry_after(oldest, MESSAGE_WINDOW, now)
        return None, 0

    @api.model
    def _ot_retry_after(self, oldest, window, now):
        """Seconds until the oldest counted row leaves the window (at least 1)."""
        if not oldest:
            return int(window.total_seconds())
        return max(int((oldest + window - now).total_seconds()) + 1, 1)

    # --- cleanup ------------------------------------------------------------------------------

    @api.model
    def _ot_prune(self):
        """Delete rows no window looks at any more; returns how many were deleted."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM order_tracking_rate_limit WHERE at < %s",
                fields.Datetime.now() - KEEP_ROWS,
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        self.env["order.tracking.rate.limit.key"]._ot_prune()
        return count
