/*
 * cmd_roster.c - `kiosk roster import FILE.csv [--map COLUMN=FIELD]...` and
 * `kiosk roster lookup CODE [--json]`.
 *
 * import reads the registration export (CSV, UTF-8 with or without BOM,
 * ',' ';' or TAB sniffed), maps its header, and stores every attendee in one
 * transaction: all rows or none. Every bad row is printed as FILE:LINE:
 * reason. Re-importing the same file changes nothing but updated_at.
 * lookup prints the attendee a badge code (ticket secret, order code,
 * pseudonymization id, e-mail) resolves to; it never creates the database.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "badge.h"
#include "cli.h"
#include "roster.h"
#include "store_roster.h"

#define MAX_MAPS 64

static long file_read(void *ctx, char *buf, size_t size)
{
    FILE *f = ctx;
    size_t n = fread(buf, 1, size, f);
    if (n == 0 && ferror(f))
        return -1;
    return (long)n;
}

struct bad_rows {
    const char *file;
    long count;
};

static void report_bad(void *ctx, long line, const char *reason)
{
    struct bad_rows *b = ctx;
    b->count++;
    fprintf(stderr, "%s:%ld: %s\n", b->file, line, reason);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int import(struct kiosk *k, int argc, char **argv)
{
    const char *path = NULL, *maps[MAX_MAPS];
    int nmaps = 0;
    char delim = 0, mapping[2048], detail[128];
    struct store *s;
    struct store_roster_stats stats;
    struct bad_rows bad = {NULL, 0};
    struct err err = {{0}};
    FILE *f;
    double t0;
    int r;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--map") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("roster", "--map needs COLUMN=FIELD");
            if (nmaps >= MAX_MAPS)
                return cli_usage_error("roster", "at most %d --map options", MAX_MAPS);
            maps[nmaps++] = argv[++i];
        } else if (strncmp(argv[i], "--map=", 6) == 0) {
            if (nmaps >= MAX_MAPS)
                return cli_usage_error("roster", "at most %d --map options", MAX_MAPS);
            maps[nmaps++] = argv[i] + 6;
        } else if (strcmp(argv[i], "--delimiter") == 0 && i + 1 < argc) {
            const char *d = argv[++i];
            if (strcmp(d, ",") == 0 || strcmp(d, ";") == 0)
                delim = d[0];
            else if (strcmp(d, "tab") == 0 || strcmp(d, "\t") == 0)
                delim = '\t';
            else
                return cli_usage_error("roster", "--delimiter is ',', ';' or 'tab'");
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("roster", "unknown option \"%s\"", argv[i]);
        } else if (path) {
            return cli_usage_error("roster", "one file at a time");
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return cli_usage_error("roster", "import needs a CSV file");
    for (int m = 0; m < nmaps; m++)
        if (roster_override_field(maps[m], &err) < 0)
            return cli_usage_error("roster", "%s", err.msg);
    f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return cli_fail("roster", "cannot open %s: %s", path, strerror(errno));
    s = cli_store(k, "roster");
    if (!s) {
        if (f != stdin)
            fclose(f);
        return 1;
    }
    bad.file = path;
    t0 = seconds_now();
    r = store_roster_import(s, file_read, f, delim, maps, nmaps, cli_now_ms(), report_bad, &bad,
                            &stats, mapping, sizeof(mapping), &err);
    if (f != stdin)
        fclose(f);
    if (r < 0)
        return cli_fail("roster", "%s: %s", path, err.msg);
    snprintf(detail, sizeof(detail), "rows=%ld new=%ld updated=%ld", stats.rows, stats.inserted,
             stats.updated);
    if (store_audit(s, "cli", "roster.import", detail, cli_now_ms(), &err) < 0)
        fprintf(stderr, "kiosk roster: audit log: %s\n", err.msg);
    printf("imported %ld attendee%s from %s in %.2f s: %ld new, %ld updated, %ld extra "
           "reference%s",
           stats.rows, stats.rows == 1 ? "" : "s", path, seconds_now() - t0, stats.inserted,
           stats.updated, stats.refs, stats.refs == 1 ? "" : "s");
    if (stats.ambiguous > 0)
        printf(", %ld shared reference%s (group order codes or e-mails) not used for lookup",
               stats.ambiguous, stats.ambiguous == 1 ? "" : "s");
    printf("\ncolumns: %s\n", mapping[0] ? mapping : "(none)");
    return 0;
}

static int lookup(struct kiosk *k, int argc, char **argv)
{
    const char *code = NULL;
    int json = 0, r;
    struct store *s = NULL;
    struct contact c;
    struct err err = {{0}};

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("roster", "unknown option \"%s\"", argv[i]);
        else if (code)
            return cli_usage_error("roster", "one code at a time");
        else
            code = argv[i];
    }
    if (!code || !code[0])
        return cli_usage_error("roster", "lookup needs a CODE");
    if (strlen(code) >= KIOSK_REF_MAX)
        return cli_fail("roster", "a code is at most %d bytes", KIOSK_REF_MAX - 1);
    if (access(k->db_path, F_OK) != 0)
        return cli_fail("roster", "no roster yet: %s does not exist (run kiosk roster import)",
                        k->db_path);
    if (store_open_readonly(&s, k->db_path, &err) < 0)
        return cli_fail("roster", "%s", err.msg);
    r = store_attendee_find(s, code, &c, NULL, &err);
    store_close(s);
    if (r < 0)
        return cli_fail("roster", "%s", err.msg);
    if (r == 1)
        return cli_fail("roster", "no attendee known by \"%s\"", code);
    if (json) {
        char out[20000];
        badge_to_json(&c, out, sizeof(out));
        printf("%s\n", out);
    } else {
        char name[KIOSK_NAME_MAX * 2 + 2];
        printf("name:    %s\n", contact_name(&c, name, sizeof(name)));
        if (c.org[0])
            printf("org:     %s\n", c.org);
        if (c.title[0])
            printf("title:   %s\n", c.title);
        for (int i = 0; i < c.n_emails; i++)
            printf("email:   %s\n", c.emails[i]);
        for (int i = 0; i < c.n_phones; i++)
            printf("phone:   %s\n", c.phones[i]);
        if (c.url[0])
            printf("url:     %s\n", c.url);
        printf("ref:     %s\n", c.ref);
    }
    return 0;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("roster", "import FILE.csv or lookup CODE");
    if (strcmp(argv[1], "import") == 0)
        return import(k, argc, argv);
    if (strcmp(argv[1], "lookup") == 0)
        return lookup(k, argc, argv);
    return cli_usage_error("roster", "unknown action \"%s\" (import or lookup)", argv[1]);
}

const struct command cmd_roster = {
    .name = "roster",
    .run = run,
    .summary = "Import a registration roster CSV, or look a code up",
    .usage = "import FILE.csv [--map COLUMN=FIELD]... [--delimiter ,|;|tab] | lookup CODE "
             "[--json]\n"
             "import: RFC 4180 CSV, UTF-8 with or without BOM, ',' ';' or TAB sniffed. Headers\n"
             "  of pretix, eventyay, alf.io, Eventbrite and generic exports are recognised;\n"
             "  --map COLUMN=FIELD overrides (COLUMN is a header name or #N; FIELD is ref,\n"
             "  order, pseudonym, given, family, name, email, org, title, phone, url, note or\n"
             "  ignore). All rows or none: every bad row is listed as FILE:LINE: reason.\n"
             "  Importing the same file again is harmless (upsert by reference).\n"
             "lookup: print the attendee a ticket secret, order code, pseudonymization ID or\n"
             "  e-mail resolves to (exit 1 when unknown).",
};
