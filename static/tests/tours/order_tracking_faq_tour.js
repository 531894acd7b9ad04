/**
 * Browser tours of the FAQ page (/order-tracking/faq), run by tests/test_faq_tours.py: reached
 * from the chat widget in English and from the order tracker in Persian; the page reads right to
 * left in Persian, live answers open, and the browser parses its FAQPage structured data.
 */

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** A step checking, in the browser, that the page's JSON-LD parses as a schema.org FAQPage. */
function faqPageStructuredData(lang, firstQuestion) {
    return {
        content: "the FAQPage structured data parses and names the published questions",
        trigger: ".o_ot_faq_list",
        run() {
            const scripts = [...document.querySelectorAll('script[type="application/ld+json"]')];
            const pages = scripts
                .map((script) => JSON.parse(script.textContent))
                .filter((data) => data["@type"] === "FAQPage");
            if (pages.length !== 1) {
                throw new Error(`expected one FAQPage, found ${pages.length}`);
            }
            const [page] = pages;
            const questions = page.mainEntity || [];
            const shown = document.querySelectorAll(".o_ot_faq_entry").length;
            if (page.inLanguage !== lang || questions.length !== shown) {
                throw new Error(`FAQPage in ${page.inLanguage} with ${questions.length} questions`);
            }
            for (const question of questions) {
                if (question["@type"] !== "Question" || !question.name) {
                    throw new Error(`not a Question: ${JSON.stringify(question)}`);
                }
                const answer = question.acceptedAnswer || {};
                if (answer["@type"] !== "Answer" || !answer.text) {
                    throw new Error(`no accepted answer for ${question.name}`);
                }
            }
            if (questions[0].name !== firstQuestion) {
                throw new Error(`first question is ${questions[0].name}`);
            }
        },
    };
}

tours.add("order_tracking_faq_en", {
    steps: () => [
        {
            content: "open the chat widget",
            trigger: ".o_ot_launcher",
            run: "click",
        },
        {
            content: "follow the FAQ link of the chat panel",
            trigger: ".o_ot_panel .o_ot_faq_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the FAQ page is in English",
            trigger: 'html[lang="en-US"] .o_ot_faq_wrap h1',
        },
        {
            content: "open the question about delivery times",
            trigger: '.o_ot_faq_entry summary:contains("How long does delivery take?")',
            run: "click",
        },
        {
            content: "its answer lists the shop's lead times",
            trigger: '.o_ot_faq_entry[open] .o_ot_faq_live li:contains("Tipax, Tehran")',
        },
        faqPageStructuredData("en-US", "How long does delivery take?"),
    ],
});

tours.add("order_tracking_faq_fa", {
    steps: () => [
        {
            content: "follow the FAQ link under the Persian order tracker",
            trigger: ".o_ot_faq_link a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the FAQ page is in Persian",
            trigger: 'html[lang="fa-IR"] .o_ot_faq_wrap h1',
        },
        {
            content: "the page reads right to left",
            trigger: ".o_ot_faq_list",
            run() {
                const direction = getComputedStyle(document.querySelector(".o_ot_faq_list")).direction;
                if (direction !== "rtl") {
                    throw new Error(`the FAQ is laid out ${direction}`);
                }
            },
        },
        {
            content: "open the question about delivery times",
            trigger: '.o_ot_faq_entry summary:contains("ارسال چند روز طول می‌کشد؟")',
            run: "click",
        },
        {
            content: "its answer lists the lead times in Persian",
            trigger: '.o_ot_faq_entry[open] .o_ot_faq_live li:contains("تیپاکس"):contains("۲")',
        },
        faqPageStructuredData("fa-IR", "ارسال چند روز طول می‌کشد؟"),
    ],
});
