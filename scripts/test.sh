#!/usr/bin/env bash
# Builds everything and runs the whole test suite. Used by developers and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# One build of all targets and test bundles, then the tests without rebuilding: switching between
# `swift build` and `swift test` would recompile several dependencies each time.
swift build --build-tests
# FLOWLANG_E2E=1 also scaffolds the OrderFulfillment example into a temporary package, then builds and
# tests it (its own build directory: .build-e2e/).
FLOWLANG_E2E=1 swift test --skip-build
# The OrderFulfillment example is its own package (it depends on this one by path).
./scripts/test-example.sh
echo "CI: all tests passed"
