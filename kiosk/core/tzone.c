/*
 * tzone.c - UTC offsets, local-time formatting and parsing of typed times.
 *
 * Owns: turning a UTC instant into local wall-clock text and back. Never
 * reads the clock: every function converts only the instant it is handed.
 * tzone_use() is the one function that touches process state (TZ), and only
 * the shell calls it. Start with tzone_offset().
 */
#include "tzone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MS_PER_S 1000LL

/* Floor division so instants before 1970 still break down correctly. */
static time_t to_secs(int64_t ms)
{
    int64_t s = ms / MS_PER_S;
    if (ms % MS_PER_S < 0)
        s--;
    return (time_t)s;
}

int tzone_libc_offset(int64_t utc_ms, void *ctx)
{
    time_t t = to_secs(utc_ms);
    struct tm tm;
    (void)ctx;
    if (!localtime_r(&t, &tm))
        return 0;
    return (int)tm.tm_gmtoff;
}

int tzone_fixed_offset(int64_t utc_ms, void *ctx)
{
    (void)utc_ms;
    return ctx ? *(const int *)ctx : 0;
}

int tzone_offset(const struct tzone *z, int64_t utc_ms)
{
    if (!z || !z->offset_s)
        return 0;
    return z->offset_s(utc_ms, z->ctx);
}

int tzone_use(const char *name, struct err *err)
{
    char path[512];
    struct stat st;
    if (!name || !name[0] || strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        setenv("TZ", "UTC", 1);
        tzset();
        return 0;
    }
    if (strstr(name, "..") || name[0] == '/' || strlen(name) > 200)
        return err_set(err, "\"%s\" is not a time zone name", name);
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return err_set(err,
                       "unknown time zone \"%s\" (expected a name like Europe/Berlin; is "
                       "tzdata installed?)",
                       name);
    setenv("TZ", name, 1);
    tzset();
    return 0;
}

static void breakdown(int64_t local_ms, struct tm *tm)
{
    time_t t = to_secs(local_ms);
    memset(tm, 0, sizeof(*tm));
    gmtime_r(&t, tm);
}

void tzone_iso8601(const struct tzone *z, int64_t utc_ms, char out[TZONE_ISO_MAX])
{
    int off = tzone_offset(z, utc_ms), aoff = off < 0 ? -off : off;
    struct tm tm;
    breakdown(utc_ms + (int64_t)off * MS_PER_S, &tm);
    snprintf(out, TZONE_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
             aoff / 3600, aoff % 3600 / 60);
}

void tzone_ical_utc(int64_t utc_ms, char out[TZONE_ISO_MAX])
{
    struct tm tm;
    breakdown(utc_ms, &tm);
    snprintf(out, TZONE_ISO_MAX, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void tzone_human(const struct tzone *z, int64_t utc_ms, char out[TZONE_ISO_MAX])
{
    struct tm tm;
    breakdown(utc_ms + (int64_t)tzone_offset(z, utc_ms) * MS_PER_S, &tm);
    snprintf(out, TZONE_ISO_MAX, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min);
}

int tzone_minute_of_day(const struct tzone *z, int64_t utc_ms)
{
    int64_t local = utc_ms + (int64_t)tzone_offset(z, utc_ms) * MS_PER_S;
    int64_t day = 86400LL * MS_PER_S;
    int64_t in_day = local % day;
    if (in_day < 0)
        in_day += day;
    return (int)(in_day / (60 * MS_PER_S));
}

int tzone_parse_hhmm(const char *s, int *minutes)
{
    int h, m;
    if (!s || strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

int64_t tzone_local_to_utc(const struct tzone *z, int64_t local_ms)
{
    /* The offsets in force half a day before and after are the only ones a
     * DST transition can involve. Try both: one fits normally, both fit in
     * the repeated hour (take the earlier), none fits in the skipped hour
     * (use the earlier offset, which lands just after the jump). */
    int64_t half_day = 12LL * 3600 * MS_PER_S;
    int oa = tzone_offset(z, local_ms - half_day), ob = tzone_offset(z, local_ms + half_day);
    int64_t ta = local_ms - (int64_t)oa * MS_PER_S, tb = local_ms - (int64_t)ob * MS_PER_S;
    int a_ok = tzone_offset(z, ta) == oa, b_ok = tzone_offset(z, tb) == ob;
    if (a_ok && b_ok)
        return ta < tb ? ta : tb;
    if (b_ok)
        return tb;
    return ta;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int mo)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return mo == 2 && leap ? 29 : days[mo - 1];
}

int tzone_parse_time(const struct tzone *z, const char *s, int64_t *out, struct err *err)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, has_zone = 0, zone_off = 0;
    const char *p = s;
    struct tm tm;
    int64_t local;
    size_t n = strlen(s);

    if (n > 0 && n <= 15 && strspn(s, "0123456789") == n) {
        *out = (int64_t)strtoll(s, NULL, 10);
        return 0;
    }
    if (n < 10 || digits(p, 4, &y) < 0 || p[4] != '-' || digits(p + 5, 2, &mo) < 0 || p[7] != '-' ||
        digits(p + 8, 2, &d) < 0)
        goto bad;
    p += 10;
    if (*p == 'T' || *p == ' ') {
        if (digits(p + 1, 2, &h) < 0 || p[3] != ':' || digits(p + 4, 2, &mi) < 0)
            goto bad;
        p += 6;
        if (*p == ':') {
            if (digits(p + 1, 2, &sec) < 0)
                goto bad;
            p += 3;
        }
    }
    if (*p == 'Z') {
        has_zone = 1;
        p++;
    } else if (*p == '+' || *p == '-') {
        int zh, zm;
        if (digits(p + 1, 2, &zh) < 0 || p[3] != ':' || digits(p + 4, 2, &zm) < 0)
            goto bad;
        if (zh > 23 || zm > 59)
            goto bad;
        has_zone = 1;
        zone_off = (zh * 3600 + zm * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    }
    /* timegm would roll Feb 31 into March: refuse days a month lacks. */
    if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59)
        goto bad;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    local = (int64_t)timegm(&tm) * MS_PER_S;
    *out = has_zone ? local - (int64_t)zone_off * MS_PER_S : tzone_local_to_utc(z, local);
    return 0;
bad:
    return err_set(err,
                   "cannot read the time \"%s\" (use 2026-11-26, 2026-11-26T14:00, "
                   "2026-11-26T14:00+01:00 or milliseconds since 1970)",
                   s);
}
