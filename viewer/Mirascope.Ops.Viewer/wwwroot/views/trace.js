// One trace: its header, its span tree with a time bar per span, and the selected span.

import { getJson } from "../shared/api.js";
import { $, cutText, el, safely, showError } from "../shared/dom.js";
import { formatCost, formatDuration, formatTime } from "../shared/format.js";
import { currentRoute } from "../shared/route.js";
import { state } from "../shared/state.js";
import { annotationBadges } from "../shared/trace-rows.js";
import { BOUNDS } from "../shared/values.js";
import { renderDetails, skippedValuesCount } from "./span-details.js";
import { foldRepeatedCalls, orderSpans } from "./span-tree.js";

export async function loadTrace(traceId, keepSelection) {
  try {
    const trace = await getJson("/api/traces/" + encodeURIComponent(traceId));
    if (shownTraceId() !== traceId) return;   // the user moved on meanwhile
    state.trace = trace;
    try {
      renderTrace(keepSelection);
    } catch (error) {
      clearTraceHeader();
      $("waterfall").replaceChildren();
      $("details").replaceChildren();
      showError("Could not show the trace: " + error.message);
      return;
    }
    showError("");
  } catch (error) {
    showError(error.status === 404 ? "That trace is not stored (any more)." : "Could not load the trace: " + error.message);
  }
}

function isGenAi(span) {
  return span.attributes && ("gen_ai.operation.name" in span.attributes || "gen_ai.request.model" in span.attributes);
}

export function clearTraceHeader() {
  $("trace-title").textContent = "";
  $("trace-meta").textContent = "";
  $("axis").replaceChildren();
}

export function renderTrace(keepSelection) {
  const trace = state.trace;
  const spans = trace.spans;
  const { visible, layersOf, parentOf } = foldRepeatedCalls(spans);
  state.layers = layersOf;
  const ordered = orderSpans(visible, parentOf);
  state.rows = ordered;
  state.annotations = new Map((trace.annotations || []).map((a) => [a.otelSpanId, a]));
  const start = spans.reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), BigInt(spans[0].startTimeUnixNano));
  const end = spans.reduce((max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max), BigInt(spans[0].endTimeUnixNano));
  state.traceStart = start;
  const total = Number(end - start) || 1;
  const root = ordered[0].span;
  const errors = spans.filter((s) => s.status.code === 2).length;
  const loops = ordered.filter((r) => r.looped).length;
  const skippedCount = skippedValuesCount(spans);
  const tracedCount = spans.filter((s) => (s.attributes || {})["mirascope.type"] === "trace").length;

  const rootName = cutText(root.name || "(unnamed)", BOUNDS.nameChars);
  $("trace-title").textContent = rootName;
  const foldedCount = spans.length - visible.length;
  $("trace-meta").textContent = `${formatTime(root.startTimeUnixNano)} · ${formatDuration(total)} · ${spans.length} span${spans.length === 1 ? "" : "s"}`
    + (foldedCount ? ` (${foldedCount} folded into the model call${foldedCount === 1 ? "" : "s"} they repeat)` : "")
    + (errors ? ` · ${errors} failed` : "")
    + (skippedCount ? ` · values not recorded for ${skippedCount} of ${tracedCount} traced call${tracedCount === 1 ? "" : "s"}` : "") + (loops ? ` · ${loops} shown at the top despite a parent link (marked ↻)` : "")
    + (trace.cost && (trace.cost.inputTokens || trace.cost.outputTokens || trace.cost.unpricedModels.length)
      ? ` · ${trace.cost.inputTokens} / ${trace.cost.outputTokens} tokens · ${formatCost(trace.cost).text}${trace.cost.unpricedModels.length ? " (no price for " + trace.cost.unpricedModels.join(", ") + ")" : ""}` : "")
    + ` · trace ${trace.traceId}`;
  document.title = `${rootName} · Mirascope.Ops viewer`;
  const axis = $("axis");
  axis.replaceChildren(el("span", { text: "0" }), el("span", { text: formatDuration(total / 2) }), el("span", { text: formatDuration(total) }));

  const waterfall = $("waterfall");
  waterfall.replaceChildren();
  ordered.forEach((item, index) => {
    waterfall.append(safely("This span", () => spanRow(item, index, start, total)));
  });

  let index = 0;
  if (keepSelection && state.selectedSpanId) {
    const found = ordered.findIndex((r) => r.span.spanId === state.selectedSpanId);
    if (found >= 0) index = found;
  }
  selectSpan(index, false);
}

function spanRow({ span, depth, note, looped }, index, start, total) {
  const failed = span.status.code === 2;
  const left = (Number(BigInt(span.startTimeUnixNano) - start) / total) * 100;
  const width = Math.max((Number(span.durationNs) / total) * 100, 0.2);
  const name = cutText(span.name || "(unnamed)", BOUNDS.nameChars);
  return el("div", {
    class: "span-row" + (failed ? " error" : "") + (isGenAi(span) ? " gen-ai" : "") + (looped ? " looped" : ""),
    role: "treeitem",
    "aria-level": String(depth + 1),
    "aria-selected": "false",
    "aria-label": `${name}${failed ? ", failed" : ""}${looped ? ", parent link loops" : ""}, ${formatDuration(span.durationNs)}`,
    tabindex: "-1",
    "data-span-id": span.spanId,
    "data-index": String(index),
    onclick: () => selectSpan(index, true),
  },
    // Indented up to 40 levels: deeper spans line up with the 40th (aria-level keeps the real depth).
    el("span", { class: "span-name", title: looped ? note : name, style: { paddingLeft: `${Math.min(depth, 40) * 16}px` } },
      el("span", { class: "marker", "aria-hidden": "true", text: failed ? "✗" : looped ? "↻" : depth === 0 ? "●" : "" }),
      name, layerBadge(span), state.annotations && state.annotations.has(span.spanId) ? annotationBadges([state.annotations.get(span.spanId).label]) : null),
    el("span", { class: "bar-cell" }, el("span", { class: "bar", style: { left: `${Math.min(left, 99.8).toFixed(3)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.8)).toFixed(3)}%` } })),
    el("span", { class: "num mono", text: formatDuration(span.durationNs) }));
}

// "+1 layer" on a model call's row whose other layers' spans are folded into it.
function layerBadge(span) {
  const layers = state.layers && state.layers.get(span.spanId);
  if (!layers) return null;
  return el("span", { class: "layers muted", title: "Also recorded by " + layers.map((l) => (l.scope && l.scope.name) || l.name).join(", "),
    text: ` +${layers.length} layer${layers.length === 1 ? "" : "s"}` });
}

export function selectSpan(index, focus) {
  const rows = $("waterfall").children;
  if (index < 0 || index >= rows.length) return;
  for (const row of rows) {
    row.setAttribute("aria-selected", "false");
    row.tabIndex = -1;
  }
  const row = rows[index];
  row.setAttribute("aria-selected", "true");
  row.tabIndex = 0;
  if (focus) {
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }
  const { span, note, looped } = state.rows[index];
  state.selectedSpanId = span.spanId;
  renderDetails(span, note, looped);
}

export function selectedIndex() {
  return state.rows.findIndex((r) => r.span.spanId === state.selectedSpanId);
}

function shownTraceId() {
  const current = currentRoute();
  return current.view === "queue" ? (state.queue ? state.queue.traceId : null) : current.traceId;
}
