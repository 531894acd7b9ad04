/**
 * The delivery survey page linked from the "delivered" message (tests/test_notifications_survey.py
 * opens the order's tokenised link): the customer picks 5, writes a comment, sends, and is thanked.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ot_survey", {
    steps: () => [
        {
            content: "the one question is asked",
            trigger: ".o_ot_survey h1:contains('How was the delivery of order')",
        },
        {
            content: "pick 5",
            trigger: ".o_ot_survey label[for='ot_score_5']",
            run: "click",
        },
        {
            content: "write an optional comment",
            trigger: ".o_ot_survey #ot_comment",
            run: "edit Polite courier",
        },
        {
            content: "send",
            trigger: ".o_ot_survey button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the customer is thanked",
            trigger: ".o_ot_survey .o_ot_survey_thanks",
        },
    ],
});
