"""Shared helpers of the chat tests (tests/test_chat_*.py): start a chat, post turns, read the
one-time code from the SMS outbox as staff would."""

import re

from odoo.tests import TransactionCase

from ..conversation.normalize import normalize_digits, persian_digits
from .common import create_role_users, demo_order

IP = "203.0.113.7"


class ChatCase(TransactionCase):
    """A demo shop with a known order; chats go through the two methods the HTTP layer calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env)
        # sudo: order.tracking.chat.session - exactly how the public controller calls it.
        cls.Session = cls.env["order.tracking.chat.session"].sudo()
        cls.in_transit = demo_order(cls.env, "IN-TRANSIT")
        cls.delayed = demo_order(cls.env, "DELAYED")
        cls.customer = cls.in_transit.partner_id  # Sara, +989121234567
        cls.mobile = cls.customer.ot_mobile_e164
        cls.last4 = cls.mobile[-4:]
        cls.env.company.ot_sms_provider = "outbox"

    def start(self, lang="en_US", channel="widget", ip=IP):
        body = self.Session._ot_api_start(lang, channel, ip)
        self.assertIn("session", body, body)
        return body["session"]

    def post(self, token, ip=IP, expect=200, **payload):
        status, body = self.Session._ot_api_post(token, payload, ip)
        self.assertEqual(status, expect, body)
        return body

    def session_of(self, token):
        return self.Session._ot_find_session(token)

    def text(self, body):
        return "\n".join(m["text"] for m in body["messages"])

    def last_code(self):
        """The code in the latest SMS of the outbox (Persian digits read as ASCII)."""
        sms = self.env["sms.sms"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(sms.state, "ot_outbox")
        return re.search(r"\d{6}", normalize_digits(sms.body)).group()

    def verify_order(self, token, order=None, lang_text="fa"):
        """Level 1 then level 2 for ``order`` (default: the in-transit demo order)."""
        order = order or self.in_transit
        if lang_text == "fa":
            self.post(token, text=f"سفارش {order.name} کجاست؟")
            self.post(token, text=persian_digits(self.last4))
        else:
            self.post(token, text=f"where is my order {order.name}")
            self.post(token, text=self.last4)
        self.post(token, action="verify_sms")
        return self.post(token, text=self.last_code())
