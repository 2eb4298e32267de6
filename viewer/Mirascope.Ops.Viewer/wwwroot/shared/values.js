// A span's values on the page: JSON indented and coloured, long text cut with "Show all", each within BOUNDS.

import { cutText, el } from "./dom.js";

// What one value may cost the page. A span holds whatever the traced app gave it; without these bounds a
// 300,000-element JSON value became 600,000 elements (15.7 s) and JSON text nested 6,000 deep overflowed the stack.
export const BOUNDS = {
  shownChars: 50000,      // characters of one value shown until "Show all" is pressed
  colouredChars: 20000,   // larger JSON is indented plain text: one text node, not an element per token
  parsedChars: 1000000,   // longer text is not parsed as JSON at all
  depth: 64,              // JSON text nested deeper is shown as text (indenting and colouring it would recurse)
  nameChars: 300,         // of a span name in the tree, the header and the details heading
  attributes: 500,        // rows of the attribute table until "Show all" is pressed
};

// How deep the brackets of JSON text nest, counted without recursion and given up once past limit.
function nestingDepth(text, limit) {
  let depth = 0, deepest = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;                 // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {  // { [
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 125 || c === 93) {  // } ]
      depth--;
    }
  }
  return deepest;
}

// A string attribute that holds JSON (arguments, messages, metadata) is shown parsed and indented:
// {parsed} then, {note} when it looks like JSON but is shown as text, null for other values.
export function asJson(value) {
  if (typeof value === "string") {
    const text = value.trim();
    if ((text.startsWith("{") && text.endsWith("}")) || (text.startsWith("[") && text.endsWith("]"))) {
      if (text.length > BOUNDS.parsedChars) return { note: `JSON text of ${text.length.toLocaleString("en")} characters, shown as text` };
      if (nestingDepth(text, BOUNDS.depth) > BOUNDS.depth) return { note: `JSON text nested deeper than ${BOUNDS.depth} levels, shown as text` };
      try { return { parsed: JSON.parse(text) }; } catch { return null; }
    }
    return null;
  }
  if (value !== null && typeof value === "object") return { parsed: value };
  return null;
}

// Text in a <pre>, cut to BOUNDS.shownChars with a button that shows the rest (one text node either way).
export function textBlock(text, className, note) {
  const pre = el("pre", { class: className });
  const noteLine = note ? el("p", { class: "value-note", text: note }) : null;
  if (text.length <= BOUNDS.shownChars) {
    pre.textContent = text;
    return noteLine ? el("div", { class: "value" }, noteLine, pre) : pre;
  }
  pre.textContent = cutText(text, BOUNDS.shownChars);
  const cut = el("p", { class: "value-cut" },
    `cut: ${BOUNDS.shownChars.toLocaleString("en")} of ${text.length.toLocaleString("en")} characters shown `,
    el("button", { type: "button", class: "link", text: "Show all", onclick: () => { pre.textContent = text; cut.remove(); } }));
  return el("div", { class: "value" }, noteLine, pre, cut);
}

// Indented JSON with light syntax colouring, built from text nodes; large JSON is indented plain text.
export function jsonBlock(value) {
  const text = JSON.stringify(value, null, 2);
  if (text.length > BOUNDS.colouredChars) return textBlock(text, "json", null);
  const pre = el("pre", { class: "json" });
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const match of text.matchAll(token)) {
    if (match.index > last) pre.append(text.slice(last, match.index));
    if (match[1] !== undefined) {
      pre.append(el("span", { class: match[2] ? "k" : "s", text: match[1] }));
      if (match[2]) pre.append(match[2]);
    } else if (match[3] !== undefined) {
      pre.append(el("span", { class: "b", text: match[3] }));
    } else {
      pre.append(el("span", { class: "n", text: match[4] }));
    }
    last = match.index + match[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

export function valueBlock(value) {
  const json = asJson(value);
  if (json && "parsed" in json) return jsonBlock(json.parsed);
  return textBlock(valueText(value), "text", json ? json.note : null);
}

// A value in the attribute table: JSON indented, short text as it is, long text cut.
export function valueCell(value) {
  const json = asJson(value);
  if (json && "parsed" in json) return jsonBlock(json.parsed);
  const text = valueText(value);
  return json || text.length > BOUNDS.shownChars ? textBlock(text, "text", json ? json.note : null) : text;
}

export function valueText(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}
