// The trace list: filters, one page of traces, Newer / Older.

import { getJson } from "../shared/api.js";
import { $, safely, showError } from "../shared/dom.js";
import { loads } from "../shared/loads.js";
import { state } from "../shared/state.js";
import { listRow } from "../shared/trace-rows.js";

export const PAGE_SIZE = 200;   // the list's page; Older → asks for the next one (offset)

function filterQuery() {
  const params = new URLSearchParams();
  for (const [id, name] of [["name", "name"], ["tag", "tag"], ["session", "session"], ["q", "q"], ["service", "service"], ["min", "minDuration"],
    ["max", "maxDuration"], ["status", "status"], ["annotated", "annotated"], ["function", "function"], ["version", "version"]]) {
    const value = $("f-" + id).value.trim();
    if (value) params.set(name, value);
  }
  if ($("f-errors").checked) params.set("errors", "true");
  const range = $("f-range").value;
  const spans = { "15m": 15 * 60e3, "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3 };
  if (spans[range]) {
    params.set("from", new Date(Date.now() - spans[range]).toISOString());
  } else if (range === "custom") {
    const from = $("f-from").value, to = $("f-to").value;
    if (from) params.set("from", new Date(from).toISOString());
    if (to) params.set("to", new Date(to).toISOString());
  }
  return params;
}

// Run through loads.list, one at a time: a filter edit or a click on Older while a load is in flight becomes the
// pending load, so an older answer never replaces the page the user asked for after it (it is followed by that one).
export async function loadList() {
  try {
    const query = filterQuery();
    const key = query.toString();
    if (key !== state.listKey) { state.listKey = key; state.offset = 0; }   // new filters start at the newest page
    if (state.offset) query.set("offset", String(state.offset));
    query.set("limit", String(PAGE_SIZE));
    const body = await getJson("/api/traces?" + query.toString());
    state.traces = body.traces;
    state.hasMore = body.hasMore;
    state.costs = body.costs || {};
    renderList();
    showError("");
  } catch (error) {
    showError("Could not load the traces: " + error.message);
  }
}

export function scheduleList(delay = 200) {
  clearTimeout(state.listTimer);
  state.listTimer = setTimeout(loads.list, delay);
}

function renderList() {
  const body = $("trace-rows");
  const focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.traceId : null;
  body.replaceChildren();
  for (const trace of state.traces) {
    body.append(safely("This trace", () => listRow(trace, state.costs[trace.traceId])));
  }
  const filtered = filterQuery().toString() !== "";
  $("empty").hidden = state.traces.length > 0 || filtered;
  $("no-match").hidden = state.traces.length > 0 || !filtered;
  $("summary").textContent = state.traces.length === 1 ? "1 trace" : `${state.traces.length} traces`;
  $("page-newer").disabled = state.offset === 0;
  $("page-older").disabled = !state.hasMore;
  $("page-info").textContent = state.offset === 0 && !state.hasMore ? "" : `traces ${state.offset + 1}–${state.offset + state.traces.length}`;
  if (focusedId) {
    const again = body.querySelector(`tr[data-trace-id="${CSS.escape(focusedId)}"]`);
    if (again) again.focus();
  }
}
