#!/usr/bin/env bash
# Times the web console over a large SQLite store: FlowServerBenchmark fills a file with N finished executions
# (default 100,000), serves it, and each URL below is requested REQUESTS times (default 200) one after another
# with curl; p50, p95 and max of curl's time_total are printed per URL. Run by hand; not part of CI.
#
#   scripts/bench-console.sh [N] [REQUESTS]       BENCH_CONFIGURATION=debug|release (default release)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
REQUESTS=${2:-200}
CONFIGURATION=${BENCH_CONFIGURATION:-release}
swift build -c "$CONFIGURATION" --product FlowServerBenchmark >/dev/null
BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)/FlowServerBenchmark
WORK=$(mktemp -d "${TMPDIR:-/tmp}/flowlang-bench-console.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$BIN" --flow-port 0 --bare-port 0 --console-port "$PORT" --console-executions "$COUNT" \
    --console-database "$WORK/executions.sqlite" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
    sleep 0.5
done
BASE=http://127.0.0.1:$PORT
CURSOR=$(curl -fsS "$BASE/executions?limit=500" | python3 -c 'import json, sys; print(json.load(sys.stdin)["next_cursor"])')
echo "$COUNT executions in SQLite ($(du -h "$WORK/executions.sqlite" | cut -f1)), $REQUESTS requests per URL, $CONFIGURATION build"
printf '%-52s %9s %9s %9s %9s\n' URL p50_ms p95_ms max_ms bytes
for path in "/ui/executions" "/ui/executions?status=failed" "/ui/executions?status=cancelled&flow=Bench" \
    "/ui/executions?cursor=$CURSOR" "/ui/executions?q=order-99990" "/ui/executions?since=2000-01-01T00:00&limit=500" \
    "/executions" "/ui" "/ui/executions/bench-00050000"; do
    curl -fsS -o /dev/null "$BASE$path"
    bytes=$(curl -fsS "$BASE$path" | wc -c)
    for _ in $(seq "$REQUESTS"); do curl -fsS -o /dev/null -w '%{time_total}\n' "$BASE$path"; done | sort -n |
        awk -v path="${path:0:52}" -v bytes="$bytes" '{ t[NR] = $1 * 1000 }
            END { printf "%-52s %9.2f %9.2f %9.2f %9d\n", path, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.95 + 0.5)], t[NR], bytes }'
done
