/*
 * store.c - opening, migrating and the basic rows of the kiosk database.
 *
 * Owns: the schema (migrations[] below, the one place it is written down),
 * the connection settings, ids, settings, audit log, attendees, scans,
 * interactions, notes and lead qualification. Other store_*.c files add
 * queries for one feature each and share store_internal.h.
 * Never: reads the clock (callers pass now_ms), overwrites a file it does not
 * recognise, reports success before a commit returned.
 */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The schema. Each entry moves the database from version i to i+1 and runs
 * in one transaction with the user_version bump. Never edit a released
 * entry; append a new one.
 *
 * Conventions: id TEXT PRIMARY KEY is a UUIDv7; kiosk_id names the writer;
 * *_at columns are UTC milliseconds since the epoch; lists (emails, phones,
 * tags) are newline- or comma-separated text as noted.
 */
static const char *const migrations[] = {
    /* 0 -> 1: the whole mission's schema */
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE attendees ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  ref TEXT NOT NULL UNIQUE,"       /* primary badge reference */
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  given_name TEXT NOT NULL DEFAULT '',"
    "  family_name TEXT NOT NULL DEFAULT '',"
    "  org TEXT NOT NULL DEFAULT '',"
    "  title TEXT NOT NULL DEFAULT '',"
    "  emails TEXT NOT NULL DEFAULT '',"  /* newline-separated */
    "  phones TEXT NOT NULL DEFAULT '',"  /* newline-separated */
    "  url TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  pitch TEXT NOT NULL DEFAULT '',"
    "  objectives TEXT NOT NULL DEFAULT '',"  /* comma-separated */
    "  badge_format TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL CHECK (source IN ('badge','roster','demo')),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    /* Every reference an attendee is known by: ticket secret, order code,
     * pseudonymization id, e-mail, URL token... */
    "CREATE TABLE attendee_refs ("
    "  ref TEXT PRIMARY KEY,"
    "  attendee_id TEXT NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL DEFAULT 'ref'"
    ");"
    "CREATE INDEX attendee_refs_attendee ON attendee_refs(attendee_id);"
    "CREATE TABLE scans ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  payload BLOB NOT NULL,"
    "  format TEXT NOT NULL,"
    "  attendee_id TEXT REFERENCES attendees(id) ON DELETE CASCADE,"
    "  mode TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  scanned_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX scans_time ON scans(scanned_at);"
    "CREATE INDEX scans_attendee ON scans(attendee_id);"
    "CREATE TABLE interactions ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('handshake','lead')),"
    "  a_id TEXT NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,"
    "  b_id TEXT REFERENCES attendees(id) ON DELETE CASCADE,"
    "  operator TEXT NOT NULL DEFAULT '',"
    "  consent_a_at INTEGER,"          /* NULL = not given / withdrawn */
    "  consent_b_at INTEGER,"
    "  consent_scope TEXT NOT NULL DEFAULT '',"
    "  consent_version TEXT NOT NULL DEFAULT '',"
    "  objectives TEXT NOT NULL DEFAULT '',"
    "  followup_choice TEXT NOT NULL DEFAULT 'none',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK ((kind = 'handshake') = (b_id IS NOT NULL))"
    ");"
    "CREATE INDEX interactions_a ON interactions(a_id);"
    "CREATE INDEX interactions_b ON interactions(b_id);"
    "CREATE INDEX interactions_time ON interactions(created_at);"
    "CREATE TABLE leads ("
    "  interaction_id TEXT PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,"
    "  kiosk_id TEXT NOT NULL,"
    "  rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),"
    "  tags TEXT NOT NULL DEFAULT '',"      /* comma-separated */
    "  answers TEXT NOT NULL DEFAULT '{}',"  /* JSON object */
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE notes ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  interaction_id TEXT NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,"
    "  author TEXT NOT NULL DEFAULT '',"
    "  body TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX notes_interaction ON notes(interaction_id, created_at);"
    "CREATE TRIGGER notes_append_only BEFORE UPDATE ON notes "
    "BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;"
    "CREATE TABLE followups ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  interaction_id TEXT REFERENCES interactions(id) ON DELETE CASCADE,"
    /* owner: the other attendee of a handshake, or NULL for a booth lead,
     * whose owner is the operator named in owner_name (followup.h). */
    "  owner_id TEXT REFERENCES attendees(id) ON DELETE CASCADE,"
    "  owner_name TEXT NOT NULL DEFAULT '',"
    "  contact_id TEXT NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"   /* 'thank-you', 'check-in' */
    "  due_at INTEGER NOT NULL,"
    "  meetings INTEGER NOT NULL DEFAULT 1,"  /* repeat meetings merged into this one */
    "  status TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (status IN ('queued','due','done','skipped','cancelled')),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX followups_due ON followups(status, due_at);"
    "CREATE INDEX followups_pair ON followups(contact_id, owner_id, owner_name);"
    "CREATE TABLE print_jobs ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  interaction_id TEXT REFERENCES interactions(id) ON DELETE CASCADE,"
    "  attendee_id TEXT REFERENCES attendees(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"   /* 'handshake', 'lead', 'connections', 'test' */
    "  status TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (status IN ('queued','printing','done','failed','cancelled')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '',"
    "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX print_jobs_status ON print_jobs(status, next_attempt_at);"
    /* Privacy (store_privacy.c): a withdrawal of consent per attendee, and a
     * tombstone per forgotten reference (SHA-256 of the ref, never the ref)
     * so that merging another kiosk's copy does not bring the person back. */
    "CREATE TABLE consent_withdrawals ("
    "  attendee_id TEXT PRIMARY KEY REFERENCES attendees(id) ON DELETE CASCADE,"
    "  kiosk_id TEXT NOT NULL,"
    "  withdrawn_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE forgotten ("
    "  ref_hash TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE TABLE audit_log ("
    "  id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  at INTEGER NOT NULL"
    ");",
    /* 1 -> 2: every id under which some kiosk created an attendee, with that
     * row's created_at (store_merge.c). Merging keeps one row per person
     * (the smallest id); this table remembers the other kiosks' ids so that
     * a tombstone at time T can drop the copies created at or before T and
     * give a person who registered again after T the identity of their
     * first copy created after it, in whatever order kiosks are merged. A
     * row is logged by the trigger whenever an attendee row is inserted
     * (badge, roster, merge); existing attendees are their own first id.
     * First, an index on every foreign key column v1 left without one:
     * each cascade from an erased attendee or interaction, and each rekey
     * of a merge, read all of followups and print_jobs (a retention purge
     * of 3,000 interactions took 25 s against 26,000 follow-ups). */
    "CREATE INDEX followups_owner ON followups(owner_id);"
    "CREATE INDEX followups_interaction ON followups(interaction_id);"
    "CREATE INDEX print_jobs_attendee ON print_jobs(attendee_id);"
    "CREATE INDEX print_jobs_interaction ON print_jobs(interaction_id);"
    "CREATE TABLE attendee_ids ("
    "  id TEXT PRIMARY KEY,"
    "  attendee_id TEXT NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX attendee_ids_attendee ON attendee_ids(attendee_id);"
    "INSERT INTO attendee_ids(id, attendee_id, created_at) "
    "  SELECT id, id, created_at FROM attendees;"
    /* The language of the screen that asked for a slip (en, de, fr, es):
     * the slip's own words are printed in it; '' (jobs queued before) and
     * a language without translations print English (store_print.c). */
    "ALTER TABLE print_jobs ADD COLUMN lang TEXT NOT NULL DEFAULT '';"
    /* Keep the trigger last: test_upgrade_atomic makes it the statement
     * that fails, to see that everything before it is rolled back. */
    "CREATE TRIGGER attendee_ids_log AFTER INSERT ON attendees "
    "BEGIN INSERT OR IGNORE INTO attendee_ids(id, attendee_id, created_at) "
    "VALUES (new.id, new.id, new.created_at); END;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(NMIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

int store_fail(struct store *s, const char *what, struct err *err)
{
    return err_set(err, "%s: %s", what, s && s->db ? sqlite3_errmsg(s->db) : "no database");
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql, struct err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_fail(s, "database", err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int store_exec(struct store *s, const char *sql, struct err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, "database: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int store_bind_text(sqlite3_stmt *st, int idx, const char *v)
{
    if (!v)
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
}

void store_col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
}

void store_uuid7(char out[KIOSK_ID_LEN], int64_t ms, const unsigned char rnd[10])
{
    /* UUIDv7 (RFC 9562): 48-bit ms timestamp, version 7, then the random
     * part with the variant bits set. */
    unsigned char b[16];
    uint64_t t = (uint64_t)(ms < 0 ? 0 : ms);
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(t >> (40 - 8 * i));
    memcpy(b + 6, rnd, 10);
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0F));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
    snprintf(out, KIOSK_ID_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

void store_new_id(char out[KIOSK_ID_LEN], int64_t now_ms)
{
    /* 74 random bits after the time: time-ordered ids keep inserts at the
     * end of the B-tree. */
    unsigned char r[10];
    uint64_t t = (uint64_t)(now_ms < 0 ? 0 : now_ms);
    size_t got = 0;
    while (got < sizeof(r)) {
        ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* No entropy source: fall back to a weaker mix rather than fail a scan. */
            for (size_t i = got; i < sizeof(r); i++)
                r[i] = (unsigned char)(rand() ^ (int)(t >> (i % 6)));
            break;
        }
        got += (size_t)n;
    }
    store_uuid7(out, now_ms, r);
}

static int pragma_int(struct store *s, const char *sql, int *out, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    int rc;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, "database", err);
    return 0;
}

/* Decide whether the open file is ours: returns 0 (kiosk db, *version set),
 * 1 (empty: fresh), -1 (refuse, err set). */
static int identify(struct store *s, int *version, struct err *err)
{
    int app_id = 0, nobjects = 0;
    struct err e;
    if (pragma_int(s, "PRAGMA application_id", &app_id, &e) < 0 ||
        pragma_int(s, "SELECT count(*) FROM sqlite_master", &nobjects, &e) < 0 ||
        pragma_int(s, "PRAGMA user_version", version, &e) < 0)
        return err_set(err, "%s is not a kiosk database, or it is damaged (%s); it was left "
                            "untouched. Move it aside or pass another --db.",
                       s->path, e.msg);
    if (app_id == 0 && nobjects == 0 && *version == 0)
        return 1;
    if (app_id != STORE_APP_ID)
        return err_set(err, "%s is a SQLite database of another application, not a kiosk "
                            "database; it was left untouched.", s->path);
    if (*version > STORE_SCHEMA_VERSION)
        return err_set(err, "%s was written by a newer kiosk (schema %d; this kiosk knows up to "
                            "%d). Upgrade the kiosk software; the file was left untouched.",
                       s->path, *version, STORE_SCHEMA_VERSION);
    return 0;
}

static int migrate(struct store *s, int from, struct err *err)
{
    char sql[64];
    int now = from;
    if (store_exec(s, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    /* `from` was read before the write lock: another process opening the
     * same file at the same moment may have upgraded it since. */
    if (pragma_int(s, "PRAGMA user_version", &now, err) < 0)
        goto fail;
    if (now != from) {
        if (now < from || now > STORE_SCHEMA_VERSION) {
            err_set(err, "%s changed schema (%d to %d) while it was being opened; it was left "
                         "untouched",
                    s->path, from, now);
            goto fail;
        }
        from = now; /* what is left to do, maybe nothing */
    }
    snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", STORE_APP_ID);
    if (from == 0 && store_exec(s, sql, err) < 0)
        goto fail;
    for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
        if (store_exec(s, migrations[v], err) < 0)
            goto fail;
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    if (store_exec(s, sql, err) < 0 || store_exec(s, "COMMIT", err) < 0)
        goto fail;
    return 0;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int connect(struct store *s, int flags, struct err *err)
{
    if (sqlite3_open_v2(s->path, &s->db, flags, NULL) != SQLITE_OK)
        return err_set(err, "cannot open database %s: %s", s->path,
                       s->db ? sqlite3_errmsg(s->db) : "out of memory");
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    return 0;
}

int store_open(struct store **out, const char *path, const char *kiosk_id, int64_t now_ms,
               struct err *err)
{
    struct store *s = NULL;
    int version = 0, fresh, result = -1;
    char stored_id[KIOSK_KIOSK_ID_MAX] = "";

    *out = NULL;
    if (strlen(path) >= sizeof(s->path))
        return err_set(err, "database path too long");
    if (kiosk_id && strlen(kiosk_id) >= KIOSK_KIOSK_ID_MAX)
        return err_set(err, "kiosk id longer than %d bytes", KIOSK_KIOSK_ID_MAX - 1);
    s = calloc(1, sizeof(*s));
    if (!s)
        return err_set(err, "out of memory");
    snprintf(s->path, sizeof(s->path), "%s", path);

    /* Create a new file ourselves so it is 0600 from its first byte. */
    {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
        else if (errno != EEXIST) {
            err_set(err, "cannot create database %s: %s", path, strerror(errno));
            goto out;
        }
    }
    if (connect(s, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, err) < 0)
        goto out;
    fresh = identify(s, &version, err);
    if (fresh < 0)
        goto out;
    /* WAL + FULL: a committed transaction survives power loss. */
    if (store_exec(s, "PRAGMA journal_mode = WAL", err) < 0 ||
        store_exec(s, "PRAGMA synchronous = FULL", err) < 0 ||
        store_exec(s, "PRAGMA foreign_keys = ON", err) < 0)
        goto out;
    if (version < STORE_SCHEMA_VERSION && migrate(s, version, err) < 0)
        goto out;

    if (store_setting_get(s, "kiosk.id", stored_id, sizeof(stored_id), err) < 0)
        goto out;
    if (kiosk_id && kiosk_id[0]) {
        snprintf(s->kiosk_id, sizeof(s->kiosk_id), "%s", kiosk_id);
        if (strcmp(stored_id, kiosk_id) != 0 &&
            store_setting_set(s, "kiosk.id", kiosk_id, now_ms, err) < 0)
            goto out;
    } else if (stored_id[0]) {
        snprintf(s->kiosk_id, sizeof(s->kiosk_id), "%s", stored_id);
    } else {
        char id[KIOSK_ID_LEN];
        store_new_id(id, now_ms);
        /* "kiosk-" + the random tail: short, unique enough to tell kiosks apart. */
        snprintf(s->kiosk_id, sizeof(s->kiosk_id), "kiosk-%.8s", id + 28);
        if (store_setting_set(s, "kiosk.id", s->kiosk_id, now_ms, err) < 0)
            goto out;
    }
    *out = s;
    s = NULL;
    result = 0;
out:
    store_close(s);
    return result;
}

int store_open_readonly(struct store **out, const char *path, struct err *err)
{
    struct store *s;
    int version = 0, r;
    *out = NULL;
    if (access(path, F_OK) != 0)
        return err_set(err, "%s: %s", path, strerror(errno));
    s = calloc(1, sizeof(*s));
    if (!s)
        return err_set(err, "out of memory");
    snprintf(s->path, sizeof(s->path), "%s", path);
    s->readonly = 1;
    if (connect(s, SQLITE_OPEN_READONLY, err) < 0)
        goto fail;
    r = identify(s, &version, err);
    if (r < 0)
        goto fail;
    if (r == 1 || version < STORE_SCHEMA_VERSION) {
        err_set(err, "%s has schema %d; open it once with this kiosk to upgrade it", path,
                version);
        goto fail;
    }
    store_setting_get(s, "kiosk.id", s->kiosk_id, sizeof(s->kiosk_id), NULL);
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->db)
        sqlite3_close_v2(s->db);
    free(s);
}

int store_schema_version(struct store *s)
{
    int v = -1;
    pragma_int(s, "PRAGMA user_version", &v, NULL);
    return v;
}

const char *store_engine_version(void)
{
    return sqlite3_libversion();
}

const char *store_kiosk_id(const struct store *s)
{
    return s->kiosk_id;
}

const char *store_path(const struct store *s)
{
    return s->path;
}

int store_check(struct store *s, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, "PRAGMA integrity_check", err);
    int rc, result = -1;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") == 0)
            result = 0;
        else
            err_set(err, "integrity check: %s", t ? t : "?");
    } else {
        store_fail(s, "integrity check", err);
    }
    sqlite3_finalize(st);
    return result;
}

int store_begin(struct store *s, struct err *err)
{
    return store_exec(s, "BEGIN IMMEDIATE", err);
}

int store_commit(struct store *s, struct err *err)
{
    if (store_exec(s, "COMMIT", err) < 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

void store_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Run a prepared write to completion and finalize it. */
int store_step_done(struct store *s, sqlite3_stmt *st, long *changes, const char *what,
                    struct err *err)
{
    int rc = sqlite3_step(st);
    int result = 0;
    /* The message is read before finalize, while it is still this step's. */
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        result = store_fail(s, what, err);
    sqlite3_finalize(st);
    if (result == 0 && changes)
        *changes += sqlite3_changes(s->db);
    return result;
}

int store_setting_get(struct store *s, const char *key, char *buf, size_t size, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, "SELECT value FROM settings WHERE key = ?1", err);
    int rc, result;
    buf[0] = '\0';
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, buf, size);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    } else {
        result = store_fail(s, "reading a setting", err);
    }
    sqlite3_finalize(st);
    return result;
}

int store_setting_set(struct store *s, const char *key, const char *value, int64_t now_ms,
                      struct err *err)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO settings(key, value, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        err);
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    sqlite3_bind_int64(st, 3, now_ms);
    return store_step_done(s, st, NULL, "saving a setting", err);
}

int store_audit(struct store *s, const char *actor, const char *action, const char *detail,
                int64_t now_ms, struct err *err)
{
    char id[KIOSK_ID_LEN];
    sqlite3_stmt *st = store_prepare(s,
                                     "INSERT INTO audit_log(id, kiosk_id, actor, action, detail, "
                                     "at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                     err);
    if (!st)
        return -1;
    store_new_id(id, now_ms);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    store_bind_text(st, 3, actor ? actor : "");
    store_bind_text(st, 4, action);
    store_bind_text(st, 5, detail ? detail : "");
    sqlite3_bind_int64(st, 6, now_ms);
    return store_step_done(s, st, NULL, "writing the audit log", err);
}

/* Join a contact's list field with newlines. */
static void join_list(char *out, size_t size, const char *list, int n, size_t width)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        int w = snprintf(out + used, size - used, "%s%s", i ? "\n" : "", list + (size_t)i * width);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

void store_bind_attendee(sqlite3_stmt *st, const char *id, const char *kiosk_id,
                         const struct contact *c)
{
    char emails[KIOSK_EMAILS_MAX * KIOSK_EMAIL_MAX], phones[KIOSK_PHONES_MAX * KIOSK_PHONE_MAX];
    join_list(emails, sizeof(emails), &c->emails[0][0], c->n_emails, KIOSK_EMAIL_MAX);
    join_list(phones, sizeof(phones), &c->phones[0][0], c->n_phones, KIOSK_PHONE_MAX);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, kiosk_id);
    store_bind_text(st, 3, c->ref);
    store_bind_text(st, 4, c->display_name);
    store_bind_text(st, 5, c->given_name);
    store_bind_text(st, 6, c->family_name);
    store_bind_text(st, 7, c->org);
    store_bind_text(st, 8, c->title);
    store_bind_text(st, 9, emails); /* bound as a copy (SQLITE_TRANSIENT) */
    store_bind_text(st, 10, phones);
    store_bind_text(st, 11, c->url);
    store_bind_text(st, 12, c->note);
}

static void split_list(const char *text, char *list, int *n, int max, size_t width)
{
    const char *p = text;
    *n = 0;
    while (*p && *n < max) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0 && len < width) {
            memcpy(list + (size_t)*n * width, p, len);
            list[(size_t)*n * width + len] = '\0';
            (*n)++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
}

int store_attendee_upsert(struct store *s, const struct contact *c, const char *source,
                          int64_t now_ms, char id_out[KIOSK_ID_LEN], struct err *err)
{
    char id[KIOSK_ID_LEN];
    sqlite3_stmt *st;
    int found, result = -1;

    if (!c->ref[0])
        return err_set(err, "an attendee needs a reference");
    found = store_attendee_find(s, c->ref, NULL, id, err);
    if (found < 0)
        return -1;
    if (found == 1)
        store_new_id(id, now_ms);
    /* Empty incoming fields keep what is stored (a later, thinner badge scan
     * must not erase what the roster said). */
    st = store_prepare(
        s,
        "INSERT INTO attendees(id, kiosk_id, ref, display_name, given_name, family_name, org, "
        "title, emails, phones, url, note, pitch, objectives, badge_format, source, created_at, "
        "updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?17) "
        "ON CONFLICT(id) DO UPDATE SET "
        STORE_ATTENDEE_KEEP_FIELDS STORE_KEEP("pitch") STORE_KEEP("objectives")
            STORE_KEEP("badge_format") "updated_at = excluded.updated_at",
        err);
    if (!st)
        return -1;
    store_bind_attendee(st, id, s->kiosk_id, c);
    store_bind_text(st, 13, c->pitch);
    store_bind_text(st, 14, c->objectives);
    store_bind_text(st, 15, c->format);
    store_bind_text(st, 16, source);
    sqlite3_bind_int64(st, 17, now_ms);
    if (store_step_done(s, st, NULL, "saving an attendee", err) < 0)
        return -1;
    if (found == 1) {
        st = store_prepare(s,
                           "INSERT OR IGNORE INTO attendee_refs(ref, attendee_id, kind) "
                           "VALUES (?1, ?2, 'primary')",
                           err);
        if (!st)
            return -1;
        store_bind_text(st, 1, c->ref);
        store_bind_text(st, 2, id);
        if (store_step_done(s, st, NULL, "saving an attendee reference", err) < 0)
            return -1;
    }
    if (id_out)
        memcpy(id_out, id, KIOSK_ID_LEN);
    result = 0;
    return result;
}

int store_attendee_add_ref(struct store *s, const char *attendee_id, const char *ref,
                           const char *kind, struct err *err)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "INSERT INTO attendee_refs(ref, attendee_id, kind) VALUES "
                                     "(?1, ?2, ?3) ON CONFLICT(ref) DO UPDATE SET "
                                     "attendee_id = excluded.attendee_id, kind = excluded.kind",
                                     err);
    if (!st)
        return -1;
    store_bind_text(st, 1, ref);
    store_bind_text(st, 2, attendee_id);
    store_bind_text(st, 3, kind ? kind : "ref");
    return store_step_done(s, st, NULL, "saving an attendee reference", err);
}

#define ATTENDEE_COLS                                                                              \
    "a.id, a.ref, a.display_name, a.given_name, a.family_name, a.org, a.title, a.emails, "        \
    "a.phones, a.url, a.note, a.pitch, a.objectives, a.badge_format"

static void row_to_contact(sqlite3_stmt *st, struct contact *c)
{
    char list[KIOSK_EMAILS_MAX * KIOSK_EMAIL_MAX];
    contact_clear(c);
    store_col_text(st, 1, c->ref, sizeof(c->ref));
    store_col_text(st, 2, c->display_name, sizeof(c->display_name));
    store_col_text(st, 3, c->given_name, sizeof(c->given_name));
    store_col_text(st, 4, c->family_name, sizeof(c->family_name));
    store_col_text(st, 5, c->org, sizeof(c->org));
    store_col_text(st, 6, c->title, sizeof(c->title));
    store_col_text(st, 7, list, sizeof(list));
    split_list(list, &c->emails[0][0], &c->n_emails, KIOSK_EMAILS_MAX, KIOSK_EMAIL_MAX);
    store_col_text(st, 8, list, sizeof(list));
    split_list(list, &c->phones[0][0], &c->n_phones, KIOSK_PHONES_MAX, KIOSK_PHONE_MAX);
    store_col_text(st, 9, c->url, sizeof(c->url));
    store_col_text(st, 10, c->note, sizeof(c->note));
    store_col_text(st, 11, c->pitch, sizeof(c->pitch));
    store_col_text(st, 12, c->objectives, sizeof(c->objectives));
    store_col_text(st, 13, c->format, sizeof(c->format));
}

static int attendee_query(struct store *s, const char *sql, const char *key, struct contact *out,
                          char id_out[KIOSK_ID_LEN], struct err *err)
{
    sqlite3_stmt *st = store_prepare(s, sql, err);
    int rc, result;
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (out)
            row_to_contact(st, out);
        if (id_out)
            store_col_text(st, 0, id_out, KIOSK_ID_LEN);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    } else {
        result = store_fail(s, "reading an attendee", err);
    }
    sqlite3_finalize(st);
    return result;
}

int store_attendee_find(struct store *s, const char *ref, struct contact *out,
                        char id_out[KIOSK_ID_LEN], struct err *err)
{
    return attendee_query(s,
                          "SELECT " ATTENDEE_COLS " FROM attendee_refs r JOIN attendees a ON "
                          "a.id = r.attendee_id WHERE r.ref = ?1",
                          ref, out, id_out, err);
}

int store_attendee_get(struct store *s, const char *id, struct contact *out, struct err *err)
{
    return attendee_query(s, "SELECT " ATTENDEE_COLS " FROM attendees a WHERE a.id = ?1", id, out,
                          NULL, err);
}

int store_scan_add(struct store *s, const struct store_scan *scan, int64_t now_ms,
                   char id_out[KIOSK_ID_LEN], struct err *err)
{
    char id[KIOSK_ID_LEN];
    sqlite3_stmt *st;
    if (scan->len > KIOSK_PAYLOAD_MAX)
        return err_set(err, "payload longer than %d bytes", KIOSK_PAYLOAD_MAX);
    st = store_prepare(s,
                       "INSERT INTO scans(id, kiosk_id, payload, format, attendee_id, mode, "
                       "source, scanned_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                       err);
    if (!st)
        return -1;
    store_new_id(id, now_ms);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    sqlite3_bind_blob(st, 3, scan->payload ? (const void *)scan->payload : "", (int)scan->len,
                      SQLITE_TRANSIENT);
    store_bind_text(st, 4, scan->format ? scan->format : "unknown");
    store_bind_text(st, 5, scan->attendee_id);
    store_bind_text(st, 6, scan->mode ? scan->mode : "handshake");
    store_bind_text(st, 7, scan->source ? scan->source : "camera");
    sqlite3_bind_int64(st, 8, now_ms);
    if (store_step_done(s, st, NULL, "saving a scan", err) < 0)
        return -1;
    if (id_out)
        memcpy(id_out, id, KIOSK_ID_LEN);
    return 0;
}

long store_count(struct store *s, const char *table)
{
    /* Table names cannot be bound; accept only names from the schema. */
    static const char *const tables[] = {"settings", "attendees",  "attendee_refs", "scans",
                                         "interactions", "leads", "notes", "followups",
                                         "print_jobs", "audit_log", "consent_withdrawals",
                                         "forgotten"};
    char sql[96];
    sqlite3_stmt *st;
    long n = -1;
    size_t i;
    for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        if (strcmp(tables[i], table) == 0)
            break;
    if (i == sizeof(tables) / sizeof(tables[0]))
        return -1;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
    st = store_prepare(s, sql, NULL);
    if (!st)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int store_interaction_add(struct store *s, const struct store_interaction *in, int64_t now_ms,
                          char id_out[KIOSK_ID_LEN], struct err *err)
{
    char id[KIOSK_ID_LEN];
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO interactions(id, kiosk_id, kind, a_id, b_id, operator, consent_a_at, "
        "consent_b_at, consent_scope, consent_version, objectives, followup_choice, created_at, "
        "updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)",
        err);
    if (!st)
        return -1;
    store_new_id(id, now_ms);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    store_bind_text(st, 3, in->kind);
    store_bind_text(st, 4, in->a_id);
    store_bind_text(st, 5, in->b_id);
    store_bind_text(st, 6, in->operator_name ? in->operator_name : "");
    if (in->consent_a_at)
        sqlite3_bind_int64(st, 7, in->consent_a_at);
    else
        sqlite3_bind_null(st, 7);
    if (in->consent_b_at)
        sqlite3_bind_int64(st, 8, in->consent_b_at);
    else
        sqlite3_bind_null(st, 8);
    store_bind_text(st, 9, in->consent_scope ? in->consent_scope : "");
    store_bind_text(st, 10, in->consent_version ? in->consent_version : "");
    store_bind_text(st, 11, in->objectives ? in->objectives : "");
    store_bind_text(st, 12, in->followup_choice ? in->followup_choice : "none");
    sqlite3_bind_int64(st, 13, now_ms);
    if (store_step_done(s, st, NULL, "saving an interaction", err) < 0)
        return -1;
    if (id_out)
        memcpy(id_out, id, KIOSK_ID_LEN);
    return 0;
}

int store_note_append(struct store *s, const char *interaction_id, const char *author,
                      const char *body, int64_t now_ms, struct err *err)
{
    char id[KIOSK_ID_LEN];
    sqlite3_stmt *st;
    if (strlen(body) >= KIOSK_NOTE_MAX)
        return err_set(err, "note longer than %d bytes", KIOSK_NOTE_MAX - 1);
    st = store_prepare(s,
                       "INSERT INTO notes(id, kiosk_id, interaction_id, author, body, "
                       "created_at) VALUES (?1,?2,?3,?4,?5,?6)",
                       err);
    if (!st)
        return -1;
    store_new_id(id, now_ms);
    store_bind_text(st, 1, id);
    store_bind_text(st, 2, s->kiosk_id);
    store_bind_text(st, 3, interaction_id);
    store_bind_text(st, 4, author ? author : "");
    store_bind_text(st, 5, body);
    sqlite3_bind_int64(st, 6, now_ms);
    return store_step_done(s, st, NULL, "saving a note", err);
}

int store_lead_set(struct store *s, const char *interaction_id, int rating, const char *tags,
                   const char *answers_json, int64_t now_ms, struct err *err)
{
    sqlite3_stmt *st;
    if (rating < 0 || rating > 5)
        return err_set(err, "rating must be 0-5");
    st = store_prepare(s,
                       "INSERT INTO leads(interaction_id, kiosk_id, rating, tags, answers, "
                       "updated_at) VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(interaction_id) DO "
                       "UPDATE SET rating = excluded.rating, tags = excluded.tags, answers = "
                       "excluded.answers, updated_at = excluded.updated_at",
                       err);
    if (!st)
        return -1;
    store_bind_text(st, 1, interaction_id);
    store_bind_text(st, 2, s->kiosk_id);
    sqlite3_bind_int(st, 3, rating);
    store_bind_text(st, 4, tags ? tags : "");
    store_bind_text(st, 5, answers_json && answers_json[0] ? answers_json : "{}");
    sqlite3_bind_int64(st, 6, now_ms);
    return store_step_done(s, st, NULL, "saving a lead", err);
}
