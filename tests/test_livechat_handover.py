"""Hand-over to a person through Odoo's live chat (models/order_tracking_livechat.py).

With an operator online, "talk to a person" opens a ``discuss.channel`` of the website's live
chat channel with that operator and the visitor (a ``mail.guest``), holding the bot's transcript
as stored (masked) and a summary of what the chat established; the widget gets what it needs to
open it in Odoo's live chat window. Nobody online: the ticket path, as before.

The browser tour (static/tests/tours/livechat_handover_tour.js) plays the visitor; the operator
answers from Python, in a thread, once the visitor wrote in the live chat window: the answer
reaches the visitor's browser through the bus.
"""

import json
import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import HttpCase, tagged

from .chat_common import ChatCase
from .common import demo_order
from .test_tours import enable_widget_in_persian

HUMAN_TEXT = "I want to speak to someone"
MOBILE_TEXT = "call me on 09125556677, I want to speak to someone"
OPERATOR_ANSWER = "Hello, this is Maryam from support. I have your order in front of me."
VISITOR_LINE = "Hello, are you there?"


def setup_live_chat(env, login):
    """An operator in the website's live chat channel (not online yet), and that channel."""
    operator = env["res.users"].create(
        {
            "name": "Maryam Operator",
            "login": login,
            "password": login,
            "group_ids": [
                (4, env.ref("base.group_user").id),
                (4, env.ref("im_livechat.im_livechat_group_user").id),
            ],
        }
    )
    livechat_channel = env["im_livechat.channel"].create(
        {"name": "Shop support", "user_ids": [(6, 0, operator.ids)]}
    )
    return operator, livechat_channel


class TestLivechatHandover(ChatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.livechat_channel = setup_live_chat(cls.env, "ot_handover_operator")
        cls.website = cls.env["website"].get_current_website()
        cls.website.channel_id = cls.livechat_channel

    def online(self):
        self.env["mail.presence"]._update_presence(self.operator)

    def bodies(self, channel):
        return [str(message.body) for message in channel.message_ids.sorted("id")]

    def test_handover_opens_a_live_chat_with_transcript_and_summary(self):
        self.online()
        token = self.start("en_US")
        self.post(token, text=f"where is my order {self.in_transit.name}")
        self.post(token, text=self.last4)
        body = self.post(token, text=MOBILE_TEXT)
        self.assertTrue(body["handover"])
        session = self.session_of(token)
        channel = session.livechat_channel_id
        self.assertTrue(channel, "the chat is linked to its live chat conversation")
        self.assertEqual(body["livechat"]["channelId"], channel.id)
        self.assertEqual(channel.channel_type, "livechat")
        self.assertEqual(channel.livechat_channel_id, self.livechat_channel)
        self.assertEqual(channel.livechat_operator_id, self.operator.partner_id)
        members = channel.channel_member_ids
        self.assertEqual(members.partner_id, self.operator.partner_id)
        self.assertEqual(len(members.guest_id), 1, "the visitor joins as a guest")
        self.assertEqual(
            members.filtered("guest_id").livechat_member_type, "visitor", members.read()
        )
        bodies = self.bodies(channel)
        self.assertEqual(len(bodies), 2, bodies)
        transcript, summary = bodies
        self.assertEqual(channel.message_ids.author_id, self.env.ref("base.partner_root"))
        # The transcript as stored: the visitor's words, the mobile masked, the bot's answers.
        self.assertIn("where is my order", transcript)
        self.assertIn("0912***6677", transcript)
        self.assertNotIn("09125556677", transcript)
        self.assertNotIn("5556677", "".join(bodies))
        self.assertIn(self.in_transit.name, summary)
        self.assertIn("Level 1", summary)
        # What the widget needs to open it in Odoo's live chat window, as the visitor (guest).
        guest = members.guest_id
        store = body["livechat"]["storeData"]
        self.assertEqual(store["Store"]["guest_token"], guest.sudo()._format_auth_cookie())
        self.assertEqual(store["Store"]["self_guest"], guest.id)
        self.assertIn(channel.id, [c["id"] for c in store["discuss.channel"]])

    def test_summary_shows_no_order_the_chat_did_not_show(self):
        self.online()
        token = self.start("en_US")
        # The order number without its proof: the chat showed nothing about it.
        self.post(token, text=f"where is my order {self.in_transit.name}")
        self.post(token, text=HUMAN_TEXT)
        channel = self.session_of(token).livechat_channel_id
        summary = self.bodies(channel)[-1]
        self.assertIn("none identified", summary)
        self.assertNotIn(self.in_transit.name, summary)
        self.assertIn("Level 1", summary)

    def test_verified_chat_says_level_2_and_masked_mobile(self):
        self.online()
        token = self.start("en_US")
        self.verify_order(token, lang_text="en")
        body = self.post(token, text=HUMAN_TEXT)
        self.assertTrue(body["livechat"])
        summary = self.bodies(self.session_of(token).livechat_channel_id)[-1]
        self.assertIn("Level 2", summary)
        self.assertIn("0912***4567", summary)
        self.assertNotIn(self.mobile[-10:], "".join(summary))

    def test_asking_twice_keeps_one_conversation(self):
        self.online()
        token = self.start("en_US")
        first = self.post(token, text=HUMAN_TEXT)["livechat"]["channelId"]
        second = self.post(token, text=HUMAN_TEXT)["livechat"]["channelId"]
        self.assertEqual(first, second)

    def test_persian_chat_gets_a_persian_summary(self):
        self.online()
        token = self.start("fa_IR")
        self.post(token, text="میشه با یه کارشناس حرف بزنم")
        transcript, summary = self.bodies(self.session_of(token).livechat_channel_id)
        self.assertIn("میشه با یه کارشناس حرف بزنم", transcript)
        self.assertIn("سفارش: در این گفتگو سفارشی مشخص نشد.", summary)

    def test_signed_in_customer_joins_as_their_partner(self):
        self.online()
        portal = self.env["res.users"].create(
            {
                "name": "Signed-in Customer",
                "login": "ot_handover_portal",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        token = self.start("en_US")
        self.post(token, text=HUMAN_TEXT)
        session = self.session_of(token)
        session.livechat_channel_id = False  # as if the first conversation was never opened
        livechat = session.with_user(portal).sudo()._ot_open_livechat()
        channel = self.env["discuss.channel"].browse(livechat["channelId"])
        members = channel.channel_member_ids
        self.assertEqual(members.partner_id, self.operator.partner_id | portal.partner_id)
        self.assertFalse(members.guest_id, "no guest for a signed-in customer")
        self.assertNotIn("guest_token", livechat["storeData"]["Store"])

    def test_no_operator_online_keeps_the_ticket_path(self):
        token = self.start("en_US")
        body = self.post(token, text=HUMAN_TEXT)
        self.assertFalse(body["handover"])
        self.assertNotIn("livechat", body)
        self.post(token, text="0912 555 6677")
        session = self.session_of(token)
        self.assertFalse(session.livechat_channel_id)
        self.assertEqual(session.ticket_ids.ot_chat_kind, "callback")
        self.assertFalse(
            self.env["discuss.channel"].search(
                [("livechat_channel_id", "=", self.livechat_channel.id)]
            )
        )

    def test_operator_gone_at_the_last_moment_falls_back(self):
        self.online()
        token = self.start("en_US")
        Channel = type(self.env["im_livechat.channel"])
        with self.patch_operator(Channel):
            body = self.post(token, text=HUMAN_TEXT)
        self.assertTrue(body["handover"], "the policy saw an operator")
        self.assertIsNone(body["livechat"], "the widget then uses the live chat button")
        self.assertFalse(self.session_of(token).livechat_channel_id)

    def patch_operator(self, channel_class):
        """Nobody is picked any more when the conversation is created."""
        original = channel_class._get_operator_info

        def no_operator(channel, **kwargs):
            info = original(channel, **kwargs)
            return dict(info, operator_partner=self.env["res.partner"])

        return patch.object(channel_class, "_get_operator_info", no_operator)


@tagged("post_install", "-at_install")
class TestLivechatHandoverHttp(HttpCase):
    """Through the public HTTP API, and in the browser with an operator online."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        enable_widget_in_persian(cls.env)
        cls.operator, cls.livechat_channel = setup_live_chat(cls.env, "ot_tour_operator")
        cls.env.ref("website.default_website").channel_id = cls.livechat_channel
        cls.order = demo_order(cls.env, "IN-TRANSIT")
        # The demo's conversations are there already: the operator waits for a new one.
        cls.last_chat = cls.env["order.tracking.chat.session"].search([], limit=1).id

    def api(self, path, payload):
        response = self.url_open(
            f"/order-tracking/api/v1/sessions{path}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertLess(response.status_code, 300, response.text)
        return response

    def test_api_hands_over_with_the_guest_cookie(self):
        self.env["mail.presence"]._update_presence(self.operator)
        token = self.api("", {"lang": "en_US", "channel": "widget"}).json()["session"]
        response = self.api(f"/{token}/messages", {"text": HUMAN_TEXT})
        body = response.json()
        self.assertTrue(body["handover"])
        channel = self.env["discuss.channel"].browse(body["livechat"]["channelId"])
        guest = channel.channel_member_ids.guest_id
        self.assertEqual(len(guest), 1)
        # Odoo's guest cookie: the visitor's browser is this guest in every live chat request.
        self.assertEqual(response.cookies.get("dgid"), guest.sudo()._format_auth_cookie())
        self.assertEqual(body["livechat"]["storeData"]["Store"]["self_guest"], guest.id)

    def operator_at_desk(self, stop, done, errors, come_online=False):
        """The operator, in a thread of their own: optionally comes online once the visitor's chat
        began, then answers once the visitor wrote in the live chat window."""

        def step(env):
            if come_online and not env["mail.presence"].search(
                [("user_id", "=", self.operator.id), ("status", "=", "online")]
            ):
                if env["order.tracking.chat.session"].search(
                    [("turn_count", ">=", 1), ("id", ">", self.last_chat)]
                ):
                    env["mail.presence"]._update_presence(self.operator)
                return False
            line = env["mail.message"].search(
                [
                    ("model", "=", "discuss.channel"),
                    ("author_guest_id", "!=", False),
                    ("body", "ilike", VISITOR_LINE),
                ],
                limit=1,
            )
            if not line:
                return False
            channel = env["discuss.channel"].browse(line.res_id).with_user(self.operator)
            channel.message_post(
                body=OPERATOR_ANSWER, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            done.append(channel.id)
            return True

        def run():
            try:
                # The test's cursor is in use until the browser runs: keep off it until then.
                while not self.chat_started.wait(0.2):
                    if stop.is_set():
                        return
                while not stop.is_set():
                    with self.registry.cursor() as cr:
                        if step(api.Environment(cr, SUPERUSER_ID, {})):
                            return
                    stop.wait(0.2)
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)

        return threading.Thread(target=run, daemon=True)

    def run_handover_tour(self, tour, come_online=False):
        self.assertTrue(self.order.partner_id.phone.endswith("4567"), "the tour types 4567")
        answered, errors = [], []
        stop = threading.Event()
        self.chat_started = threading.Event()
        Session = type(self.env["order.tracking.chat.session"])
        api_start = Session._ot_api_start

        def signalling_api_start(session_model, *args, **kwargs):
            self.chat_started.set()
            return api_start(session_model, *args, **kwargs)

        self.patch(Session, "_ot_api_start", signalling_api_start)
        thread = self.operator_at_desk(stop, answered, errors, come_online=come_online)
        thread.start()
        try:
            self.start_tour(f"/?order={self.order.name}&livechat={self.livechat_channel.id}", tour)
        finally:
            stop.set()
            thread.join(timeout=10)
        self.assertFalse(errors, errors)
        self.env.invalidate_all()
        session = self.env["order.tracking.chat.session"].search(
            [("livechat_channel_id", "!=", False)], limit=1
        )
        channel = session.livechat_channel_id
        self.assertEqual(answered, channel.ids, "the operator answered in the chat's conversation")
        self.assertEqual(session.order_id, self.order)
        self.assertIn(self.operator.partner_id, channel.channel_member_ids.partner_id)
        messages = channel.message_ids.sorted("id")
        self.assertEqual(len(messages), 4, [str(m.body) for m in messages])
        transcript, summary, visitor, answer = messages
        self.assertIn("I want to speak to someone", str(transcript.body))
        self.assertIn(self.order.name, str(summary.body))
        self.assertTrue(visitor.author_guest_id)
        self.assertEqual(answer.author_id, self.operator.partner_id)

    def test_operator_receives_the_transcript_and_the_visitor_sees_the_answer(self):
        self.env["mail.presence"]._update_presence(self.operator)
        self.run_handover_tour("order_tracking_livechat_handover")

    def test_operator_online_after_the_page_loaded(self):
        # Odoo did not put its live chat on the page (nobody online then): the widget mounts it.
        self.run_handover_tour("order_tracking_livechat_handover_late", come_online=True)
