// The trace list: filters, one page of traces, Newer / Older.

import { getJson } from "../shared/api.js";
import { $, safely, showError } from "../shared/dom.js";
import { loads } from "../shared/loads.js";
import { currentRoute } from "../shared/route.js";
import { state } from "../shared/state.js";
import { listRow } from "../shared/trace-rows.js";

export const PAGE_SIZE = 200;   // the list's page; Older → asks for the next one (by the cursor the last answer gave)

// Older: the next page starts where this one ended (the answer's nextCursor: keyset paging, which reads nothing it skips,
// where an offset reads every trace before the page). The cursor of each page seen is kept, so Newer goes back exactly.
export function olderPage() {
  state.pageCursors[state.offset / PAGE_SIZE] = state.nextCursor;
  state.offset += PAGE_SIZE;
  loads.list();
}

export function newerPage() {
  state.offset = Math.max(0, state.offset - PAGE_SIZE);
  loads.list();
}

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
    if (key !== state.listKey) { state.listKey = key; state.offset = 0; state.pageCursors = []; }   // new filters start at the newest page
    const cursor = state.offset ? state.pageCursors[state.offset / PAGE_SIZE - 1] : null;
    if (cursor) query.set("cursor", cursor);
    else if (state.offset) query.set("offset", String(state.offset));   // a page no answer gave a cursor for

    query.set("limit", String(PAGE_SIZE));
    const body = await getJson("/api/traces?" + query.toString());
    state.traces = body.traces;
    state.hasMore = body.hasMore;
    state.nextCursor = body.nextCursor || null;
    state.costs = body.costs || {};
    renderList();
    refreshStoredCount();
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
  $("summary").textContent = summaryText(filtered);
  $("page-newer").disabled = state.offset === 0;
  $("page-older").disabled = !state.hasMore;
  $("page-info").textContent = state.offset === 0 && !state.hasMore ? "" : `traces ${state.offset + 1}–${state.offset + state.traces.length}`;
  if (focusedId) {
    const again = body.querySelector(`tr[data-trace-id="${CSS.escape(focusedId)}"]`);
    if (again) again.focus();
  }
}

// The header says what is shown of what is stored: "200 of 100,048 traces", "latest 200 matching traces · 100,048
// stored"; "latest 200 traces" while the stored count is not known. (It said "200 traces" with 100,048 stored.)
function summaryText(filtered) {
  const shown = state.traces.length;
  const count = (n) => n.toLocaleString("en");
  const traces = (n) => (n === 1 ? "trace" : "traces");
  const latest = state.offset === 0 && state.hasMore ? "latest " : "";
  const stored = state.storedTraces;
  if (filtered) {
    const matching = `${latest}${count(shown)} matching ${traces(shown)}`;
    return stored === null ? matching : `${matching} · ${count(stored)} stored`;
  }
  if (stored === null) return `${latest}${count(shown)} ${traces(shown)}`;
  const total = Math.max(stored, state.offset + shown + (state.hasMore ? 1 : 0));   // a count a moment older than the list
  return total === shown ? `${count(shown)} ${traces(shown)}` : `${count(shown)} of ${count(total)} traces`;
}

// How many traces are stored comes from GET /api/status, which counts them (in accounts mode, the environment's, as
// the list shows): asked at most every STORED_COUNT_EVERY_MS and never awaited by the list, so counting at millions
// of spans never holds up the page.
const STORED_COUNT_EVERY_MS = 30000;   // each answer counts every trace and span stored
let storedCountAskedAt = -Infinity;
let storedCountRunning = false;

async function refreshStoredCount() {
  if (storedCountRunning || Date.now() - storedCountAskedAt < STORED_COUNT_EVERY_MS) return;
  storedCountRunning = true;
  storedCountAskedAt = Date.now();
  try {
    state.storedTraces = (await getJson("/api/status")).traces;
    if (currentRoute().view === "list") $("summary").textContent = summaryText(filterQuery().toString() !== "");
  } catch {
    // Without the count the header says "latest 200"; the list itself is unaffected.
  } finally {
    storedCountRunning = false;
  }
}
