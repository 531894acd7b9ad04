"""The backend's order and delivery views load, with our fields, for low-permission users.

The web client renders a form from `get_views` and `web_read`: both are called over HTTP as each
user, exactly as the browser does, so a broken view arch or a missing access right fails here.
"""

from odoo.tests import HttpCase, tagged

from .common import create_role_users, demo_order


@tagged("post_install", "-at_install")
class TestBackendViews(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env)

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def _assert_form_renders(self, model, record, expected_fields):
        views = self._call_kw(model, "get_views", [], {"views": [[False, "form"], [False, "list"]]})
        arch = views["views"]["form"]["arch"]
        for field in expected_fields:
            self.assertIn(f'name="{field}"', arch)
        spec = {field: {} for field in expected_fields}
        data = self._call_kw(model, "web_read", [[record.id]], {"specification": spec})
        self.assertEqual(data[0]["id"], record.id)
        return data[0]

    def test_sale_order_form_for_salesman(self):
        order = demo_order(self.env, "IN-TRANSIT")
        order.user_id = self.users["salesman"]  # a salesman sees his own orders
        self.authenticate("ot_salesman", "ot_salesman")
        data = self._assert_form_renders(
            "sale.order", order, ["ot_customer_stage", "ot_exception_type", "ot_event_count"]
        )
        self.assertEqual(data["ot_customer_stage"], "in_transit")
        self.assertEqual(data["ot_event_count"], 3)

    def test_delivery_form_for_stock_user(self):
        picking = demo_order(self.env, "DELAYED").ot_main_picking_id
        self.authenticate("ot_stock_user", "ot_stock_user")
        data = self._assert_form_renders(
            "stock.picking", picking, ["ot_carrier_status", "ot_exception_type", "ot_event_ids"]
        )
        self.assertEqual(data["ot_exception_type"], "delayed")
        self.assertEqual(len(data["ot_event_ids"]), 2)

    def test_website_pages_render(self):
        for path in ("/", "/shop"):
            with self.subTest(path=path):
                response = self.url_open(path)
                self.assertEqual(response.status_code, 200)
        product_page = self.url_open("/shop?search=Saffron")
        self.assertIn("Saffron", product_page.text)

    def test_demo_website_is_an_iranian_shop(self):
        """The demo shop front is the shop the addon is for: its name in Persian and English,
        its logo, its own products and none of Odoo's generic furniture."""
        website = self.env["website"].get_current_website()
        self.assertIn("فروشگاه نمونه", website.name)
        self.assertIn("Nemooneh Shop", website.name)
        self.assertIn("Nemooneh Shop", self.env.ref("base.main_company").name)
        self.assertTrue(website.logo)
        shop = self.url_open("/shop?ppg=100").text
        for name in ("Saffron", "Lahijan Black Tea", "Shahnameh"):
            self.assertIn(name, shop)
        furniture = self.env["product.template"].search([("name", "=", "Customizable Desk")])
        self.assertTrue(furniture, "the template's furniture demo exists...")
        self.assertNotIn("Customizable Desk", shop, "...but is not on the shop front")
        saffron = self.env["product.template"].search([("name", "=", "Saffron, 4.6 g")])
        self.assertTrue(saffron.image_1920, "the demo products have pictures")
        persian = self.url_open("/fa/shop?ppg=100").text
        for name in ("زعفران", "چای سیاه لاهیجان", "شاهنامه مصور", ">فروشگاه<"):
            self.assertIn(name, persian)
