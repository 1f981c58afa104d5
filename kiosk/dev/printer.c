/*
 * printer.c - dispatch from a printer spec to its backend.
 *
 * Backends live in printer_<kind>.c; each defines printer_open_<kind>().
 * This file only picks one and forwards calls; it never retries (the print
 * queue in the core does) and never prints anything itself.
 */
#include "printer.h"

#include <stdio.h>

int printer_open(struct printer **out, const struct devspec *spec, const struct printer_params *pp,
                 const char *data_dir, struct err *err)
{
    char dir[1100];
    *out = NULL;
    switch (spec->kind) {
    case PRINTER_NONE:
        return err_set(err, "no printer configured (printer = none)");
    case PRINTER_ESCPOS:
    case PRINTER_ESCPOS_TCP:
    case PRINTER_ESCPOS_FILE:
        return printer_open_escpos(out, spec, pp, err);
    case PRINTER_CUPS:
        return printer_open_cups(out, spec, pp, err);
    case PRINTER_PNG:
        if (printer_png_dir(spec, data_dir, dir, sizeof(dir), err) < 0)
            return -1;
        return printer_open_png(out, dir, pp, err);
    default:
        return err_set(err, "unknown printer kind %d", spec->kind);
    }
}

int printer_print(struct printer *p, const struct raster *r, const char *job_id, struct err *err)
{
    return p->ops->print(p, r, job_id, err);
}

void printer_close(struct printer *p)
{
    if (p)
        p->ops->close(p);
}
