/**
 * The floating chat button shown on every website page (when enabled in Settings), opening the
 * conversation in a non-modal dialog: full-screen on phones, a panel in the corner elsewhere.
 */

import { Component, onMounted, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

import { ChatSession, pageLang, textDirection } from "../../js/chat_session";
import { ChatConversation } from "../chat_conversation/chat_conversation";

export class ChatWidget extends Component {
    static template = "order_tracking_chatbot.ChatWidget";
    static components = { ChatConversation };
    static props = {
        lang: { type: String, optional: true },
    };

    setup() {
        this.lang = pageLang(this.props.lang);
        this.dir = textDirection(this.lang);
        this.chat = new ChatSession({
            lang: this.lang,
            channel: "widget",
            // The live chat opens its own window in the same corner: make room for it.
            onHandover: () => this.chat.setOpen(false),
            env: this.env,
        });
        this.chatState = useState(this.chat.state);
        this.launcherRef = useRef("launcher");
        this.conversationRef = useRef("conversation");
        this.launcherLabel = _t("Order tracking chat: where is my order?");
        this.focusOnOpen = false;
        // Focus can only move into the dialog once it is rendered: do it after the patch.
        useEffect(
            (open) => {
                if (open && this.focusOnOpen) {
                    this.focusOnOpen = false;
                    this.focusInput();
                }
            },
            () => [this.chatState.open]
        );
        onMounted(() => {
            // The panel was open before a reload or a click to another page: keep it open, but
            // do not steal the focus from the page the visitor just arrived on.
            if (this.chatState.open) {
                this.chat.ensureStarted();
            }
        });
    }

    get panelId() {
        return "o_ot_chat_panel";
    }

    get faqUrl() {
        // Without a language prefix: the website sends the visitor to the FAQ in the language
        // they browse in (its frontend_lang cookie), as for any unprefixed link.
        return "/order-tracking/faq";
    }

    async open() {
        this.focusOnOpen = true;
        this.chat.setOpen(true);
        await this.chat.ensureStarted();
    }

    close() {
        this.chat.setOpen(false);
        this.launcherRef.el?.focus();
    }

    toggle() {
        if (this.chatState.open) {
            this.close();
        } else {
            this.open();
        }
    }

    focusInput() {
        this.conversationRef.el?.querySelector(".o_ot_input")?.focus();
    }

    onKeydown(ev) {
        if (ev.key === "Escape") {
            ev.stopPropagation();
            this.close();
        }
    }

    restart() {
        this.chat.reset();
        this.chat.ensureStarted();
        this.focusInput();
    }
}

registry.category("public_components").add("order_tracking_chatbot.ChatWidget", ChatWidget);
