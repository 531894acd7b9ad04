"""Refresh the FAQ from the chatbot's conversations: which questions customers really ask.

Every customer message keeps the intent the bot understood (order.tracking.chat.message). The
refresh counts, per company and intent, the conversations that asked it over the last
:data:`MINING_DAYS` days, keeps the most frequent intents that have a FAQ wording
(conversation/faq.py), and creates or updates one entry per intent. New entries start
unpublished with the default question and answer in English and Persian: the shop reads them,
edits and publishes. Only counts and wordings several visitors shared leave the transcript (see
:func:`..conversation.faq.frequent_phrasings`); names, mobiles, order numbers and codes never do.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..conversation.faq import EN, FA, FAQ_DEFAULTS, FAQ_INTENTS, frequent_phrasings

MINING_DAYS = 90
# Intents asked in fewer conversations than this are not worth a FAQ entry yet.
MIN_CONVERSATIONS = 2
# At most this many entries come from one refresh (the most frequent intents).
MAX_MINED_ENTRIES = 15

_COUNT_SQL = """
    SELECT s.company_id, m.intent, COUNT(DISTINCT m.session_id)
      FROM order_tracking_chat_message m
      JOIN order_tracking_chat_session s ON s.id = m.session_id
     WHERE m.role = 'user' AND m.intent IN %(intents)s AND m.create_date >= %(since)s
       AND s.company_id IN %(companies)s
     GROUP BY s.company_id, m.intent
"""
# Typed questions only (a button press is the shop's own label), and never a text with a digit
# or a mask: conversation/faq.py filters again, this only keeps the rows few.
_TEXTS_SQL = """
    SELECT DISTINCT s.company_id, m.intent, m.text, COALESCE(s.ip_hash, s.id::varchar)
      FROM order_tracking_chat_message m
      JOIN order_tracking_chat_session s ON s.id = m.session_id
     WHERE m.role = 'user' AND m.action IS NULL AND m.text IS NOT NULL
       AND m.intent IN %(intents)s AND m.create_date >= %(since)s
       AND s.company_id IN %(companies)s
       AND m.text !~ '[0-9۰-۹٠-٩*…@]' AND char_length(m.text) <= 120
"""


class OrderTrackingFaq(models.Model):
    _inherit = "order.tracking.faq"

    def action_ot_refresh(self):
        """The list's "Refresh from conversations" button."""
        done = self._ot_refresh_from_conversations()
        message = self.env._(
            "%(new)s new questions, %(updated)s updated from the conversations of the last "
            "%(days)s days.",
            new=done["created"],
            updated=done["updated"],
            days=MINING_DAYS,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _ot_refresh_from_conversations(self, days=MINING_DAYS):
        """Create or update the mined entries of the companies of the environment.

        :return: ``{"created": n, "updated": n}``
        """
        params = {
            "intents": tuple(FAQ_INTENTS),
            "since": fields.Datetime.now() - timedelta(days=days),
            "companies": tuple(self.env.companies.ids),
        }
        self.env["order.tracking.chat.message"].flush_model()
        self.env["order.tracking.chat.session"].flush_model(["company_id"])
        self.env.cr.execute(SQL(_COUNT_SQL, **params))
        counts = {}
        for company_id, intent, count in self.env.cr.fetchall():
            if count >= MIN_CONVERSATIONS:
                counts[company_id, intent] = count
        self.env.cr.execute(SQL(_TEXTS_SQL, **params))
        texts = {}
        for company_id, intent, text, visitor in self.env.cr.fetchall():
            texts.setdefault((company_id, intent), []).append((text, visitor))
        existing = {
            (entry.company_id.id, entry.intent): entry
            for entry in self.with_context(active_test=False).search(
                [("source", "=", "mined"), ("company_id", "in", self.env.companies.ids)]
            )
        }
        done = {"created": 0, "updated": 0}
        now = fields.Datetime.now()
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        per_company = {}
        for (company_id, intent), count in ranked:
            if per_company.get(company_id, 0) >= MAX_MINED_ENTRIES:
                continue
            per_company[company_id] = per_company.get(company_id, 0) + 1
            phrasings = frequent_phrasings(texts.get((company_id, intent), []))
            vals = {
                "frequency": count,
                "phrasings": "\n".join(text for text, _n in phrasings) or False,
                "mined_at": now,
            }
            entry = existing.pop((company_id, intent), None)
            if entry:
                entry.write(vals)
                done["updated"] += 1
            else:
                self._ot_create_mined(company_id, intent, vals)
                done["created"] += 1
        # Entries no conversation asked for lately stay (the shop may keep them) but count zero.
        stale = self.browse([entry.id for entry in existing.values()])
        stale.write({"frequency": 0, "phrasings": False, "mined_at": now})
        return done

    @api.model
    def _ot_create_mined(self, company_id, intent, vals):
        kind, questions, answers = FAQ_DEFAULTS[intent]
        entry = self.with_context(lang=EN).create(
            {
                **vals,
                "company_id": company_id,
                "intent": intent,
                "source": "mined",
                "answer_kind": kind,
                "name": questions[EN],
                "answer": answers[EN],
                "is_published": False,
            }
        )
        if self.env["res.lang"]._lang_get(FA):
            entry.with_context(lang=FA).write({"name": questions[FA], "answer": answers[FA]})
        return entry
