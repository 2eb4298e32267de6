#!/bin/bash
# measure.sh <base url> <label> [runs]: each page query of issue 28 item 4 timed <runs> times (default 20) with curl,
# after one unmeasured run; prints p50/p95/max in ms (nearest rank).
base=$1; label=$2; runs=${3:-20}
range='"startTime":"2026-01-01T00:00:00Z","endTime":"2027-01-01T00:00:00Z"'
m() { name=$1; shift; curl -s -o /dev/null "$@"; for k in $(seq 1 $runs); do curl -s -o /dev/null -w '%{time_total} %{http_code}\n' "$@"; done | sort -n |
  awk -v n="$name" -v l="$label" '{a[NR]=$1*1000; c=$2} END {p50=a[int(NR*0.5+0.5)]; p95=a[int(NR*0.95+0.5)]; printf "%-12s %-34s p50 %8.1f  p95 %8.1f  max %8.1f ms (http %s)\n", l, n, p50, p95, a[NR], c}'; }
only() { [ -z "$ONLY" ] || [[ "$1" =~ $ONLY ]]; }
only list && m "list" "$base/api/traces"
only list && m "list offset=99000" "$base/api/traces?offset=99000"
only q && m "list q hit (item-7)" "$base/api/traces?q=item-7"
only q && m "list q no hit" "$base/api/traces?q=zebra-unicorn"
only name && m "list name hit (Lookup7)" "$base/api/traces?name=Lookup7"
only name && m "list name no hit" "$base/api/traces?name=zebra"
only detail && m "detail /api/traces/{id}" "$base/api/traces/0000000000000000000000000000c350"
only detail && m "detail /api/v2/traces/{id}" "$base/api/v2/traces/0000000000000000000000000000c350"
only cloud && m "cloud query hit (lookup7)" -X POST -H 'content-type: application/json' -d "{$range,\"query\":\"lookup7\"}" "$base/api/v2/traces/search"
only cloud && m "cloud query hit offset 5000" -X POST -H 'content-type: application/json' -d "{$range,\"query\":\"lookup7\",\"offset\":5000}" "$base/api/v2/traces/search"
only cloud && m "cloud query no hit" -X POST -H 'content-type: application/json' -d "{$range,\"query\":\"zebra\"}" "$base/api/v2/traces/search"
only cloud && m "cloud input hit (question 55555)" -X POST -H 'content-type: application/json' -d "{$range,\"inputMessagesQuery\":\"question 55555 \"}" "$base/api/v2/traces/search"
only cloud && m "cloud input no hit" -X POST -H 'content-type: application/json' -d "{$range,\"inputMessagesQuery\":\"zebra-unicorn\"}" "$base/api/v2/traces/search"
only fun && m "functions list" "$base/api/functions"
only fun && m "function page (Tool.Lookup7)" "$base/api/functions/versions?name=Tool.Lookup7"
only dash && m "dashboard (analytics, 2 days)" "$base/api/analytics?startTime=2026-03-01T00:00:00.000Z&endTime=2026-03-03T00:00:00.000Z"
if [ -n "$EXTRA" ]; then eval "$EXTRA"; fi
