// Shows the view the address names and starts its load.

import { $ } from "./dom.js";
import { showLoading } from "./loading.js";
import { loads } from "./loads.js";
import { VIEWS, currentRoute } from "./route.js";
import { state } from "./state.js";
import { clearTraceHeader } from "../views/trace.js";

let lastListFocus = null;

export function route() {
  const current = currentRoute();
  showLoading();
  for (const [view, id] of Object.entries(VIEWS)) {
    if ($(id)) $(id).hidden = view !== current.view && !(view === "trace" && current.view === "queue");
  }
  for (const [id, views] of [["nav-traces", ["list", "trace"]], ["nav-functions", ["functions", "function", "queue"]], ["nav-dashboard", ["dashboard"]]]) {
    if (views.includes(current.view)) $(id).setAttribute("aria-current", "page"); else $(id).removeAttribute("aria-current");
  }
  const { traceId } = current;
  if (current.view !== "trace" && current.view !== "queue") state.trace = null;
  if (current.view !== "queue") state.queue = null;
  if (current.view === "trace") {
    if (!state.trace || state.trace.traceId !== traceId) {
      state.trace = null;
      state.selectedSpanId = null;
      $("waterfall").replaceChildren();
      $("details").replaceChildren();
      clearTraceHeader();   // never the figures of the trace opened before
      lastListFocus = traceId;
    }
    loads.trace(traceId, true).then(() => {
      const row = $("waterfall").querySelector('[aria-selected="true"]');
      if (row) row.focus();
    });
    return;
  }
  document.title = "Mirascope.Ops viewer";
  if (current.view === "functions") {
    state.returnTo = "#/functions";
    loads.functions().then(() => {
      const row = state.fn && $("function-rows").querySelector(`tr[data-function="${CSS.escape(state.fn.name)}"]`);
      if (row) row.focus();
    });
  } else if (current.view === "function") {
    state.returnTo = location.hash;
    const same = state.fn && state.fn.name === current.functionName;
    if (!same) {
      state.fn = null;
      state.selectedHash = null;
      for (const id of ["function-title", "function-meta", "code", "code-version", "version-traces-title"]) $(id).textContent = "";
      for (const id of ["version-rows", "diff", "version-trace-rows"]) $(id).replaceChildren();
    }
    // The queue's link follows the route at once: clicked before the function's figures arrive, it still opens this
    // function's queue (not the list, nor the function shown before).
    $("queue-link").href = "#/queue/" + encodeURIComponent(current.functionName);
    loads.fn(current.functionName, same).then(() => {
      const row = $("version-rows").querySelector('tr[aria-selected="true"]');
      if (row) row.focus();
    });
  } else if (current.view === "dashboard") {
    loads.dashboard();
  } else if (current.view === "queue") {
    state.returnTo = location.hash;
    loads.queue(current.functionName);
  } else {
    state.returnTo = "#/";
    loads.list().then(() => {
      const row = lastListFocus && $("trace-rows").querySelector(`tr[data-trace-id="${CSS.escape(lastListFocus)}"]`);
      if (row) row.focus();
    });
  }
}
