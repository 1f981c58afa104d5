#!/usr/bin/env bash
# Run every libFuzzer target of a fuzz build, starting from the checked-in
# corpus. New inputs stay in a scratch folder; a crash fails the run and its
# input is copied to tests/fuzz/crash-* to be kept as a regression input
# (move it into the corpus once fixed).
#
#   run.sh BUILD SECONDS        explore: a random seed, SECONDS per target
#   FUZZ_RUNS=N run.sh BUILD    repeatable: seed FUZZ_SEED (default 1) and
#                               N inputs per target, so a run that passed
#                               here passes on CI too (what .ci/run does)
set -uo pipefail
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-60}
if [ -n "${FUZZ_RUNS:-}" ]; then
    limit=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
    what="$FUZZ_RUNS inputs, seed ${FUZZ_SEED:-1}"
else
    limit=(-max_total_time="$SECONDS_EACH")
    what="${SECONDS_EACH}s"
fi
cd "$(dirname "$0")/../.."
status=0
found=0
for bin in "$BUILD"/tests/fuzz_*; do
    [ -x "$bin" ] || continue
    found=1
    name=$(basename "$bin"); short=${name#fuzz_}
    scratch=$(mktemp -d)
    mkdir -p "tests/fuzz/corpus/$short"
    cp -r "tests/fuzz/corpus/$short/." "$scratch/" 2>/dev/null
    echo "fuzz: $short for $what"
    if ! "$bin" "${limit[@]}" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="tests/fuzz/crash-$short-" "$scratch" >"$scratch.log" 2>&1; then
        tail -40 "$scratch.log"
        echo "fuzz: $short FAILED"
        status=1
    else
        grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$scratch.log" | tail -1
    fi
    rm -rf "$scratch" "$scratch.log"
done
[ $found = 1 ] || echo "fuzz: no targets built"
exit $status
