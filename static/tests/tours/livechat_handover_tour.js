/**
 * Hand-over to a person, run by tests/test_livechat_handover.py: the visitor checks an order in
 * the floating widget, asks for a person, and continues in Odoo's own live chat window, which
 * holds the bot's transcript and the summary; the visitor writes there, and the operator's answer
 * (posted by the Python test as the operator once the visitor's line arrived) comes back through
 * the bus.
 *
 * The order number comes in the page URL (`/?order=...`), the last 4 digits of its mobile are the
 * demo's (checked by the Python test).
 */

import { registry } from "@web/core/registry";
import { afterUserText, say } from "@order_tracking_chatbot/../tests/tours/utils/chat_steps";

const LIVECHAT = ".o-livechat-root:shadow";
const VISITOR_LINE = "Hello, are you there?";
const OPERATOR_ANSWER = "I have your order in front of me";

function livechatMessage(text) {
    return `${LIVECHAT} .o-mail-ChatWindow .o-mail-Message:contains("${text}")`;
}

/**
 * The operator (driven by the Python test) comes online: wait until Odoo's public live chat
 * loader of the channel (`?livechat=<id>` in the page URL) says so.
 */
function waitForOperator() {
    return {
        content: "wait until an operator is online",
        trigger: ".o_ot_item_order",
        async run() {
            const channelId = new URLSearchParams(window.location.search).get("livechat");
            for (let attempt = 0; attempt < 100; attempt++) {
                const response = await fetch(`/im_livechat/loader/${channelId}`);
                if ((await response.text()).includes("can_load_livechat: true")) {
                    return;
                }
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
            throw new Error("no operator came online");
        },
    };
}

/**
 * @param {boolean} late the operator comes online only after the page was loaded, so Odoo did not
 *   mount its live chat on it: the widget mounts it for the hand-over.
 */
function handoverSteps(late) {
    const order = new URLSearchParams(window.location.search).get("order") || "";
    return [
        late
            ? {
                  content: "nobody was online when the page was loaded: no live chat on it",
                  trigger: "body:not(:has(.o-livechat-root)) .o_ot_chat_widget",
              }
            : {
                  content: "Odoo's live chat is on the page: an operator is online",
                  trigger: `${LIVECHAT} .o-livechat-LivechatButton`,
              },
        {
            content: "open the order tracking chat",
            trigger: ".o_ot_chat_widget .o_ot_launcher[aria-expanded=false]",
            run: "click",
        },
        ...say(`where is my order ${order}`),
        {
            content: "the bot asks for the last digits of the mobile",
            trigger: afterUserText(order),
        },
        ...say("4567"),
        {
            content: "level 1: the order's stage is shown",
            trigger: afterUserText("4567", ".o_ot_item_order .o_ot_status"),
        },
        ...(late ? [waitForOperator()] : []),
        ...say("I want to speak to someone"),
        {
            content: "the widget steps aside for the live chat window",
            trigger: ".o_ot_chat_widget:not(:has(.o_ot_panel))",
        },
        {
            content: "Odoo's live chat window opened with the bot's transcript",
            trigger: livechatMessage("Conversation with the order tracking chatbot"),
        },
        {
            content: "the transcript holds the visitor's own words",
            trigger: livechatMessage("I want to speak to someone"),
        },
        {
            content: "and the summary names the order",
            trigger: livechatMessage(`Order: ${order}`),
        },
        {
            content: "the visitor writes to the operator",
            trigger: `${LIVECHAT} .o-mail-ChatWindow .o-mail-Composer-input`,
            run: `edit ${VISITOR_LINE}`,
        },
        {
            content: "send it",
            trigger: `${LIVECHAT} .o-mail-ChatWindow .o-mail-Composer-input`,
            run: "press Enter",
        },
        {
            content: "the visitor's line is in the conversation",
            trigger: livechatMessage(VISITOR_LINE),
        },
        {
            content: "the operator's answer reaches the visitor",
            trigger: livechatMessage(OPERATOR_ANSWER),
            timeout: 30000,
        },
    ];
}

registry.category("web_tour.tours").add("order_tracking_livechat_handover", {
    steps: () => handoverSteps(false),
});

registry.category("web_tour.tours").add("order_tracking_livechat_handover_late", {
    steps: () => handoverSteps(true),
});
