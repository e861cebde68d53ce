#!/usr/bin/env bash
# Builds everything and runs the whole test suite. Used by developers and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# One build of all targets and test bundles, then the tests without rebuilding: switching between
# `swift build` and `swift test` would recompile several dependencies each time.
swift build --build-tests
swift test --skip-build
echo "CI: all tests passed"
