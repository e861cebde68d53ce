#!/usr/bin/env bash
# Coverage-guided fuzzing of FlowLang's parsers of outside input with libFuzzer.
#
#   scripts/fuzz.sh TARGET SECONDS    one target (FuzzFlowLoader, FuzzCondition, FuzzExecuteBody, FuzzCron,
#                                     FuzzDotEnv, FuzzQuery) for SECONDS
#   scripts/fuzz.sh all SECONDS       each target in turn for SECONDS
#
# Builds the Fuzz/ package (-sanitize=fuzzer,address; release, or what FUZZ_CONFIGURATION says: `debug` builds in
# less than half the time and runs slower, which suits a short smoke) when needed. Each run starts from the committed
# seeds in Fuzz/Corpus/TARGET/ plus what earlier runs found in the scratch corpus .build/fuzz/corpus/TARGET/;
# new inputs go to the scratch corpus only. A crash, hang (-timeout=5) or leak stops the run with a non-zero
# exit and leaves its reproducer in .build/fuzz/artifacts/TARGET/; reproduce it with
# `Fuzz/.build/release/TARGET FILE` (`debug` for a debug build). libFuzzer's final statistics (executions, coverage) end each run.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(FuzzFlowLoader FuzzCondition FuzzExecuteBody FuzzCron FuzzDotEnv FuzzQuery)
usage() { echo "usage: $0 {${targets[*]// /|}|all} SECONDS" >&2; exit 2; }
[[ $# == 2 && $2 =~ ^[0-9]+$ ]] || usage
if [[ $1 == all ]]; then
    selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $1 "* ]]; then
    selected=("$1")
else
    usage
fi

scratch=$PWD/.build/fuzz
configuration=${FUZZ_CONFIGURATION:-release}
[[ $configuration == release || $configuration == debug ]] || { echo "FUZZ_CONFIGURATION: release or debug" >&2; exit 2; }
build=(swift build --package-path Fuzz -c "$configuration" -Xswiftc -sanitize=fuzzer,address)
if [[ $1 == all ]]; then "${build[@]}" >&2; else "${build[@]}" --product "$1" >&2; fi

# Swift's own backtracer and ASan's reports fight over a crashing process; ASan's report is the one wanted.
export SWIFT_BACKTRACE=enable=no
# A 1 MiB stack instead of 8 MiB, so unbounded recursion overflows at depths that libFuzzer's inputs of a few KiB
# reach (a thousand parentheses rather than ten thousand).
ulimit -s 1024
# Longest input per target: flow files are larger than the other inputs.
max_len() { case $1 in FuzzFlowLoader) echo 65536 ;; *) echo 4096 ;; esac; }
status=0
for target in "${selected[@]}"; do
    mkdir -p "$scratch/corpus/$target" "$scratch/artifacts/$target"
    echo "== $target: $2 s" >&2
    Fuzz/.build/"$configuration"/"$target" \
        -max_total_time="$2" -max_len="$(max_len "$target")" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 -print_pcs=0 \
        -artifact_prefix="$scratch/artifacts/$target/" \
        "$scratch/corpus/$target" "Fuzz/Corpus/$target" || status=$?
    ((status == 0)) || { echo "== $target failed (exit $status); reproducer in $scratch/artifacts/$target/" >&2; break; }
done
exit "$status"
