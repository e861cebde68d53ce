#!/usr/bin/env bash
# CI smoke test of the fuzz targets: builds them (debug, -sanitize=fuzzer,address: the release build takes twice as
# long), then runs each for 15 s from its committed seeds (see scripts/fuzz.sh). Fails on the first crash, hang
# or leak, leaving its reproducer in .build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_CONFIGURATION=${FUZZ_CONFIGURATION:-debug} scripts/fuzz.sh all "${FUZZ_SMOKE_SECONDS:-15}"
