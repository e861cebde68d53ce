#!/usr/bin/env bash
# What a live execution page adds to the run it watches: serves a flow of a 300 ms Sleep and STEPS Echo steps
# (default 200) with `flowlang serve` (memory store), then scripts/bench-console-watchers.py times ROUNDS runs
# (default 30) each with no watcher, 1 and 10 clients following the run's events as live pages do, in turn.
# Run by hand; not part of CI.
#
#   scripts/bench-console-watchers.sh [STEPS] [ROUNDS]    FLOWLANG_BIN (default .build/release/flowlang if
#                                                         built, else .build/debug/flowlang); WATCHER_CLIENT=curl
#                                                         follows with curl instead of Python
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-200}
ROUNDS=${2:-30}
FLOWLANG=${FLOWLANG_BIN:-}
if [[ -z $FLOWLANG ]]; then
    if [[ -x .build/release/flowlang ]]; then FLOWLANG=.build/release/flowlang; else FLOWLANG=.build/debug/flowlang; fi
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/flowlang-bench-watchers.XXXXXX")
mkdir -p "$WORK/flows/Watched"
{
    echo "flow: Watched"
    echo "steps:"
    echo "  - task: Sleep"
    echo "    id: wait"
    echo "    inputs: {ms: 300}"
    for i in $(seq "$STEPS"); do
        echo "  - task: Echo"
        echo "    id: s$i"
        echo "    inputs: {n: $i}"
    done
} >"$WORK/flows/Watched/flow.yaml"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
DATABASE_URL=memory: "$FLOWLANG" serve "$WORK/flows" --host 127.0.0.1 --port "$PORT" --rate-limit off \
    --max-concurrent-executions '' --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
    sleep 0.2
done
echo "server: $FLOWLANG"
python3 scripts/bench-console-watchers.py --url "http://127.0.0.1:$PORT" --steps "$STEPS" --rounds "$ROUNDS" \
    --client "${WATCHER_CLIENT:-python}"
