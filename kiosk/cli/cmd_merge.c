/* cmd_merge.c - `kiosk merge`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("merge");
}

const struct command cmd_merge = {
    .name = "merge",
    .run = run,
    .summary = "Merge other kiosks' databases into this one",
    .usage = "OTHER.db...",
};
