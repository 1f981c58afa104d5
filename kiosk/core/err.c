/*
 * err.c - formatting for struct err (see err.h for the convention).
 *
 * Owns: the one place an error sentence is written. Never allocates, never
 * prints, never aborts: a message longer than KIOSK_MSG_MAX is cut by
 * vsnprintf (the sentence is for people; the return code carries meaning).
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int err_set(struct err *err, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}
