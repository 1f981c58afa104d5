# Debian packages the kiosk needs, in one place: sourced by .ci/run and the
# Makefile's `setup` target. Add a package here when you start depending on it.
KIOSK_BUILD_DEPS="build-essential cmake pkg-config
  libsdl2-dev libsdl2-ttf-dev libzbar-dev libqrencode-dev libsqlite3-dev
  libpng-dev libjpeg-dev libcups2-dev"
KIOSK_RUN_DEPS="fonts-dejavu-core"
KIOSK_TEST_DEPS="clang libclang-rt-14-dev sqlite3 zbar-tools qrencode python3 python3-vobject python3-icalendar imagemagick
  xvfb xdotool x11-apps x11-utils cups cups-client cups-bsd printer-driver-cups-pdf dbus
  poppler-utils valgrind procps netcat-openbsd
  libreoffice-calc-nogui"

deps_missing() {
    local p missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    echo "$missing"
}

# deps_install [run|test]: install what is missing; "run" is enough to build and
# start the kiosk, "test" (the default) adds what the test suite drives.
deps_install() {
    local missing extra="$KIOSK_TEST_DEPS"
    [ "${1:-test}" = run ] && extra=""
    # shellcheck disable=SC2086
    missing=$(deps_missing $KIOSK_BUILD_DEPS $KIOSK_RUN_DEPS $extra)
    [ -z "$missing" ] && return 0
    echo "installing:$missing"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}
