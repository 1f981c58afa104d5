#!/usr/bin/env bash
# Build and run every benchmark in tests/bench/; each prints its own figures.
set -uo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
for b in "$BUILD"/tests/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" || echo "bench $(basename "$b") failed"
done
