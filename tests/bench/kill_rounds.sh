#!/usr/bin/env bash
# kill_rounds.sh - the full kill -9 durability run (200 rounds; the test
# suite runs 20). Usage: tests/bench/kill_rounds.sh [BUILD] [ROUNDS]
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
export KIOSK="${KIOSK:-$PWD/$BUILD/kiosk}" ROUNDS=${2:-200}
start=$(date +%s)
bash tests/kill_test.sh
status=$?
echo "kill rounds: $ROUNDS in $(( $(date +%s) - start )) s"
exit $status
