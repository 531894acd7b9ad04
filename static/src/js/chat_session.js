/**
 * One visitor's conversation with the chatbot, shared by the floating widget and the full-page
 * tracker: the opaque session token, the rendered transcript and the verification level.
 *
 * It is kept in sessionStorage (one browser tab), so a reload or a click to another page of the
 * shop keeps the conversation, while closing the tab forgets it: the token gives access to what
 * was disclosed in the chat, so it must not outlive the tab in localStorage or a cookie.
 */

import { reactive } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

import {
    ChatApiError,
    createSession,
    normalizeButtons,
    normalizeOrder,
    normalizeSecurity,
    sendMessage,
} from "./chat_api";
import { openLiveChat } from "./live_chat";

export const STORAGE_KEY = "order_tracking_chatbot.chat";
const STORAGE_VERSION = 1;
// The transcript is for the visitor's eyes; a long chat keeps its most recent part.
const MAX_ITEMS = 100;
// The server refuses long texts; the input stops the visitor before that.
export const MAX_TEXT_LENGTH = 1000;
const ITEM_KINDS = new Set(["bot", "user", "error", "notice", "order"]);

/** The API knows two languages: Persian for any `fa*` page, English otherwise. */
export function apiLang(lang) {
    return /^fa/i.test(lang || "") ? "fa_IR" : "en_US";
}

/** Language of the page: the server's prop, else the `<html lang>` the website sets. */
export function pageLang(propLang) {
    return apiLang(propLang || document.documentElement.getAttribute("lang") || "");
}

export function textDirection(lang) {
    return apiLang(lang) === "fa_IR" ? "rtl" : "ltr";
}

/**
 * Only http(s) links (absolute or relative to the shop) are rendered as links: a carrier URL
 * comes from configuration and carrier APIs, and a `javascript:` URL must never become clickable.
 */
export function safeUrl(url) {
    if (!url) {
        return "";
    }
    try {
        const parsed = new URL(url, window.location.origin);
        return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "";
    } catch {
        return "";
    }
}

function defaultStorage() {
    try {
        return window.sessionStorage;
    } catch {
        // Storage disabled by the browser: the chat works, it just does not survive a reload.
        return null;
    }
}

export class ChatSession {
    /**
     * @param {Object} options
     * @param {string} options.lang page language ("fa_IR", "fa-IR", "en_US", ...)
     * @param {string} [options.channel] "widget" or "page": where the conversation started
     * @param {Storage|null} [options.storage] defaults to window.sessionStorage
     * @param {Object} [options.api] {createSession, sendMessage}, replaceable in tests
     * @param {Function} [options.onHandover] called when the live chat window was opened
     * @param {Object} [options.env] the OWL environment: Odoo's live chat window opens in it
     */
    constructor({ lang, channel, storage, api, onHandover, env } = {}) {
        this.lang = apiLang(lang);
        this.channel = channel || "widget";
        this.onHandover = onHandover;
        this.env = env;
        this.storage = storage === undefined ? defaultStorage() : storage;
        this.api = api || { createSession, sendMessage };
        this.nextId = 1;
        this.starting = null;
        this.storedLang = null;
        this.state = reactive({
            token: "",
            items: [],
            turn: 0,
            busy: false,
            open: false,
            security: { verified: false, level: 1, method: null },
        });
        this.restore();
    }

    get hasConversation() {
        return Boolean(this.state.token) || this.state.items.length > 0;
    }

    /** Quick replies are offered only under the latest answer, never on older turns. */
    isActiveItem(item) {
        return item.kind === "bot" && item.turn === this.state.turn && !this.state.busy;
    }

    setOpen(open) {
        this.state.open = Boolean(open);
        this.save();
    }

    /** Open a server session (welcome messages) unless one exists. Resolves to true on success. */
    async ensureStarted() {
        if (this.state.token) {
            await this.syncLanguage();
            return true;
        }
        if (!this.starting) {
            this.starting = this.start().finally(() => {
                this.starting = null;
            });
        }
        return this.starting;
    }

    /**
     * The visitor switched the website's language since the conversation began (the transcript
     * came from sessionStorage): ask the bot to continue in the page's language.
     */
    async syncLanguage() {
        if (!this.storedLang || this.storedLang === this.lang || this.state.busy) {
            return;
        }
        this.storedLang = this.lang;
        await this.send({ action: `lang:${this.lang}`, lang: this.lang });
    }

    async start() {
        this.state.busy = true;
        try {
            await this.openSession();
            return true;
        } catch (error) {
            this.pushError(error);
            return false;
        } finally {
            this.state.busy = false;
            this.save();
        }
    }

    async openSession() {
        const { session, messages } = await this.api.createSession(this.lang, this.channel);
        this.state.token = session;
        this.storedLang = this.lang;
        this.state.turn += 1;
        this.pushBotMessages(messages);
    }

    /** Send what the visitor typed. Resolves to true when the server answered. */
    async sendText(text) {
        const clean = (text || "").trim().slice(0, MAX_TEXT_LENGTH);
        if (!clean || this.state.busy || !(await this.ensureStarted())) {
            return false;
        }
        this.push({ kind: "user", text: clean });
        return this.send({ text: clean, lang: this.lang });
    }

    /** Send a quick reply: the visitor sees its label as their own message. */
    async sendAction(button) {
        if (this.state.busy || !(await this.ensureStarted())) {
            return false;
        }
        this.push({ kind: "user", text: button.label, action: button.action });
        return this.send({ action: button.action, lang: this.lang });
    }

    async send(payload) {
        // A new turn hides the quick replies of the previous one (they were answered).
        this.state.turn += 1;
        this.state.busy = true;
        this.save();
        try {
            let reply;
            try {
                reply = await this.api.sendMessage(this.state.token, payload);
            } catch (error) {
                if (!(error instanceof ChatApiError) || error.kind !== "session") {
                    throw error;
                }
                // The server forgot the session (expired, or the database was reset): start
                // over transparently, and replay a typed message; a button of the old
                // conversation means nothing in the new one.
                this.state.token = "";
                this.push({
                    kind: "notice",
                    text: _t("Your previous conversation had expired, so a new one was started."),
                });
                await this.openSession();
                if (!("text" in payload)) {
                    return true;
                }
                reply = await this.api.sendMessage(this.state.token, payload);
            }
            this.applyReply(reply);
            return true;
        } catch (error) {
            // The visitor's bubble stays, marked as not delivered (the input gets the text back).
            const last = this.state.items.at(-1);
            if (last && last.kind === "user") {
                last.failed = true;
            }
            this.pushError(error);
            return false;
        } finally {
            this.state.busy = false;
            this.save();
        }
    }

    applyReply(reply) {
        this.state.turn += 1;
        this.pushBotMessages(reply.messages);
        this.state.security = reply.security;
        if (reply.order) {
            this.push({ kind: "order", order: reply.order, security: reply.security });
        }
        if (reply.handover) {
            this.handOver(reply.livechat);
        }
    }

    /** Continue in Odoo's live chat window, in the conversation the server opened (if any). */
    async handOver(livechat) {
        let opened = false;
        try {
            opened = await openLiveChat(livechat, this.env);
        } catch {
            // Odoo's live chat could not open: the bot's answer stays, and asking again retries.
        }
        if (opened) {
            this.push({
                kind: "notice",
                text: _t("A colleague will continue with you in the live chat window."),
            });
            this.save();
            this.onHandover?.();
        }
    }

    pushBotMessages(messages) {
        for (const message of messages) {
            this.push({ kind: "bot", text: message.text, buttons: message.buttons });
        }
    }

    pushError(error) {
        this.push({ kind: "error", text: this.errorText(error) });
    }

    errorText(error) {
        switch (error instanceof ChatApiError ? error.kind : "") {
            case "rate_limited":
                return _t(
                    "You are sending messages too quickly. Please wait a minute and try again."
                );
            case "network":
                return _t(
                    "We could not reach the server. Please check your connection and try again."
                );
            case "invalid":
            case "session":
                return _t(
                    "Sorry, that message could not be processed. Please rephrase it and try again."
                );
            default:
                return _t("Sorry, something went wrong on our side. Please try again in a moment.");
        }
    }

    push(values) {
        const item = { buttons: [], ...values, id: this.nextId++, turn: this.state.turn };
        item.text = item.text === undefined ? "" : String(item.text);
        this.state.items.push(item);
        if (this.state.items.length > MAX_ITEMS) {
            this.state.items.splice(0, this.state.items.length - MAX_ITEMS);
        }
    }

    /** Forget the conversation (the visitor asked for a new one). */
    reset() {
        this.storedLang = null;
        Object.assign(this.state, {
            token: "",
            items: [],
            turn: 0,
            busy: false,
            security: { verified: false, level: 1, method: null },
        });
        this.save();
    }

    save() {
        if (!this.storage) {
            return;
        }
        const { token, items, turn, open, security } = this.state;
        const lang = this.storedLang || this.lang;
        try {
            this.storage.setItem(
                STORAGE_KEY,
                JSON.stringify({ v: STORAGE_VERSION, token, lang, items, turn, open, security })
            );
        } catch {
            // Quota exceeded or storage disabled: the live conversation is unaffected.
        }
    }

    restore() {
        let data = null;
        try {
            data = JSON.parse((this.storage && this.storage.getItem(STORAGE_KEY)) || "null");
        } catch {
            data = null;
        }
        if (!data || data.v !== STORAGE_VERSION || !Array.isArray(data.items)) {
            return;
        }
        // sessionStorage is writable by any script of the origin: trust nothing in it beyond
        // plain values of the expected kinds (everything is rendered as text anyway).
        const items = data.items
            .filter((item) => item && ITEM_KINDS.has(item.kind))
            .filter((item) => item.kind !== "order" || normalizeOrder(item.order))
            .slice(-MAX_ITEMS)
            .map((item) => ({
                kind: item.kind,
                text: typeof item.text === "string" ? item.text : "",
                buttons: normalizeButtons(item.buttons),
                order: normalizeOrder(item.order),
                security: normalizeSecurity(item.security),
                action: typeof item.action === "string" ? item.action : "",
                failed: item.failed === true,
                turn: Number(item.turn) || 0,
                id: this.nextId++,
            }));
        // The language the server session speaks, until a "lang:" action changes it.
        this.storedLang = data.lang === "fa_IR" || data.lang === "en_US" ? data.lang : null;
        Object.assign(this.state, {
            token: typeof data.token === "string" ? data.token : "",
            items,
            turn: Number(data.turn) || 0,
            open: Boolean(data.open),
            security: normalizeSecurity(data.security),
        });
    }
}
