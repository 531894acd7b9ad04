/**
 * Hand the visitor over to Odoo's own live chat (website_livechat) when the bot says an operator
 * takes over.
 *
 * The server already opened the live chat conversation with an operator and posted the bot's
 * transcript and a summary in it (models/order_tracking_livechat.py); its answer carries
 * `livechat: {channelId, storeData}`, the same store data `/im_livechat/get_session` returns.
 * The conversation is shown in Odoo's own live chat window rather than relayed through this
 * widget: Odoo's window already does everything a live chat needs (bus subscription of the guest
 * through the `guest_token` in the store data, typing, attachments, rating, transcript
 * download, restoring the open window on the next page through the chat hub), so reusing it is
 * more reliable than a second implementation of the same protocol.
 *
 * When the server could not open the conversation, the old path stays: click the live chat
 * button, so the visitor still reaches a person (without the history).
 */

import { livechatBootService } from "@im_livechat/embed/frontend/boot_service";
import { session } from "@web/session";

const BUTTON = ".o-livechat-LivechatButton";
const ROOT = ".o-livechat-root";

function findLiveChatButton(doc = document) {
    for (const root of doc.querySelectorAll(ROOT)) {
        const button = (root.shadowRoot || root).querySelector(BUTTON);
        if (button) {
            return button;
        }
    }
    return doc.querySelector(BUTTON);
}

/**
 * Odoo mounts its live chat (in a shadow root) only when an operator was available when the page
 * was rendered. One may have come online since (the server just found one): mount it now with
 * Odoo's own boot service, as the page load would have.
 */
function ensureLiveChatMounted(env, doc = document) {
    if (doc.querySelector(ROOT)) {
        return;
    }
    session.livechatData = { ...(session.livechatData || {}), can_load_livechat: true };
    livechatBootService.start(env);
}

/** Whether `livechat` is a conversation the server opened for this visitor. */
function isConversation(livechat) {
    return Boolean(
        livechat &&
            Number.isInteger(livechat.channelId) &&
            livechat.channelId > 0 &&
            livechat.storeData &&
            typeof livechat.storeData === "object"
    );
}

/**
 * Show the live chat conversation `livechat` ({channelId, storeData}) in Odoo's live chat window,
 * or, without one, open the live chat window with its button. Resolves to true when a live chat
 * window was opened.
 *
 * @param {Object|null} livechat what the chat API answered with the hand-over
 * @param {Object} [env] the OWL environment of the page (its `mail.store` service)
 */
export async function openLiveChat(livechat, env, doc = document) {
    const store = env?.services?.["mail.store"];
    if (isConversation(livechat) && store) {
        ensureLiveChatMounted(env, doc);
        store.insert(livechat.storeData);
        const thread = store.Thread.get({ id: livechat.channelId, model: "discuss.channel" });
        if (thread) {
            await thread.openChatWindow({ focus: true });
            return true;
        }
    }
    const button = findLiveChatButton(doc);
    if (!button) {
        return false;
    }
    button.click();
    return true;
}
