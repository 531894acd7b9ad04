/**
 * Browser tours of the website chat, run by tests/test_tours.py against the demo shop and the real
 * chat API (no stub): one per customer flow of the spec.
 *
 * Tours cannot receive Python values, so the order number or tracking code comes in the page URL
 * (`?order=` / `?code=`, the tracker's own prefill feature), and the few demo facts a visitor
 * would know (last digits of their mobile) are written here and checked by the Python test.
 * Steps wait for the bot's answer to a given visitor message (`<user message> ~ <bot message>`),
 * never for a fixed delay.
 */

import { registry } from "@web/core/registry";
import { afterUserText, say } from "@order_tracking_chatbot/../tests/tours/utils/chat_steps";

const tours = registry.category("web_tour.tours");

function afterAction(action, what = ".o_ot_msg_bot") {
    return `.o_ot_log .o_ot_msg_user[data-action="${action}"] ~ ${what}`;
}

const NO_DETAILS = ":not(:has(.o_ot_timeline, .o_ot_verified_badge, .o_ot_address))";

const noError = {
    content: "no error was shown in the conversation",
    trigger: ".o_ot_conversation:not(.o_ot_busy):not(:has(.o_ot_msg_error))",
};

// Flow 1 in Persian: order number (prefilled from ?order=), the last 4 digits of the mobile
// (typed with Persian digits), level 1, "verify with an SMS code", the code from the SMS, level 2.
// The Python test fixes the code by patching the random source of the OTP generator only.
tours.add("order_tracking_otp_fa", {
    steps: () => [
        {
            content: "the tracker is right-to-left and Persian",
            trigger: ".o_ot_tracking_page[dir=rtl][lang=fa-IR]",
        },
        {
            content: "the prefilled order number was sent and the bot asks for a proof first",
            trigger: ".o_ot_log .o_ot_msg_user ~ .o_ot_msg_bot",
        },
        {
            content: "nothing about the order is shown before the check",
            trigger: ".o_ot_log:not(:has(.o_ot_order_card))",
        },
        ...say("۴۵۶۷", "answer with the last 4 digits of the mobile, in Persian digits"),
        {
            content: "level 1: the order card shows the stage",
            trigger: afterUserText("۴۵۶۷", ".o_ot_item_order .o_ot_order_card .o_ot_status"),
        },
        {
            content: "level 1 shows no details and no verified badge",
            trigger: `${afterUserText("۴۵۶۷", ".o_ot_item_order")}${NO_DETAILS}`,
        },
        {
            content: "ask for a one-time code by SMS",
            trigger: ".o_ot_quick_reply[data-action=verify_sms]",
            run: "click",
        },
        {
            content: "the bot says the code was sent",
            trigger: afterAction("verify_sms"),
        },
        ...say("123456", "type the code received by SMS"),
        {
            content: "level 2: the order card carries the verified badge",
            trigger: afterUserText("123456", ".o_ot_item_order .o_ot_verified_badge"),
        },
        {
            content: "level 2: the shipment timeline lists the carrier events",
            trigger: afterUserText("123456", ".o_ot_item_order .o_ot_timeline li:nth-child(3)"),
        },
        {
            content: "the tracking link is a real link opening safely in a new tab",
            trigger: afterUserText(
                "123456",
                '.o_ot_item_order a.o_ot_tracking_link[href^="http"][target=_blank][rel~=noopener]'
            ),
        },
        noError,
    ],
});

// Flow 3 in English: a tracking code (prefilled from ?code=, as a carrier link would do).
tours.add("order_tracking_code_en", {
    steps: () => [
        {
            content: "the tracker is left-to-right English",
            trigger: ".o_ot_tracking_page[dir=ltr][lang=en-US]",
        },
        {
            content: "the direct form switched to 'tracking code'",
            trigger: "#o_ot_kind_code:checked",
        },
        {
            content: "the shipment's stage is shown for the tracking code",
            trigger: ".o_ot_log .o_ot_msg_user ~ .o_ot_item_order .o_ot_order_card .o_ot_status",
        },
        {
            content: "with the carrier's latest event",
            trigger: ".o_ot_log .o_ot_msg_user ~ .o_ot_item_order .o_ot_last_event",
        },
        {
            content: "a tracking code alone never unlocks the details",
            trigger: `.o_ot_log${NO_DETAILS}`,
        },
        noError,
    ],
});

// An exception (delayed parcel) leading to a helpdesk ticket, from the direct form in English.
tours.add("order_tracking_exception_ticket", {
    steps: () => [
        {
            content: "the prefilled order number was sent and the bot asks for a proof",
            trigger: ".o_ot_log .o_ot_msg_user ~ .o_ot_msg_bot",
        },
        ...say("4000", "answer with the last 4 digits of the mobile"),
        {
            content: "the order card shows the delivery problem and what happens next",
            trigger: afterUserText("4000", ".o_ot_item_order .o_ot_exception_label"),
        },
        {
            content: "open a request for the team",
            trigger: ".o_ot_quick_reply[data-action=open_ticket]",
            run: "click",
        },
        {
            content: "the bot confirms the request",
            trigger: afterAction("open_ticket"),
        },
        noError,
    ],
});

const SHIRAZ_QUESTION = "how long does delivery to Shiraz take";
// Typed by a visitor, it must come back as text: no element may be created from it.
const MARKUP_TEXT = '<b>bold</b><img src="x" class="o_ot_injected">';

// Flow 4, before buying, through the floating chat button; with the widget's keyboard, escaping
// and reload behaviour.
tours.add("order_tracking_pre_purchase", {
    steps: () => [
        {
            content: "open the chat with the floating button",
            trigger: ".o_ot_chat_widget .o_ot_launcher[aria-expanded=false]",
            run: "click",
        },
        {
            content: "the dialog is open and the input has the focus",
            trigger: ".o_ot_panel[role=dialog][aria-modal=false] .o_ot_input:focus",
        },
        {
            content: "the bot greets with quick replies",
            trigger: ".o_ot_panel .o_ot_msg_bot .o_ot_quick_reply",
        },
        ...say(SHIRAZ_QUESTION),
        {
            content: "the bot answers with the delivery time to Shiraz",
            trigger: afterUserText(SHIRAZ_QUESTION, '.o_ot_msg_bot:contains("Shiraz")'),
        },
        ...say(MARKUP_TEXT, "type some markup"),
        {
            content: "the markup is shown as text and the bot answered it",
            trigger: afterUserText("<b>bold</b>", ".o_ot_msg_bot"),
        },
        {
            content: "no element was created from the typed markup",
            trigger: ".o_ot_log:not(:has(b, img, .o_ot_injected))",
        },
        noError,
        {
            content: "reload the page",
            trigger: ".o_ot_panel",
            run: () => window.location.reload(),
            expectUnloadPage: true,
        },
        {
            content: "the conversation is still there after the reload, in an open dialog",
            trigger: `.o_ot_panel ${afterUserText(SHIRAZ_QUESTION, '.o_ot_msg_bot:contains("Shiraz")')}`,
        },
        {
            content: "go back to the input",
            trigger: ".o_ot_panel .o_ot_input",
            run: "click",
        },
        {
            content: "Escape closes the dialog",
            trigger: ".o_ot_panel .o_ot_input:focus",
            run: "press Escape",
        },
        {
            content: "the focus is back on the chat button",
            trigger:
                ".o_ot_chat_widget:not(:has(.o_ot_panel)) .o_ot_launcher[aria-expanded=false]:focus",
        },
    ],
});
