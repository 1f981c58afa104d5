/*
 * cmd_followups.c - `kiosk followups`: the follow-up queue for staff.
 *
 * Owns: the text layout of the queue and the done/skip commands. The rules
 * and rows live in kiosk/core/followup.c and store_followup.c. Times are
 * shown in event.timezone; ids are shown by their last 12 characters (the
 * random part of a UUIDv7), which done/skip accept.
 */
#include <string.h>

#include "cli.h"
#include "contact.h"
#include "store_followup.h"
#include "tzone.h"

struct listing {
    const struct tzone *tz;
    int n;
};

static int print_one(void *ctx, const struct store_followup *f)
{
    struct listing *l = ctx;
    char due[TZONE_ISO_MAX], raw[KIOSK_NAME_MAX + KIOSK_ORG_MAX + 8], who[sizeof(raw)];
    if (l->n++ == 0)
        printf("%-12s  %-9s  %-9s  %-16s  %-32s  %s\n", "ID", "STATUS", "KIND", "DUE", "CONTACT",
               "FOR");
    tzone_human(l->tz, f->due_at, due);
    if (f->contact_org[0])
        snprintf(raw, sizeof(raw), "%s (%s)", f->contact_name, f->contact_org);
    else
        snprintf(raw, sizeof(raw), "%s", f->contact_name);
    /* A control character in a stored name (a merged or imported
     * database) would break the columns or the terminal: one line, blanks. */
    contact_field(who, sizeof(who), raw, strnlen(raw, sizeof(raw) - 1), 0);
    printf("%-12s  %-9s  %-9s  %-16s  %-32s  %s", f->id + 24, followup_status_name(f->status),
           followup_kind_name(f->kind), due, who, f->owner_name[0] ? f->owner_name : "-");
    if (f->contact_email[0])
        printf("  <%s>", f->contact_email);
    if (f->meetings > 1)
        printf("  [%d meetings]", f->meetings);
    putchar('\n');
    return 0;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct store *s;
    struct err err = {{0}};
    struct tzone tz = {tzone_libc_offset, NULL};
    struct listing l = {&tz, 0};
    const char *sub = argc > 1 ? argv[1] : "list";
    int64_t now = cli_now_ms();

    if (tzone_use(config_str(&k->cfg, "event.timezone"), &err) < 0)
        return cli_fail("followups", "event.timezone: %s", err.msg);

    if (strcmp(sub, "list") == 0 || strcmp(sub, "due") == 0) {
        enum store_followup_filter filter =
            strcmp(sub, "due") == 0 ? STORE_FOLLOWUPS_DUE : STORE_FOLLOWUPS_OPEN;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "--all") == 0 && filter == STORE_FOLLOWUPS_OPEN)
                filter = STORE_FOLLOWUPS_ALL;
            else
                return cli_usage_error("followups", "unexpected argument \"%s\"", argv[i]);
        }
        s = cli_store(k, "followups");
        if (!s)
            return 1;
        /* Time moves on: queued ones whose time has come are due now. */
        if (store_followup_refresh(s, now, &err) < 0 ||
            store_followup_each(s, filter, now, print_one, &l, &err) < 0)
            return cli_fail("followups", "%s", err.msg);
        if (l.n == 0)
            printf("%s\n", filter == STORE_FOLLOWUPS_DUE ? "nothing is due" : "no follow-ups");
        else
            printf("%d follow-up%s\n", l.n, l.n == 1 ? "" : "s");
        return 0;
    }
    if (strcmp(sub, "done") == 0 || strcmp(sub, "skip") == 0) {
        char full[KIOSK_ID_LEN], detail[64];
        enum followup_status st = strcmp(sub, "done") == 0 ? FOLLOWUP_DONE : FOLLOWUP_SKIPPED;
        int r;
        if (argc != 3)
            return cli_usage_error("followups", "%s needs one follow-up ID", sub);
        s = cli_store(k, "followups");
        if (!s)
            return 1;
        r = store_followup_close(s, argv[2], st, now, full, &err);
        if (r < 0)
            return cli_fail("followups", "%s", err.msg);
        if (r == 1)
            return cli_fail("followups", "no follow-up with id %s (see 'kiosk followups list')",
                            argv[2]);
        snprintf(detail, sizeof(detail), "id=%s status=%s", full, followup_status_name(st));
        if (store_audit(s, "cli", "followup", detail, now, &err) < 0)
            return cli_fail("followups", "%s", err.msg);
        printf("follow-up %s marked %s\n", full + 24, followup_status_name(st));
        return 0;
    }
    return cli_usage_error("followups", "unknown subcommand \"%s\" (list, due, done, skip)", sub);
}

const struct command cmd_followups = {
    .name = "followups",
    .run = run,
    .summary = "List and update the follow-up queue",
    .usage = "[list [--all] | due | done ID | skip ID]\n\n"
             "  list       open follow-ups (queued and due), soonest first; --all adds\n"
             "             done, skipped and cancelled ones\n"
             "  due        the ones whose time has come\n"
             "  done ID    mark one done (ID: the 12 characters shown, or the full id)\n"
             "  skip ID    mark one skipped\n"
             "Times are shown in event.timezone; quiet hours (followup.quiet_start/end)\n"
             "are already applied to due times.",
};
