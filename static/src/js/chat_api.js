/**
 * Client of the public chat API (plain JSON over HTTP, not JSON-RPC):
 *
 *   POST /order-tracking/api/v1/sessions   {lang, channel}  -> {session, messages}
 *   POST /order-tracking/api/v1/sessions/<token>/messages
 *        {text, lang} or {action, lang}  -> {messages, order, security, nextActions, handover,
 *                                            livechat}
 *
 * Errors come back as 4xx with {error: {code, message}}; 429 when rate-limited. Every answer is
 * reshaped here into plain strings and arrays, so the components never meet an unexpected type
 * (and never a value they could mistake for markup).
 */

export const API_BASE = "/order-tracking/api/v1";
// A chat turn that takes longer than this is reported as a network problem rather than leaving
// the visitor in front of a spinner forever.
const REQUEST_TIMEOUT_MS = 20000;

/**
 * A failed call. `kind` says what the widget should tell the visitor:
 * "network" (no answer), "rate_limited" (429), "session" (unknown or expired token: start a new
 * session), "invalid" (another 4xx), "server" (5xx or an answer that is not the contract's JSON).
 */
export class ChatApiError extends Error {
    constructor(kind, { status = 0, code = "", message = "" } = {}) {
        super(message || kind);
        this.name = "ChatApiError";
        this.kind = kind;
        this.status = status;
        this.code = code;
    }
}

function asText(value) {
    if (value === null || value === undefined) {
        return "";
    }
    return typeof value === "string" ? value : String(value);
}

function asList(value) {
    return Array.isArray(value) ? value : [];
}

function asObject(value) {
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
}

export function normalizeButtons(buttons) {
    return asList(buttons)
        .map((button) => asObject(button))
        .filter((button) => button && button.action !== undefined && button.action !== null)
        .map((button) => ({
            label: asText(button.label || button.action),
            action: asText(button.action),
        }));
}

export function normalizeMessages(messages) {
    return asList(messages)
        .map((message) => asObject(message))
        .filter(Boolean)
        .map((message) => ({
            text: asText(message.text),
            buttons: normalizeButtons(message.buttons),
        }))
        .filter((message) => message.text || message.buttons.length);
}

function normalizeDetails(details) {
    const data = asObject(details);
    if (!data) {
        return null;
    }
    const payment = asObject(data.payment);
    return {
        items: asList(data.items)
            .map((item) => asObject(item))
            .filter(Boolean)
            .map((item) => ({ name: asText(item.name), qty: asText(item.qty) })),
        events: asList(data.events)
            .map((event) => asObject(event))
            .filter(Boolean)
            .map((event) => ({
                time: asText(event.time),
                timeLabel: asText(event.timeLabel || event.time),
                text: asText(event.text),
                location: asText(event.location),
            })),
        address: asText(data.address),
        payment: payment
            ? { state: asText(payment.state), reference: asText(payment.reference) }
            : null,
        invoiceUrl: asText(data.invoiceUrl),
    };
}

export function normalizeOrder(order) {
    const data = asObject(order);
    if (!data) {
        return null;
    }
    const tracking = asObject(data.tracking);
    const exception = asObject(data.exception);
    return {
        orderId: asText(data.orderId),
        status: asText(data.status),
        statusLabel: asText(data.statusLabel || data.status),
        createdAt: asText(data.createdAt),
        eta: asText(data.eta),
        tracking: tracking
            ? {
                  carrier: asText(tracking.carrier),
                  code: asText(tracking.code),
                  url: asText(tracking.url),
                  lastEvent: asText(tracking.lastEvent),
              }
            : null,
        exception: exception
            ? {
                  type: asText(exception.type),
                  label: asText(exception.label || exception.type),
                  nextStep: asText(exception.nextStep),
              }
            : null,
        details: normalizeDetails(data.details),
    };
}

export function normalizeSecurity(security) {
    const data = asObject(security) || {};
    const level = Number(data.level) === 2 ? 2 : 1;
    return {
        verified: Boolean(data.verified),
        level,
        method: data.method ? asText(data.method) : null,
    };
}

function errorKind(status, code) {
    if (status === 429) {
        return "rate_limited";
    }
    if (status === 404 || status === 410 || /session|token/i.test(code)) {
        return "session";
    }
    if (status >= 400 && status < 500) {
        return "invalid";
    }
    return "server";
}

async function postJson(url, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let response;
    try {
        response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify(body),
            credentials: "same-origin",
            signal: controller.signal,
        });
    } catch {
        throw new ChatApiError("network");
    } finally {
        clearTimeout(timer);
    }
    let data = null;
    try {
        data = await response.json();
    } catch {
        data = null;
    }
    if (!response.ok) {
        const error = asObject(data && data.error) || {};
        const code = asText(error.code);
        throw new ChatApiError(errorKind(response.status, code), {
            status: response.status,
            code,
            message: asText(error.message),
        });
    }
    if (!asObject(data)) {
        throw new ChatApiError("server", { status: response.status });
    }
    return data;
}

/**
 * Open a conversation. Resolves to {session, messages}.
 *
 * @param {string} lang "fa_IR" or "en_US"
 * @param {string} [channel] "widget" (floating button) or "page" (/order-tracking), for the
 *   conversation statistics
 */
export async function createSession(lang, channel) {
    const body = channel ? { lang, channel } : { lang };
    const data = await postJson(`${API_BASE}/sessions`, body);
    const session = asText(data.session);
    if (!session) {
        throw new ChatApiError("server");
    }
    return { session, messages: normalizeMessages(data.messages) };
}

/**
 * Send one turn: `payload` is {text, lang} or {action, lang}. Resolves to
 * {messages, order, security, nextActions, handover, livechat}.
 */
export async function sendMessage(session, payload) {
    const data = await postJson(
        `${API_BASE}/sessions/${encodeURIComponent(session)}/messages`,
        payload
    );
    return {
        messages: normalizeMessages(data.messages),
        order: normalizeOrder(data.order),
        security: normalizeSecurity(data.security),
        nextActions: normalizeButtons(data.nextActions),
        // The bot passes the conversation to a live operator (website_livechat).
        handover: data.handover === true,
        // The live chat conversation the server opened for the hand-over: {channelId, storeData}.
        livechat: asObject(data.livechat),
    };
}
