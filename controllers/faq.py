"""The public FAQ page at /order-tracking/faq, in the website's languages (/fa/... for Persian).

It shows the published entries of ``order.tracking.faq`` with their live answers, and the same
questions as schema.org ``FAQPage`` structured data (JSON-LD in the page head, as website_sale
does for products). The page is in the sitemap whenever it has something to show.
"""

from odoo import http
from odoo.http import request
from odoo.tools.json import scriptsafe as json_scriptsafe

from ..models.order_tracking_faq import FAQ_PATH


def sitemap_faq(env, rule, qs):
    """The FAQ page, when the current website has a published question."""
    website = env["website"].get_current_website()
    faq = env["order.tracking.faq"]
    # sudo: order.tracking.faq - the sitemap is built for public visitors; one count of the
    # entries they may read anyway.
    if not website or not faq.sudo().search_count(faq._ot_public_domain(website), limit=1):
        return
    if not qs or qs.lower() in FAQ_PATH:
        yield {"loc": FAQ_PATH}


class OrderTrackingFaqPage(http.Controller):
    @http.route(
        FAQ_PATH,
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=sitemap_faq,
    )
    def order_tracking_faq(self, **_kwargs):
        lang = request.env.lang or "en_US"
        # sudo: order.tracking.faq - visitors read the published entries of this website only.
        faq = request.env["order.tracking.faq"].sudo()
        entries = faq._ot_public_entries(request.website, lang)
        json_ld = None
        if entries:
            json_ld = json_scriptsafe.dumps(faq._ot_json_ld(entries, lang), ensure_ascii=False)
        values = {
            "ot_faq_entries": entries,
            "ot_faq_json_ld": json_ld,
            "ot_faq_dir": request.env["res.lang"]._get_data(code=lang).direction or "ltr",
        }
        return request.render("order_tracking_chatbot.order_tracking_faq_page", values)
