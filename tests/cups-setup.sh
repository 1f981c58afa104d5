# CUPS for the system tests: a private cupsd (its own config, spool, logs
# and socket under one temporary folder, so the machine's CUPS and its
# queues are never touched) with a virtual PDF queue "kiosk-test"
# (printer-driver-cups-pdf). Sourced by tests/services.sh and by the CUPS
# tests themselves (tests/slip_cups.sh).
#
#   cups_start   start dbus if needed and cupsd, create the queue, export
#                CUPS_SERVER (the private socket); returns non-zero (and
#                leaves nothing running) when CUPS cannot run here (not
#                root, cups or cups-pdf missing). After cups_pause it
#                restarts cupsd on the same folder and queue.
#   cups_pause   stop cupsd, keep the folder (a test's "cupsd stopped").
#   cups_stop    stop cupsd and remove the folder. dbus stays running:
#                other services may use it.
#   cups_pdf_find TEXT   PDFs cups-pdf wrote whose name holds TEXT (the job
#                title holds the kiosk job id). cups-pdf writes to the
#                job owner's ~/PDF as /etc/cups/cups-pdf.conf says.
CUPS_TEST_DIR=${CUPS_TEST_DIR:-}
CUPS_TEST_PID=""

cups_available() {
    [ "$(id -u)" -eq 0 ] || return 1
    command -v cupsd >/dev/null && command -v lpadmin >/dev/null || return 1
    [ -x /usr/lib/cups/backend/cups-pdf ] || return 1
    [ -f /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd ] || return 1
}

cups_start() {
    cups_available || return 1
    # dbus: cupsd works without it but logs errors; start the system bus if absent.
    if [ ! -S /run/dbus/system_bus_socket ] && command -v dbus-daemon >/dev/null; then
        mkdir -p /run/dbus
        dbus-daemon --system --fork >/dev/null 2>&1 || true
    fi
    if [ -z "$CUPS_TEST_DIR" ]; then
        CUPS_TEST_DIR=$(mktemp -d /tmp/kiosk-cups-XXXXXX)
        chmod 755 "$CUPS_TEST_DIR"
        mkdir -p "$CUPS_TEST_DIR"/{conf/ppd,spool/tmp,cache,state,log}
        chmod 1777 "$CUPS_TEST_DIR/spool/tmp"
        chmod 710 "$CUPS_TEST_DIR/spool"
        chgrp lp "$CUPS_TEST_DIR/spool" "$CUPS_TEST_DIR/cache" "$CUPS_TEST_DIR/state" 2>/dev/null
        chmod 775 "$CUPS_TEST_DIR/cache" "$CUPS_TEST_DIR/state"
        cat >"$CUPS_TEST_DIR/conf/cupsd.conf" <<CONF
LogLevel warn
Listen $CUPS_TEST_DIR/cups.sock
Browsing No
DefaultAuthType None
WebInterface No
JobRetryLimit 0
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
        cat >"$CUPS_TEST_DIR/conf/cups-files.conf" <<CONF
User lp
Group lp
SystemGroup root lpadmin
ServerRoot $CUPS_TEST_DIR/conf
RequestRoot $CUPS_TEST_DIR/spool
TempDir $CUPS_TEST_DIR/spool/tmp
CacheDir $CUPS_TEST_DIR/cache
StateDir $CUPS_TEST_DIR/state
AccessLog $CUPS_TEST_DIR/log/access_log
ErrorLog $CUPS_TEST_DIR/log/error_log
PageLog $CUPS_TEST_DIR/log/page_log
CONF
    fi
    export CUPS_SERVER=$CUPS_TEST_DIR/cups.sock
    cupsd -f -c "$CUPS_TEST_DIR/conf/cupsd.conf" -s "$CUPS_TEST_DIR/conf/cups-files.conf" \
        >>"$CUPS_TEST_DIR/log/cupsd.out" 2>&1 &
    CUPS_TEST_PID=$!
    # If the shell that started cupsd dies without cups_stop (a test killed
    # on timeout), take cupsd and its folder down with it.
    (
        owner=$$ cpid=$CUPS_TEST_PID dir=$CUPS_TEST_DIR
        while kill -0 "$owner" 2>/dev/null && kill -0 "$cpid" 2>/dev/null; do sleep 1; done
        if ! kill -0 "$owner" 2>/dev/null; then
            kill "$cpid" 2>/dev/null
            sleep 1
            rm -rf "$dir"
        fi
    ) >/dev/null 2>&1 </dev/null &
    for _ in $(seq 100); do
        [ -S "$CUPS_SERVER" ] && lpstat -r >/dev/null 2>&1 && break
        sleep 0.1
    done
    if ! lpstat -r >/dev/null 2>&1; then
        echo "cups-setup: cupsd did not start; see $CUPS_TEST_DIR/log" >&2
        cups_stop
        return 1
    fi
    if ! lpstat -p kiosk-test >/dev/null 2>&1; then
        lpadmin -p kiosk-test -E -v cups-pdf:/ \
            -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd >/dev/null 2>&1 ||
            { echo "cups-setup: lpadmin failed" >&2; cups_stop; return 1; }
    fi
    return 0
}

cups_pause() {
    if [ -n "$CUPS_TEST_PID" ]; then
        kill "$CUPS_TEST_PID" 2>/dev/null
        wait "$CUPS_TEST_PID" 2>/dev/null
        CUPS_TEST_PID=""
    fi
}

cups_stop() {
    cups_pause
    [ -n "$CUPS_TEST_DIR" ] && rm -rf "$CUPS_TEST_DIR"
    CUPS_TEST_DIR=""
}

cups_pdf_find() {
    local home
    home=$(getent passwd "$(id -un)" | cut -d: -f6)
    find "$home/PDF" /var/spool/cups-pdf -name "*$1*.pdf" 2>/dev/null
}
