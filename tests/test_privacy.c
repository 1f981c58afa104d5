/*
 * test_privacy.c - forget, retention and consent withdrawal on real SQLite
 * files: what goes, what stays, that the audit log holds no personal data,
 * and that the erased bytes are not left in the database file or its WAL.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "test.h"

#define T0  1780000000000LL
#define DAY 86400000LL

/* 1 if needle occurs in the file at path (missing file: 0). */
static int file_has(const char *path, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    char *b = test_read_file(path, &n);
    int found = 0;
    for (size_t i = 0; b && i + k <= n && !found; i++)
        found = memcmp(b + i, needle, k) == 0;
    free(b);
    return found;
}

static void add(struct store *s, const char *ref, const char *name, const char *email, int64_t t,
                char id[KIOSK_ID_LEN])
{
    struct contact c;
    struct err err = {{0}};
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "%s", ref);
    snprintf(c.display_name, sizeof(c.display_name), "%s", name);
    contact_add_email(&c, email);
    CHECK(store_attendee_upsert(s, &c, "badge", t, id, &err) == 0);
}

static void scan(struct store *s, const char *payload, const char *att, int64_t t)
{
    struct store_scan sc = {
        (const unsigned char *)payload, strlen(payload), "plain", att, "handshake", "camera"};
    struct err err = {{0}};
    CHECK(store_scan_add(s, &sc, t, NULL, &err) == 0);
}

static void followup(const char *db, const char *id, const char *inter, const char *owner,
                     const char *contact, int64_t t)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO followups(id, kiosk_id, interaction_id, owner_id, contact_id, kind, "
             "due_at, status, created_at, updated_at) VALUES ('%s', 'k', '%s', '%s', '%s', "
             "'thank-you', %lld, 'queued', %lld, %lld)",
             id, inter, owner, contact, (long long)(t + DAY), (long long)t, (long long)t);
    test_sql(db, sql);
}

static void print_job(const char *db, const char *id, const char *inter, const char *att, int64_t t)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO print_jobs(id, kiosk_id, interaction_id, attendee_id, kind, created_at, "
             "updated_at) VALUES ('%s', 'k', '%s', '%s', 'handshake', %lld, %lld)",
             id, inter, att, (long long)t, (long long)t);
    test_sql(db, sql);
}

static void test_forget(void)
{
    const char *db = test_path("forget.db");
    char path[1024], wal[1100];
    struct store *s = NULL;
    struct err err = {{0}};
    struct store_erase_counts c;
    char mallory[KIOSK_ID_LEN], trent[KIOSK_ID_LEN], peggy[KIOSK_ID_LEN], hs1[KIOSK_ID_LEN],
        hs2[KIOSK_ID_LEN], lead[KIOSK_ID_LEN];
    snprintf(path, sizeof(path), "%s", db);
    snprintf(wal, sizeof(wal), "%s-wal", path);

    CHECK(store_open(&s, path, "kiosk-p", T0, &err) == 0);
    if (!s)
        return;
    add(s, "T-MALLORY", "Mallory Secretname", "mallory@secret.example", T0, mallory);
    CHECK(store_attendee_add_ref(s, mallory, "ORDER-MAL-77", "order", &err) == 0);
    add(s, "T-TRENT", "Trent", "trent@example.org", T0, trent);
    add(s, "T-PEGGY", "Peggy", "peggy@example.org", T0, peggy);
    scan(s, "T-MALLORY", mallory, T0 + 1);
    scan(s, "ORDER-MAL-77", NULL, T0 + 2); /* unresolved scan of her order code */
    scan(s, "T-TRENT", trent, T0 + 3);
    {
        struct store_interaction in = {"handshake", mallory, trent, "", T0,
                                       T0,          "card",  "v1",  "", "tomorrow"};
        struct store_interaction in2 = {"handshake", trent,  peggy, "", T0,
                                        T0,          "card", "v1",  "", "none"};
        struct store_interaction l = {"lead", mallory, NULL, "op", T0, 0, "card", "v1", "", "none"};
        CHECK(store_interaction_add(s, &in, T0 + 10, hs1, &err) == 0);
        CHECK(store_interaction_add(s, &in2, T0 + 11, hs2, &err) == 0);
        CHECK(store_interaction_add(s, &l, T0 + 12, lead, &err) == 0);
    }
    CHECK(store_note_append(s, hs1, "trent", "Mallory Secretname wants a call", T0 + 20, &err) ==
          0);
    CHECK(store_note_append(s, hs2, "trent", "peggy: lunch", T0 + 21, &err) == 0);
    CHECK(store_lead_set(s, lead, 5, "hot", "{}", T0 + 22, &err) == 0);
    store_close(s);
    followup(path, "f1", hs1, trent, mallory, T0 + 30);
    followup(path, "f2", hs2, trent, peggy, T0 + 31);
    print_job(path, "p1", hs1, mallory, T0 + 32);
    print_job(path, "p2", hs2, peggy, T0 + 33);
    CHECK(file_has(path, "mallory@secret.example") || file_has(wal, "mallory@secret.example"));

    CHECK(store_open(&s, path, "", T0 + 100, &err) == 0);
    if (!s)
        return;
    /* Forget her by her order code: every reference leads to the person. */
    CHECK(store_forget(s, "ORDER-MAL-77", "admin", T0 + 100, &c, &err) == 0);
    CHECK(c.attendees == 1 && c.refs == 2 && c.scans == 2 && c.interactions == 2 && c.notes == 1 &&
          c.leads == 1 && c.followups == 1 && c.print_jobs == 1);
    CHECK(store_attendee_find(s, "T-MALLORY", NULL, NULL, &err) == 1);
    CHECK(store_attendee_find(s, "T-TRENT", NULL, NULL, &err) == 0);
    CHECK(store_count(s, "attendees") == 2);
    CHECK(store_count(s, "scans") == 1);
    CHECK(store_count(s, "interactions") == 1);
    CHECK(store_count(s, "notes") == 1);
    CHECK(store_count(s, "followups") == 1);
    CHECK(store_count(s, "print_jobs") == 1);
    CHECK(store_count(s, "forgotten") == 2);
    CHECK(store_check(s, &err) == 0);
    /* Forgetting again: unknown now. */
    CHECK(store_forget(s, "T-MALLORY", "admin", T0 + 101, &c, &err) == 1);
    CHECK(store_forget(s, "", "admin", T0 + 101, &c, &err) < 0);
    store_close(s);

    /* The audit log says an erasure happened and nothing about whom. */
    CHECK(test_sql_scalar(path, "SELECT count(*) FROM audit_log WHERE action = 'erasure'") == 2);
    CHECK(test_sql_scalar(path,
                          "SELECT count(*) FROM audit_log WHERE detail LIKE '%MAL%' OR detail LIKE "
                          "'%allory%' OR actor LIKE '%allory%'") == 0);
    /* Not in the tables, nor in free pages, nor in the WAL. */
    CHECK(!file_has(path, "mallory@secret.example"));
    CHECK(!file_has(path, "Secretname"));
    CHECK(!file_has(path, "ORDER-MAL-77"));
    CHECK(!file_has(wal, "mallory@secret.example"));
    CHECK(test_sql_scalar(path, "PRAGMA foreign_key_check") == -1);
}

struct job_ids {
    char ids[512];
    int n, stop_at; /* stop_at > 0: return 1 on that call */
};

static int collect_job(void *ctx, const char *job_id)
{
    struct job_ids *j = ctx;
    size_t used = strlen(j->ids);
    snprintf(j->ids + used, sizeof(j->ids) - used, "%s%s", used ? " " : "", job_id);
    return ++j->n == j->stop_at;
}

/* store_forget_jobs names every print job whose slip shows the person:
 * their own, their interactions', and the connections slips of people they
 * met; not the test page, not a stranger's connections slip. */
static void test_forget_jobs(void)
{
    const char *path = test_path("forget_jobs.db");
    struct store *s = NULL;
    struct err err = {{0}};
    struct store_erase_counts c;
    struct job_ids j;
    char mallory[KIOSK_ID_LEN], trent[KIOSK_ID_LEN], peggy[KIOSK_ID_LEN], hs[KIOSK_ID_LEN],
        sql[1024];

    CHECK(store_open(&s, path, "kiosk-p", T0, &err) == 0);
    if (!s)
        return;
    add(s, "J-MALLORY", "Mallory", "mallory@example.org", T0, mallory);
    add(s, "J-TRENT", "Trent", "trent@example.org", T0, trent);
    add(s, "J-PEGGY", "Peggy", "peggy@example.org", T0, peggy);
    {
        struct store_interaction in = {"handshake", trent,  mallory, "", T0,
                                       T0,          "card", "v1",    "", "none"};
        CHECK(store_interaction_add(s, &in, T0 + 10, hs, &err) == 0);
    }
    store_close(s);
    print_job(path, "j1-hs", hs, trent, T0 + 20);
    snprintf(sql, sizeof(sql),
             "INSERT INTO print_jobs(id, kiosk_id, attendee_id, kind, created_at, updated_at) "
             "VALUES ('j2-own', 'k', '%s', 'connections', 1, 1), "
             "('j3-met', 'k', '%s', 'connections', 1, 1), "
             "('j4-stranger', 'k', '%s', 'connections', 1, 1); "
             "INSERT INTO print_jobs(id, kiosk_id, kind, created_at, updated_at) "
             "VALUES ('j5-test', 'k', 'test', 1, 1);",
             mallory, trent, peggy);
    test_sql(path, sql);

    CHECK(store_open(&s, path, "", T0 + 100, &err) == 0);
    if (!s)
        return;
    /* A callback that stops cancels the erasure: nothing goes. */
    memset(&j, 0, sizeof(j));
    j.stop_at = 2;
    CHECK(store_forget_jobs(s, "J-MALLORY", "admin", T0 + 100, &c, collect_job, &j, &err) < 0);
    CHECK(strstr(err.msg, "erasure cancelled while listing print jobs") != NULL);
    CHECK(j.n == 2);
    CHECK(store_attendee_find(s, "J-MALLORY", NULL, NULL, &err) == 0);
    CHECK(store_count(s, "print_jobs") == 5);
    CHECK(store_count(s, "forgotten") == 0);
    /* Unknown reference: the callback is not called. */
    memset(&j, 0, sizeof(j));
    CHECK(store_forget_jobs(s, "J-NOBODY", "admin", T0 + 100, &c, collect_job, &j, &err) == 1);
    CHECK(j.n == 0);
    memset(&j, 0, sizeof(j));
    CHECK(store_forget_jobs(s, "J-MALLORY", "admin", T0 + 101, &c, collect_job, &j, &err) == 0);
    CHECK_STR(j.ids, "j1-hs j2-own j3-met");
    CHECK(c.print_jobs == 2);
    /* Trent's connections job stays: it belongs to him. */
    CHECK(store_count(s, "print_jobs") == 3);
    store_close(s);
}

static void test_retention(void)
{
    const char *db = test_path("retention.db");
    char path[1024];
    struct store *s = NULL;
    struct err err = {{0}};
    struct store_erase_counts c;
    char old[KIOSK_ID_LEN], fresh[KIOSK_ID_LEN], mixed[KIOSK_ID_LEN], hs[KIOSK_ID_LEN],
        hs_old[KIOSK_ID_LEN];
    int64_t now = T0 + 40 * DAY;
    snprintf(path, sizeof(path), "%s", db);

    CHECK(store_open(&s, path, "kiosk-r", T0, &err) == 0);
    if (!s)
        return;
    add(s, "T-OLD", "Old Timer", "old@example.org", T0, old);
    add(s, "T-MIXED", "Mixed", "mixed@example.org", T0, mixed);
    add(s, "T-FRESH", "Fresh", "fresh@example.org", now - DAY, fresh);
    scan(s, "T-OLD", old, T0);
    scan(s, "junk-old", NULL, T0 + 1);
    scan(s, "T-FRESH", fresh, now - DAY);
    {
        struct store_interaction in = {"handshake", old,    mixed, "", T0,
                                       T0,          "card", "v1",  "", "none"};
        struct store_interaction in2 = {"handshake", mixed,  fresh, "", now - DAY,
                                        now - DAY,   "card", "v1",  "", "none"};
        CHECK(store_interaction_add(s, &in, T0 + 5, hs_old, &err) == 0);
        CHECK(store_interaction_add(s, &in2, now - DAY, hs, &err) == 0);
    }
    CHECK(store_note_append(s, hs_old, "x", "old note", T0 + 6, &err) == 0);
    /* Off: nothing happens. */
    CHECK(store_retention_purge(s, 0, now, &c, &err) == 0);
    CHECK(store_count(s, "attendees") == 3);
    /* 30 days: the old scans, the old handshake and its note go; Old Timer
     * goes; Mixed stays (a recent handshake refers to them); Fresh stays. */
    CHECK(store_retention_purge(s, 30, now, &c, &err) == 0);
    CHECK(c.scans == 2 && c.interactions == 1 && c.notes == 1 && c.attendees == 1);
    CHECK(store_attendee_find(s, "T-OLD", NULL, NULL, &err) == 1);
    CHECK(store_attendee_find(s, "T-MIXED", NULL, NULL, &err) == 0);
    CHECK(store_attendee_find(s, "T-FRESH", NULL, NULL, &err) == 0);
    CHECK(store_count(s, "scans") == 1);
    CHECK(store_count(s, "interactions") == 1);
    /* Running it again finds nothing more. */
    CHECK(store_retention_purge(s, 30, now, &c, &err) == 0);
    CHECK(c.scans == 0 && c.attendees == 0 && c.interactions == 0);
    /* Much later, everything goes. */
    CHECK(store_retention_purge(s, 30, now + 60 * DAY, &c, &err) == 0);
    CHECK(store_count(s, "attendees") == 0 && store_count(s, "scans") == 0);
    CHECK(store_retention_purge(s, -1, now, &c, &err) < 0);
    CHECK(store_check(s, &err) == 0);
    store_close(s);
    CHECK(!file_has(path, "old@example.org"));
    CHECK(test_sql_scalar(path, "SELECT count(*) FROM audit_log WHERE action = 'purge'") == 3);
}

static void test_withdraw(void)
{
    char path[1024];
    struct store *s = NULL;
    struct err err = {{0}};
    char a[KIOSK_ID_LEN], b[KIOSK_ID_LEN], hs[KIOSK_ID_LEN], hs2[KIOSK_ID_LEN];
    long cancelled = -1;
    snprintf(path, sizeof(path), "%s", test_path("withdraw.db"));

    CHECK(store_open(&s, path, "kiosk-w", T0, &err) == 0);
    if (!s)
        return;
    add(s, "T-A", "Ann", "ann@example.org", T0, a);
    add(s, "T-B", "Ben", "ben@example.org", T0, b);
    {
        struct store_interaction in = {"handshake",     a,    b,  "",        T0, T0,
                                       "card+followup", "v1", "", "tomorrow"};
        CHECK(store_interaction_add(s, &in, T0 + 1, hs, &err) == 0);
    }
    store_close(s);
    followup(path, "f1", hs, a, b, T0 + 2);
    followup(path, "f2", hs, b, a, T0 + 2);
    test_sql(path, "UPDATE followups SET status = 'done' WHERE id = 'f2'");
    CHECK(store_open(&s, path, "", T0 + 10, &err) == 0);
    if (!s)
        return;
    CHECK(store_consent_withdrawn(s, b, &err) == 0);
    CHECK(store_consent_withdraw(s, "T-B", "admin", T0 + 10, &cancelled, &err) == 0);
    CHECK(cancelled == 1); /* f1 was queued; f2 was already done */
    CHECK(store_consent_withdrawn(s, b, &err) == 1);
    CHECK(store_consent_withdrawn(s, a, &err) == 0);
    CHECK(store_consent_withdraw(s, "T-NOBODY", "admin", T0 + 10, NULL, &err) == 1);
    /* A new meeting with fresh consent after the withdrawal counts. */
    {
        struct store_interaction in = {"handshake", a,      b,    "", T0 + 20,
                                       T0 + 20,     "card", "v1", "", "none"};
        CHECK(store_interaction_add(s, &in, T0 + 20, hs2, &err) == 0);
    }
    store_close(s);
    CHECK(test_sql_scalar(path, "SELECT count(*) FROM interactions WHERE consent_b_at IS NULL AND "
                                "consent_a_at IS NOT NULL") == 1);
    CHECK(test_sql_scalar(path,
                          "SELECT count(*) FROM interactions WHERE consent_b_at IS NOT NULL") == 1);
    CHECK(test_sql_scalar(path, "SELECT status = 'cancelled' FROM followups WHERE id = 'f1'") == 1);
    CHECK(test_sql_scalar(path, "SELECT status = 'done' FROM followups WHERE id = 'f2'") == 1);
    CHECK(test_sql_scalar(path,
                          "SELECT count(*) FROM audit_log WHERE action = 'consent-withdrawn' AND "
                          "detail = ''") == 1);
}

static void test_hash(void)
{
    char h[65];
    /* FIPS 180-2 test vectors. */
    store_ref_hash("abc", h);
    CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    store_ref_hash("", h);
    CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    store_ref_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", h);
    CHECK_STR(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A tombstone records when: forgetting the same reference again later
 * moves its time forward (it then covers what was written in between),
 * never back; the table holds one row per reference and no reference. */
static void test_tombstone_time(void)
{
    struct store *s = NULL;
    struct err err = {{0}};
    const char *db = test_path("tomb.db");
    CHECK(store_open(&s, db, "kiosk-p", T0, &err) == 0);
    if (!s)
        return;
    CHECK(store_forget(s, "T-NOBODY", "test", T0 + 10, NULL, &err) == 1);
    CHECK(store_forget(s, "T-NOBODY", "test", T0 + 50, NULL, &err) == 1);
    CHECK(store_forget(s, "T-NOBODY", "test", T0 + 20, NULL, &err) == 1);
    store_close(s);
    CHECK(test_sql_scalar(db, "SELECT count(*) FROM forgotten") == 1);
    CHECK(test_sql_scalar(db, "SELECT at - 1780000000000 FROM forgotten") == 50);
    CHECK(!file_has(db, "T-NOBODY"));
}

int main(void)
{
    test_hash();
    test_tombstone_time();
    test_forget();
    test_forget_jobs();
    test_retention();
    test_withdraw();
    return test_done();
}
