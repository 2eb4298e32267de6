// One trace: its header, its span tree with a time bar per span, and the selected span.

import { getJson, signInAgainOn401 } from "../shared/api.js";
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
  const button = $("delete-trace");
  if (button) button.hidden = true;
}

// Deleting the trace (DELETE /api/traces/{id}) is for the project's ADMINs: the button is shown to them only (the
// viewer checks the role again). Single-developer mode has no roles: whoever opens the page holds the viewer's key.
let mayDeletePromise = null;
function mayDelete() {
  if (!mayDeletePromise) {
    mayDeletePromise = getJson("/api/account")
      .then((account) => !account.accounts || (account.projects || []).some((p) => p.id === account.projectId && p.role === "ADMIN"))
      .catch(() => false);
  }
  return mayDeletePromise;
}

async function showDeleteButton(traceId) {
  let button = $("delete-trace");
  if (!button) {
    button = el("button", { type: "button", id: "delete-trace", class: "link danger", hidden: true, text: "Delete trace" });
    button.addEventListener("click", () => deleteTrace(button.dataset.traceId));
    $("trace-meta").after(button);
  }
  button.hidden = true;
  // Only in the trace view (the review queue shows traces too, one after another: no deleting there).
  if (currentRoute().view !== "trace" || !(await mayDelete()) || shownTraceId() !== traceId) return;
  button.dataset.traceId = traceId;
  button.hidden = false;
}

async function deleteTrace(traceId) {
  if (!traceId || !confirm("Delete this trace, its spans and their annotations? This cannot be undone.")) return;
  try {
    const response = await fetch("/api/traces/" + encodeURIComponent(traceId), { method: "DELETE", headers: { Accept: "application/json" } });
    signInAgainOn401(response);
    if (!response.ok && response.status !== 404) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.message || `${response.status} ${response.statusText}`);
    }
    state.trace = null;
    location.hash = "#/";   // back to the list, which no longer has it
  } catch (error) {
    showError("Could not delete the trace: " + error.message);
  }
}

// Draws the open trace (state.trace): its header, its span tree, and the selected span (the one selected before when
// keepSelection and it is still there, else the first).
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

  renderHeader(trace, ordered, spans.length - visible.length, total);
  renderWaterfall(ordered, start, total);

  let index = 0;
  if (keepSelection && state.selectedSpanId) {
    const found = ordered.findIndex((r) => r.span.spanId === state.selectedSpanId);
    if (found >= 0) index = found;
  }
  selectSpan(index, false);
}

// The trace's header: its root span's name, and one line of what the trace holds (start, duration, spans, failures,
// values not recorded, loops, tokens and cost, its id).
function renderHeader(trace, ordered, foldedCount, total) {
  const spans = trace.spans;
  const root = ordered[0].span;
  const errors = spans.filter((s) => s.status.code === 2).length;
  const loops = ordered.filter((r) => r.looped).length;
  const skippedCount = skippedValuesCount(spans);
  const tracedCount = spans.filter((s) => (s.attributes || {})["mirascope.type"] === "trace").length;

  const rootName = cutText(root.name || "(unnamed)", BOUNDS.nameChars);
  $("trace-title").textContent = rootName;
  $("trace-meta").textContent = `${formatTime(root.startTimeUnixNano)} · ${formatDuration(total)} · ${spans.length} span${spans.length === 1 ? "" : "s"}`
    + (foldedCount ? ` (${foldedCount} folded into the model call${foldedCount === 1 ? "" : "s"} they repeat)` : "")
    + (errors ? ` · ${errors} failed` : "")
    + (skippedCount ? ` · values not recorded for ${skippedCount} of ${tracedCount} traced call${tracedCount === 1 ? "" : "s"}` : "") + (loops ? ` · ${loops} shown at the top despite a parent link (marked ↻)` : "")
    + (trace.cost && (trace.cost.inputTokens || trace.cost.outputTokens || trace.cost.unpricedModels.length)
      ? ` · ${trace.cost.inputTokens} / ${trace.cost.outputTokens} tokens · ${formatCost(trace.cost).text}${trace.cost.unpricedModels.length ? " (no price for " + trace.cost.unpricedModels.join(", ") + ")" : ""}` : "")
    + ` · trace ${trace.traceId}`;
  document.title = `${rootName} · Mirascope.Ops viewer`;
  showDeleteButton(trace.traceId);
}

// The span tree: the time axis, then one row per span in display order.
function renderWaterfall(ordered, start, total) {
  $("axis").replaceChildren(el("span", { text: "0" }), el("span", { text: formatDuration(total / 2) }), el("span", { text: formatDuration(total) }));
  const waterfall = $("waterfall");
  waterfall.replaceChildren();
  ordered.forEach((item, index) => {
    waterfall.append(safely("This span", () => spanRow(item, index, start, total)));
  });
}

// How far a row of the tree is indented: 16 px a level for the first 6 levels, then 3 px a level for 32 more, then no
// further, and never more than 40% of the name column, so a name keeps room at any depth. (Indented 16 px a level up
// to 40 levels, names vanished past depth ~16: the indent was wider than the column.) Below fullLevels, where the
// indent says less, a row shows its depth as a number (drawn by CSS); aria-level says it to a screen reader.
const INDENT = { fullLevels: 6, full: 16, shallowLevels: 32, shallow: 3, maxShare: "40%" };

function indentOf(depth) {
  const px = Math.min(depth, INDENT.fullLevels) * INDENT.full
    + Math.min(Math.max(depth - INDENT.fullLevels, 0), INDENT.shallowLevels) * INDENT.shallow;
  return `min(${px}px, ${INDENT.maxShare})`;   // a percentage of the grid cell: the name column's width
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
    el("span", { class: "span-name", title: looped ? note : name, style: { paddingLeft: indentOf(depth) } },
      el("span", { class: "marker", "aria-hidden": "true", text: failed ? "✗" : looped ? "↻" : depth === 0 ? "●" : "" }),
      depth > INDENT.fullLevels ? el("span", { class: "depth", "data-depth": String(depth), title: `depth ${depth}`, "aria-hidden": "true" }) : null,
      el("span", { class: "span-label", text: name }), layerBadge(span), state.annotations && state.annotations.has(span.spanId) ? annotationBadges([state.annotations.get(span.spanId).label]) : null),
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
