"""Live chat in a real browser against the production way of running Odoo.

``make serve``'s server (``tools/odoo_launcher.py``, two HTTP workers, proxy mode, a gevent
worker for ``/websocket``) runs on the test database behind a path-routing proxy that plays the
README's nginx (``tests/routing_proxy.py``). Headless Chromium opens the shop through the proxy
and plays the visitor of the hand-over tour (``static/tests/tours/livechat_handover_tour.js``):
order question, last digits, "a person please", then a line in Odoo's live chat window. The
operator, logged in over HTTP and online through their own bus connection, answers from the
backend; the answer must appear in the visitor's browser, which only its websocket (through the
proxy to the gevent worker) can bring.

The server is another process: what it needs is written through its HTTP API (each request
commits) and removed again afterwards, as are the rows the visitor's chat left behind.
"""

import secrets
import threading

from odoo.sql_db import db_connect
from odoo.tests import HttpCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL

from .production_server_support import (
    WS_TIMEOUT,
    ProductionClient,
    ProductionServer,
    check_websocket,
)
from .routing_proxy import RoutingProxy

WIDGET_PARAM = "order_tracking_chatbot.widget_enabled"
VISITOR_LINE = "Hello, are you there?"  # written by the tour
OPERATOR_ANSWER = "I have your order in front of me"  # awaited by the tour
TOUR_TIMEOUT = 180  # seconds: 2 shared cores serve the browser, the workers and the test
# Rows the visitor's chat leaves on the server, removed after the test: the addon's own tables
# directly (children first; audit rows cannot be deleted through the ORM, by design), Odoo's
# records through its API.
CHAT_TABLES = (
    "order_tracking_chat_message",
    "order_tracking_audit",
    "order_tracking_rate_limit",
    "order_tracking_rate_limit_key",
    "order_tracking_chat_session",
)
LIVECHAT_MODELS = ("discuss.channel", "mail.guest", "website.visitor")


@tagged("post_install", "-at_install")
class TestOperatorMessageInBrowser(ProductionClient, HttpCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ProductionServer()
        cls.addClassCleanup(cls.server.stop)
        cls.server.start()
        # The admin logs in before the test's own transaction begins: Odoo records web.base.url
        # on an admin's login, a row HttpCase's transaction keeps locked from its setUpClass on.
        cls.admin, _uid = cls.server.authenticate("admin", "admin")
        cls.admin_at_desk, _uid = cls.server.authenticate("admin", "admin")
        for http in (cls.admin, cls.admin_at_desk):
            cls.addClassCleanup(http.close)
        super().setUpClass()
        cls.proxy = RoutingProxy(cls.server.http_port, cls.server.gevent_port).start()
        cls.addClassCleanup(cls.proxy.stop)

    # ------------------------------------------------------------------ server state

    def max_ids(self, admin):
        ids = {}
        with db_connect(get_db_name()).cursor() as cr:
            for table in CHAT_TABLES:
                cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
                ids[table] = cr.fetchone()[0]
        for model in LIVECHAT_MODELS:
            ids[model] = (
                self.call_kw(admin, model, "search", [[]], order="id desc", limit=1) or [0]
            )[0]
        return ids

    def remove_rows_after(self, admin, before):
        for model in LIVECHAT_MODELS:
            new = self.call_kw(admin, model, "search", [[("id", ">", before[model])]])
            if new:
                self.call_kw(admin, model, "unlink", [new])
        with db_connect(get_db_name()).cursor() as cr:
            for table in CHAT_TABLES:
                cr.execute(
                    SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), before[table])
                )
            cr.commit()

    def set_for_the_test(self, admin, model, record_id, field, value):
        [record] = self.call_kw(admin, model, "read", [[record_id], [field]])
        old = record[field][0] if isinstance(record[field], list) else record[field]
        self.call_kw(admin, model, "write", [[record_id], {field: value}])
        self.addCleanup(self.call_kw, admin, model, "write", [[record_id], {field: old}])

    def enable_widget(self, admin):
        old = self.call_kw(admin, "ir.config_parameter", "get_param", [WIDGET_PARAM])
        self.call_kw(admin, "ir.config_parameter", "set_param", [WIDGET_PARAM, "True"])
        self.addCleanup(
            self.call_kw, admin, "ir.config_parameter", "set_param", [WIDGET_PARAM, old or False]
        )

    def xmlid(self, admin, module, name):
        [data] = self.call_kw(
            admin,
            "ir.model.data",
            "search_read",
            [[("module", "=", module), ("name", "=", name)]],
            fields=["res_id"],
        )
        return data["res_id"]

    # ------------------------------------------------------------------ the operator

    def operator_at_desk(self, operator_http, after_message_id, answered, errors, stop):
        """In a thread: once the visitor's line reaches a live chat conversation, the operator
        answers it from the backend (the web client's /mail/message/post)."""
        admin = self.admin_at_desk

        def run():
            try:
                while not stop.is_set():
                    found = self.call_kw(
                        admin,
                        "mail.message",
                        "search_read",
                        [
                            [
                                ("id", ">", after_message_id),
                                ("model", "=", "discuss.channel"),
                                ("author_guest_id", "!=", False),
                                ("body", "ilike", VISITOR_LINE),
                            ]
                        ],
                        fields=["res_id"],
                        limit=1,
                    )
                    if found:
                        channel_id = found[0]["res_id"]
                        self.rpc(
                            operator_http,
                            "/mail/message/post",
                            {
                                "thread_model": "discuss.channel",
                                "thread_id": channel_id,
                                "post_data": {
                                    "body": OPERATOR_ANSWER,
                                    "message_type": "comment",
                                    "subtype_xmlid": "mail.mt_comment",
                                },
                            },
                        )
                        answered.append(channel_id)
                        return
                    stop.wait(0.5)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)

        return threading.Thread(target=run, daemon=True)

    # ------------------------------------------------------------------ the test

    def test_operator_answer_reaches_the_visitors_browser(self):
        problem = check_websocket.check(
            self.server.pid, self.server.gevent_port, watch=0, wait=WS_TIMEOUT
        )
        if problem:
            self.fail_with_log(problem)
        gevent_pid = check_websocket.gevent_workers(self.server.pid)
        tag = secrets.token_hex(6)
        admin = self.admin
        self.addCleanup(self.remove_rows_after, admin, self.max_ids(admin))
        self.enable_widget(admin)
        login, password, operator_uid, operator_partner_id, livechat_id = (
            self.operator_with_live_chat(admin, tag)
        )
        website_id = self.xmlid(admin, "website", "default_website")
        self.set_for_the_test(admin, "website", website_id, "channel_id", livechat_id)
        [order] = self.call_kw(
            admin,
            "sale.order",
            "search_read",
            [[("client_order_ref", "=", "DEMO-IN-TRANSIT")]],
            fields=["name", "partner_id"],
        )
        [partner] = self.call_kw(
            admin, "res.partner", "read", [[order["partner_id"][0]], ["phone"]]
        )
        self.assertTrue(partner["phone"].endswith("4567"), "the tour types 4567")
        [last_message] = self.call_kw(
            admin, "mail.message", "search", [[]], order="id desc", limit=1
        ) or [0]

        operator_http, uid = self.login(login, password)
        self.assertEqual(uid, operator_uid)
        self.bring_online(operator_http, operator_partner_id)

        answered, errors = [], []
        stop = threading.Event()
        desk = self.operator_at_desk(operator_http, last_message, answered, errors, stop)
        desk.start()
        try:
            self.start_tour(
                self.proxy.url(f"/?order={order['name']}&livechat={livechat_id}&debug=tests"),
                "order_tracking_livechat_handover",
                timeout=TOUR_TIMEOUT,
            )
        except AssertionError as error:
            self.fail_with_log(str(error))  # with what the server logged meanwhile
        finally:
            stop.set()
            desk.join(timeout=30)
        self.assertFalse(errors, errors)
        self.assertEqual(len(answered), 1, "the operator answered the visitor's conversation")

        # The conversation is the hand-over of the bot's chat about that order...
        sessions = self.call_kw(
            admin,
            "order.tracking.chat.session",
            "search_read",
            [[("livechat_channel_id", "=", answered[0])]],
            fields=["order_id"],
        )
        self.assertEqual(len(sessions), 1, "the bot's chat was handed over to that conversation")
        self.assertEqual(sessions[0]["order_id"][0], order["id"])
        # ...and the answer reached the browser through the proxy's websocket route, served by
        # the one gevent worker that was up before the visitor came.
        self.assertGreaterEqual(self.proxy.routed["websocket"], 1, self.proxy.routed)
        self.assertEqual(check_websocket.gevent_workers(self.server.pid), gevent_pid)
