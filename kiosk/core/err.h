/*
 * err.h - the error message every fallible call can fill.
 *
 * Convention (see README "Code map"): functions return 0 on success and a
 * negative value on failure, and when given a non-NULL struct err they write
 * one human-readable sentence into it, suitable for showing to staff. Out of
 * memory is reported like any other error; nothing aborts on it.
 */
#ifndef KIOSK_ERR_H
#define KIOSK_ERR_H

#include "limits.h"

struct err {
    char msg[KIOSK_MSG_MAX];
};

/* printf-style; safe with err == NULL. Always returns -1 so callers can
 * write `return err_set(err, "...")`. */
int err_set(struct err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
