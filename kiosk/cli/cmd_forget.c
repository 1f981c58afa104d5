/*
 * cmd_forget.c - `kiosk forget`: erase a person, withdraw their consent, or
 * run the retention purge now.
 *
 * A thin shell over store_privacy.c: reads the clock and the settings, prints
 * what went. Slips the png printer already wrote for the person (files named
 * after their print job ids) are deleted once the erasure has committed;
 * --expired also deletes slips whose job no longer exists.
 * Never prints the personal data it erases (only counts).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "devspec.h"
#include "dev/printer.h"
#include "store_print.h"

static void say_stderr(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "kiosk forget: %s\n", line);
}

/* Delete the slip files of jobs; *deleted counts files removed. Returns the
 * number of files that exist but could not be removed. */
static long delete_slips(const struct kiosk *k, const struct store_job_ids *jobs, long *deleted)
{
    long failed = 0;
    *deleted = 0;
    for (size_t i = 0; i < jobs->n; i++) {
        int bad = 0;
        *deleted += cli_delete_slip_pngs(k, jobs->id[i], &bad, say_stderr, NULL);
        failed += bad;
    }
    return failed;
}

static void print_counts(const char *what, const struct store_erase_counts *c)
{
    printf("%s: %ld attendee(s), %ld reference(s), %ld scan(s), %ld interaction(s), %ld "
           "note(s), %ld lead(s), %ld follow-up(s), %ld print job(s)\n",
           what, c->attendees, c->refs, c->scans, c->interactions, c->notes, c->leads, c->followups,
           c->print_jobs);
}

/* 1 if name is "slip-ID.png" with ID a job id (36 hex digits and dashes);
 * the id is copied to id. */
static int slip_file_id(const char *name, char id[KIOSK_ID_LEN])
{
    size_t n = strlen(name);
    if (n != 5 + KIOSK_ID_LEN - 1 + 4 || strncmp(name, "slip-", 5) != 0 ||
        strcmp(name + n - 4, ".png") != 0)
        return 0;
    memcpy(id, name + 5, KIOSK_ID_LEN - 1);
    id[KIOSK_ID_LEN - 1] = '\0';
    return strspn(id, "0123456789abcdef-") == KIOSK_ID_LEN - 1;
}

/* After a retention purge: delete the slip PNGs whose print job no longer
 * exists (purged, or erased earlier by a path that could not delete files).
 * Files not named like our slips are never touched. *deleted counts files
 * removed; returns the number that could not be removed (or -1 when the
 * store failed, err set). */
static long sweep_orphans(const struct kiosk *k, struct store *s, long *deleted, struct err *err)
{
    char dirs[2][CLI_SLIP_DIR_MAX], path[1200], id[KIOSK_ID_LEN];
    long failed = 0;
    int ndirs = cli_slip_dirs(k, dirs);
    *deleted = 0;
    for (int d = 0; d < ndirs; d++) {
        DIR *dir = opendir(dirs[d]);
        struct dirent *e;
        if (!dir)
            continue;
        while ((e = readdir(dir)) != NULL) {
            struct store_print_job job;
            int r;
            if (!slip_file_id(e->d_name, id))
                continue;
            r = store_print_get(s, id, &job, err);
            if (r < 0) {
                closedir(dir);
                return -1;
            }
            if (r == 0 || printer_png_slip_path(dirs[d], id, path, sizeof(path), err) < 0)
                continue;
            if (unlink(path) == 0) {
                (*deleted)++;
            } else if (errno != ENOENT) {
                fprintf(stderr, "kiosk forget: cannot delete %s: %s\n", path, strerror(errno));
                failed++;
            }
        }
        closedir(dir);
    }
    return failed;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct store *s;
    struct store_erase_counts c;
    struct err err = {{0}};
    struct store_job_ids jobs = {NULL, 0, 0};
    long deleted = 0, failed;
    int r;

    if (argc == 2 && strcmp(argv[1], "--expired") == 0) {
        long days = config_int(&k->cfg, "privacy.retention_d");
        if (days == 0) {
            printf("retention is off (privacy.retention_d = 0): nothing purged\n");
            return 0;
        }
        s = cli_store(k, "forget");
        if (!s)
            return 1;
        if (store_retention_purge(s, (int)days, cli_now_ms(), &c, &err) < 0)
            return cli_fail("forget", "%s", err.msg);
        print_counts("purged", &c);
        failed = sweep_orphans(k, s, &deleted, &err);
        if (failed < 0)
            return cli_fail("forget", "%s", err.msg);
        printf("%ld slip image(s) deleted\n", deleted);
        if (failed)
            return cli_fail("forget", "%ld slip image(s) could not be deleted; remove them by hand",
                            failed);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--withdraw") == 0) {
        long cancelled = 0;
        s = cli_store(k, "forget");
        if (!s)
            return 1;
        r = store_consent_withdraw(s, argv[2], "cli", cli_now_ms(), &cancelled, &err);
        if (r < 0)
            return cli_fail("forget", "%s", err.msg);
        if (r == 1)
            return cli_fail("forget", "no attendee has that reference; nothing changed");
        printf("consent withdrawn: %ld follow-up(s) cancelled; exports leave this person out\n",
               cancelled);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("forget", "expected one REF, --withdraw REF or --expired");
    s = cli_store(k, "forget");
    if (!s)
        return 1;
    r = store_forget_jobs(s, argv[1], "cli", cli_now_ms(), &c, store_job_ids_add, &jobs, &err);
    if (r < 0) {
        store_job_ids_free(&jobs);
        return cli_fail("forget", "%s", err.msg);
    }
    if (r == 1) {
        store_job_ids_free(&jobs);
        printf("no attendee has that reference here; it is recorded as forgotten so a merge "
               "will not bring it in\n");
        return 0;
    }
    print_counts("erased", &c);
    failed = delete_slips(k, &jobs, &deleted);
    store_job_ids_free(&jobs);
    printf("%ld slip image(s) deleted\n", deleted);
    if (failed)
        return cli_fail("forget",
                        "%ld slip image(s) of this person could not be deleted; "
                        "remove them by hand",
                        failed);
    return 0;
}

const struct command cmd_forget = {
    .name = "forget",
    .run = run,
    .summary = "Erase an attendee everywhere; withdraw consent; purge expired data",
    .usage = "REF | --withdraw REF | --expired\n"
             "  REF             erase the attendee known by this reference everywhere (attendee,\n"
             "                  scans, interactions, notes, leads, follow-ups, print jobs and\n"
             "                  the slip PNGs the png printer wrote for those jobs); the\n"
             "                  audit log records only that an erasure happened\n"
             "  --withdraw REF  withdraw consent: follow-ups stop, exports leave them out\n"
             "  --expired       purge personal data older than privacy.retention_d days,\n"
             "                  and slip PNGs whose print job no longer exists\n",
};
