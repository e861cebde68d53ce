#!/usr/bin/env bash
# Engine benchmark (run by hand, not in CI): builds FlowBenchmark in release mode and runs it.
#
#   scripts/bench-engine.sh                       # flows from ../shared/reference/engine-flows, 7 iterations
#   scripts/bench-engine.sh --events              # also measure with a counting event observer
#   scripts/bench-engine.sh --flows DIR --iterations 15
#
# Arguments are passed to the benchmark unchanged; see docs/benchmarks.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

swift build -c release --product FlowBenchmark
.build/release/FlowBenchmark "$@"
