// Live updates: the server's event stream says spans arrived; the shown view refreshes through its single flight.

import { $ } from "./dom.js";
import { loads } from "./loads.js";
import { currentRoute } from "./route.js";
import { state } from "./state.js";
import { scheduleList } from "../views/list.js";

function onSpans(latestSequence) {
  if (latestSequence === state.latestSequence) return;
  state.latestSequence = latestSequence;
  const current = currentRoute();
  // Each goes through the view's single flight: while its query runs, any number of events make one pending refresh.
  if (current.view === "trace") loads.trace(current.traceId, true);
  else if (current.view === "queue" && state.queue && state.queue.traceId) loads.trace(state.queue.traceId, true);
  else if (current.view === "list") scheduleList(150);
  else if (current.view === "functions") loads.functions();
  else if (current.view === "function") loads.fn(current.functionName, true);
  else if (current.view === "dashboard") loads.dashboard();
}

export function connectLive() {
  const live = $("live");
  if (!("EventSource" in window)) {
    live.textContent = "polling";
    setInterval(() => onSpans(-2 - Date.now()), 3000);
    return;
  }
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => { live.className = "live on"; live.textContent = "live"; });
  source.addEventListener("error", () => { live.className = "live off"; live.textContent = "reconnecting…"; });
  source.addEventListener("spans", (event) => {
    live.className = "live on";
    live.textContent = "live";
    try { onSpans(JSON.parse(event.data).latestSequence); } catch { /* ignore a garbled event */ }
  });
}
