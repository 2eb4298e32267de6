// The functions list.

import { getJson } from "../shared/api.js";
import { $, cutText, el, safely, showError } from "../shared/dom.js";
import { costCell, formatIso, formatMs, formatRate, tokensText } from "../shared/format.js";
import { BOUNDS } from "../shared/values.js";

export async function loadFunctions() {
  try {
    const body = await getJson("/api/functions");
    const rows = $("function-rows");
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.function : null;
    rows.replaceChildren(...body.functions.map((fn) => safely("This function", () => functionRow(fn))));
    // A refresh (spans arrived) keeps the keyboard where it was.
    const again = focused && rows.querySelector(`tr[data-function="${CSS.escape(focused)}"]`);
    if (again) again.focus();
    $("functions-empty").hidden = body.functions.length > 0;
    $("summary").textContent = body.functions.length === 1 ? "1 function" : `${body.functions.length} functions`;
    showError("");
  } catch (error) {
    showError("Could not load the functions: " + error.message);
  }
}

function openFunction(name) {
  location.hash = "#/function/" + encodeURIComponent(name);
}

function functionRow(fn) {
  return el("tr", {
    tabindex: "0",
    "data-function": fn.name,
    "aria-label": `${fn.name}, ${fn.calls} calls`,
    onclick: () => openFunction(fn.name),
    onkeydown: (event) => { if (event.key === "Enter") { event.preventDefault(); openFunction(fn.name); } },
  },
    el("td", { class: "name", title: fn.name }, cutText(fn.name, BOUNDS.nameChars), fn.description ? el("small", { text: cutText(fn.description, 200) }) : null),
    el("td", { class: "mono", text: fn.latestVersion ? "v" + fn.latestVersion : "unregistered" }),
    el("td", { class: "num", text: String(fn.versionCount) }),
    el("td", { class: "num", text: String(fn.calls) }),
    el("td", { class: "num" + (fn.errors ? " status-error" : ""), text: formatRate(fn.errorRate) }),
    el("td", { class: "num", text: formatMs(fn.p50DurationMs) }),
    el("td", { class: "num", text: formatMs(fn.p95DurationMs) }),
    el("td", { class: "num", text: tokensText(fn) }),
    costCell(fn),
    el("td", { class: "mono", text: formatIso(fn.lastSeen) }));
}
