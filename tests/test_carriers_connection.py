"""The "Test connection" button of each tracking provider, and Tapin wired into the sync.

No request leaves the process: Odoo's test guard on ``requests`` (``_request_handler``) hands
every request to a ``FixtureAdapter`` answering from ``tests/data/carriers``, so the clients
are built exactly as in production (default base URLs, their own sessions).
"""

import json
import os
from contextlib import contextmanager
from unittest.mock import patch

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_carriers_support import FixtureAdapter, reply
from .test_sync_support import SECRET, SyncCase

TAPIN_SHOP = "690a71b3-5cf5-45bf-9561-57e854e08972"
TAPIN_DELIVERED = "0b7e2c1a-5d7f-4c3e-9e61-2f4a8b6c9d01"
TAPIN_RETURNED = "5c1d9e3b-8f2a-4a6e-b0d4-7e9f1a2b3c4d"

CREDENTIALS = {
    "tipax": {
        "ot_tipax_username": "shop",
        "ot_tipax_password": SECRET,
        "ot_tipax_api_key": SECRET + "k",
    },
    "chapar": {"ot_chapar_username": "shop", "ot_chapar_password": SECRET},
    "postex": {"ot_postex_api_key": SECRET},
    "tapin": {"ot_tapin_api_key": SECRET, "ot_tapin_shop_id": TAPIN_SHOP},
}
# provider: (request that proves the account, its fixture answer, what the notification says)
WORKING = {
    "tipax": (
        ("POST", "https://omapi.tipax.ir/api/OM/v3/Account/token"),
        reply("tipax_token.json"),
        "login accepted, token valid for 36000 s",
    ),
    "chapar": (
        ("POST", "https://app.krch.ir/v1/bulk_history_report"),
        reply(body={"result": True, "message": "", "object": {"history": []}}),
        "account accepted",
    ),
    "postex": (
        ("GET", "https://api.postex.ir/api/v1/parcels/OTCONNECTIONTEST0"),
        reply("postex_not_found.json", status=404),
        "API key accepted",
    ),
    "tapin": (
        ("POST", "https://api.tapin.ir/api/v2/public/shop/detail/"),
        reply("tapin_shop.json"),
        "token and shop accepted (shop «فروشگاه نمونه»)",
    ),
}
# provider: an answer refusing the account that quotes the secret back
REFUSED = {
    "tipax": reply(status=401, body={"message": f"invalid apiKey {SECRET}k"}),
    "chapar": reply("chapar_auth_failed.json"),
    "postex": reply(status=403, body={"isSuccess": False, "message": f"bad key {SECRET}"}),
    "tapin": reply(body={"returns": {"status": 401, "message": f"token {SECRET} is not valid"}}),
}


def answer_from_fixtures(case_class, session, request, /, **kwargs):
    """Odoo's guard on ``requests.Session.send``: answer from the test's fixture routes."""
    if case_class.adapter is None:
        raise AssertionError(f"unexpected request {request.method} {request.url}")
    return case_class.adapter.send(request, stream=True, timeout=kwargs.get("timeout"))


class ConnectionCase(SyncCase):
    adapter = None
    _request_handler = classmethod(answer_from_fixtures)

    @contextmanager
    def answering(self, *routes):
        adapter = FixtureAdapter(routes)
        type(self).adapter = adapter
        try:
            yield adapter
        finally:
            type(self).adapter = None

    def _test_button(self, carrier, *routes):
        with self.answering(*routes) as adapter:
            params = carrier.action_ot_test_connection()["params"]
        return params, adapter


@tagged("post_install", "-at_install")
class TestConnectionButton(ConnectionCase):
    def test_each_provider_reports_what_its_api_answered(self):
        for provider, ((method, url), answer, said) in WORKING.items():
            with self.subTest(provider=provider):
                carrier = self._carrier(provider, provider, **CREDENTIALS[provider])
                params, adapter = self._test_button(carrier, (method, url.split("/", 3)[3], answer))
                self.assertEqual(params["type"], "success")
                self.assertIn("Connection works", params["message"])
                self.assertIn(said, params["message"])
                [(request, timeout)] = adapter.calls
                self.assertEqual((request.method, request.url), (method, url), "one cheap call")
                self.assertEqual(len(timeout), 2, "explicit (connect, read) timeout")
                self.assertNotIn(SECRET, str(params))

    def test_refused_credentials_show_the_answer_without_secrets(self):
        for provider, answer in REFUSED.items():
            with self.subTest(provider=provider):
                carrier = self._carrier(provider, provider, **CREDENTIALS[provider])
                (method, url), _answer, _said = WORKING[provider]
                params, _adapter = self._test_button(
                    carrier, (method, url.split("/", 3)[3], answer)
                )
                self.assertEqual(params["type"], "danger")
                self.assertIn("refused the credentials", params["message"])
                self.assertIn(provider, params["message"], "the typed error's own message")
                self.assertNotIn(SECRET, str(params))

    def test_an_outage_is_a_warning(self):
        carrier = self._carrier("Tapin", "tapin", **CREDENTIALS["tapin"])
        params, _adapter = self._test_button(
            carrier, ("POST", "/shop/detail/", reply(status=503, body={"message": "maintenance"}))
        )
        self.assertEqual(params["type"], "warning")
        self.assertIn("could not be reached", params["message"])
        self.assertIn("HTTP 503", params["message"])
        leak = requests.ConnectionError(f"cannot reach https://x.test/?token={SECRET}")
        params, _adapter = self._test_button(carrier, ("POST", "/shop/detail/", leak))
        self.assertEqual(params["type"], "warning")
        self.assertNotIn(SECRET, str(params))

    def test_other_provider_errors_are_shown_as_errors(self):
        carrier = self._carrier("Tapin", "tapin", **CREDENTIALS["tapin"])
        body = {"returns": {"status": 400, "message": "فروشگاه یافت نشد"}, "entries": {}}
        params, _adapter = self._test_button(carrier, ("POST", "/shop/detail/", reply(body=body)))
        self.assertEqual(params["type"], "danger")
        self.assertIn("answered with an error", params["message"])
        self.assertIn("Tapin status 400: فروشگاه یافت نشد", params["message"])
        params, _adapter = self._test_button(
            carrier,
            ("POST", "/shop/detail/", reply("junk.html", headers={"Content-Type": "text/html"})),
        )
        self.assertEqual(params["type"], "warning", "junk is retryable")
        self.assertIn("not valid JSON", params["message"])

    def test_providers_that_make_no_call(self):
        link_only = self._carrier("Link only", "none")
        params, adapter = self._test_button(link_only)
        self.assertEqual((params["type"], adapter.calls), ("info", []))
        push = self._carrier("Pushed", "webhook", ot_webhook_secret=SECRET)
        params, adapter = self._test_button(push)
        self.assertEqual((params["type"], adapter.calls), ("info", []))
        self.assertIn(f"/order-tracking/webhook/webhook/{push.id}", params["message"])
        params, adapter = self._test_button(self.simulated)
        self.assertEqual((params["type"], adapter.calls), ("success", []))

    def test_missing_credentials_are_a_clear_error(self):
        carrier = self._carrier("Tapin without shop", "tapin", ot_tapin_api_key=SECRET)
        with self.answering() as adapter, self.assertRaisesRegex(UserError, "not configured"):
            carrier.action_ot_test_connection()
        self.assertEqual(adapter.calls, [])


@tagged("post_install", "-at_install")
class TestTapinProvider(ConnectionCase):
    def test_provider_fields_are_for_system_administrators_only(self):
        carrier = self._carrier("Tapin", "tapin", **CREDENTIALS["tapin"])
        self.assertIn("tapin", dict(carrier._fields["ot_tracking_provider"].selection))
        self.assertLessEqual(
            {"ot_tapin_api_key", "ot_tapin_shop_id"}, carrier._ot_credential_fields()
        )
        admin_arch = carrier.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ot_tapin_api_key"', admin_arch)
        as_user = carrier.with_user(self.users["stock_user"])
        for name in ("ot_tapin_api_key", "ot_tapin_shop_id"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                as_user.read([name])
        self.assertNotIn("ot_tapin_api_key", as_user.fields_get())
        self.assertEqual(as_user.read(["ot_tracking_provider"])[0]["ot_tracking_provider"], "tapin")

    def test_environment_variables_win(self):
        carrier = self._carrier("Tapin", "tapin", **CREDENTIALS["tapin"])
        env = {"OT_TAPIN_API_KEY": "token-from-env-42", "OT_TAPIN_SHOP_ID": "shop-from-env"}
        with patch.dict(os.environ, env):
            params, adapter = self._test_button(
                carrier, ("POST", "/shop/detail/", reply("tapin_shop.json"))
            )
        request = adapter.calls[0][0]
        self.assertEqual(request.headers["Authorization"], "token-from-env-42")
        self.assertEqual(json.loads(request.body), {"shop_id": "shop-from-env"})
        self.assertNotIn("token-from-env-42", str(params))

    def test_sync_asks_tapin_in_bulk_and_stores_the_statuses(self):
        self._isolate_from_demo()
        carrier = self._carrier("Tapin", "tapin", **CREDENTIALS["tapin"])
        delivered = self._picking(carrier, TAPIN_DELIVERED)
        returned = self._picking(carrier, TAPIN_RETURNED)
        route = ("POST", "/order/post/get-status/bulk/", reply("tapin_status_bulk.json"))
        with self.answering(route) as adapter:
            self._run_cron()
        [(request, _timeout)] = adapter.calls
        sent = json.loads(request.body)
        self.assertEqual(sent["shop_id"], TAPIN_SHOP)
        self.assertEqual({o["id"] for o in sent["orders"]}, {TAPIN_DELIVERED, TAPIN_RETURNED})
        self.assertEqual(delivered.ot_carrier_status, "Delivered")
        self.assertEqual(delivered.ot_event_ids.mapped("raw_text"), ["توزیع شد"])
        self.assertEqual(str(delivered.date_delivered), "2025-05-03 06:37:09")
        self.assertFalse(delivered.ot_next_check_at, "a delivered parcel is not asked again")
        self.assertEqual(returned.ot_carrier_status, "Exception")
        self.assertEqual(returned.ot_carrier_substatus, "Exception_011")
        self.assertTrue(returned.ot_next_check_at)
