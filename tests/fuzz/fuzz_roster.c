/*
 * fuzz_roster.c - libFuzzer target for the whole roster import: a CSV into
 * a real SQLite store (a file in a temporary folder) via store_roster_import.
 *
 * The first byte picks the delimiter (sniffed, ',', ';', TAB) and whether
 * a --map override ("#1=ref") applies; the rest is the file. The store
 * holds two attendees from before (one with an order code as a second
 * reference), so rows can update them or collide with their references.
 * Promises checked, not only "no crash":
 * - all or nothing: a refused import leaves every row of attendees and
 *   attendee_refs (and every table's count) exactly as it was;
 * - acceptance is what the reader and row checks (csv.c, roster.c) say of
 *   the file: every record readable, every row good, no reference twice;
 * - after an accepted import every row resolves by its primary reference,
 *   its order code, pseudonym and e-mail lead to it (unless a primary
 *   reference or several attendees claim them: then to that one, or none),
 *   the counts add up (rows = inserted + updated; attendees grew by
 *   inserted), two rows of the file never end up as one attendee unless
 *   an attendee from before joined them, the last row to reach an attendee
 *   is what it says, and the earlier attendees keep their own references.
 * The store is put back to its first state after every accepted import.
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "roster.h"
#include "store.h"
#include "store_roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW       1767225600000LL
#define INPUT_MAX 16384
#define ROWS_MAX  512

static struct store *store;
static sqlite3 *peek; /* a second connection, to compare whole tables */
static char dir[64], dbpath[96];
static char seed_id[2][KIOSK_ID_LEN];
static const char *const seed_ref[2] = {"seed-1", "seed2@example.org"};
static sqlite3_stmt *fp_st[3]; /* see prepare_fingerprint */
static uint64_t baseline;      /* fingerprint of the store as reset() left it */
static int have_baseline;

static void cleanup(void)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    char path[128];
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(fp_st[i]);
    sqlite3_close(peek);
    store_close(store);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s%s", dbpath, tails[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void seed(void)
{
    struct contact c;
    struct err err;
    contact_clear(&c);
    contact_set(c.ref, sizeof(c.ref), seed_ref[0]);
    contact_set(c.display_name, sizeof(c.display_name), "Seed One");
    if (store_attendee_upsert(store, &c, "badge", NOW, seed_id[0], &err) < 0 ||
        store_attendee_add_ref(store, seed_id[0], "ORD-SEED", "order", &err) < 0)
        abort();
    contact_clear(&c);
    contact_set(c.ref, sizeof(c.ref), seed_ref[1]);
    contact_set(c.org, sizeof(c.org), "Seed Org");
    contact_add_email(&c, seed_ref[1]);
    if (store_attendee_upsert(store, &c, "badge", NOW, seed_id[1], &err) < 0)
        abort();
}

static void prepare_fingerprint(void);

static void setup(void)
{
    struct err err;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof(dir), "%s/fuzz_roster.XXXXXX", base);
    if (!mkdtemp(dir))
        abort();
    snprintf(dbpath, sizeof(dbpath), "%s/kiosk.db", dir);
    if (store_open(&store, dbpath, "kiosk-fuzz", NOW, &err) < 0 ||
        sqlite3_open_v2(dbpath, &peek, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        abort();
    sqlite3_busy_timeout(peek, 5000);
    atexit(cleanup);
    seed();
    prepare_fingerprint();
}

static void reset(void)
{
    if (sqlite3_exec(peek, "DELETE FROM attendee_refs; DELETE FROM attendees", NULL, NULL, NULL) !=
        SQLITE_OK)
        abort();
    seed();
    have_baseline = 0;
}

/* The store's content: every row of the two tables an import writes, and
 * the row count of every table (statements prepared once, in setup). */

static void prepare_fingerprint(void)
{
    static char counts[4096];
    size_t used = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(peek, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
                           NULL) != SQLITE_OK)
        abort();
    while (sqlite3_step(st) == SQLITE_ROW) {
        int n = snprintf(counts + used, sizeof(counts) - used, "%sSELECT count(*) FROM \"%s\"",
                         used ? " UNION ALL " : "", (const char *)sqlite3_column_text(st, 0));
        if (n < 0 || (size_t)n >= sizeof(counts) - used)
            abort();
        used += (size_t)n;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(peek, "SELECT * FROM attendees ORDER BY id", -1, &fp_st[0], NULL) ||
        sqlite3_prepare_v2(peek, "SELECT * FROM attendee_refs ORDER BY ref", -1, &fp_st[1], NULL) ||
        sqlite3_prepare_v2(peek, counts, -1, &fp_st[2], NULL))
        abort();
}

/* FNV-1a over every value of every row. */
static uint64_t fingerprint(void)
{
    uint64_t h = 14695981039346656037ULL;
    for (int q = 0; q < 3; q++) {
        sqlite3_stmt *st = fp_st[q];
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                const unsigned char *p = sqlite3_column_blob(st, i);
                int n = sqlite3_column_bytes(st, i);
                h = (h ^ (uint64_t)sqlite3_column_type(st, i)) * 1099511628211ULL;
                for (int k = 0; k < n; k++)
                    h = (h ^ p[k]) * 1099511628211ULL;
                h = (h ^ 0xFF) * 1099511628211ULL;
            }
        }
        sqlite3_reset(st);
    }
    return h;
}

struct mem {
    const uint8_t *p;
    size_t len, pos;
};

static long mem_read(void *ctx, char *buf, size_t size)
{
    struct mem *m = ctx;
    size_t n = m->len - m->pos;
    if (n > size)
        n = size;
    memcpy(buf, m->p + m->pos, n);
    m->pos += n;
    return (long)n;
}

struct row {
    struct contact c;
    char sec[3][KIOSK_REF_MAX]; /* order code, pseudonym, e-mail */
    char id[KIOSK_ID_LEN];
};

/* What the import should do, from the reader and the row checks alone:
 * 1 accept (rows filled), 0 refuse, -1 too many rows to follow here. */
static int expect(const uint8_t *data, size_t size, char delim, const char *const *maps, int nmaps,
                  struct row *rows, int *nrows)
{
    struct err err;
    struct csv *c = csv_new_mem((const char *)data, size, delim, &err);
    static struct roster_map map;
    static char header[KIOSK_CSV_FIELDS_MAX][128];
    const char *hdr[KIOSK_CSV_FIELDS_MAX], *fields[KIOSK_CSV_FIELDS_MAX];
    enum csv_result r;
    int ok = 0, n = 0;

    *nrows = 0;
    if (!c)
        abort();
    if (csv_next(c, &err) != CSV_ROW)
        goto out;
    /* store_roster_import keeps header cells to 127 bytes, cut between
     * UTF-8 characters; so must we. */
    for (int i = 0; i < csv_nfields(c); i++) {
        const char *cell = csv_field(c, i);
        size_t len = strlen(cell);
        if (len > 127) {
            len = 127;
            while (len > 0 && ((unsigned char)cell[len] & 0xC0) == 0x80)
                len--;
        }
        memcpy(header[i], cell, len);
        header[i][len] = '\0';
        hdr[i] = header[i];
    }
    if (roster_map_header(&map, hdr, csv_nfields(c), maps, nmaps, &err) < 0)
        goto out;
    ok = 1;
    while ((r = csv_next(c, &err)) != CSV_EOF) {
        struct roster_refs refs;
        if (n >= ROWS_MAX) {
            ok = -1;
            break;
        }
        if (r != CSV_ROW) {
            ok = 0;
            break;
        }
        for (int i = 0; i < csv_nfields(c); i++)
            fields[i] = csv_field(c, i);
        if (roster_row(&map, fields, csv_nfields(c), &rows[n].c, &refs, &err) < 0) {
            ok = 0;
            break;
        }
        memcpy(rows[n].sec[0], refs.order, sizeof(refs.order));
        memcpy(rows[n].sec[1], refs.pseudo, sizeof(refs.pseudo));
        snprintf(rows[n].sec[2], sizeof(rows[n].sec[2]), "%s",
                 rows[n].c.n_emails ? rows[n].c.emails[0] : "");
        for (int k = 0; k < n && ok; k++)
            if (strcmp(rows[k].c.ref, rows[n].c.ref) == 0)
                ok = 0;
        if (!ok)
            break;
        n++;
    }
    *nrows = n;
out:
    csv_free(c);
    return ok;
}

/* Where secondary reference x of some row must lead: a row's or an
 * earlier attendee's primary reference wins (checked elsewhere: returns
 * 0); else the one attendee whose rows carry it, or nowhere when rows of
 * several attendees share it (returns 1 and *to, or 2). */
static int secondary_goes(const struct row *rows, int nrows, const char *x, const char **to)
{
    *to = NULL;
    for (int k = 0; k < 2; k++)
        if (strcmp(x, seed_ref[k]) == 0)
            return 0;
    for (int k = 0; k < nrows; k++)
        if (strcmp(x, rows[k].c.ref) == 0)
            return 0;
    for (int k = 0; k < nrows; k++)
        for (int q = 0; q < 3; q++)
            if (strcmp(x, rows[k].sec[q]) == 0) {
                if (*to && strcmp(*to, rows[k].id) != 0)
                    return 2;
                *to = rows[k].id;
            }
    return 1;
}

static void same_field(const char *want, const char *got)
{
    if (want[0] && strcmp(want, got) != 0)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[4] = {0, ',', ';', '\t'};
    static const char *const maps[] = {"#1=ref"};
    static struct row rows[ROWS_MAX];
    struct store_roster_stats st;
    struct mem m;
    struct err err = {{0}};
    char mapping[512], delim;
    uint64_t before;
    long attendees;
    int nmaps, nrows, want, r;

    if (size < 1 || size > INPUT_MAX)
        return 0;
    if (!store)
        setup();
    delim = delims[data[0] & 3];
    nmaps = (data[0] & 4) ? 1 : 0;
    data++, size--;

    want = expect(data, size, delim, maps, nmaps, rows, &nrows);
    /* A refused import changes nothing, so the store is as reset() left
     * it (that is checked below): its fingerprint is taken once. */
    if (!have_baseline) {
        baseline = fingerprint();
        have_baseline = 1;
    }
    before = baseline;
    attendees = store_count(store, "attendees");
    m.p = data, m.len = size, m.pos = 0;
    r = store_roster_import(store, mem_read, &m, delim, maps, nmaps, NOW, NULL, NULL, &st, mapping,
                            sizeof(mapping), &err);
    if (r != 0) {
        if (r != -1 || !err.msg[0] || want == 1)
            __builtin_trap();
        if (fingerprint() != before)
            __builtin_trap();
        return 0;
    }
    if (want < 0) {
        reset();
        return 0;
    }
    if (!want || st.rows != nrows || st.inserted + st.updated != st.rows ||
        store_count(store, "attendees") != attendees + st.inserted)
        __builtin_trap();
    for (int i = 0; i < nrows; i++)
        if (store_attendee_find(store, rows[i].c.ref, NULL, rows[i].id, &err) != 0)
            __builtin_trap();
    for (int i = 0; i < nrows; i++) {
        int last = 1, seeded = 0;
        struct contact got;
        for (int k = 0; k < 2; k++)
            seeded |= strcmp(rows[i].id, seed_id[k]) == 0;
        for (int k = 0; k < nrows; k++) {
            if (k == i || strcmp(rows[k].id, rows[i].id) != 0)
                continue;
            if (!seeded)
                __builtin_trap(); /* two rows of the file made one attendee */
            if (k > i)
                last = 0;
        }
        if (!last)
            continue;
        if (store_attendee_get(store, rows[i].id, &got, &err) != 0)
            __builtin_trap();
        same_field(rows[i].c.display_name, got.display_name);
        same_field(rows[i].c.given_name, got.given_name);
        same_field(rows[i].c.family_name, got.family_name);
        same_field(rows[i].c.org, got.org);
        same_field(rows[i].c.title, got.title);
        same_field(rows[i].c.url, got.url);
        same_field(rows[i].c.note, got.note);
    }
    for (int k = 0; k < 2; k++) {
        char id[KIOSK_ID_LEN];
        if (store_attendee_find(store, seed_ref[k], NULL, id, &err) != 0 ||
            strcmp(id, seed_id[k]) != 0)
            __builtin_trap();
    }
    /* Every secondary reference of every row leads to its attendee, or
     * nowhere when it is ambiguous; never to somebody else. */
    for (int i = 0; i < nrows; i++) {
        for (int q = 0; q < 3; q++) {
            const char *to;
            char id[KIOSK_ID_LEN];
            int goes, found;
            if (!rows[i].sec[q][0])
                continue;
            goes = secondary_goes(rows, nrows, rows[i].sec[q], &to);
            if (goes == 0)
                continue;
            found = store_attendee_find(store, rows[i].sec[q], NULL, id, &err);
            if (goes == 1 ? found != 0 || strcmp(id, to) != 0 : found != 1)
                __builtin_trap();
        }
    }
    reset();
    return 0;
}
