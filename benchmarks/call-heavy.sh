#!/usr/bin/env bash
# Re-measures benchmark 9 of docs/benchmarks.md (call-heavy real code: Markdig woven whole) on the Release build:
# the BenchmarkDotNet table (default: the medium job; pass another job name, e.g. Short, as the first argument), then
# the stopwatch breakdown (spans per operation, exceptions thrown while recording, which arguments are big).
# Run it on a quiet machine: nothing else heavy at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-Medium}"
uptime
dotnet run -c Release --project benchmarks/Mirascope.Ops.Benchmarks -- --filter '*CallHeavy*' --job "$job"
dotnet run -c Release --project benchmarks/Mirascope.Ops.Benchmarks -- --profile-call-heavy 5
uptime
