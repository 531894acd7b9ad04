"""Order tracking settings (Settings > Order Tracking), stored as system parameters.

System parameters rather than company fields: the exception policy (how many business days make a
parcel late, who handles which exception, which customers are VIP) is one shop-wide policy, read by
crons and webhooks that run without a meaningful company context, and it adds no columns to
`res.company`. What does differ per company stays per company: business days follow each
company's working calendar, and a ticket team only applies to its own company (see
`helpdesk.ticket._ot_team_for`). Per carrier × province exceptions to the policy live on
`order.tracking.lead.time` rows.
"""

from odoo import api, fields, models

from .settings import PARAM_PREFIX, SETTING_DEFAULTS, read_setting

# Exception types that get their own team/category settings (same codes as on stock.picking).
TICKET_EXCEPTION_TYPES = (
    "delayed",
    "returned_to_sender",
    "lost",
    "address_issue",
    "failed_attempt",
    "damaged",
)
# Many2many settings are not supported by `config_parameter`: ids stored comma separated.
ID_LIST_PARAMS = {
    "ot_escalation_state_ids": "escalation_state_ids",
    "ot_escalation_city_ids": "escalation_city_ids",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ot_widget_enabled = fields.Boolean(
        string="Chat Widget on Website",
        # No default: Odoo deletes the parameter when unticked, and a default would show it
        # ticked again; data/ir_config_parameter_widget_data.xml switches it on at install.
        config_parameter="order_tracking_chatbot.widget_enabled",
    )
    ot_order_ref_pattern = fields.Char(
        string="Order Number Pattern",
        config_parameter="order_tracking_chatbot.order_ref_pattern",
        help="Regular expression that recognises your order numbers in customer messages. "
        "Empty: Odoo's default sale order numbers (e.g. S00042).",
    )

    # --- chat security (defaults: settings.SETTING_DEFAULTS) -------------------
    ot_sms_provider = fields.Selection(
        related="company_id.ot_sms_provider", readonly=False, string="SMS Provider"
    )
    ot_chat_session_messages = fields.Integer(
        string="Messages per Chat (10 min)",
        config_parameter="order_tracking_chatbot.chat_session_messages",
        default=SETTING_DEFAULTS["chat_session_messages"],
    )
    ot_chat_ip_messages = fields.Integer(
        string="Messages per Visitor IP (10 min)",
        config_parameter="order_tracking_chatbot.chat_ip_messages",
        default=SETTING_DEFAULTS["chat_ip_messages"],
    )
    ot_chat_ip_sessions = fields.Integer(
        string="New Chats per Visitor IP (10 min)",
        config_parameter="order_tracking_chatbot.chat_ip_sessions",
        default=SETTING_DEFAULTS["chat_ip_sessions"],
    )
    ot_chat_target_sessions = fields.Integer(
        string="Chats Asking About the Same Order (1 hour)",
        config_parameter="order_tracking_chatbot.chat_target_sessions",
        default=SETTING_DEFAULTS["chat_target_sessions"],
        help="How many chats may look up the same order number, mobile or tracking code in an "
        "hour: stops guessing the last digits of a customer's mobile from many chats.",
    )
    ot_chat_session_targets = fields.Integer(
        string="Different Orders per Chat (1 hour)",
        config_parameter="order_tracking_chatbot.chat_session_targets",
        default=SETTING_DEFAULTS["chat_session_targets"],
        help="Stops trying order numbers one after the other in one chat.",
    )
    ot_chat_ip_targets = fields.Integer(
        string="Different Orders per Visitor IP (1 hour)",
        config_parameter="order_tracking_chatbot.chat_ip_targets",
        default=SETTING_DEFAULTS["chat_ip_targets"],
    )
    ot_otp_validity_minutes = fields.Integer(
        string="Code Valid For (minutes)",
        config_parameter="order_tracking_chatbot.otp_validity_minutes",
        default=SETTING_DEFAULTS["otp_validity_minutes"],
    )
    ot_otp_max_attempts = fields.Integer(
        string="Tries per Code",
        config_parameter="order_tracking_chatbot.otp_max_attempts",
        default=SETTING_DEFAULTS["otp_max_attempts"],
    )
    ot_otp_cooldown_seconds = fields.Integer(
        string="Wait Before a New Code (seconds)",
        config_parameter="order_tracking_chatbot.otp_cooldown_seconds",
        default=SETTING_DEFAULTS["otp_cooldown_seconds"],
    )
    ot_otp_daily_cap = fields.Integer(
        string="Codes per Mobile per Day",
        config_parameter="order_tracking_chatbot.otp_daily_cap",
        default=SETTING_DEFAULTS["otp_daily_cap"],
    )
    ot_chat_idle_minutes = fields.Integer(
        string="Chat Over After (idle minutes)",
        config_parameter="order_tracking_chatbot.chat_idle_minutes",
        default=SETTING_DEFAULTS["chat_idle_minutes"],
        help="A chat without messages for this long is over: abandoned unless the bot "
        "resolved or escalated it.",
    )

    # --- exception rules ---------------------------------------------------------------------
    ot_late_after_days = fields.Integer(
        string="Late After (business days)",
        config_parameter="order_tracking_chatbot.late_after_days",
        default=SETTING_DEFAULTS["late_after_days"],
        help="A shipment not delivered this many business days after hand-over to the carrier "
        "is delayed. Lead times per carrier and province can set their own limit.",
    )
    ot_stale_after_days = fields.Integer(
        string="No Carrier Update For (business days)",
        config_parameter="order_tracking_chatbot.stale_after_days",
        default=SETTING_DEFAULTS["stale_after_days"],
        help="A shipment whose carrier published no new event for this many business days is "
        "delayed (no update).",
    )
    ot_first_scan_days = fields.Integer(
        string="No First Scan After (business days)",
        config_parameter="order_tracking_chatbot.first_scan_days",
        default=SETTING_DEFAULTS["first_scan_days"],
        help="A shipment the carrier has not scanned this many business days after hand-over is "
        "delayed (not picked up).",
    )
    ot_lost_deadline_hours = fields.Integer(
        string="Lost Parcel Deadline (hours)",
        config_parameter="order_tracking_chatbot.lost_deadline_hours",
        default=SETTING_DEFAULTS["lost_deadline_hours"],
        help="Tickets for lost or undelivered parcels must be handled within this many hours.",
    )
    ot_preparation_days = fields.Integer(
        string="Default Preparation (business days)",
        config_parameter="order_tracking_chatbot.preparation_days",
        default=SETTING_DEFAULTS["preparation_days"],
        help="Business days between an order and its hand-over to the carrier, used in delivery "
        "estimates when no lead time is configured for the carrier.",
    )
    ot_vip_category_id = fields.Many2one(
        "res.partner.category",
        string="VIP Customer Tag",
        config_parameter="order_tracking_chatbot.vip_category_id",
        help="Exception tickets of customers with this tag get a higher priority.",
    )
    ot_escalation_state_ids = fields.Many2many(
        "res.country.state",
        string="Escalated Provinces",
        help="Exception tickets for shipments to these provinces get a higher priority.",
    )
    ot_escalation_city_ids = fields.Many2many(
        "order.tracking.city",
        string="Escalated Cities",
        help="Exception tickets for shipments to these cities get a higher priority.",
    )

    # --- helpdesk: team and category per exception type ----------------------------------------
    ot_exception_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Exception Team",
        config_parameter="order_tracking_chatbot.team_default",
        help="Team of exception tickets when no team is set for the exception type.",
    )
    ot_chat_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Chat Request Team",
        config_parameter="order_tracking_chatbot.team_chat",
        help="Team of tickets the chatbot opens for customers (address change, return, "
        "cancellation, call-back).",
    )
    ot_team_delayed_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Delayed",
        config_parameter="order_tracking_chatbot.team_delayed",
    )
    ot_category_delayed_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Delayed Category",
        config_parameter="order_tracking_chatbot.category_delayed",
    )
    ot_team_returned_to_sender_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Returned to Sender",
        config_parameter="order_tracking_chatbot.team_returned_to_sender",
    )
    ot_category_returned_to_sender_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Returned Category",
        config_parameter="order_tracking_chatbot.category_returned_to_sender",
    )
    ot_team_lost_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Lost",
        config_parameter="order_tracking_chatbot.team_lost",
    )
    ot_category_lost_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Lost Category",
        config_parameter="order_tracking_chatbot.category_lost",
    )
    ot_team_address_issue_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Incomplete Address",
        config_parameter="order_tracking_chatbot.team_address_issue",
    )
    ot_category_address_issue_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Incomplete Address Category",
        config_parameter="order_tracking_chatbot.category_address_issue",
    )
    ot_team_failed_attempt_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Failed Attempt",
        config_parameter="order_tracking_chatbot.team_failed_attempt",
    )
    ot_category_failed_attempt_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Failed Attempt Category",
        config_parameter="order_tracking_chatbot.category_failed_attempt",
    )
    ot_team_damaged_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Damaged",
        config_parameter="order_tracking_chatbot.team_damaged",
    )
    ot_category_damaged_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Damaged Category",
        config_parameter="order_tracking_chatbot.category_damaged",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        for field_name, key in ID_LIST_PARAMS.items():
            comodel = self.env[self._fields[field_name].comodel_name]
            ids = self._ot_get_id_list(key)
            res[field_name] = [fields.Command.set(comodel.browse(ids).exists().ids)]
        return res

    def set_values(self):
        result = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for field_name, key in ID_LIST_PARAMS.items():
            value = ",".join(str(i) for i in sorted(self[field_name].ids)) or False
            if (params.get_param(PARAM_PREFIX + key) or False) != value:
                params.set_param(PARAM_PREFIX + key, value)
        return result

    # --- reading the policy (for the services, not the form) --------------------------------------

    @api.model
    def _ot_get_id_list(self, key):
        raw = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key) or ""
        return [int(part) for part in raw.split(",") if part.strip().isdigit()]

    @api.model
    def _ot_get_int(self, key):
        """Setting ``key`` for the exception rules (see :func:`settings.read_setting`)."""
        return read_setting(self.env, key)

    @api.model
    def _ot_get_record(self, key, model):
        """The record stored in setting ``key``, or an empty recordset when unset or deleted."""
        raw = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key)
        records = self.env[model]
        if raw and str(raw).isdigit():
            records = records.browse(int(raw)).exists()
        return records
