/* cmd_forget.c - `kiosk forget`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("forget");
}

const struct command cmd_forget = {
    .name = "forget",
    .run = run,
    .summary = "Erase an attendee everywhere",
    .usage = "REF",
};
