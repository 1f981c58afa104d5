/*
 * store_roster.h - bulk roster import into the store (store_roster.c).
 *
 * One import is one transaction: store_roster_begin, store_roster_put for
 * every row, then store_roster_finish (commit) or store_roster_abort
 * (rollback). Statements are prepared once and reused for every row, so
 * 50,000 rows take seconds, not minutes. Rows are upserted by reference, so
 * importing the same file twice leaves the same attendees and references.
 */
#ifndef KIOSK_STORE_ROSTER_H
#define KIOSK_STORE_ROSTER_H

#include <stdint.h>

#include <stddef.h>

#include "contact.h"
#include "csv.h"
#include "err.h"
#include "store.h"

struct store_roster;

struct store_roster_stats {
    long rows;      /* rows stored */
    long inserted;  /* new attendees */
    long updated;   /* attendees that existed (by any of their references) */
    long refs;      /* secondary references written */
    long ambiguous; /* secondary references shared by several attendees in
                       this import (an order's tickets, a buyer's e-mail):
                       not kept as lookup keys, since they would mislead */
};

/* Start an import: BEGIN IMMEDIATE and prepare the statements. On success
 * *out owns the transaction; on failure *out is NULL and nothing changed. */
int store_roster_begin(struct store *s, int64_t now_ms, struct store_roster **out, struct err *err);

/*
 * Upsert c (c->ref is the primary reference; empty fields keep stored
 * values; source 'roster') and attach refs[0..nrefs) with kinds[] (e.g.
 * "order", "pseudonym", "email"; empty or primary-equal refs are skipped;
 * another attendee's primary reference is never taken over).
 * line is the source line, remembered to report duplicates.
 * Returns 0; 1 when c->ref already appeared in this import (*dup_line says
 * where; nothing written); -1 on a database error (err set; the caller
 * must then store_roster_abort).
 */
int store_roster_put(struct store_roster *r, const struct contact *c, const char *const *refs,
                     const char *const *kinds, int nrefs, long line, long *dup_line,
                     struct err *err);

/* Drop ambiguous secondary references, commit, free r. Returns 0 (stats
 * filled; may be NULL) or -1 (rolled back, nothing imported). r is freed
 * either way. */
int store_roster_finish(struct store_roster *r, struct store_roster_stats *stats, struct err *err);

/* Roll back and free; accepts NULL. */
void store_roster_abort(struct store_roster *r);

/* Called once per bad row with its 1-based line and the reason. */
typedef void (*store_roster_bad_fn)(void *ctx, long line, const char *reason);

/*
 * Import a whole roster CSV read through read(read_ctx): sniff the
 * delimiter (delim 0) or use delim, skip a BOM, map the header
 * (roster_map_header with the --map overrides), check every row
 * (roster_row) and upsert the good ones in one transaction. Every bad row
 * (unreadable CSV, wrong field count, not UTF-8, over a limit, not an
 * e-mail, no reference, a reference repeated in the file) is passed to
 * bad_row (may be NULL); if there is any, nothing is imported.
 * mapping (may be NULL) receives "Column=field, ..." as understood.
 * Returns 0 with stats filled, or -1 with err set and the store unchanged.
 */
int store_roster_import(struct store *s, csv_read_fn read, void *read_ctx, char delim,
                        const char *const *overrides, int noverrides, int64_t now_ms,
                        store_roster_bad_fn bad_row, void *bad_ctx,
                        struct store_roster_stats *stats, char *mapping, size_t mapping_size,
                        struct err *err);

#endif
