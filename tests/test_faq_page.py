"""The public FAQ page /order-tracking/faq: both languages, live answers from the shop's data,
only published entries, the FAQPage JSON-LD and the sitemap entry."""

import json
from urllib.parse import urlsplit

from lxml import etree, html

from odoo.tests import HttpCase, tagged

from .test_tours import enable_widget_in_persian

FAQ_URL = "/order-tracking/faq"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@tagged("post_install", "-at_install")
class TestFaqPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        enable_widget_in_persian(cls.env)
        cls.Faq = cls.env["order.tracking.faq"]
        # Only this test's entries: the demo's mined ones are archived for the duration.
        cls.Faq.search([]).action_archive()
        cls.website = cls.env.ref("website.default_website")
        cls.tipax = cls.env["delivery.carrier"].search([("name", "=", "Tipax")], limit=1)
        cls.times = cls._entry(
            "How long does delivery take?",
            "ارسال چند روز طول می‌کشد؟",
            "Delivery times:",
            "زمان تحویل:",
            kind="shipping_times",
            intent="pre_purchase_time",
        )
        cls.address = cls._entry(
            "Can I change my delivery address?",
            "می‌توانم آدرس را تغییر بدهم؟",
            "Tell the chat </script><b>now</b> & we help.",
            "در گفتگو بگویید.",
            intent="change_address",
        )
        cls.hidden = cls._entry(
            "A draft nobody should see", "پیش‌نویس", "Draft.", "پیش‌نویس.", published=False
        )

    @classmethod
    def _entry(cls, q_en, q_fa, a_en, a_fa, kind="text", intent=False, published=True):
        entry = cls.Faq.with_context(lang="en_US").create(
            {
                "name": q_en,
                "answer": a_en,
                "answer_kind": kind,
                "intent": intent,
                "is_published": published,
                "company_id": cls.website.company_id.id,
            }
        )
        entry.with_context(lang="fa_IR").write({"name": q_fa, "answer": a_fa})
        return entry

    def _page(self, url=FAQ_URL):
        # A new visitor each time: no language remembered from the previous page.
        self.opener.cookies.clear()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response, html.fromstring(response.content)

    def _json_ld(self, tree):
        scripts = tree.xpath("//script[@type='application/ld+json']")
        faq_pages = [data for data in map(json.loads, (s.text for s in scripts)) if data]
        return [d for d in faq_pages if isinstance(d, dict) and d.get("@type") == "FAQPage"]

    def test_english_page(self):
        response, tree = self._page()
        questions = tree.xpath("//details[hasclass('o_ot_faq_entry')]/summary/text()")
        self.assertEqual(
            questions, ["How long does delivery take?", "Can I change my delivery address?"]
        )
        self.assertNotIn(b"A draft nobody should see", response.content)
        self.assertEqual(tree.xpath("//html/@lang"), ["en-US"])
        self.assertEqual(tree.xpath("//div[@id='wrap']/@dir"), ["ltr"])
        # The live answer: the shop's Tipax lead time to Tehran (preparation included).
        lines = tree.xpath(f"//details[@id='faq-{self.times.id}']//li/text()")
        self.assertIn("Tipax, Tehran: 2 business days", lines)
        # The written answer is text, never markup.
        self.assertNotIn(b"<b>now</b>", response.content)
        answer = tree.xpath(f"//details[@id='faq-{self.address.id}']//p/text()")
        self.assertEqual(answer, ["Tell the chat </script><b>now</b> & we help."])

    def test_persian_page_is_right_to_left(self):
        response, tree = self._page(f"/fa{FAQ_URL}")
        self.assertEqual(tree.xpath("//html/@lang"), ["fa-IR"])
        self.assertIn(b"o_rtl", response.content)
        self.assertEqual(tree.xpath("//div[@id='wrap']/@dir"), ["rtl"])
        questions = tree.xpath("//details[hasclass('o_ot_faq_entry')]/summary/text()")
        self.assertEqual(questions, ["ارسال چند روز طول می‌کشد؟", "می‌توانم آدرس را تغییر بدهم؟"])
        lines = tree.xpath(f"//details[@id='faq-{self.times.id}']//li/text()")
        # Province names and digits in Persian.
        self.assertTrue(any("تهران" in line and "۲" in line for line in lines), lines)

    def test_live_answer_follows_the_lead_times(self):
        row = self.env["order.tracking.lead.time"].search(
            [("carrier_id", "=", self.tipax.id), ("state_id.code", "=", "IR-23")]
        )
        self.assertEqual(row.preparation_days + row.max_days, 2, "the demo's Tipax to Tehran")
        row.write({"min_days": 3, "max_days": 5})
        _response, tree = self._page()
        lines = tree.xpath(f"//details[@id='faq-{self.times.id}']//li/text()")
        low, high = row.preparation_days + 3, row.preparation_days + 5
        self.assertIn(f"Tipax, Tehran: {low}–{high} business days", lines)
        self.assertNotIn("Tipax, Tehran: 2 business days", lines)
        # An unpublished carrier is no longer offered.
        self.tipax.is_published = False
        _response, tree = self._page()
        lines = tree.xpath(f"//details[@id='faq-{self.times.id}']//li/text()")
        self.assertFalse([line for line in lines if line.startswith("Tipax")])

    def test_carriers_and_costs_come_from_the_published_carriers(self):
        methods = self._entry("How do you ship?", "چطور ارسال می‌کنید؟", "With:", "با:", "carriers")
        costs = self._entry("What does it cost?", "چقدر؟", "Costs:", "هزینه:", "shipping_costs")
        shiraz = self.env["res.country.state"].search([("code", "=", "IR-07")])
        self.tipax.state_ids = shiraz
        _response, tree = self._page()
        method_lines = tree.xpath(f"//details[@id='faq-{methods.id}']//li/text()")
        self.assertIn("Tipax (only to Fars)", method_lines)
        cost_lines = tree.xpath(f"//details[@id='faq-{costs.id}']//li/text()")
        tipax_cost = [line for line in cost_lines if line.startswith("Tipax: ")]
        self.assertEqual(len(tipax_cost), 1, cost_lines)
        # The chat quotes the same price for the same carrier.
        backend = self.env["order.tracking.chat.backend"]
        pricelist = backend._ot_website_default_pricelist(self.website)
        price, _free = backend._ot_quote_prices(
            self.tipax, self.website.company_id, pricelist, "en_US"
        )
        self.assertEqual(tipax_cost[0], f"Tipax: {price}")
        self.tipax.is_published = False
        _response, tree = self._page()
        method_lines = tree.xpath(f"//details[@id='faq-{methods.id}']//li/text()")
        self.assertFalse([line for line in method_lines if line.startswith("Tipax")])

    def test_json_ld_is_a_faq_page_of_the_published_entries(self):
        for url, lang, question in (
            (FAQ_URL, "en-US", "How long does delivery take?"),
            (f"/fa{FAQ_URL}", "fa-IR", "ارسال چند روز طول می‌کشد؟"),
        ):
            with self.subTest(url=url):
                response, tree = self._page(url)
                (data,) = self._json_ld(tree)
                self.assertEqual(data["@context"], "https://schema.org")
                self.assertEqual(data["inLanguage"], lang)
                self.assertEqual(len(data["mainEntity"]), 2, "published entries only")
                first = data["mainEntity"][0]
                self.assertEqual(first["@type"], "Question")
                self.assertEqual(first["name"], question)
                self.assertEqual(first["acceptedAnswer"]["@type"], "Answer")
                self.assertIn(
                    "Tipax" if lang == "en-US" else "تیپاکس", first["acceptedAnswer"]["text"]
                )
                # A "</script>" typed in an answer cannot close the JSON-LD script early.
                self.assertNotIn(b"</script><b>", response.content)
        (data,) = self._json_ld(self._page()[1])
        self.assertIn(
            "</script><b>now</b> & we help.", data["mainEntity"][1]["acceptedAnswer"]["text"]
        )

    def test_publish_and_hide(self):
        self.address.action_ot_hide()
        response, tree = self._page()
        self.assertNotIn(b"Can I change my delivery address?", response.content)
        (data,) = self._json_ld(tree)
        self.assertEqual([q["name"] for q in data["mainEntity"]], ["How long does delivery take?"])
        self.hidden.action_ot_publish()
        response, _tree = self._page()
        self.assertIn(b"A draft nobody should see", response.content)

    def test_entries_of_another_website_are_not_shown(self):
        other = self.env["website"].create({"name": "Other shop"})
        self.address.website_id = other
        response, _tree = self._page()
        self.assertNotIn(b"Can I change my delivery address?", response.content)

    def test_nothing_published_means_no_structured_data_and_no_sitemap_entry(self):
        self.assertIn(FAQ_URL, self._sitemap_locs())
        (self.times | self.address).action_ot_hide()
        _response, tree = self._page()
        self.assertFalse(self._json_ld(tree))
        self.assertTrue(tree.xpath("//p[hasclass('o_ot_faq_empty')]"))
        self.assertNotIn(FAQ_URL, self._sitemap_locs())

    def _sitemap_locs(self):
        """The paths /sitemap.xml lists now (Odoo keeps it for hours: its copy is dropped)."""
        self.env["ir.attachment"].search([("url", "=like", "/sitemap%")]).unlink()
        response = self.url_open("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        root = etree.fromstring(response.content)
        locs = root.xpath("//sm:loc/text()", namespaces={"sm": SITEMAP_NS})
        return [urlsplit(loc).path for loc in locs]

    def test_tracking_page_links_to_the_faq(self):
        _response, tree = self._page("/fa/order-tracking")
        self.assertEqual(tree.xpath("//p[hasclass('o_ot_faq_link')]/a/@href"), [f"/fa{FAQ_URL}"])
