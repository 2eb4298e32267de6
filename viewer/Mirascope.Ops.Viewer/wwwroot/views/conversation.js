// A model call's messages as chat turns.

import { cutText, el, safely } from "../shared/dom.js";
import { asJson, textBlock, valueBlock, valueText } from "../shared/values.js";

const MAX_TURNS = 200;   // turns drawn per span; the raw attributes below still hold every message

function parsedList(value) {
  const json = asJson(value);
  if (!json || !("parsed" in json)) return null;
  return Array.isArray(json.parsed) ? json.parsed : [json.parsed];
}

// One message part as {kind, text, name, id, value}: text, a tool call and its arguments, a tool's result, a thought.
function conversationPart(part) {
  if (typeof part === "string") return { kind: "text", text: part };
  if (!part || typeof part !== "object") return { kind: "other", value: part };
  const type = part.type || "text";
  if (type === "text") return { kind: "text", text: valueText(part.content ?? part.text ?? "") };
  if (type === "tool_call") return { kind: "call", name: part.name, id: part.id, value: part.arguments ?? part.args };
  if (type === "tool_call_response" || type === "tool_output") return { kind: "result", name: part.name, id: part.id, value: part.response ?? part.result };
  if (type === "thought" || type === "reasoning") return { kind: "thought", text: valueText(part.thought ?? part.content ?? "") };
  return { kind: "other", value: part };
}

// The span's messages as chat turns [{role, name, parts}], from the gen_ai attributes (system instructions, input and
// output messages, either spelling) or else Mirascope's response messages and content; null when the span has none.
export function conversationOf(attributes) {
  const turns = [];
  const system = parsedList(attributes["gen_ai.system_instructions"]);
  const input = parsedList(attributes["gen_ai.input.messages"] ?? attributes["gen_ai.input_messages"]);
  const output = parsedList(attributes["gen_ai.output.messages"] ?? attributes["gen_ai.output_messages"]);
  if (system || input || output) {
    if (system) turns.push({ role: "system", parts: system.map(conversationPart) });
    // The current conventions keep the finish reasons out of the messages: output message i's is finish_reasons[i].
    const rawReasons = attributes["gen_ai.response.finish_reasons"];
    const reasons = typeof rawReasons === "string" && !rawReasons.trim().startsWith("[") ? [rawReasons] : parsedList(rawReasons) || [];
    const inputCount = (input || []).length;
    for (const [index, message] of [...(input || []), ...(output || [])].entries()) {
      if (!message || typeof message !== "object") continue;
      const reason = message.finish_reason || (index >= inputCount ? reasons[index - inputCount] : null);
      turns.push({ role: String(message.role || "user"), name: message.name || null, finish: reason ? String(reason) : null,
        parts: (Array.isArray(message.parts) ? message.parts : [message.content ?? ""]).map(conversationPart) });
    }
    return turns;
  }
  const messages = parsedList(attributes["mirascope.response.messages"]);
  const content = parsedList(attributes["mirascope.response.content"]);
  if (!messages && !content) return null;
  for (const message of messages || []) {
    if (!message || typeof message !== "object") continue;
    const parts = Array.isArray(message.content) ? message.content : [message.content];
    turns.push({ role: String(message.role || "user"), name: message.name || null, parts: parts.map(conversationPart) });
  }
  if (content) turns.push({ role: "assistant", parts: content.map(conversationPart) });
  return turns;
}

export function conversationBlock(turns) {
  const shown = turns.slice(0, MAX_TURNS);
  return el("div", { class: "conversation" },
    shown.map((turn) => el("div", { class: "turn role-" + turn.role.replace(/[^a-z_]/gi, "") },
      el("div", { class: "turn-role" }, turn.role, turn.name ? el("span", { class: "muted", text: " · " + cutText(String(turn.name), 100) }) : null,
        turn.finish ? el("span", { class: "muted", text: " · " + turn.finish }) : null),
      turn.parts.map((part) => safely("This part", () => {
        if (part.kind === "text") return textBlock(part.text, "turn-text", null);
        if (part.kind === "thought") return el("div", { class: "turn-thought" }, el("span", { class: "muted", text: "thinking: " }), textBlock(part.text, "turn-text", null));
        if (part.kind === "call" || part.kind === "result") {
          return el("div", { class: "turn-tool " + part.kind },
            el("div", { class: "turn-tool-head", text: (part.kind === "call" ? "→ calls tool" : "← result of tool")
              + (part.name ? " " + cutText(String(part.name), 200) : "") + (part.id ? ` (${cutText(String(part.id), 100)})` : "") }),
            part.value === undefined ? null : valueBlock(part.value));
        }
        return valueBlock(part.value);
      })))),
    turns.length > MAX_TURNS ? el("p", { class: "value-cut", text: `${MAX_TURNS} of ${turns.length} turns shown; the attributes below have them all` }) : null);
}
