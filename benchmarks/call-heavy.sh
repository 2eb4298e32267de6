#!/usr/bin/env bash
# Re-measures benchmark 9 of docs/benchmarks.md (call-heavy real code: Markdig woven whole) on the Release build:
# the BenchmarkDotNet table (default: the medium job; pass another job name, e.g. Short, as the first argument), then
# the stopwatch breakdown (spans per operation, exceptions thrown while recording, which arguments are big), then,
# with PERF=1 and perf installed (apt-get install linux-perf), where the recorded row's CPU time goes.
# Run it on a quiet machine: nothing else heavy at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-Medium}"
uptime
dotnet run -c Release --project benchmarks/Mirascope.Ops.Benchmarks -- --filter '*CallHeavy*' --job "$job"
dotnet run -c Release --project benchmarks/Mirascope.Ops.Benchmarks -- --profile-call-heavy 5
if [ "${PERF:-0}" = 1 ]; then
  data="$(mktemp -d)"
  (cd benchmarks/Mirascope.Ops.Benchmarks/bin/Release/net10.0 &&
    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -q -F 499 -g -o "$data/perf.data" \
      dotnet Mirascope.Ops.Benchmarks.dll --profile-call-heavy 6 AllData)
  perf script -i "$data/perf.data" -F comm,tid,period,ip,sym,dso > "$data/perf.txt" 2>/dev/null
  python3 benchmarks/call-heavy-perf-buckets.py "$data/perf.txt"
  rm -rf "$data" /tmp/perf-*.map
fi
uptime
