/*
 * store_followup.c - the follow-up queue's rows: queueing from a saved
 * interaction, status changes, listing.
 *
 * Owns: every INSERT/UPDATE on the followups table except erasure (that is
 * store_privacy.c). The decisions (kind, due time, consent, merging, quiet
 * hours) come from followup.c; this file only applies them to rows. Never
 * reads the clock. Start at store_followup_queue().
 */
#include "store_followup.h"

#include <stdio.h>
#include <string.h>

#include "store_internal.h"

struct side {
    const char *owner_id; /* NULL for a lead */
    const char *owner_name;
    const char *contact_id;
    int64_t consent_at;
};

/* Queue or merge one owner->contact follow-up. Adds to *res. */
static int queue_side(struct store *s, const struct side *sd, const char *interaction_id,
                      enum followup_kind kind, int64_t due, int64_t met_ms,
                      const struct followup_policy *p, int64_t now_ms,
                      struct store_followup_result *res, struct err *err)
{
    char id[KIOSK_ID_LEN], open_id[KIOSK_ID_LEN] = "";
    int64_t open_created = 0;
    int rc;
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT id, created_at FROM followups WHERE contact_id = ?1 "
                                     "AND owner_id IS ?2 AND owner_name = ?3 AND status IN "
                                     "('queued','due') ORDER BY created_at DESC LIMIT 1",
                                     err);
    if (!st)
        return -1;
    store_bind_text(st, 1, sd->contact_id);
    store_bind_text(st, 2, sd->owner_id);
    store_bind_text(st, 3, sd->owner_name);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, open_id, sizeof(open_id));
        open_created = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, "reading follow-ups", err);

    if (open_id[0] && followup_should_merge(p, open_created, met_ms)) {
        st = store_prepare(s,
                           "UPDATE followups SET meetings = meetings + 1, updated_at = ?2 "
                           "WHERE id = ?1",
                           err);
        if (!st)
            return -1;
        store_bind_text(st, 1, open_id);
        sqlite3_bind_int64(st, 2, now_ms);
        if (store_step_done(s, st, NULL, "merging a follow-up", err) < 0)
            return -1;
        res->merged++;
        return 0;
    }
    st = store_prepare(s,
                       "INSERT INTO followups(id, kiosk_id, interaction_id, owner_id, owner_name, "
                       "contact_id, kind, due_at, status, meetings, created_at, updated_at) "
                       "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,'queued',1,?9,?9)",
                       err);
    if (!st)
        return -1;
    store_new_id(id, met_ms);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    store_bind_text(st, 3, interaction_id);
    store_bind_text(st, 4, sd->owner_id);
    store_bind_text(st, 5, sd->owner_name);
    store_bind_text(st, 6, sd->contact_id);
    store_bind_text(st, 7, followup_kind_name(kind));
    sqlite3_bind_int64(st, 8, due);
    /* created_at is the meeting time so the merge window counts from
     * meetings, not from when the row happened to be written. */
    sqlite3_bind_int64(st, 9, met_ms);
    if (store_step_done(s, st, NULL, "saving a follow-up", err) < 0)
        return -1;
    res->queued++;
    return 0;
}

int store_followup_queue(struct store *s, const char *interaction_id,
                         const struct followup_policy *p, const struct tzone *z, int64_t now_ms,
                         struct store_followup_result *res, struct err *err)
{
    struct store_followup_result local = {0, 0, 0};
    char kind[16], a_id[KIOSK_ID_LEN], b_id[KIOSK_ID_LEN], op[KIOSK_NAME_MAX],
        scope[KIOSK_NAME_MAX], choice[32];
    int64_t consent_a = 0, consent_b = 0, met = 0, due = 0;
    enum followup_kind fk = FOLLOWUP_THANK_YOU;
    int own_tx = 0, rc, result = -1, planned;
    sqlite3_stmt *st;

    if (res)
        *res = local;
    st = store_prepare(s,
                       "SELECT kind, a_id, coalesce(b_id,''), operator, coalesce(consent_a_at,0), "
                       "coalesce(consent_b_at,0), consent_scope, followup_choice, created_at "
                       "FROM interactions WHERE id = ?1",
                       err);
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, kind, sizeof(kind));
        store_col_text(st, 1, a_id, sizeof(a_id));
        store_col_text(st, 2, b_id, sizeof(b_id));
        store_col_text(st, 3, op, sizeof(op));
        consent_a = sqlite3_column_int64(st, 4);
        consent_b = sqlite3_column_int64(st, 5);
        store_col_text(st, 6, scope, sizeof(scope));
        store_col_text(st, 7, choice, sizeof(choice));
        met = sqlite3_column_int64(st, 8);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return err_set(err, "no interaction %s", interaction_id);
    if (rc != SQLITE_ROW)
        return store_fail(s, "reading an interaction", err);

    planned = followup_plan(p, z, choice, met, &fk, &due, err);
    if (planned <= 0)
        return planned; /* 0: "none"; -1: unknown choice (err set) */

    if (sqlite3_get_autocommit(s->db)) {
        if (store_exec(s, "BEGIN IMMEDIATE", err) < 0)
            return -1;
        own_tx = 1;
    }
    {
        struct side sides[2];
        int n = 0;
        if (strcmp(kind, "lead") == 0) {
            sides[n++] = (struct side){NULL, op, a_id, consent_a};
        } else {
            sides[n++] = (struct side){a_id, "", b_id, consent_b};
            sides[n++] = (struct side){b_id, "", a_id, consent_a};
        }
        for (int i = 0; i < n; i++) {
            if (!followup_consented(sides[i].consent_at, scope)) {
                local.refused++;
                continue;
            }
            if (queue_side(s, &sides[i], interaction_id, fk, due, met, p, now_ms, &local, err) < 0)
                goto out;
        }
    }
    if (own_tx && store_exec(s, "COMMIT", err) < 0)
        goto out;
    own_tx = 0;
    if (res)
        *res = local;
    result = 0;
out:
    if (own_tx)
        store_rollback(s);
    return result;
}

long store_followup_refresh(struct store *s, int64_t now_ms, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "UPDATE followups SET status = 'due', updated_at = ?1 "
                                     "WHERE status = 'queued' AND due_at <= ?1",
                                     err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_ms);
    if (store_step_done(s, st, NULL, "updating follow-ups", err) < 0)
        return -1;
    return (long)sqlite3_changes(s->db);
}

/* Best name from the columns display, given, family, org, ref at i.. */
static void col_name(sqlite3_stmt *st, int i, char *out, size_t size)
{
    struct contact c;
    contact_clear(&c);
    store_col_text(st, i, c.display_name, sizeof(c.display_name));
    store_col_text(st, i + 1, c.given_name, sizeof(c.given_name));
    store_col_text(st, i + 2, c.family_name, sizeof(c.family_name));
    store_col_text(st, i + 3, c.org, sizeof(c.org));
    store_col_text(st, i + 4, c.ref, sizeof(c.ref));
    contact_name(&c, out, size);
}

/* First line of a newline-separated list column. */
static void col_first(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    size_t n = 0;
    if (t)
        n = strcspn(t, "\n");
    if (n >= size)
        n = 0; /* longer than the field: stored data broke a limit; show nothing */
    memcpy(out, t ? t : "", n);
    out[n] = '\0';
}

/* Walk follow-ups (joined with their contact and owner) matching where,
 * which may use ?1 = now_ms, ?2 = since_ms and ?3 = interaction kind. */
static int walk(struct store *s, const char *where, int64_t now_ms, int64_t since_ms,
                const char *kind, int (*fn)(void *ctx, const struct store_followup *f), void *ctx,
                struct err *err)
{
    char sql[2048];
    sqlite3_stmt *st;
    struct store_followup f;
    int rc, stop = 0;

    snprintf(sql, sizeof(sql),
             "SELECT f.id, coalesce(f.interaction_id,''), coalesce(f.owner_id,''), f.owner_name, "
             "f.contact_id, f.kind, f.status, f.due_at, f.created_at, f.updated_at, f.meetings, "
             "c.display_name, c.given_name, c.family_name, c.org, c.ref, c.emails, c.phones, "
             "o.display_name, o.given_name, o.family_name, o.org, o.ref "
             "FROM followups f JOIN attendees c ON c.id = f.contact_id "
             "LEFT JOIN attendees o ON o.id = f.owner_id WHERE %s ORDER BY f.due_at, f.id",
             where);
    st = store_prepare(s, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int64(st, 2, since_ms);
    store_bind_text(st, 3, kind);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char word[16];
        int v;
        memset(&f, 0, sizeof(f));
        store_col_text(st, 0, f.id, sizeof(f.id));
        store_col_text(st, 1, f.interaction_id, sizeof(f.interaction_id));
        store_col_text(st, 2, f.owner_id, sizeof(f.owner_id));
        store_col_text(st, 3, f.owner_name, sizeof(f.owner_name));
        store_col_text(st, 4, f.contact_id, sizeof(f.contact_id));
        store_col_text(st, 5, word, sizeof(word));
        v = followup_kind_parse(word);
        f.kind = v < 0 ? FOLLOWUP_THANK_YOU : (enum followup_kind)v;
        store_col_text(st, 6, word, sizeof(word));
        v = followup_status_parse(word);
        f.due_at = sqlite3_column_int64(st, 7);
        f.status =
            followup_status_at(v < 0 ? FOLLOWUP_QUEUED : (enum followup_status)v, f.due_at, now_ms);
        f.created_at = sqlite3_column_int64(st, 8);
        f.updated_at = sqlite3_column_int64(st, 9);
        f.meetings = sqlite3_column_int(st, 10);
        col_name(st, 11, f.contact_name, sizeof(f.contact_name));
        store_col_text(st, 14, f.contact_org, sizeof(f.contact_org));
        col_first(st, 16, f.contact_email, sizeof(f.contact_email));
        col_first(st, 17, f.contact_phone, sizeof(f.contact_phone));
        if (f.owner_id[0])
            col_name(st, 18, f.owner_name, sizeof(f.owner_name));
        stop = fn(ctx, &f);
        if (stop)
            break;
    }
    if (!stop && rc != SQLITE_DONE) {
        store_fail(s, "reading follow-ups", err);
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return stop;
}

int store_followup_each(struct store *s, enum store_followup_filter filter, int64_t now_ms,
                        int (*fn)(void *ctx, const struct store_followup *f), void *ctx,
                        struct err *err)
{
    static const char *const where[] = {
        "1",
        "f.status IN ('queued','due')",
        "f.status IN ('queued','due') AND f.due_at <= ?1",
    };
    if ((unsigned)filter > STORE_FOLLOWUPS_DUE)
        return err_set(err, "bad follow-up filter");
    return walk(s, where[filter], now_ms, 0, NULL, fn, ctx, err);
}

int store_followup_each_consented(struct store *s, int64_t since_ms, const char *kind,
                                  int64_t now_ms,
                                  int (*fn)(void *ctx, const struct store_followup *f), void *ctx,
                                  struct err *err)
{
    /* The contact must have a consented side somewhere in the filter, and
     * so must an attendee owner (a handshake partner who did not consent
     * is not named in an export, not even as the owner of a reminder). A
     * cancelled follow-up (withdrawal) never leaves the kiosk. */
#define CONSENTED(who)                                                                             \
    "(EXISTS (SELECT 1 FROM interactions i WHERE i.a_id = " who " AND "                            \
    "i.consent_a_at IS NOT NULL AND i.created_at >= ?2 AND (?3 IS NULL OR i.kind = ?3)) "          \
    "OR EXISTS (SELECT 1 FROM interactions i WHERE i.b_id = " who " AND "                          \
    "i.consent_b_at IS NOT NULL AND i.created_at >= ?2 AND (?3 IS NULL OR i.kind = ?3)))"
    return walk(s,
                "f.status <> 'cancelled' AND f.created_at >= ?2 AND "
                "(?3 IS NULL OR (?3 = 'lead') = (f.owner_id IS NULL)) AND " CONSENTED(
                    "f.contact_id") " AND (f.owner_id IS NULL OR " CONSENTED("f.owner_id") ")",
                now_ms, since_ms, kind, fn, ctx, err);
#undef CONSENTED
}

int store_followup_close(struct store *s, const char *id, enum followup_status status,
                         int64_t now_ms, char full_id[KIOSK_ID_LEN], struct err *err)
{
    char found[KIOSK_ID_LEN] = "", st_word[16] = "";
    size_t n = strlen(id);
    int matches = 0, rc;
    sqlite3_stmt *st;

    if (status != FOLLOWUP_DONE && status != FOLLOWUP_SKIPPED)
        return err_set(err, "a follow-up can only be marked done or skipped here");
    if (n < 8 || n >= KIOSK_ID_LEN || strspn(id, "0123456789abcdefABCDEF-") != n)
        return err_set(err, "\"%s\" is not a follow-up id (at least 8 characters of one)", id);
    st = store_prepare(s,
                       "SELECT id, status FROM followups WHERE substr(id, 1, ?2) = lower(?1) "
                       "OR substr(id, -?2) = lower(?1) LIMIT 2",
                       err);
    if (!st)
        return -1;
    store_bind_text(st, 1, id);
    sqlite3_bind_int(st, 2, (int)n);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (matches++ == 0) {
            store_col_text(st, 0, found, sizeof(found));
            store_col_text(st, 1, st_word, sizeof(st_word));
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "reading follow-ups", err);
    if (matches == 0)
        return 1;
    if (matches > 1)
        return err_set(err, "\"%s\" matches several follow-ups; give more of the id", id);
    if (strcmp(st_word, "queued") != 0 && strcmp(st_word, "due") != 0)
        return err_set(err, "follow-up %.8s is already %s", found, st_word);
    st = store_prepare(s, "UPDATE followups SET status = ?2, updated_at = ?3 WHERE id = ?1", err);
    if (!st)
        return -1;
    store_bind_text(st, 1, found);
    store_bind_text(st, 2, followup_status_name(status));
    sqlite3_bind_int64(st, 3, now_ms);
    if (store_step_done(s, st, NULL, "updating a follow-up", err) < 0)
        return -1;
    if (full_id)
        memcpy(full_id, found, KIOSK_ID_LEN);
    return 0;
}

long store_followup_cancel_attendee(struct store *s, const char *attendee_id, int64_t now_ms,
                                    struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "UPDATE followups SET status = 'cancelled', updated_at = ?2 "
                                     "WHERE (owner_id = ?1 OR contact_id = ?1) AND status IN "
                                     "('queued','due')",
                                     err);
    if (!st)
        return -1;
    store_bind_text(st, 1, attendee_id);
    sqlite3_bind_int64(st, 2, now_ms);
    if (store_step_done(s, st, NULL, "cancelling follow-ups", err) < 0)
        return -1;
    return (long)sqlite3_changes(s->db);
}
