"""The four conversation flows end to end through `_ot_api_start` / `_ot_api_post` (the two
methods the HTTP layer calls), in Persian and English, with what they store and disclose."""

from odoo.tests import tagged

from ..conversation.normalize import persian_digits
from .chat_common import ChatCase


@tagged("post_install", "-at_install")
class TestChatFlows(ChatCase):
    def test_start_returns_a_token_once_and_stores_its_hash(self):
        body = self.Session._ot_api_start("fa_IR", "widget", "198.51.100.1")
        token = body["session"]
        self.assertGreaterEqual(len(token), 40)
        self.assertIn("سلام", body["messages"][0]["text"])
        actions = [b["action"] for b in body["messages"][0]["buttons"]]
        self.assertIn("intent:track_order", actions)
        session = self.session_of(token)
        self.assertEqual(session.lang, "fa_IR")
        self.assertEqual(session.channel, "widget")
        self.assertNotEqual(session.token_hash, token)
        self.assertEqual(len(session.token_hash), 64)
        self.assertFalse(self.Session.search([("token_hash", "=", token)]))
        self.assertNotIn("198.51.100.1", session.ip_hash)
        self.assertEqual(session.message_ids.mapped("role"), ["bot"])

    def test_flow1_order_number_in_persian_with_persian_digits(self):
        token = self.start("fa_IR")
        order = self.in_transit
        body = self.post(token, text=f"سلام، سفارش {order.name} من کجاست؟")
        self.assertIn(order.name, self.text(body))
        self.assertIsNone(body["order"], "nothing about the order before the mobile check")
        body = self.post(token, text=persian_digits(self.last4))
        self.assertIn("در مسیر", self.text(body))
        level1 = body["order"]
        self.assertEqual(level1["orderId"], order.name)
        self.assertEqual(level1["status"], "in_transit")
        self.assertEqual(level1["statusLabel"], "در مسیر")
        self.assertIsNone(level1["tracking"]["code"])
        self.assertIsNone(level1["tracking"]["url"])
        self.assertIsNone(level1["createdAt"])
        self.assertNotIn("details", level1)
        self.assertEqual(body["security"], {"verified": False, "level": 1, "method": None})
        self.assertIn("verify_sms", [a["action"] for a in body["nextActions"]])

        body = self.post(token, action="verify_sms")
        self.assertIn("0912***4567", self.text(body))
        code = self.last_code()
        body = self.post(token, text=persian_digits(code))
        self.assertEqual(body["security"], {"verified": True, "level": 2, "method": "otp"})
        level2 = body["order"]
        picking = order.ot_main_picking_id
        self.assertEqual(level2["tracking"]["code"], picking.carrier_tracking_ref)
        self.assertTrue(level2["tracking"]["url"])
        self.assertTrue(level2["createdAt"].endswith("+03:30"), level2["createdAt"])
        details = level2["details"]
        self.assertEqual({i["qty"] for i in details["items"]}, {1, 2})
        self.assertEqual(len(details["events"]), 3)
        newest = details["events"][0]
        self.assertEqual(newest["text"], picking.ot_last_event_text)
        # Jalali month name and Persian digits in a Persian answer.
        self.assertRegex(
            newest["timeLabel"],
            r"^[۰-۹]+ (آذر|آبان|دی|مهر|بهمن|اسفند|فروردین"
            r"|اردیبهشت|خرداد|تیر|مرداد|شهریور) [۰-۹]{4}، [۰-۹]{2}:[۰-۹]{2}$",
        )
        self.assertNotIn("12", details["address"] or "", "no house number in the address")
        self.assertIn("Valiasr", details["address"])
        self.assertEqual(details["payment"]["state"], "not_paid")

        session = self.session_of(token)
        self.assertEqual(session.level, "2")
        self.assertEqual(session.verified_mobile, "0912***4567")
        self.assertEqual(session.order_id, order)
        self.assertEqual(session.carrier_id, picking.carrier_id)
        self.assertEqual(session.destination_state_id.code, "IR-23")
        self.assertEqual(session.outcome, "resolved")
        self.assertGreater(session.first_response_ms, 0)
        self.assertIn("track_order", session.intents)

    def test_flow1_order_number_in_english(self):
        token = self.start("en_US")
        body = self.post(token, text=f"any update on {self.in_transit.name}?")
        self.assertIn("last 4 digits", self.text(body))
        body = self.post(token, text=f"it's {self.last4}")
        self.assertIn("on its way", self.text(body))
        self.assertEqual(body["order"]["statusLabel"], "on its way")
        body = self.verify_order(token, lang_text="en")
        self.assertIn("Tracking code", self.text(body))

    def test_flow2_mobile_lists_latest_orders_after_the_code(self):
        token = self.start("en_US")
        body = self.post(token, text="I used my number ۰۹۱۲-۱۲۳-۴۵۶۷ at checkout")
        self.assertIn("If this number has orders", self.text(body))
        self.assertIn("0912***4567", self.text(body))
        self.assertIsNone(body["order"])
        body = self.post(token, text=self.last_code())
        picks = [b["action"] for b in body["nextActions"] if b["action"].startswith("pick:")]
        customer_orders = self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id)], order="date_order desc, id desc", limit=3
        )
        self.assertEqual(picks, [f"pick:{o.name}" for o in customer_orders])
        self.assertEqual(body["security"]["level"], 2)
        body = self.post(token, action=f"pick:{self.in_transit.name}")
        self.assertEqual(body["order"]["orderId"], self.in_transit.name)
        self.assertIn("details", body["order"])
        audit = self.session_of(token).audit_ids
        listed = audit.filtered(lambda a: a.disclosed_fields == "ref, stage")
        self.assertEqual(listed.order_id, customer_orders)

    def test_flow2_unknown_mobile_gets_the_same_answer_and_no_sms(self):
        sms_before = self.env["sms.sms"].sudo().search_count([])
        known = self.post(self.start("en_US"), text="my mobile number is 09121234567")
        unknown = self.post(self.start("en_US"), text="my mobile number is 09129998877")
        self.assertEqual(
            self.text(known).replace("0912***4567", "X"),
            self.text(unknown).replace("0912***8877", "X"),
        )
        self.assertEqual(known.keys(), unknown.keys())
        self.assertEqual(self.env["sms.sms"].sudo().search_count([]), sms_before + 1)
        codes = self.env["order.tracking.otp"].sudo().search([], order="id desc", limit=2)
        self.assertEqual(codes.mapped("sent"), [False, True])

    def test_flow3_tracking_code_in_english_gives_level1_without_the_order(self):
        picking = self.delayed.ot_main_picking_id
        token = self.start("en_US")
        body = self.post(token, text=f"can you track {picking.carrier_tracking_ref} for me")
        order = body["order"]
        self.assertIsNone(order["orderId"], "a tracking code does not reveal the order number")
        self.assertEqual(order["tracking"]["lastEvent"], picking.ot_last_event_text)
        self.assertIsNone(order["tracking"]["code"])
        self.assertEqual(order["exception"]["type"], "delayed")
        self.assertEqual(order["exception"]["label"], "delayed")
        self.assertIn("delayed", self.text(body))
        session = self.session_of(token)
        self.assertEqual(session.order_id, self.delayed)
        self.assertEqual(session.audit_ids.order_id, self.delayed)
        self.assertFalse(session.audit_ids.personal)

    def test_flow3_multi_parcel_tracking_refs_are_matched_exactly(self):
        picking = self.delayed.ot_main_picking_id
        picking.carrier_tracking_ref = "RR123456789IR,TPX5551234567"
        backend = self.env["order.tracking.chat.backend"].sudo()
        session = self.session_of(self.start())
        order, found = backend._ot_search_tracking_code(session, "TPX5551234567")
        self.assertEqual((order, found), (self.delayed, picking))
        order, _found = backend._ot_search_tracking_code(session, "rr123456789ir")
        self.assertEqual(order, self.delayed)
        order, _found = backend._ot_search_tracking_code(session, "TPX555123456")
        self.assertFalse(order, "a prefix of a code is not the code")
        order, _found = backend._ot_search_tracking_code(session, "%")
        self.assertFalse(order, "LIKE wildcards are escaped")

    def test_flow4_before_buying_in_both_languages(self):
        token = self.start("en_US")
        body = self.post(token, text="how long does delivery to Shiraz take")
        text = self.text(body)
        self.assertIn("Delivery time to Shiraz", text)
        self.assertIn("Tipax", text)
        self.assertEqual(self.session_of(token).destination_state_id.code, "IR-07")
        token = self.start("fa_IR")
        body = self.post(token, text="هزینه ارسال به تبریز چقدره؟")
        self.assertIn("هزینه ارسال به تبریز", self.text(body))
        self.assertEqual(self.session_of(token).outcome, "resolved")

    def test_flow4_uncovered_province(self):
        tabriz = self.env["order.tracking.city"].search([("name", "=", "Tabriz")])
        carriers = self.env["delivery.carrier"].search([("is_published", "=", True)])
        carriers.write({"state_ids": [(6, 0, [tabriz.state_id.id])]})
        session = self.session_of(self.start())
        backend = self.env["order.tracking.chat.backend"].sudo()
        shiraz = self.env["order.tracking.city"].search([("name", "=", "Shiraz")])
        self.assertIsNone(backend._ot_shipping_quote(session, shiraz.id, "en_US"))
        self.assertTrue(backend._ot_shipping_quote(session, tabriz.id, "en_US"))

    def test_sensitive_request_opens_a_ticket_with_the_masked_transcript(self):
        token = self.start("fa_IR")
        body = self.post(
            token, text=f"آدرس سفارش {self.in_transit.name} رو اشتباه زدم، پلاک عوض شده"
        )
        self.assertIn("شماره موبایل", self.text(body))
        body = self.post(token, text="۰۹۳۵ ۱۲۳ ۴۵۶۷")
        session = self.session_of(token)
        self.assertEqual(session.outcome, "escalated")
        ticket = session.ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.ot_chat_kind, "change_address")
        self.assertFalse(ticket.ot_sale_id, "an unproven order is not linked to the ticket")
        self.assertIn(ticket.number, self.text(body))
        self.assertIn("0935***4567", ticket.description)
        self.assertIn("اشتباه زدم", ticket.description)

    def test_human_without_operator_collects_a_callback(self):
        token = self.start("en_US")
        body = self.post(token, text="I want to speak to someone")
        self.assertIn("isn't online", self.text(body))
        body = self.post(token, text="0912 555 6677")
        self.assertEqual(self.session_of(token).ticket_ids.ot_chat_kind, "callback")

    def test_csat_is_recorded(self):
        token = self.start("en_US")
        body = self.post(token, text="thanks, bye")
        self.assertIn("csat:5", [a["action"] for a in body["nextActions"]])
        self.post(token, action="csat:4")
        session = self.session_of(token)
        self.assertEqual(session.csat, 4)
        self.assertEqual(session.outcome, "resolved")

    def test_payload_lang_switches_the_answer_language(self):
        token = self.start("en_US")
        body = self.post(token, text="hello", lang="fa_IR")
        self.assertIn("سلام", self.text(body))
        self.assertEqual(self.session_of(token).lang, "fa_IR")

    def test_human_with_an_operator_online_hands_over(self):
        operator = self.env["res.users"].create(
            {
                "name": "Operator",
                "login": "ot_chat_operator",
                "group_ids": [(4, self.env.ref("im_livechat.im_livechat_group_user").id)],
            }
        )
        channel = self.env["im_livechat.channel"].create(
            {"name": "Shop support", "user_ids": [(6, 0, operator.ids)]}
        )
        self.env["website"].get_current_website().channel_id = channel
        token = self.start("en_US")
        body = self.post(token, text="I want to speak to someone")
        self.assertFalse(body["handover"], "nobody online yet")
        self.env["mail.presence"]._update_presence(operator)
        token = self.start("en_US")
        body = self.post(token, text="میشه با یه کارشناس حرف بزنم")
        self.assertTrue(body["handover"])
        session = self.session_of(token)
        self.assertTrue(session.handover)
        self.assertEqual(session.outcome, "escalated")

    def test_order_texts_follow_the_language_the_customer_writes_in(self):
        token = self.start("en_US")  # an English page, a customer writing Persian
        body = self.verify_order(token, lang_text="fa")
        self.assertEqual(body["order"]["statusLabel"], "در مسیر")
        self.assertTrue(body["order"]["details"]["address"].startswith("تهران"))
        self.assertRegex(body["order"]["details"]["events"][0]["timeLabel"], "^[۰-۹]")
        self.assertEqual(self.session_of(token).lang, "fa_IR")
