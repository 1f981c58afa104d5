/*
 * store_print.c - print queue rows and slip data (see store_print.h).
 *
 * Owns every query on print_jobs, and the reads that turn an interaction
 * into a struct slip. Never renders or prints, never reads the clock, never
 * moves a job out of "printing" except through finish or recover.
 * Claiming runs in one write transaction, so two processes sharing the
 * database (the kiosk app and `kiosk slip`) never print the same job twice.
 */
#include "store_print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define JOB_COLS                                                                                   \
    "id, coalesce(interaction_id, ''), coalesce(attendee_id, ''), kind, status, attempts, "        \
    "last_error, next_attempt_at, created_at, updated_at, lang"

static void read_job(sqlite3_stmt *st, struct store_print_job *j)
{
    memset(j, 0, sizeof(*j));
    store_col_text(st, 0, j->id, sizeof(j->id));
    store_col_text(st, 1, j->interaction_id, sizeof(j->interaction_id));
    store_col_text(st, 2, j->attendee_id, sizeof(j->attendee_id));
    store_col_text(st, 3, j->kind, sizeof(j->kind));
    store_col_text(st, 4, j->status, sizeof(j->status));
    j->attempts = sqlite3_column_int(st, 5);
    store_col_text(st, 6, j->last_error, sizeof(j->last_error));
    j->next_attempt_at = sqlite3_column_int64(st, 7);
    j->created_at = sqlite3_column_int64(st, 8);
    j->updated_at = sqlite3_column_int64(st, 9);
    store_col_text(st, 10, j->lang, sizeof(j->lang));
}

/* A write transaction of our own, or a savepoint inside the caller's. */
static int tx_begin(struct store *s, int *own, struct err *err)
{
    *own = sqlite3_get_autocommit(s->db);
    return store_exec(s, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT print_q", err);
}

static int tx_end(struct store *s, int own, int ok, struct err *err)
{
    if (ok && store_exec(s, own ? "COMMIT" : "RELEASE print_q", err) == 0)
        return 0;
    if (own)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    else
        sqlite3_exec(s->db, "ROLLBACK TO print_q; RELEASE print_q", NULL, NULL, NULL);
    return -1;
}

static int valid_kind(const char *kind)
{
    return strcmp(kind, "handshake") == 0 || strcmp(kind, "lead") == 0 ||
           strcmp(kind, "connections") == 0 || strcmp(kind, "test") == 0;
}

int store_print_add(struct store *s, const char *kind, const char *interaction_id,
                    const char *attendee_id, int64_t now_ms, char id_out[KIOSK_ID_LEN],
                    struct err *err)
{
    return store_print_add_lang(s, kind, interaction_id, attendee_id, NULL, now_ms, id_out, err);
}

/* A language code as the UI and the CLI give it: "en", "pt-BR"; letters
 * and '-' only, so a job row never holds anything else. */
static int valid_lang(const char *lang)
{
    size_t n = strlen(lang);
    if (n >= sizeof(((struct store_print_job *)0)->lang))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((lang[i] >= 'a' && lang[i] <= 'z') || (lang[i] >= 'A' && lang[i] <= 'Z') ||
              lang[i] == '-'))
            return 0;
    return 1;
}

int store_print_add_lang(struct store *s, const char *kind, const char *interaction_id,
                         const char *attendee_id, const char *lang, int64_t now_ms,
                         char id_out[KIOSK_ID_LEN], struct err *err)
{
    sqlite3_stmt *st;
    char id[KIOSK_ID_LEN];
    if (!valid_kind(kind))
        return err_set(err, "unknown slip kind \"%s\"", kind);
    if (lang && !valid_lang(lang))
        return err_set(err, "a slip language is a short code like \"de\", not \"%s\"", lang);
    if ((strcmp(kind, "handshake") == 0 || strcmp(kind, "lead") == 0) &&
        (!interaction_id || !interaction_id[0]))
        return err_set(err, "a %s slip needs an interaction", kind);
    if (strcmp(kind, "connections") == 0 && (!attendee_id || !attendee_id[0]))
        return err_set(err, "a connections slip needs an attendee");
    st = store_prepare(s,
                       "INSERT INTO print_jobs(id, kiosk_id, interaction_id, attendee_id, kind, "
                       "status, attempts, last_error, next_attempt_at, created_at, updated_at, "
                       "lang) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', 0, '', ?6, ?6, ?6, ?7)",
                       err);
    if (!st)
        return -1;
    store_new_id(id, now_ms);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    store_bind_text(st, 3, interaction_id && interaction_id[0] ? interaction_id : NULL);
    store_bind_text(st, 4, attendee_id && attendee_id[0] ? attendee_id : NULL);
    store_bind_text(st, 5, kind);
    sqlite3_bind_int64(st, 6, now_ms);
    store_bind_text(st, 7, lang ? lang : "");
    if (store_step_done(s, st, NULL, "queueing a print job", err) < 0)
        return -1;
    memcpy(id_out, id, KIOSK_ID_LEN);
    return 0;
}

int store_print_get(struct store *s, const char *id, struct store_print_job *out, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, "SELECT " JOB_COLS " FROM print_jobs WHERE id = ?1", err);
    int rc;
    if (!st)
        return -1;
    store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_job(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return 1;
    return store_fail(s, "reading a print job", err);
}

int store_print_claim(struct store *s, const char *only_id, int64_t due_by, int64_t now_ms,
                      struct store_print_job *out, struct err *err)
{
    sqlite3_stmt *st = NULL;
    int own, rc, found = 0;
    if (tx_begin(s, &own, err) < 0)
        return -1;
    st = store_prepare(s,
                       "SELECT " JOB_COLS " FROM print_jobs WHERE status = 'queued' AND "
                       "next_attempt_at <= ?1 AND (?2 IS NULL OR id = ?2) "
                       "ORDER BY next_attempt_at, created_at, id LIMIT 1",
                       err);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, due_by);
    store_bind_text(st, 2, only_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_job(st, out);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        store_fail(s, "choosing a print job", err);
        goto fail;
    }
    sqlite3_finalize(st);
    if (!found)
        return tx_end(s, own, 1, err) < 0 ? -1 : 1;
    st = store_prepare(s,
                       "UPDATE print_jobs SET status = 'printing', attempts = attempts + 1, "
                       "updated_at = ?2 WHERE id = ?1",
                       err);
    if (!st)
        goto fail;
    store_bind_text(st, 1, out->id);
    sqlite3_bind_int64(st, 2, now_ms);
    if (store_step_done(s, st, NULL, "claiming a print job", err) < 0)
        goto fail;
    if (tx_end(s, own, 1, err) < 0)
        return -1;
    snprintf(out->status, sizeof(out->status), "printing");
    out->attempts++;
    out->updated_at = now_ms;
    return 0;
fail:
    tx_end(s, own, 0, NULL);
    return -1;
}

int store_print_finish(struct store *s, const char *id, const char *status, const char *error,
                       int64_t next_attempt_at, int64_t now_ms, struct err *err)
{
    sqlite3_stmt *st;
    if (strcmp(status, "done") != 0 && strcmp(status, "queued") != 0 &&
        strcmp(status, "failed") != 0)
        return err_set(err, "a printed job ends done, queued or failed, not %s", status);
    st = store_prepare(s,
                       "UPDATE print_jobs SET status = ?2, last_error = ?3, next_attempt_at = ?4, "
                       "updated_at = ?5 WHERE id = ?1 AND status = 'printing'",
                       err);
    if (!st)
        return -1;
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, status);
    store_bind_text(st, 3, error ? error : "");
    sqlite3_bind_int64(st, 4, next_attempt_at);
    sqlite3_bind_int64(st, 5, now_ms);
    if (store_step_done(s, st, NULL, "recording a print result", err) < 0)
        return -1;
    if (sqlite3_changes(s->db) != 1)
        return err_set(err, "print job %s was not being printed", id);
    return 0;
}

int store_print_recover(struct store *s, int64_t stale_before, int64_t now_ms, long *n,
                        struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "UPDATE print_jobs SET status = 'failed', last_error = 'interrupted while printing; "
        "reprint it if the slip did not come out', updated_at = ?2 "
        "WHERE status = 'printing' AND updated_at < ?1",
        err);
    if (n)
        *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, stale_before);
    sqlite3_bind_int64(st, 2, now_ms);
    if (store_step_done(s, st, NULL, "recovering print jobs", err) < 0)
        return -1;
    if (n)
        *n = sqlite3_changes(s->db);
    return 0;
}

int store_print_reprint(struct store *s, const char *id, int64_t now_ms, char new_id[KIOSK_ID_LEN],
                        struct err *err)
{
    struct store_print_job j;
    char detail[2 * KIOSK_ID_LEN + 8];
    int own, r = store_print_get(s, id, &j, err);
    if (r != 0)
        return r;
    if (tx_begin(s, &own, err) < 0)
        return -1;
    if (store_print_add_lang(s, j.kind, j.interaction_id, j.attendee_id, j.lang, now_ms, new_id,
                             err) < 0)
        goto fail;
    snprintf(detail, sizeof(detail), "%s -> %s", id, new_id);
    if (store_audit(s, "staff", "print.reprint", detail, now_ms, err) < 0)
        goto fail;
    return tx_end(s, own, 1, err);
fail:
    tx_end(s, own, 0, NULL);
    return -1;
}

int store_print_cancel(struct store *s, const char *id, int64_t now_ms, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "UPDATE print_jobs SET status = 'cancelled', updated_at = ?2 "
                                     "WHERE id = ?1 AND status IN ('queued', 'failed')",
                                     err);
    if (!st)
        return -1;
    store_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, now_ms);
    if (store_step_done(s, st, NULL, "cancelling a print job", err) < 0)
        return -1;
    return sqlite3_changes(s->db) == 1 ? 0 : 1;
}

int store_print_list(struct store *s, const char *status, int limit,
                     int (*fn)(void *ctx, const struct store_print_job *job), void *ctx,
                     struct err *err)
{
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT " JOB_COLS " FROM print_jobs WHERE "
                      "(?1 IS NULL AND status NOT IN ('done', 'cancelled')) OR status = ?1 "
                      "ORDER BY created_at DESC, id DESC LIMIT ?2",
                      err);
    int rc;
    if (!st)
        return -1;
    store_bind_text(st, 1, status);
    sqlite3_bind_int(st, 2, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_print_job j;
        read_job(st, &j);
        if (fn(ctx, &j) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "listing print jobs", err);
    return 0;
}

int store_print_next_due(struct store *s, int64_t *when, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s, "SELECT min(next_attempt_at) FROM print_jobs WHERE status = 'queued'", err);
    int rc, result;
    *when = 0;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *when = sqlite3_column_int64(st, 0);
        result = 0;
    } else {
        result = rc == SQLITE_ROW ? 1 : store_fail(s, "reading the print queue", err);
    }
    sqlite3_finalize(st);
    return result;
}

int store_print_counts(struct store *s, long *queued, long *printing, long *failed, struct err *err)
{
    sqlite3_stmt *st =
        store_prepare(s, "SELECT status, count(*) FROM print_jobs GROUP BY status", err);
    int rc;
    *queued = *printing = *failed = 0;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        long n = (long)sqlite3_column_int64(st, 1);
        if (!k)
            continue;
        if (strcmp(k, "queued") == 0)
            *queued = n;
        else if (strcmp(k, "printing") == 0)
            *printing = n;
        else if (strcmp(k, "failed") == 0)
            *failed = n;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "counting print jobs", err);
    return 0;
}

/* ---- slip data ---------------------------------------------------------- */

/* All notes of an interaction, oldest first, joined by newlines. Past the
 * slip's room the list ends with a pointer to the rest, never a cut note. */
static int load_notes(struct store *s, const struct slip *slip, const char *interaction_id,
                      char *out, size_t size, struct err *err)
{
    const char *more = slip_word(slip->lang, SLIP_W_MORE_NOTES);
    sqlite3_stmt *st = store_prepare(
        s, "SELECT body FROM notes WHERE interaction_id = ?1 ORDER BY created_at, id", err);
    size_t used = 0;
    int rc;
    out[0] = '\0';
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *body = (const char *)sqlite3_column_text(st, 0);
        size_t n = body ? strlen(body) : 0;
        if (n == 0)
            continue;
        if (used + n + 1 + strlen(more) + 2 > size) {
            snprintf(out + used, size - used, "%s%s", used ? "\n" : "", more);
            rc = SQLITE_DONE;
            break;
        }
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "\n" : "", body);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(s, "reading notes", err);
    return 0;
}

/* Earliest open follow-up of an interaction (for contact_id, and owner_id
 * when given); 0 = none. */
static int load_followup(struct store *s, const char *interaction_id, const char *contact_id,
                         const char *owner_id, int64_t *due, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT min(due_at) FROM followups WHERE interaction_id = ?1 AND status IN "
        "('queued', 'due') AND (?2 IS NULL OR contact_id = ?2) AND (?3 IS NULL OR owner_id = ?3)",
        err);
    int rc;
    *due = 0;
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    store_bind_text(st, 2, contact_id);
    store_bind_text(st, 3, owner_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *due = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, "reading follow-ups", err);
    return 0;
}

static int load_lead_detail(struct store *s, const struct slip *slip, const char *interaction_id,
                            char *out, size_t size, struct err *err)
{
    sqlite3_stmt *st =
        store_prepare(s, "SELECT rating, tags FROM leads WHERE interaction_id = ?1", err);
    int rc;
    out[0] = '\0';
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *tags = (const char *)sqlite3_column_text(st, 1);
        char num[16], rating[64];
        int n;
        snprintf(num, sizeof(num), "%d", sqlite3_column_int(st, 0));
        slip_fill(rating, sizeof(rating), slip_word(slip->lang, SLIP_W_RATING), num);
        n = snprintf(out, size, "%s%s%s", rating, tags && tags[0] ? " \xC2\xB7 " : "",
                     tags ? tags : "");
        if (n >= 0 && (size_t)n >= size && size > 4) {
            /* Too many tags for the line: end between two characters, not
             * inside one (the slip must stay UTF-8), and show the cut. */
            size_t cut = size - 4;
            while (cut > 0 && ((unsigned char)out[cut] & 0xC0) == 0x80)
                cut--;
            memcpy(out + cut, "...", 4);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, "reading lead details", err);
    return 0;
}

/* Append a section for attendee_id. Returns 0, 1 attendee gone, -1 error. */
static int add_person(struct store *s, struct slip *out, const char *attendee_id, int share,
                      struct slip_contact **added, struct err *err)
{
    struct slip_contact *sc = slip_add(out, err);
    int r;
    if (!sc)
        return -1;
    r = store_attendee_get(s, attendee_id, &sc->c, err);
    if (r != 0) {
        out->n--;
        return r;
    }
    sc->share_card = share;
    *added = sc;
    return 0;
}

/* out->recipient = the name of attendee_id (the person the slip is for).
 * Returns 0, 1 attendee gone, -1 error. */
static int recipient_name(struct store *s, struct slip *out, const char *attendee_id,
                          struct err *err)
{
    struct contact *c = malloc(sizeof(*c));
    char who[KIOSK_NAME_MAX];
    int r;
    if (!c)
        return err_set(err, "out of memory");
    r = store_attendee_get(s, attendee_id, c, err);
    if (r == 0)
        snprintf(out->recipient, sizeof(out->recipient), "%s", contact_name(c, who, sizeof(who)));
    free(c);
    return r;
}

struct inter {
    char kind[16], a[KIOSK_ID_LEN], b[KIOSK_ID_LEN], op[KIOSK_NAME_MAX];
    int consent_a, consent_b;
    int64_t at;
};

static int load_interaction(struct store *s, const char *id, struct inter *in, struct err *err)
{
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT kind, a_id, coalesce(b_id, ''), operator, consent_a_at IS NOT NULL, "
                      "consent_b_at IS NOT NULL, created_at FROM interactions WHERE id = ?1",
                      err);
    int rc;
    if (!st)
        return -1;
    store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, in->kind, sizeof(in->kind));
        store_col_text(st, 1, in->a, sizeof(in->a));
        store_col_text(st, 2, in->b, sizeof(in->b));
        store_col_text(st, 3, in->op, sizeof(in->op));
        in->consent_a = sqlite3_column_int(st, 4);
        in->consent_b = sqlite3_column_int(st, 5);
        in->at = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return 1;
    return store_fail(s, "reading an interaction", err);
}

int store_print_interaction_kind(struct store *s, const char *id, char kind[16], struct err *err)
{
    struct inter in;
    int r = load_interaction(s, id, &in, err);
    if (r == 0)
        snprintf(kind, 16, "%s", in.kind);
    return r;
}

static int load_handshake(struct store *s, const struct store_print_job *job, struct slip *out,
                          struct err *err)
{
    struct inter in;
    struct slip_contact *sc = NULL;
    const char *ids[2];
    int share[2], r;
    r = load_interaction(s, job->interaction_id, &in, err);
    if (r != 0)
        return r;
    if (strcmp(in.kind, job->kind) != 0)
        return err_set(err, "interaction %s is a %s, not a %s", job->interaction_id, in.kind,
                       job->kind);
    out->at = in.at;
    ids[0] = in.a;
    ids[1] = in.b;
    share[0] = in.consent_a;
    share[1] = in.consent_b;
    if (strcmp(in.kind, "lead") == 0) {
        /* A lead slip is the booth's: for the operator who captured it.
         * The app records "booth" when no operator name is configured
         * (booth.operator), which names no one. */
        snprintf(out->recipient, sizeof(out->recipient), "%s",
                 in.op[0] && strcmp(in.op, "booth") != 0
                     ? in.op
                     : slip_word(out->lang, SLIP_W_BOOTH_STAFF));
        r = add_person(s, out, in.a, in.consent_a, &sc, err);
        if (r != 0)
            return r;
        if (load_notes(s, out, job->interaction_id, sc->note, sizeof(sc->note), err) < 0 ||
            load_lead_detail(s, out, job->interaction_id, sc->detail, sizeof(sc->detail), err) <
                0 ||
            load_followup(s, job->interaction_id, NULL, NULL, &sc->followup_due, err) < 0)
            return -1;
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        /* A slip for one of the two shows the other person only, and is
         * headed with the name of the one it is for. */
        if (job->attendee_id[0] && strcmp(job->attendee_id, ids[i]) == 0) {
            r = recipient_name(s, out, ids[i], err);
            if (r != 0)
                return r;
            continue;
        }
        r = add_person(s, out, ids[i], share[i], &sc, err);
        if (r != 0)
            return r;
        if (load_followup(s, job->interaction_id, ids[i],
                          job->attendee_id[0] ? job->attendee_id : NULL, &sc->followup_due,
                          err) < 0)
            return -1;
        /* Notes belong to the meeting: print them once, in the first section. */
        if (out->n == 1 &&
            load_notes(s, out, job->interaction_id, sc->note, sizeof(sc->note), err) < 0)
            return -1;
    }
    if (job->attendee_id[0]) {
        snprintf(out->title, sizeof(out->title), "%s", slip_word(out->lang, SLIP_W_NEW_CONTACT));
    } else {
        /* One slip for both (printed by staff): it names both by first
         * name, short enough for the band; the sections give full names. */
        for (int i = 0; i < out->n; i++) {
            const struct contact *c = &out->contacts[i].c;
            char who[KIOSK_NAME_MAX];
            size_t used = strlen(out->recipient);
            snprintf(out->recipient + used, sizeof(out->recipient) - used, "%s%s",
                     i ? slip_word(out->lang, SLIP_W_AND) : "",
                     c->given_name[0] ? c->given_name : contact_name(c, who, sizeof(who)));
        }
    }
    return 0;
}

/* People attendee_id shook hands with who are still in the database, each
 * counted once. -1 with err on a database error. */
static long count_connections(struct store *s, const char *attendee_id, struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT count(DISTINCT a.id) FROM interactions i JOIN attendees a ON a.id = "
        "(CASE WHEN i.a_id = ?1 THEN i.b_id ELSE i.a_id END) WHERE i.kind = 'handshake' AND "
        "(i.a_id = ?1 OR i.b_id = ?1)",
        err);
    long n = -1;
    if (!st)
        return -1;
    store_bind_text(st, 1, attendee_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    else
        store_fail(s, "counting connections", err);
    sqlite3_finalize(st);
    return n;
}

/* One section per person met, first meeting first. Past SLIP_CONTACTS_MAX
 * the slip keeps the first ones and says how many more there are: a busy
 * attendee gets a full slip, never a job that fails on every retry. */
static int load_connections(struct store *s, const struct store_print_job *job, struct slip *out,
                            struct err *err)
{
    char num[24];
    char seen[SLIP_CONTACTS_MAX][KIOSK_ID_LEN];
    sqlite3_stmt *st;
    int rc, r, full = 0;
    struct slip_contact *sc = NULL;
    r = recipient_name(s, out, job->attendee_id, err);
    if (r != 0)
        return r;
    out->at = job->created_at;
    st = store_prepare(
        s,
        "SELECT i.id, CASE WHEN i.a_id = ?1 THEN i.b_id ELSE i.a_id END AS other, "
        "CASE WHEN i.a_id = ?1 THEN i.consent_b_at ELSE i.consent_a_at END IS NOT NULL "
        "FROM interactions i WHERE i.kind = 'handshake' AND (i.a_id = ?1 OR i.b_id = ?1) "
        "ORDER BY i.created_at, i.id",
        err);
    if (!st)
        return -1;
    store_bind_text(st, 1, job->attendee_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char iid[KIOSK_ID_LEN], other[KIOSK_ID_LEN];
        int dup = 0;
        store_col_text(st, 0, iid, sizeof(iid));
        store_col_text(st, 1, other, sizeof(other));
        /* Met twice: one section, the first meeting's. */
        for (int i = 0; i < out->n && !dup; i++)
            dup = strcmp(seen[i], other) == 0;
        if (dup)
            continue;
        if (out->n == SLIP_CONTACTS_MAX) {
            full = 1; /* the rest are counted below, not printed */
            rc = SQLITE_DONE;
            break;
        }
        r = add_person(s, out, other, sqlite3_column_int(st, 2), &sc, err);
        if (r < 0)
            break;
        if (r == 1)
            continue;
        snprintf(seen[out->n - 1], sizeof(seen[0]), "%s", other);
        if (load_notes(s, out, iid, sc->note, sizeof(sc->note), err) < 0 ||
            load_followup(s, iid, other, job->attendee_id, &sc->followup_due, err) < 0) {
            r = -1;
            break;
        }
    }
    sqlite3_finalize(st);
    if (r < 0)
        return -1;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(s, "reading connections", err);
    if (full) {
        long total = count_connections(s, job->attendee_id, err);
        if (total < 0)
            return -1;
        snprintf(num, sizeof(num), "%ld", total);
        slip_fill(out->title, sizeof(out->title), slip_word(out->lang, SLIP_W_CONNECTIONS_N), num);
        if (total > out->n) {
            char part[SLIP_LINE_MAX];
            snprintf(num, sizeof(num), "%d", out->n);
            slip_fill(part, sizeof(part), slip_word(out->lang, SLIP_W_MORE_ON_KIOSK), num);
            snprintf(num, sizeof(num), "%ld", total - out->n);
            slip_fill(out->subtitle, sizeof(out->subtitle), part, num);
        }
        return 0;
    }
    snprintf(num, sizeof(num), "%d", out->n);
    slip_fill(out->title, sizeof(out->title), slip_word(out->lang, SLIP_W_CONNECTIONS_N), num);
    return 0;
}

int store_slip_load(struct store *s, const struct store_print_job *job, struct slip *out,
                    struct err *err)
{
    return store_slip_load_lang(s, job, NULL, out, err);
}

int store_slip_load_lang(struct store *s, const struct store_print_job *job, const char *lang,
                         struct slip *out, struct err *err)
{
    int r;
    if (strcmp(job->kind, "test") == 0) {
        r = slip_test_page_lang(out, lang, job->created_at, err);
    } else if (strcmp(job->kind, "handshake") == 0 || strcmp(job->kind, "lead") == 0) {
        slip_init_lang(out, strcmp(job->kind, "lead") == 0 ? SLIP_LEAD : SLIP_HANDSHAKE, lang);
        r = load_handshake(s, job, out, err);
    } else if (strcmp(job->kind, "connections") == 0) {
        slip_init_lang(out, SLIP_CONNECTIONS, lang);
        r = load_connections(s, job, out, err);
    } else {
        slip_init_lang(out, SLIP_TEST, lang);
        r = err_set(err, "unknown slip kind \"%s\"", job->kind);
    }
    if (r == 1)
        err_set(err, "what print job %s was for is no longer in the database (erased?)", job->id);
    if (r != 0) {
        slip_free(out);
        return r;
    }
    snprintf(out->kiosk, sizeof(out->kiosk), "%s", s->kiosk_id);
    return 0;
}
