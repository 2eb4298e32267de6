// The annotation queue of a function.

import { getJson } from "../shared/api.js";
import { $, cutText, showError } from "../shared/dom.js";
import { loads } from "../shared/loads.js";
import { currentRoute } from "../shared/route.js";
import { state } from "../shared/state.js";
import { BOUNDS } from "../shared/values.js";

// The queue walks a function's traces that have no annotation yet, newest first; skipped ones come back on the next visit.
export async function loadQueue(name) {
  state.queue = state.queue && state.queue.name === name ? state.queue : { name, skipped: new Set(), traceId: null };
  $("queue-title").textContent = `Annotation queue · ${cutText(name, BOUNDS.nameChars)}`;
  $("queue-back").href = "#/function/" + encodeURIComponent(name);
  try {
    const body = await getJson(`/api/traces?limit=1000&annotated=false&function=${encodeURIComponent(name)}`);
    if (currentRoute().view !== "queue") return;
    const left = body.traces.filter((t) => !state.queue.skipped.has(t.traceId));
    const more = body.hasMore ? "+" : "";
    if (left.length === 0) {
      state.queue.traceId = null;
      state.trace = null;
      $("trace-view").hidden = true;
      $("queue-status").textContent = body.traces.length ? `Only skipped traces are left (${body.traces.length}). Leave and come back to see them again.`
        : `Every trace of ${name} is annotated.`;
      return;
    }
    $("trace-view").hidden = false;
    $("queue-status").textContent = `${left.length}${more} unannotated trace${left.length === 1 ? "" : "s"} left.`;
    state.queue.traceId = left[0].traceId;
    state.selectedSpanId = null;
    await loads.trace(left[0].traceId, false);
    const row = $("waterfall").querySelector('[aria-selected="true"]');
    if (row) row.focus();
  } catch (error) {
    showError("Could not load the queue: " + error.message);
  }
}

export function nextInQueue(skip) {
  if (!state.queue) return;
  if (skip && state.queue.traceId) state.queue.skipped.add(state.queue.traceId);
  loads.queue(state.queue.name);
}
