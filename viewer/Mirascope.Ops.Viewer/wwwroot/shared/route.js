// Which view the address shows: #/ traces · #/trace/<id> · #/functions · #/function/<name> · #/dashboard · #/queue/<name>

export function currentRoute() {
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

export const VIEWS = { list: "list-view", trace: "trace-view", functions: "functions-view", function: "function-view", dashboard: "dashboard-view", queue: "queue-view" };
