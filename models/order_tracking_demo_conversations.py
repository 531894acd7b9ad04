"""Demo data: a few hundred chat turns with the bot, run through the real engine, and the FAQ page
mined from them. Loaded only into databases created with demo data
(demo/order_tracking_conversations_demo.xml), after the demo shop and its lead times.

Every turn goes through the two methods the public chat API calls (``_ot_api_start`` and
``_ot_api_post``), so intents, answers, outcomes, CSAT, tickets and response times are the
engine's own, as if visitors had typed the scripts below on the widget, the tracking page or the
API. Only the clock is moved afterwards: the conversations are spread over the last four weeks so
the reports have a trend to show.

Rate limits stay on. Each scripted visitor comes from an IP of its own (the benchmarking range
198.18.0.0/15, never a real visitor's), and an order is looked up by fewer conversations than the
per-order limit allows. The rate-limit rows the generator leaves are deleted at the end: they
count the generator's own traffic, and would otherwise hold real visitors of the demo (and the
tests) back for an hour.
"""

import logging
import time
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from .settings import read_setting

_logger = logging.getLogger(__name__)

EN = "en_US"
FA = "fa_IR"
CHANNELS = ("widget", "page", "api")
DAYS_SPREAD = 28
# Order tags the tracking scripts look up (see order_tracking_demo.py).
TRACKED_TAGS = (
    "IN-TRANSIT",
    "HANDED-OVER",
    "DELIVERED",
    "DELAYED",
    "PREPARING",
    "CONFIRMED",
    "RETURNED",
    "LOST",
    "ADDRESS-ISSUE",
    "AWAITING-PAYMENT",
    "CANCELLED",
    "SIM-DELAYED",
    "SIM-RETURNED",
    "SIM-ADDRESS",
    "SIM-LOST",
)

# (language, times, turns). A turn is a text, or "!action" for a button press. Placeholders:
# {ref} an order number, {last4} the last 4 digits of its customer's mobile, {code} a tracking
# code of a shipped order, {contact} a mobile the visitor leaves for a callback (no customer's).
# The wordings are those of /work/shared-style customer questions: colloquial, mixed spellings.
SCRIPTS = [
    # -- where is my order, level 1, thanks and a CSAT score --
    (EN, 6, ["where is my order {ref}", "{last4}", "thanks", "!csat:5"]),
    (EN, 3, ["any update on {ref}?", "{last4}", "thanks", "!csat:4"]),
    (FA, 8, ["سفارش {ref} کی به دستم میرسه", "{last4}", "مرسی، لطف کردین", "!csat:5"]),
    (FA, 5, ["بسته من کجاست؟ شماره سفارش {ref}", "{last4}", "ممنون", "!csat:4"]),
    (FA, 3, ["یه هفته‌ست منتظرم {ref}", "{last4}", "خداحافظ", "!csat:2"]),
    (EN, 2, ["!intent:track_order", "{ref}", "{last4}"]),
    (FA, 3, ["!intent:track_order", "{ref}", "{last4}", "ممنون"]),
    # -- tracking codes --
    (EN, 3, ["can you track {code} for me", "thanks", "!csat:5"]),
    (FA, 4, ["کد رهگیری پستی {code}", "ممنون", "!csat:5"]),
    (FA, 4, ["کد رهگیری برام پیامک نشد", "{ref}", "{last4}"]),
    (EN, 3, ["I didn't get a tracking code"]),
    # -- no update, delays --
    (FA, 4, ["چرا وضعیت سفارشم تغییر نکرده؟", "{ref}", "{last4}"]),
    (EN, 2, ["why is there no update on my parcel?", "{ref}", "{last4}"]),
    (FA, 3, ["چرا اینقدر طول کشیده؟ قرار بود سه روزه برسه", "{ref}", "{last4}", "مرسی", "!csat:2"]),
    (EN, 2, ["my order is late", "{ref}", "{last4}", "bye", "!csat:1"]),
    # -- before buying --
    (FA, 9, ["به شیراز ارسال دارین؟", "ممنون", "!csat:5"]),
    (FA, 7, ["هزینه پست پیشتاز به اصفهان", "مرسی"]),
    (FA, 9, ["ارسال به مشهد چند روز طول میکشه؟", "ممنون", "!csat:4"]),
    (FA, 5, ["با چه روشی ارسال می‌کنید؟", "پیک موتوری برای تهران هست؟"]),
    (FA, 4, ["ارسال رایگان دارید؟"]),
    (EN, 7, ["how long does delivery to Tehran take", "thanks", "!csat:5"]),
    (EN, 4, ["how much is shipping to Tabriz?", "and to Shiraz?"]),
    (EN, 4, ["do you ship to Ahvaz?", "thanks", "!csat:4"]),
    (EN, 3, ["which shipping methods do you offer?"]),
    (FA, 4, ["!intent:pre_purchase_coverage", "تهران", "ممنون"]),
    # -- payment and invoice --
    (FA, 3, ["پول از حسابم رفته ولی سفارش ثبت نشده"]),
    (EN, 2, ["I paid but the order says unpaid"]),
    (FA, 2, ["فاکتور رسمی میخوام"]),
    (EN, 1, ["I need an invoice"]),
    # -- people and sensitive requests: a ticket with a callback number --
    (FA, 4, ["میشه با یه کارشناس حرف بزنم", "{contact}", "ممنون", "!csat:3"]),
    (EN, 3, ["I want to speak to someone", "{contact}"]),
    (FA, 3, ["آدرس رو اشتباه زدم، پلاک عوض شده", "{contact}"]),
    (EN, 2, ["change my address please", "{contact}", "thanks", "!csat:4"]),
    (FA, 2, ["کالا آسیب دیده رسیده میخوام پس بدم", "{contact}"]),
    (FA, 2, ["سفارش رو نمیخوام دیگه، کنسلش کنید", "{contact}"]),
    # -- a visitor who starts and leaves, and one the bot doesn't follow --
    (FA, 3, ["سلام"]),
    (EN, 2, ["hello", "🙏"]),
]


class OrderTrackingDemo(models.AbstractModel):
    _inherit = "order.tracking.demo"

    @api.model
    def _ot_load_demo_conversations(self):
        """Run :data:`SCRIPTS` through the chat engine, spread them over four weeks, and mine
        the FAQ from them with every entry published (idempotent: once per database)."""
        sessions = self.env["order.tracking.chat.session"]
        first_ip = self.env["order.tracking.rate.limit"]._ot_hash("ip", self._ot_demo_ip(0))
        if sessions.search_count([("ip_hash", "=", first_ip)], limit=1):
            return
        orders = self._ot_demo_tracked_orders()
        if not orders:
            return
        started = time.perf_counter()
        # sudo: order.tracking.chat.session - exactly how the public chat API calls the engine.
        session_model = sessions.sudo()
        per_target = max(read_setting(self.env, "chat_target_sessions") - 1, 1)
        counters = {"ip": 0, "contact": 0, "turns": 0}
        used = dict.fromkeys(orders.ids, 0)
        created = sessions
        for lang, times, turns in SCRIPTS:
            for _repeat in range(times):
                needs_order = any("{ref}" in t or "{code}" in t for t in turns)
                order = self._ot_demo_pick_order(orders, used, per_target, turns)
                if needs_order and not order:
                    continue
                if order:
                    used[order.id] += 1
                created |= self._ot_demo_converse(session_model, lang, turns, order, counters)
        self._ot_demo_spread(created)
        self._ot_demo_forget_rate_limits(created)
        sessions._ot_chat_cleanup()
        faq = self.env["order.tracking.faq"]
        faq._ot_refresh_from_conversations()
        faq.search([("source", "=", "mined")]).write({"is_published": True})
        _logger.info(
            "Demo conversations: %s chats, %s turns in %.1f s",
            len(created),
            counters["turns"],
            time.perf_counter() - started,
        )

    @api.model
    def _ot_demo_tracked_orders(self):
        orders = self.env["sale.order"].search(
            [("client_order_ref", "in", [f"DEMO-{tag}" for tag in TRACKED_TAGS])], order="id"
        )
        return orders.filtered(lambda order: order.partner_id.phone)

    @api.model
    def _ot_demo_pick_order(self, orders, used, per_target, turns):
        """The least looked-up order that can serve ``turns`` (a tracking code needs a shipped
        order), or an empty recordset once every order reached ``per_target`` lookups."""
        if "{code}" in " ".join(turns):
            orders = orders.filtered(lambda o: o.ot_main_picking_id.carrier_tracking_ref)
        candidates = [order for order in orders if used[order.id] < per_target]
        if not candidates:
            return orders.browse()
        return min(candidates, key=lambda order: (used[order.id], order.id))

    @api.model
    def _ot_demo_converse(self, session_model, lang, turns, order, counters):
        """One scripted visitor: start a chat on the next channel and IP, post ``turns``."""
        index = counters["ip"]
        counters["ip"] += 1
        ip = self._ot_demo_ip(index)
        channel = CHANNELS[index % len(CHANNELS)]
        body = session_model._ot_api_start(lang, channel, ip)
        token = body.get("session")
        if not token:
            _logger.warning("Demo conversation not started: %s", body.get("error"))
            return session_model.browse()
        values = self._ot_demo_values(order, counters)
        for turn in turns:
            if turn.startswith("!"):
                payload = {"action": turn[1:]}
            else:
                payload = {"text": turn.format(**values)}
            status, answer = session_model._ot_api_post(token, payload, ip)
            counters["turns"] += 1
            if status != 200:
                _logger.warning("Demo conversation stopped: %s", answer.get("error"))
                break
        return session_model._ot_find_session(token)

    @api.model
    def _ot_demo_ip(self, index):
        return f"198.18.{index // 250}.{index % 250 + 1}"

    @api.model
    def _ot_demo_values(self, order, counters):
        counters["contact"] += 1
        values = dict.fromkeys(("ref", "last4", "code"), "")
        values["contact"] = f"0912000{counters['contact']:04d}"
        if order:
            values.update(
                ref=order.name,
                last4=order.partner_id.phone[-4:],
                code=order.ot_main_picking_id.carrier_tracking_ref or "",
            )
        return values

    @api.model
    def _ot_demo_spread(self, sessions):
        """Move each generated chat (and its messages) to a day of the last four weeks, at a
        daytime hour, keeping the order of its messages and its real durations."""
        if not sessions:
            return
        sessions.flush_model()
        self.env["order.tracking.chat.message"].flush_model()
        shifts = {
            session.id: timedelta(
                days=(index * 7) % DAYS_SPREAD + 1,
                hours=(index * 5) % 9,
                minutes=(index * 13) % 60,
            )
            for index, session in enumerate(sessions.sorted("id"))
        }
        values = SQL(", ").join(
            SQL("(%s, %s::interval)", session_id, f"{shift.total_seconds()} seconds")
            for session_id, shift in shifts.items()
        )
        for table, key in (
            ("order_tracking_chat_session", "id"),
            ("order_tracking_chat_message", "session_id"),
        ):
            columns = (
                ["create_date", "write_date", "last_activity_at"]
                if table == "order_tracking_chat_session"
                else ["create_date", "write_date"]
            )
            assignments = SQL(", ").join(
                SQL("%s = t.%s - shift.delta", SQL.identifier(c), SQL.identifier(c))
                for c in columns
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE %s t SET %s FROM (VALUES %s) AS shift(session_id, delta) "
                    "WHERE t.%s = shift.session_id",
                    SQL.identifier(table),
                    assignments,
                    values,
                    SQL.identifier(key),
                )
            )
        sessions.invalidate_model()
        self.env["order.tracking.chat.message"].invalidate_model()

    @api.model
    def _ot_demo_forget_rate_limits(self, sessions):
        """Delete the rate-limit rows of the generator's own visitors (see the module doc)."""
        if not sessions:
            return
        ip_hashes = list(set(sessions.mapped("ip_hash")))
        self.env["order.tracking.rate.limit"].flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM order_tracking_rate_limit WHERE session_id IN %s OR ip_hash IN %s",
                tuple(sessions.ids),
                tuple(ip_hashes),
            )
        )
