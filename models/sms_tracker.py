"""Delivery reports of gateway SMS: a polling cron and the callback's confirmation.

Each SMS a gateway accepted has an ``sms.tracker`` holding the provider's message id (see
``sms_sms_gateway.py``). The cron asks the provider about the due ones, in batches claimed with
``FOR UPDATE SKIP LOCKED`` (two workers never poll the same SMS), with a savepoint per SMS and
a commit with progress per batch, and moves Odoo's records as ``sms_twilio``'s callback does:
the tracker's notification (the chatter's SMS icon) and the ``sms.sms`` when it still exists
become delivered or undelivered. Without news the next check backs off; after the last one the
SMS is marked "no report" and left alone, so re-running the cron never repeats work.

Providers' delivery pushes are not signed: a push only makes the cron's check happen now, for
the ids it names (``_ot_dlr_callback``); the state written is always the one the provider's
API answers.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, consteq

from ..exceptions import TrackingError
from ..sms_gateways import base

_logger = logging.getLogger(__name__)

# Waits between checks after the first one; when they are used up, the SMS gets "no report".
DLR_BACKOFF = (
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=12),
)
DLR_BATCH_SIZE = 200


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    ot_gateway = fields.Char(string="SMS Gateway", readonly=True)
    ot_gateway_message_id = fields.Char(
        string="Gateway Message ID", readonly=True, index="btree_not_null"
    )
    ot_company_id = fields.Many2one(
        "res.company", string="Company", readonly=True, ondelete="cascade"
    )
    ot_dlr_state = fields.Selection(
        [
            ("pending", "Waiting for Report"),
            ("delivered", "Delivered"),
            ("undelivered", "Not Delivered"),
            ("no_report", "No Report"),
        ],
        string="Delivery Report",
        readonly=True,
    )
    ot_dlr_checks = fields.Integer(string="Report Checks", readonly=True)
    ot_dlr_next_check = fields.Datetime(string="Next Report Check", readonly=True)

    _ot_dlr_due_idx = models.Index("(ot_dlr_next_check) WHERE ot_dlr_state = 'pending'")

    # --- cron --------------------------------------------------------------------------------

    @api.model
    def _cron_ot_sms_delivery_reports(self, batch_size=DLR_BATCH_SIZE):
        """Poll the due delivery reports, batch after batch, until none is due or time is up."""
        cron = self.env["ir.cron"]
        done = 0
        while True:
            trackers = self._ot_claim_due(batch_size)
            if not trackers:
                break
            trackers._ot_poll()
            done += len(trackers)
            remaining = self._ot_count_due()
            time_left = cron._commit_progress(len(trackers), remaining=remaining)
            if not remaining or not time_left:
                break
        _logger.info("SMS delivery reports: %s checked", done)

    def _ot_due_domain_sql(self):
        return SQL("ot_dlr_state = 'pending' AND ot_dlr_next_check <= %s", fields.Datetime.now())

    @api.model
    def _ot_claim_due(self, limit):
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sms_tracker WHERE %s ORDER BY ot_dlr_next_check, id LIMIT %s"
                " FOR UPDATE SKIP LOCKED",
                self._ot_due_domain_sql(),
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _ot_count_due(self):
        self.flush_model()
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FROM sms_tracker WHERE %s", self._ot_due_domain_sql())
        )
        return self.env.cr.fetchone()[0]

    # --- polling -----------------------------------------------------------------------------

    def _ot_poll(self):
        """Ask each tracker's provider for its report and apply the answers."""
        groups = {}
        for tracker in self:
            key = (tracker.ot_company_id, tracker.ot_gateway)
            groups.setdefault(key, self.browse())
            groups[key] |= tracker
        for (company, provider), trackers in groups.items():
            try:
                gateway = company._ot_sms_gateway(provider)
            except UserError as error:
                # Credentials removed since sending: try again later, as for a provider error.
                reports = dict.fromkeys(trackers.mapped("ot_gateway_message_id"), error)
            else:
                reports = gateway.fetch_status(trackers.mapped("ot_gateway_message_id"))
            for tracker in trackers:
                with self.env.cr.savepoint():
                    tracker._ot_apply_report(reports.get(tracker.ot_gateway_message_id))

    def _ot_apply_report(self, report):
        """Apply one provider answer (a ``DeliveryReport`` or an error) to this tracker."""
        self.ensure_one()
        if isinstance(report, base.DeliveryReport) and report.state == base.DLR_DELIVERED:
            self._action_update_from_sms_state("sent")
            self._ot_sms_records().write({"state": "sent", "failure_type": False})
            self.write({"ot_dlr_state": "delivered", "ot_dlr_next_check": False})
        elif isinstance(report, base.DeliveryReport) and report.state == base.DLR_UNDELIVERED:
            error = report.error or base.DLR_NOT_DELIVERED
            reason = report.message or report.raw_status
            self.with_context(sms_known_failure_reason=reason)._action_update_from_provider_error(
                error
            )
            failure_type = f"sms_{error}"
            if failure_type not in dict(self.env["sms.sms"]._fields["failure_type"].selection):
                failure_type = base.FAILURE_UNKNOWN
            self._ot_sms_records().write({"state": "error", "failure_type": failure_type})
            self.write({"ot_dlr_state": "undelivered", "ot_dlr_next_check": False})
        else:
            if isinstance(report, (TrackingError, UserError)):
                _logger.info(
                    "SMS delivery report for tracker %s not available: %s", self.id, report
                )
            self._ot_schedule_next_check()

    def _ot_schedule_next_check(self):
        checks = self.ot_dlr_checks + 1
        if checks > len(DLR_BACKOFF):
            self.write(
                {"ot_dlr_checks": checks, "ot_dlr_state": "no_report", "ot_dlr_next_check": False}
            )
            return
        self.write(
            {
                "ot_dlr_checks": checks,
                "ot_dlr_next_check": fields.Datetime.now() + DLR_BACKOFF[checks - 1],
            }
        )

    def _ot_sms_records(self):
        # sudo: sms.sms - the report comes from the provider, not from a user.
        return self.env["sms.sms"].sudo().search([("uuid", "=", self.sms_uuid)])

    # --- callback ----------------------------------------------------------------------------

    @api.model
    def _ot_dlr_callback(self, provider, company_id, token, params):
        """Handle a provider's delivery push; ``True`` when it was accepted.

        The URL's token must match the company's; the ids the push names are then checked
        with the provider's API right away (the push itself is never trusted).
        """
        # sudo: res.company - the callback is public; the token below is its authentication.
        company = self.env["res.company"].sudo().browse(company_id).exists()
        if (
            not company
            or company.ot_sms_provider != provider
            or not company.ot_sms_dlr_token
            or not consteq(str(token or ""), company.ot_sms_dlr_token)
        ):
            return False
        try:
            reports = company._ot_sms_gateway().parse_callback(params)
        except (TrackingError, UserError) as error:
            _logger.info("SMS delivery push from %s refused: %s", provider, error)
            return False
        # sudo: sms.tracker - technical records; the provider's push has no user.
        trackers = self.sudo().search(
            [
                ("ot_company_id", "=", company.id),
                ("ot_gateway", "=", provider),
                ("ot_gateway_message_id", "in", [r.message_id for r in reports]),
                ("ot_dlr_state", "=", "pending"),
            ]
        )
        trackers._ot_poll()
        return True
