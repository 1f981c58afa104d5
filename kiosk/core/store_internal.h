/*
 * store_internal.h - shared by the store_*.c files only; nobody else may
 * include it (or sqlite3.h).
 */
#ifndef KIOSK_STORE_INTERNAL_H
#define KIOSK_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

struct store {
    sqlite3 *db;
    char path[1024];
    char kiosk_id[KIOSK_KIOSK_ID_MAX];
    int readonly;
};

/* The attendee upsert rule shared by badges (store.c) and rosters
 * (store_roster.c): in ON CONFLICT DO UPDATE SET, a field arriving empty
 * never erases the stored one. Each expands to "col = ...," (trailing comma). */
#define STORE_KEEP(col)                                                                            \
    col " = CASE WHEN excluded." col " <> '' THEN excluded." col " ELSE " col " END,"
/* clang-format off */
#define STORE_ATTENDEE_KEEP_FIELDS                                                                 \
    STORE_KEEP("display_name") STORE_KEEP("given_name") STORE_KEEP("family_name")                 \
    STORE_KEEP("org") STORE_KEEP("title") STORE_KEEP("emails") STORE_KEEP("phones")                \
    STORE_KEEP("url") STORE_KEEP("note")
/* clang-format on */

/* Prepare sql or fill err with SQLite's message. Returns NULL on failure. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql, struct err *err);
/* Execute a statement that returns no rows (SQLITE_DONE expected). */
int store_exec(struct store *s, const char *sql, struct err *err);
/* Step st once and finalize it (always, also on failure): for statements
 * that write or return at most one row nobody reads. Adds the rows changed
 * to *changes when changes is not NULL. Returns 0, or -1 with err filled
 * from SQLite's message after `what` ("saving an attendee"). */
int store_step_done(struct store *s, sqlite3_stmt *st, long *changes, const char *what,
                    struct err *err);
/* Fill err from the connection's last error with a leading context. */
int store_fail(struct store *s, const char *what, struct err *err);
/* Bind text or NULL when v is NULL. */
int store_bind_text(sqlite3_stmt *st, int idx, const char *v);
/* Bind an attendee row's parameters ?1..?12: id, kiosk_id, ref, display_name,
 * given_name, family_name, org, title, emails, phones (newline-joined), url,
 * note — the column order of attendees. Values are copied by SQLite. */
void store_bind_attendee(sqlite3_stmt *st, const char *id, const char *kiosk_id,
                         const struct contact *c);
/* Copy column i as text into buf (empty when NULL). */
void store_col_text(sqlite3_stmt *st, int i, char *buf, size_t size);

/* A UUIDv7 text id for time ms (clamped at 0) with rnd as its 74 random
 * bits (the version and variant bits of rnd are overwritten). */
void store_uuid7(char out[KIOSK_ID_LEN], int64_t ms, const unsigned char rnd[10]);

/* store_privacy.c: run sql (binding ?1 = a as text, or NULL) and call
 * fn(ctx, text) with column 0 of each row as text ("" for NULL; valid only
 * during the call). fn returns 0 to go on; anything else stops the walk and
 * is returned as is (fn fills err if it wants a message). Returns 0 after
 * the last row, or -1 with err set to "<what>: <SQLite's message>" when the
 * statement fails. */
int store_each_text(struct store *s, const char *sql, const char *a, const char *what,
                    int (*fn)(void *ctx, const char *text), void *ctx, struct err *err);

/* store_privacy.c, for store_merge.c: erase one attendee by id (inside the
 * caller's transaction; tombstone = also record hashes of its references),
 * re-apply consent withdrawals, erase attendees whose references are
 * tombstoned (adds to *erased). 0 or -1. */
int store_privacy_erase_id(struct store *s, const char *attendee_id, int tombstone, int64_t now_ms,
                           struct store_erase_counts *c, struct err *err);
int store_privacy_apply(struct store *s, struct err *err);
int store_privacy_apply_tombstones(struct store *s, int64_t now_ms, long *erased, struct err *err);

#endif
