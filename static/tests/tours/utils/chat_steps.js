/**
 * Steps the website chat tours share: typing a message, and waiting for the bot's answer to it.
 * Steps wait for the answer to a given visitor message (`<user message> ~ <bot message>`), never
 * for a fixed delay.
 */

/** Type `text` in the conversation input and send it. */
export function say(text, content) {
    return [
        {
            content: content || `type "${text}"`,
            trigger: ".o_ot_conversation:not(.o_ot_busy) .o_ot_input",
            run: `edit ${text}`,
        },
        {
            content: "send it",
            trigger: ".o_ot_send:enabled",
            run: "click",
        },
    ];
}

/** A bot answer (or an order card) that came after the visitor's message containing `text`. */
export function afterUserText(text, what = ".o_ot_msg_bot") {
    return `.o_ot_log .o_ot_msg_user:contains("${text}") ~ ${what}`;
}
