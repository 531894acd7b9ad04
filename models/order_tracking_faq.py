"""A question of the public FAQ page (/order-tracking/faq), curated by the shop.

Entries come from the questions customers ask the chatbot most (see order_tracking_faq_mining.py)
or are written by staff. The shop edits the question and answer in each language (translatable
fields, one value per website language), publishes or hides them, and orders them. An answer of
a "live" kind ends with lines the page computes from the shop's own data at every view
(order_tracking_faq_live.py): shipping times from the lead times, the carriers offered, their
costs, so the page never promises what the shop no longer does.
"""

from odoo import api, fields, models

from ..conversation.faq import (
    KIND_CARRIERS,
    KIND_SHIPPING_COSTS,
    KIND_SHIPPING_TIMES,
    KIND_TEXT,
)

FAQ_PATH = "/order-tracking/faq"
# What each intent of conversation/intents.py is about, as the shop's staff read it.
INTENT_SELECTION = [
    ("track_order", "Where is my order"),
    ("track_mobile", "Orders by mobile number"),
    ("track_code", "Tracking code lookup"),
    ("where_is_tracking_code", "Tracking code not received"),
    ("why_no_update", "No status update"),
    ("delay_complaint", "Late delivery"),
    ("pre_purchase_time", "Delivery time before buying"),
    ("pre_purchase_coverage", "Delivery to a city"),
    ("pre_purchase_cost", "Shipping cost"),
    ("pre_purchase_methods", "Shipping methods"),
    ("payment_status", "Payment"),
    ("invoice", "Invoice"),
    ("change_address", "Address change"),
    ("return_request", "Return"),
    ("cancel_order", "Cancellation"),
    ("human", "Talk to a person"),
    ("thanks", "Thanks"),
    ("bye", "Goodbye"),
    ("greeting", "Greeting"),
    ("unknown", "Not understood"),
]


class OrderTrackingFaq(models.Model):
    _name = "order.tracking.faq"
    _inherit = "website.published.multi.mixin"
    _description = "Order Tracking FAQ Entry"
    _order = "sequence, frequency desc, id"

    name = fields.Char(string="Question", required=True, translate=True)
    answer = fields.Text(
        translate=True,
        help="Shown under the question. For a live answer, the sentence introducing the lines "
        "computed from the shop's data.",
    )
    answer_kind = fields.Selection(
        [
            (KIND_TEXT, "Written answer"),
            (KIND_SHIPPING_TIMES, "Shipping times by province (from the lead times)"),
            (KIND_CARRIERS, "Shipping methods offered (from the published carriers)"),
            (KIND_SHIPPING_COSTS, "Shipping costs (from the published carriers)"),
        ],
        string="Answer Kind",
        default=KIND_TEXT,
        required=True,
        help="A live kind completes the answer at every page view from the shop's current "
        "data, so it stays true when a lead time, a carrier or a price changes.",
    )
    intent = fields.Selection(
        INTENT_SELECTION,
        index=True,
        help="The customer intent this question answers; refreshing from conversations updates "
        "the entry of each frequent intent.",
    )
    source = fields.Selection(
        [("mined", "From conversations"), ("manual", "Written by staff")],
        default="manual",
        required=True,
        readonly=True,
    )
    frequency = fields.Integer(
        string="Conversations",
        readonly=True,
        help="Conversations that asked this at the last refresh (over the mining window).",
    )
    phrasings = fields.Text(
        string="How Customers Ask",
        readonly=True,
        help="Wordings several visitors used word for word, for staff only: never "
        "published, and without digits, masks or addresses.",
    )
    mined_at = fields.Datetime(string="Last Refresh", readonly=True)
    sequence = fields.Integer(default=100)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    live_answer = fields.Text(
        string="Answer as Published",
        compute="_compute_live_answer",
        help="The answer as the page shows it today, in your language.",
    )

    _mined_intent_unique = models.UniqueIndex(
        "(company_id, intent) WHERE source = 'mined'",
        "Each intent has one FAQ entry from conversations per company.",
    )

    def _compute_website_url(self):
        for entry in self:
            entry.website_url = f"{FAQ_PATH}#faq-{entry.id}" if entry.id else FAQ_PATH

    @api.depends_context("lang")
    @api.depends("answer", "answer_kind", "company_id", "website_id")
    def _compute_live_answer(self):
        for entry in self:
            entry.live_answer = entry._ot_answer_text(entry.env.lang or "en_US")

    # --- curation --------------------------------------------------------------------------------

    def action_ot_publish(self):
        self.write({"is_published": True})

    def action_ot_hide(self):
        self.write({"is_published": False})

    # --- the public page -------------------------------------------------------------------------

    @api.model
    def _ot_public_domain(self, website):
        """Published entries of ``website``'s company, for all its websites or this one."""
        return [
            ("is_published", "=", True),
            ("company_id", "=", website.company_id.id),
            ("website_id", "in", [False, website.id]),
        ]

    @api.model
    def _ot_public_entries(self, website, lang):
        """``[{id, question, answer, lines}]`` of the published entries, in ``lang``."""
        entries = self.with_context(lang=lang).search(self._ot_public_domain(website))
        return [entry._ot_public_entry(lang, website) for entry in entries]

    def _ot_public_entry(self, lang, website=None):
        self.ensure_one()
        return {
            "id": self.id,
            "question": self.name,
            "answer": self.answer or "",
            "lines": self._ot_live_lines(lang, website or self.website_id),
        }

    def _ot_answer_text(self, lang, website=None):
        """The whole answer as plain text: the written part, then the live lines."""
        self.ensure_one()
        entry = self._ot_public_entry(lang, website)
        return "\n".join(part for part in [entry["answer"], *entry["lines"]] if part)

    def _ot_live_lines(self, lang, website):
        """The lines of a live answer, computed now (order_tracking_faq_live.py)."""
        self.ensure_one()
        if self.answer_kind == KIND_TEXT:
            return []
        live = self.env["order.tracking.faq.live"].with_context(lang=lang)
        return getattr(live, f"_ot_{self.answer_kind}_lines")(self.company_id, website, lang)

    @api.model
    def _ot_json_ld(self, entries, lang):
        """The schema.org ``FAQPage`` of ``entries`` (as given by :meth:`_ot_public_entries`)."""
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "inLanguage": lang.replace("_", "-"),
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": entry["question"],
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": "\n".join(
                            part for part in [entry["answer"], *entry["lines"]] if part
                        ),
                    },
                }
                for entry in entries
            ],
        }
