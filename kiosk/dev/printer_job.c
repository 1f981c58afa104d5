/*
 * printer_job.c - glue between the core's print queue and a printer:
 * store -> struct slip -> raster (SDL2_ttf text) -> backend.
 *
 * Owns no state between jobs. Never retries or records anything in the
 * database: printq_run does that with what this returns.
 */
#include "printer_job.h"

#include <stdio.h>

int printer_job_render(struct printer_job *pj, struct store *s, const struct store_print_job *job,
                       struct raster **out, struct err *err)
{
    struct slip slip;
    int r;
    *out = NULL;
    r = store_slip_load_lang(s, job, job->lang, &slip, err); /* the screen's language */
    if (r != 0)
        return r;
    if (pj->event[0])
        snprintf(slip.event, sizeof(slip.event), "%s", pj->event);
    slip.utc_offset_min = tzone_offset(pj->tz, slip.at) / 60;
    r = slip_render(&slip, &pj->sp, pj->font, out, err);
    slip_free(&slip);
    return r;
}

int printer_job_print(void *ctx, struct store *s, const struct store_print_job *job,
                      struct err *err)
{
    struct printer_job *pj = ctx;
    struct raster *r = NULL;
    int result;
    if (!pj->printer)
        return err_set(err, "no printer configured");
    result = printer_job_render(pj, s, job, &r, err);
    if (result == 0)
        result = printer_print(pj->printer, r, job->id, err);
    else if (result == 1)
        result = PRINTQ_PERMANENT;
    raster_free(r);
    return result;
}
