# Shared by the shell tests that count checks (source it after setting T, a
# scratch folder): ok / bad count one check, expect runs a command and checks
# its exit status (output in $T/out and $T/err), check_done reports and sets
# the script's status.
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAILED: $*"; }
expect() { # expect STATUS DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"; local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; cat "$T/err"; fi
}
check_done() {
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}
