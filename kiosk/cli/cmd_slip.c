/* cmd_slip.c - `kiosk slip`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("slip");
}

const struct command cmd_slip = {
    .name = "slip",
    .run = run,
    .summary = "Print an interaction's QR summary slip, or a test page",
    .usage = "ID | --test",
};
