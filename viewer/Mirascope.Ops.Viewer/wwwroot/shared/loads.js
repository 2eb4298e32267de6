// Each view's load, run through singleFlight: never started while the same one is in flight.

import { singleFlight } from "./loading.js";
import { loadDashboard } from "../views/dashboard.js";
import { loadFunction, loadVersionTraces } from "../views/function.js";
import { loadFunctions } from "../views/functions.js";
import { loadList } from "../views/list.js";
import { loadQueue } from "../views/queue.js";
import { loadTrace } from "../views/trace.js";

export const loads = {
  list: singleFlight("list-view", "Loading traces…", loadList),
  trace: singleFlight("trace-view", "Loading the trace…", loadTrace),
  functions: singleFlight("functions-view", "Loading functions…", loadFunctions),
  fn: singleFlight("function-view", "Loading the function…", loadFunction),
  versionTraces: singleFlight("function-view", "Loading the version's traces…", loadVersionTraces),
  dashboard: singleFlight("dashboard-view", "Loading the dashboard…", loadDashboard),
  queue: singleFlight("queue-view", "Loading the queue…", loadQueue),
};
