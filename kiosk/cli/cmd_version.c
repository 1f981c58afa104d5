/*
 * cmd_version.c - `kiosk version`: program and library versions.
 *
 * Prints the kiosk version and the versions of zbar and libqrencode it runs
 * with (what a bug report needs). Never opens the database or a device.
 */
#include <zbar.h>
#include <qrencode.h>

#include "cli.h"

static int run(struct kiosk *k, int argc, char **argv)
{
    unsigned zmaj = 0, zmin = 0, zpatch = 0;
    int qmaj = 0, qmin = 0, qmic = 0;
    (void)k;
    if (argc > 1)
        return cli_usage_error("version", "unexpected argument \"%s\"", argv[1]);
    zbar_version(&zmaj, &zmin, &zpatch);
    QRcode_APIVersion(&qmaj, &qmin, &qmic);
    printf("kiosk %s (schema %d)\n", KIOSK_VERSION, STORE_SCHEMA_VERSION);
    printf("sqlite %s, zbar %u.%u.%u, libqrencode %d.%d.%d\n", store_engine_version(), zmaj, zmin,
           zpatch, qmaj, qmin, qmic);
    return 0;
}

const struct command cmd_version = {
    .name = "version",
    .run = run,
    .summary = "Print the kiosk's version and its libraries'",
    .usage = "",
};
