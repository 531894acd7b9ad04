"""A notification batch through a gateway: its SMS are sent by the batch itself, so Odoo's SMS
queue cron is not woken once per SMS (a trigger row and a NOTIFY each), and the gateway fields
(company, template kind and parameters) are on each SMS from its creation."""

from odoo.tests import TransactionCase, freeze_time, tagged

from .notifications_common import DAYTIME, NotificationFixtures
from .sms_gateway_support import sms_reply
from .sms_provider_common import API_KEY, MOBILE, SmsProviderMixin


@tagged("post_install", "-at_install")
class TestNotificationBatch(SmsProviderMixin, NotificationFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notifications()
        cls.company.write({"ot_sms_provider": "kavenegar", "ot_sms_api_key": API_KEY})
        cls.customer.phone = MOBILE  # the number the recorded answer echoes
        cls.rules.create(
            [
                {"company_id": cls.company.id, "event": event, "email": False}
                for event in ("confirmed", "handed_to_carrier")
            ]
        )
        cls.sms_cron = cls.env.ref("sms.ir_cron_sms_scheduler_action")

    def _sms_cron_triggers(self):
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.sms_cron.id)])

    def test_batch_sends_its_sms_without_waking_the_queue_cron(self):
        self.replay([("POST", "/sms/send.json", sms_reply("kavenegar_send.json"))])
        picking = self.ship_daytime()
        before = self._sms_cron_triggers()
        sent = self.send_all(DAYTIME)
        self.assertEqual(len(sent), 2, "confirmed and handed over")
        self.assertEqual(set(sent.mapped("state")), {"sent"})
        self.assertEqual(len(self.requests_to("/sms/send.json")), 2)
        self.assertEqual(self._sms_cron_triggers(), before, "nothing left for the queue cron")
        sms = sent.sms_id
        self.assertEqual(set(sms.mapped("state")), {"pending"}, "sent (Odoo's 'Sent')")
        self.assertEqual(sms.ot_company_id, self.company)
        self.assertEqual(
            set(sms.mapped("ot_template_kind")), {"notify_confirmed", "notify_handed_to_carrier"}
        )
        handed = sent.filtered(lambda n: n.event == "handed_to_carrier").sms_id
        self.assertEqual(handed.ot_template_params["code"], picking.carrier_tracking_ref)

    def test_an_sms_created_elsewhere_still_wakes_the_queue_cron(self):
        before = self._sms_cron_triggers()
        with freeze_time(DAYTIME):
            self.env["sms.sms"].create({"number": MOBILE, "body": "Your parcel left Tehran"})
        self.assertEqual(self._sms_cron_triggers(), before + 1)
