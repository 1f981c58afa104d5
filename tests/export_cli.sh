#!/usr/bin/env bash
# kiosk export --to-usb / --out and kiosk followups, driven through the real
# binary: a missing drive, two drives, a read-only drive and a full disk
# (when this machine lets us mount a tmpfs), a timestamped folder with every format and no
# temporary files left, the audit log, followups list/due/done/skip.
set -u
[ -x "${KIOSK:-}" ] || { echo "skipped: \$KIOSK not set"; exit 77; }
T=$(mktemp -d)
trap 'umount "$T/usb3/RO" "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
export KIOSK_NO_SYSTEM_CONFIG=1 XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
export KIOSK_NOW=2026-11-26T15:00:00Z
fail=0 pass=0
ok() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $*" >&2; fi; }
k() { "$KIOSK" --db "$T/k.db" --set event.timezone=Europe/Berlin "$@"; }

k seed 40 --seed 5 >/dev/null || { echo "seed failed"; exit 1; }

# No drive.
mkdir -p "$T/usb"
out=$(KIOSK_USB_ROOT=$T/usb k export --to-usb 2>&1); rc=$?
ok test $rc -eq 1
ok grep -q "no USB drive found" <<<"$out"

# One drive: a timestamped folder (local time) with all four files.
mkdir "$T/usb/STICK"
out=$(KIOSK_USB_ROOT=$T/usb k export --to-usb 2>&1); rc=$?
ok test $rc -eq 0
dir=$T/usb/STICK/kiosk-export-20261126-160000
for f in leads.csv contacts.vcf export.json followups.ics; do
    ok test -s "$dir/$f"
done
ok test "$(ls -A "$dir" | wc -l)" -eq 4          # no temporaries left behind
ok test "$(sqlite3 "$T/k.db" "SELECT count(*) FROM audit_log WHERE action='export' AND detail LIKE '%to=usb%'")" -eq 4

# Two drives: refuse to guess.
mkdir "$T/usb/OTHER"
out=$(KIOSK_USB_ROOT=$T/usb k export --to-usb 2>&1); rc=$?
ok test $rc -eq 1
ok grep -q "choose one with --out" <<<"$out"

# A read-only drive (needs permission to mount a tmpfs; skipped otherwise).
mkdir -p "$T/usb3/RO"
if mount -t tmpfs -o ro,size=1m tmpfs "$T/usb3/RO" 2>/dev/null; then
    out=$(KIOSK_USB_ROOT=$T/usb3 k export --to-usb 2>&1); rc=$?
    ok test $rc -eq 1
    ok grep -q "read-only" <<<"$out"
    umount "$T/usb3/RO"
else
    echo "note: cannot mount a read-only tmpfs here; read-only drive case not exercised"
fi

# A full disk (a 16 KiB tmpfs; the CSV is about 29 KB): the export fails
# with a clear message, the old file is intact and no temporary is left.
mkdir -p "$T/full"
if mount -t tmpfs -o size=16k tmpfs "$T/full" 2>/dev/null; then
    echo old >"$T/full/leads.csv"
    out=$(k export --out "$T/full/leads.csv" 2>&1); rc=$?
    ok test $rc -eq 1
    ok grep -q "disk is full\|No space left" <<<"$out"
    ok test "$(cat "$T/full/leads.csv")" = old
    ok test "$(ls -A "$T/full" | wc -l)" -eq 1
    umount "$T/full"
else
    echo "note: cannot mount a tmpfs here; full-disk case not exercised"
fi

# --out: an existing file is replaced atomically; a missing folder is an error.
echo old >"$T/leads.csv"
ok k export --out "$T/leads.csv" >/dev/null
ok grep -q "^.*id,captured_at" "$T/leads.csv"
out=$(k export --out "$T/nope/leads.csv" 2>&1); rc=$?
ok test $rc -eq 1
ok grep -q "nothing was written\|cannot write" <<<"$out"
out=$(k export --format all 2>&1); rc=$?
ok test $rc -eq 2
out=$(k export --mode party 2>&1); rc=$?
ok test $rc -eq 2

# Follow-ups: list, due, done, skip, and refusing twice.
list=$(k followups list)
ok grep -q "^ID  *STATUS" <<<"$list"
id=$(k followups due | awk 'NR==2 {print $1}')
ok test -n "$id"
ok k followups done "$id"
out=$(k followups done "$id" 2>&1); rc=$?
ok test $rc -eq 1
ok grep -q "already done" <<<"$out"
id2=$(k followups due | awk 'NR==2 {print $1}')
ok k followups skip "$id2"
ok grep -q "$id" <<<"$(k followups list --all)"
out=$(k followups done 2>&1); rc=$?
ok test $rc -eq 2
out=$(k followups done zzzzzzzzzz 2>&1); rc=$?
ok test $rc -eq 1

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
