"""Curating the FAQ in the backend: who may, and the list and form the web client loads."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import create_role_users


@tagged("post_install", "-at_install")
class TestFaqBackend(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env)
        cls.designer = new_test_user(
            cls.env, login="ot_faq_designer", groups="website.group_website_designer"
        )

    def test_website_designers_curate_the_faq(self):
        faq = self.env["order.tracking.faq"].with_user(self.designer)
        done = faq._ot_refresh_from_conversations()
        self.assertGreaterEqual(done["created"] + done["updated"], 1, "the demo chats are mined")
        entry = faq.search([("source", "=", "mined")], limit=1)
        entry.action_ot_publish()
        self.assertTrue(entry.is_published)
        entry.answer = "Edited by the shop."
        self.assertTrue(entry.live_answer.startswith("Edited by the shop."))
        views = faq.get_views([(False, "list"), (False, "form"), (False, "search")])
        self.assertIn("action_ot_refresh", views["views"]["list"]["arch"])
        self.assertIn("live_answer", views["views"]["form"]["arch"])

    def test_other_staff_cannot_edit_it(self):
        for role in ("salesman", "stock_user", "helpdesk_user"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["order.tracking.faq"].with_user(self.users[role]).search([])

    def test_staff_of_another_company_do_not_see_it(self):
        other = self.env["res.company"].create({"name": "Other shop"})
        user = new_test_user(
            self.env,
            login="ot_faq_other",
            groups="website.group_website_designer",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertTrue(self.env["order.tracking.faq"].search([]))
        self.assertFalse(self.env["order.tracking.faq"].with_user(user).search([]))
