#!/usr/bin/env bash
# Contract test: checks the server against its own OpenAPI document with schemathesis (`--checks all`).
#
# Serves Examples/contract (the OrderFulfillment flow, the flows under Examples/flows, two of
# Examples/client-check, and AllInputTypes, which declares an input of every type) with `flowlang serve` on a
# free loopback port, the execution store in memory and API keys, rate limiting and the execution limit off (so
# a local .env cannot change the answers), waits for /health, runs `schemathesis run --checks all` with a fixed
# budget and seed, and stops the server. scripts/schemathesis.toml lists the three documented exceptions.
#
# Needs schemathesis 4 (`pip install schemathesis`; scripts/test.sh installs it) and curl. FLOWLANG_BIN picks the
# server binary (default .build/debug/flowlang, built when missing); SCHEMATHESIS_MAX_EXAMPLES (default 150, about
# 12,000 requests in 2-2.5 minutes on 2 cores) and SCHEMATHESIS_SEED (default 1) set the budget and the generated
# data; further arguments go to `schemathesis run`. Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v schemathesis >/dev/null || { echo "schemathesis: not installed (pip install schemathesis)" >&2; exit 1; }
FLOWLANG=${FLOWLANG_BIN:-.build/debug/flowlang}
if [[ ! -x $FLOWLANG ]]; then
    swift build --product flowlang
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flowlang-schemathesis.XXXXXX")
SERVER_PID=""
cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A loopback port nobody listens on, found by binding port 0 and closing at once.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts the server and waits until /health answers. Another process may take the port between free_port
# and the server's bind; then the server exits with "Address already in use" and another port is tried.
start_server() {
    local attempt port deadline
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        DATABASE_URL=memory: "$FLOWLANG" serve Examples/contract --host 127.0.0.1 --port "$port" \
            --api-keys '' --rate-limit off --max-concurrent-executions '' --log-level warning >"$WORK/server.log" 2>&1 &
        SERVER_PID=$!
        deadline=$((SECONDS + 120))
        while (( SECONDS < deadline )) && kill -0 "$SERVER_PID" 2>/dev/null; do
            if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then
                PORT=$port
                return 0
            fi
            sleep 0.2
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "schemathesis: the server did not answer /health within 120 s" >&2
            cat "$WORK/server.log" >&2
            return 1
        fi
        wait "$SERVER_PID" || true
        SERVER_PID=""
        if ! grep -q "Address already in use" "$WORK/server.log"; then
            echo "schemathesis: the server exited before answering /health:" >&2
            cat "$WORK/server.log" >&2
            return 1
        fi
        echo "schemathesis: port $port was taken, trying another"
    done
    echo "schemathesis: no free port after 5 attempts" >&2
    return 1
}

start_server
URL=http://127.0.0.1:$PORT
echo "schemathesis: serving Examples/contract at $URL"

status=0
# Hypothesis keeps its caches in the temporary folder, not in the working tree.
HYPOTHESIS_STORAGE_DIRECTORY="$WORK/hypothesis" schemathesis --config-file scripts/schemathesis.toml run "$URL/openapi.json" \
    --checks all \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-150}" \
    --seed "${SCHEMATHESIS_SEED:-1}" \
    --generation-database none \
    --request-timeout 30 \
    --no-color \
    "$@" || status=1

kill -TERM "$SERVER_PID"
server_status=0
wait "$SERVER_PID" || server_status=$?
SERVER_PID=""
if (( server_status != 0 )); then
    echo "FAIL: the server exited with status $server_status after SIGTERM"
    status=1
fi
if (( status != 0 )); then
    echo "schemathesis: server log:"
    cat "$WORK/server.log"
    echo "schemathesis: FAILED"
else
    echo "schemathesis: no failures"
fi
exit "$status"
