#!/usr/bin/env bash
# The command line: every subcommand's --help, usage errors (exit 2, one line),
# --db creating a private database, refusals of foreign files, doctor, config.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
# shellcheck source=lib/check.sh
. "$SRC/tests/lib/check.sh"

expect 0 "kiosk --help" -- "$KIOSK" --help
grep -q "^  doctor" "$T/out" && ok || bad "--help lists doctor"
expect 2 "no command" -- "$KIOSK"
for c in run decode badge roster export slip followups forget merge seed doctor version; do
    expect 0 "$c --help" -- "$KIOSK" "$c" --help
    grep -q "^usage: kiosk $c" "$T/out" && ok || bad "$c --help prints usage"
done
expect 2 "unknown command" -- "$KIOSK" frobnicate
[ "$(wc -l <"$T/err")" = 1 ] && ok || bad "usage error is one line"
grep -q 'unknown command "frobnicate"' "$T/err" && ok || bad "usage error names the command"
expect 2 "--db without value" -- "$KIOSK" doctor --db
expect 2 "bad camera spec" -- "$KIOSK" doctor --camera webcam
grep -q 'camera "webcam" is not one of' "$T/err" && ok || bad "camera spec reason"
expect 2 "bad --set" -- "$KIOSK" doctor --set nokey
expect 2 "unknown --set key" -- "$KIOSK" doctor --set frob=1
expect 0 "version" -- "$KIOSK" version
grep -q "^kiosk [0-9]" "$T/out" && ok || bad "version line"

# a KIOSK_NOW that is not a time is said, not silently replaced by the clock
KIOSK_NOW=garbage "$KIOSK" followups --db "$T/now.db" >/dev/null 2>"$T/err"
grep -q 'KIOSK_NOW="garbage" is neither' "$T/err" && ok || bad "bad KIOSK_NOW is reported"

# a tab stored in a name (seed --edge-cases has one) does not break the columns
KIOSK_NOW=2026-11-26T10:00:00Z "$KIOSK" --db "$T/edge.db" seed 30 --edge-cases >/dev/null 2>&1
"$KIOSK" --db "$T/edge.db" followups list --all >"$T/out" 2>&1
grep -q "Tabbed" "$T/out" && ! grep -q "$(printf '\t')" "$T/out" && ok || bad "followups list shows control characters as spaces"

# doctor on a fresh path creates nothing
expect 0 "doctor, no database yet" -- "$KIOSK" doctor --db "$T/new/kiosk.db"
[ ! -e "$T/new/kiosk.db" ] && ok || bad "doctor must not create the database"
grep -q "^WARN  database" "$T/out" && ok || bad "doctor warns about the missing database"

# a command that opens the store creates it 0600 (any command using cli_store)
if "$KIOSK" roster lookup NOPE --db "$T/k/kiosk.db" >/dev/null 2>&1 || [ -e "$T/k/kiosk.db" ]; then
    mode=$(stat -c %a "$T/k/kiosk.db" 2>/dev/null)
    [ "$mode" = 600 ] && ok || bad "database mode is $mode, wanted 600"
    expect 0 "doctor on a good database" -- "$KIOSK" doctor --db "$T/k/kiosk.db"
    grep -q "^OK    database .*schema [0-9][0-9]*, integrity ok" "$T/out" && ok || bad "doctor database line"
fi

# foreign and corrupt files are refused and left untouched
printf 'hello, I am a text file\n%.0s' $(seq 200) >"$T/text.db"
sqlite3 "$T/other.db" "CREATE TABLE songs(x); INSERT INTO songs VALUES (1);"
for f in text other; do
    sum=$(sha256sum <"$T/$f.db")
    expect 1 "doctor refuses $f.db" -- "$KIOSK" doctor --db "$T/$f.db"
    grep -q "^FAIL  database" "$T/out" && ok || bad "doctor FAIL line for $f.db"
    [ "$(sha256sum <"$T/$f.db")" = "$sum" ] && ok || bad "$f.db was modified"
done
grep -q "another application" "$T/out" && ok || bad "foreign database reason"

# config files: refused with file:line
printf 'mode = booth\nprinter.width_dots = huge\n' >"$T/bad.conf"
expect 1 "bad config" -- "$KIOSK" doctor --config "$T/bad.conf"
grep -q "bad.conf:2: printer.width_dots must be a whole number" "$T/err" && ok ||
    bad "config error names file:line"
printf 'mode = booth\nevent.name = DevConf\n' >"$T/good.conf"
expect 0 "good config" -- "$KIOSK" doctor --config "$T/good.conf" --db "$T/k/kiosk.db"
grep -q 'mode booth, event "DevConf"' "$T/out" && ok || bad "config applied"
# flags beat files
expect 0 "--set beats --config" -- "$KIOSK" doctor --config "$T/good.conf" --set mode=handshake --db "$T/k/kiosk.db"
grep -q 'mode handshake' "$T/out" && ok || bad "--set wins"
# the example config loads as-is and with every line uncommented
expect 0 "example config" -- "$KIOSK" doctor --config "$SRC/assets/kiosk.conf.example" --db "$T/k/kiosk.db"
sed -E 's/^# ([a-z_.]+ =)/\1/' "$SRC/assets/kiosk.conf.example" >"$T/all.conf"
expect 0 "example config uncommented" -- "$KIOSK" doctor --config "$T/all.conf" --db "$T/k/kiosk.db"

check_done
