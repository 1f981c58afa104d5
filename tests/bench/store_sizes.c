/*
 * store_sizes.c - bench_store_sizes: how many bytes a scan, an attendee and
 * a lead take in the kiosk database, and how long merging kiosks takes.
 * The figures in firmware-notes/fleet.md come from this program.
 *
 * Seeds K kiosk databases (default 3) with N attendees each (default 2000;
 * a third of them seen at every kiosk), one scan per attendee with a
 * realistic vCard payload, a booth lead with qualification and a note for
 * each, a handshake for every second one. Prints per-row bytes measured with
 * SQLite's dbstat (table + its indexes), file sizes, and merge times (all
 * K into a fresh database; then the same again, which must change nothing).
 *   bench_store_sizes [N] [K]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store.h"
#include "test.h"

#define T0 1780000000000LL

/* CPU time of this process: the machine may be shared, so wall time would
 * measure the neighbours. (Wall time is printed too.) */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* Bytes on disk of a table and its indexes (dbstat). */
static long table_bytes(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;
    long v = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT sum(pgsize) FROM dbstat WHERE name = ?1 OR name IN "
                           "(SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                           "?1)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

static int seed(const char *path, const char *kiosk, int kno, int n)
{
    struct store *s = NULL;
    struct err err = {{0}};
    if (store_open(&s, path, kiosk, T0, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    char other[KIOSK_ID_LEN] = "";
    store_begin(s, &err);
    for (int i = 0; i < n; i++) {
        struct contact c;
        char id[KIOSK_ID_LEN], inter[KIOSK_ID_LEN], payload[512], email[64];
        /* The first third of the attendees visit every kiosk. */
        int person = i < n / 3 ? i : (kno + 1) * n + i;
        int64_t t = T0 + (int64_t)kno * 1000 + (int64_t)i * 60000;
        contact_clear(&c);
        snprintf(c.ref, sizeof(c.ref), "TICKET-%08d-%s", person, "a7c9e1f0");
        snprintf(c.given_name, sizeof(c.given_name), "Given%d", person);
        snprintf(c.family_name, sizeof(c.family_name), "Family-Name%d", person);
        snprintf(c.display_name, sizeof(c.display_name), "Given%d Family-Name%d", person, person);
        snprintf(c.org, sizeof(c.org), "Organisation %d GmbH", person % 300);
        snprintf(c.title, sizeof(c.title), "Senior Engineer");
        snprintf(email, sizeof(email), "given%d.family%d@example-company.com", person, person);
        contact_add_email(&c, email);
        contact_add_phone(&c, "+49 30 1234567");
        snprintf(c.format, sizeof(c.format), "vcard3");
        if (store_attendee_upsert(s, &c, "badge", t, id, &err) < 0)
            goto fail;
        snprintf(payload, sizeof(payload),
                 "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Family-Name%d;Given%d;;;\r\nFN:Given%d "
                 "Family-Name%d\r\nORG:Organisation %d GmbH\r\nTITLE:Senior Engineer\r\n"
                 "EMAIL:%s\r\nTEL:+49 30 1234567\r\nNOTE:TICKET-%08d-a7c9e1f0\r\nEND:VCARD\r\n",
                 person, person, person, person, person % 300, email, person);
        {
            struct store_scan sc = {
                (const unsigned char *)payload, strlen(payload), "vcard3", id, "booth", "camera"};
            if (store_scan_add(s, &sc, t, NULL, &err) < 0)
                goto fail;
        }
        {
            struct store_interaction in = {"lead",          id,   NULL,
                                           "Booth staff",   t,    0,
                                           "card+followup", "v1", "hiring,partnership",
                                           "next-week"};
            if (store_interaction_add(s, &in, t, inter, &err) < 0 ||
                store_lead_set(s, inter, 1 + i % 5, "hot,partner",
                               "{\"size\":\"50-200\",\"budget\":\"Q3\"}", t, &err) < 0 ||
                store_note_append(s, inter, "Booth staff",
                                  "Interested in the enterprise plan; send pricing", t, &err) < 0)
                goto fail;
        }
        if (i % 2 == 1) {
            struct store_interaction hs = {"handshake", id,     other, "", t,
                                           t,           "card", "v1",  "", "tomorrow"};
            if (store_interaction_add(s, &hs, t, NULL, &err) < 0)
                goto fail;
        }
        memcpy(other, id, KIOSK_ID_LEN);
    }
    if (store_commit(s, &err) < 0)
        goto fail;
    store_close(s);
    return 0;
fail:
    fprintf(stderr, "seed %s: %s\n", kiosk, err.msg);
    store_close(s);
    return -1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000, k = argc > 2 ? atoi(argv[2]) : 3;
    char path[16][1024], into[1024];
    struct store *d = NULL;
    struct err err = {{0}};
    sqlite3 *db = NULL;
    double t0, w0, t_merge, t_again, w_merge, w_again;
    long total_scans = 0;
    static const char *const tables[] = {"attendees",    "attendee_refs", "scans",
                                         "interactions", "leads",         "notes"};

    if (n < 10 || k < 1 || k > 16) {
        fprintf(stderr, "usage: bench_store_sizes [N>=10] [K 1..16]\n");
        return 2;
    }
    for (int i = 0; i < k; i++) {
        char name[32], kiosk[32];
        snprintf(name, sizeof(name), "kiosk%d.db", i);
        snprintf(kiosk, sizeof(kiosk), "kiosk-%d", i);
        snprintf(path[i], sizeof(path[i]), "%s", test_path(name));
        if (seed(path[i], kiosk, i, n) < 0)
            return 1;
    }
    /* Per-row bytes, measured on kiosk 0. */
    if (sqlite3_open_v2(path[0], &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        printf("one kiosk, %d attendees, %d scans, %d leads (+1 note each), %d handshakes:\n", n, n,
               n, n / 2);
        for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
            char sql[96];
            sqlite3_stmt *st = NULL;
            long rows = 0, bytes = table_bytes(db, tables[t]);
            snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[t]);
            if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                rows = (long)sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
            printf("  %-14s %7ld rows %9ld bytes  %5.0f bytes/row\n", tables[t], rows, bytes,
                   rows ? (double)bytes / (double)rows : 0.0);
        }
        printf("  file           %ld bytes = %.0f bytes per attendee with scan, lead and note\n",
               file_size(path[0]), (double)file_size(path[0]) / n);
    }
    sqlite3_close(db);

    snprintf(into, sizeof(into), "%s", test_path("merged.db"));
    if (store_open(&d, into, "kiosk-hq", T0, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    t0 = cpu_s();
    w0 = wall_s();
    for (int i = 0; i < k; i++) {
        struct store_merge_stats ms;
        if (store_merge(d, path[i], T0, &ms, &err) < 0) {
            fprintf(stderr, "merge: %s\n", err.msg);
            return 1;
        }
        total_scans += ms.scans;
    }
    t_merge = cpu_s() - t0;
    w_merge = wall_s() - w0;
    t0 = cpu_s();
    w0 = wall_s();
    for (int i = 0; i < k; i++) {
        struct store_merge_stats ms;
        if (store_merge(d, path[i], T0, &ms, &err) < 0)
            return 1;
    }
    t_again = cpu_s() - t0;
    w_again = wall_s() - w0;
    printf("merge of %d kiosks into a fresh database: %.2f s CPU (%.0f scans/s; %.2f s wall), "
           "%ld attendees, %ld scans; again (no change): %.2f s CPU (%.2f s wall)\n",
           k, t_merge, (double)total_scans / t_merge, w_merge, store_count(d, "attendees"),
           store_count(d, "scans"), t_again, w_again);
    store_close(d);
    printf("merged file: %ld bytes\n", file_size(into));
    test_done();
    return 0;
}
