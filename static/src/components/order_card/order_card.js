/**
 * The order card shown in the conversation when the server answers with an order: stage, ETA,
 * carrier and tracking link for everyone; at verification level 2 the details (items, shipment
 * timeline, masked address, payment, invoice) and a "verified" badge.
 */

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

import { safeUrl } from "../../js/chat_session";

export class OrderCard extends Component {
    static template = "order_tracking_chatbot.OrderCard";
    static props = {
        order: Object,
        security: { type: Object, optional: true },
    };

    get verified() {
        const security = this.props.security || {};
        return Boolean(security.verified) && Number(security.level) === 2;
    }

    /** Details are shown only at level 2, even if a (buggy) answer carried them at level 1. */
    get details() {
        return this.verified ? this.props.order.details : null;
    }

    get tracking() {
        return this.props.order.tracking || {};
    }

    get trackingUrl() {
        return safeUrl(this.tracking.url);
    }

    get invoiceUrl() {
        return this.details ? safeUrl(this.details.invoiceUrl) : "";
    }

    /** The API sends the payment state as a code; the visitor reads it in their language. */
    get paymentLabel() {
        const state = this.details?.payment?.state || "";
        const labels = {
            paid: _t("Paid"),
            not_paid: _t("Not paid"),
            pending: _t("Being confirmed by the bank"),
            refunded: _t("Refunded"),
            failed: _t("Failed"),
        };
        return labels[state] || state;
    }

    get statusClass() {
        if (this.props.order.exception) {
            return "text-bg-warning";
        }
        if (this.props.order.status === "delivered") {
            return "text-bg-success";
        }
        if (this.props.order.status === "cancelled") {
            return "text-bg-secondary";
        }
        return "text-bg-primary";
    }
}
