/*
 * printer.h - where slips go: ESC/POS (device node, TCP, file), CUPS, PNG.
 *
 * Every backend takes the same thing: a 1-bit raster (one byte per 8 dots,
 * MSB first, 1 = black) produced by the core's slip renderer, plus the job id
 * for naming. Backends report failure with a message and never exit; the
 * print queue (core) decides about retries.
 */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stddef.h>

#include "devspec.h"
#include "err.h"

struct raster {
    int width, height; /* dots */
    int stride;        /* bytes per row = (width + 7) / 8 */
    unsigned char *bits;
};

struct printer_params {
    int width_dots;
    int cut;
    int native_qr;
};

struct printer;

struct printer_ops {
    /* Print one slip. Returns 0 when the printer accepted all of it. */
    int (*print)(struct printer *p, const struct raster *r, const char *job_id, struct err *err);
    void (*close)(struct printer *p);
};

struct printer {
    const struct printer_ops *ops;
};

int printer_open(struct printer **out, const struct devspec *spec, const struct printer_params *pp,
                 const char *data_dir, struct err *err);
int printer_print(struct printer *p, const struct raster *r, const char *job_id, struct err *err);
void printer_close(struct printer *p);

#endif
