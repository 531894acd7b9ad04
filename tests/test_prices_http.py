"""The chat follows the pricelist a visitor chose on the shop: after switching the website to
euros on /shop, "how much to ship to Tehran?" is answered in euros, in the same browser session
(the widget calls the API with the shop's session cookie); a signed-in customer gets their own
pricelist; a client without that session (a bot) is answered in the website's default currency,
rials in the demo."""

import json

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import format_amount

from odoo.addons.order_tracking_chatbot.controllers.api import API_PREFIX


@tagged("post_install", "-at_install")
class TestChatPricesFollowTheVisitor(HttpCase):
    def chat(self, text, lang="en_US"):
        headers = {"Content-Type": "application/json"}
        started = self.url_open(
            f"{API_PREFIX}/sessions", data=json.dumps({"lang": lang}), headers=headers
        ).json()
        answer = self.url_open(
            f"{API_PREFIX}/sessions/{started['session']}/messages",
            data=json.dumps({"text": text}),
            headers=headers,
        ).json()
        return "\n".join(m["text"] for m in answer["messages"])

    def test_quote_in_the_pricelist_the_visitor_chose(self):
        website = self.env.ref("website.default_website")
        euro = self.env.ref("base.EUR")
        euro_list = self.env["product.pricelist"].create(
            {
                "name": "Euro",
                "currency_id": euro.id,
                "website_id": website.id,
                "selectable": True,
                "sequence": 50,
            }
        )
        post = self.env["delivery.carrier"].search([("name", "=", "Iran Post - Pishtaz")])
        euros = euro_list._get_product_price(post.product_id, 1.0)
        # A bot, or a visitor who has not chosen: the website's default, rials.
        text = self.chat("how much is shipping to Tehran?")
        self.assertIn("Post: 950,000", text)
        self.assertNotIn("€", text)
        # The visitor picks euros on the shop, then asks in the widget.
        self.url_open(f"/shop/change_pricelist/{euro_list.id}")
        text = self.chat("how much is shipping to Tehran?")
        self.assertIn(f"Post: {format_amount(self.env, euros, euro, 'en_US')}", text)
        self.assertNotIn("950,000", text)
        # A pricelist the website does not offer is not taken from a forged session.
        euro_list.website_id = self.env["website"].create({"name": "Other shop"})
        text = self.chat("how much is shipping to Tehran?")
        self.assertIn("Post: 950,000", text)

    def test_signed_in_customer_gets_their_own_pricelist(self):
        website = self.env.ref("website.default_website")
        euro = self.env.ref("base.EUR")
        euro_list = self.env["product.pricelist"].create(
            {"name": "Euro customers", "currency_id": euro.id, "website_id": website.id}
        )
        customer = self.env["res.users"].create(
            {
                "name": "Euro customer",
                "login": "ot_euro_customer",
                "password": "ot_euro_customer",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        customer.partner_id.property_product_pricelist = euro_list
        post = self.env["delivery.carrier"].search([("name", "=", "Iran Post - Pishtaz")])
        euros = euro_list._get_product_price(post.product_id, 1.0)
        self.authenticate("ot_euro_customer", "ot_euro_customer")
        text = self.chat("how much is shipping to Tehran?")
        self.assertIn(f"Post: {format_amount(self.env, euros, euro, 'en_US')}", text)
        # Not offered by this website any more: the website's default again.
        euro_list.website_id = self.env["website"].create({"name": "Other shop"})
        text = self.chat("how much is shipping to Tehran?")
        self.assertIn("Post: 950,000", text)
