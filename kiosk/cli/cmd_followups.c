/* cmd_followups.c - `kiosk followups`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("followups");
}

const struct command cmd_followups = {
    .name = "followups",
    .run = run,
    .summary = "List and update the follow-up queue",
    .usage = "list | due | done ID | skip ID",
};
