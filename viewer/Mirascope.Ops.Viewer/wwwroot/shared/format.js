// How figures read on the page: durations, times, rates, tokens and costs.

import { el } from "./dom.js";

export function formatDuration(ns) {
  const ms = Number(ns) / 1e6;
  if (ms < 1000) return ms.toFixed(2) + " ms";
  return (ms / 1000).toFixed(2) + " s";
}

// A cost in dollars as the Cloud showed it (4 decimals under $0.01), or why there is none. cost: {costUsd, costComplete,
// unpricedModels}. A model without a price is never shown as $0: "no price" (or "+ ?" after the priced part).
export function formatCost(cost) {
  if (!cost) return { text: "", title: "" };
  const unpriced = cost.unpricedModels || [];
  const title = unpriced.length ? `No price for ${unpriced.join(", ")}: add it with --prices <file>` : "";
  if (cost.costUsd === null || cost.costUsd === undefined) return { text: unpriced.length ? "no price" : "", title };
  const usd = Number(cost.costUsd);
  const text = usd === 0 ? "$0" : usd < 0.01 ? "$" + usd.toFixed(4) : "$" + usd.toFixed(2);
  return { text: cost.costComplete === false ? text + " + ?" : text, title };
}

export function costCell(cost) {
  const { text, title } = formatCost(cost);
  return el("td", { class: "num cost" + (title ? " unpriced" : ""), title: title || null, text });
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return "";
  return ms < 1000 ? `${Number(ms).toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatRate(rate) {
  return rate === null || rate === undefined ? "" : `${(rate * 100).toFixed(1)}%`;
}

export function formatIso(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function nsToDate(ns) {
  return new Date(Number(BigInt(ns) / 1000000n));
}

function pad(n, width = 2) { return String(n).padStart(width, "0"); }

export function formatTime(ns) {
  const d = nsToDate(ns);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function tokensText(figures) {
  return figures.inputTokens || figures.outputTokens ? `${figures.inputTokens} / ${figures.outputTokens}` : "";
}
