#!/usr/bin/env bash
# `kiosk badge` and `kiosk roster` end to end: exit codes (0 contact/ref,
# 1 not a badge with the reason on stderr, 2 usage), JSON that python reads,
# roster import all-or-nothing with FILE:LINE reports, idempotent re-import,
# and a scanned opaque code resolved through the imported roster.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" KIOSK_NO_SYSTEM_CONFIG=1
B="$TESTDATA/badges"; R="$TESTDATA/roster"; DB="$T/kiosk.db"
# shellcheck source=lib/check.sh
. "$SRC/tests/lib/check.sh"
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$T/out" "$1"; }

expect 0 "vCard badge" -- "$KIOSK" badge --db "$DB" --json "$B/vcard_gmail.txt"
[ "$(json_get '["display_name"]')" = "Priya Raman" ] && ok || bad "vCard display name"
[ "$(json_get '["emails"][1]')" = "praman@work.example" ] && ok || bad "second e-mail"
[ ! -e "$DB" ] && ok || bad "kiosk badge must not create the database"
expect 0 "payload on stdin" -- "$KIOSK" badge --json - <"$B/mecard_basic.txt"
[ "$(json_get '["format"]')" = mecard ] && ok || bad "stdin MECARD"
expect 0 "text output" -- "$KIOSK" badge "$B/vcard_escapes.txt"
grep -q "^org:     Back\\\\slash, Semi;colon Inc.$" "$T/out" && ok || bad "text output org"
expect 0 "opaque ref" -- "$KIOSK" badge --json "$B/ref_order_code.txt"
[ "$(json_get '["format"]')/$(json_get '["ref"]')" = "ref/ABC12" ] && ok || bad "ref format"
expect 0 "unknown ref" -- "$KIOSK" badge --json "$B/unknown_text.txt"
[ "$(json_get '["format"]')" = unknown ] && ok || bad "unknown format"
expect 1 "Wi-Fi refused" -- "$KIOSK" badge "$B/wifi.txt"
grep -q "Wi-Fi" "$T/err" && ok || bad "Wi-Fi reason on stderr"
[ ! -s "$T/out" ] && ok || bad "nothing on stdout when refused"
expect 1 "setup code refused" -- "$KIOSK" badge "$B/json_setup_handshake.txt"
expect 1 "truncated vCard" -- "$KIOSK" badge "$B/vcard_truncated.txt"
grep -q "truncated" "$T/err" && ok || bad "truncated reason"
head -c 10000 /dev/zero | tr '\0' A >"$T/big"
expect 1 "oversized" -- "$KIOSK" badge "$T/big"
grep -q "4096-byte limit" "$T/err" && ok || bad "oversized reason"
expect 2 "unknown option" -- "$KIOSK" badge --frob
expect 2 "two files" -- "$KIOSK" badge a b
expect 1 "missing file" -- "$KIOSK" badge "$T/nope"
expect 0 "--vcard" -- "$KIOSK" badge --vcard "$B/vcard4_basic.txt"
head -1 "$T/out" | grep -q $'^BEGIN:VCARD\r$' && ok || bad "--vcard CRLF output"

# roster: bad file -> nothing imported, every bad row by file:line
expect 1 "bad roster" -- "$KIOSK" roster --db "$DB" import "$R/bad.csv"
for l in 3 4 5 6 7 8; do grep -q "bad.csv:$l: " "$T/err" && ok || bad "bad row $l reported"; done
grep -q "nothing was imported" "$T/err" && ok || bad "all-or-nothing message"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM attendees')" = 0 ] && ok || bad "bad import left rows"
expect 0 "pretix import" -- "$KIOSK" roster --db "$DB" import "$R/pretix.csv"
grep -q "imported 3 attendees" "$T/out" && ok || bad "import summary"
expect 0 "re-import" -- "$KIOSK" roster --db "$DB" import "$R/pretix.csv"
grep -q "0 new, 3 updated" "$T/out" && ok || bad "re-import updates"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM attendees')" = 3 ] && ok || bad "idempotent count"
expect 0 "--map import" -- "$KIOSK" roster --db "$DB" import "$R/custom.csv" --map "Badge code=ref"
expect 2 "--map without value" -- "$KIOSK" roster --db "$DB" import "$R/custom.csv" --map
expect 1 "--map unknown column" -- "$KIOSK" roster --db "$DB" import "$R/custom.csv" --map "X=ref"
expect 2 "--map unknown field" -- "$KIOSK" roster --db "$DB" import "$R/custom.csv" --map "Badge code=bogus"
expect 0 "lookup pseudonymization id" -- "$KIOSK" roster --db "$DB" lookup K3J9XQ2M7P
grep -q "^name:    Jane Doe$" "$T/out" && ok || bad "lookup name"
expect 1 "lookup unknown" -- "$KIOSK" roster --db "$DB" lookup NOPE
expect 1 "lookup shared order code" -- "$KIOSK" roster --db "$DB" lookup ABC12
expect 2 "roster without action" -- "$KIOSK" roster
[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action='roster.import'")" = 3 ] && ok ||
    bad "imports audited"

# a scanned ticket secret resolves through the roster
printf 's3cr3tzoe0000000000000000000000c' >"$T/secret"
expect 0 "badge resolved by roster" -- "$KIOSK" badge --db "$DB" --json "$T/secret"
[ "$(json_get '["display_name"]')" = "Zoë O'Brien; Jr" ] && ok || bad "roster name"
[ "$(json_get '["roster"]')" = True ] && ok || bad "roster flag"
[ "$(json_get '["format"]')" = ref ] && ok || bad "format kept"

check_done
