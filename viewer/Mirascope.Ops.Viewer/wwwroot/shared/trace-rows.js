// One trace as a row of a trace table (the list, a version's traces), the tables' column heads, and annotation badges.

import { $, el } from "./dom.js";
import { costCell, formatDuration, formatTime, nsToDate } from "./format.js";

// One row of the list. The server cuts long texts (they end in "…" and are named in trace.truncated); the row says so.
export function listRow(trace, cost) {
  const failed = trace.status === "error";
  const cut = new Set(trace.truncated || []);
  const tokens = trace.inputTokens !== null || trace.outputTokens !== null
    ? `${trace.inputTokens ?? 0} / ${trace.outputTokens ?? 0}` : "";
  const tags = trace.tags || [];
  const moreTags = (trace.tagCount ?? tags.length) - tags.length;
  return el("tr", {
    tabindex: "0",
    class: failed ? "error" : "",
    "data-trace-id": trace.traceId,
    "aria-label": `${trace.rootName || "(unnamed)"}${failed ? ", failed" : ""}, ${formatDuration(trace.durationNs)}`,
    onclick: () => openTrace(trace.traceId),
    onkeydown: (event) => {
      if (event.key === "Enter") { event.preventDefault(); openTrace(trace.traceId); }
    },
  },
    el("td", { class: "name", title: trace.rootName || "" },
      trace.rootName || "(unnamed)",
      cut.has("rootName") ? el("span", { class: "cut", title: "The name is cut in the list; open the trace for all of it", text: "cut" }) : null,
      el("small", { class: "mono", text: `${trace.spanCount} span${trace.spanCount === 1 ? "" : "s"}${trace.serviceName ? " · " + trace.serviceName : ""}` })),
    el("td", { class: "mono", title: nsToDate(trace.startTimeUnixNano).toISOString(), text: formatTime(trace.startTimeUnixNano) }),
    el("td", { class: "num", text: formatDuration(trace.durationNs) }),
    el("td", { class: failed ? "status-error" : "status-ok" },
      failed ? `✗ error${trace.errorCount > 1 ? " ×" + trace.errorCount : ""}` : (trace.status === "ok" ? "✓ ok" : "✓")),
    el("td", { class: "mono", text: trace.sessionId || "" }),
    el("td", null, tags.map((tag) => el("span", { class: "tag", text: tag })),
      moreTags > 0 ? el("span", { class: "tag more", title: "Open the trace for every tag", text: `+${moreTags} more` }) : null),
    el("td", { class: "num", text: tokens }),
    costCell(cost),
    el("td", { class: "annotations" }, annotationBadges(trace.annotationLabels || [])));
}

export function annotationBadges(labels) {
  return labels.map((label) => el("span", { class: "badge " + (label || "none"), text: label === "pass" ? "✓ pass" : label === "fail" ? "✗ fail" : "• noted" }));
}

function openTrace(traceId) {
  location.hash = "#/trace/" + traceId;
}

// The trace tables' column heads are written once, in index.html's <template id="trace-columns">; each table marked
// data-columns="trace" gets its copy before anything is drawn.
export function writeTraceTableHeads() {
  const columns = $("trace-columns").content;
  for (const table of document.querySelectorAll('table[data-columns="trace"]')) {
    table.prepend(columns.cloneNode(true));
  }
}
