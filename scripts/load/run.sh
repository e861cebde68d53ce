#!/usr/bin/env bash
# Runs a load script (by hand, not in CI) against a release build of the benchmark server's storm flows.
#   scripts/load/run.sh storm [N (1000)]                    # cancel N held runs at once
#   scripts/load/run.sh soak [SECONDS (600)] [CONCURRENCY (64)]
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE="${1:?usage: scripts/load/run.sh storm|soak [args]}"
shift
PORT=8184
swift build -c release --product FlowServerBenchmark >/dev/null
WORK="$(mktemp -d)"
ulimit -n 65536 2>/dev/null || true
.build/release/FlowServerBenchmark --flow-port 8191 --bare-port 8192 --storm-port "$PORT" --cleanup-log "$WORK/cleanups" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
    sleep 0.1
done
case "$MODE" in
    storm) python3 scripts/load/cancel-storm.py "http://127.0.0.1:$PORT" "$WORK/cleanups" "$@" ;;
    soak) python3 scripts/load/soak.py "http://127.0.0.1:$PORT" "$SERVER" "$@" ;;
    *) echo "unknown mode $MODE (storm or soak)" >&2; exit 2 ;;
esac
