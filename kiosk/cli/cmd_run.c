/* cmd_run.c - `kiosk run`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("run");
}

const struct command cmd_run = {
    .name = "run",
    .run = run,
    .summary = "Start the kiosk (full screen; --windowed WxH, --headless [--events FILE])",
    .usage = "[--windowed WxH] [--headless] [--events FILE]",
};
