/*
 * cmd_forget.c - `kiosk forget`: erase a person, withdraw their consent, or
 * run the retention purge now.
 *
 * A thin shell over store_privacy.c: reads the clock and the settings, prints
 * what went. Never prints the personal data it erases (only counts).
 */
#include <string.h>

#include "cli.h"

static void print_counts(const char *what, const struct store_erase_counts *c)
{
    printf("%s: %ld attendee(s), %ld reference(s), %ld scan(s), %ld interaction(s), %ld "
           "note(s), %ld lead(s), %ld follow-up(s), %ld print job(s)\n",
           what, c->attendees, c->refs, c->scans, c->interactions, c->notes, c->leads, c->followups,
           c->print_jobs);
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct store *s;
    struct store_erase_counts c;
    struct err err = {{0}};
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
    r = store_forget(s, argv[1], "cli", cli_now_ms(), &c, &err);
    if (r < 0)
        return cli_fail("forget", "%s", err.msg);
    if (r == 1) {
        printf("no attendee has that reference here; it is recorded as forgotten so a merge "
               "will not bring it in\n");
        return 0;
    }
    print_counts("erased", &c);
    return 0;
}

const struct command cmd_forget = {
    .name = "forget",
    .run = run,
    .summary = "Erase an attendee everywhere; withdraw consent; purge expired data",
    .usage = "REF | --withdraw REF | --expired\n"
             "  REF             erase the attendee known by this reference everywhere (attendee,\n"
             "                  scans, interactions, notes, leads, follow-ups, print jobs); the\n"
             "                  audit log records only that an erasure happened\n"
             "  --withdraw REF  withdraw consent: follow-ups stop, exports leave them out\n"
             "  --expired       purge personal data older than privacy.retention_d days\n",
};
