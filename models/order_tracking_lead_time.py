"""Delivery lead times per carrier and destination province, in business days.

They feed the delivery estimates (`order.tracking.eta`) and the "late" exception rule
(`order.tracking.exception`): a row without a province applies to every province of the carrier,
and a province row overrides it. They also answer pre-purchase questions ("how many days to
Shiraz with Tipax?"), so they are keyed by carrier and province, never by shipment. Creating,
editing or deleting one moves the stored ETAs of the open shipments it governs.
"""

from odoo import api, fields, models

# Demo shop (see order_tracking_demo.py): carrier name -> [(province code or None for all
# provinces, min days, max days, late after days or 0 for the settings' default)].
DEMO_LEAD_TIMES = {
    "Simulated carrier (demo)": [(None, 1, 3, 0)],
    "Iran Post - Pishtaz": [(None, 2, 5, 0), ("IR-23", 1, 2, 4)],
    "Tipax": [(None, 1, 3, 0), ("IR-23", 1, 1, 3)],
    "Chapar": [(None, 2, 4, 0), ("IR-23", 1, 2, 4)],
}

# What a shipped parcel's ETA depends on (preparation only counts before the hand-over).
ETA_FIELDS = {"carrier_id", "state_id", "min_days", "max_days"}


class OrderTrackingLeadTime(models.Model):
    _name = "order.tracking.lead.time"
    _inherit = "order.tracking.cached.data"
    _description = "Delivery Lead Time"
    _order = "carrier_id, state_id, id"

    carrier_id = fields.Many2one("delivery.carrier", required=True, index=True, ondelete="cascade")
    state_id = fields.Many2one(
        "res.country.state",
        string="Province",
        index=True,
        ondelete="cascade",
        help="Destination province; empty: every province without a row of its own.",
    )
    company_id = fields.Many2one(related="carrier_id.company_id", store=True, index=True)
    min_days = fields.Integer(
        string="Min. Days",
        required=True,
        default=1,
        help="Fewest business days between hand-over to the carrier and delivery.",
    )
    max_days = fields.Integer(
        string="Max. Days",
        required=True,
        default=3,
        help="Most business days between hand-over to the carrier and delivery.",
    )
    late_after_days = fields.Integer(
        string="Late After (days)",
        help="Business days after hand-over after which an undelivered shipment is delayed and "
        "gets a ticket. Empty: the default of the settings.",
    )
    preparation_days = fields.Integer(
        string="Preparation (days)",
        default=1,
        help="Business days between the order and its hand-over to this carrier; added to "
        "estimates given before the parcel ships.",
    )

    # One row per carrier and province, and one catch-all row (no province) per carrier.
    _carrier_state_unique = models.UniqueIndex(
        "(carrier_id, COALESCE(state_id, 0))",
        "A carrier has one lead time per province (and one for all other provinces).",
    )
    _days_positive = models.Constraint(
        "CHECK (min_days >= 0 AND max_days >= min_days AND preparation_days >= 0 "
        "AND (late_after_days IS NULL OR late_after_days >= 0))",
        "Lead times are positive, and the minimum is not above the maximum.",
    )

    # --- open shipments follow their lead times --------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        rows._ot_refresh_open_etas(rows._ot_scopes())
        return rows

    def write(self, vals):
        if not ETA_FIELDS.intersection(vals):
            return super().write(vals)
        scopes = self._ot_scopes()
        result = super().write(vals)
        self._ot_refresh_open_etas(scopes | self._ot_scopes())
        return result

    def unlink(self):
        scopes = self._ot_scopes()
        result = super().unlink()
        self._ot_refresh_open_etas(scopes)
        return result

    def _ot_scopes(self):
        """The (carrier, province) pairs these rows govern; an empty province: all of them."""
        return {(row.carrier_id, row.state_id) for row in self}

    @api.model
    def _ot_refresh_open_etas(self, scopes):
        """Move the stored ETAs of the open shipments these lead times govern, so a shop that
        edits a lead time promises the new dates at once (delivered shipments keep theirs)."""
        if scopes:
            self.flush_model()
            self.env["order.tracking.eta"]._ot_refresh_etas_for_lead_times(scopes)

    @api.depends("carrier_id", "state_id", "min_days", "max_days")
    def _compute_display_name(self):
        for row in self:
            place = row.state_id.name or self.env._("All provinces")
            row.display_name = f"{row.carrier_id.name} → {place} ({row.min_days}–{row.max_days})"

    @api.model
    def _ot_find(self, carrier, state=None):
        """The row for ``carrier`` to ``state``: the province's own row, else the carrier's
        catch-all row, else an empty recordset."""
        if not carrier:
            return self.browse()
        state_ids = state.ids if state else []
        rows = self.search(
            [("carrier_id", "=", carrier.id), ("state_id", "in", [False, *state_ids])]
        )
        # A province row wins over the catch-all row (state_id False sorts last here).
        return rows.sorted(lambda r: not r.state_id)[:1]

    @api.model
    def _ot_load_demo_lead_times(self):
        """Demo: lead times of the demo shop's carriers (idempotent)."""
        carriers = self.env["delivery.carrier"].search([("name", "in", list(DEMO_LEAD_TIMES))])
        iran_states = self.env["res.country.state"].search([("country_id.code", "=", "IR")])
        states = {state.code: state for state in iran_states}
        vals_list = []
        for carrier in carriers:
            if self.search_count([("carrier_id", "=", carrier.id)]):
                continue
            for state_code, minimum, maximum, late_after in DEMO_LEAD_TIMES[carrier.name]:
                vals_list.append(
                    {
                        "carrier_id": carrier.id,
                        "state_id": states[state_code].id if state_code else False,
                        "min_days": minimum,
                        "max_days": maximum,
                        "late_after_days": late_after,
                        "preparation_days": 1,
                    }
                )
        return self.create(vals_list)
