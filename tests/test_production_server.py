"""The production way to run the addon, tested on a real multi-worker Odoo.

A real server is started the way ``make serve`` starts it (``tools/odoo_launcher.py``, workers,
proxy mode, its own websocket/gevent port) on the test database, on free ports. Then:

- its websocket (gevent) worker starts once, answers a websocket handshake and is still the same
  process a few seconds later (checked with ``tools/check_websocket.py``, as ``make serve`` does);
- a live chat message from an operator reaches a website visitor through that worker, spoken in
  Odoo's own bus protocol as the browser's bus worker
  (``bus/static/src/workers/websocket_worker.js``) speaks it: ``subscribe`` with channels/last,
  then ``update_presence``.

The server is another process, so everything it must see is created (and removed again) through
its own HTTP API, where each request commits. Started with ``python -m odoo`` instead of the
launcher, the websocket worker crash-loops and these tests fail.
"""

import json
import secrets
import unittest

import requests

from .production_server_support import (
    WS_TIMEOUT,
    ProductionClient,
    ProductionServer,
    check_websocket,
)


class TestProductionServer(ProductionClient, unittest.TestCase):
    """``tools/odoo_launcher.py`` with workers: the websocket worker serves live chat."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ProductionServer()
        cls.addClassCleanup(cls.server.stop)
        cls.server.start()

    # ------------------------------------------------------------------ tests

    def test_01_websocket_worker_starts_once_and_stays_up(self):
        problem = check_websocket.check(
            self.server.pid, self.server.gevent_port, watch=3, wait=WS_TIMEOUT
        )
        if problem:
            self.fail_with_log(problem)
        self.assertEqual(len(check_websocket.gevent_workers(self.server.pid)), 1)
        self.assertEqual(check_websocket.handshake(self.server.gevent_port), 101)

    def test_02_operator_message_reaches_visitor_through_websocket(self):
        problem = check_websocket.check(
            self.server.pid, self.server.gevent_port, watch=0, wait=WS_TIMEOUT
        )
        if problem:
            self.fail_with_log(problem)
        gevent_pid = self.the_gevent_worker()
        tag = secrets.token_hex(6)

        # The admin creates a dedicated operator and a live chat channel served by them alone;
        # the operator logs in, and their bus connection makes them "online", hence available.
        admin, _admin_uid = self.login("admin", "admin")
        login, password, operator_uid, operator_partner_id, livechat_id = (
            self.operator_with_live_chat(admin, tag)
        )
        operator_http, uid = self.login(login, password)
        self.assertEqual(uid, operator_uid)
        self.bring_online(operator_http, operator_partner_id)

        # An anonymous visitor starts a chat: a guest (cookie) in a new discuss.channel.
        visitor_http = requests.Session()
        self.addCleanup(visitor_http.close)
        session = self.rpc(
            visitor_http,
            "/im_livechat/get_session",
            {"channel_id": livechat_id, "persisted": True, "previous_operator_id": None},
        )
        if not session:
            self.fail_with_log("/im_livechat/get_session found no available operator")
        channel_id = session["channel_id"]
        self.assertIn("dgid", visitor_http.cookies, "the visitor got a guest cookie")
        [channel] = self.call_kw(
            admin,
            "discuss.channel",
            "read",
            [[channel_id], ["livechat_operator_id", "livechat_visitor_id"]],
        )
        guests = self.call_kw(
            admin, "mail.guest", "search", [[("channel_ids", "in", [channel_id])]]
        )
        visitor_ids = [channel["livechat_visitor_id"][0]] if channel["livechat_visitor_id"] else []
        if visitor_ids:
            self.addCleanup(self.call_kw, admin, "website.visitor", "unlink", [visitor_ids])
        self.addCleanup(self.call_kw, admin, "mail.guest", "unlink", [guests])
        self.addCleanup(self.call_kw, admin, "discuss.channel", "unlink", [[channel_id]])
        self.assertEqual(channel["livechat_operator_id"][0], operator_partner_id)
        self.assertEqual(len(guests), 1, "the visitor is the channel's guest")

        # The visitor's browser opens its bus and subscribes; its own presence notification
        # coming back proves the subscription is live before the operator writes.
        visitor_bus = self.open_bus(visitor_http, "visitor")
        self.send_event(visitor_bus, "subscribe", {"channels": [], "last": 0})
        self.send_event(visitor_bus, "update_presence", {"inactivity_period": 0})
        self.wait_for_notification(
            visitor_bus,
            "visitor",
            "online presence of the visitor",
            self.is_online("guest_id", guests[0]),
        )

        # The operator answers from the backend...
        body = f"Your parcel left the warehouse ({tag})"
        posted = self.rpc(
            operator_http,
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": channel_id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message_id = posted["message_id"]

        # ...and the visitor's websocket receives it.
        notification = self.wait_for_notification(
            visitor_bus,
            "visitor",
            f"new message {message_id} with the operator's text",
            lambda kind, payload: (
                kind == "discuss.channel/new_message" and body in json.dumps(payload)
            ),
        )
        payload = json.dumps(notification["message"]["payload"])
        self.assertIn(body, payload)
        self.assertIn(f'"id": {message_id}', payload)
        self.assertEqual(
            check_websocket.gevent_workers(self.server.pid),
            [gevent_pid],
            "the same websocket worker served the whole chat",
        )
