// Loads one at a time per view, with a loading state.

import { $, showError } from "./dom.js";
import { VIEWS, currentRoute } from "./route.js";

// A view's query is never started while the same one is in flight. A request meanwhile (spans arrived, a filter, a
// page or a period changed) becomes the one pending load, started when the answer is in and with the latest
// arguments; more requests meanwhile fold into it. So a stream of live events costs one query at a time however slow
// the query is, and every answer is rendered (each load checks that its view is still the one shown). Without this,
// each event started another query: at 1 M spans the dashboard's 30 s queries piled up and it never rendered.
export function singleFlight(sectionId, label, load) {
  let running = false;
  let queued = null;   // the pending load: {args, promise, resolve}
  async function run(args) {
    running = true;
    setBusy(sectionId, label, 1);
    try {
      await load(...args);
    } catch (error) {
      showError(error.message);
    } finally {
      setBusy(sectionId, label, -1);
      running = false;
    }
    if (queued) {
      const next = queued;
      queued = null;
      run(next.args).then(next.resolve);
    }
  }
  return (...args) => {
    if (!running) return run(args);
    if (queued) {
      queued.args = args;
    } else {
      let resolve;
      const promise = new Promise((done) => { resolve = done; });
      queued = { args, promise, resolve };
    }
    return queued.promise;
  };
}

// Loading states: a view's section is aria-busy while one of its loads runs, and the header says what is loading when
// the shown view is (the previous figures stay in place meanwhile).
const busy = new Map();   // section id → {count, label}

function setBusy(sectionId, label, change) {
  const entry = busy.get(sectionId) || { count: 0, label };
  entry.count += change;
  if (change > 0) entry.label = label;
  busy.set(sectionId, entry);
  const section = $(sectionId);
  if (section) {
    if (entry.count > 0) section.setAttribute("aria-busy", "true"); else section.removeAttribute("aria-busy");
  }
  showLoading();
}

export function showLoading() {
  const view = currentRoute().view;
  const ids = view === "queue" ? ["queue-view", "trace-view"] : [VIEWS[view]];
  const entry = ids.map((id) => busy.get(id)).find((e) => e && e.count > 0);
  const loading = $("loading");
  loading.hidden = !entry;
  loading.textContent = entry ? entry.label : "";
}
