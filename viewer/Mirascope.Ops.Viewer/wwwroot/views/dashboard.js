// The dashboard.

import { getJson } from "../shared/api.js";
import { $, cutText, el, showError } from "../shared/dom.js";
import { formatCost, formatMs, formatRate } from "../shared/format.js";
import { currentRoute } from "../shared/route.js";
import { BOUNDS } from "../shared/values.js";

const PERIODS = { "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 };

// The Cloud's dashboard figures over the chosen period (GET /api/analytics, the Cloud's analytics summary).
export async function loadDashboard() {
  const period = $("d-period").value;
  const end = new Date(Date.now() + 60e3);
  const start = PERIODS[period] ? new Date(end.getTime() - PERIODS[period]) : new Date(0);
  try {
    const a = await getJson(`/api/analytics?startTime=${encodeURIComponent(start.toISOString())}&endTime=${encodeURIComponent(end.toISOString())}`);
    if (currentRoute().view !== "dashboard") return;
    const cost = formatCost({ costUsd: a.totalCostUsd, costComplete: a.costComplete, unpricedModels: a.unpricedModels });
    const card = (id, title, value, sub, titleText) => el("div", { class: "card", id: "card-" + id, title: titleText || null },
      el("div", { class: "card-title", text: title }), el("div", { class: "card-value", text: value }), sub ? el("div", { class: "card-sub muted", text: sub }) : null);
    $("cards").replaceChildren(
      card("traces", "Traces", a.totalTraces.toLocaleString("en")),
      card("spans", "Spans", a.totalSpans.toLocaleString("en")),
      card("errors", "Error rate", formatRate(a.errorRate), "of spans"),
      card("latency", "Avg duration", a.avgDurationMs === null ? "–" : formatMs(a.avgDurationMs),
        a.p50DurationMs === null ? null : `p50 ${formatMs(a.p50DurationMs)} · p95 ${formatMs(a.p95DurationMs)} · p99 ${formatMs(a.p99DurationMs)}`),
      card("input", "Input tokens", a.totalInputTokens.toLocaleString("en")),
      card("output", "Output tokens", a.totalOutputTokens.toLocaleString("en")),
      card("cost", "Total cost", a.totalCostUsd === 0 && a.costComplete ? "$0.00" : cost.text || "$0.00",
        a.unpricedModels.length ? "no price for " + a.unpricedModels.join(", ") : null, cost.title));
    const top = (list, items, name) => {
      list.replaceChildren(...items.slice(0, 5).map((item) => el("li", null, el("span", { text: cutText(item[name], BOUNDS.nameChars) }), el("span", { class: "num muted", text: String(item.count) }))));
      if (items.length === 0) list.replaceChildren(el("li", { class: "muted", text: "No data available" }));
    };
    top($("top-models"), a.topModels, "model");
    top($("top-functions"), a.topFunctions, "functionName");
    $("summary").textContent = "";
    showError("");
  } catch (error) {
    showError("Could not load the dashboard: " + error.message);
  }
}
