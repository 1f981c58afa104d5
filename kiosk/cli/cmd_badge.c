/* cmd_badge.c - `kiosk badge`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("badge");
}

const struct command cmd_badge = {
    .name = "badge",
    .run = run,
    .summary = "Parse a badge payload and print the contact",
    .usage = "[--json] [FILE|-]",
};
