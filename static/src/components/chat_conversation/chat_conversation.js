/**
 * The conversation itself: transcript (bot and visitor bubbles, order cards), quick replies and
 * the message input. Used inside the floating widget's dialog and on the /order-tracking page.
 */

import { Component, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

import { MAX_TEXT_LENGTH } from "../../js/chat_session";
import { OrderCard } from "../order_card/order_card";

let nextUid = 1;

export class ChatConversation extends Component {
    static template = "order_tracking_chatbot.ChatConversation";
    static components = { OrderCard };
    static props = {
        chat: Object, // a ChatSession
        placeholder: { type: String, optional: true },
    };

    setup() {
        this.uid = `o_ot_conversation_${nextUid++}`;
        this.maxLength = MAX_TEXT_LENGTH;
        this.chatState = useState(this.props.chat.state);
        this.logRef = useRef("log");
        this.inputRef = useRef("input");
        // Keep the newest message in view, as any chat does.
        useEffect(
            () => {
                const log = this.logRef.el;
                if (log) {
                    log.scrollTop = log.scrollHeight;
                }
            },
            () => [this.chatState.items.length, this.chatState.busy]
        );
    }

    get inputPlaceholder() {
        return this.props.placeholder || _t("Type your order number or your question…");
    }

    speakerLabel(item) {
        return item.kind === "user" ? _t("You said:") : _t("Assistant:");
    }

    showButtons(item) {
        return item.buttons.length > 0 && this.props.chat.isActiveItem(item);
    }

    focusInput() {
        this.inputRef.el?.focus();
    }

    async onSubmit() {
        // The input is left uncontrolled: what counts is what the visitor sees in it.
        const input = this.inputRef.el;
        const text = input.value;
        if (!text.trim() || this.chatState.busy) {
            return;
        }
        input.value = "";
        const sent = await this.props.chat.sendText(text);
        if (!sent && !input.value) {
            // Not delivered (network, rate limit): give the text back so nothing is lost.
            input.value = text;
        }
        this.focusInput();
    }

    async onQuickReply(button) {
        await this.props.chat.sendAction(button);
        this.focusInput();
    }
}
