"""The addon's numeric settings: one table of defaults and one reader.

Settings are system parameters named ``order_tracking_chatbot.<key>``; the settings form
(res_config_settings.py) edits most of them, the sync's tuning knobs (``sync_*``) are set as
system parameters only. The form's defaults, the chat, the one-time codes, the rate limits, the
exception rules and the sync all read this table, so a default is written once.
"""

PARAM_PREFIX = "order_tracking_chatbot."

SETTING_DEFAULTS = {
    # chat security (Settings > Order Tracking > Chat security)
    "chat_session_messages": 30,  # per session, 10 minutes
    "chat_ip_messages": 60,  # per IP, 10 minutes
    "chat_ip_sessions": 20,  # sessions started per IP, 10 minutes
    "chat_target_sessions": 5,  # sessions looking up the same order/mobile/code, 1 hour
    "chat_session_targets": 10,  # distinct orders/mobiles/codes per session, 1 hour
    "chat_ip_targets": 30,  # distinct orders/mobiles/codes per IP, 1 hour
    "otp_validity_minutes": 5,
    "otp_max_attempts": 5,
    "otp_cooldown_seconds": 60,
    "otp_daily_cap": 5,
    "chat_idle_minutes": 30,  # no message for this long: the chat is over (abandoned if open)
    "chat_session_ttl_minutes": 240,  # no message for this long: the token stops working
    # exception rules
    "late_after_days": 5,
    "stale_after_days": 3,
    "first_scan_days": 2,
    "lost_deadline_hours": 24,
    "preparation_days": 1,
    # carrier sync tuning (system parameters only)
    "sync_batch_size": 200,
    # Small on purpose: a savepoint per shipment is a subtransaction, and PostgreSQL slows
    # every session down while a transaction holds more than 64 of them.
    "sync_commit_size": 25,
    "sync_workers_per_carrier": 4,
    "sync_total_workers": 16,
    "sync_request_timeout": 30.0,
    "sync_lease_minutes": 15,
    # SMS gateway calls of one batch running side by side (system parameter only)
    "sms_send_concurrency": 8,
}


def read_setting(env, key):
    """Setting ``key`` (see SETTING_DEFAULTS) as a number of its default's type; a missing,
    broken, zero or negative value gives the default."""
    default = SETTING_DEFAULTS[key]
    # sudo: ir.config_parameter - the settings are system parameters every service reads
    raw = env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key)
    try:
        value = type(default)(raw)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default
