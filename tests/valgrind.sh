#!/usr/bin/env bash
# valgrind must find no memory errors and no leaks in the real binary on the
# paths every kiosk takes: opening and migrating a database, parsing badges,
# seeding, exporting, doctor. Skipped under ASan (the two do not mix) and when
# valgrind is missing.
set -u
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
if ldd "$KIOSK" | grep -q libasan; then echo "sanitizer build: skipped"; exit 77; fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
vg() { # vg NAME -- command...
    local name=$1; shift 2
    if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --log-file="$T/$name.vg" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null; then
        pass=$((pass + 1))
    else
        local rc=$?
        if [ "$rc" = 99 ] || [ -s "$T/$name.vg" ]; then
            fail=$((fail + 1)); echo "FAILED: valgrind $name"; head -40 "$T/$name.vg"
        else
            pass=$((pass + 1)) # a non-zero exit the command meant (e.g. exit 1) is fine here
        fi
    fi
}
DB=$T/k.db
export KIOSK_NOW=2026-11-26T10:00:00
vg seed -- "$KIOSK" seed 30 --db "$DB"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nEMAIL:jane@example.org\r\nEND:VCARD\r\n' >"$T/card.vcf"
vg badge -- "$KIOSK" badge --json "$T/card.vcf"
vg export_csv -- "$KIOSK" export --format csv --out "$T/out.csv" --db "$DB"
vg export_json -- "$KIOSK" export --format json --out "$T/out.json" --db "$DB"
vg doctor -- "$KIOSK" doctor --db "$DB"
vg followups -- "$KIOSK" followups list --db "$DB"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
