/*
 * bench_roster_import - how long 50,000 roster rows take to import.
 *
 * Generates a pretix-style CSV (ticket secret, order code shared by pairs,
 * pseudonymization id, names with non-ASCII, quoted fields) in a temporary
 * directory, then times, each on a fresh SQLite file with the real
 * durability settings:
 *   import   store_roster_import (one transaction, statements reused)
 *   reimport the same file again (every row an update)
 *   baseline store_attendee_upsert + store_attendee_add_ref per row inside
 *            one transaction (statements prepared per call)
 * and prints seconds, rows/s and the ratio to the baseline.
 * Usage: bench_roster_import [ROWS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/roster.h"
#include "core/store.h"
#include "core/store_roster.h"
#include "test.h"

#define NOW 1767225600000LL

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: on a shared, busy machine the wall clock
 * mostly measures the queue for a core. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_mark;

static const char *const given[] = {"Ana",   "Björn", "Chloé", "Dmitri", "Eun-ji",
                                    "Farah", "Gößta", "Hiro",  "Ines",   "Jamal"};
static const char *const family[] = {"Müller", "O'Neil",     "Sato",     "García", "Kowalski",
                                     "Nguyen", "Smith, Jr.", "Ødegaard", "Rossi",  "Zhang"};

static int generate(const char *path, long rows)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("\xEF\xBB\xBFOrder code,Attendee name: Given name,Attendee name: Family name,"
          "Attendee e-mail,Company,Secret,Pseudonymization ID,Product\r\n",
          f);
    for (long i = 0; i < rows; i++) {
        const char *fam = family[(i / 10) % 10];
        fprintf(f,
                "O%07ld,%s,%s%s%s,user%ld@example.org,\"Company %ld, Ltd\",sec%029ld,"
                "P%09ld,Conference ticket\r\n",
                i / 2, given[i % 10], strchr(fam, ',') ? "\"" : "", fam,
                strchr(fam, ',') ? "\"" : "", i, i % 977, i, i);
    }
    return fclose(f);
}

static long file_read(void *ctx, char *buf, size_t size)
{
    size_t n = fread(buf, 1, size, (FILE *)ctx);
    return (n == 0 && ferror((FILE *)ctx)) ? -1 : (long)n;
}

static double run_import(const char *db, const char *csv, long rows, struct store **keep)
{
    struct store *s = NULL;
    struct store_roster_stats st;
    struct err err = {{0}};
    FILE *f;
    double t0, t;
    if (!*keep && store_open(&s, db, "bench", NOW, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    if (*keep)
        s = *keep;
    f = fopen(csv, "rb");
    t0 = now_s();
    cpu_mark = cpu_s();
    if (store_roster_import(s, file_read, f, 0, NULL, 0, NOW, NULL, NULL, &st, NULL, 0, &err) < 0) {
        fprintf(stderr, "import: %s\n", err.msg);
        fclose(f);
        return -1;
    }
    t = now_s() - t0;
    cpu_mark = cpu_s() - cpu_mark;
    fclose(f);
    if (st.rows != rows)
        fprintf(stderr, "imported %ld rows, expected %ld\n", st.rows, rows);
    printf("  (%ld new, %ld updated, %ld refs, %ld shared refs dropped)\n", st.inserted, st.updated,
           st.refs, st.ambiguous);
    *keep = s;
    return t;
}

/* The same rows through the one-row-at-a-time store API. */
static double run_baseline(const char *db, const char *csv, long rows)
{
    struct store *s = NULL;
    struct err err = {{0}};
    struct csv *c;
    struct roster_map map;
    const char *hdr[KIOSK_CSV_FIELDS_MAX], *fields[KIOSK_CSV_FIELDS_MAX];
    char header[KIOSK_CSV_FIELDS_MAX][128];
    FILE *f;
    double t0, t;
    long n = 0;

    if (store_open(&s, db, "bench", NOW, &err) < 0)
        return -1;
    f = fopen(csv, "rb");
    t0 = now_s();
    cpu_mark = cpu_s();
    c = csv_new(file_read, f, 0, &err);
    csv_next(c, &err);
    for (int i = 0; i < csv_nfields(c); i++) {
        snprintf(header[i], sizeof(header[i]), "%s", csv_field(c, i));
        hdr[i] = header[i];
    }
    roster_map_header(&map, hdr, csv_nfields(c), NULL, 0, &err);
    store_begin(s, &err);
    while (csv_next(c, &err) == CSV_ROW) {
        struct contact ct;
        struct roster_refs refs;
        char id[KIOSK_ID_LEN];
        for (int i = 0; i < csv_nfields(c); i++)
            fields[i] = csv_field(c, i);
        if (roster_row(&map, fields, csv_nfields(c), &ct, &refs, &err) < 0)
            continue;
        if (store_attendee_upsert(s, &ct, "roster", NOW, id, &err) < 0 ||
            store_attendee_add_ref(s, id, refs.order, "order", &err) < 0 ||
            store_attendee_add_ref(s, id, refs.pseudo, "pseudonym", &err) < 0 ||
            store_attendee_add_ref(s, id, ct.emails[0], "email", &err) < 0) {
            fprintf(stderr, "baseline: %s\n", err.msg);
            break;
        }
        n++;
    }
    store_commit(s, &err);
    t = now_s() - t0;
    cpu_mark = cpu_s() - cpu_mark;
    csv_free(c);
    fclose(f);
    store_close(s);
    if (n != rows)
        fprintf(stderr, "baseline stored %ld rows, expected %ld\n", n, rows);
    return t;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 50000;
    char csv[1024], db1[1024], db2[1024];
    struct store *s = NULL;
    double gen, imp, reimp, base;

    snprintf(csv, sizeof(csv), "%s", test_path("roster.csv"));
    snprintf(db1, sizeof(db1), "%s", test_path("import.db"));
    snprintf(db2, sizeof(db2), "%s", test_path("baseline.db"));
    gen = now_s();
    if (generate(csv, rows) < 0)
        return 1;
    gen = now_s() - gen;
    printf("roster: %ld rows generated in %.2f s\n", rows, gen);
    double imp_cpu, base_cpu;
    imp = run_import(db1, csv, rows, &s);
    imp_cpu = cpu_mark;
    printf("import:   %.2f s wall, %.2f s CPU  (%.0f rows/s wall)\n", imp, imp_cpu, rows / imp);
    reimp = run_import(db1, csv, rows, &s);
    printf("reimport: %.2f s wall, %.2f s CPU  (all updates)\n", reimp, cpu_mark);
    store_close(s);
    base = run_baseline(db2, csv, rows);
    base_cpu = cpu_mark;
    printf("baseline: %.2f s wall, %.2f s CPU  (store_attendee_upsert + add_ref per row)\n", base,
           base_cpu);
    printf("import is %.1fx the baseline's speed (wall), %.1fx (CPU)\n", base / imp,
           base_cpu / imp_cpu);
    test_done();
    return imp < 0 || reimp < 0 || base < 0;
}
