// The selected span's details: facts, annotation, model call, exceptions, conversation, values, attributes.

import { $, cutText, el, safely } from "../shared/dom.js";
import { formatCost, formatDuration, formatTime } from "../shared/format.js";
import { state } from "../shared/state.js";
import { BOUNDS, jsonBlock, textBlock, valueBlock, valueCell, valueText } from "../shared/values.js";
import { annotationPanel } from "./annotations.js";
import { conversationBlock, conversationOf } from "./conversation.js";

// Attributes shown in their own section, pretty-printed, above the full attribute table.
const SECTIONS = [
  ["mirascope.trace.arg_values", "Arguments"],
  ["mirascope.trace.output", "Output"],
  ["mirascope.trace.metadata", "Metadata"],
  ["gen_ai.system_instructions", "System instructions"],
  ["gen_ai.input.messages", "Input messages"],
  ["gen_ai.output.messages", "Output messages"],
  ["gen_ai.tool.definitions", "Tool definitions"],
  ["mirascope.response.messages", "Response messages"],
  ["mirascope.response.content", "Response content"],
  ["mirascope.response.usage", "Usage"],
  ["mirascope.ops.session.attributes", "Session attributes"],
];

export function renderDetails(span, note, looped) {
  const details = $("details");
  const traceStart = state.traceStart;
  const failed = span.status.code === 2;
  const parts = [
    el("h3", { class: failed ? "status-error" : "", text: (failed ? "✗ " : "") + cutText(span.name || "(unnamed)", BOUNDS.nameChars) }),
    span.name && span.name.length > BOUNDS.nameChars ? safely("The name", () => el("details", { class: "full-name" },
      el("summary", { text: `Whole name (${span.name.length.toLocaleString("en")} characters)` }), textBlock(span.name, "text", null))) : null,
    note ? el("p", { class: "span-note", text: (looped ? "↻ " : "") + note }) : null,
    safely("The span's facts", () => el("dl", { class: "facts" },
      el("dt", { text: "Status" }), el("dd", { class: failed ? "status-error" : "", text: span.status.name + (span.status.message ? ": " + cutText(span.status.message, BOUNDS.shownChars) : "") }),
      el("dt", { text: "Duration" }), el("dd", { text: formatDuration(span.durationNs) }),
      el("dt", { text: "Starts at" }), el("dd", { text: "+" + formatDuration(BigInt(span.startTimeUnixNano) - traceStart) + " (" + formatTime(span.startTimeUnixNano) + ")" }),
      el("dt", { text: "Kind" }), el("dd", { text: ["unspecified", "internal", "server", "client", "producer", "consumer"][span.kind] || String(span.kind) }),
      el("dt", { text: "Span id" }), el("dd", { class: "mono", text: span.spanId }),
      span.parentSpanId ? [el("dt", { text: "Parent" }), el("dd", { class: "mono", text: span.parentSpanId })] : null,
      span.serviceName ? [el("dt", { text: "Service" }), el("dd", { text: cutText(span.serviceName, BOUNDS.nameChars) })] : null,
      span.scope && span.scope.name ? [el("dt", { text: "Source" }), el("dd", { text: cutText(span.scope.name + (span.scope.version ? " " + span.scope.version : ""), BOUNDS.nameChars) })] : null,
      promptFact(span.attributes || {}))),
  ];

  parts.push(el("h4", { text: "Annotation" }), safely("The annotation", () => annotationPanel(span)));

  if (span.usage) {
    parts.push(el("h4", { text: "Model call" }), safely("The model call", () => usageFacts(span.usage)));
  }

  const layers = state.layers && state.layers.get(span.spanId);
  if (layers) {
    parts.push(el("h4", { text: "Also recorded by" }), safely("The call's other layers", () => el("ul", { class: "layers-list" },
      layers.map((layer) => el("li", null, el("button", { type: "button", class: "link", text: cutText(layer.name || "(unnamed)", BOUNDS.nameChars),
        onclick: () => renderDetails(layer, `The same model call as ${span.spanId}, recorded by another layer; folded into its row and counted there.`, false) }),
        el("span", { class: "muted", text: ` · ${cutText((layer.scope && layer.scope.name) || "", BOUNDS.nameChars)} · ${layer.spanId}` }))))));
  }

  const exceptions = span.events.filter((e) => e.name === "exception");
  for (const exception of exceptions) {
    parts.push(el("h4", { text: "Exception" }), safely("The exception", () => {
      const a = exception.attributes || {};
      return el("div", { class: "exception" },
        el("div", { class: "what", text: cutText(`${valueText(a["exception.type"] || "exception")}: ${valueText(a["exception.message"] || "")}`, BOUNDS.shownChars) }),
        a["exception.stacktrace"] ? textBlock(valueText(a["exception.stacktrace"]), "stack", null) : null);
    }));
  }

  const attributes = span.attributes || {};
  const turns = safely("The conversation", () => conversationOf(attributes));
  if (turns instanceof Node) parts.push(el("h4", { text: "Conversation" }), turns);
  else if (turns && turns.length) parts.push(el("h4", { text: `Conversation (${turns.length} turn${turns.length === 1 ? "" : "s"})` }), safely("The conversation", () => conversationBlock(turns)));

  const skipped = safely("The skipped values", () => skippedValuesNote(span));
  if (skipped) parts.push(el("h4", { text: "Arguments and output" }), skipped);

  for (const [key, title] of SECTIONS) {
    if (key in attributes) {
      parts.push(el("h4", { text: title }), safely("This value", () => valueBlock(attributes[key])));
    }
  }

  const others = span.events.filter((e) => e.name !== "exception");
  if (others.length) {
    parts.push(el("h4", { text: "Events" }));
    for (const event of others) {
      parts.push(safely("This event", () => el("div", { class: "event" },
        el("div", null, el("strong", { text: cutText(event.name, BOUNDS.nameChars) }), " ",
          el("span", { class: "muted", text: "+" + formatDuration(BigInt(event.timeUnixNano) - traceStart) })),
        Object.keys(event.attributes || {}).length ? jsonBlock(event.attributes) : null)));
    }
  }

  const keys = Object.keys(attributes).sort();
  parts.push(el("h4", { text: `Attributes (${keys.length})` }));
  const tbody = el("tbody");
  const addRows = (from, to) => {
    for (const key of keys.slice(from, to)) {
      tbody.append(safely("This attribute", () => el("tr", null,
        el("th", { scope: "row", text: cutText(key, BOUNDS.nameChars) }), el("td", null, valueCell(attributes[key])))));
    }
  };
  addRows(0, BOUNDS.attributes);
  parts.push(el("table", { class: "attrs" }, tbody));
  if (keys.length > BOUNDS.attributes) {
    const more = el("p", { class: "value-cut" }, `${BOUNDS.attributes} of ${keys.length} attributes shown `,
      el("button", { type: "button", class: "link", text: "Show all", onclick: () => { addRows(BOUNDS.attributes, keys.length); more.remove(); } }));
    parts.push(more);
  }

  if (span.links && span.links.length) {
    parts.push(el("h4", { text: "Links" }), safely("The links", () => jsonBlock(span.links)));
  }
  parts.push(el("details", null, el("summary", { text: "Resource" }), safely("The resource", () => jsonBlock(span.resource || {}))));
  details.replaceChildren(...parts.filter((part) => part));
}

// A span's token counts and cost: the price it was computed with, or that its model has none.
// gen_ai.prompt.name / version: the [Version] method whose prompt produced this model call.
// Why a traced call recorded no arguments or output (mirascope.trace.values_skipped; true from older runtimes), in
// their place, with which call of its method in this trace it was: "call 9 of 20".
const SKIPPED_REASONS = {
  trace_budget: "the trace's recording budget was spent (TraceRecordingBudget, TraceRecordingBudgetPercent)",
  calls_per_trace: "this method's MaxRecordedCallsPerTrace was reached in this trace",
  disabled: "value recording is off for this method ([Trace(RecordValues = false)])",
};

function skippedValuesNote(span) {
  const why = (span.attributes || {})["mirascope.trace.values_skipped"];
  if (why === undefined || why === false) return null;
  const reason = SKIPPED_REASONS[why] || "a recording limit (MaxRecordedCallsPerTrace)";
  const same = state.trace.spans.filter((s) => s.name === span.name)
    .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : 0));
  const which = same.findIndex((s) => s.spanId === span.spanId) + 1;
  return el("p", { class: "values-skipped", text: `Not recorded: ${reason}. Call ${which} of ${same.length} of ${cutText(span.name || "(unnamed)", BOUNDS.nameChars)} in this trace.` });
}

export function skippedValuesCount(spans) {
  return spans.filter((s) => { const why = (s.attributes || {})["mirascope.trace.values_skipped"]; return why !== undefined && why !== false; }).length;
}

function promptFact(attributes) {
  const name = attributes["gen_ai.prompt.name"];
  if (name === undefined) return null;
  const version = attributes["gen_ai.prompt.version"];
  return [el("dt", { text: "Prompt" }), el("dd", { text: cutText(valueText(name) + (version === undefined ? "" : " · version " + valueText(version)), BOUNDS.nameChars) })];
}

function usageFacts(usage) {
  const model = (usage.provider ? usage.provider + "/" : "") + (usage.model || "(no model)");
  return el("dl", { class: "facts usage" },
    el("dt", { text: "Model" }), el("dd", { text: cutText(model, BOUNDS.nameChars) }),
    el("dt", { text: "Tokens" }), el("dd", { text: `${usage.inputTokens} in (${usage.cacheReadTokens} cache read, ${usage.cacheWriteTokens} cache write) · ${usage.outputTokens} out` }),
    el("dt", { text: "Cost" }), el("dd", { class: usage.costUsd === null ? "unpriced" : "", text: usage.costUsd === null
      ? `unknown: no price for ${cutText(model, BOUNDS.nameChars)} (add it with --prices <file>)`
      : `${formatCost({ costUsd: usage.costUsd, costComplete: true }).text} (priced as ${usage.pricedAs})` }),
    el("dt", { text: "Counted from" }), el("dd", { class: "mono", text: usage.source }),
    usage.countedBy ? [el("dt", { text: "Counted" }), el("dd", { text: `once, on span ${usage.countedBy}: this span repeats that call` })] : null);
}
