#!/usr/bin/env bash
# Execution store benchmark (run by hand, not in CI): `flowlang serve` of a two-task flow on each store in turn,
# loaded by wrk on 127.0.0.1, the same run measuring pgbench's single-row inserts on the same PostgreSQL.
#
# For memory:, SQLite (a file in a temp dir) and PostgreSQL (scripts/postgres-test-server.sh, a fresh database):
#   - sync: POST /flows/Bench/execute at c=16 for SECONDS: req/s and p99;
#   - async: POST …/execute?wait=false at c=16 for SECONDS, then until every run finished: runs completed per
#     second, from the first request to the last run's end (each journaled step written before the next runs).
# Then pgbench -c 16 of `INSERT INTO one_row VALUES (…)` for SECONDS: the single-row inserts PostgreSQL allows,
# divided by the writes an execution of the flow makes (create, two journal entries, finish) for the ceiling.
#
# Usage: scripts/bench-stores.sh [seconds per row (default 10)]
#   FLOWLANG_BIN: the flowlang binary (default: builds and uses .build/release/flowlang)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
PORT=8191
CONNECTIONS=16
WRITES_PER_EXECUTION=4

for tool in wrk pgbench curl; do
    command -v "$tool" >/dev/null || { echo "install $tool first (apt-get install -y wrk postgresql curl)" >&2; exit 1; }
done
if [ -z "${FLOWLANG_BIN:-}" ]; then
    swift build -c release --product flowlang >/dev/null
    FLOWLANG_BIN=.build/release/flowlang
fi

WORK="$(mktemp -d)"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/flow"
cat > "$WORK/flow/flow.yaml" <<'YAML'
flow: Bench
inputs:
  - name: user_name
    type: string
    required: true
steps:
  - task: Echo
    id: validate
    inputs: {user_name: "${inputs.user_name}", valid: true}
  - task: Echo
    id: greet
    inputs: {greeting: "Hello, ${validate.user_name}!"}
outputs:
  - name: message
    value: ${greet.greeting}
YAML
cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"inputs":{"user_name":"Alice"}}'
wrk.headers["Content-Type"] = "application/json"
LUA

PG_URL="$(scripts/postgres-test-server.sh start)"
PG_BASE="${PG_URL%/*}"
export PGOPTIONS="--client-min-messages=warning"
psql "$PG_URL" -qc "DROP DATABASE IF EXISTS flowlang_bench_stores" -c "CREATE DATABASE flowlang_bench_stores" >/dev/null

serve() { # DATABASE_URL
    # Records are kept by count, as a server is run; more than the runs measured would make eviction free.
    DATABASE_URL="$1" "$FLOWLANG_BIN" serve "$WORK/flow" --port "$PORT" --log-level warning \
        --execution-retention-count 1000 >"$WORK/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 200); do
        curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && return
        sleep 0.1
    done
    cat "$WORK/server.log" >&2
    exit 1
}
stop() {
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}
running() { # how many executions the server lists as running
    curl -sf "http://127.0.0.1:$PORT/executions?status=running&limit=500" |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)["executions"]))'
}

printf '%-10s %14s %10s %18s\n' store "sync req/s" "sync p99" "async runs/s"
for store in memory sqlite postgres; do
    case "$store" in
        memory) url="memory:" ;;
        sqlite) url="sqlite://$WORK/executions-$RANDOM.sqlite" ;;
        postgres) url="$PG_BASE/flowlang_bench_stores?pool_size=$CONNECTIONS" ;;
    esac
    serve "$url"
    wrk -t 2 -c 4 -d 2s -s "$WORK/post.lua" "http://127.0.0.1:$PORT/flows/Bench/execute" >/dev/null
    # A fresh database's statistics say its tables are empty, and the plans PostgreSQL caches for the store's
    # statements and foreign keys then scan whole tables; autovacuum analyzes them within its first minute on a
    # server that keeps running. Measured after that, as a server runs, not during its first minute.
    [ "$store" = postgres ] && psql "$PG_BASE/flowlang_bench_stores" -qc "ANALYZE" >/dev/null
    sync="$(wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/flows/Bench/execute")"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$sync")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$sync")"
    start="$(date +%s.%N)"
    async="$(wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" -s "$WORK/post.lua" "http://127.0.0.1:$PORT/flows/Bench/execute?wait=false")"
    accepted="$(awk '/requests in/ {print $1}' <<<"$async")"
    while [ "$(running)" != 0 ]; do sleep 0.05; done
    end="$(date +%s.%N)"
    runs="$(awk -v n="$accepted" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')"
    printf '%-10s %14s %10s %18s\n' "$store" "$rps" "$p99" "$runs"
    stop
done

psql "$PG_BASE/flowlang_bench_stores" -qc "CREATE TABLE one_row (id bigserial PRIMARY KEY, body json NOT NULL)" >/dev/null
echo "INSERT INTO one_row (body) VALUES ('{\"step\":\"greet\",\"output\":{\"greeting\":\"Hello, Alice!\"}}');" > "$WORK/insert.sql"
tps="$(pgbench -n -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$WORK/insert.sql" "$PG_BASE/flowlang_bench_stores" |
    awk '/^tps/ {print $3}')"
awk -v t="$tps" -v w="$WRITES_PER_EXECUTION" \
    'BEGIN { printf "pgbench single-row inserts c=16: %.0f/s, so at most %.0f executions/s at %d writes each\n", t, t / w, w }'
psql "$PG_URL" -qc "DROP DATABASE flowlang_bench_stores" >/dev/null
