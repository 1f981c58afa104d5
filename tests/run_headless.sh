#!/usr/bin/env bash
# run_headless.sh - `kiosk run --headless` with no display at all: an event
# script drives a handshake, screenshots come out as real PNGs of the right
# size, a broken script fails with its line number, bad flags are usage
# errors, and a real-time run speaks systemd's notify protocol (READY,
# WATCHDOG, STOPPING) and stops cleanly on SIGTERM.
set -uo pipefail
KIOSK=${KIOSK:?}
command -v python3 >/dev/null || { echo "skip: python3"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
unset DISPLAY
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

cat >"$W/hs.events" <<'EOF'
# a whole handshake, as a person would do it
expect attract
screenshot attract.png
scan BEGIN:VCARD\nVERSION:3.0\nN:Lovelace;Ada\nFN:Ada Lovelace\nEMAIL:ada@example.org\nEND:VCARD
expect mycard
tap obj_learning
scan BEGIN:VCARD\nVERSION:3.0\nN:Hopper;Grace\nFN:Grace Hopper\nEMAIL:grace@example.org\nEND:VCARD
expect handshake
tap consent_a
tap consent_b
tap fu_next_week
tap save
expect saved
screenshot saved.png
tap done
wait 1000
expect attract
EOF
run() { "$KIOSK" --db "$W/k.db" --camera none --printer none "$@"; }

if (cd "$W" && run run --headless --windowed 1024x600 --events hs.events >"$W/out" 2>&1); then
    ok "scripted handshake runs headless"
else
    fail "scripted run: $(cat "$W/out")"
fi
python3 - "$W/attract.png" "$W/saved.png" <<'EOF' && ok "screenshots are 1024x600 RGB PNGs" || fail "screenshots"
import struct, sys
for p in sys.argv[1:]:
    b = open(p, 'rb').read(33)
    assert b[:8] == b'\x89PNG\r\n\x1a\n', p
    w, h, depth, ctype = struct.unpack('>IIBB', b[16:26])
    assert (w, h, depth, ctype) == (1024, 600, 8, 2), (p, w, h, depth, ctype)
EOF
[ "$(sqlite3 "$W/k.db" "SELECT count(*) FROM interactions WHERE followup_choice='next-week'")" = 1 ] &&
    ok "interaction stored" || fail "interaction not stored"
grep -q "interaction committed" "$W/out" && ok "interaction logged" || fail "no log line"
grep -qi "lovelace\|example.org" "$W/out" && fail "personal data in the log" || ok "log free of personal data"

printf 'tap save\n' >"$W/bad.events"
run run --headless --events "$W/bad.events" >"$W/out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "line 1: no widget \"save\" on screen attract" "$W/out" &&
    ok "a script tapping a missing widget fails with its line" || fail "bad script rc=$rc $(cat "$W/out")"
run run --headless --windowed 12x12 >/dev/null 2>&1
[ $? -eq 2 ] && ok "bad --windowed is a usage error" || fail "bad --windowed not refused"
run run --bogus >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown flag is a usage error" || fail "unknown flag accepted"

# Admin export to USB from a script: the child export gets the kiosk's
# settings (--config file and --set), and the result line comes back.
mkdir -p "$W/usb/STICK"
printf 'event.name = Config File Conf\n' >"$W/kiosk.conf"
cat >"$W/export.events" <<'EOF'
scan BEGIN:VCARD\nVERSION:3.0\nN:Lovelace;Ada\nFN:Ada Lovelace\nEMAIL:ada@example.org\nEND:VCARD
scan BEGIN:VCARD\nVERSION:3.0\nN:Hopper;Grace\nFN:Grace Hopper\nEMAIL:grace@example.org\nEND:VCARD
tap consent_a
tap consent_b
tap save
expect saved
tap done
hold admin_corner 2100
expect pin
tap pin_2
tap pin_4
tap pin_6
tap pin_8
tap pin_ok
expect admin
tap export_usb
wait 500
expect admin
EOF
KIOSK_USB_ROOT="$W/usb" "$KIOSK" --config "$W/kiosk.conf" --db "$W/x.db" --camera none \
    --printer none --set admin.pin=2468 --set export.delimiter=";" run --headless \
    --events "$W/export.events" >"$W/out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "admin: export to USB done" "$W/out" &&
    ok "admin export from a script reports its result" || fail "admin export: rc=$rc $(cat "$W/out")"
grep -rqs "Config File Conf" "$W/usb/STICK" &&
    ok "the export used the kiosk's --config settings" || fail "export lost --config"
csv=$(find "$W/usb/STICK" -name '*.csv' | head -1)
[ -n "$csv" ] && head -2 "$csv" | grep -q ';' &&
    ok "the export used the kiosk's --set settings" || fail "export lost --set ($csv)"

# Admin-screen forget deletes the person's slip PNGs, as `kiosk forget` does.
ADA='BEGIN:VCARD\nVERSION:3.0\nN:Lovelace;Ada\nFN:Ada Lovelace\nEMAIL:ada@example.org\nEND:VCARD'
cat >"$W/print.events" <<EOF
scan $ADA
scan BEGIN:VCARD\nVERSION:3.0\nN:Hopper;Grace\nFN:Grace Hopper\nEMAIL:grace@example.org\nEND:VCARD
expect handshake
tap consent_a
tap consent_b
tap save
expect saved
tap print
tap done
EOF
cat >"$W/forget.events" <<EOF
hold admin_corner 2100
expect pin
tap pin_2
tap pin_4
tap pin_6
tap pin_8
tap pin_ok
expect admin
tap forget
expect forget-wait
scan $ADA
expect forget-confirm
tap forget_confirm
expect admin
EOF
prun() { "$KIOSK" --db "$W/p.db" --camera none --printer "png:$W/slips" --set admin.pin=2468 "$@"; }
prun run --headless --events "$W/print.events" >"$W/out" 2>&1 || fail "print run: $(cat "$W/out")"
# Whatever the worker had not sent when the script ended, printed now.
prun slip --retry >>"$W/out" 2>&1 || fail "slip --retry: $(cat "$W/out")"
n=$(find "$W/slips" -name 'slip-*.png' 2>/dev/null | wc -l)
[ "$n" -eq 2 ] && ok "both handshake slips written as PNGs" || fail "expected 2 slip PNGs, got $n"
prun run --headless --events "$W/forget.events" >"$W/out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "admin: attendee erased" "$W/out" &&
    ok "admin forget from a script" || fail "admin forget: rc=$rc $(cat "$W/out")"
[ "$(sqlite3 "$W/p.db" "SELECT count(*) FROM attendees WHERE emails LIKE '%ada@%'")" = 0 ] &&
    ok "admin forget erased the attendee" || fail "attendee still there"
n=$(find "$W/slips" -name 'slip-*.png' | wc -l)
[ "$n" -eq 0 ] && ok "admin forget deleted the person's slip PNGs" ||
    fail "$n slip PNG(s) left after the admin forget"
grep -q "slip image(s) deleted" "$W/out" && ok "the deletion is logged" || fail "no deletion log line"

# A damaged database is refused at start with what to do, and left as it was.
"$KIOSK" --db "$W/bad.db" seed 300 >/dev/null 2>&1
pages=$(( $(stat -c %s "$W/bad.db") / 4096 ))
dd if=/dev/urandom of="$W/bad.db" bs=4096 seek=$((pages / 2)) count=1 conv=notrunc 2>/dev/null
before=$(sha1sum <"$W/bad.db")
(cd "$W" && "$KIOSK" --db "$W/bad.db" --camera none --printer none run --headless \
    --events "$W/hs.events" >"$W/out" 2>&1)
rc=$?
[ $rc -eq 1 ] && grep -q "is damaged" "$W/out" && grep -q "mv .*bad.db.damaged" "$W/out" &&
    grep -q "kiosk doctor" "$W/out" && grep -q "snapshot" "$W/out" &&
    ! grep -q "scan committed" "$W/out" &&
    ok "a damaged database is refused with guidance" || fail "damaged db: rc=$rc $(cat "$W/out")"
[ "$(sha1sum <"$W/bad.db")" = "$before" ] && ok "the damaged database is left unchanged" ||
    fail "the damaged database was modified"

# Real time, no script: systemd notify protocol and SIGTERM.
python3 - "$W" "$KIOSK" <<'EOF' && ok "READY/WATCHDOG/STOPPING sent; SIGTERM exits 0" || fail "notify/SIGTERM"
import os, signal, socket, subprocess, sys, time
w, kiosk = sys.argv[1], sys.argv[2]
path = os.path.join(w, "notify")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.2)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="300000")
p = subprocess.Popen([kiosk, "--db", os.path.join(w, "rt.db"), "--camera", "none", "--printer",
                      "none", "run", "--headless"], env=env, stdout=subprocess.DEVNULL)
got, t0 = [], time.time()
while time.time() - t0 < 3:
    try:
        got.append(s.recv(256).decode())
    except socket.timeout:
        pass
p.send_signal(signal.SIGTERM)
rc = p.wait(timeout=10)
while True:
    try:
        got.append(s.recv(256).decode())
    except socket.timeout:
        break
assert rc == 0, rc
assert "READY=1" in got, got
assert got.count("WATCHDOG=1") >= 3, got
assert "STOPPING=1" in got, got
EOF

[ "$fails" -eq 0 ] || exit 1
echo "all headless checks passed"
