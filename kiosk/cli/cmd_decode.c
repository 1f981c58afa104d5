/* cmd_decode.c - `kiosk decode`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("decode");
}

const struct command cmd_decode = {
    .name = "decode",
    .run = run,
    .summary = "Decode QR codes in image files with the camera's pipeline",
    .usage = "[--json] IMAGE...",
};
