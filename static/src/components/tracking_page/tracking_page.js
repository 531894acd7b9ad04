/**
 * The full-page tracker at /order-tracking: a direct form (order number or tracking code) as a
 * start, and the same conversation as the floating widget. A carrier tracking link or an email
 * can point here with ?order= or ?code=: the lookup then starts by itself, once.
 */

import { Component, onMounted, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

import { ChatSession, MAX_TEXT_LENGTH, pageLang, textDirection } from "../../js/chat_session";
import { ChatConversation } from "../chat_conversation/chat_conversation";

export class TrackingPage extends Component {
    static template = "order_tracking_chatbot.TrackingPage";
    static components = { ChatConversation };
    static props = {
        lang: { type: String, optional: true },
        prefill: {
            type: Object,
            optional: true,
            shape: { kind: String, value: String },
        },
    };

    setup() {
        this.lang = pageLang(this.props.lang);
        this.dir = textDirection(this.lang);
        this.maxLength = MAX_TEXT_LENGTH;
        this.chat = new ChatSession({ lang: this.lang, channel: "page", env: this.env });
        this.chatState = useState(this.chat.state);
        this.form = useState({ kind: "order" });
        this.valueRef = useRef("value");
        this.conversationRef = useRef("conversation");
        onMounted(() => this.onMounted());
    }

    async onMounted() {
        const prefill = this.props.prefill;
        if (prefill && prefill.value) {
            this.form.kind = prefill.kind === "code" ? "code" : "order";
            this.valueRef.el.value = prefill.value;
            // A reload must not send the lookup again: drop the parameter from the address bar.
            const url = new URL(window.location.href);
            url.searchParams.delete("order");
            url.searchParams.delete("code");
            window.history.replaceState(window.history.state, "", url.href);
            await this.track();
        } else {
            await this.chat.ensureStarted();
        }
    }

    get valueLabel() {
        return this.form.kind === "code" ? _t("Tracking code") : _t("Order number");
    }

    get valuePlaceholder() {
        return this.form.kind === "code" ? _t("e.g. TRK-88392011") : _t("e.g. S00042");
    }

    /** The sentence the visitor "says" in the chat for a direct lookup, in the page language. */
    lookupText(kind, value) {
        return kind === "code"
            ? _t("Track the parcel with tracking code %s", value)
            : _t("Where is my order %s?", value);
    }

    setKind(kind) {
        this.form.kind = kind;
    }

    async track() {
        const input = this.valueRef.el;
        const value = input.value.trim();
        if (!value || this.chatState.busy) {
            return;
        }
        const sent = await this.chat.sendText(String(this.lookupText(this.form.kind, value)));
        if (sent && input.value.trim() === value) {
            input.value = "";
        }
    }

    async onDirectSubmit() {
        await this.track();
        // Continue in the conversation (verification, questions) without hunting for the input.
        this.conversationRef.el?.querySelector(".o_ot_input")?.focus();
    }

    restart() {
        this.chat.reset();
        this.chat.ensureStarted();
    }
}

registry.category("public_components").add("order_tracking_chatbot.TrackingPage", TrackingPage);
