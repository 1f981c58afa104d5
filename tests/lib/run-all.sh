#!/usr/bin/env bash
# Run every registered test of a build folder. Starts the services the
# system tests need (Xvfb, cupsd) and stops them afterwards.
set -uo pipefail
# Never recurse (a test that ran this would run every test again).
if [ -n "${KIOSK_RUN_ALL:-}" ]; then echo "run-all.sh: already running" >&2; exit 1; fi
export KIOSK_RUN_ALL=1
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
ROOT=$PWD
# Tests must not see the developer's own kiosk data or settings.
export KIOSK_NO_SYSTEM_CONFIG=1
export HOME_SAVED=$HOME
TMPHOME=$(mktemp -d)
export XDG_DATA_HOME=$TMPHOME/data XDG_CONFIG_HOME=$TMPHOME/config
. tests/lib/services.sh
services_start
ctest --test-dir "$BUILD" --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 600
status=$?
services_stop
rm -rf "$TMPHOME"
exit $status
