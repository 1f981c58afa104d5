/*
 * followup.c - scheduling rules of the follow-up queue (see followup.h).
 *
 * Owns: which follow-up a meeting asks for, when it falls due, quiet hours,
 * the merge window and the status words. Pure: never reads a clock, never
 * touches the database (store_followup.c applies these rules to rows).
 * Start at followup_plan().
 */
#include "followup.h"

#include <string.h>

#define MIN_MS  (60LL * 1000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS  (24 * HOUR_MS)

static const char *const kind_names[] = {"thank-you", "check-in"};
static const char *const status_names[] = {"queued", "due", "done", "skipped", "cancelled"};

int followup_policy_init(struct followup_policy *p, long thank_you_h, long check_in_d,
                         long window_d, const char *quiet_start, const char *quiet_end,
                         struct err *err)
{
    memset(p, 0, sizeof(*p));
    if (thank_you_h < 1 || thank_you_h > 720)
        return err_set(err, "followup.thank_you_h must be 1-720 hours");
    if (check_in_d < 1 || check_in_d > 365)
        return err_set(err, "followup.check_in_d must be 1-365 days");
    if (window_d < 0 || window_d > 365)
        return err_set(err, "followup.window_d must be 0-365 days");
    if (tzone_parse_hhmm(quiet_start, &p->quiet_start_min) < 0)
        return err_set(err, "followup.quiet_start must be HH:MM, not \"%s\"", quiet_start);
    if (tzone_parse_hhmm(quiet_end, &p->quiet_end_min) < 0)
        return err_set(err, "followup.quiet_end must be HH:MM, not \"%s\"", quiet_end);
    p->thank_you_h = (int)thank_you_h;
    p->check_in_d = (int)check_in_d;
    p->window_d = (int)window_d;
    return 0;
}

const char *followup_kind_name(enum followup_kind k)
{
    return (unsigned)k < 2 ? kind_names[k] : "?";
}

int followup_kind_parse(const char *s)
{
    for (int i = 0; i < 2; i++)
        if (s && strcmp(s, kind_names[i]) == 0)
            return i;
    return -1;
}

const char *followup_status_name(enum followup_status st)
{
    return (unsigned)st < 5 ? status_names[st] : "?";
}

int followup_status_parse(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (s && strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

int followup_is_open(enum followup_status st)
{
    return st == FOLLOWUP_QUEUED || st == FOLLOWUP_DUE;
}

int followup_consented(int64_t consent_at, const char *scope)
{
    return consent_at != 0 && scope && strstr(scope, "followup") != NULL;
}

int followup_in_quiet(const struct followup_policy *p, const struct tzone *z, int64_t utc_ms)
{
    int m = tzone_minute_of_day(z, utc_ms), a = p->quiet_start_min, b = p->quiet_end_min;
    if (a == b)
        return 0;
    if (a < b)
        return m >= a && m < b;
    return m >= a || m < b; /* wraps midnight */
}

int64_t followup_quiet_adjust(const struct followup_policy *p, const struct tzone *z,
                              int64_t due_ms)
{
    int64_t t = due_ms;
    /* A DST jump inside the quiet hours can leave us a little off; a few
     * rounds always settle because each moves forward to a quiet_end. */
    for (int round = 0; round < 3 && followup_in_quiet(p, z, t); round++) {
        int m = tzone_minute_of_day(z, t);
        int wait = (p->quiet_end_min - m + 1440) % 1440;
        int64_t local = t + (int64_t)tzone_offset(z, t) * 1000;
        /* Wall-clock target: quiet_end on the right local day, whole minute. */
        int64_t target_local = local - local % MIN_MS + (int64_t)wait * MIN_MS;
        t = tzone_local_to_utc(z, target_local);
        if (t <= due_ms) /* paranoia against a zone function going backwards */
            t = due_ms + (int64_t)wait * MIN_MS;
    }
    return t;
}

int followup_plan(const struct followup_policy *p, const struct tzone *z, const char *choice,
                  int64_t met_ms, enum followup_kind *kind, int64_t *due_ms, struct err *err)
{
    int64_t due;
    if (!choice || !choice[0] || strcmp(choice, "none") == 0)
        return 0;
    if (strcmp(choice, "tomorrow") == 0) {
        *kind = FOLLOWUP_THANK_YOU;
        due = met_ms + (int64_t)p->thank_you_h * HOUR_MS;
    } else if (strcmp(choice, "next-week") == 0) {
        /* Days are calendar days: the same wall-clock time N days on,
         * whatever DST did in between (hours would drift by one). */
        int64_t local = met_ms + (int64_t)tzone_offset(z, met_ms) * 1000;
        *kind = FOLLOWUP_CHECK_IN;
        due = tzone_local_to_utc(z, local + (int64_t)p->check_in_d * DAY_MS);
    } else {
        return err_set(err, "unknown follow-up choice \"%s\" (none, tomorrow, next-week)", choice);
    }
    *due_ms = followup_quiet_adjust(p, z, due);
    return 1;
}

int followup_should_merge(const struct followup_policy *p, int64_t open_created_ms, int64_t met_ms)
{
    if (p->window_d <= 0)
        return 0;
    return met_ms - open_created_ms < (int64_t)p->window_d * DAY_MS &&
           met_ms - open_created_ms > -(int64_t)p->window_d * DAY_MS;
}

enum followup_status followup_status_at(enum followup_status st, int64_t due_ms, int64_t now_ms)
{
    if (st == FOLLOWUP_QUEUED && now_ms >= due_ms)
        return FOLLOWUP_DUE;
    return st;
}
