#!/usr/bin/env bash
# Measures `flowlang watch` from saving a file to the printed result:
#   1. a flow.yaml edit in a flow-only directory (run in-process),
#   2. a flow.yaml edit in Examples/OrderFulfillment (no rebuild, run by its server),
#   3. a one-line Swift edit in Examples/OrderFulfillment (incremental rebuild + run), twice, warm.
# The example's edited files are restored on exit. The first start builds the example if needed (minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
swift build --product flowlang >/dev/null
FLOWLANG="$(swift build --show-bin-path)/flowlang"
WORK="$(mktemp -d)"
EXAMPLE="$ROOT/Examples/OrderFulfillment"
PRICING="$EXAMPLE/Sources/OrderFulfillmentTasks/Support/Pricing.swift"
cp "$EXAMPLE/flow.yaml" "$WORK/example-flow.yaml"
cp "$PRICING" "$WORK/Pricing.swift"
WATCHER=""
cleanup() {
    [ -n "$WATCHER" ] && kill "$WATCHER" 2>/dev/null && wait "$WATCHER" 2>/dev/null
    cp "$WORK/example-flow.yaml" "$EXAMPLE/flow.yaml"
    cp "$WORK/Pricing.swift" "$PRICING"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
results() { grep -c '^[✓✗]' "$1" || true; }
# Waits until LOG holds N results (a guard of 30 minutes for a first build).
wait_results() {
    local deadline=$(($(date +%s) + 1800))
    until [ "$(results "$1")" -ge "$2" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out; log:"; cat "$1"; exit 1; }
        sleep 0.005
    done
}
# measure LABEL LOG EDIT-COMMAND...: runs the edit, prints the time until the next result.
measure() {
    local label=$1 log=$2
    shift 2
    local before start
    before=$(results "$log")
    start=$(now_ms)
    "$@"
    wait_results "$log" $((before + 1))
    printf '%-52s %6d ms   %s\n' "$label" $(($(now_ms) - start)) "$(grep '^[✓✗]' "$log" | tail -1 | cut -c1-60)"
}
start_watch() { # DIR LOG [args]
    local dir=$1 log=$2
    shift 2
    "$FLOWLANG" watch "$dir" "$@" >"$log" 2>&1 &
    WATCHER=$!
    wait_results "$log" 1
}
stop_watch() { kill "$WATCHER"; wait "$WATCHER" 2>/dev/null || true; WATCHER=""; }

# 1. flow-only
mkdir -p "$WORK/hello"
cp Examples/flows/hello_world.yaml "$WORK/hello/flow.yaml"
echo '{"user_name": "Alice"}' >"$WORK/hello/test_inputs.json"
start_watch "$WORK/hello" "$WORK/hello.log"
for greeting in Hi Hey Hello; do
    measure "flow-only: flow.yaml edit ($greeting)" "$WORK/hello.log" \
        sed -i "s/message: \"[A-Za-z]*, \${inputs.user_name}!\"/message: \"$greeting, \${inputs.user_name}!\"/" "$WORK/hello/flow.yaml"
done
stop_watch

# 2 and 3. the OrderFulfillment package
cat >"$WORK/order.json" <<'JSON'
{"customer_id": "CUST-12345", "items": [{"product_id": "PROD-001", "quantity": 2}],
 "payment_details": {"token": "tok_visa_4242", "idempotency_key": "order-1"},
 "shipping_address": {"street": "123 Main St", "city": "San Francisco", "state": "CA", "postal_code": "94102", "country": "US"}}
JSON
echo "starting watch on Examples/OrderFulfillment (builds it first if needed)…"
start_watch "$EXAMPLE" "$WORK/order.log" --test-inputs "$WORK/order.json"
for round in 1 2; do
    measure "package: flow.yaml edit (round $round)" "$WORK/order.log" \
        sed -i "1,/^description:/s/^description: .*/description: bench edit $round/" "$EXAMPLE/flow.yaml"
done
measure "package: one-line Swift edit (5.99 → 6.49 shipping)" "$WORK/order.log" \
    sed -i 's/standardShippingCents = 5_99/standardShippingCents = 6_49/' "$PRICING"
measure "package: one-line Swift edit (6.49 → 5.99 shipping)" "$WORK/order.log" \
    sed -i 's/standardShippingCents = 6_49/standardShippingCents = 5_99/' "$PRICING"
stop_watch
echo "transcript of the package session: $WORK/order.log"
