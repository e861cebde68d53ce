#!/usr/bin/env bash
# Builds everything and runs the whole test suite. Used by developers and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's wall time, printed as a table when the script ends (also when it fails or is stopped), so that the
# end of a CI log shows where the time went.
phase_names=()
phase_starts=()
phase() { # NAME: the step starting now
    phase_names+=("$1")
    phase_starts+=("$SECONDS")
    echo "== [$(date -u +%H:%M:%S), ${SECONDS} s] $1"
}
print_phases() {
    local i end
    echo "== test.sh steps (wall seconds):"
    for i in "${!phase_names[@]}"; do
        end=${phase_starts[i + 1]:-$SECONDS}
        printf '   %5d  %s\n' $((end - phase_starts[i])) "${phase_names[i]}"
    done
    echo "   total ${SECONDS} s"
}
cleanup() {
    local status=$?
    [[ -n ${FLOWLANG_TEST_POSTGRES_URL:-} ]] && ./scripts/postgres-test-server.sh stop
    print_phases
    exit "$status"
}
trap cleanup EXIT
phase "install missing packages"

# What the tests need, installed when missing (a new machine has none of it); quick when all is present.
# Debian packages: only as root. A tool's package counts as present when the tool is on PATH.
missing_packages=()
need_package() { # PACKAGE [COMMAND]
    if [[ -n ${2:-} ]]; then command -v "$2" >/dev/null 2>&1 && return 0; fi
    dpkg -s "$1" >/dev/null 2>&1 || missing_packages+=("$1")
}
need_package libsqlite3-dev
need_package postgresql
need_package chromium chromium
need_package chromium-driver chromedriver
need_package node-typescript tsc
if (( ${#missing_packages[@]} > 0 )); then
    if [[ $(id -u) == 0 ]]; then
        echo "installing Debian packages: ${missing_packages[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing_packages[@]}"
    else
        echo "warning: missing Debian packages (not root, not installed): ${missing_packages[*]}" >&2
    fi
fi
# Python packages (PyPI; the module names are the package names).
missing_modules=$(python3 -c 'import importlib.util as u
print(" ".join(m for m in ("schemathesis", "selenium", "httpx") if u.find_spec(m) is None))')
if [[ -n $missing_modules ]]; then
    echo "installing Python packages: $missing_modules"
    # shellcheck disable=SC2086
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --disable-pip-version-check $missing_modules
fi

phase "swift format lint"
# The format of every Swift file against .swift-format (the toolchain's swift-format; about 10 s). Fix with
# `swift format format --in-place --recursive Sources Tests Package.swift`.
swift format lint --strict --recursive Sources Tests Package.swift

phase "swift build --build-tests"
# One build of all targets and test bundles, then the tests without rebuilding: switching between
# `swift build` and `swift test` would recompile several dependencies each time.
swift build --build-tests
phase "console JavaScript types"
# The console's JavaScript against its JSDoc types.
./scripts/check-console-js.sh
phase "PostgreSQL start"
# A private PostgreSQL on 127.0.0.1 for the PostgreSQL store's tests, stopped when this script ends.
FLOWLANG_TEST_POSTGRES_URL=$(./scripts/postgres-test-server.sh start)
export FLOWLANG_TEST_POSTGRES_URL
phase "swift test (unit and end-to-end)"
# FLOWLANG_E2E=1 also scaffolds the OrderFulfillment example into a temporary package, then builds and
# tests it (its own build directory: .build-e2e/).
FLOWLANG_E2E=1 swift test --skip-build
phase "crash tests"
# These two steps stop after 15 minutes whatever happens (they take under one), so that a hung server fails
# the run at once rather than at CI's time limit.
# Servers SIGKILLed mid-run and restarted on the same store, an SQLite file then a PostgreSQL schema: every run
# resumes (alone: about 6 s on SQLite, 20 s on PostgreSQL, where a killed server's runs wait for its 1.5 s lease).
FLOWLANG_CRASH_TESTS=1 timeout -k 30 900 swift test --skip-build --filter CrashResumeTests
phase "two-instance tests"
# Two instances on one PostgreSQL: one killed, paused or SIGTERMed mid-load, the other finishes its runs; a cancel
# sent to one reaches a run at the other. Prints its timings (about 20 s).
FLOWLANG_CRASH_TESTS=1 timeout -k 30 900 swift test --skip-build --filter TwoInstanceTests
phase "example package tests"
# The OrderFulfillment example is its own package (it depends on this one by path).
./scripts/test-example.sh
phase "schemathesis"
# The server against its own OpenAPI document: schemathesis, every check (about 2.5 minutes).
./scripts/schemathesis.sh
phase "original clients"
# FlowLang's original Python and TypeScript clients (../shared/clients) against Examples/client-check.
./scripts/client-checks/run.sh
phase "console browser tests"
# The web console in headless Chromium: pages, the run form, live updates, cancel, the key prompt.
./scripts/console-browser-tests.sh
phase "fuzz smoke"
# Every libFuzzer target for 15 s from its seeds (about 8 minutes with the build of Fuzz/).
./scripts/fuzz-smoke.sh
echo "CI: all tests passed"
