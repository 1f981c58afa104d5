#!/usr/bin/env bash
# merge_cli.sh - `kiosk merge` and `kiosk forget` driven as staff would:
# two seeded kiosks, a snapshot carried "on a USB stick", merged twice (the
# second time changes nothing), a foreign file refused with exit 1, a person
# forgotten (gone from the merged file's bytes) and not brought back by
# merging the kiosk that still has them; consent withdrawal; retention.
set -uo pipefail
: "${KIOSK:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI missing"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fail=0 pass=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAILED: $*"; fail=$((fail + 1)); fi; }
q() { sqlite3 "$1" "$2"; }

export KIOSK_NOW=2026-06-01T09:00:00
"$KIOSK" --db a.db --set kiosk.id=kiosk-a seed 40 >/dev/null
"$KIOSK" --db b.db --set kiosk.id=kiosk-b seed 60 >/dev/null
ok test "$(q a.db 'select count(*) from attendees')" = 40

mkdir usb
ok "$KIOSK" --db a.db merge --snapshot usb/kiosk-a.db
ok test "$(stat -c %a usb/kiosk-a.db)" = 600
ok test ! -e usb/kiosk-a.db-wal
# never overwrites
"$KIOSK" --db a.db merge --snapshot usb/kiosk-a.db 2>err.txt
ok test $? = 1
ok grep -q "exists" err.txt

ok "$KIOSK" --db hq.db --set kiosk.id=hq merge usb/kiosk-a.db b.db
n1=$(q hq.db 'select count(*) from attendees')
ok test "$n1" = 60 # DEMO refs 1..40 are shared with kiosk b
dump() { q hq.db "select * from attendees order by id; select * from interactions order by id; select * from notes order by id; select * from leads order by 1; select * from followups order by id;" | md5sum; }
before=$(dump)
"$KIOSK" --db hq.db merge b.db usb/kiosk-a.db >out.txt
ok test $? = 0
ok grep -q "0 new attendee" out.txt
ok test "$(dump)" = "$before"

# Refusals: exit 1, clear message, the file untouched.
printf 'just text, not a database at all........................................' >notes.txt
sum=$(md5sum <notes.txt)
"$KIOSK" --db hq.db merge notes.txt 2>err.txt
ok test $? = 1
ok grep -q "not a kiosk database" err.txt
ok grep -q "Nothing was merged" err.txt
ok test "$(md5sum <notes.txt)" = "$sum"
sqlite3 other.db 'create table x(y); insert into x values (1);'
"$KIOSK" --db hq.db merge other.db 2>err.txt
ok test $? = 1
ok grep -q "another application" err.txt
"$KIOSK" --db hq.db merge 2>/dev/null
ok test $? = 2

# Forget DEMO-0000007 at HQ: gone everywhere, not even in the file's bytes.
email=$(q hq.db "select emails from attendees where ref = 'DEMO-0000007'")
ok test -n "$email"
ok "$KIOSK" --db hq.db forget DEMO-0000007
ok test "$(q hq.db "select count(*) from attendees where ref = 'DEMO-0000007'")" = 0
ok test "$(q hq.db "select count(*) from audit_log where action = 'erasure' and detail like '%DEMO%'")" = 0
if grep -qaF "$email" hq.db hq.db-wal 2>/dev/null; then ok false; else ok true; fi
# Merging kiosk b (which still has them) does not bring them back.
ok "$KIOSK" --db hq.db merge b.db
ok test "$(q hq.db "select count(*) from attendees where ref = 'DEMO-0000007'")" = 0
"$KIOSK" --db hq.db forget DEMO-0000007 >out.txt
ok grep -q "no attendee has that reference" out.txt

# Consent withdrawal stops follow-ups and exports.
email8=$(q hq.db "select emails from attendees where ref = 'DEMO-0000008'")
"$KIOSK" --db hq.db export --format csv --out before.csv >/dev/null 2>&1
ok grep -qF "$email8" before.csv
ok "$KIOSK" --db hq.db forget --withdraw DEMO-0000008
"$KIOSK" --db hq.db export --format csv --out after.csv >/dev/null 2>&1
ok test -s after.csv
if grep -qF "$email8" after.csv; then ok false; else ok true; fi
ok test "$(q hq.db "select count(*) from followups f join attendees a on a.id = f.contact_id where a.ref = 'DEMO-0000008' and f.status in ('queued','due')")" = 0
"$KIOSK" --db hq.db forget --withdraw NOBODY 2>/dev/null
ok test $? = 1

# Forget also deletes the slip PNGs the png printer wrote for the person:
# their handshake slip, their own connections slip, and the connections
# slip of someone they met (it lists them). Other slips stay.
P="png:$T/slips"
pair=$(q a.db "select i.id from interactions i join attendees x on x.id = i.a_id join attendees y on y.id = i.b_id where x.ref = 'DEMO-0000002' and y.ref = 'DEMO-0000019'")
ok test -n "$pair"
slipjob() { "$KIOSK" --db a.db --printer "$P" slip "$@" | sed -n 's/^slip written to .*slip-\(.*\)\.png$/\1/p'; }
j_pair=$(slipjob "$pair")
j_own=$(slipjob --connections DEMO-0000002)
j_met=$(slipjob --connections DEMO-0000019)
j_test=$(slipjob --test)
j_other=$(slipjob --connections DEMO-0000014)
ok test "$(q a.db "select count(*) from interactions i join attendees x on x.id in (i.a_id, i.b_id) join attendees y on y.id in (i.a_id, i.b_id) where x.ref = 'DEMO-0000002' and y.ref = 'DEMO-0000014'")" = 0
for j in "$j_pair" "$j_own" "$j_met" "$j_test" "$j_other"; do ok test -s "slips/slip-$j.png"; done
"$KIOSK" --db a.db --printer "$P" forget DEMO-0000002 >out.txt
ok test $? = 0
ok grep -q "^3 slip image(s) deleted" out.txt
for j in "$j_pair" "$j_own" "$j_met"; do ok test ! -e "slips/slip-$j.png"; done
for j in "$j_test" "$j_other"; do ok test -e "slips/slip-$j.png"; done
# DEMO-0000019's connections job itself stays (only its old image went).
ok test "$(q a.db "select count(*) from print_jobs where id = '$j_met'")" = 1
# A slip that cannot be deleted (here a folder in its place): the erasure
# stands, exit 1 says so.
j_ro=$(slipjob --connections DEMO-0000003)
rm -f "slips/slip-$j_ro.png" && mkdir "slips/slip-$j_ro.png"
"$KIOSK" --db a.db --printer "$P" forget DEMO-0000003 >out.txt 2>err.txt
ok test $? = 1
ok grep -q "could not be deleted" err.txt
ok test "$(q a.db "select count(*) from attendees where ref = 'DEMO-0000003'")" = 0

# Retention: off by default; 30 days later everything seeded on June 1 goes.
"$KIOSK" --db hq.db doctor >doctor.txt
ok grep -q "retention.*kept until forgotten" doctor.txt
# Slips printed at HQ on June 1 go with their jobs; files that are not our
# slips stay, and so does a slip whose job is newer than the cutoff.
H="png:$T/hqslips"
hq_old=$("$KIOSK" --db hq.db --printer "$H" slip --test | sed -n 's/^slip written to .*slip-\(.*\)\.png$/\1/p')
hq_conn=$("$KIOSK" --db hq.db --printer "$H" slip --connections DEMO-0000011 | sed -n 's/^slip written to .*slip-\(.*\)\.png$/\1/p')
hq_new=$(KIOSK_NOW=2026-07-30T09:00:00 "$KIOSK" --db hq.db --printer "$H" slip --test | sed -n 's/^slip written to .*slip-\(.*\)\.png$/\1/p')
ok test -s "hqslips/slip-$hq_old.png"
ok test -s "hqslips/slip-$hq_conn.png"
echo keep >hqslips/notes.png
echo keep >hqslips/slip-x.png
KIOSK_NOW=2026-08-01T09:00:00 "$KIOSK" --db hq.db --printer "$H" --set privacy.retention_d=30 forget --expired >out.txt
ok test $? = 0
ok grep -q "^2 slip image(s) deleted" out.txt
ok test ! -e "hqslips/slip-$hq_old.png"
ok test ! -e "hqslips/slip-$hq_conn.png"
ok test -e "hqslips/slip-$hq_new.png"
ok test -e hqslips/notes.png
ok test -e hqslips/slip-x.png
ok test "$(q hq.db 'select count(*) from attendees')" = 0
ok test "$(q hq.db 'pragma integrity_check')" = ok

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
