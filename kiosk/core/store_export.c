/*
 * store_export.c - the queries behind every export, streamed row by row.
 *
 * Owns: the definition of "consented" for exports (see store_export.h) and
 * the SELECTs that walk consented rows in capture order. One statement per
 * walk, stepped one row at a time: memory stays constant whatever the size
 * of the database. Never writes; never formats output (export.c does).
 * Start at store_export_rows().
 */
#include "store_export.h"

#include <stdio.h>
#include <string.h>

#include "store_internal.h"

/* Bind the filter as ?1 = since, ?2 = interaction kind or NULL. */
static int bind_filter(sqlite3_stmt *st, const struct store_export_filter *f, struct err *err)
{
    const char *kind = NULL;
    if (f && f->mode && f->mode[0]) {
        if (strcmp(f->mode, "booth") == 0 || strcmp(f->mode, "lead") == 0)
            kind = "lead";
        else if (strcmp(f->mode, "handshake") == 0)
            kind = "handshake";
        else
            return err_set(err, "unknown mode \"%s\" (handshake or booth)", f->mode);
    }
    sqlite3_bind_int64(st, 1, f ? f->since_ms : 0);
    store_bind_text(st, 2, kind);
    return 0;
}

/* store_prepare + bind_filter; NULL with err set on failure. */
static sqlite3_stmt *prepare_filtered(struct store *s, const char *sql,
                                      const struct store_export_filter *f, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    if (st && bind_filter(st, f, err) < 0) {
        sqlite3_finalize(st);
        st = NULL;
    }
    return st;
}

/* End of a walk: rc is the last sqlite3_step code, stop what the callback
 * returned. Finalizes st; returns stop, or -1 with err when the step
 * failed. */
static int walk_end(struct store *s, sqlite3_stmt *st, int rc, int stop, const char *what,
                    struct err *err)
{
    if (!stop && rc != SQLITE_DONE)
        stop = store_fail(s, what, err);
    sqlite3_finalize(st);
    return stop;
}

static const char *col_str(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* Split a newline-separated list column into a contact list field,
 * skipping entries longer than the field (stored data broke a limit). */
static void col_list(sqlite3_stmt *st, int i, char *list, int *n, int max, size_t width)
{
    const char *p = col_str(st, i);
    *n = 0;
    while (*p && *n < max) {
        size_t len = strcspn(p, "\n");
        if (len > 0 && len < width) {
            memcpy(list + (size_t)*n * width, p, len);
            list[(size_t)*n * width + len] = '\0';
            (*n)++;
        }
        p += len;
        if (*p == '\n')
            p++;
    }
}

/* Attendee columns starting at i: ref, display, given, family, org, title,
 * emails, phones, url, badge_format. */
#define CONTACT_COLS                                                                               \
    "a.ref, a.display_name, a.given_name, a.family_name, a.org, a.title, a.emails, a.phones, "     \
    "a.url, a.badge_format"

static void col_contact(sqlite3_stmt *st, int i, struct contact *c)
{
    contact_clear(c);
    store_col_text(st, i, c->ref, sizeof(c->ref));
    store_col_text(st, i + 1, c->display_name, sizeof(c->display_name));
    store_col_text(st, i + 2, c->given_name, sizeof(c->given_name));
    store_col_text(st, i + 3, c->family_name, sizeof(c->family_name));
    store_col_text(st, i + 4, c->org, sizeof(c->org));
    store_col_text(st, i + 5, c->title, sizeof(c->title));
    col_list(st, i + 6, &c->emails[0][0], &c->n_emails, KIOSK_EMAILS_MAX, KIOSK_EMAIL_MAX);
    col_list(st, i + 7, &c->phones[0][0], &c->n_phones, KIOSK_PHONES_MAX, KIOSK_PHONE_MAX);
    store_col_text(st, i + 8, c->url, sizeof(c->url));
    store_col_text(st, i + 9, c->format, sizeof(c->format));
}

/*
 * One row per consented interaction side. The two sides of a handshake come
 * from joining a two-row constant table; CROSS JOIN keeps interactions as
 * the outer loop, so the walk follows the created_at index (sides of one
 * interaction adjacent) and the result is never sorted as a whole.
 */
#define SIDES_SQL_FROM                                                                             \
    "FROM interactions i CROSS JOIN (SELECT 0 AS side UNION ALL SELECT 1 AS side) x "
#define SIDES_SQL_WHERE                                                                            \
    "WHERE (x.side = 0 OR i.kind = 'handshake') AND i.created_at >= ?1 AND "                       \
    "(?2 IS NULL OR i.kind = ?2) AND "                                                             \
    "(CASE x.side WHEN 0 THEN i.consent_a_at ELSE i.consent_b_at END) IS NOT NULL "
#define SIDES_SQL SIDES_SQL_FROM SIDES_SQL_WHERE

long store_export_count(struct store *s, const struct store_export_filter *f, struct err *err)
{
    long n = -1;
    sqlite3_stmt *st = store_prepare(s, "SELECT count(*) " SIDES_SQL, err);
    if (!st)
        return -1;
    if (bind_filter(st, f, err) < 0)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) {
        store_fail(s, "counting rows to export", err);
        goto out;
    }
    n = (long)sqlite3_column_int64(st, 0);
out:
    sqlite3_finalize(st);
    return n;
}

int store_export_rows(struct store *s, const struct store_export_filter *f,
                      int (*fn)(void *ctx, const struct store_export_row *r), void *ctx,
                      struct err *err)
{
    /* Columns of the other side: partner id and consent (NULL for leads). */
#define OTHER_ID "(CASE x.side WHEN 0 THEN i.b_id ELSE i.a_id END)"
#define OTHER_AT "(CASE x.side WHEN 0 THEN i.consent_b_at ELSE i.consent_a_at END)"
    static const char sql[] =
        "SELECT i.id, i.kind, i.created_at, i.kiosk_id, i.operator, a.id, "
        " CASE x.side WHEN 0 THEN i.consent_a_at ELSE i.consent_b_at END, " OTHER_AT ", "
        " i.consent_scope, i.consent_version, i.followup_choice, "
        " l.interaction_id IS NOT NULL, coalesce(l.rating, 0), coalesce(l.tags, ''), "
        " CASE WHEN l.answers IS NOT NULL AND json_valid(l.answers) THEN l.answers ELSE '' END, "
        " coalesce((SELECT group_concat(body, char(10)) FROM (SELECT body FROM notes n "
        "   WHERE n.interaction_id = i.id ORDER BY n.created_at)), ''), "
        " (SELECT f.due_at || ' ' || f.status FROM followups f WHERE f.contact_id = a.id AND "
        "   f.owner_id IS (CASE WHEN i.kind = 'lead' THEN NULL ELSE " OTHER_ID " END) AND "
        "   f.owner_name = (CASE WHEN i.kind = 'lead' THEN i.operator ELSE '' END) "
        "   ORDER BY f.created_at DESC LIMIT 1), "
        " (SELECT count(*) FROM interactions j WHERE j.a_id = a.id) + "
        " (SELECT count(*) FROM interactions j WHERE j.b_id = a.id), "
        " CASE WHEN " OTHER_AT " IS NOT NULL THEN o.ref ELSE '' END, " CONTACT_COLS
        " " SIDES_SQL_FROM
        "JOIN attendees a ON a.id = (CASE x.side WHEN 0 THEN i.a_id ELSE i.b_id END) "
        "LEFT JOIN attendees o ON o.id = " OTHER_ID " "
        "LEFT JOIN leads l ON l.interaction_id = i.id " SIDES_SQL_WHERE;
#undef OTHER_ID
#undef OTHER_AT
    struct store_export_row r;
    sqlite3_stmt *st = prepare_filtered(s, sql, f, err);
    int rc, stop = 0;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *fu;
        memset(&r, 0, sizeof(r));
        store_col_text(st, 0, r.interaction_id, sizeof(r.interaction_id));
        store_col_text(st, 1, r.kind, sizeof(r.kind));
        snprintf(r.mode, sizeof(r.mode), "%s", strcmp(r.kind, "lead") == 0 ? "booth" : r.kind);
        r.captured_at = sqlite3_column_int64(st, 2);
        store_col_text(st, 3, r.kiosk_id, sizeof(r.kiosk_id));
        store_col_text(st, 4, r.operator_name, sizeof(r.operator_name));
        store_col_text(st, 5, r.contact_id, sizeof(r.contact_id));
        r.consent_at = sqlite3_column_int64(st, 6);
        store_col_text(st, 8, r.consent_scope, sizeof(r.consent_scope));
        store_col_text(st, 9, r.consent_version, sizeof(r.consent_version));
        store_col_text(st, 10, r.followup_choice, sizeof(r.followup_choice));
        r.has_lead = sqlite3_column_int(st, 11);
        r.rating = sqlite3_column_int(st, 12);
        r.tags = col_str(st, 13);
        r.answers = col_str(st, 14);
        r.notes = col_str(st, 15);
        fu = (const char *)sqlite3_column_text(st, 16);
        if (fu) {
            long long due = 0;
            char status[16] = "";
            if (sscanf(fu, "%lld %15s", &due, status) == 2) {
                r.followup_due = (int64_t)due;
                snprintf(r.followup_status, sizeof(r.followup_status), "%s", status);
            }
        }
        r.interaction_count = (long)sqlite3_column_int64(st, 17);
        store_col_text(st, 18, r.met_with_ref, sizeof(r.met_with_ref));
        col_contact(st, 19, &r.c);
        stop = fn(ctx, &r);
        if (stop)
            break;
    }
    return walk_end(s, st, rc, stop, "reading rows to export", err);
}

int store_export_contacts(struct store *s, const struct store_export_filter *f,
                          int (*fn)(void *ctx, const struct store_export_contact *c), void *ctx,
                          struct err *err)
{
    /* Per attendee, aggregate over its consented sides; attendees without
     * one never reach the outer query's output. */
    static const char sql[] =
        "SELECT a.id, a.source, y.first, y.last, y.n, "
        " coalesce((SELECT group_concat(body, char(10)) FROM (SELECT n.body FROM notes n JOIN "
        "   interactions i ON i.id = n.interaction_id WHERE n.interaction_id IN (SELECT iid FROM "
        "   (SELECT i.id AS iid FROM interactions i WHERE i.a_id = a.id AND i.consent_a_at IS NOT "
        "   NULL AND i.created_at >= ?1 AND (?2 IS NULL OR i.kind = ?2) UNION SELECT i.id FROM "
        "   interactions i WHERE i.b_id = a.id AND i.consent_b_at IS NOT NULL AND i.created_at "
        "   >= ?1 AND (?2 IS NULL OR i.kind = ?2))) ORDER BY n.created_at, n.id)), "
        "''), " CONTACT_COLS " "
        "FROM (SELECT cid, min(at) AS first, max(at) AS last, count(*) AS n FROM ("
        "  SELECT i.a_id AS cid, i.created_at AS at FROM interactions i WHERE "
        "   i.consent_a_at IS NOT NULL AND i.created_at >= ?1 AND (?2 IS NULL OR i.kind = ?2) "
        "  UNION ALL SELECT i.b_id, i.created_at FROM interactions i WHERE i.kind = 'handshake' "
        "   AND i.consent_b_at IS NOT NULL AND i.created_at >= ?1 AND (?2 IS NULL OR i.kind = ?2)"
        " ) GROUP BY cid) y JOIN attendees a ON a.id = y.cid ORDER BY y.first, a.id";
    struct store_export_contact c;
    sqlite3_stmt *st = prepare_filtered(s, sql, f, err);
    int rc, stop = 0;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&c, 0, sizeof(c));
        store_col_text(st, 0, c.id, sizeof(c.id));
        store_col_text(st, 1, c.source, sizeof(c.source));
        c.first_met = sqlite3_column_int64(st, 2);
        c.last_met = sqlite3_column_int64(st, 3);
        c.meetings = (long)sqlite3_column_int64(st, 4);
        c.notes = col_str(st, 5);
        col_contact(st, 6, &c.c);
        stop = fn(ctx, &c);
        if (stop)
            break;
    }
    return walk_end(s, st, rc, stop, "reading contacts to export", err);
}

int store_export_interactions(struct store *s, const struct store_export_filter *f,
                              int (*fn)(void *ctx, const struct store_export_interaction *it),
                              void *ctx, struct err *err)
{
    static const char sql[] =
        "SELECT i.id, i.kind, i.created_at, i.kiosk_id, i.operator, "
        " CASE WHEN i.consent_a_at IS NOT NULL THEN i.a_id ELSE '' END, "
        " CASE WHEN i.consent_b_at IS NOT NULL THEN coalesce(i.b_id, '') ELSE '' END, "
        " i.followup_choice, l.interaction_id IS NOT NULL, coalesce(l.rating, 0), "
        " coalesce(l.tags, ''), "
        " CASE WHEN l.answers IS NOT NULL AND json_valid(l.answers) THEN l.answers ELSE '' END "
        "FROM interactions i LEFT JOIN leads l ON l.interaction_id = i.id "
        "WHERE i.created_at >= ?1 AND (?2 IS NULL OR i.kind = ?2) AND "
        " (i.consent_a_at IS NOT NULL OR i.consent_b_at IS NOT NULL) "
        "ORDER BY i.created_at";
    struct store_export_interaction it;
    sqlite3_stmt *st = prepare_filtered(s, sql, f, err);
    int rc, stop = 0;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&it, 0, sizeof(it));
        store_col_text(st, 0, it.id, sizeof(it.id));
        store_col_text(st, 1, it.kind, sizeof(it.kind));
        snprintf(it.mode, sizeof(it.mode), "%s", strcmp(it.kind, "lead") == 0 ? "booth" : it.kind);
        it.created_at = sqlite3_column_int64(st, 2);
        store_col_text(st, 3, it.kiosk_id, sizeof(it.kiosk_id));
        store_col_text(st, 4, it.operator_name, sizeof(it.operator_name));
        store_col_text(st, 5, it.a_id, sizeof(it.a_id));
        store_col_text(st, 6, it.b_id, sizeof(it.b_id));
        store_col_text(st, 7, it.followup_choice, sizeof(it.followup_choice));
        it.has_lead = sqlite3_column_int(st, 8);
        it.rating = sqlite3_column_int(st, 9);
        it.tags = col_str(st, 10);
        it.answers = col_str(st, 11);
        stop = fn(ctx, &it);
        if (stop)
            break;
    }
    return walk_end(s, st, rc, stop, "reading interactions to export", err);
}

int store_export_notes(struct store *s, const char *interaction_id,
                       int (*fn)(void *ctx, int64_t at, const char *author, const char *body),
                       void *ctx, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT created_at, author, body FROM notes WHERE "
                                     "interaction_id = ?1 ORDER BY created_at, id",
                                     err);
    int rc, stop = 0;
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        stop = fn(ctx, sqlite3_column_int64(st, 0), col_str(st, 1), col_str(st, 2));
        if (stop)
            break;
    }
    return walk_end(s, st, rc, stop, "reading notes to export", err);
}

int store_export_begin(struct store *s, struct err *err)
{
    /* Inside a caller's transaction the snapshot is already theirs. */
    if (!sqlite3_get_autocommit(s->db))
        return 0;
    /* DEFERRED: a read snapshot that does not block the kiosk's writers
     * (WAL lets them go on while the export runs). */
    if (store_exec(s, "BEGIN DEFERRED", err) < 0)
        return -1;
    return 1;
}

void store_export_end(struct store *s, int began)
{
    if (began == 1 && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}
