#!/usr/bin/env bash
# Runs FlowLang's original Python and TypeScript clients against `flowlang serve Examples/client-check`.
#
# The clients are the unmodified copies in $FLOWLANG_CLIENTS_DIR (default: <repository>/../shared/clients);
# nothing of them is copied into the repository: the TypeScript client is compiled into a temporary folder.
# Needs python3 with httpx, node (20, for fetch) and tsc (Debian's node-typescript); scripts/test.sh installs
# them. FLOWLANG_BIN picks the server binary (default .build/debug/flowlang, built when missing).
# Exit status: 0 when both checks passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPOSITORY=$(pwd)

CLIENTS_DIR=${FLOWLANG_CLIENTS_DIR:-$REPOSITORY/../shared/clients}
if [[ ! -f $CLIENTS_DIR/python/client.py || ! -d $CLIENTS_DIR/typescript/src ]]; then
    echo "client checks: FlowLang's clients not found in $CLIENTS_DIR (set FLOWLANG_CLIENTS_DIR)" >&2
    exit 1
fi
export FLOWLANG_CLIENTS_DIR=$(cd "$CLIENTS_DIR" && pwd)

for tool in python3 node tsc; do
    command -v "$tool" >/dev/null || { echo "client checks: '$tool' is missing (scripts/test.sh installs it)" >&2; exit 1; }
done
python3 -c 'import httpx' 2>/dev/null || { echo "client checks: python3 lacks httpx (pip install httpx)" >&2; exit 1; }

FLOWLANG=${FLOWLANG_BIN:-.build/debug/flowlang}
if [[ ! -x $FLOWLANG ]]; then
    swift build --product flowlang
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flowlang-client-checks.XXXXXX")
SERVER_PID=""
DRAIN_PID=""
cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    [[ -n $DRAIN_PID ]] && wait "$DRAIN_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "client checks: compiling the TypeScript client (tsc $(tsc --version | sed 's/^Version //'))"
(cd "$FLOWLANG_CLIENTS_DIR" && tsc --target ES2020 --module commonjs --lib ES2020,DOM --moduleResolution node \
    --skipLibCheck --outDir "$WORK/typescript" typescript/src/*.ts)

# A loopback port nobody listens on, found by binding port 0 and closing at once.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts the server on a free port and waits until it logs that it listens, reading its output through a
# FIFO (no connection is attempted before that). Another process may take the port between free_port and
# the server's bind; then the server exits with "Address already in use" and another port is tried.
start_server() {
    local attempt port line
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        rm -f "$WORK/server.fifo"
        mkfifo "$WORK/server.fifo"
        : >"$WORK/server.log"
        "$FLOWLANG" serve Examples/client-check --host 127.0.0.1 --port "$port" >"$WORK/server.fifo" 2>&1 &
        SERVER_PID=$!
        exec 3<"$WORK/server.fifo"
        local deadline=$((SECONDS + 120))
        while (( SECONDS < deadline )) && IFS= read -r -t $((deadline - SECONDS)) line <&3; do
            printf '%s\n' "$line" >>"$WORK/server.log"
            if [[ $line == *"Server started and listening"* ]]; then
                # Keep reading the server's output so that it never blocks on a full pipe.
                cat <&3 >>"$WORK/server.log" &
                DRAIN_PID=$!
                exec 3<&-
                PORT=$port
                return 0
            fi
        done
        exec 3<&-
        if (( SECONDS >= deadline )); then
            echo "client checks: the server did not report listening within 120 s" >&2
            cat "$WORK/server.log" >&2
            return 1
        fi
        # Its output ended: the server is exiting.
        wait "$SERVER_PID" || true
        SERVER_PID=""
        if ! grep -q "Address already in use" "$WORK/server.log"; then
            echo "client checks: the server exited before listening:" >&2
            cat "$WORK/server.log" >&2
            return 1
        fi
        echo "client checks: port $port was taken, trying another"
    done
    echo "client checks: no free port after 5 attempts" >&2
    return 1
}

start_server
URL=http://127.0.0.1:$PORT
echo "client checks: serving Examples/client-check at $URL"

status=0
echo "== FlowLang Python client"
timeout 300 python3 scripts/client-checks/python-check.py "$URL" || { echo "FAIL: Python client check"; status=1; }
echo "== FlowLang TypeScript client"
timeout 300 node scripts/client-checks/typescript-check.js "$URL" "$WORK/typescript" || { echo "FAIL: TypeScript client check"; status=1; }

kill -TERM "$SERVER_PID"
server_status=0
wait "$SERVER_PID" || server_status=$?
SERVER_PID=""
if (( server_status != 0 )); then
    echo "FAIL: the server exited with status $server_status after SIGTERM"
    status=1
fi
if (( status != 0 )); then
    echo "client checks: server log:"
    cat "$WORK/server.log"
    echo "client checks: FAILED"
else
    echo "client checks: both clients passed"
fi
exit "$status"
