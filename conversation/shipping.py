"""Flow 4: questions before buying (do you ship to X, how long, how much, how).

No verification: shipping options are public. The city comes from the message, a city button,
or the last city asked about in this conversation.
"""

from .actions import BTN_HUMAN, PREFIX_CITY
from .intents import (
    PRE_PURCHASE_COST,
    PRE_PURCHASE_COVERAGE,
    PRE_PURCHASE_METHODS,
    PRE_PURCHASE_TIME,
)
from .replies import render
from .state import STEP_AWAIT_CITY, STEP_IDLE

_QUOTE_KEYS = {
    PRE_PURCHASE_COVERAGE: "coverage_yes",
    PRE_PURCHASE_TIME: "quote_time",
    PRE_PURCHASE_COST: "quote_cost",
    PRE_PURCHASE_METHODS: "quote_methods_city",
}


class ShippingFlows:
    """Mixin of :class:`.policy.Policy`: pre-purchase shipping answers."""

    # -- flow 4: before buying ------------------------------------------------------------------

    def _city_buttons(self, tb):
        return [
            tb.button("btn_city", PREFIX_CITY + str(c), name=self.cities.name(c, tb.lang))
            for c in self.popular_city_ids
        ]

    def _pre_purchase(self, tb, st, intent, city_id):
        st["pending"].update(intent=intent)
        lang = tb.lang
        city_buttons = self._city_buttons(tb)
        if city_id is None and intent == PRE_PURCHASE_METHODS:
            methods = self.backend.shipping_methods() or []
            if methods:
                lines = "\n".join(render("method_line", lang, method=m) for m in methods)
                tb.say("quote_methods", lines=lines)
                tb.outcome = "resolved"
            else:
                tb.say("no_methods", buttons=[BTN_HUMAN])
            if city_buttons:
                tb.say("city_hint", buttons=city_buttons)
                st["step"] = STEP_AWAIT_CITY
            return intent
        if city_id is None or city_id not in self.cities:
            tb.say("ask_city", buttons=city_buttons)
            st["step"] = STEP_AWAIT_CITY
            return intent
        st["pending"]["city_id"] = city_id
        st["step"] = STEP_IDLE
        name = self.cities.name(city_id, lang)
        quotes = self.backend.shipping_quote(city_id)
        tb.outcome = "resolved"
        if not quotes:
            tb.say("not_covered", city=name, buttons=[BTN_HUMAN])
            return intent
        lines = "\n".join(_quote_line(q, intent, lang) for q in quotes)
        tb.say(_QUOTE_KEYS[intent], city=name, lines=lines)
        return intent


def _quote_line(quote, intent, lang):
    if intent == PRE_PURCHASE_TIME:
        return render("quote_line_time", lang, method=quote.method_label, eta=quote.eta_text)
    if intent == PRE_PURCHASE_COST:
        if quote.free_over_text:
            return render(
                "quote_line_cost_free",
                lang,
                method=quote.method_label,
                price=quote.price_text,
                free_over=quote.free_over_text,
            )
        return render("quote_line_cost", lang, method=quote.method_label, price=quote.price_text)
    return render(
        "quote_line_full",
        lang,
        method=quote.method_label,
        price=quote.price_text,
        eta=quote.eta_text,
    )
