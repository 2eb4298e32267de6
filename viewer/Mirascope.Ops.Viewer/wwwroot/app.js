// Mirascope.Ops viewer page: the trace list, one trace's span waterfall and the selected span's details.
// Plain browser JavaScript with no dependencies; every value from a span is inserted as text, never as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  // Attributes shown in their own section, pretty-printed, above the full attribute table.
  const SECTIONS = [
    ["mirascope.trace.arg_values", "Arguments"],
    ["mirascope.trace.output", "Output"],
    ["mirascope.trace.metadata", "Metadata"],
    ["gen_ai.system_instructions", "System instructions"],
    ["gen_ai.input.messages", "Input messages"],
    ["gen_ai.output.messages", "Output messages"],
    ["gen_ai.tool.definitions", "Tool definitions"],
    ["mirascope.response.messages", "Response messages"],
    ["mirascope.response.content", "Response content"],
    ["mirascope.response.usage", "Usage"],
    ["mirascope.ops.session.attributes", "Session attributes"],
  ];

  // What one value may cost the page. A span holds whatever the traced app gave it; without these bounds a
  // 300,000-element JSON value became 600,000 elements (15.7 s) and JSON text nested 6,000 deep overflowed the stack.
  const BOUNDS = {
    shownChars: 50000,      // characters of one value shown until "Show all" is pressed
    colouredChars: 20000,   // larger JSON is indented plain text: one text node, not an element per token
    parsedChars: 1000000,   // longer text is not parsed as JSON at all
    depth: 64,              // JSON text nested deeper is shown as text (indenting and colouring it would recurse)
    nameChars: 300,         // of a span name in the tree, the header and the details heading
    attributes: 500,        // rows of the attribute table until "Show all" is pressed
  };

  const PAGE_SIZE = 200;   // the list's page; Older → asks for the next one (offset)

  const state = {
    offset: 0,          // the trace list's page
    hasMore: false,
    listKey: null,      // the filters the offset belongs to
    traces: [],
    costs: {},          // the listed traces' costs by trace id
    fn: null,           // the open function page: {name, versions, totals}
    selectedHash: null, // the version whose code and traces the function page shows
    returnTo: "#/",     // where Esc goes from a trace
    latestSequence: -1,
    trace: null,        // the open trace: {traceId, spans}
    traceStart: 0n,     // its earliest span's start (Unix nanoseconds)
    rows: [],           // span rows of the open trace in display order
    selectedSpanId: null,
    listTimer: 0,
  };

  // ---------- small helpers ----------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key === "style") Object.assign(node.style, value);   // CSSOM: allowed by the page's CSP, a style attribute is not
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : value);
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function formatDuration(ns) {
    const ms = Number(ns) / 1e6;
    if (ms < 1000) return ms.toFixed(2) + " ms";
    return (ms / 1000).toFixed(2) + " s";
  }

  // A cost in dollars as the Cloud showed it (4 decimals under $0.01), or why there is none. cost: {costUsd, costComplete,
  // unpricedModels}. A model without a price is never shown as $0: "no price" (or "+ ?" after the priced part).
  function formatCost(cost) {
    if (!cost) return { text: "", title: "" };
    const unpriced = cost.unpricedModels || [];
    const title = unpriced.length ? `No price for ${unpriced.join(", ")}: add it with --prices <file>` : "";
    if (cost.costUsd === null || cost.costUsd === undefined) return { text: unpriced.length ? "no price" : "", title };
    const usd = Number(cost.costUsd);
    const text = usd === 0 ? "$0" : usd < 0.01 ? "$" + usd.toFixed(4) : "$" + usd.toFixed(2);
    return { text: cost.costComplete === false ? text + " + ?" : text, title };
  }

  function costCell(cost) {
    const { text, title } = formatCost(cost);
    return el("td", { class: "num cost" + (title ? " unpriced" : ""), title: title || null, text });
  }

  function formatMs(ms) {
    if (ms === null || ms === undefined) return "";
    return ms < 1000 ? `${Number(ms).toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  function formatRate(rate) {
    return rate === null || rate === undefined ? "" : `${(rate * 100).toFixed(1)}%`;
  }

  function formatIso(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function nsToDate(ns) {
    return new Date(Number(BigInt(ns) / 1000000n));
  }

  function pad(n, width = 2) { return String(n).padStart(width, "0"); }

  function formatTime(ns) {
    const d = nsToDate(ns);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  }

  // A value's text, cut to at most max characters (never inside a surrogate pair), with "…" when cut.
  function cutText(text, max) {
    if (text.length <= max) return text;
    const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
    return text.slice(0, end) + "…";
  }

  // Builds one part of the page; a value that breaks it costs only that part, never the other spans or sections.
  function safely(what, build) {
    try {
      return build();
    } catch (error) {
      return el("p", { class: "render-error", text: `${what} could not be shown: ${error && error.message ? error.message : String(error)}` });
    }
  }

  function showError(message) {
    const banner = $("error");
    banner.textContent = message;
    banner.hidden = !message;
  }

  // A 401 means the page's session ended (signed out, the viewer restarted with another key): sign in again, and come
  // back to this view afterwards (the server's sign-in answer lands on "/", which cannot know the fragment).
  const RETURN_AFTER_SIGN_IN = "mirascope.returnAfterSignIn";
  function signInAgainOn401(response) {
    if (response.status !== 401) return;
    try { sessionStorage.setItem(RETURN_AFTER_SIGN_IN, location.hash); } catch { /* storage off: land on the list */ }
    location.assign("/login");
  }

  function returnAfterSignIn() {
    let hash = null;
    try {
      hash = sessionStorage.getItem(RETURN_AFTER_SIGN_IN);
      sessionStorage.removeItem(RETURN_AFTER_SIGN_IN);
    } catch { /* storage off */ }
    if (hash && hash.startsWith("#/") && !location.hash) history.replaceState(null, "", hash);
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    signInAgainOn401(response);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.message || `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

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
  function asJson(value) {
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
  function textBlock(text, className, note) {
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
  function jsonBlock(value) {
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

  function valueBlock(value) {
    const json = asJson(value);
    if (json && "parsed" in json) return jsonBlock(json.parsed);
    return textBlock(valueText(value), "text", json ? json.note : null);
  }

  // A value in the attribute table: JSON indented, short text as it is, long text cut.
  function valueCell(value) {
    const json = asJson(value);
    if (json && "parsed" in json) return jsonBlock(json.parsed);
    const text = valueText(value);
    return json || text.length > BOUNDS.shownChars ? textBlock(text, "text", json ? json.note : null) : text;
  }

  function valueText(value) {
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  // ---------- loads: one at a time per view, with a loading state ----------

  // A view's query is never started while the same one is in flight. A request meanwhile (spans arrived, a filter, a
  // page or a period changed) becomes the one pending load, started when the answer is in and with the latest
  // arguments; more requests meanwhile fold into it. So a stream of live events costs one query at a time however slow
  // the query is, and every answer is rendered (each load checks that its view is still the one shown). Without this,
  // each event started another query: at 1 M spans the dashboard's 30 s queries piled up and it never rendered.
  function singleFlight(sectionId, label, load) {
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

  function showLoading() {
    const view = currentRoute().view;
    const ids = view === "queue" ? ["queue-view", "trace-view"] : [VIEWS[view]];
    const entry = ids.map((id) => busy.get(id)).find((e) => e && e.count > 0);
    const loading = $("loading");
    loading.hidden = !entry;
    loading.textContent = entry ? entry.label : "";
  }

  const loads = {
    list: singleFlight("list-view", "Loading traces…", loadList),
    trace: singleFlight("trace-view", "Loading the trace…", loadTrace),
    functions: singleFlight("functions-view", "Loading functions…", loadFunctions),
    fn: singleFlight("function-view", "Loading the function…", loadFunction),
    versionTraces: singleFlight("function-view", "Loading the version's traces…", loadVersionTraces),
    dashboard: singleFlight("dashboard-view", "Loading the dashboard…", loadDashboard),
    queue: singleFlight("queue-view", "Loading the queue…", loadQueue),
  };

  // ---------- filters and the trace list ----------

  function filterQuery() {
    const params = new URLSearchParams();
    for (const [id, name] of [["name", "name"], ["tag", "tag"], ["session", "session"], ["q", "q"], ["service", "service"], ["min", "minDuration"],
      ["max", "maxDuration"], ["status", "status"], ["annotated", "annotated"], ["function", "function"], ["version", "version"]]) {
      const value = $("f-" + id).value.trim();
      if (value) params.set(name, value);
    }
    if ($("f-errors").checked) params.set("errors", "true");
    const range = $("f-range").value;
    const spans = { "15m": 15 * 60e3, "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3 };
    if (spans[range]) {
      params.set("from", new Date(Date.now() - spans[range]).toISOString());
    } else if (range === "custom") {
      const from = $("f-from").value, to = $("f-to").value;
      if (from) params.set("from", new Date(from).toISOString());
      if (to) params.set("to", new Date(to).toISOString());
    }
    return params;
  }

  // Run through loads.list, one at a time: a filter edit or a click on Older while a load is in flight becomes the
  // pending load, so an older answer never replaces the page the user asked for after it (it is followed by that one).
  async function loadList() {
    try {
      const query = filterQuery();
      const key = query.toString();
      if (key !== state.listKey) { state.listKey = key; state.offset = 0; }   // new filters start at the newest page
      if (state.offset) query.set("offset", String(state.offset));
      query.set("limit", String(PAGE_SIZE));
      const body = await getJson("/api/traces?" + query.toString());
      state.traces = body.traces;
      state.hasMore = body.hasMore;
      state.costs = body.costs || {};
      renderList();
      showError("");
    } catch (error) {
      showError("Could not load the traces: " + error.message);
    }
  }

  function scheduleList(delay = 200) {
    clearTimeout(state.listTimer);
    state.listTimer = setTimeout(loads.list, delay);
  }

  function renderList() {
    const body = $("trace-rows");
    const focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.traceId : null;
    body.replaceChildren();
    for (const trace of state.traces) {
      body.append(safely("This trace", () => listRow(trace, state.costs[trace.traceId])));
    }
    const filtered = filterQuery().toString() !== "";
    $("empty").hidden = state.traces.length > 0 || filtered;
    $("no-match").hidden = state.traces.length > 0 || !filtered;
    $("summary").textContent = state.traces.length === 1 ? "1 trace" : `${state.traces.length} traces`;
    $("page-newer").disabled = state.offset === 0;
    $("page-older").disabled = !state.hasMore;
    $("page-info").textContent = state.offset === 0 && !state.hasMore ? "" : `traces ${state.offset + 1}–${state.offset + state.traces.length}`;
    if (focusedId) {
      const again = body.querySelector(`tr[data-trace-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  }

  // One row of the list. The server cuts long texts (they end in "…" and are named in trace.truncated); the row says so.
  function listRow(trace, cost) {
    const failed = trace.status === "error";
    const cut = new Set(trace.truncated || []);
    const tokens = trace.inputTokens !== null || trace.outputTokens !== null
      ? `${trace.inputTokens ?? 0} / ${trace.outputTokens ?? 0}` : "";
    const tags = trace.tags || [];
    const moreTags = (trace.tagCount ?? tags.length) - tags.length;
    return el("tr", {
      tabindex: "0",
      class: failed ? "error" : "",
      "data-trace-id": trace.traceId,
      "aria-label": `${trace.rootName || "(unnamed)"}${failed ? ", failed" : ""}, ${formatDuration(trace.durationNs)}`,
      onclick: () => openTrace(trace.traceId),
      onkeydown: (event) => {
        if (event.key === "Enter") { event.preventDefault(); openTrace(trace.traceId); }
      },
    },
      el("td", { class: "name", title: trace.rootName || "" },
        trace.rootName || "(unnamed)",
        cut.has("rootName") ? el("span", { class: "cut", title: "The name is cut in the list; open the trace for all of it", text: "cut" }) : null,
        el("small", { class: "mono", text: `${trace.spanCount} span${trace.spanCount === 1 ? "" : "s"}${trace.serviceName ? " · " + trace.serviceName : ""}` })),
      el("td", { class: "mono", title: nsToDate(trace.startTimeUnixNano).toISOString(), text: formatTime(trace.startTimeUnixNano) }),
      el("td", { class: "num", text: formatDuration(trace.durationNs) }),
      el("td", { class: failed ? "status-error" : "status-ok" },
        failed ? `✗ error${trace.errorCount > 1 ? " ×" + trace.errorCount : ""}` : (trace.status === "ok" ? "✓ ok" : "✓")),
      el("td", { class: "mono", text: trace.sessionId || "" }),
      el("td", null, tags.map((tag) => el("span", { class: "tag", text: tag })),
        moreTags > 0 ? el("span", { class: "tag more", title: "Open the trace for every tag", text: `+${moreTags} more` }) : null),
      el("td", { class: "num", text: tokens }),
      costCell(cost),
      el("td", { class: "annotations" }, annotationBadges(trace.annotationLabels || [])));
  }

  function annotationBadges(labels) {
    return labels.map((label) => el("span", { class: "badge " + (label || "none"), text: label === "pass" ? "✓ pass" : label === "fail" ? "✗ fail" : "• noted" }));
  }

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

  // ---------- one trace ----------

  function openTrace(traceId) {
    location.hash = "#/trace/" + traceId;
  }

  async function loadTrace(traceId, keepSelection) {
    try {
      const trace = await getJson("/api/traces/" + encodeURIComponent(traceId));
      if (shownTraceId() !== traceId) return;   // the user moved on meanwhile
      state.trace = trace;
      try {
        renderTrace(keepSelection);
      } catch (error) {
        clearTraceHeader();
        $("waterfall").replaceChildren();
        $("details").replaceChildren();
        showError("Could not show the trace: " + error.message);
        return;
      }
      showError("");
    } catch (error) {
      showError(error.status === 404 ? "That trace is not stored (any more)." : "Could not load the trace: " + error.message);
    }
  }

  // Depth-first order of the span tree, every span exactly once whatever its parent links say. A span whose parent
  // is not stored, or that is its own parent, is shown as a root. Spans whose parent links loop (A under B under A)
  // never reach a root: each loop is broken at one of its spans, shown as a root and marked.
  // Returns [{span, depth, note, looped}]: note says why a span with a parent link is shown at the top, looped that
  // its parent links loop (a span its own parent is a loop of one).
  function orderSpans(spans, parentOf = (span) => span.parentSpanId) {
    const byStart = (a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : 0);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const children = new Map();
    const roots = [];
    for (const span of spans) {
      const parent = parentOf(span);
      if (parent && parent !== span.spanId && byId.has(parent)) {
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(span);
      } else {
        roots.push(span);
      }
    }
    for (const list of children.values()) list.sort(byStart);

    const ordered = [];
    const seen = new Set();
    // An explicit stack: a chain of thousands of nested spans must not overflow the call stack.
    const walk = (top, note, looped) => {
      const stack = [{ span: top, depth: 0, note, looped }];
      while (stack.length) {
        const item = stack.pop();
        if (seen.has(item.span.spanId)) continue;
        seen.add(item.span.spanId);
        ordered.push(item);
        const kids = children.get(item.span.spanId) || [];
        for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], depth: item.depth + 1, note: null, looped: false });
      }
    };
    for (const root of roots.sort(byStart)) {
      const parent = parentOf(root);
      const note = !parent ? null
        : parent === root.spanId ? "This span is its own parent; it is shown at the top."
        : "Its parent span is not stored (yet); it is shown at the top.";
      walk(root, note, parent === root.spanId);
    }
    for (const span of spans.slice().sort(byStart)) {
      if (seen.has(span.spanId)) continue;
      // Left over: its parent links loop. Follow them up until one repeats; that span is on the loop.
      let onLoop = span;
      const passed = new Set();
      while (!passed.has(onLoop.spanId)) {
        passed.add(onLoop.spanId);
        onLoop = byId.get(parentOf(onLoop));
      }
      walk(onLoop, `Its parent links loop (its parent ${parentOf(onLoop)} is below it); the loop is broken here and it is shown at the top.`, true);
    }
    return ordered;
  }

  // One model call seen by two layers (our chat span and the provider SDK's own inside it) is one row: the viewer marks
  // the inner span usage.countedBy = the outer span (docs/viewer.md, "Each call counted once"). The inner span is folded
  // into that row (its details one click away), and its children hang from the row. Returns {visible, layersOf, parentOf}.
  function foldRepeatedCalls(spans) {
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const foldedInto = new Map();
    for (const span of spans) {
      const outer = span.usage && span.usage.countedBy;
      if (outer && outer !== span.spanId && byId.has(outer)) foldedInto.set(span.spanId, outer);
    }
    // The row a folded span is shown in: follow countedBy up (a call of three layers), at most as many steps as spans.
    const rowOf = (id) => {
      for (let steps = 0; foldedInto.has(id) && steps <= foldedInto.size; steps++) id = foldedInto.get(id);
      return id;
    };
    const layersOf = new Map();
    for (const id of foldedInto.keys()) {
      const row = rowOf(id);
      if (foldedInto.has(row)) continue;   // countedBy links that loop (never written by the viewer): shown unfolded
      if (!layersOf.has(row)) layersOf.set(row, []);
      layersOf.get(row).push(byId.get(id));
    }
    const folded = new Set([...layersOf.values()].flat().map((span) => span.spanId));
    const parentOf = (span) => {
      let parent = span.parentSpanId;
      for (let steps = 0; parent && folded.has(parent) && steps <= folded.size; steps++) parent = byId.get(parent).parentSpanId;
      return parent;
    };
    return { visible: spans.filter((span) => !folded.has(span.spanId)), layersOf, parentOf };
  }

  function isGenAi(span) {
    return span.attributes && ("gen_ai.operation.name" in span.attributes || "gen_ai.request.model" in span.attributes);
  }

  function clearTraceHeader() {
    $("trace-title").textContent = "";
    $("trace-meta").textContent = "";
    $("axis").replaceChildren();
  }

  function renderTrace(keepSelection) {
    const trace = state.trace;
    const spans = trace.spans;
    const { visible, layersOf, parentOf } = foldRepeatedCalls(spans);
    state.layers = layersOf;
    const ordered = orderSpans(visible, parentOf);
    state.rows = ordered;
    state.annotations = new Map((trace.annotations || []).map((a) => [a.otelSpanId, a]));
    const start = spans.reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), BigInt(spans[0].startTimeUnixNano));
    const end = spans.reduce((max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max), BigInt(spans[0].endTimeUnixNano));
    state.traceStart = start;
    const total = Number(end - start) || 1;
    const root = ordered[0].span;
    const errors = spans.filter((s) => s.status.code === 2).length;
    const loops = ordered.filter((r) => r.looped).length;
    const skippedCount = skippedValuesCount(spans);
    const tracedCount = spans.filter((s) => (s.attributes || {})["mirascope.type"] === "trace").length;

    const rootName = cutText(root.name || "(unnamed)", BOUNDS.nameChars);
    $("trace-title").textContent = rootName;
    const foldedCount = spans.length - visible.length;
    $("trace-meta").textContent = `${formatTime(root.startTimeUnixNano)} · ${formatDuration(total)} · ${spans.length} span${spans.length === 1 ? "" : "s"}`
      + (foldedCount ? ` (${foldedCount} folded into the model call${foldedCount === 1 ? "" : "s"} they repeat)` : "")
      + (errors ? ` · ${errors} failed` : "")
      + (skippedCount ? ` · values not recorded for ${skippedCount} of ${tracedCount} traced call${tracedCount === 1 ? "" : "s"}` : "") + (loops ? ` · ${loops} shown at the top despite a parent link (marked ↻)` : "")
      + (trace.cost && (trace.cost.inputTokens || trace.cost.outputTokens || trace.cost.unpricedModels.length)
        ? ` · ${trace.cost.inputTokens} / ${trace.cost.outputTokens} tokens · ${formatCost(trace.cost).text}${trace.cost.unpricedModels.length ? " (no price for " + trace.cost.unpricedModels.join(", ") + ")" : ""}` : "")
      + ` · trace ${trace.traceId}`;
    document.title = `${rootName} · Mirascope.Ops viewer`;
    const axis = $("axis");
    axis.replaceChildren(el("span", { text: "0" }), el("span", { text: formatDuration(total / 2) }), el("span", { text: formatDuration(total) }));

    const waterfall = $("waterfall");
    waterfall.replaceChildren();
    ordered.forEach((item, index) => {
      waterfall.append(safely("This span", () => spanRow(item, index, start, total)));
    });

    let index = 0;
    if (keepSelection && state.selectedSpanId) {
      const found = ordered.findIndex((r) => r.span.spanId === state.selectedSpanId);
      if (found >= 0) index = found;
    }
    selectSpan(index, false);
  }

  function spanRow({ span, depth, note, looped }, index, start, total) {
    const failed = span.status.code === 2;
    const left = (Number(BigInt(span.startTimeUnixNano) - start) / total) * 100;
    const width = Math.max((Number(span.durationNs) / total) * 100, 0.2);
    const name = cutText(span.name || "(unnamed)", BOUNDS.nameChars);
    return el("div", {
      class: "span-row" + (failed ? " error" : "") + (isGenAi(span) ? " gen-ai" : "") + (looped ? " looped" : ""),
      role: "treeitem",
      "aria-level": String(depth + 1),
      "aria-selected": "false",
      "aria-label": `${name}${failed ? ", failed" : ""}${looped ? ", parent link loops" : ""}, ${formatDuration(span.durationNs)}`,
      tabindex: "-1",
      "data-span-id": span.spanId,
      "data-index": String(index),
      onclick: () => selectSpan(index, true),
    },
      // Indented up to 40 levels: deeper spans line up with the 40th (aria-level keeps the real depth).
      el("span", { class: "span-name", title: looped ? note : name, style: { paddingLeft: `${Math.min(depth, 40) * 16}px` } },
        el("span", { class: "marker", "aria-hidden": "true", text: failed ? "✗" : looped ? "↻" : depth === 0 ? "●" : "" }),
        name, layerBadge(span), state.annotations && state.annotations.has(span.spanId) ? annotationBadges([state.annotations.get(span.spanId).label]) : null),
      el("span", { class: "bar-cell" }, el("span", { class: "bar", style: { left: `${Math.min(left, 99.8).toFixed(3)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.8)).toFixed(3)}%` } })),
      el("span", { class: "num mono", text: formatDuration(span.durationNs) }));
  }

  // "+1 layer" on a model call's row whose other layers' spans are folded into it.
  function layerBadge(span) {
    const layers = state.layers && state.layers.get(span.spanId);
    if (!layers) return null;
    return el("span", { class: "layers muted", title: "Also recorded by " + layers.map((l) => (l.scope && l.scope.name) || l.name).join(", "),
      text: ` +${layers.length} layer${layers.length === 1 ? "" : "s"}` });
  }

  function selectSpan(index, focus) {
    const rows = $("waterfall").children;
    if (index < 0 || index >= rows.length) return;
    for (const row of rows) {
      row.setAttribute("aria-selected", "false");
      row.tabIndex = -1;
    }
    const row = rows[index];
    row.setAttribute("aria-selected", "true");
    row.tabIndex = 0;
    if (focus) {
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }
    const { span, note, looped } = state.rows[index];
    state.selectedSpanId = span.spanId;
    renderDetails(span, note, looped);
  }

  function selectedIndex() {
    return state.rows.findIndex((r) => r.span.spanId === state.selectedSpanId);
  }

  function renderDetails(span, note, looped) {
    const details = $("details");
    const traceStart = state.traceStart;
    const failed = span.status.code === 2;
    const parts = [
      el("h3", { class: failed ? "status-error" : "", text: (failed ? "✗ " : "") + cutText(span.name || "(unnamed)", BOUNDS.nameChars) }),
      span.name && span.name.length > BOUNDS.nameChars ? safely("The name", () => el("details", { class: "full-name" },
        el("summary", { text: `Whole name (${span.name.length.toLocaleString("en")} characters)` }), textBlock(span.name, "text", null))) : null,
      note ? el("p", { class: "span-note", text: (looped ? "↻ " : "") + note }) : null,
      safely("The span's facts", () => el("dl", { class: "facts" },
        el("dt", { text: "Status" }), el("dd", { class: failed ? "status-error" : "", text: span.status.name + (span.status.message ? ": " + cutText(span.status.message, BOUNDS.shownChars) : "") }),
        el("dt", { text: "Duration" }), el("dd", { text: formatDuration(span.durationNs) }),
        el("dt", { text: "Starts at" }), el("dd", { text: "+" + formatDuration(BigInt(span.startTimeUnixNano) - traceStart) + " (" + formatTime(span.startTimeUnixNano) + ")" }),
        el("dt", { text: "Kind" }), el("dd", { text: ["unspecified", "internal", "server", "client", "producer", "consumer"][span.kind] || String(span.kind) }),
        el("dt", { text: "Span id" }), el("dd", { class: "mono", text: span.spanId }),
        span.parentSpanId ? [el("dt", { text: "Parent" }), el("dd", { class: "mono", text: span.parentSpanId })] : null,
        span.serviceName ? [el("dt", { text: "Service" }), el("dd", { text: cutText(span.serviceName, BOUNDS.nameChars) })] : null,
        span.scope && span.scope.name ? [el("dt", { text: "Source" }), el("dd", { text: cutText(span.scope.name + (span.scope.version ? " " + span.scope.version : ""), BOUNDS.nameChars) })] : null,
        promptFact(span.attributes || {}))),
    ];

    parts.push(el("h4", { text: "Annotation" }), safely("The annotation", () => annotationPanel(span)));

    if (span.usage) {
      parts.push(el("h4", { text: "Model call" }), safely("The model call", () => usageFacts(span.usage)));
    }

    const layers = state.layers && state.layers.get(span.spanId);
    if (layers) {
      parts.push(el("h4", { text: "Also recorded by" }), safely("The call's other layers", () => el("ul", { class: "layers-list" },
        layers.map((layer) => el("li", null, el("button", { type: "button", class: "link", text: cutText(layer.name || "(unnamed)", BOUNDS.nameChars),
          onclick: () => renderDetails(layer, `The same model call as ${span.spanId}, recorded by another layer; folded into its row and counted there.`, false) }),
          el("span", { class: "muted", text: ` · ${cutText((layer.scope && layer.scope.name) || "", BOUNDS.nameChars)} · ${layer.spanId}` }))))));
    }

    const exceptions = span.events.filter((e) => e.name === "exception");
    for (const exception of exceptions) {
      parts.push(el("h4", { text: "Exception" }), safely("The exception", () => {
        const a = exception.attributes || {};
        return el("div", { class: "exception" },
          el("div", { class: "what", text: cutText(`${valueText(a["exception.type"] || "exception")}: ${valueText(a["exception.message"] || "")}`, BOUNDS.shownChars) }),
          a["exception.stacktrace"] ? textBlock(valueText(a["exception.stacktrace"]), "stack", null) : null);
      }));
    }

    const attributes = span.attributes || {};
    const turns = safely("The conversation", () => conversationOf(attributes));
    if (turns instanceof Node) parts.push(el("h4", { text: "Conversation" }), turns);
    else if (turns && turns.length) parts.push(el("h4", { text: `Conversation (${turns.length} turn${turns.length === 1 ? "" : "s"})` }), safely("The conversation", () => conversationBlock(turns)));

    const skipped = safely("The skipped values", () => skippedValuesNote(span));
    if (skipped) parts.push(el("h4", { text: "Arguments and output" }), skipped);

    for (const [key, title] of SECTIONS) {
      if (key in attributes) {
        parts.push(el("h4", { text: title }), safely("This value", () => valueBlock(attributes[key])));
      }
    }

    const others = span.events.filter((e) => e.name !== "exception");
    if (others.length) {
      parts.push(el("h4", { text: "Events" }));
      for (const event of others) {
        parts.push(safely("This event", () => el("div", { class: "event" },
          el("div", null, el("strong", { text: cutText(event.name, BOUNDS.nameChars) }), " ",
            el("span", { class: "muted", text: "+" + formatDuration(BigInt(event.timeUnixNano) - traceStart) })),
          Object.keys(event.attributes || {}).length ? jsonBlock(event.attributes) : null)));
      }
    }

    const keys = Object.keys(attributes).sort();
    parts.push(el("h4", { text: `Attributes (${keys.length})` }));
    const tbody = el("tbody");
    const addRows = (from, to) => {
      for (const key of keys.slice(from, to)) {
        tbody.append(safely("This attribute", () => el("tr", null,
          el("th", { scope: "row", text: cutText(key, BOUNDS.nameChars) }), el("td", null, valueCell(attributes[key])))));
      }
    };
    addRows(0, BOUNDS.attributes);
    parts.push(el("table", { class: "attrs" }, tbody));
    if (keys.length > BOUNDS.attributes) {
      const more = el("p", { class: "value-cut" }, `${BOUNDS.attributes} of ${keys.length} attributes shown `,
        el("button", { type: "button", class: "link", text: "Show all", onclick: () => { addRows(BOUNDS.attributes, keys.length); more.remove(); } }));
      parts.push(more);
    }

    if (span.links && span.links.length) {
      parts.push(el("h4", { text: "Links" }), safely("The links", () => jsonBlock(span.links)));
    }
    parts.push(el("details", null, el("summary", { text: "Resource" }), safely("The resource", () => jsonBlock(span.resource || {}))));
    details.replaceChildren(...parts.filter((part) => part));
  }

  // ---------- functions and versions ----------

  function versionLabel(version) {
    return version.version ? "v" + version.version : "unregistered " + version.hash.slice(0, 10);
  }

  function tokensText(figures) {
    return figures.inputTokens || figures.outputTokens ? `${figures.inputTokens} / ${figures.outputTokens}` : "";
  }

  async function loadFunctions() {
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

  async function loadFunction(name, keepSelection) {
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

  async function loadVersionTraces(hash) {
    try {
      const body = await getJson("/api/traces?limit=50&version=" + encodeURIComponent(hash));
      if (state.selectedHash !== hash) return;
      const costs = body.costs || {};
      $("version-trace-rows").replaceChildren(...body.traces.map((trace) => safely("This trace", () => listRow(trace, costs[trace.traceId]))));
    } catch (error) {
      showError("Could not load the version's traces: " + error.message);
    }
  }

  // A line diff (longest common subsequence), bounded: two texts of more than 2,000 lines each are compared as wholes.
  function lineDiff(before, after) {
    const a = before.split("\n"), b = after.split("\n");
    if (a.length * b.length > 4000000) return null;
    const n = a.length, m = b.length;
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
      }
    }
    const lines = [];
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { lines.push([" ", a[i]]); i++; j++; }
      else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) { lines.push(["-", a[i]]); i++; }   // removed lines first
      else { lines.push(["+", b[j]]); j++; }
    }
    return lines;
  }

  function renderDiff() {
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

  // A span's token counts and cost: the price it was computed with, or that its model has none.
  // gen_ai.prompt.name / version: the [Version] method whose prompt produced this model call.
  // Why a traced call recorded no arguments or output (mirascope.trace.values_skipped; true from older runtimes), in
  // their place, with which call of its method in this trace it was: "call 9 of 20".
  const SKIPPED_REASONS = {
    trace_budget: "the trace's recording budget was spent (TraceRecordingBudget, TraceRecordingBudgetPercent)",
    calls_per_trace: "this method's MaxRecordedCallsPerTrace was reached in this trace",
    disabled: "value recording is off for this method ([Trace(RecordValues = false)])",
  };

  function skippedValuesNote(span) {
    const why = (span.attributes || {})["mirascope.trace.values_skipped"];
    if (why === undefined || why === false) return null;
    const reason = SKIPPED_REASONS[why] || "a recording limit (MaxRecordedCallsPerTrace)";
    const same = state.trace.spans.filter((s) => s.name === span.name)
      .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : 0));
    const which = same.findIndex((s) => s.spanId === span.spanId) + 1;
    return el("p", { class: "values-skipped", text: `Not recorded: ${reason}. Call ${which} of ${same.length} of ${cutText(span.name || "(unnamed)", BOUNDS.nameChars)} in this trace.` });
  }

  function skippedValuesCount(spans) {
    return spans.filter((s) => { const why = (s.attributes || {})["mirascope.trace.values_skipped"]; return why !== undefined && why !== false; }).length;
  }

  function promptFact(attributes) {
    const name = attributes["gen_ai.prompt.name"];
    if (name === undefined) return null;
    const version = attributes["gen_ai.prompt.version"];
    return [el("dt", { text: "Prompt" }), el("dd", { text: cutText(valueText(name) + (version === undefined ? "" : " · version " + valueText(version)), BOUNDS.nameChars) })];
  }

  function usageFacts(usage) {
    const model = (usage.provider ? usage.provider + "/" : "") + (usage.model || "(no model)");
    return el("dl", { class: "facts usage" },
      el("dt", { text: "Model" }), el("dd", { text: cutText(model, BOUNDS.nameChars) }),
      el("dt", { text: "Tokens" }), el("dd", { text: `${usage.inputTokens} in (${usage.cacheReadTokens} cache read, ${usage.cacheWriteTokens} cache write) · ${usage.outputTokens} out` }),
      el("dt", { text: "Cost" }), el("dd", { class: usage.costUsd === null ? "unpriced" : "", text: usage.costUsd === null
        ? `unknown: no price for ${cutText(model, BOUNDS.nameChars)} (add it with --prices <file>)`
        : `${formatCost({ costUsd: usage.costUsd, costComplete: true }).text} (priced as ${usage.pricedAs})` }),
      el("dt", { text: "Counted from" }), el("dd", { class: "mono", text: usage.source }),
      usage.countedBy ? [el("dt", { text: "Counted" }), el("dd", { text: `once, on span ${usage.countedBy}: this span repeats that call` })] : null);
  }

  // ---------- annotations ----------

  // The selected span's annotation: its label, reasoning and tags, and the controls to set them (mouse or p / f / a keys).
  function annotationPanel(span) {
    const current = state.annotations.get(span.spanId) || null;
    const reasoning = el("textarea", { id: "annotation-reasoning", rows: "2", placeholder: "Reasoning (a); Ctrl+Enter saves", "aria-label": "Reasoning" });
    reasoning.value = current && current.reasoning ? current.reasoning : "";
    const tags = el("input", { id: "annotation-tags", type: "text", placeholder: "tags, comma-separated", "aria-label": "Tags" });
    tags.value = current ? current.tags.join(", ") : "";
    const label = current ? current.label : null;
    // What is being typed survives the trace being drawn again when spans arrive.
    const draft = state.draft && state.draft.spanId === span.spanId ? state.draft : null;
    if (draft) { reasoning.value = draft.reasoning; tags.value = draft.tags; }
    const keepDraft = () => { state.draft = { spanId: span.spanId, reasoning: reasoning.value, tags: tags.value, focused: document.activeElement && document.activeElement.id }; };
    reasoning.addEventListener("input", keepDraft);
    tags.addEventListener("input", keepDraft);
    if (draft && draft.focused) setTimeout(() => { const again = $(draft.focused); if (again) again.focus(); }, 0);
    reasoning.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveAnnotation(span.spanId, undefined); }
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); reasoning.blur(); }
    });
    tags.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); saveAnnotation(span.spanId, undefined); }
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); tags.blur(); }
    });
    return el("div", { class: "annotation" + (label ? " " + label : "") },
      el("p", { id: "annotation-current", class: "annotation-current" }, current
        ? [...annotationBadges([label]), current.reasoning ? " " + cutText(current.reasoning, 500) : "", ...current.tags.map((t) => el("span", { class: "tag", text: t }))]
        : "Not annotated."),
      el("div", { class: "annotation-buttons" },
        el("button", { type: "button", id: "annotate-pass", class: "pass", "aria-pressed": String(label === "pass"), onclick: () => saveAnnotation(span.spanId, "pass") }, "✓ Pass ", el("kbd", { text: "p" })),
        el("button", { type: "button", id: "annotate-fail", class: "fail", "aria-pressed": String(label === "fail"), onclick: () => saveAnnotation(span.spanId, "fail") }, "✗ Fail ", el("kbd", { text: "f" })),
        el("button", { type: "button", id: "annotate-save", onclick: () => saveAnnotation(span.spanId, undefined) }, "Save")),
      reasoning, tags,
      el("p", { id: "annotation-status", class: "muted", "aria-live": "polite" }));
  }

  // Creates or changes the span's annotation. label undefined keeps the label; the reasoning and tags are taken from the panel.
  async function saveAnnotation(spanId, label) {
    const trace = state.trace;
    if (!trace) return;
    const current = state.annotations.get(spanId) || null;
    const reasoning = $("annotation-reasoning") ? $("annotation-reasoning").value.trim() : "";
    const tags = $("annotation-tags") ? $("annotation-tags").value.split(",").map((t) => t.trim()).filter((t) => t) : [];
    const body = { reasoning: reasoning || null, tags };
    if (label !== undefined) body.label = label;
    else if (!current) body.label = null;
    try {
      const response = await fetch(current ? "/api/annotations/" + current.id : "/api/annotations", {
        method: current ? "PUT" : "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(current ? body : Object.assign({ otelSpanId: spanId, otelTraceId: trace.traceId }, body)),
      });
      signInAgainOn401(response);
      const saved = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(saved.message || `${response.status} ${response.statusText}`);
      state.annotations.set(spanId, saved);
      state.draft = null;
      trace.annotations = Array.from(state.annotations.values());
      if (currentRoute().view === "queue") { nextInQueue(); return; }
      const index = selectedIndex();
      renderTrace(true);
      selectSpan(index, true);
      if ($("annotation-status")) $("annotation-status").textContent = `Saved: ${saved.label || "no label"}.`;
    } catch (error) {
      showError("Could not save the annotation: " + error.message);
    }
  }

  // The queue walks a function's traces that have no annotation yet, newest first; skipped ones come back on the next visit.
  async function loadQueue(name) {
    state.queue = state.queue && state.queue.name === name ? state.queue : { name, skipped: new Set(), traceId: null };
    $("queue-title").textContent = `Annotation queue · ${cutText(name, BOUNDS.nameChars)}`;
    $("queue-back").href = "#/function/" + encodeURIComponent(name);
    try {
      const body = await getJson(`/api/traces?limit=1000&annotated=false&function=${encodeURIComponent(name)}`);
      if (currentRoute().view !== "queue") return;
      const left = body.traces.filter((t) => !state.queue.skipped.has(t.traceId));
      const more = body.hasMore ? "+" : "";
      if (left.length === 0) {
        state.queue.traceId = null;
        state.trace = null;
        $("trace-view").hidden = true;
        $("queue-status").textContent = body.traces.length ? `Only skipped traces are left (${body.traces.length}). Leave and come back to see them again.`
          : `Every trace of ${name} is annotated.`;
        return;
      }
      $("trace-view").hidden = false;
      $("queue-status").textContent = `${left.length}${more} unannotated trace${left.length === 1 ? "" : "s"} left.`;
      state.queue.traceId = left[0].traceId;
      state.selectedSpanId = null;
      await loads.trace(left[0].traceId, false);
      const row = $("waterfall").querySelector('[aria-selected="true"]');
      if (row) row.focus();
    } catch (error) {
      showError("Could not load the queue: " + error.message);
    }
  }

  function nextInQueue(skip) {
    if (!state.queue) return;
    if (skip && state.queue.traceId) state.queue.skipped.add(state.queue.traceId);
    loads.queue(state.queue.name);
  }

  function shownTraceId() {
    const current = currentRoute();
    return current.view === "queue" ? (state.queue ? state.queue.traceId : null) : current.traceId;
  }

  // ---------- conversations ----------

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
  function conversationOf(attributes) {
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

  function conversationBlock(turns) {
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

  // ---------- dashboard ----------

  const PERIODS = { "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 };

  // The Cloud's dashboard figures over the chosen period (GET /api/analytics, the Cloud's analytics summary).
  async function loadDashboard() {
    const period = $("d-period").value;
    const end = new Date(Date.now() + 60e3);
    const start = PERIODS[period] ? new Date(end.getTime() - PERIODS[period]) : new Date(0);
    try {
      const a = await getJson(`/api/analytics?startTime=${encodeURIComponent(start.toISOString())}&endTime=${encodeURIComponent(end.toISOString())}`);
      if (currentRoute().view !== "dashboard") return;
      const cost = formatCost({ costUsd: a.totalCostUsd, costComplete: a.costComplete, unpricedModels: a.unpricedModels });
      const card = (id, title, value, sub, titleText) => el("div", { class: "card", id: "card-" + id, title: titleText || null },
        el("div", { class: "card-title", text: title }), el("div", { class: "card-value", text: value }), sub ? el("div", { class: "card-sub muted", text: sub }) : null);
      $("cards").replaceChildren(
        card("traces", "Traces", a.totalTraces.toLocaleString("en")),
        card("spans", "Spans", a.totalSpans.toLocaleString("en")),
        card("errors", "Error rate", formatRate(a.errorRate), "of spans"),
        card("latency", "Avg duration", a.avgDurationMs === null ? "–" : formatMs(a.avgDurationMs),
          a.p50DurationMs === null ? null : `p50 ${formatMs(a.p50DurationMs)} · p95 ${formatMs(a.p95DurationMs)} · p99 ${formatMs(a.p99DurationMs)}`),
        card("input", "Input tokens", a.totalInputTokens.toLocaleString("en")),
        card("output", "Output tokens", a.totalOutputTokens.toLocaleString("en")),
        card("cost", "Total cost", a.totalCostUsd === 0 && a.costComplete ? "$0.00" : cost.text || "$0.00",
          a.unpricedModels.length ? "no price for " + a.unpricedModels.join(", ") : null, cost.title));
      const top = (list, items, name) => {
        list.replaceChildren(...items.slice(0, 5).map((item) => el("li", null, el("span", { text: cutText(item[name], BOUNDS.nameChars) }), el("span", { class: "num muted", text: String(item.count) }))));
        if (items.length === 0) list.replaceChildren(el("li", { class: "muted", text: "No data available" }));
      };
      top($("top-models"), a.topModels, "model");
      top($("top-functions"), a.topFunctions, "functionName");
      $("summary").textContent = "";
      showError("");
    } catch (error) {
      showError("Could not load the dashboard: " + error.message);
    }
  }

  // ---------- routing, live updates, keys ----------

  // #/ traces · #/trace/<id> · #/functions · #/function/<name> · #/dashboard · #/queue/<name>
  function currentRoute() {
    const hash = location.hash;
    let match = /^#\/trace\/([0-9a-fA-F]{32})$/.exec(hash);
    if (match) return { view: "trace", traceId: match[1].toLowerCase() };
    if (hash === "#/functions") return { view: "functions" };
    if (hash === "#/dashboard") return { view: "dashboard" };
    match = /^#\/function\/(.+)$/.exec(hash);
    if (match) return { view: "function", functionName: safeDecode(match[1]) };
    match = /^#\/queue\/(.+)$/.exec(hash);
    if (match) return { view: "queue", functionName: safeDecode(match[1]) };
    return { view: "list" };
  }

  function safeDecode(text) {
    try { return decodeURIComponent(text); } catch { return text; }
  }

  let lastListFocus = null;

  const VIEWS = { list: "list-view", trace: "trace-view", functions: "functions-view", function: "function-view", dashboard: "dashboard-view", queue: "queue-view" };

  function route() {
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

  function connectLive() {
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

  function isTyping(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
  }

  function onKey(event) {
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

  function toggleHelp(show) {
    const help = $("help");
    help.hidden = show === undefined ? !help.hidden : !show;
    $("help-button").setAttribute("aria-expanded", String(!help.hidden));
  }

  function init() {
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
    $("page-older").addEventListener("click", () => { state.offset += PAGE_SIZE; loads.list(); });
    $("page-newer").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); loads.list(); });
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
})();
