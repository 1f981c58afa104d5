#!/usr/bin/env bash
# CUPS end to end: `kiosk slip` prints through a real (private) cupsd to a
# virtual cups-pdf queue; the PDF is rendered with pdftoppm and its QR codes
# decode (zbarimg) to the test page's vCards. Faults: cupsd stopped (job
# kept with the error, printed once after cupsd is back) and a queue that
# does not exist. Skips (77) when CUPS cannot run here (needs root, cups,
# printer-driver-cups-pdf, poppler-utils, zbar-tools).
set -u
SRC=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}
for tool in pdftoppm zbarimg; do
    command -v $tool >/dev/null || { echo "$tool missing; skipping"; exit 77; }
done
# shellcheck source=cups-setup.sh
. "$SRC/tests/cups-setup.sh"
CUPS_TEST_DIR="" # our own cupsd, even if services.sh started one
cups_start || { echo "CUPS cannot run here; skipping"; exit 77; }

T=$(mktemp -d)
JOBS=""
cleanup() {
    for j in $JOBS; do cups_pdf_find "$j" | xargs -r rm -f; done
    cups_stop
    rm -rf "$T"
}
trap cleanup EXIT
export XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config KIOSK_NO_SYSTEM_CONFIG=1
export KIOSK_NOW=2026-11-26T10:40:00Z
fail=0
ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
k() { "$KIOSK" --db "$T/k.db" --set "event.name=CUPS Test" --set kiosk.id=kiosk-cups "$@"; }

# Decode the QR codes of job $1's PDF; prints the vCards' FN lines.
decode_job() {
    local pdf
    pdf=$(cups_pdf_find "$1" | head -1)
    [ -n "$pdf" ] || return 1
    rm -f "$T"/page*.png
    pdftoppm -r 203 -gray -png "$pdf" "$T/page" || return 1
    zbarimg --quiet --raw -Sbinary "$T"/page*.png | tr -d '\r' | grep '^FN:' | sort
}

# 1. A slip through CUPS scans.
out=$(k slip --test --printer cups:kiosk-test 2>&1)
rc=$?
job=$(echo "$out" | sed -n 's/^slip \([0-9a-f-]*\) printed.*/\1/p')
JOBS="$JOBS $job"
[ $rc -eq 0 ] && [ -n "$job" ] && ok "printed through CUPS: $out" || no "print through CUPS: $out"
fns=$(decode_job "$job")
expected=$(printf 'FN:Ada Lovelace\nFN:Jürgen Ñúñez-Østergård')
[ "$fns" = "$expected" ] && ok "PDF from cups-pdf decodes to both vCards" ||
    no "PDF QR codes: got [$fns]"
pdf=$(cups_pdf_find "$job" | head -1)
if [ -n "$pdf" ] && command -v python3 >/dev/null; then
    zbarimg --quiet --raw -Sbinary "$T"/page*.png >"$T/cards.vcf"
    if /usr/bin/python3 -c 'import vobject' 2>/dev/null; then
        /usr/bin/python3 - "$T/cards.vcf" <<'PY' && ok "vCards from the PDF parse (vobject)" || no "vobject parse"
import re, sys, vobject
data = open(sys.argv[1], "rb").read()
cards = re.findall(rb"BEGIN:VCARD\r\n.*?END:VCARD\r\n", data, re.S)
assert len(cards) == 2, len(cards)
names = sorted(vobject.readOne(c.decode()).fn.value for c in cards)
assert names == ["Ada Lovelace", "Jürgen Ñúñez-Østergård"], names
PY
    fi
fi

# 2. cupsd stopped: the job is kept with the error, printed once later.
cups_pause
out=$(k slip --test --printer cups:kiosk-test 2>&1)
rc=$?
job2=$(echo "$out" | sed -n 's/.*job \([0-9a-f-]*\) stays queued.*/\1/p')
JOBS="$JOBS $job2"
[ $rc -eq 1 ] && echo "$out" | grep -q "cannot reach CUPS" && [ -n "$job2" ] &&
    ok "cupsd stopped: $out" || no "cupsd stopped: rc=$rc $out"
k slip --queue | grep -q "$job2.*queued.*attempts=1.*error: cannot reach CUPS" &&
    ok "cupsd stopped: queue shows the job and its error" || no "queue after cupsd stopped"
cups_start || no "cupsd restart"
out=$(k slip --retry --printer cups:kiosk-test 2>&1)
case "$out" in "1 printed"*) ok "cupsd back: retry printed it" ;; *) no "retry: $out" ;; esac
out=$(k slip --retry --printer cups:kiosk-test 2>&1)
case "$out" in "0 printed"*) ok "a second retry prints nothing" ;; *) no "second retry: $out" ;; esac
n=$(cups_pdf_find "$job2" | wc -l)
[ "$n" -eq 1 ] && ok "exactly one PDF for the retried job" || no "$n PDFs for $job2"
fns=$(decode_job "$job2")
[ "$fns" = "$expected" ] && ok "the retried slip scans" || no "retried slip QR: [$fns]"

# 3. A queue that does not exist.
out=$(k slip --test --printer cups:no-such-queue 2>&1)
rc=$?
job3=$(echo "$out" | sed -n 's/.*job \([0-9a-f-]*\) stays queued.*/\1/p')
[ $rc -eq 1 ] && echo "$out" | grep -qi "no queue named\|refused" && ok "missing queue: $out" ||
    no "missing queue: rc=$rc $out"
[ -n "$job3" ] && k slip --cancel "$job3" >/dev/null

# 4. cupsd stops while the kiosk follows an accepted job (queue paused, so
#    the job waits in CUPS's spool). The job survives in CUPS and prints when
#    cupsd is back: the kiosk must not print it a second time.
cupsdisable kiosk-test
k slip --test --printer cups:kiosk-test >"$T/follow.out" 2>&1 &
kpid=$!
for _ in $(seq 50); do lpstat -o kiosk-test 2>/dev/null | grep -q . && break; sleep 0.1; done
# The job is listed as soon as it is created; its document is in the spool
# (d*-001, moved there once received whole) only later. Stop cupsd after that.
cjob=$(lpstat -o kiosk-test 2>/dev/null | sed -n '1s/^kiosk-test-\([0-9]*\) .*/\1/p')
for _ in $(seq 100); do
    [ -n "$cjob" ] && [ -s "$(printf '%s/spool/d%05d-001' "$CUPS_TEST_DIR" "$cjob")" ] && break
    sleep 0.1
done
sleep 0.5
cups_pause
wait $kpid
rc=$?
out=$(cat "$T/follow.out")
job5=$(echo "$out" | sed -n 's/^slip \([0-9a-f-]*\) printed.*/\1/p')
[ -z "$job5" ] && job5=$(echo "$out" | sed -n 's/.*job \([0-9a-f-]*\) stays queued.*/\1/p')
JOBS="$JOBS $job5"
if cups_start; then
    cupsenable kiosk-test
    for _ in $(seq 100); do lpstat -o kiosk-test 2>/dev/null | grep -q . || break; sleep 0.1; done
    k slip --retry --printer cups:kiosk-test >/dev/null 2>&1
    sleep 1
    n=$(cups_pdf_find "$job5" | wc -l)
    [ -n "$job5" ] && [ "$n" -eq 1 ] && ok "cupsd stopped mid-follow: printed once (rc=$rc)" ||
        no "cupsd stopped mid-follow: $n PDFs for [$job5] (rc=$rc: $out)"
else
    no "cupsd restart after stopping it mid-follow"
fi

# 5. A cupsd that keeps no job history (PreserveJobHistory No) forgets a job
#    as soon as it is printed: that is a printed slip, not a failure to retry
#    (each retry printed one more copy).
cups_pause
sed -i 's/^PreserveJobHistory Yes/PreserveJobHistory No/' "$CUPS_TEST_DIR/conf/cupsd.conf"
if cups_start; then
    out=$(k slip --test --printer cups:kiosk-test 2>&1)
    rc=$?
    job4=$(echo "$out" | sed -n 's/^slip \([0-9a-f-]*\) printed.*/\1/p')
    [ -z "$job4" ] && job4=$(echo "$out" | sed -n 's/.*job \([0-9a-f-]*\) stays queued.*/\1/p')
    JOBS="$JOBS $job4"
    [ $rc -eq 0 ] && [ -n "$job4" ] && ok "no job history: printed ($out)" ||
        no "no job history: rc=$rc $out"
    k slip --retry --printer cups:kiosk-test >/dev/null 2>&1
    sleep 1
    n=$(cups_pdf_find "$job4" | wc -l)
    [ -n "$job4" ] && [ "$n" -eq 1 ] && ok "no job history: exactly one PDF" ||
        no "no job history: $n PDFs for $job4"
else
    no "cupsd restart without job history"
fi

echo "$fail failed"
[ $fail -eq 0 ]
