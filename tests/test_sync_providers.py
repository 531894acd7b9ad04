"""Tracking providers on carriers: dispatch by name, credentials kept on the server."""

import logging
import os
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..bench.fake_carrier import FakeCarrierServer
from ..carriers import registry
from .test_sync_support import SECRET, SyncCase

CREDENTIALS = {
    "aftership": {"ot_aftership_api_key": SECRET, "ot_aftership_webhook_secret": SECRET + "w"},
    "tipax": {
        "ot_tipax_username": "shop",
        "ot_tipax_password": SECRET,
        "ot_tipax_api_key": SECRET + "k",
    },
    "chapar": {"ot_chapar_username": "shop", "ot_chapar_password": SECRET},
    "postex": {"ot_postex_api_key": SECRET},
    "tapin": {"ot_tapin_api_key": SECRET, "ot_tapin_shop_id": "shop-uuid-1"},
    "webhook": {"ot_webhook_secret": SECRET},
    "simulated": {},
}


@tagged("post_install", "-at_install")
class TestSyncProviders(SyncCase):
    def test_every_provider_builds_its_client_by_name(self):
        providers = {
            value
            for value, _label in self.env["delivery.carrier"]
            ._fields["ot_tracking_provider"]
            .selection
        }
        self.assertEqual(providers - {"none"}, set(CREDENTIALS), "a test for every provider")
        for provider, credentials in CREDENTIALS.items():
            with self.subTest(provider=provider):
                carrier = self._carrier(f"Carrier {provider}", provider, **credentials)
                client = carrier._ot_tracking_client()
                self.assertIsInstance(client, registry.get_client_class(provider))
        self.assertIsNone(self._carrier("Link only", "none")._ot_tracking_client())

    def test_simulated_delivery_type_tracks_with_the_simulated_provider(self):
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "Simulated shipping",
                "delivery_type": "ot_simulated",
                "product_id": self.shipping_product.id,
            }
        )
        self.assertEqual(carrier.ot_tracking_provider, "simulated")
        fixed = self._carrier("Fixed", "tipax")
        self.assertEqual(fixed.delivery_type, "fixed", "pricing and tracking are separate")
        self.assertEqual(fixed.ot_tracking_provider, "tipax")

    def test_environment_variable_wins_over_the_stored_credential(self):
        carrier = self._carrier("Tipax", "tipax", **CREDENTIALS["tipax"])
        with patch.dict(os.environ, {"OT_TIPAX_PASSWORD": "from-the-environment"}):
            client = carrier._ot_tracking_client()
        self.assertEqual(client._credentials["password"], "from-the-environment")
        self.assertEqual(carrier._ot_tracking_client()._credentials["password"], SECRET)

    def test_missing_credentials_are_a_clear_error(self):
        carrier = self._carrier("Tipax without account", "tipax")
        with self.assertRaisesRegex(UserError, "not configured"):
            carrier._ot_tracking_client()

    def test_credentials_are_not_readable_without_the_system_group(self):
        carrier = self._carrier("Post-ex", "postex", **CREDENTIALS["postex"])
        secret_fields = carrier._ot_credential_fields()
        self.assertIn("ot_postex_api_key", secret_fields)
        self.assertIn("ot_tipax_password", secret_fields)
        for role in ("stock_user", "salesman"):
            with self.subTest(role=role):
                as_user = carrier.with_user(self.users[role])
                values = as_user.read()[0]
                self.assertFalse(secret_fields & set(values))
                self.assertNotIn(SECRET, str(values))
                with self.assertRaises(AccessError):
                    as_user.read(["ot_postex_api_key"])
                arch = as_user.get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertNotIn("ot_postex_api_key", arch)
        admin_arch = carrier.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ot_postex_api_key"', admin_arch)

    def test_credentials_never_reach_logs_or_errors(self):
        with FakeCarrierServer(delay=0.0) as server:
            carrier = self._postex_carrier(server.url)
            self._isolate_from_demo()
            picking = self._picking(carrier, "E500-LEAK")
            with self.assertLogs("odoo.addons.order_tracking_chatbot", logging.DEBUG) as logs:
                logging.getLogger("odoo.addons.order_tracking_chatbot").debug("capture start")
                self._run_cron()
                notification = carrier.action_ot_test_connection()
        self.assertIn("HTTP 500", picking.ot_last_check_error)
        self.assertNotIn(SECRET, picking.ot_last_check_error)
        self.assertNotIn(SECRET, "\n".join(logs.output))
        self.assertNotIn(SECRET, str(notification))

    def test_connection_test_tells_a_refused_key_from_a_working_one(self):
        with FakeCarrierServer(delay=0.0, api_key=SECRET) as server:
            good = self._postex_carrier(server.url)
            bad = self._postex_carrier(server.url, name="Wrong key")
            bad.ot_postex_api_key = "wrong-key-123"
            ok = good.action_ot_test_connection()["params"]
            refused = bad.action_ot_test_connection()["params"]
        self.assertEqual(ok["type"], "success")
        self.assertEqual(refused["type"], "danger")
        self.assertNotIn("wrong-key-123", str(refused))

    def test_new_credentials_reschedule_stopped_shipments(self):
        self._isolate_from_demo()
        carrier = self._carrier("Post-ex", "postex", **CREDENTIALS["postex"])
        stopped = self._picking(carrier, "STOPPED-1", next_check=False)
        stopped.write({"ot_check_failures": 1, "ot_last_check_error": "Tracking stopped: 401"})
        carrier.ot_postex_api_key = "a-new-key-456"
        self.assertTrue(stopped.ot_next_check_at)
        self.assertFalse(stopped.ot_last_check_error)
        self.assertEqual(stopped.ot_check_failures, 0)
