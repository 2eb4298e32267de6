// Keyboard: moving in lists and the span tree, annotating, help.

import { $ } from "./dom.js";
import { currentRoute } from "./route.js";
import { route } from "./router.js";
import { state } from "./state.js";
import { saveAnnotation } from "../views/annotations.js";
import { nextInQueue } from "../views/queue.js";
import { selectSpan, selectedIndex } from "../views/trace.js";

// The rows the arrow keys move through: those of the table in the view that is shown.
function listRows() {
  const view = currentRoute().view;
  const id = view === "functions" ? "function-rows" : view === "function" ? "version-rows" : "trace-rows";
  return Array.from($(id).querySelectorAll("tr"));
}

function moveInList(step) {
  const rows = listRows();
  if (rows.length === 0) return;
  const index = rows.indexOf(document.activeElement);
  const next = index < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, index + step));
  rows[next].focus();
  rows[next].scrollIntoView({ block: "nearest" });
}

function isTyping(target) {
  return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
}

export function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const view = currentRoute().view;
  const inTrace = view === "trace" || (view === "queue" && !!state.trace);
  if (event.key === "Escape") {
    if (!$("help").hidden) { toggleHelp(false); return; }
    if (isTyping(event.target)) { event.target.blur(); return; }
    if (view === "queue") { event.preventDefault(); location.hash = "#/function/" + encodeURIComponent(currentRoute().functionName); return; }
    if (inTrace) { event.preventDefault(); location.hash = view === "trace" && state.returnTo !== location.hash ? state.returnTo || "#/" : "#/"; return; }
    if (view === "function" && !isTyping(event.target)) { event.preventDefault(); location.hash = "#/functions"; return; }
    if (isTyping(event.target)) { event.target.blur(); return; }
  }
  if (isTyping(event.target)) return;
  const down = event.key === "ArrowDown" || event.key === "j";
  const up = event.key === "ArrowUp" || event.key === "k";
  if (event.key === "/") {
    event.preventDefault();
    if (view !== "list") location.hash = "#/";
    setTimeout(() => $("f-name").focus(), 0);
  } else if (event.key === "?") {
    toggleHelp();
  } else if (event.key === "r") {
    route();
  } else if (inTrace && (down || up)) {
    event.preventDefault();
    selectSpan(Math.max(0, Math.min(state.rows.length - 1, selectedIndex() + (down ? 1 : -1))), true);
  } else if (inTrace && (event.key === "Home" || event.key === "End")) {
    event.preventDefault();
    selectSpan(event.key === "Home" ? 0 : state.rows.length - 1, true);
  } else if (inTrace && (event.key === "p" || event.key === "f")) {
    event.preventDefault();
    if (state.selectedSpanId) saveAnnotation(state.selectedSpanId, event.key === "p" ? "pass" : "fail");
  } else if (inTrace && event.key === "a") {
    event.preventDefault();
    if ($("annotation-reasoning")) $("annotation-reasoning").focus();
  } else if (view === "queue" && event.key === "s") {
    event.preventDefault();
    nextInQueue(true);
  } else if (inTrace && event.key === "e") {
    const from = selectedIndex();
    for (let i = 1; i <= state.rows.length; i++) {
      const candidate = (from + i) % state.rows.length;
      if (state.rows[candidate].span.status.code === 2) { selectSpan(candidate, true); break; }
    }
  } else if ((view === "list" || view === "functions" || view === "function") && (down || up)) {
    event.preventDefault();
    moveInList(down ? 1 : -1);
  }
}

export function toggleHelp(show) {
  const help = $("help");
  help.hidden = show === undefined ? !help.hidden : !show;
  $("help-button").setAttribute("aria-expanded", String(!help.hidden));
}
