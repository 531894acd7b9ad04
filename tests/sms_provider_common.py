"""Shared set-up of the SMS provider tests: a company on Kavenegar, HTTP replayed, no network.

The gateway client gets its ``requests`` session from ``res.company._ot_sms_http_session``;
the tests hand it a ``FixtureAdapter`` session, so every request is answered from
``tests/data/sms`` and recorded for assertions.
"""

from unittest.mock import patch
from urllib.parse import parse_qs

from odoo.tests import TransactionCase
from odoo.tests.common import _super_send

from .sms_gateway_support import FixtureAdapter, session_with

API_KEY = "kaveh-9D8C7B6A5F-api-key"
MOBILE = "+989121234567"


def form_of(request):
    return {k: v[0] for k, v in parse_qs(request.body).items()}


class SmsProviderMixin:
    """Mixed into a TransactionCase or an HttpCase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "ot_sms_provider": "kavenegar",
                "ot_sms_api_key": API_KEY,
                "ot_sms_sender": "10004346",
                "ot_sms_template_otp": False,
            }
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test guard refuses non-local URLs; the replaying session never leaves the
        # process, so it is let through to its FixtureAdapter (other sessions stay blocked).
        if getattr(s, "ot_replay", False):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def replay(self, routes):
        """Answer the gateway's requests from ``routes`` for the rest of the test."""
        self.adapter = FixtureAdapter(routes)
        session = session_with(self.adapter)
        session.ot_replay = True
        patcher = patch.object(
            self.registry["res.company"], "_ot_sms_http_session", lambda _company: session
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        return self.adapter

    def requests_to(self, suffix):
        return [r for r, _t in self.adapter.calls if r.url.split("?")[0].endswith(suffix)]

    def run_dlr_cron(self, **kwargs):
        """The delivery-report cron with its commits recorded instead of made (tests may not
        commit)."""
        calls = []

        def fake_commit_progress(_self, processed=0, *, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return 3600.0

        with patch.object(self.registry["ir.cron"], "_commit_progress", fake_commit_progress):
            self.env["sms.tracker"]._cron_ot_sms_delivery_reports(**kwargs)
        return calls


class SmsProviderCase(SmsProviderMixin, TransactionCase):
    pass
