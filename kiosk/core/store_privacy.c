/*
 * store_privacy.c - erasing people: `forget`, retention purge, consent
 * withdrawal.
 *
 * Owns: every DELETE that removes personal data, the consent_withdrawals
 * and forgotten tables, and the rules that make them stick when databases
 * are merged (store_privacy_apply, called by store_merge.c).
 *
 * Erasing an attendee removes, in one transaction: the attendee row, all its
 * references, its scans (linked by id, or whose payload is exactly one of its
 * references), every interaction it took part in with that interaction's
 * notes, lead qualification, follow-ups and print jobs, its own follow-ups
 * and queued print jobs, and its consent withdrawal. What stays behind is a
 * tombstone (SHA-256 of each reference and the erasure time, so another
 * kiosk's copy merged later is erased too) and one audit row holding counts
 * only. A tombstone covers what was created at or before its time: the
 * same badge registered or scanned again afterwards is a new consent, and
 * merges keep it (store_privacy_apply_tombstones). secure_delete is on
 * for the erasure and the WAL is truncated after it, so the bytes do not
 * linger in free pages or in the log.
 *
 * Never: writes a name, e-mail, payload or reference into the audit log or
 * the tombstone table; reads the clock.
 */
#include "store_internal.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tombstone form of a reference: its SHA-256 (sha256.c) in hex. */
void store_ref_hash(const char *ref, char out[65])
{
    sha256_hex(ref, strlen(ref), out);
}

/* ---- transactions that nest (a merge calls us inside its own) ---------- */

/* Start a transaction, or a savepoint when one is already open. Returns 1
 * (own transaction), 0 (savepoint) or -1. */
static int tx_begin(struct store *s, struct err *err)
{
    if (sqlite3_get_autocommit(s->db))
        return store_exec(s, "BEGIN IMMEDIATE", err) < 0 ? -1 : 1;
    return store_exec(s, "SAVEPOINT privacy", err) < 0 ? -1 : 0;
}

static int tx_end(struct store *s, int own, int ok, struct err *err)
{
    if (ok) {
        if (store_exec(s, own ? "COMMIT" : "RELEASE privacy", err) == 0)
            return 0;
    }
    if (own)
        store_rollback(s);
    else
        sqlite3_exec(s->db, "ROLLBACK TO privacy; RELEASE privacy", NULL, NULL, NULL);
    return -1;
}

/* Run one statement binding ?1 = text a and ?2 = integer b; add the number
 * of changed rows to *count when count is not NULL. */
static int run(struct store *s, const char *sql, const char *a, int64_t b, long *count,
               struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    if (!st)
        return -1;
    if (sqlite3_bind_parameter_count(st) >= 1)
        store_bind_text(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, b);
    return store_step_done(s, st, count, "erasing personal data", err);
}

static int tombstone(struct store *s, const char *hash, int64_t now_ms, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "INSERT INTO forgotten(ref_hash, kiosk_id, at) VALUES "
                                     "(?1, ?2, ?3) ON CONFLICT(ref_hash) DO UPDATE SET "
                                     "kiosk_id = excluded.kiosk_id, at = excluded.at WHERE "
                                     "(excluded.at, excluded.kiosk_id) > (at, kiosk_id)",
                                     err);
    if (!st)
        return -1;
    store_bind_text(st, 1, hash);
    store_bind_text(st, 2, s->kiosk_id);
    sqlite3_bind_int64(st, 3, now_ms);
    return store_step_done(s, st, NULL, "recording an erasure", err);
}

#define INTERACTIONS_OF "(SELECT id FROM interactions WHERE a_id = ?1 OR b_id = ?1)"

int store_each_text(struct store *s, const char *sql, const char *a, const char *what,
                    int (*fn)(void *ctx, const char *text), void *ctx, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    int rc, result = 0;
    if (!st)
        return -1;
    if (sqlite3_bind_parameter_count(st) >= 1)
        store_bind_text(st, 1, a);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        result = fn(ctx, t ? (const char *)t : "");
        if (result != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(s, what, err);
    sqlite3_finalize(st);
    return result;
}

struct tombstone_ctx {
    struct store *s;
    int64_t now_ms;
    struct err *err;
};

static int tombstone_one(void *ctx, const char *text)
{
    struct tombstone_ctx *t = ctx;
    char ref[KIOSK_REF_MAX * 2], hash[65];
    snprintf(ref, sizeof(ref), "%s", text);
    store_ref_hash(ref, hash);
    return tombstone(t->s, hash, t->now_ms, t->err);
}

static int tombstone_refs(struct store *s, const char *attendee_id, int64_t now_ms, struct err *err)
{
    struct tombstone_ctx t = {s, now_ms, err};
    return store_each_text(s,
                           "SELECT ref FROM attendee_refs WHERE attendee_id = ?1 "
                           "UNION SELECT ref FROM attendees WHERE id = ?1",
                           attendee_id, "reading references", tombstone_one, &t, err) == 0
               ? 0
               : -1;
}

int store_privacy_erase_id(struct store *s, const char *attendee_id, int tombstone, int64_t now_ms,
                           struct store_erase_counts *c, struct err *err)
{
    if (tombstone && tombstone_refs(s, attendee_id, now_ms, err) < 0)
        return -1;
    /* Children first, so the counts say what went (the cascades would
     * remove the same rows silently). */
    if (run(s, "DELETE FROM notes WHERE interaction_id IN " INTERACTIONS_OF, attendee_id, 0,
            &c->notes, err) < 0 ||
        run(s, "DELETE FROM leads WHERE interaction_id IN " INTERACTIONS_OF, attendee_id, 0,
            &c->leads, err) < 0 ||
        run(s,
            "DELETE FROM followups WHERE owner_id = ?1 OR contact_id = ?1 OR interaction_id "
            "IN " INTERACTIONS_OF,
            attendee_id, 0, &c->followups, err) < 0 ||
        run(s,
            "DELETE FROM print_jobs WHERE attendee_id = ?1 OR interaction_id IN " INTERACTIONS_OF,
            attendee_id, 0, &c->print_jobs, err) < 0 ||
        run(s, "DELETE FROM interactions WHERE a_id = ?1 OR b_id = ?1", attendee_id, 0,
            &c->interactions, err) < 0 ||
        run(s,
            "DELETE FROM scans WHERE attendee_id = ?1 OR payload IN (SELECT CAST(ref AS BLOB) "
            "FROM attendee_refs WHERE attendee_id = ?1 UNION SELECT CAST(ref AS BLOB) FROM "
            "attendees WHERE id = ?1)",
            attendee_id, 0, &c->scans, err) < 0 ||
        run(s, "DELETE FROM attendee_refs WHERE attendee_id = ?1", attendee_id, 0, &c->refs, err) <
            0 ||
        run(s, "DELETE FROM consent_withdrawals WHERE attendee_id = ?1", attendee_id, 0, NULL,
            err) < 0 ||
        run(s, "DELETE FROM attendee_ids WHERE attendee_id = ?1", attendee_id, 0, NULL, err) < 0 ||
        run(s, "DELETE FROM attendees WHERE id = ?1", attendee_id, 0, &c->attendees, err) < 0)
        return -1;
    return 0;
}

/* Call fn for every print job store_privacy_erase_id(attendee_id) would
 * delete, and for the "connections" jobs of everyone they met: those rows
 * stay (they belong to the other person and render from the database), but
 * a slip already printed from them lists the erased person. 0, or -1 with
 * err set (also when fn stops the walk). */
struct job_ctx {
    int (*fn)(void *ctx, const char *job_id);
    void *ctx;
};

static int job_one(void *ctx, const char *text)
{
    struct job_ctx *j = ctx;
    char job[KIOSK_ID_LEN];
    snprintf(job, sizeof(job), "%s", text);
    return j->fn(j->ctx, job) != 0 ? 1 : 0;
}

static int each_job_of(struct store *s, const char *attendee_id,
                       int (*fn)(void *ctx, const char *job_id), void *ctx, struct err *err)
{
    struct job_ctx j = {fn, ctx};
    int r = store_each_text(
        s,
        "SELECT id FROM print_jobs WHERE attendee_id = ?1 OR interaction_id IN " INTERACTIONS_OF
        " UNION SELECT id FROM print_jobs WHERE kind = "
        "'connections' AND attendee_id IN (SELECT CASE WHEN a_id = ?1 THEN b_id "
        "ELSE a_id END FROM interactions WHERE a_id = ?1 OR b_id = ?1) ORDER BY id",
        attendee_id, "reading print jobs", job_one, &j, err);
    if (r > 0)
        return err_set(err, "erasure cancelled while listing print jobs");
    return r;
}

static void counts_text(const struct store_erase_counts *c, char *buf, size_t size)
{
    snprintf(buf, size,
             "%ld attendee(s), %ld reference(s), %ld scan(s), %ld interaction(s), %ld note(s), "
             "%ld lead(s), %ld follow-up(s), %ld print job(s)",
             c->attendees, c->refs, c->scans, c->interactions, c->notes, c->leads, c->followups,
             c->print_jobs);
}

/* After an erasure commits: drop old page images from the WAL. Best effort
 * (a reader may hold the log); the data is already gone from the tables. */
static void flush_wal(struct store *s)
{
    if (sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

int store_forget(struct store *s, const char *ref, const char *actor, int64_t now_ms,
                 struct store_erase_counts *counts, struct err *err)
{
    return store_forget_jobs(s, ref, actor, now_ms, counts, NULL, NULL, err);
}

int store_forget_jobs(struct store *s, const char *ref, const char *actor, int64_t now_ms,
                      struct store_erase_counts *counts,
                      int (*job_fn)(void *ctx, const char *job_id), void *ctx, struct err *err)
{
    struct store_erase_counts c;
    char id[KIOSK_ID_LEN], detail[KIOSK_MSG_MAX];
    int found, own, ok = 0;

    memset(&c, 0, sizeof(c));
    if (counts)
        memset(counts, 0, sizeof(*counts));
    if (!ref || !ref[0])
        return err_set(err, "forget needs a reference");
    if (strlen(ref) >= KIOSK_REF_MAX)
        return err_set(err, "reference longer than %d bytes", KIOSK_REF_MAX - 1);
    if (store_exec(s, "PRAGMA secure_delete = ON", err) < 0)
        return -1;
    own = tx_begin(s, err);
    if (own < 0)
        return -1;
    found = store_attendee_find(s, ref, NULL, id, err);
    if (found == 1) {
        /* Not known here: still leave a tombstone so a merge cannot bring
         * the person in later. */
        char hash[65];
        store_ref_hash(ref, hash);
        if (tombstone(s, hash, now_ms, err) < 0)
            goto done;
    }
    if (found == 0 && job_fn && each_job_of(s, id, job_fn, ctx, err) < 0)
        goto done;
    if (found == 0 && store_privacy_erase_id(s, id, 1, now_ms, &c, err) < 0)
        goto done;
    if (found < 0)
        goto done;
    counts_text(&c, detail, sizeof(detail));
    if (store_audit(s, actor ? actor : "", "erasure", detail, now_ms, err) < 0)
        goto done;
    ok = 1;
done:
    if (tx_end(s, own, ok, err) < 0)
        return -1;
    if (own)
        flush_wal(s);
    if (counts)
        *counts = c;
    return found;
}

int store_retention_purge(struct store *s, int days, int64_t now_ms,
                          struct store_erase_counts *counts, struct err *err)
{
    struct store_erase_counts c;
    char detail[KIOSK_MSG_MAX];
    int64_t cutoff;
    int own, ok = 0;
    const char *old_interactions =
        "(SELECT id FROM interactions WHERE created_at < ?2 AND updated_at < ?2)";
    char sql[512];

    memset(&c, 0, sizeof(c));
    if (counts)
        memset(counts, 0, sizeof(*counts));
    if (days < 0)
        return err_set(err, "retention must be 0 (off) or a number of days");
    if (days == 0)
        return 0;
    cutoff = now_ms - (int64_t)days * 86400000;
    if (store_exec(s, "PRAGMA secure_delete = ON", err) < 0)
        return -1;
    own = tx_begin(s, err);
    if (own < 0)
        return -1;
    snprintf(sql, sizeof(sql), "DELETE FROM notes WHERE interaction_id IN %s", old_interactions);
    if (run(s, sql, NULL, cutoff, &c.notes, err) < 0)
        goto done;
    snprintf(sql, sizeof(sql), "DELETE FROM leads WHERE interaction_id IN %s", old_interactions);
    if (run(s, sql, NULL, cutoff, &c.leads, err) < 0)
        goto done;
    snprintf(sql, sizeof(sql),
             "DELETE FROM followups WHERE (created_at < ?2 AND updated_at < ?2) OR "
             "interaction_id IN %s",
             old_interactions);
    if (run(s, sql, NULL, cutoff, &c.followups, err) < 0)
        goto done;
    snprintf(sql, sizeof(sql),
             "DELETE FROM print_jobs WHERE (created_at < ?2 AND updated_at < ?2) OR "
             "interaction_id IN %s",
             old_interactions);
    if (run(s, sql, NULL, cutoff, &c.print_jobs, err) < 0)
        goto done;
    if (run(s, "DELETE FROM interactions WHERE created_at < ?2 AND updated_at < ?2", NULL, cutoff,
            &c.interactions, err) < 0 ||
        run(s, "DELETE FROM scans WHERE scanned_at < ?2", NULL, cutoff, &c.scans, err) < 0)
        goto done;
    /* An attendee goes when it is old and nothing newer still points at it. */
    if (run(s,
            "DELETE FROM attendee_refs WHERE attendee_id IN (SELECT id FROM attendees a WHERE "
            "a.updated_at < ?2 AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.a_id = a.id "
            "OR i.b_id = a.id) AND NOT EXISTS (SELECT 1 FROM scans x WHERE x.attendee_id = "
            "a.id) AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.owner_id = a.id OR "
            "f.contact_id = a.id) AND NOT EXISTS (SELECT 1 FROM print_jobs p WHERE "
            "p.attendee_id = a.id))",
            NULL, cutoff, &c.refs, err) < 0 ||
        run(s,
            "DELETE FROM attendees WHERE updated_at < ?2 AND NOT EXISTS (SELECT 1 FROM "
            "attendee_refs r WHERE r.attendee_id = attendees.id)",
            NULL, cutoff, &c.attendees, err) < 0)
        goto done;
    counts_text(&c, detail, sizeof(detail));
    if (store_audit(s, "retention", "purge", detail, now_ms, err) < 0)
        goto done;
    ok = 1;
done:
    if (tx_end(s, own, ok, err) < 0)
        return -1;
    if (own)
        flush_wal(s);
    if (counts)
        *counts = c;
    return 0;
}

int store_privacy_apply(struct store *s, struct err *err)
{
    /* Withdrawals: consent given at or before the withdrawal is void, and
     * open follow-ups created before it are cancelled. Each touched row's
     * updated_at becomes at least the withdrawal time. The statements are a
     * function of the set of withdrawals alone (no clock), so applying them
     * after every merge step gives the same rows in any merge order. */
    static const char *const withdraw[] = {
        "UPDATE interactions SET consent_a_at = NULL, updated_at = max(updated_at, w.withdrawn_at) "
        "FROM consent_withdrawals w WHERE w.attendee_id = interactions.a_id AND "
        "interactions.created_at <= w.withdrawn_at AND (interactions.consent_a_at IS NOT NULL OR "
        "interactions.updated_at < w.withdrawn_at)",
        "UPDATE interactions SET consent_b_at = NULL, updated_at = max(updated_at, w.withdrawn_at) "
        "FROM consent_withdrawals w WHERE w.attendee_id = interactions.b_id AND "
        "interactions.created_at <= w.withdrawn_at AND (interactions.consent_b_at IS NOT NULL OR "
        "interactions.updated_at < w.withdrawn_at)",
        "UPDATE followups SET status = CASE WHEN followups.status IN ('queued','due') THEN "
        "'cancelled' ELSE followups.status END, updated_at = max(updated_at, w.withdrawn_at) "
        "FROM consent_withdrawals w WHERE w.attendee_id = followups.owner_id AND "
        "followups.created_at <= w.withdrawn_at AND (followups.status IN ('queued','due') OR "
        "(followups.status = 'cancelled' AND followups.updated_at < w.withdrawn_at))",
        "UPDATE followups SET status = CASE WHEN followups.status IN ('queued','due') THEN "
        "'cancelled' ELSE followups.status END, updated_at = max(updated_at, w.withdrawn_at) "
        "FROM consent_withdrawals w WHERE w.attendee_id = followups.contact_id AND "
        "followups.created_at <= w.withdrawn_at AND (followups.status IN ('queued','due') OR "
        "(followups.status = 'cancelled' AND followups.updated_at < w.withdrawn_at))",
    };
    for (size_t i = 0; i < sizeof(withdraw) / sizeof(withdraw[0]); i++)
        if (run(s, withdraw[i], NULL, 0, NULL, err) < 0)
            return -1;
    return 0;
}

/* What a tombstone at time ?2 removes from an attendee ?1 who registered
 * again after it: every row of theirs CREATED at or before ?2, even when a
 * kiosk that had not heard of the erasure wrote to it later (a follow-up
 * falling due, the other person withdrawing consent): that row still holds
 * what the person asked to erase. With the interactions go their notes,
 * leads, follow-ups and print jobs. The attendee's ids created at or before
 * ?2 go too (store_merge.c then gives it the identity of its first copy
 * created after the erasure). */
static const char *const prune_sql[] = {
    "DELETE FROM notes WHERE interaction_id IN (SELECT id FROM interactions WHERE (a_id = ?1 "
    "OR b_id = ?1) AND created_at <= ?2)",
    "DELETE FROM leads WHERE interaction_id IN (SELECT id FROM interactions WHERE (a_id = ?1 "
    "OR b_id = ?1) AND created_at <= ?2)",
    "DELETE FROM followups WHERE ((owner_id = ?1 OR contact_id = ?1) AND created_at <= ?2) OR "
    "interaction_id IN (SELECT id FROM interactions WHERE (a_id = ?1 OR b_id = ?1) AND "
    "created_at <= ?2)",
    "DELETE FROM print_jobs WHERE (attendee_id = ?1 AND created_at <= ?2) OR interaction_id IN "
    "(SELECT id FROM interactions WHERE (a_id = ?1 OR b_id = ?1) AND created_at <= ?2)",
    "DELETE FROM interactions WHERE (a_id = ?1 OR b_id = ?1) AND created_at <= ?2",
    "DELETE FROM scans WHERE scanned_at <= ?2 AND (attendee_id = ?1 OR payload IN (SELECT "
    "CAST(ref AS BLOB) FROM attendee_refs WHERE attendee_id = ?1))",
    "DELETE FROM consent_withdrawals WHERE attendee_id = ?1 AND withdrawn_at <= ?2",
    "DELETE FROM attendee_ids WHERE attendee_id = ?1 AND created_at <= ?2",
};

/* Apply the tombstones: an attendee one of whose references carries a
 * tombstone is erased when its row was last written at or before the
 * erasure (the latest tombstone of its references); when it was written
 * after, the person registered again (a new consent): it stays, and only
 * its rows created at or before the erasure go. temp.tomb_hits is left
 * holding every attendee hit, with the latest tombstone (time, hash) of
 * its references, for store_merge.c. */
int store_privacy_apply_tombstones(struct store *s, int64_t now_ms, long *erased, struct err *err)
{
    char ref[KIOSK_REF_MAX * 2], hash[65], id[KIOSK_ID_LEN];
    sqlite3_stmt *st = NULL, *q = NULL, *ins = NULL;
    int rc, result = -1;

    /* SQLite has no SHA-256 built in: hash every reference here and note
     * the hits in a temp table, since erasing while a cursor walks
     * attendee_refs would disturb it. */
    if (store_exec(s,
                   "CREATE TEMP TABLE IF NOT EXISTS tomb_hits(attendee_id TEXT PRIMARY KEY, "
                   "at INTEGER NOT NULL, hash TEXT NOT NULL); DELETE FROM temp.tomb_hits;",
                   err) < 0)
        return -1;
    if (store_count(s, "forgotten") == 0)
        return 0;
    st = store_prepare(s, "SELECT ref, attendee_id FROM main.attendee_refs", err);
    q = st ? store_prepare(s, "SELECT at FROM main.forgotten WHERE ref_hash = ?1", err) : NULL;
    ins = q ? store_prepare(s,
                            "INSERT INTO temp.tomb_hits(attendee_id, at, hash) VALUES (?1, ?2, ?3) "
                            "ON CONFLICT(attendee_id) DO UPDATE SET (at, hash) = (excluded.at, "
                            "excluded.hash) WHERE (excluded.at, excluded.hash) > (at, hash)",
                            err)
            : NULL;
    if (!ins)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_col_text(st, 0, ref, sizeof(ref));
        store_ref_hash(ref, hash);
        sqlite3_reset(q);
        store_bind_text(q, 1, hash);
        if (sqlite3_step(q) != SQLITE_ROW)
            continue;
        store_col_text(st, 1, id, sizeof(id));
        sqlite3_reset(ins);
        store_bind_text(ins, 1, id);
        sqlite3_bind_int64(ins, 2, sqlite3_column_int64(q, 0));
        store_bind_text(ins, 3, hash);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            store_fail(s, "applying erasures", err);
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        store_fail(s, "reading references", err);
        goto out;
    }
    sqlite3_finalize(st);
    st = store_prepare(s,
                       "SELECT h.attendee_id, h.at, (SELECT a.updated_at <= h.at FROM "
                       "main.attendees a WHERE a.id = h.attendee_id) FROM temp.tomb_hits h "
                       "ORDER BY h.attendee_id",
                       err);
    if (!st)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t at = sqlite3_column_int64(st, 1);
        store_col_text(st, 0, id, sizeof(id));
        if (sqlite3_column_int(st, 2)) {
            struct store_erase_counts c;
            memset(&c, 0, sizeof(c));
            if (store_privacy_erase_id(s, id, 0, now_ms, &c, err) < 0)
                goto out;
            if (erased)
                *erased += c.attendees;
            continue;
        }
        for (size_t i = 0; i < sizeof(prune_sql) / sizeof(prune_sql[0]); i++)
            if (run(s, prune_sql[i], id, at, NULL, err) < 0)
                goto out;
    }
    if (rc != SQLITE_DONE) {
        store_fail(s, "applying erasures", err);
        goto out;
    }
    result = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(q);
    sqlite3_finalize(st);
    return result;
}

static long count_cancelled(struct store *s)
{
    sqlite3_stmt *st =
        store_prepare(s, "SELECT count(*) FROM followups WHERE status = 'cancelled'", NULL);
    long n = 0;
    if (!st)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int store_consent_withdraw(struct store *s, const char *ref, const char *actor, int64_t now_ms,
                           long *cancelled, struct err *err)
{
    char id[KIOSK_ID_LEN];
    int found, own, ok = 0;
    long before = 0, after = 0;
    sqlite3_stmt *st;

    if (cancelled)
        *cancelled = 0;
    if (!ref || !ref[0])
        return err_set(err, "withdrawing consent needs a reference");
    own = tx_begin(s, err);
    if (own < 0)
        return -1;
    found = store_attendee_find(s, ref, NULL, id, err);
    if (found != 0)
        goto done;
    st = store_prepare(s,
                       "INSERT INTO consent_withdrawals(attendee_id, kiosk_id, withdrawn_at) "
                       "VALUES (?1, ?2, ?3) ON CONFLICT(attendee_id) DO UPDATE SET "
                       "withdrawn_at = max(withdrawn_at, excluded.withdrawn_at)",
                       err);
    if (!st)
        goto done;
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    sqlite3_bind_int64(st, 3, now_ms);
    if (store_step_done(s, st, NULL, "recording a consent withdrawal", err) < 0)
        goto done;
    before = count_cancelled(s);
    if (store_privacy_apply(s, err) < 0)
        goto done;
    after = count_cancelled(s);
    if (cancelled)
        *cancelled = after - before;
    if (store_audit(s, actor ? actor : "", "consent-withdrawn", "", now_ms, err) < 0)
        goto done;
    ok = 1;
done:
    if (found == 1)
        ok = 1; /* nothing written; close the transaction */
    if (tx_end(s, own, ok, err) < 0)
        return -1;
    return found;
}

int store_consent_withdrawn(struct store *s, const char *attendee_id, struct err *err)
{
    sqlite3_stmt *st =
        store_prepare(s, "SELECT 1 FROM consent_withdrawals WHERE attendee_id = ?1", err);
    int rc;
    if (!st)
        return -1;
    store_bind_text(st, 1, attendee_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return store_fail(s, "reading consent", err);
}

int store_job_ids_add(void *ctx, const char *job_id)
{
    struct store_job_ids *j = ctx;
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 16;
        char(*grown)[KIOSK_ID_LEN] = realloc(j->id, cap * sizeof(*j->id));
        if (!grown)
            return 1;
        j->id = grown;
        j->cap = cap;
    }
    snprintf(j->id[j->n++], KIOSK_ID_LEN, "%s", job_id);
    return 0;
}

void store_job_ids_free(struct store_job_ids *j)
{
    if (!j)
        return;
    free(j->id);
    j->id = NULL;
    j->n = j->cap = 0;
}
