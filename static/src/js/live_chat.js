/**
 * Hand the visitor over to Odoo's own live chat (website_livechat) when the bot says an operator
 * takes over. The live chat button lives in its own (open) shadow root, mounted by im_livechat
 * only when the website has a live chat channel; without it there is nothing to open and the
 * bot's ticket path applies.
 */

const BUTTON = ".o-livechat-LivechatButton";

function findLiveChatButton(doc = document) {
    for (const root of doc.querySelectorAll(".o-livechat-root")) {
        const button = (root.shadowRoot || root).querySelector(BUTTON);
        if (button) {
            return button;
        }
    }
    return doc.querySelector(BUTTON);
}

/** Open the live chat window. Resolves to true when there was one to open. */
export function openLiveChat(doc = document) {
    const button = findLiveChatButton(doc);
    if (!button) {
        return false;
    }
    button.click();
    return true;
}
