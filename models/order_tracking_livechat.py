"""Hand-over of a chat to a person through Odoo's own live chat (``im_livechat``).

When the dialogue policy decides that an operator takes over (``turn.handover``), the chat opens
a live chat conversation -- a ``discuss.channel`` of the website's live chat channel -- the way
``/im_livechat/get_session`` does: an available operator is picked by ``im_livechat.channel``
itself, the visitor joins as a ``mail.guest`` (identified by Odoo's ``dgid`` cookie) or as their
own partner when logged in. Before anyone types, the bot's transcript (masked, exactly as the chat
stored it) and a summary of what the chat established (order, stage, verification level -- never
more than the chat was allowed to show) are posted into it by OdooBot, so the operator starts
with the whole story.

The widget then opens that conversation in Odoo's live chat window (``static/src/js/
live_chat.js``) with the store data returned here: Odoo's own UI, its bus subscription, typing
indicators, rating and transcript download, rather than a second chat UI relaying messages.
"""

import logging

from markupsafe import Markup

from odoo import fields, models
from odoo.http import request

from odoo.addons.mail.tools.discuss import Store

from ..conversation.replies import stage_label

_logger = logging.getLogger(__name__)


class OrderTrackingChatSession(models.Model):
    _inherit = "order.tracking.chat.session"

    livechat_channel_id = fields.Many2one(
        "discuss.channel",
        string="Live Chat Conversation",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The live chat conversation an operator continued this chat in.",
    )

    def _ot_open_livechat(self):
        """Open (or reuse) the live chat conversation of this chat with an available operator.

        Returns what the widget needs to show it in Odoo's live chat window --
        ``{"channelId", "storeData"}`` -- or None when the website has no live chat channel or
        nobody can take the conversation any more (the widget then falls back to Odoo's live
        chat button).
        """
        self.ensure_one()
        guest = self._ot_livechat_guest()
        # The visitor's environment: the website's public user (or the customer logged in), as
        # /im_livechat/get_session runs, with the guest in context so that the channel's
        # members and the store data are computed for them.
        # sudo: discuss.channel - a visitor may open and read their own live chat conversation
        env = self._ot_visitor_env(guest)
        channel = self.livechat_channel_id.with_env(env)
        if not channel or channel.livechat_end_dt:
            channel = self._ot_create_livechat_channel(env, guest)
            if not channel:
                return None
        store = Store()
        if guest:
            # sudo: mail.guest - the visitor's own token, as get_session returns it to them
            store.add_global_values(guest_token=guest.sudo()._format_auth_cookie())
        env["res.users"]._init_store_data(store)
        # isLoaded=False: the window fetches the transcript already posted in the channel.
        store.add(channel, extra_fields={"isLoaded": False, "scrollUnread": False})
        return {"channelId": channel.id, "storeData": store.get_result()}

    def _ot_visitor_env(self, guest):
        """The superuser environment of the visitor: the request's user (the website's public
        user for an anonymous visitor), with ``guest`` in context."""
        user = self.env.user
        if self.env.user._is_superuser():
            # Not a request (a cron, a test): act as the website's anonymous visitor.
            user = self.website_id.user_id or self.env.ref("base.public_user")
        return self.with_user(user).sudo().with_context(guest=guest).env

    def _ot_livechat_guest(self):
        """The ``mail.guest`` of an anonymous visitor: the one in context or in Odoo's guest
        cookie, else a new one whose cookie is set on the response (as get_session does)."""
        Guest = self.env["mail.guest"]
        if not self.env.user._is_public() and not self.env.user._is_superuser():
            return Guest  # a signed-in customer joins as their own partner
        guest = Guest._get_guest_from_context()
        if not guest and request:
            guest = Guest._get_guest_from_token(request.cookies.get(Guest._cookie_name, ""))
        if guest:
            return guest.sudo(False)
        # sudo: mail.guest - visitors have no access rights; get_session creates them the same way
        guest = Guest.sudo().create(
            {
                "name": self.with_context(lang=self.lang).env._("Visitor"),
                "lang": self.lang if self.env["res.lang"]._lang_get(self.lang) else False,
                "timezone": Guest._get_timezone_from_request(request) if request else False,
            }
        )
        if request:
            guest._set_auth_cookie()
        return guest.sudo(False)

    def _ot_create_livechat_channel(self, env, guest):
        """Create the live chat conversation with an available operator and post the hand-over
        messages in it; link it to this chat. Empty recordset when nobody is available."""
        website = self.website_id
        livechat_channel = website.channel_id if website else False
        if not livechat_channel:
            return env["discuss.channel"]
        # (``env`` is sudo) im_livechat.channel - picking an operator reads their presence and
        # load, as get_session does
        livechat_channel = livechat_channel.with_env(env)
        # sudo: mail.guest - the visitor's country, to prefer an operator of that country
        country = guest.sudo().country_id if guest else env["res.country"]
        operator_info = livechat_channel._get_operator_info(lang=self.lang, country_id=country.id)
        if not operator_info["operator_partner"]:
            _logger.info("Chat %s: no operator could take the hand-over", self.id)
            return env["discuss.channel"]
        vals = livechat_channel._get_livechat_discuss_channel_vals(**operator_info)
        vals["livechat_lang_id"] = env["res.lang"]._lang_get(self.lang).id or False
        channel = env["discuss.channel"].with_context(lang=self.lang).create(vals)
        self.livechat_channel_id = channel
        self._ot_post_handover_messages(channel)
        # Shows the conversation to the operator at once (what get_session does).
        channel._broadcast([channel.livechat_operator_id.id])
        _logger.info(
            "Chat %s handed over to live chat conversation %s (operator %s)",
            self.id,
            channel.id,
            channel.livechat_operator_id.id,
        )
        return channel.with_env(env)

    def _ot_post_handover_messages(self, channel):
        """The transcript (masked as stored) and the summary, by OdooBot, in ``channel``."""
        odoobot = self.env.ref("base.partner_root")
        env = self.with_context(lang=self.lang or "fa_IR").env
        transcript = self._ot_transcript_html()
        channel.message_post(
            author_id=odoobot.id,
            body=Markup("<p><b>%s</b></p>%s")
            % (env._("Conversation with the order tracking chatbot"), transcript),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        channel.message_post(
            author_id=odoobot.id,
            body=self._ot_handover_summary_html(),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _ot_handover_summary_html(self):
        """Order, customer stage and verification level the chat established.

        Only what the chat itself showed: the order is the one the chat displayed (set on the
        session once its proof passed), and its stage is said in the words the customer saw.
        """
        self.ensure_one()
        lang = self.lang or "fa_IR"
        env = self.with_context(lang=lang).env
        level = dict(self._fields["level"]._description_selection(env)).get(self.level, "")
        rows = [env._("Chat #%(id)s handed over by the order tracking chatbot.", id=self.id)]
        # sudo: sale.order - only the name and stage the chat itself showed (see above)
        order = self.order_id.sudo()
        if order:
            rows.append(
                env._(
                    "Order: %(order)s - %(stage)s",
                    order=order.name,
                    stage=stage_label(order.ot_customer_stage, lang, order.ot_exception_type),
                )
            )
        else:
            rows.append(env._("Order: none identified in the chat."))
        rows.append(env._("Verification: %(level)s", level=level))
        if self.verified_mobile:
            rows.append(env._("Verified mobile: %(mobile)s", mobile=self.verified_mobile))
        return Markup("<p>%s</p>") % Markup("<br/>").join(rows)

    def _ot_livechat_handover(self):
        """The ``livechat`` object of the API answer of a hand-over turn, or None.

        A failure here must not lose the visitor's turn (already recorded in this transaction):
        it is rolled back to a savepoint and logged, and the widget falls back to Odoo's live
        chat button.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                return self._ot_open_livechat()
        except Exception:  # pylint: disable=broad-except
            _logger.exception("Chat %s: the live chat conversation could not be opened", self.id)
            return None
