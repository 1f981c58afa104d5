/*
 * store_roster.c - bulk upsert of roster attendees in one transaction.
 *
 * Owns: the import transaction, its prepared statements (made once, reset
 * per row), two TEMP tables that remember this import's primary refs (to
 * catch duplicates) and secondary refs (to drop ambiguous ones at the end).
 * The attendee upsert has the same rules as store_attendee_upsert (empty
 * incoming fields keep stored ones); it is repeated here only so that its
 * statement is prepared once rather than per row.
 * A row's primary reference outranks another row's secondary one in the
 * same file (row 1 "A1, order X1", row 2 "X1"): row 2 is its own attendee
 * and X1 finds it, rather than row 2 overwriting row 1's attendee.
 * Never: commits a partial import, reads the clock, moves another
 * attendee's primary reference.
 */
#include "store_roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"
#include "store_internal.h"

enum {
    ST_SEEN,      /* remember a primary ref of this import */
    ST_SEEN_LINE, /* where a duplicate was first seen */
    ST_FIND,      /* attendee id by any reference, except a secondary one this
                     import wrote (a row's own ticket is not another row's order) */
    ST_UPSERT,    /* the attendee row */
    ST_PRIMARY,   /* its primary ref */
    ST_REF,       /* a secondary ref */
    ST_SECONDARY, /* remember a secondary ref for the ambiguity pass */
    ST_COUNT
};

static const char *const sql[ST_COUNT] = {
    "INSERT INTO temp.roster_primary(ref, line) VALUES (?1, ?2) ON CONFLICT(ref) DO NOTHING",
    "SELECT line FROM temp.roster_primary WHERE ref = ?1",
    "SELECT attendee_id FROM attendee_refs WHERE ref = ?1 AND (kind = 'primary' OR ref NOT IN "
    "(SELECT ref FROM temp.roster_secondary))",
    "INSERT INTO attendees(id, kiosk_id, ref, display_name, given_name, family_name, org, "
    "title, emails, phones, url, note, pitch, objectives, badge_format, source, created_at, "
    "updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,'','','roster','roster',?13,?13) "
    "ON CONFLICT(id) DO UPDATE SET " STORE_ATTENDEE_KEEP_FIELDS "updated_at = excluded.updated_at",
    "INSERT INTO attendee_refs(ref, attendee_id, kind) VALUES (?1, ?2, 'primary') "
    "ON CONFLICT(ref) DO UPDATE SET attendee_id = excluded.attendee_id, kind = 'primary' "
    "WHERE attendee_refs.kind <> 'primary'",
    "INSERT INTO attendee_refs(ref, attendee_id, kind) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(ref) DO UPDATE SET attendee_id = excluded.attendee_id, kind = excluded.kind "
    "WHERE attendee_refs.kind <> 'primary'",
    "INSERT INTO temp.roster_secondary(ref, attendee_id) VALUES (?1, ?2)",
};

struct store_roster {
    struct store *s;
    int64_t now_ms;
    sqlite3_stmt *st[ST_COUNT];
    struct store_roster_stats stats;
};

static void release(struct store_roster *r)
{
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(r->st[i]);
    sqlite3_exec(r->s->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
    free(r);
}

void store_roster_abort(struct store_roster *r)
{
    if (!r)
        return;
    store_rollback(r->s);
    release(r);
}

int store_roster_begin(struct store *s, int64_t now_ms, struct store_roster **out, struct err *err)
{
    struct store_roster *r;
    *out = NULL;
    if (s->readonly)
        return err_set(err, "the database is open read-only");
    r = calloc(1, sizeof(*r));
    if (!r)
        return err_set(err, "out of memory");
    r->s = s;
    r->now_ms = now_ms;
    if (store_begin(s, err) < 0) {
        free(r);
        return -1;
    }
    /* A big import touches many pages: give it a large page cache (so the
     * transaction does not spill to the WAL midway) and keep the TEMP
     * bookkeeping in memory. Restored by release(). */
    if (store_exec(s, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY", err) < 0)
        goto fail;
    if (store_exec(s,
                   "CREATE TEMP TABLE IF NOT EXISTS roster_primary(ref TEXT PRIMARY KEY, "
                   "line INTEGER NOT NULL);"
                   "CREATE TEMP TABLE IF NOT EXISTS roster_secondary(ref TEXT NOT NULL, "
                   "attendee_id TEXT NOT NULL);"
                   "DELETE FROM temp.roster_primary; DELETE FROM temp.roster_secondary;",
                   err) < 0)
        goto fail;
    for (int i = 0; i < ST_COUNT; i++) {
        r->st[i] = store_prepare(s, sql[i], err);
        if (!r->st[i])
            goto fail;
    }
    *out = r;
    return 0;
fail:
    store_roster_abort(r);
    return -1;
}

/* Reset and unbind a reused statement for the next row. */
static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int store_roster_put(struct store_roster *r, const struct contact *c, const char *const *refs,
                     const char *const *kinds, int nrefs, long line, long *dup_line,
                     struct err *err)
{
    struct store *s = r->s;
    sqlite3_stmt *st;
    char id[KIOSK_ID_LEN];
    int rc, found;

    if (!c->ref[0])
        return err_set(err, "an attendee needs a reference");

    /* Duplicate primary reference within this file? */
    st = r->st[ST_SEEN];
    store_bind_text(st, 1, c->ref);
    sqlite3_bind_int64(st, 2, line);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "roster import", err);
    if (sqlite3_changes(s->db) == 0) {
        st = r->st[ST_SEEN_LINE];
        store_bind_text(st, 1, c->ref);
        if (sqlite3_step(st) == SQLITE_ROW && dup_line)
            *dup_line = sqlite3_column_int64(st, 0);
        done(st);
        return 1;
    }

    st = r->st[ST_FIND];
    store_bind_text(st, 1, c->ref);
    rc = sqlite3_step(st);
    found = rc == SQLITE_ROW;
    if (found)
        store_col_text(st, 0, id, sizeof(id));
    done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, "roster import", err);
    if (!found)
        store_new_id(id, r->now_ms);

    st = r->st[ST_UPSERT];
    store_bind_attendee(st, id, s->kiosk_id, c);
    sqlite3_bind_int64(st, 13, r->now_ms);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "saving a roster attendee", err);

    if (!found) {
        st = r->st[ST_PRIMARY];
        store_bind_text(st, 1, c->ref);
        store_bind_text(st, 2, id);
        rc = sqlite3_step(st);
        done(st);
        if (rc != SQLITE_DONE)
            return store_fail(s, "saving a roster reference", err);
        r->stats.inserted++;
    } else {
        r->stats.updated++;
    }

    for (int i = 0; i < nrefs; i++) {
        if (!refs[i] || !refs[i][0] || strcmp(refs[i], c->ref) == 0)
            continue;
        st = r->st[ST_REF];
        store_bind_text(st, 1, refs[i]);
        store_bind_text(st, 2, id);
        store_bind_text(st, 3, kinds && kinds[i] ? kinds[i] : "ref");
        rc = sqlite3_step(st);
        done(st);
        if (rc != SQLITE_DONE)
            return store_fail(s, "saving a roster reference", err);
        st = r->st[ST_SECONDARY];
        store_bind_text(st, 1, refs[i]);
        store_bind_text(st, 2, id);
        rc = sqlite3_step(st);
        done(st);
        if (rc != SQLITE_DONE)
            return store_fail(s, "roster import", err);
        r->stats.refs++;
    }
    r->stats.rows++;
    return 0;
}

int store_roster_finish(struct store_roster *r, struct store_roster_stats *stats, struct err *err)
{
    struct store *s = r->s;
    /* A reference shared by several attendees of this import (one order
     * code for a group, a buyer's e-mail on every ticket) would look up the
     * wrong person: keep it off the lookup table. */
    if (store_exec(s,
                   "DELETE FROM attendee_refs WHERE kind <> 'primary' AND ref IN (SELECT ref "
                   "FROM temp.roster_secondary GROUP BY ref HAVING count(DISTINCT attendee_id) "
                   "> 1)",
                   err) < 0)
        goto fail;
    r->stats.ambiguous = sqlite3_changes(s->db);
    if (store_exec(s, "DELETE FROM temp.roster_primary; DELETE FROM temp.roster_secondary", err) <
        0)
        goto fail;
    for (int i = 0; i < ST_COUNT; i++) {
        sqlite3_finalize(r->st[i]);
        r->st[i] = NULL;
    }
    if (store_commit(s, err) < 0) {
        release(r);
        return -1;
    }
    if (stats)
        *stats = r->stats;
    release(r);
    return 0;
fail:
    store_roster_abort(r);
    return -1;
}

/* ------------------------------------------------------- whole import */

int store_roster_import(struct store *s, csv_read_fn read, void *read_ctx, char delim,
                        const char *const *overrides, int noverrides, int64_t now_ms,
                        store_roster_bad_fn bad_row, void *bad_ctx,
                        struct store_roster_stats *stats, char *mapping, size_t mapping_size,
                        struct err *err)
{
    struct csv *csv = NULL;
    struct store_roster *r = NULL;
    struct roster_map *map = NULL;
    char(*header)[128] = NULL;
    const char *hdr[KIOSK_CSV_FIELDS_MAX], *fields[KIOSK_CSV_FIELDS_MAX];
    struct err row_err;
    long bad = 0, rows = 0;
    int result = -1, ncols;
    enum csv_result cr;

    if (mapping && mapping_size > 0)
        mapping[0] = '\0';
    if (stats)
        memset(stats, 0, sizeof(*stats));
    map = calloc(1, sizeof(*map));
    header = calloc(KIOSK_CSV_FIELDS_MAX, sizeof(*header));
    csv = csv_new(read, read_ctx, delim, err);
    if (!map || !header || !csv) {
        if (csv)
            err_set(err, "out of memory");
        goto out;
    }

    /* The header row: skip nothing; a bad header is fatal. */
    cr = csv_next(csv, &row_err);
    if (cr == CSV_EOF) {
        err_set(err, "the file is empty (no header row)");
        goto out;
    }
    if (cr != CSV_ROW) {
        err_set(err, "line %ld: %s", csv_line(csv), row_err.msg);
        goto out;
    }
    ncols = csv_nfields(csv);
    for (int i = 0; i < ncols; i++) {
        /* Header cells are names: keep a bounded copy (longer ones cannot
         * match a known name anyway), cut between characters so a long
         * non-ASCII question column does not read as invalid UTF-8. */
        const char *cell = csv_field(csv, i);
        size_t n = strlen(cell);
        if (n >= sizeof(header[i])) {
            n = sizeof(header[i]) - 1;
            while (n > 0 && ((unsigned char)cell[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(header[i], cell, n);
        header[i][n] = '\0';
        hdr[i] = header[i];
    }
    if (roster_map_header(map, hdr, ncols, overrides, noverrides, err) < 0)
        goto out;
    if (mapping)
        roster_map_describe(map, hdr, mapping, mapping_size);

    if (store_roster_begin(s, now_ms, &r, err) < 0)
        goto out;
    for (;;) {
        struct contact c;
        struct roster_refs refs;
        const char *extra[3];
        static const char *const kinds[3] = {"order", "pseudonym", "email"};
        long dup = 0;
        int put;

        cr = csv_next(csv, &row_err);
        if (cr == CSV_EOF)
            break;
        if (cr == CSV_ERROR) {
            err_set(err, "line %ld: %s", csv_line(csv), row_err.msg);
            goto out;
        }
        if (++rows > KIOSK_ROSTER_ROWS_MAX) {
            err_set(err, "more than %d rows; split the file", KIOSK_ROSTER_ROWS_MAX);
            goto out;
        }
        if (cr == CSV_BAD) {
            bad++;
            if (bad_row)
                bad_row(bad_ctx, csv_line(csv), row_err.msg);
            continue;
        }
        for (int i = 0; i < csv_nfields(csv); i++)
            fields[i] = csv_field(csv, i);
        if (roster_row(map, fields, csv_nfields(csv), &c, &refs, &row_err) < 0) {
            bad++;
            if (bad_row)
                bad_row(bad_ctx, csv_line(csv), row_err.msg);
            continue;
        }
        extra[0] = refs.order;
        extra[1] = refs.pseudo;
        extra[2] = c.n_emails > 0 ? c.emails[0] : "";
        put = store_roster_put(r, &c, extra, kinds, 3, csv_line(csv), &dup, err);
        if (put < 0)
            goto out;
        if (put == 1) {
            char msg[KIOSK_MSG_MAX];
            bad++;
            snprintf(msg, sizeof(msg), "reference \"%.64s\" already on line %ld", c.ref, dup);
            if (bad_row)
                bad_row(bad_ctx, csv_line(csv), msg);
        }
    }
    if (bad > 0) {
        err_set(err, "%ld bad row%s; nothing was imported", bad, bad == 1 ? "" : "s");
        goto out;
    }
    result = store_roster_finish(r, stats, err);
    r = NULL;
out:
    store_roster_abort(r);
    csv_free(csv);
    free(header);
    free(map);
    return result;
}
