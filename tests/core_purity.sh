#!/usr/bin/env bash
# The core must stay pure: no SDL, V4L2, CUPS or other device headers, no
# clock reads, and only the store_*.c files may talk to SQLite.
set -u
cd "$SRC/kiosk/core" || exit 1
fail=0
bad=$(grep -nE '#\s*include\s*[<"](SDL|SDL2/|linux/|cups/|sys/ioctl|libv4l|png\.h|jpeglib)' -- *.c *.h)
if [ -n "$bad" ]; then echo "device headers in core:"; echo "$bad"; fail=1; fi
bad=$(grep -nE '#\s*include\s*[<"]sqlite3\.h' -- *.c *.h | grep -vE '^store[a-z_]*\.(c|h):')
if [ -n "$bad" ]; then echo "sqlite3.h outside the store:"; echo "$bad"; fail=1; fi
bad=$(grep -nE '\b(time|gettimeofday|clock_gettime|SDL_GetTicks)\s*\(' -- *.c | grep -v '^\s*/[/*]')
if [ -n "$bad" ]; then echo "clock reads in core (pass time in):"; echo "$bad"; fail=1; fi
if [ $fail = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
