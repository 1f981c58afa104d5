# Services the system tests use. Sourced by tests/run-all.sh.
# services_start: an Xvfb display for the SDL window tests (exported as
# DISPLAY), and cupsd with a virtual PDF queue when cups is installed.
# Everything started here is stopped by services_stop.
SERVICES_PIDS=""

services_start() {
    if [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null; then
        local n=99
        while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
        Xvfb :$n -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
        SERVICES_PIDS="$SERVICES_PIDS $!"
        export DISPLAY=:$n
        for _ in $(seq 50); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.1; done
        export KIOSK_XVFB=1
    fi
    if [ -f tests/cups-setup.sh ]; then
        # shellcheck source=/dev/null
        . tests/cups-setup.sh
        cups_start || echo "services: cupsd could not start; CUPS tests will skip" >&2
    fi
}

services_stop() {
    if declare -f cups_stop >/dev/null; then cups_stop; fi
    for p in $SERVICES_PIDS; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
