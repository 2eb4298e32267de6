// Mirascope.Ops viewer page: the trace list, one trace's span waterfall and the selected span's details, the functions
// pages and the dashboard. Plain ES modules with no dependencies and no build step: this entry module wires the page's
// controls and starts the router; each view is a module in views/, what they share in shared/. Every value from a
// span is inserted as text, never as HTML.

import { returnAfterSignIn } from "./shared/api.js";
import { $ } from "./shared/dom.js";
import { onKey, toggleHelp } from "./shared/keys.js";
import { connectLive } from "./shared/live.js";
import { loads } from "./shared/loads.js";
import { route } from "./shared/router.js";
import { state } from "./shared/state.js";
import { renderDiff } from "./views/function.js";
import { newerPage, olderPage, scheduleList } from "./views/list.js";
import { nextInQueue } from "./views/queue.js";
import { writeTraceTableHeads } from "./shared/trace-rows.js";

function init() {
  writeTraceTableHeads();
  $("empty-env").textContent = `MIRASCOPE_BASE_URL=${location.origin}/api/v2\nMIRASCOPE_API_KEY=local`;
  const form = $("filters");
  form.addEventListener("input", () => scheduleList(250));
  form.addEventListener("change", () => {
    $("custom-range").hidden = $("f-range").value !== "custom";
    scheduleList(0);
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); scheduleList(0); });
  form.addEventListener("reset", () => setTimeout(() => { $("custom-range").hidden = true; scheduleList(0); }, 0));
  $("help-button").addEventListener("click", () => toggleHelp());
  $("page-older").addEventListener("click", olderPage);
  $("page-newer").addEventListener("click", newerPage);
  document.addEventListener("keydown", onKey);
  $("queue-skip").addEventListener("click", () => nextInQueue(true));
  $("d-period").addEventListener("change", () => loads.dashboard());
  $("diff-from").addEventListener("change", renderDiff);
  $("diff-to").addEventListener("change", renderDiff);
  window.addEventListener("hashchange", route);
  returnAfterSignIn();
  route();
  connectLive();
}

init();
