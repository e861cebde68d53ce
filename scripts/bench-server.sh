#!/usr/bin/env bash
# Load benchmark of the FlowLang server (run by hand, not in CI): wrk against a release build on 127.0.0.1.
# Measures /health, execute and execute/stream of a two-task flow, and a bare Hummingbird route returning a
# small JSON body, at 1, 16 and 64 connections; prints req/s, p50 and p99 per row and the server's RSS.
# Usage: scripts/bench-server.sh [seconds-per-run (default 10)] [--million | --observability [repeats (default 3)]]
#   --observability: instead, alternate the same flow served without and with observability (metrics, a JSON
#   log line per request, as `flowlang serve --log-format json`) and print the median req/s of each and the cost in percent.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
FLOW_PORT=8181
BARE_PORT=8182
OBSERVED_PORT=8183

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else echo "install wrk first" >&2; exit 1; fi
fi
swift build -c release --product FlowServerBenchmark >/dev/null
# The observed server's JSON log lines go to /dev/null: the cost of writing them is measured, not a disk's.
.build/release/FlowServerBenchmark --flow-port "$FLOW_PORT" --bare-port "$BARE_PORT" --observed-port "$OBSERVED_PORT" >/dev/null &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$FLOW_PORT/health" >/dev/null && break
    sleep 0.1
done

WORK="$(mktemp -d)"
cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"inputs":{"user_name":"Alice"}}'
wrk.headers["Content-Type"] = "application/json"
LUA

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$SERVER/status"; }
run() { # name url connections [script]
    local name="$1" url="$2" conns="$3" script="${4:-}"
    local args=(-t "$(( conns < 2 ? 1 : 2 ))" -c "$conns" -d "${DURATION}s" --latency)
    [ -n "$script" ] && args+=(-s "$script")
    local out
    out="$(wrk "${args[@]}" "$url")"
    local rps p50 p99
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    printf '%-22s c=%-3s %10s req/s   p50 %-9s p99 %-9s\n' "$name" "$conns" "$rps" "$p50" "$p99"
    LAST_RPS="$rps"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if [ "${2:-}" = "--observability" ]; then
    REPEATS="${3:-3}"
    echo "load before: $(uptime | sed 's/.*load average: //')"
    for conns in 1 16 64; do
        for path in "/flows/Bench/execute" "/health"; do
            script=""; [ "$path" != "/health" ] && script="$WORK/post.lua"
            off=(); on=()
            for _ in $(seq 1 "$REPEATS"); do
                run "off $path" "http://127.0.0.1:$FLOW_PORT$path" "$conns" "$script"; off+=("$LAST_RPS")
                run "on  $path" "http://127.0.0.1:$OBSERVED_PORT$path" "$conns" "$script"; on+=("$LAST_RPS")
            done
            m_off="$(printf '%s\n' "${off[@]}" | median)"
            m_on="$(printf '%s\n' "${on[@]}" | median)"
            awk -v p="$path" -v c="$conns" -v a="$m_off" -v b="$m_on" \
                'BEGIN { printf "MEDIAN %-22s c=%-3s off %9.0f  on %9.0f req/s  cost %5.1f%%\n", p, c, a, b, (a - b) / a * 100 }'
        done
    done
    echo "load after: $(uptime | sed 's/.*load average: //')"
    curl -s "http://127.0.0.1:$OBSERVED_PORT/metrics" | grep -E '^flowlang_executions_total' || true
    exit 0
fi

echo "server RSS at start: $(rss)"
for conns in 1 16 64; do
    run "bare route (POST)" "http://127.0.0.1:$BARE_PORT/bare" "$conns" "$WORK/post.lua"
    run "GET /health" "http://127.0.0.1:$FLOW_PORT/health" "$conns"
    run "POST execute" "http://127.0.0.1:$FLOW_PORT/flows/Bench/execute" "$conns" "$WORK/post.lua"
    run "POST execute/stream" "http://127.0.0.1:$FLOW_PORT/flows/Bench/execute/stream" "$conns" "$WORK/post.lua"
done
echo "server RSS after the runs: $(rss)"

if [ "${2:-}" = "--million" ]; then
    echo "running executions for 300 s (well over a million on 2 cores)..."
    # wrk prints its totals when it ends; RSS is read every 30 s meanwhile.
    wrk -t 2 -c 32 -d 300s -s "$WORK/post.lua" "http://127.0.0.1:$FLOW_PORT/flows/Bench/execute" >"$WORK/million.txt" &
    LOAD=$!
    for _ in $(seq 1 9); do sleep 30; echo "  RSS $(rss)"; done
    wait "$LOAD" || true
    echo "  RSS $(rss)"
    grep -E "requests in|Requests/sec" "$WORK/million.txt" || true
fi
