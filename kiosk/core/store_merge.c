/*
 * store_merge.c - merging another kiosk's database into this one.
 *
 * Owns: the merge rules. The source is checked with store_open_readonly (so
 * a foreign, corrupt, older or newer file is refused with the same words as
 * everywhere), then ATTACHed read-only (URI mode=ro: the source's bytes never
 * change) and copied in one transaction.
 *
 * The rules, chosen so that merging is idempotent (twice = once) and
 * order-independent (A+B+C = C+A+B, byte for byte in every table but the
 * audit log), i.e. every rule is a max/min/union:
 *   - Attendees are matched by reference: the source row's primary ref,
 *     else its id, else any of its references. A matched attendee keeps the
 *     smallest id any kiosk gave it (UUIDv7: the first kiosk to see the
 *     person) with that row's primary ref, and the earliest created_at; its
 *     fields come from the winning row (rule below). References are unioned.
 *   - Mutable rows (attendees, interactions, leads, follow-ups): the latest
 *     updated_at wins; a tie goes to the greater kiosk_id, then to the row
 *     that sorts greater column by column, so every kiosk decides the same.
 *   - Scans, notes and audit rows are immutable: union by id. Notes are
 *     appended, never replaced or lost.
 *   - Consent withdrawals: union, the latest withdrawal per attendee wins;
 *     then withdrawals are re-applied (store_privacy_apply).
 *   - Every id some kiosk created an attendee under is kept in
 *     attendee_ids (union, with that copy's created_at; the earlier time
 *     if two files disagree).
 *   - Tombstones of forgotten references (SHA-256 of the ref + erasure
 *     time): union, the latest erasure per reference kept. A tombstone at
 *     time T covers the rows created at or before T: an attendee carrying
 *     one whose row was last updated at or before T is erased again, so a
 *     merge never brings back someone who was forgotten anywhere. A person
 *     who registered again after T (a roster import or a badge scan on any
 *     kiosk) gave a new consent: the attendee stays, and its rows created
 *     at or before T go, even if a kiosk that had not heard of the erasure
 *     wrote to them later (scans, interactions with their notes, leads,
 *     follow-ups and print jobs, withdrawals, the ids of its older copies).
 *     Its identity is then that of its copies created after T: the
 *     smallest such id and the earliest such created_at; with no copy
 *     created after T (a kiosk wrote to its old row after T), an id
 *     derived from the tombstone and created_at T + 1 (reidentify). Both
 *     depend only on the tombstone and the set of copies, never on which
 *     copy met which first, so every order gives the same row.
 *   - Settings and print jobs stay local (they describe this kiosk).
 * Never: writes to the source, merges a database into itself, commits a
 * partial merge.
 */
#include "store_internal.h"
#include "sha256.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int exec_count(struct store *s, const char *sql, long *changes, const char *what,
                      struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    if (!st)
        return -1;
    return store_step_done(s, st, changes, what, err);
}

/* Run sql (binding ?1, ?2 as text) and copy the first column of its first
 * row into out. Returns 0 found, 1 none, -1 error. */
static int query_text(struct store *s, const char *sql, const char *a, const char *b, char *out,
                      size_t size, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    int rc, result;
    if (!st)
        return -1;
    store_bind_text(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        store_bind_text(st, 2, b);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        store_col_text(st, 0, out, size);
        result = 0;
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        result = 1;
    } else {
        result = store_fail(s, "merging", err);
    }
    sqlite3_finalize(st);
    return result;
}

/* Percent-encode path into a read-only SQLite URI. */
static int make_uri(const char *path, char *out, size_t size, struct err *err)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    const char *tail = "?mode=ro";
    if (size < 6)
        return err_set(err, "path too long");
    memcpy(out, "file:", 5);
    n = 5;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || strchr("/._-~", *p);
        if (n + 4 + strlen(tail) >= size)
            return err_set(err, "path of the database to merge is too long");
        if (plain) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    snprintf(out + n, size - n, "%s", tail);
    return 0;
}

/* Columns of attendees that the winner rule compares and copies. */
#define ATT_FIELDS                                                                                 \
    "updated_at, kiosk_id, display_name, given_name, family_name, org, title, emails, phones, "    \
    "url, note, pitch, objectives, badge_format, source"

#define ATT_FIELDS_X                                                                               \
    "x.updated_at, x.kiosk_id, x.display_name, x.given_name, x.family_name, "                      \
    "x.org, x.title, x.emails, x.phones, x.url, x.note, x.pitch, "                                 \
    "x.objectives, x.badge_format, x.source"
#define ATT_FIELDS_L                                                                               \
    "l.updated_at, l.kiosk_id, l.display_name, l.given_name, l.family_name, "                      \
    "l.org, l.title, l.emails, l.phones, l.url, l.note, l.pitch, "                                 \
    "l.objectives, l.badge_format, l.source"

/* Point every reference to attendee `from` at attendee `to` (a smaller id),
 * then rename the attendee row itself. Foreign keys are deferred. */
static int rekey(struct store *s, const char *from, const char *to, const char *to_ref,
                 struct err *err)
{
    static const char *const sql[] = {
        "UPDATE attendee_refs SET attendee_id = ?2 WHERE attendee_id = ?1",
        "UPDATE scans SET attendee_id = ?2 WHERE attendee_id = ?1",
        "UPDATE interactions SET a_id = ?2 WHERE a_id = ?1",
        "UPDATE interactions SET b_id = ?2 WHERE b_id = ?1",
        "UPDATE followups SET owner_id = ?2 WHERE owner_id = ?1",
        "UPDATE followups SET contact_id = ?2 WHERE contact_id = ?1",
        "UPDATE print_jobs SET attendee_id = ?2 WHERE attendee_id = ?1",
        "UPDATE consent_withdrawals SET attendee_id = ?2 WHERE attendee_id = ?1",
        "UPDATE attendee_ids SET attendee_id = ?2 WHERE attendee_id = ?1",
        "UPDATE temp.merge_map SET local_id = ?2 WHERE local_id = ?1",
        "UPDATE attendees SET id = ?2, ref = ?3 WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st = store_prepare(s, sql[i], err);
        if (!st)
            return -1;
        store_bind_text(st, 1, from);
        store_bind_text(st, 2, to);
        if (sqlite3_bind_parameter_count(st) >= 3)
            store_bind_text(st, 3, to_ref);
        if (store_step_done(s, st, NULL, "merging an attendee", err) < 0)
            return -1;
    }
    return 0;
}

static int map_add(struct store *s, const char *src_id, const char *local_id, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s, "INSERT OR REPLACE INTO temp.merge_map(src_id, local_id) VALUES (?1, ?2)", err);
    if (!st)
        return -1;
    store_bind_text(st, 1, src_id);
    store_bind_text(st, 2, local_id);
    return store_step_done(s, st, NULL, "merging an attendee", err);
}

/* Copy the source attendee's ids (every kiosk copy it was merged from)
 * to local attendee lid. An id is one copy's, created once; should two
 * databases disagree on when it was created (a v1 database's backfill
 * holds a merged row's earliest created_at), the earlier wins, whatever the
 * order. Runs before
 * a new attendee row is inserted, so the insert trigger finds the id
 * already logged and does not log the row's own created_at instead. */
#define COPY_IDS_SQL                                                                               \
    "INSERT INTO main.attendee_ids(id, attendee_id, created_at) SELECT id, ?2, created_at "        \
    "FROM src.attendee_ids WHERE attendee_id = ?1 ON CONFLICT(id) DO UPDATE SET "                  \
    "created_at = excluded.created_at WHERE excluded.created_at < created_at"

/* st: COPY_IDS_SQL, prepared once per merge (this runs for every source
 * attendee) and left reset. */
static int copy_ids(struct store *s, sqlite3_stmt *st, const char *sid, const char *lid,
                    struct err *err)
{
    int rc;
    store_bind_text(st, 1, sid);
    store_bind_text(st, 2, lid);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "merging an attendee", err);
    return 0;
}

/* 1 if one of the source attendee's references has a tombstone here or in
 * the source dated at or after the source row's updated_at (the row predates
 * the erasure), 0 if not, -1 error. */
static int tombstoned(struct store *s, const char *sid, const char *sref, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s, "SELECT ?2 UNION SELECT ref FROM src.attendee_refs WHERE attendee_id = ?1", err);
    sqlite3_stmt *q = st ? store_prepare(s,
                                         "SELECT 1 FROM (SELECT at FROM main.forgotten "
                                         "WHERE ref_hash = ?1 UNION ALL SELECT at FROM "
                                         "src.forgotten WHERE ref_hash = ?1) WHERE at >= "
                                         "(SELECT updated_at FROM src.attendees WHERE id = ?2)",
                                         err)
                         : NULL;
    char ref[KIOSK_REF_MAX * 2], hash[65];
    int rc, result = 0;
    if (!q) {
        sqlite3_finalize(st);
        return -1;
    }
    store_bind_text(st, 1, sid);
    store_bind_text(st, 2, sref);
    while (result == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_col_text(st, 0, ref, sizeof(ref));
        store_ref_hash(ref, hash);
        sqlite3_reset(q);
        store_bind_text(q, 1, hash);
        store_bind_text(q, 2, sid);
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            result = 1;
        else if (rc != SQLITE_DONE)
            result = store_fail(s, "reading erasures", err);
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(s, "reading references", err);
    sqlite3_finalize(q);
    sqlite3_finalize(st);
    return result;
}

/* Match, insert or combine one source attendee. */
static int merge_attendee(struct store *s, const char *sid, const char *sref, sqlite3_stmt *ids_st,
                          struct store_merge_stats *stats, struct err *err)
{
    char lid[KIOSK_ID_LEN] = "", lref[KIOSK_REF_MAX * 2] = "", wins[8];
    int r;
    sqlite3_stmt *st;

    r = query_text(s, "SELECT id FROM main.attendees WHERE ref = ?1", sref, NULL, lid, sizeof(lid),
                   err);
    if (r == 1)
        r = query_text(s, "SELECT id FROM main.attendees WHERE id = ?1", sid, NULL, lid,
                       sizeof(lid), err);
    if (r == 1)
        r = query_text(s,
                       "SELECT min(attendee_id) FROM main.attendee_refs WHERE ref = ?2 OR ref IN "
                       "(SELECT ref FROM src.attendee_refs WHERE attendee_id = ?1)",
                       sid, sref, lid, sizeof(lid), err);
    if (r < 0)
        return -1;
    if (r == 1) {
        /* Forgotten here or at the source: do not bring the person in. */
        int t = tombstoned(s, sid, sref, err);
        if (t < 0)
            return -1;
        if (t == 1) {
            stats->erased++;
            return 0;
        }
        if (copy_ids(s, ids_st, sid, sid, err) < 0)
            return -1;
        st = store_prepare(s,
                           "INSERT INTO main.attendees(id, ref, created_at, " ATT_FIELDS
                           ") SELECT id, ref, created_at, " ATT_FIELDS
                           " FROM src.attendees WHERE id = ?1",
                           err);
        if (!st)
            return -1;
        store_bind_text(st, 1, sid);
        if (store_step_done(s, st, &stats->attendees_new, "merging an attendee", err) < 0)
            return -1;
        return map_add(s, sid, sid, err);
    }
    stats->attendees_matched++;
    /* Latest wins; ties by kiosk_id, then column by column. */
    r = query_text(s,
                   "SELECT (" ATT_FIELDS_X ") > (" ATT_FIELDS_L ") FROM src.attendees x, "
                   "main.attendees l WHERE x.id = ?1 AND l.id = ?2",
                   sid, lid, wins, sizeof(wins), err);
    if (r < 0)
        return -1;
    if (r == 0 && strcmp(wins, "1") == 0) {
        st = store_prepare(s,
                           "UPDATE main.attendees SET (" ATT_FIELDS ") = (SELECT " ATT_FIELDS
                           " FROM src.attendees WHERE id = ?1) WHERE id = ?2",
                           err);
        if (!st)
            return -1;
        store_bind_text(st, 1, sid);
        store_bind_text(st, 2, lid);
        if (store_step_done(s, st, &stats->attendees_updated, "merging an attendee", err) < 0)
            return -1;
    }
    st = store_prepare(s,
                       "UPDATE main.attendees SET created_at = (SELECT x.created_at FROM "
                       "src.attendees x WHERE x.id = ?1) WHERE id = ?2 AND created_at > (SELECT "
                       "x.created_at FROM src.attendees x WHERE x.id = ?1)",
                       err);
    if (!st)
        return -1;
    store_bind_text(st, 1, sid);
    store_bind_text(st, 2, lid);
    if (store_step_done(s, st, NULL, "merging an attendee", err) < 0)
        return -1;
    if (strcmp(sid, lid) < 0) {
        /* The source's id is older: the attendee takes it, and its ref. */
        snprintf(lref, sizeof(lref), "%s", sref);
        if (rekey(s, lid, sid, lref, err) < 0)
            return -1;
        snprintf(lid, sizeof(lid), "%s", sid);
    }
    if (copy_ids(s, ids_st, sid, lid, err) < 0)
        return -1;
    return map_add(s, sid, lid, err);
}

/* The id a re-registered person gets when none of their copies was created
 * after the erasure (a kiosk that had not heard of it wrote to its old row
 * later): a UUIDv7 stamped at + 1 whose random part is taken from the
 * tombstone, so every kiosk derives the same one. */
static void derived_id(const char *hash, int64_t at, char out[KIOSK_ID_LEN])
{
    char seed[96], h[65];
    unsigned char r[10];
    snprintf(seed, sizeof(seed), "reregistered:%s:%lld", hash, (long long)at);
    sha256_hex(seed, strlen(seed), h);
    for (int i = 0; i < 10; i++) {
        unsigned v = 0;
        sscanf(h + 2 * (6 + i), "%2x", &v);
        r[i] = (unsigned char)v;
    }
    store_uuid7(out, at + 1, r);
}

/* Give one re-registered attendee (a tombstone at `at` hit it, it stayed)
 * its identity after the erasure: the smallest id and the earliest
 * created_at of its copies created after `at` (the older ones were pruned
 * from attendee_ids), or, with none, derived_id and at + 1. A function of
 * the tombstone and of the set of copies, so the same in every order. */
static int reidentify_one(struct store *s, const char *id, int64_t at, const char *hash,
                          struct err *err)
{
    char want[KIOSK_ID_LEN], ref[KIOSK_REF_MAX * 2], derived[KIOSK_ID_LEN];
    int64_t created = at + 1;
    sqlite3_stmt *st;
    int rc;

    derived_id(hash, at, derived);
    snprintf(want, sizeof(want), "%s", derived);
    /* The derived id is never a copy: a merge that inserted a row under it
     * had the trigger log it; forget that. */
    st = store_prepare(s, "DELETE FROM main.attendee_ids WHERE id = ?1", err);
    if (!st)
        return -1;
    store_bind_text(st, 1, derived);
    if (store_step_done(s, st, NULL, "merging an attendee", err) < 0)
        return -1;
    st = store_prepare(s,
                       "SELECT min(id), min(created_at) FROM main.attendee_ids WHERE "
                       "attendee_id = ?1",
                       err);
    if (!st)
        return -1;
    store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        store_col_text(st, 0, want, sizeof(want));
        created = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, "merging an attendee", err);
    if (strcmp(want, id) != 0) {
        int r = query_text(s, "SELECT ref FROM main.attendees WHERE id = ?1", id, NULL, ref,
                           sizeof(ref), err);
        if (r < 0)
            return -1;
        if (r == 1)
            return err_set(err, "merging: an attendee vanished while merging");
        if (rekey(s, id, want, ref, err) < 0)
            return -1;
    }
    st = store_prepare(s, "UPDATE main.attendees SET created_at = ?2 WHERE id = ?1", err);
    if (!st)
        return -1;
    store_bind_text(st, 1, want);
    sqlite3_bind_int64(st, 2, created);
    return store_step_done(s, st, NULL, "merging an attendee", err);
}

/* After store_privacy_apply_tombstones: reidentify every attendee a
 * tombstone hit that is still there. */
static int reidentify(struct store *s, struct err *err)
{
    sqlite3_stmt *st;
    int rc, result = -1;

    if (store_exec(s,
                   "DELETE FROM temp.tomb_hits WHERE attendee_id NOT IN (SELECT id FROM "
                   "main.attendees)",
                   err) < 0)
        return -1;
    /* tomb_hits is only read here; rekey changes the main tables. */
    st = store_prepare(s, "SELECT attendee_id, at, hash FROM temp.tomb_hits ORDER BY 1", err);
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char id[KIOSK_ID_LEN], hash[65];
        store_col_text(st, 0, id, sizeof(id));
        store_col_text(st, 2, hash, sizeof(hash));
        if (reidentify_one(s, id, sqlite3_column_int64(st, 1), hash, err) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        store_fail(s, "merging", err);
        goto out;
    }
    result = 0;
out:
    sqlite3_finalize(st);
    return result;
}

/* The row-by-row rules, as SQL over src.* joined to the attendee map. */
static const struct {
    const char *what;
    const char *sql;
    size_t stat; /* offset of the counter in struct store_merge_stats */
} table_rules[] = {
    {"erasures",
     "INSERT INTO main.forgotten(ref_hash, kiosk_id, at) SELECT ref_hash, kiosk_id, at FROM "
     "src.forgotten WHERE 1 ON CONFLICT(ref_hash) DO UPDATE SET kiosk_id = excluded.kiosk_id, "
     "at = excluded.at WHERE (excluded.at, excluded.kiosk_id) > (at, kiosk_id)",
     offsetof(struct store_merge_stats, tombstones)},
    {"references",
     "INSERT INTO main.attendee_refs(ref, attendee_id, kind) SELECT r.ref, m.local_id, r.kind "
     "FROM src.attendee_refs r JOIN temp.merge_map m ON m.src_id = r.attendee_id WHERE 1 "
     "ON CONFLICT(ref) DO UPDATE SET kind = max(kind, excluded.kind) "
     "WHERE attendee_id = excluded.attendee_id AND kind < excluded.kind",
     offsetof(struct store_merge_stats, refs)},
    {"scans",
     "INSERT INTO main.scans(id, kiosk_id, payload, format, attendee_id, mode, source, "
     "scanned_at) SELECT x.id, x.kiosk_id, x.payload, x.format, m.local_id, x.mode, x.source, "
     "x.scanned_at FROM src.scans x LEFT JOIN temp.merge_map m ON m.src_id = x.attendee_id "
     "WHERE (x.attendee_id IS NULL OR m.local_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM "
     "main.forgotten f WHERE f.ref_hash = kiosk_ref_hash(x.payload) AND f.at >= x.scanned_at) "
     "ON CONFLICT(id) DO NOTHING",
     offsetof(struct store_merge_stats, scans)},
    {"interactions",
     "INSERT INTO main.interactions(id, kiosk_id, kind, a_id, b_id, operator, consent_a_at, "
     "consent_b_at, consent_scope, consent_version, objectives, followup_choice, created_at, "
     "updated_at) SELECT x.id, x.kiosk_id, x.kind, ma.local_id, mb.local_id, x.operator, "
     "x.consent_a_at, x.consent_b_at, x.consent_scope, x.consent_version, x.objectives, "
     "x.followup_choice, x.created_at, x.updated_at FROM src.interactions x "
     "JOIN temp.merge_map ma ON ma.src_id = x.a_id "
     "LEFT JOIN temp.merge_map mb ON mb.src_id = x.b_id "
     "WHERE x.b_id IS NULL OR mb.local_id IS NOT NULL "
     "ON CONFLICT(id) DO UPDATE SET kiosk_id = excluded.kiosk_id, operator = excluded.operator, "
     "consent_a_at = excluded.consent_a_at, consent_b_at = excluded.consent_b_at, "
     "consent_scope = excluded.consent_scope, consent_version = excluded.consent_version, "
     "objectives = excluded.objectives, followup_choice = excluded.followup_choice, "
     "updated_at = excluded.updated_at WHERE "
     "(excluded.updated_at, excluded.kiosk_id, excluded.operator, "
     "ifnull(excluded.consent_a_at, -1), ifnull(excluded.consent_b_at, -1), "
     "excluded.consent_scope, excluded.consent_version, excluded.objectives, "
     "excluded.followup_choice) > (updated_at, kiosk_id, operator, ifnull(consent_a_at, -1), "
     "ifnull(consent_b_at, -1), consent_scope, consent_version, objectives, followup_choice)",
     offsetof(struct store_merge_stats, interactions)},
    {"leads",
     "INSERT INTO main.leads(interaction_id, kiosk_id, rating, tags, answers, updated_at) "
     "SELECT x.interaction_id, x.kiosk_id, x.rating, x.tags, x.answers, x.updated_at FROM "
     "src.leads x WHERE x.interaction_id IN (SELECT id FROM main.interactions) "
     "ON CONFLICT(interaction_id) DO UPDATE SET kiosk_id = excluded.kiosk_id, "
     "rating = excluded.rating, tags = excluded.tags, answers = excluded.answers, "
     "updated_at = excluded.updated_at WHERE (excluded.updated_at, excluded.kiosk_id, "
     "excluded.rating, excluded.tags, excluded.answers) > (updated_at, kiosk_id, rating, tags, "
     "answers)",
     offsetof(struct store_merge_stats, leads)},
    {"notes",
     "INSERT INTO main.notes(id, kiosk_id, interaction_id, author, body, created_at) "
     "SELECT x.id, x.kiosk_id, x.interaction_id, x.author, x.body, x.created_at FROM src.notes x "
     "WHERE x.interaction_id IN (SELECT id FROM main.interactions) ON CONFLICT(id) DO NOTHING",
     offsetof(struct store_merge_stats, notes)},
    {"follow-ups",
     "INSERT INTO main.followups(id, kiosk_id, interaction_id, owner_id, owner_name, contact_id, "
     "kind, due_at, meetings, status, created_at, updated_at) SELECT x.id, x.kiosk_id, "
     "x.interaction_id, mo.local_id, x.owner_name, mc.local_id, x.kind, x.due_at, x.meetings, "
     "x.status, x.created_at, x.updated_at "
     "FROM src.followups x LEFT JOIN temp.merge_map mo ON mo.src_id = x.owner_id "
     "JOIN temp.merge_map mc ON mc.src_id = x.contact_id "
     "WHERE (x.owner_id IS NULL OR mo.local_id IS NOT NULL) AND (x.interaction_id IS NULL OR "
     "x.interaction_id IN (SELECT id FROM main.interactions)) "
     "ON CONFLICT(id) DO UPDATE SET kiosk_id = excluded.kiosk_id, kind = excluded.kind, "
     "due_at = excluded.due_at, meetings = excluded.meetings, status = excluded.status, "
     "owner_name = excluded.owner_name, updated_at = excluded.updated_at "
     "WHERE (excluded.updated_at, excluded.kiosk_id, excluded.status, excluded.due_at, "
     "excluded.meetings, excluded.kind, excluded.owner_name) > (updated_at, kiosk_id, status, "
     "due_at, meetings, kind, owner_name)",
     offsetof(struct store_merge_stats, followups)},
    {"consent withdrawals",
     "INSERT INTO main.consent_withdrawals(attendee_id, kiosk_id, withdrawn_at) "
     "SELECT m.local_id, x.kiosk_id, x.withdrawn_at FROM src.consent_withdrawals x "
     "JOIN temp.merge_map m ON m.src_id = x.attendee_id WHERE 1 "
     "ON CONFLICT(attendee_id) DO UPDATE SET kiosk_id = excluded.kiosk_id, "
     "withdrawn_at = excluded.withdrawn_at WHERE (excluded.withdrawn_at, excluded.kiosk_id) > "
     "(withdrawn_at, kiosk_id)",
     offsetof(struct store_merge_stats, withdrawals)},
    {"the audit log",
     "INSERT INTO main.audit_log(id, kiosk_id, actor, action, detail, at) SELECT id, kiosk_id, "
     "actor, action, detail, at FROM src.audit_log WHERE 1 ON CONFLICT(id) DO NOTHING",
     offsetof(struct store_merge_stats, audit)},
};

/* SQL function kiosk_ref_hash(X): the tombstone hash of X as text, so an
 * unlinked scan of a forgotten badge is recognised without a C loop. */
static void sql_ref_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char hash[65], buf[KIOSK_PAYLOAD_MAX + 1];
    int n = sqlite3_value_bytes(argv[0]);
    const void *p = sqlite3_value_blob(argv[0]);
    (void)argc;
    if (!p || n <= 0 || n > KIOSK_PAYLOAD_MAX || memchr(p, 0, (size_t)n)) {
        sqlite3_result_null(ctx);
        return;
    }
    memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
    store_ref_hash(buf, hash);
    sqlite3_result_text(ctx, hash, 64, SQLITE_TRANSIENT);
}

static int merge_rows(struct store *s, struct store_merge_stats *stats, struct err *err)
{
    if (sqlite3_create_function(s->db, "kiosk_ref_hash", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                                sql_ref_hash, NULL, NULL) != SQLITE_OK)
        return store_fail(s, "merging", err);
    sqlite3_stmt *st, *ids_st;
    int rc;
    char what[96];

    if (store_exec(s,
                   "CREATE TEMP TABLE IF NOT EXISTS merge_map(src_id TEXT PRIMARY KEY, "
                   "local_id TEXT NOT NULL); DELETE FROM temp.merge_map;",
                   err) < 0)
        return -1;
    /* Attendees one by one, oldest id first (matching needs C logic). */
    ids_st = store_prepare(s, COPY_IDS_SQL, err);
    if (!ids_st)
        return -1;
    st = store_prepare(s, "SELECT id, ref FROM src.attendees ORDER BY id", err);
    if (!st) {
        sqlite3_finalize(ids_st);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char sid[KIOSK_ID_LEN], sref[KIOSK_REF_MAX * 2];
        store_col_text(st, 0, sid, sizeof(sid));
        store_col_text(st, 1, sref, sizeof(sref));
        if (merge_attendee(s, sid, sref, ids_st, stats, err) < 0) {
            sqlite3_finalize(st);
            sqlite3_finalize(ids_st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ids_st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "reading attendees to merge", err);
    for (size_t i = 0; i < sizeof(table_rules) / sizeof(table_rules[0]); i++) {
        long *counter = (long *)((char *)stats + table_rules[i].stat);
        snprintf(what, sizeof(what), "merging %s", table_rules[i].what);
        if (exec_count(s, table_rules[i].sql, counter, what, err) < 0)
            return -1;
    }
    return 0;
}

int store_merge(struct store *s, const char *src_path, int64_t now_ms,
                struct store_merge_stats *stats, struct err *err)
{
    struct store *src = NULL;
    struct stat a, b;
    char uri[3 * 1024 + 32], detail[KIOSK_MSG_MAX];
    sqlite3_stmt *st;
    int attached = 0, in_tx = 0, result = -1, app_id = 0, version = 0;
    struct err e = {{0}};

    memset(stats, 0, sizeof(*stats));
    if (s->readonly)
        return err_set(err, "the database is open read-only; cannot merge into it");
    if (stat(src_path, &a) != 0)
        return err_set(err, "%s: %s; nothing was merged", src_path, strerror(errno));
    if (stat(s->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return err_set(err, "%s is this kiosk's own database; nothing to merge", src_path);
    if (strlen(src_path) > 1024)
        return err_set(err, "path of the database to merge is too long");
    /* The same refusals as opening our own file, plus an integrity check. */
    if (store_open_readonly(&src, src_path, err) < 0) {
        /* The open's advice is about our own database; not this one. */
        char *advice = err ? strstr(err->msg, " Move it aside") : NULL;
        if (advice)
            snprintf(advice, sizeof(err->msg) - (size_t)(advice - err->msg),
                     " Nothing was merged.");
        return -1;
    }
    if (store_check(src, &e) < 0) {
        for (char *p = e.msg; *p; p++)
            if (*p == '\n')
                *p = ' ';
        e.msg[80] = '\0';
        store_close(src);
        return err_set(err, "%s is damaged (%s); it was not merged and was left untouched",
                       src_path, e.msg);
    }
    snprintf(stats->src_kiosk, sizeof(stats->src_kiosk), "%s", store_kiosk_id(src));
    store_close(src);

    if (make_uri(src_path, uri, sizeof(uri), err) < 0)
        return -1;
    st = store_prepare(s, "ATTACH DATABASE ?1 AS src", err);
    if (!st)
        return -1;
    store_bind_text(st, 1, uri);
    if (store_step_done(s, st, NULL, "opening the database to merge", err) < 0)
        return -1;
    attached = 1;
    /* Check again what is attached: the file could have changed since. */
    st = store_prepare(s, "PRAGMA src.application_id", err);
    if (!st)
        goto out;
    if (sqlite3_step(st) == SQLITE_ROW)
        app_id = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = store_prepare(s, "PRAGMA src.user_version", err);
    if (!st)
        goto out;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (app_id != STORE_APP_ID || version != STORE_SCHEMA_VERSION) {
        err_set(err,
                "%s changed while merging and is no longer a kiosk database of schema %d; "
                "nothing was merged",
                src_path, STORE_SCHEMA_VERSION);
        goto out;
    }
    /* Erasures during the merge must not leave bytes in free pages. */
    if (store_exec(s, "PRAGMA secure_delete = ON", err) < 0 ||
        store_exec(s, "BEGIN IMMEDIATE", err) < 0)
        goto out;
    in_tx = 1;
    /* Attendee ids change mid-merge; check the foreign keys at COMMIT. */
    if (store_exec(s, "PRAGMA defer_foreign_keys = ON", err) < 0 || merge_rows(s, stats, err) < 0)
        goto out;
    if (store_privacy_apply(s, err) < 0 ||
        store_privacy_apply_tombstones(s, now_ms, &stats->erased, err) < 0 ||
        reidentify(s, err) < 0 ||
        exec_count(s,
                   "DELETE FROM main.scans WHERE attendee_id IS NULL AND EXISTS (SELECT 1 FROM "
                   "main.forgotten f WHERE f.ref_hash = kiosk_ref_hash(payload) AND f.at >= "
                   "scanned_at)",
                   NULL, "erasing scans of forgotten badges", err) < 0)
        goto out;
    snprintf(detail, sizeof(detail),
             "from %.63s: %ld new attendees, %ld scans, %ld interactions, %ld notes",
             stats->src_kiosk, stats->attendees_new, stats->scans, stats->interactions,
             stats->notes);
    if (store_audit(s, "merge", "merge", detail, now_ms, err) < 0)
        goto out;
    if (store_exec(s, "COMMIT", err) < 0)
        goto out;
    in_tx = 0;
    result = 0;
out:
    if (in_tx)
        store_rollback(s);
    if (attached)
        sqlite3_exec(s->db, "DETACH DATABASE src", NULL, NULL, NULL);
    return result;
}

int store_snapshot(struct store *s, const char *path, struct err *err)
{
    sqlite3_stmt *st;
    int fd;
    /* Create it ourselves: 0600 from the first byte, and never over an
     * existing file. VACUUM INTO accepts an empty file. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(err, "cannot create %s: %s", path, strerror(errno));
    close(fd);
    st = store_prepare(s, "VACUUM INTO ?1", err);
    if (st)
        store_bind_text(st, 1, path);
    if (!st || store_step_done(s, st, NULL, "writing the snapshot", err) < 0) {
        unlink(path);
        return -1;
    }
    return 0;
}
