#!/usr/bin/env bash
# The web console in a real browser: headless Chromium driven by Selenium (scripts/console-browser-tests.py).
#
# Serves scripts/console-browser/flows (an OrderFulfillment-like flow of built-in tasks and AllInputTypes) twice
# with `flowlang serve` on free loopback ports, the store in memory: once without API keys, once with the key
# `sk-browser`, then runs the Python tests against both and stops the servers. Screenshots of every page, light
# and dark, go to CONSOLE_SCREENSHOTS (default: a temporary folder, printed); CONSOLE_DOCS_SCREENSHOTS=1 also
# refreshes docs/console-running.png and docs/console-failed.png.
#
# Needs chromium, chromedriver and Python selenium 4 (scripts/test.sh installs them). FLOWLANG_BIN picks the server
# binary (default .build/debug/flowlang, built when missing). Exit status: 0 when every test passed.
set -euo pipefail
cd "$(dirname "$0")/.."

FLOWLANG=${FLOWLANG_BIN:-.build/debug/flowlang}
if [[ ! -x $FLOWLANG ]]; then
    swift build --product flowlang
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/flowlang-console.XXXXXX")
SCREENSHOTS=${CONSOLE_SCREENSHOTS:-$WORK/screenshots}
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -z ${CONSOLE_SCREENSHOTS:-} ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME KEYS: serves the flows, sets PORT once /health answers; retries when the port was taken.
start_server() {
    local name=$1 keys=$2 attempt port deadline pid
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        DATABASE_URL=memory: "$FLOWLANG" serve scripts/console-browser/flows --host 127.0.0.1 --port "$port" \
            --api-keys "$keys" --rate-limit off --max-concurrent-executions '' --log-level warning \
            >"$WORK/$name.log" 2>&1 &
        pid=$!
        deadline=$((SECONDS + 120))
        while (( SECONDS < deadline )) && kill -0 "$pid" 2>/dev/null; do
            if curl -sS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then
                PIDS+=("$pid")
                PORT=$port
                return 0
            fi
            sleep 0.2
        done
        wait "$pid" 2>/dev/null || true
        if ! grep -q "Address already in use" "$WORK/$name.log"; then
            echo "console: the $name server did not start:" >&2
            cat "$WORK/$name.log" >&2
            return 1
        fi
    done
    echo "console: no free port after 5 attempts" >&2
    return 1
}

start_server open ''
OPEN_URL=http://127.0.0.1:$PORT
start_server keyed sk-browser
KEYED_URL=http://127.0.0.1:$PORT
mkdir -p "$SCREENSHOTS"
echo "console: servers at $OPEN_URL and $KEYED_URL (key sk-browser); screenshots in $SCREENSHOTS"

status=0
docs_args=()
if [[ ${CONSOLE_DOCS_SCREENSHOTS:-} == 1 ]]; then docs_args=(--docs docs); fi
python3 scripts/console-browser-tests.py --url "$OPEN_URL" --keyed-url "$KEYED_URL" --key sk-browser \
    --screenshots "$SCREENSHOTS" "${docs_args[@]}" || status=1
if (( status != 0 )); then
    echo "console: server logs:"
    cat "$WORK"/*.log
    echo "console: FAILED"
fi
exit "$status"
