#!/usr/bin/env bash
# Builds the OrderFulfillment example and runs its tests: every task's contract and every scenario of the
# walkthrough (standard, express, early exits, out of stock, retries, failed payment, cancellation, ...),
# each test on a database of its own: first SQLite files, then, when FLOWLANG_TEST_POSTGRES_URL names a
# PostgreSQL server (scripts/postgres-test-server.sh start), new databases on it.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests --package-path Examples/OrderFulfillment
echo "OrderFulfillment tests on SQLite"
swift test --skip-build --package-path Examples/OrderFulfillment
if [[ -n ${FLOWLANG_TEST_POSTGRES_URL:-} ]]; then
    echo "OrderFulfillment tests on PostgreSQL"
    ORDER_TEST_DATABASE=postgres swift test --skip-build --package-path Examples/OrderFulfillment
else
    echo "FLOWLANG_TEST_POSTGRES_URL is not set: the PostgreSQL run is skipped" >&2
fi
