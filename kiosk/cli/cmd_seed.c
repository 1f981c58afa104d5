/* cmd_seed.c - `kiosk seed`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("seed");
}

const struct command cmd_seed = {
    .name = "seed",
    .run = run,
    .summary = "Fill a database with N synthetic demo attendees and leads",
    .usage = "N",
};
