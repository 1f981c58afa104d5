/*
 * printer.c - dispatch from a printer spec to its backend.
 * Backends live in printer_<kind>.c; each defines printer_open_<kind>().
 */
#include "printer.h"

int printer_open(struct printer **out, const struct devspec *spec, const struct printer_params *pp,
                 const char *data_dir, struct err *err)
{
    (void)pp, (void)data_dir;
    *out = NULL;
    switch (spec->kind) {
    case PRINTER_NONE:
        return err_set(err, "no printer configured");
    default:
        return err_set(err, "this printer kind is not built yet");
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
