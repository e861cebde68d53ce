#!/usr/bin/env bash
# CI smoke test of the fuzz targets: builds them, then runs each for 20 s from its committed seeds (see
# scripts/fuzz.sh). Fails on the first crash, hang or leak, leaving its reproducer in .build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fuzz.sh all "${FUZZ_SMOKE_SECONDS:-20}"
