#!/usr/bin/env bash
# kill_test.sh - durability under kill -9, with the real binary.
#
# Runs `kiosk run --headless` with a files camera playing a loop of distinct
# badges (made with qrencode), kills it with SIGKILL at a random moment,
# and checks after every round that each scan the kiosk logged as
# "scan committed id=..." is in the database and that PRAGMA
# integrity_check says ok. The database is kept across rounds, so every
# round also starts the kiosk on a database that was just killed.
# ROUNDS (default 20) sets the count; tests/bench/kill_rounds.sh runs 200.
set -uo pipefail
: "${KIOSK:?}"
ROUNDS=${ROUNDS:-20}
for tool in qrencode sqlite3; do
    command -v $tool >/dev/null || { echo "$tool missing"; exit 77; }
done
T=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
pid=
mkdir "$T/badges"
for i in $(seq -w 1 40); do
    qrencode -s 6 -o "$T/badges/b$i.png" \
        "$(printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Kill Test %s\nEMAIL:kill%s@example.org\nNOTE:KILL-%s\nEND:VCARD' "$i" "$i" "$i")"
done
DB="$T/kiosk.db"
export XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config"
RANDOM=${KILL_SEED:-4242}

rounds=0 fail=0 logged_total=0 early=0 lost_total=0
for r in $(seq 1 "$ROUNDS"); do
    log="$T/round$r.log"
    "$KIOSK" --db "$DB" --camera "files:$T/badges" --set camera.fps=20 --printer none \
        run --headless >"$log" 2>"$T/round$r.err" &
    pid=$!
    # A random moment between 50 ms and 2 s (startup, recovery, mid-scan...).
    ms=$((50 + RANDOM % 1950))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"
        echo "round $r: the kiosk exited by itself (status $?) before the kill:"
        tail -n 5 "$T/round$r.err" "$log"
        fail=$((fail + 1))
        continue
    fi
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    pid=
    rounds=$((rounds + 1))
    ids=$(grep -o 'scan committed id=[0-9a-f-]*' "$log" | sed 's/.*id=//')
    n=$(printf '%s\n' "$ids" | grep -c . || true)
    [ "$n" = 0 ] && early=$((early + 1))
    logged_total=$((logged_total + n))
    if [ "$n" -gt 0 ]; then
        list=$(printf "'%s'," $ids)
        found=$(sqlite3 "$DB" "SELECT count(*) FROM scans WHERE id IN (${list%,})")
        if [ "$found" != "$n" ]; then
            echo "round $r (killed after ${ms} ms): $((n - found)) of $n logged scans missing"
            lost_total=$((lost_total + n - found))
            fail=$((fail + 1))
        fi
    fi
    if grep -q "NOT saved" "$log"; then
        echo "round $r: the kiosk reported a scan NOT saved:"; grep "NOT saved" "$log" | head -3
        fail=$((fail + 1))
    fi
    check=$(sqlite3 "$DB" "PRAGMA integrity_check")
    if [ "$check" != ok ]; then
        echo "round $r: integrity_check: $check"
        fail=$((fail + 1))
    fi
done
# The logs never carry personal data (no payloads, no e-mail addresses), and
# the database is private to its user.
if cat "$T"/round*.log "$T"/round*.err | grep -qE '@example\.org|BEGIN:VCARD|Kill Test'; then
    echo "the kiosk's log contains personal data:"
    cat "$T"/round*.log "$T"/round*.err | grep -E '@example\.org|BEGIN:VCARD|Kill Test' | head -3
    fail=$((fail + 1))
fi
mode=$(stat -c %a "$DB")
[ "$mode" = 600 ] || { echo "database mode is $mode, not 600"; fail=$((fail + 1)); }
total=$(sqlite3 "$DB" "SELECT count(*) FROM scans")
echo "kill test: $rounds rounds killed with SIGKILL, $logged_total scans logged as saved, $lost_total missing, $early rounds killed before the first scan, $total scans in the database"
[ "$total" -ge "$logged_total" ] || { echo "fewer scans in the database than logged"; fail=$((fail + 1)); }
[ "$logged_total" -gt 0 ] || { echo "no scan was ever logged: the test proved nothing"; fail=$((fail + 1)); }
echo "$((rounds - fail < 0 ? 0 : rounds - fail)) passed, $fail failed"
[ "$fail" = 0 ]
