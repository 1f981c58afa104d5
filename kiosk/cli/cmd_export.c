/* cmd_export.c - `kiosk export`. */
#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    (void)k, (void)argc, (void)argv;
    return cli_not_implemented("export");
}

const struct command cmd_export = {
    .name = "export",
    .run = run,
    .summary = "Export leads and exchanges (CSV, vCard, JSON, iCalendar)",
    .usage = "--format csv|vcf|json|ics [--out FILE|DIR | --to-usb] [--since TIME] [--mode MODE]",
};
