/*
 * tzone.h - local time without reading a clock: UTC offsets as a function
 * of a passed-in instant, ISO-8601 and iCalendar formatting, HH:MM parsing.
 *
 * Times are stored in UTC milliseconds; they are shown in the kiosk's time
 * zone (config event.timezone). Logic asks a struct tzone "what is the UTC
 * offset at this instant?" so tests can pin any zone (fixed offsets, or a
 * real zone through libc) and never depend on the machine's clock.
 */
#ifndef KIOSK_TZONE_H
#define KIOSK_TZONE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct tzone {
    /* Seconds east of UTC in effect at utc_ms (e.g. 3600 for CET). */
    int (*offset_s)(int64_t utc_ms, void *ctx);
    void *ctx;
};

/* Offset from libc's localtime_r for the process's TZ (the CLI sets TZ from
 * event.timezone once at startup). ctx is unused. Converts only the value it
 * is given; never reads the clock. */
int tzone_libc_offset(int64_t utc_ms, void *ctx);
/* Fixed offset: ctx points at an int of seconds east of UTC. */
int tzone_fixed_offset(int64_t utc_ms, void *ctx);

/* Offset at utc_ms; z == NULL or z->offset_s == NULL means UTC (0). */
int tzone_offset(const struct tzone *z, int64_t utc_ms);

/* Set the process time zone for tzone_libc_offset: name like
 * "Europe/Berlin" or "UTC". Returns 0, or -1 with err set when the name is
 * not a zone in the system's tz database (TZ is then left unchanged).
 * For the shell (cli/) only: it changes process state. */
int tzone_use(const char *name, struct err *err);

#define TZONE_ISO_MAX 64
/* "2026-11-26T14:03:05+01:00" (seconds precision, local time of z). */
void tzone_iso8601(const struct tzone *z, int64_t utc_ms, char out[TZONE_ISO_MAX]);
/* iCalendar UTC form "20261126T130305Z". */
void tzone_ical_utc(int64_t utc_ms, char out[TZONE_ISO_MAX]);
/* Local "2026-11-26 14:03" for people. */
void tzone_human(const struct tzone *z, int64_t utc_ms, char out[TZONE_ISO_MAX]);

/* Minutes since local midnight (0..1439) at utc_ms. */
int tzone_minute_of_day(const struct tzone *z, int64_t utc_ms);

/* Parse "HH:MM" (00:00..23:59) into minutes after midnight. 0 or -1. */
int tzone_parse_hhmm(const char *s, int *minutes);

/* Parse a point in time typed by a person: epoch milliseconds (digits
 * only), "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM[:SS]" (local, a
 * space may replace the T), optionally followed by "Z" or "+HH:MM"/"-HH:MM"
 * which then wins over the zone. Dates and times that do not exist
 * (2026-02-31, 10:00:60, +24:00) are refused, never rolled over. Returns 0
 * and *out (UTC ms) or -1 with err set and *out unchanged. */
int tzone_parse_time(const struct tzone *z, const char *s, int64_t *out, struct err *err);

/* Convert a local wall-clock time (ms since the epoch as if local were UTC)
 * to UTC ms, picking the earlier instant for ambiguous times and moving
 * forward across a DST gap. */
int64_t tzone_local_to_utc(const struct tzone *z, int64_t local_ms);

#endif
