/*
 * test_followup.c - follow-up scheduling with injected time: plans, quiet
 * hours (fixed offsets and a real DST zone through libc), merge windows,
 * consent, status changes and cancellation, on a real SQLite file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "followup.h"
#include "store.h"
#include "store_followup.h"
#include "test.h"
#include "tzone.h"

#define MIN  60000LL
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)

static int64_t at(const char *iso) /* UTC "YYYY-MM-DDTHH:MM" */
{
    int64_t t = 0;
    struct err e;
    if (tzone_parse_time(NULL, iso, &t, &e) < 0) {
        fprintf(stderr, "bad test time %s\n", iso);
        exit(1);
    }
    return t;
}

static void test_tzone(void)
{
    int ist = 5 * 3600 + 1800, m = -1;
    struct tzone india = {tzone_fixed_offset, &ist};
    char buf[TZONE_ISO_MAX];
    int64_t t;
    struct err e;

    tzone_iso8601(NULL, at("2026-11-26T13:03:05Z"), buf);
    CHECK_STR(buf, "2026-11-26T13:03:05+00:00");
    tzone_iso8601(&india, at("2026-11-26T20:00Z"), buf);
    CHECK_STR(buf, "2026-11-27T01:30:00+05:30");
    tzone_ical_utc(at("2026-11-26T13:03:05Z"), buf);
    CHECK_STR(buf, "20261126T130305Z");
    CHECK(tzone_parse_hhmm("08:30", &m) == 0 && m == 510);
    CHECK(tzone_parse_hhmm("24:00", &m) < 0);
    CHECK(tzone_parse_hhmm("8:30", &m) < 0);
    CHECK(tzone_parse_time(&india, "2026-11-27", &t, &e) == 0 && t == at("2026-11-26T18:30Z"));
    CHECK(tzone_parse_time(&india, "2026-11-27T10:00+01:00", &t, &e) == 0 &&
          t == at("2026-11-27T09:00Z"));
    CHECK(tzone_parse_time(NULL, "1764161000000", &t, &e) == 0 && t == 1764161000000LL);
    CHECK(tzone_parse_time(NULL, "yesterday", &t, &e) < 0 && strstr(e.msg, "yesterday"));
    CHECK(tzone_parse_time(NULL, "2026-13-01", &t, &e) < 0);
    /* Days that do not exist are refused, not rolled into the next month. */
    CHECK(tzone_parse_time(NULL, "2026-02-31", &t, &e) < 0);
    CHECK(tzone_parse_time(NULL, "2026-02-29", &t, &e) < 0);
    CHECK(tzone_parse_time(NULL, "2026-04-31T10:00", &t, &e) < 0);
    CHECK(tzone_parse_time(NULL, "2028-02-29", &t, &e) == 0 && t == at("2028-02-29T00:00Z"));
    CHECK(tzone_parse_time(NULL, "2000-02-29", &t, &e) == 0 && t == at("2000-02-29T00:00Z"));
    CHECK(tzone_parse_time(NULL, "2100-02-29", &t, &e) < 0);
    CHECK(tzone_parse_time(NULL, "2026-11-26T10:00:60", &t, &e) < 0);
    CHECK(tzone_parse_time(NULL, "2026-11-26T10:00+24:00", &t, &e) < 0);
    CHECK(tzone_parse_time(NULL, "2026-11-26T10:00+01:60", &t, &e) < 0);
}

static struct followup_policy policy(int window_d, const char *qs, const char *qe)
{
    struct followup_policy p;
    struct err e;
    if (followup_policy_init(&p, 24, 7, window_d, qs, qe, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
    return p;
}

static void test_plan(void)
{
    struct followup_policy p = policy(14, "20:00", "08:00");
    struct followup_policy bad;
    enum followup_kind k;
    int64_t due = 0;
    struct err e;

    CHECK(followup_plan(&p, NULL, "none", at("2026-11-26T10:00Z"), &k, &due, &e) == 0);
    CHECK(followup_plan(&p, NULL, "", at("2026-11-26T10:00Z"), &k, &due, &e) == 0);
    CHECK(followup_plan(&p, NULL, "someday", at("2026-11-26T10:00Z"), &k, &due, &e) < 0);
    CHECK(strstr(e.msg, "someday") != NULL);
    CHECK(followup_plan(&p, NULL, "tomorrow", at("2026-11-26T10:00Z"), &k, &due, &e) == 1);
    CHECK(k == FOLLOWUP_THANK_YOU && due == at("2026-11-27T10:00Z"));
    CHECK(followup_plan(&p, NULL, "next-week", at("2026-11-26T10:00Z"), &k, &due, &e) == 1);
    CHECK(k == FOLLOWUP_CHECK_IN && due == at("2026-12-03T10:00Z"));
    CHECK(followup_policy_init(&bad, 24, 7, 14, "8pm", "08:00", &e) < 0);
    CHECK(strstr(e.msg, "quiet_start") != NULL);
    CHECK(followup_policy_init(&bad, 0, 7, 14, "20:00", "08:00", &e) < 0);
    CHECK_STR(followup_kind_name(FOLLOWUP_CHECK_IN), "check-in");
    CHECK(followup_status_parse("skipped") == FOLLOWUP_SKIPPED);
    CHECK(followup_status_parse("open") == -1);
    CHECK(followup_consented(at("2026-11-26T10:00Z"), "card+followup"));
    CHECK(!followup_consented(at("2026-11-26T10:00Z"), "card"));
    CHECK(!followup_consented(0, "card+followup"));
    CHECK(followup_status_at(FOLLOWUP_QUEUED, 100, 99) == FOLLOWUP_QUEUED);
    CHECK(followup_status_at(FOLLOWUP_QUEUED, 100, 100) == FOLLOWUP_DUE);
    CHECK(followup_status_at(FOLLOWUP_DONE, 100, 200) == FOLLOWUP_DONE);
}

static void test_quiet(void)
{
    struct followup_policy p = policy(14, "20:00", "08:00");
    struct followup_policy lunch = policy(14, "12:00", "13:00");
    struct followup_policy none = policy(14, "00:00", "00:00");
    int ist = 5 * 3600 + 1800;
    struct tzone india = {tzone_fixed_offset, &ist};
    struct tzone libc = {tzone_libc_offset, NULL};
    enum followup_kind k;
    int64_t due;
    struct err e;

    /* UTC: a meeting at 21:30 asks for a thank-you at 21:30 next day, which
     * is quiet: it moves to 08:00 the morning after. */
    CHECK(followup_in_quiet(&p, NULL, at("2026-11-27T21:30Z")));
    CHECK(followup_in_quiet(&p, NULL, at("2026-11-27T07:59Z")));
    CHECK(!followup_in_quiet(&p, NULL, at("2026-11-27T08:00Z")));
    CHECK(followup_in_quiet(&p, NULL, at("2026-11-27T20:00Z")));
    CHECK(followup_plan(&p, NULL, "tomorrow", at("2026-11-26T21:30Z"), &k, &due, &e) == 1);
    CHECK(due == at("2026-11-28T08:00Z"));
    /* After midnight but still quiet: same morning. */
    CHECK(followup_quiet_adjust(&p, NULL, at("2026-11-28T02:10Z")) == at("2026-11-28T08:00Z"));
    CHECK(followup_quiet_adjust(&p, NULL, at("2026-11-28T09:10Z")) == at("2026-11-28T09:10Z"));
    /* A non-wrapping window and "no quiet hours". */
    CHECK(followup_quiet_adjust(&lunch, NULL, at("2026-11-28T12:30Z")) == at("2026-11-28T13:00Z"));
    CHECK(followup_quiet_adjust(&lunch, NULL, at("2026-11-28T21:00Z")) == at("2026-11-28T21:00Z"));
    CHECK(followup_quiet_adjust(&none, NULL, at("2026-11-28T03:00Z")) == at("2026-11-28T03:00Z"));

    /* Fixed +05:30: 16:00Z is 21:30 local, quiet; the end is 08:00 local
     * = 02:30Z the next day. 10:00Z is 15:30 local, not quiet. */
    CHECK(followup_in_quiet(&p, &india, at("2026-11-27T16:00Z")));
    CHECK(!followup_in_quiet(&p, &india, at("2026-11-27T10:00Z")));
    CHECK(followup_quiet_adjust(&p, &india, at("2026-11-27T16:00Z")) == at("2026-11-28T02:30Z"));

    /* A real zone with DST, through libc and TZ (the shell's way). */
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    CHECK(tzone_offset(&libc, at("2026-07-01T12:00Z")) == 7200);
    CHECK(tzone_offset(&libc, at("2026-11-26T12:00Z")) == 3600);
    /* Winter: 21:30 Berlin (20:30Z) + 24 h is quiet; 08:00 CET = 07:00Z. */
    CHECK(followup_plan(&p, &libc, "tomorrow", at("2026-11-26T20:30Z"), &k, &due, &e) == 1);
    CHECK(due == at("2026-11-28T07:00Z"));
    /* The night clocks go back (25 Oct 2026, 03:00 CEST -> 02:00 CET): 22:00
     * CEST (20:00Z) moves to 08:00 CET = 07:00Z, not 10 h later (06:00Z). */
    CHECK(followup_quiet_adjust(&p, &libc, at("2026-10-24T20:00Z")) == at("2026-10-25T07:00Z"));
    /* Spring forward (29 Mar 2026): 23:00 CET (22:00Z) -> 08:00 CEST = 06:00Z. */
    CHECK(followup_quiet_adjust(&p, &libc, at("2026-03-28T22:00Z")) == at("2026-03-29T06:00Z"));
    /* A check-in "next week" keeps the wall-clock time across a DST change:
     * 10:00 CEST on 20 Oct is due 10:00 CET on 27 Oct (09:00Z, not 08:00Z);
     * 10:00 CET on 26 Mar is due 10:00 CEST on 2 Apr (08:00Z, not 09:00Z).
     * A thank-you "in N hours" stays N elapsed hours. */
    {
        struct followup_policy week;
        CHECK(followup_policy_init(&week, 24, 7, 0, "22:00", "08:00", &e) == 0);
        CHECK(followup_plan(&week, &libc, "next-week", at("2026-10-20T08:00Z"), &k, &due, &e) == 1);
        CHECK(k == FOLLOWUP_CHECK_IN && due == at("2026-10-27T09:00Z"));
        CHECK(followup_plan(&week, &libc, "next-week", at("2026-03-26T09:00Z"), &k, &due, &e) == 1);
        CHECK(due == at("2026-04-02T08:00Z"));
        CHECK(followup_plan(&week, &libc, "tomorrow", at("2026-10-24T10:00Z"), &k, &due, &e) == 1);
        CHECK(k == FOLLOWUP_THANK_YOU && due == at("2026-10-25T10:00Z"));
    }
    {
        char buf[TZONE_ISO_MAX];
        int64_t t;
        tzone_iso8601(&libc, at("2026-07-01T12:00Z"), buf);
        CHECK_STR(buf, "2026-07-01T14:00:00+02:00");
        /* Local midnight in summer and winter. */
        CHECK(tzone_parse_time(&libc, "2026-07-01", &t, &e) == 0 && t == at("2026-06-30T22:00Z"));
        CHECK(tzone_parse_time(&libc, "2026-12-01", &t, &e) == 0 && t == at("2026-11-30T23:00Z"));
        /* 02:30 does not exist on 29 Mar: it lands after the jump. */
        CHECK(tzone_parse_time(&libc, "2026-03-29T02:30", &t, &e) == 0 &&
              t == at("2026-03-29T01:30Z"));
        /* 02:30 happens twice on 25 Oct: the earlier (CEST) wins. */
        CHECK(tzone_parse_time(&libc, "2026-10-25T02:30", &t, &e) == 0 &&
              t == at("2026-10-25T00:30Z"));
    }
    setenv("TZ", "UTC", 1);
    tzset();
}

/* ---- the queue on a real database ------------------------------------- */

static void person(struct store *s, const char *ref, const char *given, const char *family,
                   int64_t now, char id[KIOSK_ID_LEN])
{
    struct contact c;
    struct err e;
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "%s", ref);
    snprintf(c.given_name, sizeof(c.given_name), "%s", given);
    snprintf(c.family_name, sizeof(c.family_name), "%s", family);
    snprintf(c.org, sizeof(c.org), "%s Ltd", family);
    contact_add_email(&c, "x@example.org");
    if (store_attendee_upsert(s, &c, "badge", now, id, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
}

static void meet(struct store *s, const char *kind, const char *a, const char *b, int64_t consent_a,
                 int64_t consent_b, const char *scope, const char *choice, int64_t now,
                 char id[KIOSK_ID_LEN])
{
    struct store_interaction in = {0};
    struct err e;
    in.kind = kind;
    in.a_id = a;
    in.b_id = b;
    in.operator_name = b ? "" : "Olga Operator";
    in.consent_a_at = consent_a;
    in.consent_b_at = consent_b;
    in.consent_scope = scope;
    in.consent_version = "v1";
    in.followup_choice = choice;
    if (store_interaction_add(s, &in, now, id, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
}

struct tally {
    int n;
    struct store_followup last, lead;
    int meetings_sum;
};

static int count_cb(void *ctx, const struct store_followup *f)
{
    struct tally *t = ctx;
    t->n++;
    t->last = *f;
    if (!f->owner_id[0])
        t->lead = *f;
    t->meetings_sum += f->meetings;
    return 0;
}

static int count(struct store *s, enum store_followup_filter filter, int64_t now, struct tally *t)
{
    struct err e;
    memset(t, 0, sizeof(*t));
    if (store_followup_each(s, filter, now, count_cb, t, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    return t->n;
}

static void test_queue(void)
{
    struct followup_policy p = policy(14, "20:00", "08:00");
    struct store *s = NULL;
    struct err e;
    struct store_followup_result r;
    struct tally t;
    char a[KIOSK_ID_LEN], b[KIOSK_ID_LEN], c[KIOSK_ID_LEN], i1[KIOSK_ID_LEN], full[KIOSK_ID_LEN];
    int64_t t0 = at("2026-11-26T10:00Z");

    CHECK(store_open(&s, test_path("fu.db"), "kiosk-test", t0, &e) == 0);
    if (!s)
        return;
    person(s, "REF-A", "Ada", "Lovelace", t0, a);
    person(s, "REF-B", "Zoë", "Müller", t0, b);
    person(s, "REF-C", "Chidi", "Okafor", t0, c);

    /* Both consent to follow-ups: each side gets one, due tomorrow 10:00. */
    meet(s, "handshake", a, b, t0, t0, "card+followup", "tomorrow", t0, i1);
    CHECK(store_followup_queue(s, i1, &p, NULL, t0, &r, &e) == 0);
    CHECK(r.queued == 2 && r.merged == 0 && r.refused == 0);
    CHECK(count(s, STORE_FOLLOWUPS_OPEN, t0, &t) == 2);
    CHECK(t.last.due_at == at("2026-11-27T10:00Z"));
    CHECK(t.last.kind == FOLLOWUP_THANK_YOU && t.last.status == FOLLOWUP_QUEUED);

    /* They meet again 3 days later asking for a check-in: merges, no stack. */
    {
        char i2[KIOSK_ID_LEN];
        int64_t t1 = t0 + 3 * DAY;
        meet(s, "handshake", b, a, t1, t1, "card+followup", "next-week", t1, i2);
        CHECK(store_followup_queue(s, i2, &p, NULL, t1, &r, &e) == 0);
        CHECK(r.queued == 0 && r.merged == 2);
        CHECK(count(s, STORE_FOLLOWUPS_ALL, t1, &t) == 2);
        CHECK(t.meetings_sum == 4);
        CHECK(t.last.kind == FOLLOWUP_THANK_YOU); /* the open one keeps its kind */
        CHECK(t.last.status == FOLLOWUP_DUE);     /* its time (day 1) has come */
    }
    /* Outside the window (20 days after the first): a new one is queued. */
    {
        char i3[KIOSK_ID_LEN];
        int64_t t2 = t0 + 20 * DAY;
        meet(s, "handshake", a, b, t2, t2, "card+followup", "tomorrow", t2, i3);
        CHECK(store_followup_queue(s, i3, &p, NULL, t2, &r, &e) == 0);
        CHECK(r.queued == 2 && r.merged == 0);
        CHECK(count(s, STORE_FOLLOWUPS_ALL, t2, &t) == 4);
    }

    /* Consent: C consents to nothing beyond the card; A to follow-ups. Only
     * C gets a reminder about A; nobody gets one about C. */
    {
        char i4[KIOSK_ID_LEN], i5[KIOSK_ID_LEN];
        meet(s, "handshake", a, c, t0, t0, "card", "tomorrow", t0, i4);
        CHECK(store_followup_queue(s, i4, &p, NULL, t0, &r, &e) == 0);
        CHECK(r.queued == 0 && r.refused == 2);
        meet(s, "handshake", a, c, t0, 0, "card+followup", "tomorrow", t0 + MIN, i5);
        CHECK(store_followup_queue(s, i5, &p, NULL, t0, &r, &e) == 0);
        CHECK(r.queued == 1 && r.refused == 1);
        CHECK(count(s, STORE_FOLLOWUPS_ALL, t0, &t) == 5);
    }
    /* A booth lead: the operator owns it; "none" queues nothing. */
    {
        char i6[KIOSK_ID_LEN], i7[KIOSK_ID_LEN];
        int64_t late = at("2026-11-26T21:30Z");
        meet(s, "lead", c, NULL, late, 0, "card+followup", "none", late, i6);
        CHECK(store_followup_queue(s, i6, &p, NULL, late, &r, &e) == 0);
        CHECK(r.queued == 0 && r.refused == 0);
        meet(s, "lead", c, NULL, late, 0, "card+followup", "tomorrow", late, i7);
        CHECK(store_followup_queue(s, i7, &p, NULL, late, &r, &e) == 0);
        CHECK(r.queued == 1);
        CHECK(count(s, STORE_FOLLOWUPS_ALL, late, &t) == 6);
        /* Due 21:30 next day falls in quiet hours: 08:00 the day after. */
        CHECK(t.lead.due_at == at("2026-11-28T08:00Z"));
        CHECK_STR(t.lead.owner_name, "Olga Operator");
        CHECK_STR(t.lead.contact_name, "Chidi Okafor");
        CHECK_STR(t.lead.contact_org, "Okafor Ltd");
        CHECK_STR(t.lead.contact_email, "x@example.org");
        CHECK(store_followup_queue(s, "no-such-id", &p, NULL, late, &r, &e) < 0);
    }

    /* Due list with time moving: nothing before the 27th 10:00 ... */
    CHECK(count(s, STORE_FOLLOWUPS_DUE, at("2026-11-27T09:59Z"), &t) == 0);
    CHECK(store_followup_refresh(s, at("2026-11-27T09:59Z"), &e) == 0);
    CHECK(count(s, STORE_FOLLOWUPS_DUE, at("2026-11-27T10:00Z"), &t) == 2);
    CHECK(store_followup_refresh(s, at("2026-11-27T10:00Z"), &e) == 2);
    CHECK(count(s, STORE_FOLLOWUPS_DUE, at("2026-11-28T08:00Z"), &t) == 4);

    /* done / skip by id prefix; closed ones refuse a second change. */
    CHECK(count(s, STORE_FOLLOWUPS_DUE, at("2026-11-27T10:00Z"), &t) == 2);
    {
        char prefix[16];
        /* The first 12 characters are the shared millisecond: ambiguous. */
        snprintf(prefix, sizeof(prefix), "%.12s", t.last.id);
        CHECK(store_followup_close(s, prefix, FOLLOWUP_DONE, t0, full, &e) < 0);
        CHECK(strstr(e.msg, "several") != NULL);
        /* The last 12 (random) are what lists show. */
        CHECK(store_followup_close(s, t.last.id + 24, FOLLOWUP_DONE, t0, full, &e) == 0);
        CHECK_STR(full, t.last.id);
        CHECK(store_followup_close(s, t.last.id, FOLLOWUP_SKIPPED, t0, NULL, &e) < 0);
        CHECK(strstr(e.msg, "already done") != NULL);
    }
    CHECK(store_followup_close(s, "ffffffff-ffff", FOLLOWUP_DONE, t0, NULL, &e) == 1);
    CHECK(store_followup_close(s, "0190", FOLLOWUP_DONE, t0, NULL, &e) < 0);
    CHECK(store_followup_close(s, "'; DROP TABLE x", FOLLOWUP_DONE, t0, NULL, &e) < 0);
    CHECK(count(s, STORE_FOLLOWUPS_DUE, at("2026-11-27T10:00Z"), &t) == 1);
    CHECK(store_followup_close(s, t.last.id, FOLLOWUP_SKIPPED, t0, NULL, &e) == 0);
    CHECK(store_followup_close(s, t.last.id, FOLLOWUP_CANCELLED, t0, NULL, &e) < 0);
    CHECK(count(s, STORE_FOLLOWUPS_DUE, at("2026-11-27T10:00Z"), &t) == 0);
    CHECK(count(s, STORE_FOLLOWUPS_ALL, at("2026-11-27T10:00Z"), &t) == 6);

    /* Consent withdrawn by C: everything open about or for C is cancelled. */
    {
        long before = store_count(s, "followups");
        CHECK(count(s, STORE_FOLLOWUPS_OPEN, t0, &t) == 4);
        CHECK(store_followup_cancel_attendee(s, c, t0 + DAY, &e) == 2); /* C->A, lead on C */
        CHECK(count(s, STORE_FOLLOWUPS_OPEN, t0, &t) == 2);
        CHECK(store_count(s, "followups") == before); /* cancelled, not deleted */
        CHECK(store_followup_cancel_attendee(s, c, t0 + DAY, &e) == 0);
    }
    store_close(s);
}

static void test_window_zero(void)
{
    struct followup_policy p = policy(0, "20:00", "08:00");
    struct store *s = NULL;
    struct err e;
    struct store_followup_result r;
    struct tally t;
    char a[KIOSK_ID_LEN], b[KIOSK_ID_LEN], i1[KIOSK_ID_LEN], i2[KIOSK_ID_LEN];
    int64_t t0 = at("2026-11-26T10:00Z");

    CHECK(store_open(&s, test_path("fu0.db"), "kiosk-test", t0, &e) == 0);
    if (!s)
        return;
    person(s, "A0", "Ann", "One", t0, a);
    person(s, "B0", "Ben", "Two", t0, b);
    meet(s, "lead", a, NULL, t0, 0, "card+followup", "tomorrow", t0, i1);
    meet(s, "lead", a, NULL, t0 + HOUR, 0, "card+followup", "tomorrow", t0 + HOUR, i2);
    CHECK(store_followup_queue(s, i1, &p, NULL, t0, &r, &e) == 0 && r.queued == 1);
    CHECK(store_followup_queue(s, i2, &p, NULL, t0, &r, &e) == 0 && r.queued == 1);
    CHECK(count(s, STORE_FOLLOWUPS_OPEN, t0, &t) == 2);
    /* Inside a caller's transaction, queueing joins it and a rollback undoes it. */
    CHECK(store_begin(s, &e) == 0);
    CHECK(store_followup_queue(s, i2, &p, NULL, t0, &r, &e) == 0 && r.queued == 1);
    store_rollback(s);
    CHECK(count(s, STORE_FOLLOWUPS_OPEN, t0, &t) == 2);
    store_close(s);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_tzone();
    test_plan();
    test_quiet();
    test_queue();
    test_window_zero();
    return test_done();
}
