"""One reader and one table of defaults for the numeric settings, one reader for credentials."""

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from ..models.credentials import read_credential
from ..models.settings import PARAM_PREFIX, SETTING_DEFAULTS, read_setting


@tagged("post_install", "-at_install")
class TestSettingsReader(TransactionCase):
    def test_missing_broken_or_non_positive_values_give_the_default(self):
        params = self.env["ir.config_parameter"].sudo()
        for value in (False, "abc", "0", "-3"):
            with self.subTest(value=value):
                params.set_param(PARAM_PREFIX + "otp_daily_cap", value)
                self.assertEqual(read_setting(self.env, "otp_daily_cap"), 5)
        params.set_param(PARAM_PREFIX + "otp_daily_cap", "7")
        self.assertEqual(read_setting(self.env, "otp_daily_cap"), 7)
        params.set_param(PARAM_PREFIX + "sync_request_timeout", "2.5")
        self.assertEqual(read_setting(self.env, "sync_request_timeout"), 2.5)
        self.assertEqual(self.env["order.tracking.sync"]._ot_settings()["request_timeout"], 2.5)

    def test_the_settings_form_defaults_come_from_the_table(self):
        form = self.env["res.config.settings"]
        for name, field in form._fields.items():
            key = (getattr(field, "config_parameter", None) or "").removeprefix(PARAM_PREFIX)
            if field.type == "integer" and key in SETTING_DEFAULTS:
                with self.subTest(field=name):
                    self.assertEqual(form.default_get([name])[name], SETTING_DEFAULTS[key])

    def test_credentials_prefer_the_environment_for_carriers_and_sms(self):
        carrier = self.env["delivery.carrier"].search([], limit=1)
        company = self.env.company
        carrier.sudo().ot_tipax_api_key = "stored-carrier-key"
        company.sudo().ot_sms_api_key = "stored-sms-key"
        self.assertEqual(read_credential(carrier, "ot_tipax_api_key"), "stored-carrier-key")
        self.assertEqual(carrier._ot_credential("ot_tipax_api_key"), "stored-carrier-key")
        self.assertEqual(read_credential(company, "ot_sms_api_key"), "stored-sms-key")
        env = {"OT_TIPAX_API_KEY": "env-carrier-key", "OT_SMS_API_KEY": "env-sms-key"}
        with patch.dict("os.environ", env):
            self.assertEqual(carrier._ot_credential("ot_tipax_api_key"), "env-carrier-key")
            self.assertEqual(read_credential(company, "ot_sms_api_key"), "env-sms-key")
        company.sudo().ot_sms_api_key = False
        self.assertIsNone(read_credential(company, "ot_sms_api_key"))
