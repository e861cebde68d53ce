#!/usr/bin/env bash
# Builds the OrderFulfillment example and runs its tests: every task's contract and every scenario of the
# walkthrough (standard, express, early exits, out of stock, retries, failed payment, cancellation, ...),
# each test on a database of its own: first SQLite files, then, when FLOWLANG_TEST_POSTGRES_URL names a
# PostgreSQL server (scripts/postgres-test-server.sh start), new databases on it.
#
# It builds in the scratch folder the end-to-end tests (FLOWLANG_E2E=1) build packages that depend on FlowLang in,
# .build-e2e/scratch (git-ignored; FLOWLANG_EXAMPLE_SCRATCH picks another): after them, only the example's own
# targets are left to compile, not FlowLang and its dependencies again.
set -euo pipefail
cd "$(dirname "$0")/.."
package=(--package-path Examples/OrderFulfillment --scratch-path "${FLOWLANG_EXAMPLE_SCRATCH:-$PWD/.build-e2e/scratch}")
swift build --build-tests "${package[@]}"
echo "OrderFulfillment tests on SQLite"
swift test --skip-build "${package[@]}"
if [[ -n ${FLOWLANG_TEST_POSTGRES_URL:-} ]]; then
    echo "OrderFulfillment tests on PostgreSQL"
    ORDER_TEST_DATABASE=postgres swift test --skip-build "${package[@]}"
else
    echo "FLOWLANG_TEST_POSTGRES_URL is not set: the PostgreSQL run is skipped" >&2
fi
