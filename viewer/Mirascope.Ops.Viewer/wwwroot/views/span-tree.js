// The span tree of one trace, in display order.

// Depth-first order of the span tree, every span exactly once whatever its parent links say. A span whose parent
// is not stored, or that is its own parent, is shown as a root. Spans whose parent links loop (A under B under A)
// never reach a root: each loop is broken at one of its spans, shown as a root and marked.
// Returns [{span, depth, note, looped}]: note says why a span with a parent link is shown at the top, looped that
// its parent links loop (a span its own parent is a loop of one).
export function orderSpans(spans, parentOf = (span) => span.parentSpanId) {
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
export function foldRepeatedCalls(spans) {
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
