#!/usr/bin/env bash
# Run every libFuzzer target of a fuzz build for SECONDS each, starting from
# the checked-in corpus. New inputs stay in a scratch folder; a crash fails
# the run and its input is copied to tests/fuzz/crash-* to be kept as a
# regression input (move it into the corpus once fixed).
set -uo pipefail
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-60}
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
    echo "fuzz: $short for ${SECONDS_EACH}s"
    if ! "$bin" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
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
