#!/usr/bin/env bash
# Builds and serves the OrderFulfillment example (Examples/OrderFulfillment) on http://127.0.0.1:8000.
# Arguments go to the server: --host HOST --port PORT (or $HOST / $PORT). Needs only Swift 6.3: the first
# run fetches and compiles FlowLang's dependencies, which takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift run --package-path Examples/OrderFulfillment OrderFulfillmentServer "$@"
