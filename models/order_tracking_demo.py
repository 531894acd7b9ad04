"""Demo data: an Iranian shop with carriers, customers in several provinces and an order in every
stage a customer can ask about. Loaded only into databases created with demo data.

Orders are built through the normal flows (confirm, reserve, validate) rather than written into
place, so their stages are derived exactly as they would be in a real shop. Each demo order carries
a `client_order_ref` starting with ``DEMO-`` that names its stage, which tests and the README use.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

DEMO_CUSTOMERS = [
    # name, mobile, street, city, province code, zip
    (
        "Sara Ahmadi / سارا احمدی",
        "+989121234567",
        "Valiasr St., No. 12",
        "Tehran",
        "IR-23",
        "1416753955",
    ),
    (
        "Reza Karimi / رضا کریمی",
        "+989131112233",
        "Chaharbagh Abbasi, Alley 5",
        "Isfahan",
        "IR-10",
        "8173843111",
    ),
    (
        "Maryam Hosseini / مریم حسینی",
        "+989171234321",
        "Zand Blvd., No. 40",
        "Shiraz",
        "IR-07",
        "7134814336",
    ),
    (
        "Ali Rezaei / علی رضایی",
        "+989151239876",
        "Ahmadabad St., No. 7",
        "Mashhad",
        "IR-09",
        "9185734513",
    ),
    (
        "Niloofar Moradi / نیلوفر مرادی",
        "+989141110000",
        "Valiasr Sq., No. 3",
        "Tabriz",
        "IR-03",
        "5153715111",
    ),
    (
        "Hamed Jafari / حامد جعفری",
        "+989161234000",
        "Kianpars, Street 9",
        "Ahvaz",
        "IR-06",
        "6155689411",
    ),
]

# name (English), name (Persian), list price
DEMO_PRODUCTS = [
    ("Saffron, 4.6 g", "زعفران، یک مثقال", 18.0),
    ("Pistachio, 500 g", "پسته، ۵۰۰ گرم", 14.5),
    ("Handmade Minakari Plate", "بشقاب میناکاری دست‌ساز", 65.0),
    ("Persian Carpet Cushion", "کوسن فرشی", 39.0),
    ("Lahijan Black Tea, 450 g", "چای سیاه لاهیجان، ۴۵۰ گرم", 6.5),
    ("Shahnameh, illustrated edition", "شاهنامه مصور", 32.0),
    ("Rose Water, 1 l", "گلاب قمصر، یک لیتر", 4.0),
    ("Hand-woven Gabbeh Rug, pre-order", "گبه دستباف (پیش‌سفارش)", 240.0),
]

DEMO_CARRIERS = [
    # name, customer label (en), delivery_type, price, tracking url, update interval (h)
    ("Simulated carrier (demo)", "Courier", "ot_simulated", 3.0, False, 6),
    (
        "Iran Post - Pishtaz",
        "Post",
        "fixed",
        2.5,
        "https://tracking.post.ir/?id=<shipmenttrackingnumber>",
        24,
    ),
    (
        "Tipax",
        "Tipax",
        "fixed",
        4.0,
        "https://tipaxco.com/tracking?code=<shipmenttrackingnumber>",
        12,
    ),
    ("Chapar", "Chapar", "fixed", 3.5, "https://chaparnet.com/track/<shipmenttrackingnumber>", 12),
]

DEMO_CARRIER_LABELS_FA = {"Courier": "پیک", "Post": "پست", "Tipax": "تیپاکس", "Chapar": "چاپار"}

# stage tag, customer index, carrier index, carrier status, exception,
# events (days ago, text, place)
DEMO_ORDERS = [
    ("AWAITING-PAYMENT", 0, 0, None, None, []),
    ("CONFIRMED", 1, 1, None, None, []),
    ("PREPARING", 2, 0, None, None, []),
    ("HANDED-OVER", 3, 0, "InfoReceived", None, [(0.2, "مرسوله در سامانه ثبت شد", "تهران")]),
    (
        "IN-TRANSIT",
        0,
        0,
        "InTransit",
        None,
        [
            (2, "مرسوله در سامانه ثبت شد", "تهران"),
            (1.5, "تحویل به مرکز مبادلات", "مرکز مبادلات تهران"),
            (0.5, "خروج از مرکز مبادلات", "مرکز مبادلات قم"),
        ],
    ),
    (
        "DELIVERED",
        4,
        2,
        "Delivered",
        None,
        [
            (5, "مرسوله در سامانه ثبت شد", "تهران"),
            (3, "رسیدن به مرکز مبادلات مقصد", "مرکز مبادلات تبریز"),
            (2, "تحویل گیرنده شد", "تبریز"),
        ],
    ),
    (
        "DELAYED",
        5,
        1,
        "InTransit",
        "delayed",
        [
            (9, "مرسوله در سامانه ثبت شد", "تهران"),
            (8, "تحویل به مرکز مبادلات", "مرکز مبادلات تهران"),
        ],
    ),
    (
        "RETURNED",
        2,
        3,
        "Exception",
        "returned_to_sender",
        [
            (6, "مرسوله در سامانه ثبت شد", "تهران"),
            (4, "عدم حضور گیرنده", "شیراز"),
            (1, "برگشت به فرستنده", "مرکز مبادلات شیراز"),
        ],
    ),
    (
        "LOST",
        3,
        1,
        "Exception",
        "lost",
        [
            (15, "مرسوله در سامانه ثبت شد", "تهران"),
            (14, "تحویل به مرکز مبادلات", "مرکز مبادلات تهران"),
        ],
    ),
    (
        "ADDRESS-ISSUE",
        1,
        2,
        "AttemptFail",
        "address_issue",
        [
            (3, "مرسوله در سامانه ثبت شد", "تهران"),
            (1, "آدرس ناقص - پلاک یافت نشد", "اصفهان"),
        ],
    ),
    ("CANCELLED", 4, 0, None, None, []),
]


class OrderTrackingDemo(models.AbstractModel):
    _name = "order.tracking.demo"
    _description = "Order Tracking Demo Data Loader"

    @api.model
    def _load_demo_data(self):
        """Create the demo shop's carriers, customers, products and orders (idempotent)."""
        if self.env["sale.order"].search_count([("client_order_ref", "=like", "DEMO-%")]):
            return
        self._demo_website_languages()
        carriers = self._demo_carriers()
        customers = self._demo_customers()
        products = self._demo_products()
        for tag, customer_index, carrier_index, status, exception, events in DEMO_ORDERS:
            self._demo_order(
                tag,
                customers[customer_index],
                carriers[carrier_index],
                products,
                status,
                exception,
                events,
            )

    def _demo_website_languages(self):
        """English by default, Persian (right-to-left) one click away at /fa."""
        lang_model = self.env["res.lang"]
        english = lang_model._activate_lang("en_US")
        persian = lang_model._activate_lang("fa_IR")
        self.env["website"].search([]).write(
            {
                "language_ids": [fields.Command.set((english | persian).ids)],
                "default_lang_id": english.id,
            }
        )

    def _demo_carriers(self):
        carriers = self.env["delivery.carrier"]
        for name, label, delivery_type, price, url, interval in DEMO_CARRIERS:
            # One product per carrier: a carrier's fixed price is its product's sales price.
            product = self.env["product.product"].create(
                {"name": f"Shipping: {name}", "type": "service", "sale_ok": False}
            )
            carriers |= carriers.create(
                {
                    "name": name,
                    "ot_label": label,
                    "delivery_type": delivery_type,
                    "fixed_price": price,
                    "tracking_url": url,
                    "ot_update_interval_hours": interval,
                    "product_id": product.id,
                    "integration_level": "rate_and_ship",
                    "is_published": True,
                }
            )
            # Customers in Persian see the carrier's Persian label (ot_label is translatable).
            carriers[-1:].with_context(lang="fa_IR").ot_label = DEMO_CARRIER_LABELS_FA[label]
        return carriers

    def _demo_customers(self):
        iran = self.env.ref("base.ir")
        states = {
            s.code: s for s in self.env["res.country.state"].search([("country_id", "=", iran.id)])
        }
        return self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "phone": mobile,
                    "email": f"demo.customer{index}@example.com",
                    "street": street,
                    "city": city,
                    "state_id": states[state_code].id,
                    "country_id": iran.id,
                    "zip": zip_code,
                    "lang": "fa_IR" if self.env["res.lang"]._lang_get("fa_IR") else "en_US",
                }
                for index, (name, mobile, street, city, state_code, zip_code) in enumerate(
                    DEMO_CUSTOMERS
                )
            ]
        )

    def _demo_products(self):
        products = self.env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "consu",
                    "is_storable": True,
                    "list_price": price,
                    "is_published": True,
                    "weight": 0.5,
                }
                for name, _name_fa, price in DEMO_PRODUCTS
            ]
        )
        for product, (_name, name_fa, _price) in zip(products, DEMO_PRODUCTS, strict=True):
            product.product_tmpl_id.update_field_translations("name", {"fa_IR": name_fa})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        for product in products[:-1]:  # the last one is a pre-order: no stock
            self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
        return products

    def _demo_order(self, tag, customer, carrier, products, status, exception, events):
        now = fields.Datetime.now()
        # CONFIRMED orders only a pre-order product with no stock: confirmed, waiting for goods.
        lines = [(products[-1], 1)] if tag == "CONFIRMED" else [(products[1], 2), (products[2], 1)]
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": f"DEMO-{tag}",
                "order_line": [
                    fields.Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        # Priced as the checkout prices it: in the order's currency (its pricelist's).
        order.set_delivery_line(carrier, carrier.rate_shipment(order)["price"])
        if tag == "AWAITING-PAYMENT":
            order.action_quotation_sent()
            return order
        order.action_confirm()
        if tag == "CANCELLED":
            order._action_cancel()
            return order
        if tag in ("CONFIRMED", "PREPARING"):
            return order
        picking = self._demo_ship(order)
        if not picking.carrier_tracking_ref:
            picking.carrier_tracking_ref = (
                f"{carrier.name[:3].upper()}{order.id:04d}7731{picking.id:04d}"
            )
        handed_over = now - timedelta(days=max((e[0] for e in events), default=0.5))
        # Like a shop correcting the hand-over time: the ETA is recomputed from it (and from the
        # demo lead times once they are loaded), never written here.
        picking.date_done = handed_over
        event_model = self.env["order.tracking.event"]
        for days_ago, text, place in events:
            when = now - timedelta(days=days_ago)
            event_model.create(
                {
                    "picking_id": picking.id,
                    "occurred_at": when,
                    "status": self._demo_event_status(text),
                    "raw_text": text,
                    "location": place,
                    "source": "simulated",
                    "dedup_key": event_model._ot_dedup_key(when, None, text, place),
                }
            )
        last = event_model.search([("picking_id", "=", picking.id)], limit=1)
        vals = {
            "ot_carrier_status": status,
            "ot_last_event_at": last.occurred_at,
            "ot_last_event_text": last.raw_text,
            "ot_last_event_location": last.location,
        }
        if exception:
            vals.update(
                {
                    "ot_exception_type": exception,
                    "ot_exception_detected_at": now - timedelta(hours=3),
                }
            )
        picking.write(vals)
        return order

    @api.model
    def _demo_ship(self, order):
        """Validate the confirmed ``order``'s delivery to the customer, fully; return it."""
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        # stock_sms would stop at its "send an SMS?" wizard; the demo is not a person clicking.
        result = picking.with_context(skip_sms=True).button_validate()
        if result is not True or picking.state != "done":
            raise UserError(self.env._("Demo delivery %s could not be validated.", picking.name))
        return picking

    @api.model
    def _demo_event_status(self, text):
        if "تحویل گیرنده" in text:
            return "Delivered"
        if "ثبت شد" in text:
            return "InfoReceived"
        if "برگشت" in text:
            return "Exception"
        if "آدرس ناقص" in text:
            return "AttemptFail"
        return "InTransit"
