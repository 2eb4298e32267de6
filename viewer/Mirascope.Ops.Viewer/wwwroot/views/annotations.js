// Annotating the selected span (pass / fail, reasoning, tags).

import { signInAgainOn401 } from "../shared/api.js";
import { $, cutText, el, showError } from "../shared/dom.js";
import { currentRoute } from "../shared/route.js";
import { state } from "../shared/state.js";
import { annotationBadges } from "../shared/trace-rows.js";
import { nextInQueue } from "./queue.js";
import { renderTrace, selectSpan, selectedIndex } from "./trace.js";

// The selected span's annotation: its label, reasoning and tags, and the controls to set them (mouse or p / f / a keys).
export function annotationPanel(span) {
  const current = state.annotations.get(span.spanId) || null;
  const reasoning = el("textarea", { id: "annotation-reasoning", rows: "2", placeholder: "Reasoning (a); Ctrl+Enter saves", "aria-label": "Reasoning" });
  reasoning.value = current && current.reasoning ? current.reasoning : "";
  const tags = el("input", { id: "annotation-tags", type: "text", placeholder: "tags, comma-separated", "aria-label": "Tags" });
  tags.value = current ? current.tags.join(", ") : "";
  const label = current ? current.label : null;
  // What is being typed survives the trace being drawn again when spans arrive.
  const draft = state.draft && state.draft.spanId === span.spanId ? state.draft : null;
  if (draft) { reasoning.value = draft.reasoning; tags.value = draft.tags; }
  const keepDraft = () => { state.draft = { spanId: span.spanId, reasoning: reasoning.value, tags: tags.value, focused: document.activeElement && document.activeElement.id }; };
  reasoning.addEventListener("input", keepDraft);
  tags.addEventListener("input", keepDraft);
  if (draft && draft.focused) setTimeout(() => { const again = $(draft.focused); if (again) again.focus(); }, 0);
  reasoning.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveAnnotation(span.spanId, undefined); }
    if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); reasoning.blur(); }
  });
  tags.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); saveAnnotation(span.spanId, undefined); }
    if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); tags.blur(); }
  });
  return el("div", { class: "annotation" + (label ? " " + label : "") },
    el("p", { id: "annotation-current", class: "annotation-current" }, current
      ? [...annotationBadges([label]), current.reasoning ? " " + cutText(current.reasoning, 500) : "", ...current.tags.map((t) => el("span", { class: "tag", text: t }))]
      : "Not annotated."),
    el("div", { class: "annotation-buttons" },
      el("button", { type: "button", id: "annotate-pass", class: "pass", "aria-pressed": String(label === "pass"), onclick: () => saveAnnotation(span.spanId, "pass") }, "✓ Pass ", el("kbd", { text: "p" })),
      el("button", { type: "button", id: "annotate-fail", class: "fail", "aria-pressed": String(label === "fail"), onclick: () => saveAnnotation(span.spanId, "fail") }, "✗ Fail ", el("kbd", { text: "f" })),
      el("button", { type: "button", id: "annotate-save", onclick: () => saveAnnotation(span.spanId, undefined) }, "Save")),
    reasoning, tags,
    el("p", { id: "annotation-status", class: "muted", "aria-live": "polite" }));
}

// Creates or changes the span's annotation. label undefined keeps the label; the reasoning and tags are taken from the panel.
export async function saveAnnotation(spanId, label) {
  const trace = state.trace;
  if (!trace) return;
  const current = state.annotations.get(spanId) || null;
  const reasoning = $("annotation-reasoning") ? $("annotation-reasoning").value.trim() : "";
  const tags = $("annotation-tags") ? $("annotation-tags").value.split(",").map((t) => t.trim()).filter((t) => t) : [];
  const body = { reasoning: reasoning || null, tags };
  if (label !== undefined) body.label = label;
  else if (!current) body.label = null;
  try {
    const response = await fetch(current ? "/api/annotations/" + current.id : "/api/annotations", {
      method: current ? "PUT" : "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(current ? body : Object.assign({ otelSpanId: spanId, otelTraceId: trace.traceId }, body)),
    });
    signInAgainOn401(response);
    const saved = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(saved.message || `${response.status} ${response.statusText}`);
    state.annotations.set(spanId, saved);
    state.draft = null;
    trace.annotations = Array.from(state.annotations.values());
    if (currentRoute().view === "queue") { nextInQueue(); return; }
    const index = selectedIndex();
    renderTrace(true);
    selectSpan(index, true);
    if ($("annotation-status")) $("annotation-status").textContent = `Saved: ${saved.label || "no label"}.`;
  } catch (error) {
    showError("Could not save the annotation: " + error.message);
  }
}
