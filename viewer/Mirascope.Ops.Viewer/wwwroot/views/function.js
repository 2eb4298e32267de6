// One function: its versions, the selected version's code and traces, and a diff between two versions.

import { getJson } from "../shared/api.js";
import { $, cutText, el, safely, showError } from "../shared/dom.js";
import { costCell, formatCost, formatIso, formatMs, formatRate, tokensText } from "../shared/format.js";
import { lineDiff } from "../shared/line-diff.js";
import { loads } from "../shared/loads.js";
import { currentRoute } from "../shared/route.js";
import { state } from "../shared/state.js";
import { listRow } from "../shared/trace-rows.js";
import { BOUNDS } from "../shared/values.js";

function versionLabel(version) {
  return version.version ? "v" + version.version : "unregistered " + version.hash.slice(0, 10);
}

export async function loadFunction(name, keepSelection) {
  try {
    const body = await getJson("/api/functions/versions?name=" + encodeURIComponent(name));
    if (currentRoute().functionName !== name) return;
    state.fn = body;
    renderFunction(keepSelection);
    showError("");
  } catch (error) {
    showError(error.status === 404 ? `No function named ${name} is registered or seen.` : "Could not load the function: " + error.message);
  }
}

function renderFunction(keepSelection) {
  const fn = state.fn;
  $("function-title").textContent = cutText(fn.name, BOUNDS.nameChars);
  document.title = `${cutText(fn.name, BOUNDS.nameChars)} · Mirascope.Ops viewer`;
  const t = fn.totals;
  const cost = formatCost(t);
  $("function-meta").textContent = `${fn.versions.length} version${fn.versions.length === 1 ? "" : "s"} · ${t.calls} calls · ${formatRate(t.errorRate)} errors`
    + (t.p50DurationMs !== null ? ` · p50 ${formatMs(t.p50DurationMs)} · p95 ${formatMs(t.p95DurationMs)}` : "") + (cost.text ? ` · ${cost.text}` : "");
  $("queue-link").href = "#/queue/" + encodeURIComponent(fn.name);
  const focusedHash = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.hash : null;
  $("version-rows").replaceChildren(...fn.versions.map((version) => safely("This version", () => versionRow(version))));

  // The diff compares the previous version with the newest by default; either side can be changed.
  const options = (select, chosen) => {
    select.replaceChildren(...fn.versions.map((v) => el("option", { value: v.hash, selected: v.hash === chosen, text: versionLabel(v) })));
  };
  const keepFrom = keepSelection ? $("diff-from").value : null, keepTo = keepSelection ? $("diff-to").value : null;
  const has = (hash) => hash && fn.versions.some((v) => v.hash === hash);
  options($("diff-from"), has(keepFrom) ? keepFrom : (fn.versions[1] || fn.versions[0]).hash);
  options($("diff-to"), has(keepTo) ? keepTo : fn.versions[0].hash);
  renderDiff();
  selectVersion(keepSelection && has(state.selectedHash) ? state.selectedHash : fn.versions[0].hash, false);
  const again = focusedHash && $("version-rows").querySelector(`tr[data-hash="${CSS.escape(focusedHash)}"]`);
  if (again) again.focus();
}

function versionRow(version) {
  return el("tr", {
    tabindex: "0",
    "data-hash": version.hash,
    "aria-label": `${versionLabel(version)}, ${version.calls} calls`,
    onclick: () => selectVersion(version.hash, true),
    onkeydown: (event) => { if (event.key === "Enter") { event.preventDefault(); selectVersion(version.hash, true); } },
  },
    el("td", { class: "mono", title: version.hash }, versionLabel(version)),
    el("td", { class: "mono", text: formatIso(version.firstSeen) }),
    el("td", { class: "mono", text: formatIso(version.lastSeen) }),
    el("td", { class: "num", text: String(version.calls) }),
    el("td", { class: "num" + (version.errors ? " status-error" : ""), text: formatRate(version.errorRate) }),
    el("td", { class: "num", text: formatMs(version.p50DurationMs) }),
    el("td", { class: "num", text: formatMs(version.p95DurationMs) }),
    el("td", { class: "num", text: tokensText(version) }),
    costCell(version));
}

function codeOf(version) {
  return version.function ? version.function.code : null;
}

function selectVersion(hash, focus) {
  const version = state.fn.versions.find((v) => v.hash === hash);
  if (!version) return;
  state.selectedHash = hash;
  for (const row of $("version-rows").children) row.setAttribute("aria-selected", String(row.dataset.hash === hash));
  if (focus) {
    const row = $("version-rows").querySelector(`tr[data-hash="${CSS.escape(hash)}"]`);
    if (row) row.focus();
  }
  $("code-version").textContent = versionLabel(version);
  const code = codeOf(version);
  $("code").textContent = code === null ? "This version is not registered, so its code is not known: the spans name only its hash "
    + version.hash + ". An app registers a version with POST /api/v2/functions." : textOrCut(code);
  $("version-traces-title").textContent = `Traces of ${versionLabel(version)}`;
  loads.versionTraces(hash);
}

function textOrCut(text) {
  return text.length > BOUNDS.shownChars ? cutText(text, BOUNDS.shownChars) : text;
}

export async function loadVersionTraces(hash) {
  try {
    const body = await getJson("/api/traces?limit=50&version=" + encodeURIComponent(hash));
    if (state.selectedHash !== hash) return;
    const costs = body.costs || {};
    $("version-trace-rows").replaceChildren(...body.traces.map((trace) => safely("This trace", () => listRow(trace, costs[trace.traceId]))));
  } catch (error) {
    showError("Could not load the version's traces: " + error.message);
  }
}

export function renderDiff() {
  const diff = $("diff");
  const from = state.fn.versions.find((v) => v.hash === $("diff-from").value);
  const to = state.fn.versions.find((v) => v.hash === $("diff-to").value);
  if (!from || !to) { diff.replaceChildren(); return; }
  if (codeOf(from) === null || codeOf(to) === null) {
    diff.replaceChildren(el("p", { class: "muted", text: "An unregistered version has no code to compare." }));
    return;
  }
  const lines = lineDiff(textOrCut(codeOf(from)), textOrCut(codeOf(to)));
  if (lines === null) {
    diff.replaceChildren(el("p", { class: "muted", text: "The versions are too long to compare line by line." }));
    return;
  }
  const added = lines.filter((l) => l[0] === "+").length, removed = lines.filter((l) => l[0] === "-").length;
  diff.replaceChildren(
    el("p", { class: "diff-summary muted", text: added + removed === 0 ? "The code is the same." : `${added} line${added === 1 ? "" : "s"} added, ${removed} removed` }),
    el("pre", { class: "code diff-lines" }, lines.map(([mark, text]) =>
      el("span", { class: mark === "+" ? "add" : mark === "-" ? "del" : "same", text: `${mark} ${text}\n` }))));
}
