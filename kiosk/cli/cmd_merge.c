/*
 * cmd_merge.c - `kiosk merge OTHER.db...`: bring other kiosks' leads,
 * interactions, notes, follow-ups and consents into this database.
 *
 * A thin shell over store_merge() (the rules are written atop
 * kiosk/core/store_merge.c). Each file is merged in its own transaction; a
 * refused file is reported and the others still merge. Afterwards the
 * retention purge runs, so merged-in old data obeys privacy.retention_d.
 */
#include <string.h>

#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    struct store *s;
    struct err err = {{0}};
    int failed = 0;
    long days;

    if (argc == 3 && strcmp(argv[1], "--snapshot") == 0) {
        s = cli_store(k, "merge");
        if (!s)
            return 1;
        if (store_snapshot(s, argv[2], &err) < 0)
            return cli_fail("merge", "%s", err.msg);
        printf("wrote a snapshot of kiosk %s to %s; merge it elsewhere with 'kiosk merge %s'\n",
               store_kiosk_id(s), argv[2], argv[2]);
        return 0;
    }
    if (argc < 2)
        return cli_usage_error("merge", "name at least one kiosk database to merge");
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-')
            return cli_usage_error("merge", "unknown option \"%s\"", argv[i]);
    s = cli_store(k, "merge");
    if (!s)
        return 1;
    for (int i = 1; i < argc; i++) {
        struct store_merge_stats st;
        if (store_merge(s, argv[i], cli_now_ms(), &st, &err) < 0) {
            cli_fail("merge", "%s", err.msg);
            failed++;
            continue;
        }
        printf("%s (kiosk %s): %ld new attendee(s), %ld matched, %ld scan(s), %ld "
               "interaction(s), %ld lead(s), %ld note(s), %ld follow-up(s), %ld consent "
               "withdrawal(s), %ld erasure(s) applied\n",
               argv[i], st.src_kiosk[0] ? st.src_kiosk : "?", st.attendees_new,
               st.attendees_matched, st.scans, st.interactions, st.leads, st.notes, st.followups,
               st.withdrawals, st.erased);
    }
    days = config_int(&k->cfg, "privacy.retention_d");
    if (days > 0) {
        struct store_erase_counts c;
        if (store_retention_purge(s, (int)days, cli_now_ms(), &c, &err) < 0)
            return cli_fail("merge", "retention purge after merging: %s", err.msg);
        if (c.attendees || c.scans || c.interactions)
            printf("retention (%ld days): purged %ld attendee(s), %ld scan(s), %ld "
                   "interaction(s)\n",
                   days, c.attendees, c.scans, c.interactions);
    }
    return failed ? 1 : 0;
}

const struct command cmd_merge = {
    .name = "merge",
    .run = run,
    .summary = "Merge other kiosks' databases into this one",
    .usage = "OTHER.db... | --snapshot FILE\n"
             "  Each file is opened read-only and merged in one transaction; merging the same\n"
             "  file twice changes nothing and the order of files does not matter. Files that\n"
             "  are not kiosk databases, are damaged or come from a newer kiosk are refused.\n"
             "  --snapshot FILE  write a consistent copy of this kiosk's database (mode 0600)\n"
             "                   to carry to another kiosk, e.g. on a USB stick; safe while\n"
             "                   the kiosk runs.\n",
};
