/**
 * The "Order Tracking" KPI dashboard in Odoo's Dashboards app, opened from the app menu
 * (tests/test_report_dashboard.py builds four known conversations and runs it in English and
 * Persian). Spreadsheet cells are drawn on a canvas, so the KPI cells are read from the
 * dashboard's spreadsheet model once its pivots have loaded.
 */

import { localization } from "@web/core/l10n/localization";
import { appTranslateFn } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

const DATA_SHEET = "ot-kpi-data";
// Data!B2.. : conversations, deflection %, resolved without operator %, escalation %,
// first response median (s), p90 (s), CSAT. See tools/build_report_dashboard.py.
const EXPECTED = [
    ["B2", 4],
    ["B3", 50],
    ["B4", 25],
    ["B5", 50],
    ["B6", 0.5],
    ["B7", 0.88],
    ["B8", 11 / 3],
];

function dashboardModel() {
    const stack = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (stack.length) {
        const node = stack.pop();
        const loader = node.component && node.component.loader;
        if (loader && loader.getActiveDashboard) {
            const dashboard = loader.getActiveDashboard();
            return dashboard && dashboard.model;
        }
        stack.push(...Object.values(node.children || {}));
    }
    return undefined;
}

function cellValue(model, xc) {
    const col = xc.charCodeAt(0) - 65;
    const row = Number(xc.slice(1)) - 1;
    return model.getters.getEvaluatedCell({ sheetId: DATA_SHEET, col, row }).value;
}

async function checkKpis(lang) {
    const direction = lang === "fa" ? "rtl" : "ltr";
    if (!user.lang.startsWith(lang) || localization.direction !== direction) {
        throw new Error(`the web client is in ${user.lang} (${localization.direction})`);
    }
    // The label as the dashboard's own translations give it (Persian once fa.po has it).
    const label = String(appTranslateFn("Conversations", "order_tracking_chatbot"));
    let problems = [];
    for (let attempt = 0; attempt < 100; attempt++) {
        const model = dashboardModel();
        problems = ["no dashboard model"];
        if (model) {
            problems = EXPECTED.filter(
                ([xc, expected]) => Math.abs(Number(cellValue(model, xc)) - expected) > 1e-6
            ).map(([xc, expected]) => `${xc}=${cellValue(model, xc)} (expected ${expected})`);
            const title = cellValue(model, "A2");
            if (title !== label) {
                problems.push(`A2=${title} (expected ${label})`);
            }
            for (const xc of ["B10", "B11", "B12", "B15", "B16"]) {
                const value = cellValue(model, xc);
                if (typeof value !== "number" && value !== "") {
                    problems.push(`${xc} did not evaluate: ${value}`);
                }
            }
        }
        if (!problems.length) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`KPI cells wrong: ${problems.join("; ")}`);
}

function dashboardSteps(name, lang) {
    return [
        {
            content: "open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "open the Dashboards app",
            trigger: ".o_app[data-menu-xmlid='spreadsheet_dashboard.spreadsheet_dashboard_menu_root']",
            run: "click",
        },
        {
            content: "pick the Order Tracking dashboard",
            trigger: `.o_search_panel_category_value[data-name='${name}']`,
            run: "click",
        },
        {
            content: "it is the active one and the sheet is drawn",
            trigger: `.o_search_panel_category_value.active[data-name='${name}']`,
        },
        {
            content: "the sheet is drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet canvas",
        },
        {
            content: "the KPI cells hold the conversations' numbers",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet",
            run: () => checkKpis(lang),
        },
    ];
}

registry.category("web_tour.tours").add("ot_kpi_dashboard_en", {
    steps: () => dashboardSteps("Order Tracking", "en"),
});

registry.category("web_tour.tours").add("ot_kpi_dashboard_fa", {
    steps: () => dashboardSteps("پیگیری سفارش", "fa"),
});

/**
 * The KPI reports' own views (Order Tracking > Reporting): the pivot shows the median and p90
 * the server computes per group, and the graph draws the weekly trend.
 */
registry.category("web_tour.tours").add("ot_kpi_reports", {
    steps: () => [
        {
            content: "the conversations pivot, grouped by week, with the median measure",
            trigger: ".o_pivot th:contains('First Response (ms, median)')",
        },
        {
            content: "the total row holds the median of the four conversations (500 ms)",
            trigger: ".o_pivot tbody tr:first-child td:contains('500')",
        },
        {
            content: "switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "the weekly trend is drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
