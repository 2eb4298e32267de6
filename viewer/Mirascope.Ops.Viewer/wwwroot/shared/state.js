// What the page holds between renders, shared by the views: the list's page, the open trace, function and queue.

export const state = {
  offset: 0,          // the trace list's page
  hasMore: false,
  nextCursor: null,   // where the page after this one starts (the list's answer)
  pageCursors: [],    // the cursor each older page was asked with (index: page number - 1)
  listKey: null,      // the filters the offset belongs to
  traces: [],
  costs: {},          // the listed traces' costs by trace id
  storedTraces: null, // how many traces are stored (GET /api/status; in accounts mode the environment's); null while not known
  fn: null,           // the open function page: {name, versions, totals}
  selectedHash: null, // the version whose code and traces the function page shows
  returnTo: "#/",     // where Esc goes from a trace
  latestSequence: -1,
  trace: null,        // the open trace: {traceId, spans}
  traceStart: 0n,     // its earliest span's start (Unix nanoseconds)
  rows: [],           // span rows of the open trace in display order
  selectedSpanId: null,
  layers: null,       // the open trace's model calls with other layers folded into them: span id → [spans]
  annotations: null,  // the open trace's annotations by span id
  draft: null,        // the annotation being typed: {spanId, reasoning, tags, focused}
  queue: null,        // the open annotation queue: {name, skipped, traceId}
  listTimer: 0,
};
