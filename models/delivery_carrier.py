"""Order tracking settings on delivery carriers: the customer label, the tracking provider and the
simulated carrier.

How a carrier is *priced and shipped* (`delivery_type`) and how its parcels are *tracked*
(`ot_tracking_provider`) are separate choices: a shop may price Tipax with a fixed rate and still
follow its parcels through Tipax's API. Each provider other than the two base ones lives in its own
file `delivery_carrier_<provider>.py`, adds itself with `selection_add`, carries its credential
fields and fills one method, `_ot_<provider>_client()`, that builds the plain-Python client of
`carriers/`. Callers only use `_ot_tracking_client()`, which dispatches by name; the "Test
Connection" button likewise calls `_ot_<provider>_test_connection()` when a provider has one,
else its client's `check_connection()`.

Credentials are `base.group_system` fields, used server-side only. Each can also come from an
environment variable named after the field in upper case (``ot_tipax_api_key`` →
``OT_TIPAX_API_KEY``); a non-empty variable wins over the stored value, so a deployment can keep
secrets out of the database.
"""

import logging
import secrets
from datetime import timezone

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..carriers.simulated import SimulatedClient
from ..exceptions import AuthenticationError, RetryableError, TrackingError
from .credentials import read_credential

_logger = logging.getLogger(__name__)


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("ot_simulated", "Simulated carrier (demo)")],
        ondelete={
            "ot_simulated": lambda recs: recs.write({"delivery_type": "fixed", "fixed_price": 0})
        },
    )
    ot_label = fields.Char(
        string="Customer Label",
        translate=True,
        help="Simple name customers see in the chat (e.g. 'Post', 'Tipax', 'Courier'); "
        "defaults to the carrier's name.",
    )
    ot_update_interval_hours = fields.Integer(
        string="Updates Every (hours)",
        default=12,
        help="How often this carrier usually publishes new tracking events: the chatbot tells "
        "customers why a status has not changed yet, and the sync asks the carrier this often.",
    )
    ot_tracking_provider = fields.Selection(
        [("none", "Tracking link only"), ("simulated", "Simulated carrier")],
        string="Tracking Provider",
        required=True,
        compute="_compute_ot_tracking_provider",
        store=True,
        readonly=False,
        precompute=True,
        help="Where Odoo fetches this carrier's tracking events. 'Tracking link only' never "
        "calls an API: customers get the carrier's tracking link.",
    )
    ot_tracking_api_url = fields.Char(
        string="API URL",
        groups="base.group_system",
        help="Leave empty for the provider's production API; set it for a sandbox "
        "(e.g. Tipax's test host) or a relay.",
    )
    ot_tracking_max_interval_hours = fields.Integer(
        string="Check at Least Every (hours)",
        default=48,
        help="When nothing changes, the sync waits twice as long each time, up to this.",
    )
    ot_tracking_give_up_days = fields.Integer(
        string="Stop Tracking After (days)",
        default=60,
        help="Shipments not delivered this many days after hand-over are no longer polled.",
    )
    ot_webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_ot_webhook_url",
        help="Give this address to the provider so it pushes tracking updates to Odoo.",
    )

    @api.depends("delivery_type")
    def _compute_ot_tracking_provider(self):
        for carrier in self:
            # The simulated shipping method is pointless without its simulated tracking.
            if carrier.delivery_type == "ot_simulated":
                carrier.ot_tracking_provider = "simulated"
            elif not carrier.ot_tracking_provider:
                carrier.ot_tracking_provider = "none"

    @api.depends("ot_tracking_provider")
    def _compute_ot_webhook_url(self):
        push = self._ot_webhook_providers()
        base_url = self.get_base_url() if self else ""
        for carrier in self:
            provider = carrier.ot_tracking_provider
            carrier.ot_webhook_url = (
                f"{base_url}/order-tracking/webhook/{provider}/{carrier.id}"
                if provider in push and carrier.id
                else False
            )

    def _ot_customer_label(self):
        self.ensure_one()
        return self.ot_label or self.name

    # --- tracking providers: `_ot_<provider>_client()` --------------------------------------

    @api.model
    def _ot_webhook_providers(self):
        """Providers that can push updates; provider files add themselves."""
        return set()

    @api.model
    def _ot_push_only_providers(self):
        """Providers that cannot be polled (updates only arrive through webhooks)."""
        return set()

    def _ot_credential(self, field_name):
        """The carrier's credential ``field_name`` (see models/credentials.py)."""
        return read_credential(self, field_name)

    def _ot_client_options(self):
        """Constructor options shared by the HTTP clients (the API URL override)."""
        self.ensure_one()
        # sudo: delivery.carrier - the API URL is a system-group setting.
        url = self.sudo().ot_tracking_api_url
        return {"base_url": url} if url else {}

    def _ot_tracking_client(self, pickings=None):
        """The `carriers/` client of this carrier's tracking provider, or ``None`` for
        "tracking link only". ``pickings`` lets a provider read per-shipment data it needs
        (the simulated carrier reads when each parcel was handed over).

        Raises ``UserError`` when the provider's credentials are missing.
        """
        self.ensure_one()
        builder = getattr(self, f"_ot_{self.ot_tracking_provider}_client", None)
        if builder is None:
            return None
        try:
            return builder(pickings=pickings)
        except ValueError as error:
            # The clients refuse to start without credentials; say so without the values.
            raise UserError(
                self.env._(
                    "Tracking provider of %(carrier)s is not configured: %(reason)s",
                    carrier=self.name,
                    reason=str(error),
                )
            ) from None

    def _ot_none_client(self, pickings=None):
        return None

    def _ot_simulated_client(self, pickings=None):
        handed_over = {}
        for picking in pickings or ():
            when = picking.date_done or picking.create_date
            if picking.carrier_tracking_ref and when:
                code = self.env["order.tracking.sync"]._ot_tracking_code(picking)
                handed_over[code] = fields.Datetime.to_datetime(when).replace(tzinfo=timezone.utc)
        return SimulatedClient(handed_over_at=handed_over)

    def _ot_secrets(self):
        """Every credential value of this carrier, to scrub from any text we store or log."""
        self.ensure_one()
        values = (self._ot_credential(name) for name in self._ot_credential_fields())
        return {value for value in values if value and isinstance(value, str)}

    # --- buttons -------------------------------------------------------------------------

    def action_ot_test_connection(self):
        """Make the provider's cheapest authenticated request and show what it answered.

        Dispatches by name to ``_ot_<provider>_test_connection()``, which returns
        ``(message, notification type)`` or raises a ``TrackingError``; providers without one
        ask their client (``check_connection()`` of ``carriers/``). Credentials are scrubbed
        from whatever is shown.
        """
        self.ensure_one()
        tester = getattr(
            self,
            f"_ot_{self.ot_tracking_provider}_test_connection",
            self._ot_client_test_connection,
        )
        try:
            message, kind = tester()
        except TrackingError as error:
            kind, message = self._ot_test_failure(error)
        return self._ot_notify(self.env["order.tracking.sync"]._ot_mask(message, self), kind)

    def _ot_client_test_connection(self):
        answer = self._ot_tracking_client().check_connection()
        return self.env._("Connection works. The provider answered: %s", answer), "success"

    def _ot_none_test_connection(self):
        return self.env._("This carrier has no tracking provider: customers get its link."), "info"

    def _ot_test_failure(self, error):
        """Notification type and text for a failed test, from the error's class."""
        detail = str(error) or type(error).__name__
        outcomes = {
            AuthenticationError: (
                "danger",
                self.env._("The provider refused the credentials: %s", detail),
            ),
            RetryableError: (
                "warning",
                self.env._("The provider could not be reached: %s", detail),
            ),
            TrackingError: (
                "danger",
                self.env._("The provider answered with an error: %s", detail),
            ),
        }
        return next(outcomes[cls] for cls in type(error).__mro__ if cls in outcomes)

    def action_ot_sync_now(self):
        """Check every open shipment of this carrier at the next sync run (in the background:
        a carrier may have thousands of parcels on the road)."""
        self.ensure_one()
        count = self.env["order.tracking.sync"]._ot_reschedule_carrier(self)
        return self._ot_notify(
            self.env._("%s shipments will be checked in a moment.", count), "success"
        )

    def _ot_notify(self, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": kind, "sticky": False},
        }

    @api.model
    def _ot_credential_fields(self):
        """Names of the secret fields the provider files declare (system group only)."""
        return {
            name
            for name, field in self._fields.items()
            if name.startswith("ot_")
            and field.groups == "base.group_system"
            and name != "ot_tracking_api_url"
        }

    def write(self, vals):
        res = super().write(vals)
        # New credentials or a new provider: shipments stopped by a refused login and those
        # never scheduled get a fresh check.
        if {"ot_tracking_provider", "ot_tracking_api_url"} & set(vals) or (
            self._ot_credential_fields() & set(vals)
        ):
            self.env["order.tracking.sync"]._ot_reschedule_carrier(self)
        return res

    # --- simulated provider: <delivery_type>_<verb> methods called by stock_delivery ---------

    def ot_simulated_rate_shipment(self, order):
        return self.fixed_rate_shipment(order)

    def ot_simulated_send_shipping(self, pickings):
        # A code looks like a real one but is recognisably simulated; its random part keeps codes
        # from being guessable (tracking codes are treated as semi-secret by the chatbot).
        return [
            {
                "exact_price": self.fixed_price,
                "tracking_number": f"SIM-{secrets.token_hex(5).upper()}",
            }
            for _picking in pickings
        ]

    def ot_simulated_get_tracking_link(self, picking):
        if not picking.carrier_tracking_ref:
            return False
        base = picking.get_base_url()
        return f"{base}/order-tracking?code={picking.carrier_tracking_ref}"

    def ot_simulated_cancel_shipment(self, pickings):
        pickings.write({"carrier_tracking_ref": False})

    def ot_simulated_tracking_state_update(self, picking):
        """OCA `delivery_state` hook: its "update deliveries states" cron and button land in
        our sync, so both paths store the same events."""
        self.env["order.tracking.sync"]._ot_sync_pickings(picking)
