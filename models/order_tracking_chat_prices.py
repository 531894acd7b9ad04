"""Prices the chat says, in the currency the visitor shops in.

- A shipping quote is priced with the visitor's website pricelist, the way Odoo's checkout
  prices the delivery line (``delivery.carrier.fixed_rate_shipment``): a fixed-price method
  costs what the pricelist charges for its delivery product (so a shop can set its rial prices
  there), plus the method's margins; price rules and the "free over" threshold are kept in the
  company currency by Odoo and converted at today's rate.
- The visitor's pricelist is the one the website remembers in their Odoo session (the widget
  calls the API from the shop's own pages, with the session cookie): if they switched to
  another currency on /shop, the chat follows; a signed-in customer who did not switch gets
  their own pricelist, when the website offers it. A visitor without either (a bot, an SMS, a
  new visitor) gets what a new visitor of the website is given.
- An order's total is in the order's own currency: what the customer was charged.

Amounts are written by Odoo's formatter in English (as on the shop's pages) and by
conversation/money.py in Persian (Persian digits and separators, the unit after the number,
rials with their toman equivalent).
"""

from odoo import api, fields, models
from odoo.http import request
from odoo.tools import ormcache
from odoo.tools.misc import format_amount

from odoo.addons.website_sale.models.website import PRICELIST_SESSION_CACHE_KEY

from ..conversation.money import persian_amount


class OrderTrackingChatBackend(models.AbstractModel):
    _inherit = "order.tracking.chat.backend"

    # --- which currency ---------------------------------------------------------------------

    @api.model
    def _ot_visitor_pricelist(self, session):
        """The website pricelist the visitor of ``session`` shops with (maybe empty: pricelists
        switched off, or no website)."""
        pricelists = self.env["product.pricelist"].sudo()
        website = session.website_id
        if not website:
            return pricelists
        chosen = request and request.session.get(PRICELIST_SESSION_CACHE_KEY)
        if chosen:
            pricelist = pricelists.browse(chosen).exists()
            if pricelist and pricelist._is_available_on_website(website):
                return pricelist
        user = request and request.env.user
        if user and not user._is_public():
            # A signed-in customer who has not picked one shops with their own, as on /shop.
            pricelist = user.partner_id.sudo().property_product_pricelist
            if pricelist and pricelist._is_available_on_website(website):
                return pricelist
        return self._ot_website_default_pricelist(website)

    @api.model
    def _ot_website_default_pricelist(self, website):
        """What ``website`` gives a new visitor: the public user's pricelist when the website
        offers it, else the first one it offers (as website_sale does for a visitor)."""
        pricelist_id = self._ot_website_default_pricelist_id(website.id)
        return self.env["product.pricelist"].sudo().browse(pricelist_id)

    @api.model
    @ormcache("website_id")
    def _ot_website_default_pricelist_id(self, website_id):
        # Cached: working out the website's offer reads every pricelist and its rules (a third
        # of a quote turn); pricelist, currency and website edits clear it (cached data mixin).
        # The public user's own pricelist is not watched (contacts change all the time): a shop
        # that changes it sees it in the chat after its next pricelist edit or restart.
        # sudo: website - the public user's pricelist and the website's offer, as a visitor sees it
        website = self.env["website"].sudo().browse(website_id)
        website = website.with_user(website.user_id).with_company(website.company_id).sudo()
        available = website.get_pricelist_available()
        pricelist = website.user_id.partner_id.property_product_pricelist
        if available and pricelist not in available:
            pricelist = available[0]
        return pricelist.id if available else False

    # --- amounts ------------------------------------------------------------------------------

    @api.model
    def _ot_money(self, amount, currency, lang):
        """``amount`` of ``currency`` as the chat writes it in ``lang``."""
        if lang and lang.startswith("fa"):
            return persian_amount(amount, currency.decimal_places, currency.symbol, currency.name)
        return format_amount(self.env, amount, currency, lang_code=lang)

    @api.model
    def _ot_convert(self, amount, company, currency):
        """``amount`` of ``company``'s currency in ``currency`` at today's rate."""
        return company.currency_id._convert(
            amount, currency, company, fields.Date.context_today(self)
        )

    @api.model
    def _ot_quote_prices(self, carrier, company, pricelist, lang):
        """``(price text, free-over text or None)`` of ``carrier`` for a visitor shopping with
        ``pricelist`` (empty: the company's currency and sales prices)."""
        env = self.with_context(lang=lang).env
        currency = pricelist.currency_id or company.currency_id
        free_over = None
        if carrier.free_over and carrier.delivery_type != "base_on_rule":
            # Odoo compares the order's amount with this threshold in the company's currency.
            free_over = self._ot_money(
                self._ot_convert(carrier.amount, company, currency), currency, lang
            )
        if carrier.delivery_type == "base_on_rule" and carrier.price_rule_ids:
            lowest = min(carrier.price_rule_ids.mapped("list_base_price"))
            price = self._ot_with_margins(
                carrier, self._ot_convert(lowest, company, currency), company, currency
            )
            return env._("from %(price)s", price=self._ot_money(price, currency, lang)), free_over
        if carrier.delivery_type in ("fixed", "ot_simulated"):
            # As fixed_rate_shipment: the pricelist's price of the method's delivery product.
            price = pricelist._get_product_price(
                carrier.product_id, 1.0, currency=currency, date=fields.Date.context_today(self)
            )
            price = self._ot_with_margins(carrier, price, company, currency)
            if currency.is_zero(price):
                return env._("free"), None
            return self._ot_money(price, currency, lang), free_over
        return env._("calculated at checkout"), free_over

    @api.model
    def _ot_with_margins(self, carrier, price, company, currency):
        """``price`` with the method's margins, as delivery.carrier._apply_margins does."""
        fixed_margin = self._ot_convert(carrier.fixed_margin, company, currency)
        return price * (1.0 + carrier.margin) + fixed_margin

    @api.model
    def _ot_order_total_text(self, order, lang):
        """The order's total in its own currency (what the customer was charged)."""
        return self._ot_money(order.amount_total, order.currency_id, lang)
