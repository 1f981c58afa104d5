/* cmd_roster.c - `kiosk roster`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("roster");
}

const struct command cmd_roster = {
    .name = "roster",
    .run = run,
    .summary = "Import a registration roster CSV, or look a code up",
    .usage = "import FILE.csv [--map COLUMN=FIELD]... | lookup CODE",
};
