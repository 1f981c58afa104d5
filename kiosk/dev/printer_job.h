/*
 * printer_job.h - the print queue's sink in the shell: load a job's slip
 * from the store, render it with the TTF font and send it to a printer.
 */
#ifndef KIOSK_PRINTER_JOB_H
#define KIOSK_PRINTER_JOB_H

#include "font.h"
#include "printer.h"
#include "printq.h"
#include "tzone.h"

struct printer_job {
    struct printer *printer; /* not owned; NULL = render only */
    struct font *font;       /* not owned */
    struct slip_params sp;
    char event[SLIP_LINE_MAX]; /* event.name */
    const struct tzone *tz;    /* dates on the slip; NULL = UTC */
};

/* Render job's slip. 0 and *out (raster_free), 1 its data is gone, -1. */
int printer_job_render(struct printer_job *pj, struct store *s, const struct store_print_job *job,
                       struct raster **out, struct err *err);

/* struct printq_sink.print: render, then printer_print. ctx = struct printer_job. */
int printer_job_print(void *ctx, struct store *s, const struct store_print_job *job,
                      struct err *err);

#endif
