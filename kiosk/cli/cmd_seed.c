/*
 * cmd_seed.c - `kiosk seed N`: demo data for trying exports and benchmarks.
 *
 * Owns: the command line around kiosk/core/seed.c. Everything is stored by
 * the ordinary store functions and marked source 'demo'.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "followup.h"
#include "seed.h"
#include "tzone.h"

static void show_progress(void *ctx, long done, long total)
{
    (void)ctx;
    fprintf(stderr, "\rseeding: %ld/%ld   ", done, total);
}

static int parse_count(const char *s, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 10000000)
        return -1;
    *out = v;
    return 0;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct seed_options o;
    struct seed_stats st;
    struct followup_policy p;
    struct tzone tz = {tzone_libc_offset, NULL};
    struct err err = {{0}};
    struct store *s;
    long n = -1, leads = -1, handshakes = -1, seed = 1;

    memset(&o, 0, sizeof(o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long *dst = NULL;
        if (strcmp(a, "--leads") == 0)
            dst = &leads;
        else if (strcmp(a, "--handshakes") == 0)
            dst = &handshakes;
        else if (strcmp(a, "--seed") == 0)
            dst = &seed;
        else if (strcmp(a, "--edge-cases") == 0) {
            o.edge_cases = 1;
            continue;
        }
        if (dst) {
            if (i + 1 >= argc || parse_count(argv[++i], dst) < 0)
                return cli_usage_error("seed", "%s needs a number 0-10000000", a);
            continue;
        }
        if (a[0] == '-' || n >= 0)
            return cli_usage_error("seed", "unexpected argument \"%s\"", a);
        if (parse_count(a, &n) < 0 || n < 2)
            return cli_usage_error("seed", "N must be a number of attendees, 2-10000000");
    }
    if (n < 0)
        return cli_usage_error("seed", "how many attendees? e.g. 'kiosk seed 500'");
    if (tzone_use(config_str(&k->cfg, "event.timezone"), &err) < 0)
        return cli_fail("seed", "event.timezone: %s", err.msg);
    if (followup_policy_init(&p, config_int(&k->cfg, "followup.thank_you_h"),
                             config_int(&k->cfg, "followup.check_in_d"),
                             config_int(&k->cfg, "followup.window_d"),
                             config_str(&k->cfg, "followup.quiet_start"),
                             config_str(&k->cfg, "followup.quiet_end"), &err) < 0)
        return cli_fail("seed", "%s", err.msg);
    s = cli_store(k, "seed");
    if (!s)
        return 1;
    o.attendees = n;
    o.leads = leads >= 0 ? leads : n;
    o.handshakes = handshakes >= 0 ? handshakes : n / 2;
    o.seed = (uint64_t)seed;
    o.now_ms = cli_now_ms();
    o.policy = &p;
    o.tz = &tz;
    if (config_str(&k->cfg, "booth.operator")[0])
        o.operator_name = config_str(&k->cfg, "booth.operator");
    if (isatty(STDERR_FILENO))
        o.progress = show_progress;
    if (seed_run(s, &o, &st, &err) < 0) {
        if (o.progress)
            fputc('\n', stderr);
        return cli_fail("seed", "%s", err.msg);
    }
    if (o.progress)
        fputc('\n', stderr);
    if (store_audit(s, "cli", "seed", "demo data added", o.now_ms, &err) < 0)
        return cli_fail("seed", "%s", err.msg);
    printf("seeded %s: %ld attendees, %ld leads, %ld handshakes, %ld notes, %ld follow-ups "
           "(source 'demo')\n",
           store_path(s), st.attendees, st.leads, st.handshakes, st.notes, st.followups);
    return 0;
}

const struct command cmd_seed = {
    .name = "seed",
    .run = run,
    .summary = "Fill a database with N synthetic demo attendees and leads",
    .usage = "N [--leads L] [--handshakes H] [--seed S] [--edge-cases] [--db PATH]\n\n"
             "Adds N attendees, L booth leads (default N) and H handshakes (default N/2)\n"
             "with ratings, tags, notes, answers, consent and follow-ups, all marked as\n"
             "demo data and stored through the same code as real scans. The same --seed\n"
             "gives the same people. --edge-cases adds a few records hostile to\n"
             "spreadsheets and parsers (formula-like names, quotes, line breaks,\n"
             "non-ASCII) and two people who did not consent, for testing exports.",
};
