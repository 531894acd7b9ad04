"""Who may read chats, transcripts, disclosures, one-time codes, rate-limit rows and the SMS
outbox: staff read chats, only administrators see codes and limits, visitors see nothing."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .chat_common import ChatCase


@tagged("post_install", "-at_install")
class TestChatAccess(ChatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        token = cls.Session._ot_api_start("en_US", "widget", "203.0.113.50")["session"]
        cls.Session._ot_api_post(token, {"text": f"where is {cls.in_transit.name}"}, "x")
        cls.Session._ot_api_post(token, {"text": cls.in_transit.partner_id.phone[-4:]}, "x")
        cls.Session._ot_api_post(token, {"action": "verify_sms"}, "x")
        cls.session = cls.Session._ot_find_session(token)
        cls.public = cls.env.ref("base.public_user")

    def test_staff_read_chats_with_transcript_and_audit(self):
        for role in ("helpdesk_user", "salesman"):
            with self.subTest(role=role):
                session = self.session.with_user(self.users[role])
                self.assertEqual(session.order_id, self.in_transit)
                self.assertTrue(session.message_ids.mapped("text"))
                self.assertTrue(session.audit_ids.mapped("disclosed_fields"))
                with self.assertRaises(AccessError):
                    session.write({"outcome": "resolved"})
                with self.assertRaises(AccessError):
                    session.message_ids.unlink()
                for model in ("order.tracking.otp", "order.tracking.rate.limit", "sms.sms"):
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(self.users[role]).search([])

    def test_engine_state_and_token_hash_are_administrator_fields(self):
        session = self.session.with_user(self.users["helpdesk_user"])
        for name in ("engine_state", "token_hash", "offered_actions"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                session.read([name])

    def test_visitors_cannot_read_chats(self):
        for model in (
            "order.tracking.chat.session",
            "order.tracking.chat.message",
            "order.tracking.audit",
            "order.tracking.otp",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.public).search([])

    def test_administrators_read_codes_log_and_outbox(self):
        admin = self.env.ref("base.user_admin")
        codes = (
            self.env["order.tracking.otp"]
            .with_user(admin)
            .search([("session_id", "=", self.session.id)])
        )
        self.assertEqual(codes.mobile_masked, "0912***4567")
        outbox = self.env["sms.sms"].with_user(admin).search([("state", "=", "ot_outbox")])
        self.assertIn(codes.sms_id, outbox)
        action = self.env.ref("order_tracking_chatbot.action_sms_outbox")
        self.assertIn("ot_outbox", action.domain)
