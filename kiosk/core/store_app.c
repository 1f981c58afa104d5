/*
 * store_app.c - queries for the kiosk screens (lead history, connections,
 * admin counts).
 *
 * Owns no schema: reads and deletes rows of the tables store.c creates.
 * Never reads the clock; never returns success before a write committed.
 */
#include "store_app.h"

#include <stdio.h>
#include <string.h>

#include "store_internal.h"
#include "utf8.h"

/* Column i into buf, whole: -1 (buf "") when it does not fit. */
static int col_text_whole(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    buf[0] = '\0';
    if (n >= size)
        return -1;
    if (t)
        memcpy(buf, t, n + 1);
    return 0;
}

/* Column i into buf for display: whole, or cut between UTF-8 characters
 * when longer than buf (rows another build or kiosk wrote). */
static void col_text_shown(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    size_t n, k;
    store_col_text(st, i, buf, size);
    n = strlen(buf);
    k = n;
    while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && utf8_seq((const unsigned char *)buf + k - 1, n - (k - 1)) == 0)
        buf[k - 1] = '\0';
}

int store_app_lead_find(struct store *s, const char *attendee_id, char interaction_id[KIOSK_ID_LEN],
                        int *rating, char *tags, size_t tags_size, char *answers,
                        size_t answers_size, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT i.id, coalesce(l.rating, 0), coalesce(l.tags, ''), coalesce(l.answers, '{}') "
        "FROM interactions i LEFT JOIN leads l ON l.interaction_id = i.id "
        "WHERE i.kind = 'lead' AND i.a_id = ?1 AND i.kiosk_id = ?2 "
        "ORDER BY i.created_at DESC LIMIT 1",
        err);
    int rc, result;
    if (!st)
        return -1;
    store_bind_text(st, 1, attendee_id);
    store_bind_text(st, 2, s->kiosk_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        /* A lead cut on reading would be saved back cut: refuse instead. */
        store_col_text(st, 0, interaction_id, KIOSK_ID_LEN);
        *rating = sqlite3_column_int(st, 1);
        if (col_text_whole(st, 2, tags, tags_size) < 0)
            result = err_set(err, "the lead's tags are longer than %zu bytes", tags_size - 1);
        else if (col_text_whole(st, 3, answers, answers_size) < 0)
            result = err_set(err, "the lead's answers are longer than %zu bytes",
                             answers_size - 1);
        else
            result = 0;
        if (result < 0)
            interaction_id[0] = '\0';
    } else if (rc == SQLITE_DONE) {
        result = 1;
    } else {
        result = store_fail(s, "reading a lead", err);
    }
    sqlite3_finalize(st);
    return result;
}

int store_app_notes(struct store *s, const char *interaction_id, struct store_app_note *out,
                    int max, int *n, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT created_at, body FROM notes WHERE interaction_id = "
                                     "?1 ORDER BY created_at DESC, id DESC LIMIT ?2",
                                     err);
    int rc;
    *n = 0;
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    sqlite3_bind_int(st, 2, max);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        out[*n].at = sqlite3_column_int64(st, 0);
        col_text_shown(st, 1, out[*n].body, sizeof(out[*n].body));
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(s, "reading notes", err);
    return 0;
}

int store_app_connections(struct store *s, const char *attendee_id, int64_t since_ms,
                          struct store_app_conn *out, int max, int *n, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT i.id, CASE WHEN o.display_name != '' THEN o.display_name "
        "  WHEN trim(o.given_name || ' ' || o.family_name) != '' "
        "  THEN trim(o.given_name || ' ' || o.family_name) ELSE o.org END, o.org, i.created_at "
        "FROM interactions i JOIN attendees o "
        "  ON o.id = CASE WHEN i.a_id = ?1 THEN i.b_id ELSE i.a_id END "
        "WHERE i.kind = 'handshake' AND (i.a_id = ?1 OR i.b_id = ?1) AND i.created_at >= ?2 "
        "  AND i.consent_a_at IS NOT NULL AND i.consent_b_at IS NOT NULL "
        "ORDER BY i.created_at DESC LIMIT ?3",
        err);
    int rc;
    *n = 0;
    if (!st)
        return -1;
    store_bind_text(st, 1, attendee_id);
    sqlite3_bind_int64(st, 2, since_ms);
    sqlite3_bind_int(st, 3, max);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        struct store_app_conn *c = &out[*n];
        store_col_text(st, 0, c->interaction_id, sizeof(c->interaction_id));
        col_text_shown(st, 1, c->name, sizeof(c->name));
        col_text_shown(st, 2, c->org, sizeof(c->org));
        c->at = sqlite3_column_int64(st, 3);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(s, "reading connections", err);
    return 0;
}

int store_app_scans_per_hour(struct store *s, int64_t end_ms, int hours, long *counts,
                             struct err *err)
{
    const int64_t hour = 3600 * 1000;
    int64_t top = (end_ms / hour + 1) * hour, start = top - (int64_t)hours * hour;
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT (scanned_at - ?1) / 3600000, count(*) FROM scans "
                                     "WHERE scanned_at >= ?1 AND scanned_at < ?2 GROUP BY 1",
                                     err);
    int rc;
    for (int i = 0; i < hours; i++)
        counts[i] = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, start);
    sqlite3_bind_int64(st, 2, top);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t b = sqlite3_column_int64(st, 0);
        if (b >= 0 && b < hours)
            counts[b] = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "counting scans", err);
    return 0;
}

static long count_one(struct store *s, const char *sql, const char *arg)
{
    sqlite3_stmt *st = store_prepare(s, sql, NULL);
    long v = -1;
    if (!st)
        return -1;
    if (arg)
        store_bind_text(st, 1, arg);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

long store_app_count_kind(struct store *s, const char *kind)
{
    return count_one(s, "SELECT count(*) FROM interactions WHERE kind = ?1", kind);
}

long store_app_count_roster(struct store *s)
{
    return count_one(s, "SELECT count(*) FROM attendees WHERE source = 'roster'", NULL);
}
