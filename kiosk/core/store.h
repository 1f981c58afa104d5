/*
 * store.h - the kiosk's SQLite database, the source of truth.
 *
 * The store module (store.c and the store_*.c files beside it) is the only
 * code that talks to SQLite. Every statement is prepared with bound
 * parameters. Times are UTC milliseconds since the epoch, always passed in by
 * the caller. Every row has a UUIDv7 text id (time-ordered, random tail) and
 * the id of the kiosk that wrote it, so databases from many kiosks merge
 * without collisions.
 *
 * Durability: WAL journal, synchronous=FULL, foreign keys on. A write
 * function returns 0 only after its transaction committed; a caller may say
 * "saved" then and not before.
 */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "contact.h"
#include "err.h"

#define STORE_SCHEMA_VERSION 2
/* PRAGMA application_id marking a kiosk database: "KIOS". */
#define STORE_APP_ID 0x4B494F53

struct store;

/* Open (creating if absent, mode 0600) the database at path and bring its
 * schema up to date in one transaction. Refuses, with a clear message and
 * without touching the file: a file that is not a SQLite database or is
 * corrupt, a SQLite database of another application, a kiosk database of a
 * newer schema. kiosk_id names this kiosk for every row it writes; empty =
 * the id stored in the database (one is generated on first open).
 * On success *out owns the connection; on failure *out is NULL. */
int store_open(struct store **out, const char *path, const char *kiosk_id, int64_t now_ms,
               struct err *err);
/* Close; accepts NULL. */
void store_close(struct store *s);

/* Open an existing database read-only for inspection (doctor, merge source).
 * Never creates or migrates. The same refusals as store_open. */
int store_open_readonly(struct store **out, const char *path, struct err *err);

int store_schema_version(struct store *s);
/* Version of the SQLite library in use. */
const char *store_engine_version(void);
const char *store_kiosk_id(const struct store *s);
const char *store_path(const struct store *s);

/* PRAGMA integrity_check: 0 if "ok", else -1 with the first problem in err. */
int store_check(struct store *s, struct err *err);

/* Transactions, for callers that group several writes (e.g. a whole
 * handshake). Writes made outside an explicit transaction commit on their own. */
int store_begin(struct store *s, struct err *err);
int store_commit(struct store *s, struct err *err);
void store_rollback(struct store *s);

/* A new UUIDv7 for time now_ms, as 36 characters + NUL. */
void store_new_id(char out[KIOSK_ID_LEN], int64_t now_ms);

/* Settings (key/value, kept in the database). store_setting_get copies the
 * value into buf and returns 0, or returns 1 when absent (buf empty). */
int store_setting_get(struct store *s, const char *key, char *buf, size_t size, struct err *err);
int store_setting_set(struct store *s, const char *key, const char *value, int64_t now_ms,
                      struct err *err);

/* Append to the audit log (admin actions, exports, erasures). detail must
 * hold no personal data. */
int store_audit(struct store *s, const char *actor, const char *action, const char *detail,
                int64_t now_ms, struct err *err);

/* Insert or update an attendee by reference (c->ref must be set). Fields in
 * c that are empty do not erase stored ones. source: "badge", "roster",
 * "demo". Writes the attendee id into id_out. */
int store_attendee_upsert(struct store *s, const struct contact *c, const char *source,
                          int64_t now_ms, char id_out[KIOSK_ID_LEN], struct err *err);
/* Look an attendee up by any of its references. Returns 0 found, 1 not
 * found, -1 error. id_out may be NULL. */
int store_attendee_find(struct store *s, const char *ref, struct contact *out,
                        char id_out[KIOSK_ID_LEN], struct err *err);
/* Load by id. 0 found, 1 not found, -1 error. */
int store_attendee_get(struct store *s, const char *id, struct contact *out, struct err *err);
/* Attach another reference (order code, pseudonymization id...) to an attendee. */
int store_attendee_add_ref(struct store *s, const char *attendee_id, const char *ref,
                           const char *kind, struct err *err);

/* Record one scan (raw payload, detected format, attendee or NULL). Commits
 * before returning 0. */
struct store_scan {
    const unsigned char *payload;
    size_t len;
    const char *format;      /* detected badge format or "unknown"/"refused" */
    const char *attendee_id; /* may be NULL */
    const char *mode;        /* "handshake", "booth", "connections", "admin" */
    const char *source;      /* "camera", "wedge", "script" */
};
/* Returns 0 and the new scan's id in id_out (may be NULL), or -1 with err
 * set and nothing stored (payload past KIOSK_PAYLOAD_MAX, database error).
 * The payload is copied; the caller keeps ownership of scan. */
int store_scan_add(struct store *s, const struct store_scan *scan, int64_t now_ms,
                   char id_out[KIOSK_ID_LEN], struct err *err);

/* Row counts of a table in the schema (for stats, doctor and tests). */
long store_count(struct store *s, const char *table);

/* Interactions: a handshake between attendees a and b, or a booth lead
 * (kind "lead", b_id NULL, operator set). */
struct store_interaction {
    const char *kind; /* "handshake" | "lead" */
    const char *a_id;
    const char *b_id; /* NULL for a lead */
    const char *operator_name;
    int64_t consent_a_at, consent_b_at; /* 0 = no consent given */
    const char *consent_scope;          /* e.g. "card", "card+followup" */
    const char *consent_version;        /* privacy.consent_text */
    const char *objectives;
    const char *followup_choice; /* "none", "tomorrow", "next-week" */
};
/* Store one interaction (a and b must exist: foreign keys). Returns 0 and
 * the new id in id_out (may be NULL), or -1 with err set and nothing
 * stored. Follow-ups are queued separately (store_followup_queue). */
int store_interaction_add(struct store *s, const struct store_interaction *in, int64_t now_ms,
                          char id_out[KIOSK_ID_LEN], struct err *err);

/* Append a note to an interaction. Notes are never overwritten (the schema
 * refuses UPDATE on notes). */
int store_note_append(struct store *s, const char *interaction_id, const char *author,
                      const char *body, int64_t now_ms, struct err *err);

/* Booth lead qualification (one row per lead interaction; rating 0-5, tags
 * comma-separated, answers a JSON object as text). Upserts. */
int store_lead_set(struct store *s, const char *interaction_id, int rating, const char *tags,
                   const char *answers_json, int64_t now_ms, struct err *err);

/* ---- Privacy: erasure, retention, consent withdrawal (store_privacy.c) ----
 * Erasures run in one transaction (a savepoint inside a caller's), leave
 * only a SHA-256 tombstone per reference and an audit row of counts, and
 * then truncate the WAL so old page images do not linger. */
struct store_erase_counts {
    long attendees, refs, scans, interactions, notes, leads, followups, print_jobs;
};
/* Erase the attendee known by ref everywhere: attendee row and references,
 * its scans, every interaction it took part in with their notes, leads,
 * follow-ups and print jobs, its own follow-ups and print jobs. actor goes
 * to the audit log. Returns 0 erased, 1 no attendee has that reference (a
 * tombstone is still kept so a later merge cannot bring it in), -1 error
 * (nothing erased). counts may be NULL. */
int store_forget(struct store *s, const char *ref, const char *actor, int64_t now_ms,
                 struct store_erase_counts *counts, struct err *err);
/* store_forget that also calls job_fn(ctx, job_id) for every print job it
 * is about to erase (the person's own and those of every interaction they
 * took part in) and for the "connections" jobs of everyone they met (kept,
 * but their printed slips list the person), inside the erasure's
 * transaction, so the shell can delete slip files named after those ids
 * once this returns 0. job_fn may be
 * NULL; it returning non-zero cancels the erasure (-1, nothing erased).
 * Same returns and state after failure as store_forget; job_fn is never
 * called when the reference is unknown. */
int store_forget_jobs(struct store *s, const char *ref, const char *actor, int64_t now_ms,
                      struct store_erase_counts *counts,
                      int (*job_fn)(void *ctx, const char *job_id), void *ctx, struct err *err);
/* A growable list of print job ids: pass store_job_ids_add as job_fn and a
 * zeroed struct store_job_ids as ctx to store_forget_jobs. When memory runs
 * out, store_job_ids_add returns 1, which cancels the erasure (better than
 * leaving slips behind). Release with store_job_ids_free (accepts NULL). */
struct store_job_ids {
    char (*id)[KIOSK_ID_LEN];
    size_t n, cap;
};
int store_job_ids_add(void *ctx, const char *job_id);
void store_job_ids_free(struct store_job_ids *j);
/* Purge personal data older than days (0 = keep: returns 0 at once):
 * scans, interactions (with notes, leads, follow-ups, print jobs) and
 * follow-ups/print jobs whose created_at and updated_at are before
 * now_ms - days; then attendees not updated since and no longer referred
 * to. Returns 0 or -1 (nothing purged). counts may be NULL. */
int store_retention_purge(struct store *s, int days, int64_t now_ms,
                          struct store_erase_counts *counts, struct err *err);
/* Withdraw the consent of the attendee known by ref: consents on
 * interactions created up to now_ms become NULL (exports skip them), open
 * follow-ups involving them are cancelled (*cancelled says how many; may be
 * NULL). Sticky across merges. Returns 0, 1 unknown ref, -1 error. */
int store_consent_withdraw(struct store *s, const char *ref, const char *actor, int64_t now_ms,
                           long *cancelled, struct err *err);
/* 1 if the attendee withdrew consent, 0 if not, -1 error. */
int store_consent_withdrawn(struct store *s, const char *attendee_id, struct err *err);
/* SHA-256 of ref as 64 hex digits + NUL (the tombstone form). */
void store_ref_hash(const char *ref, char out[65]);

/* ---- Merging kiosks (store_merge.c) ----
 * The rules (idempotent, order-independent) are written atop store_merge.c. */
struct store_merge_stats {
    char src_kiosk[KIOSK_KIOSK_ID_MAX]; /* kiosk id of the source */
    long attendees_new, attendees_matched, attendees_updated;
    long refs, scans, interactions, leads, notes, followups; /* rows inserted or updated */
    long withdrawals, tombstones, audit;
    long erased; /* attendees erased again because they were forgotten somewhere */
};
/* Merge the kiosk database at src_path into s, in one transaction. The
 * source is opened read-only and never modified; it is refused with a clear
 * message (and nothing merged) if it is missing, not a kiosk database,
 * damaged, of an older or newer schema, or s's own file. Returns 0 (stats
 * filled) or -1 (s unchanged). */
int store_merge(struct store *s, const char *src_path, int64_t now_ms,
                struct store_merge_stats *stats, struct err *err);
/* Write a consistent, compact copy of the whole database to path (a new
 * file, mode 0600, no WAL beside it) while the kiosk keeps running: the file
 * to carry to another kiosk on a USB stick. Refuses an existing path.
 * Returns 0, or -1 (no file left behind). */
int store_snapshot(struct store *s, const char *path, struct err *err);

#endif
