"""The live part of FAQ answers: lines computed from the shop's data at every page view.

Each answer kind of ``order.tracking.faq`` other than a written one has a method here,
``_ot_<kind>_lines(company, website, lang)``, returning plain-text lines in ``lang``. They read
what the chatbot reads for the same questions (order.tracking.chat.backend: the published
carriers, their customer labels and price texts; the lead times of order.tracking.lead.time and
the day texts of order.tracking.eta, the prices of order_tracking_chat_prices.py), so the FAQ
page and the chat never disagree.
"""

from odoo import api, models


class OrderTrackingFaqLive(models.AbstractModel):
    _name = "order.tracking.faq.live"
    _description = "Order Tracking FAQ Live Answers"

    @api.model
    def _ot_carriers(self, company, website, lang):
        backend = self.env["order.tracking.chat.backend"]
        return backend._ot_published_carriers(company, website).with_context(lang=lang)

    @api.model
    def _ot_env(self, lang):
        return self.with_context(lang=lang).env

    @api.model
    def _ot_shipping_times_lines(self, company, website, lang):
        """One line per carrier and province of the lead times ("Tipax, Tehran: 1 business
        day"), the catch-all row of each carrier last; preparation days included, as the chat
        answers before a purchase."""
        env = self._ot_env(lang)
        eta = self.env["order.tracking.eta"]
        lead_times = self.env["order.tracking.lead.time"]
        lines = []
        for carrier in self._ot_carriers(company, website, lang):
            label = carrier._ot_customer_label()
            rows = lead_times.search([("carrier_id", "=", carrier.id)])
            if not rows:
                lines.append(env._("%(method)s: delivery time shown at checkout", method=label))
                continue
            own = rows.filtered("state_id").sorted(lambda r: r.state_id._ot_display_name(lang))
            for row in own + (rows - own):
                days = eta._ot_days_text(
                    row.preparation_days + row.min_days,
                    row.preparation_days + row.max_days,
                    lang,
                )
                if row.state_id:
                    place = row.state_id._ot_display_name(lang)
                elif own:
                    place = env._("other provinces")
                else:
                    place = env._("all provinces")
                lines.append(
                    env._("%(method)s, %(place)s: %(days)s", method=label, place=place, days=days)
                )
        return lines

    @api.model
    def _ot_carriers_lines(self, company, website, lang):
        """One line per shipping method offered, with the provinces it is limited to."""
        env = self._ot_env(lang)
        lines = []
        for carrier in self._ot_carriers(company, website, lang):
            label = carrier._ot_customer_label()
            states = carrier.state_ids
            if states:
                names = sorted(state._ot_display_name(lang) for state in states)
                separator = "، " if lang.startswith("fa") else ", "
                line = env._(
                    "%(method)s (only to %(places)s)", method=label, places=separator.join(names)
                )
            else:
                line = label
            if line not in lines:
                lines.append(line)
        return lines

    @api.model
    def _ot_shipping_costs_lines(self, company, website, lang):
        """One line per shipping method: its price as the chat quotes it, and free shipping,
        in the currency a new visitor of ``website`` shops in (search engines are new
        visitors; a page in a visitor's own pricelist would differ per reader)."""
        env = self._ot_env(lang)
        backend = self.env["order.tracking.chat.backend"]
        pricelist = self.env["product.pricelist"]
        if website:
            pricelist = backend._ot_website_default_pricelist(website)
        lines = []
        for carrier in self._ot_carriers(company, website, lang):
            label = carrier._ot_customer_label()
            price, free_over = backend._ot_quote_prices(carrier, company, pricelist, lang)
            if free_over:
                line = env._(
                    "%(method)s: %(price)s, free for orders over %(amount)s",
                    method=label,
                    price=price,
                    amount=free_over,
                )
            else:
                line = env._("%(method)s: %(price)s", method=label, price=price)
            if line not in lines:
                lines.append(line)
        return lines
