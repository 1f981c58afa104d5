/*
 * printer.h - where slips go: ESC/POS (device node, TCP, file), CUPS, PNG.
 *
 * Every backend takes the same thing: a 1-bit raster (one byte per 8 dots,
 * MSB first, 1 = black) produced by the core's slip renderer, plus the job id
 * for naming. Backends report failure with a message and never exit; the
 * print queue (core) decides about retries.
 *
 * printer_open checks only what can be checked without printing (spec
 * syntax, folder creatable); a missing device or a stopped cupsd shows up as
 * a failed printer_print, so a queued job stays queued.
 */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stddef.h>

#include "devspec.h"
#include "err.h"
#include "raster.h" /* struct raster lives in the core */

struct printer_params {
    int width_dots;
    int dpi;
    int cut;
    int native_qr;
    int timeout_ms; /* network connect / CUPS job follow-up; 0 = backend default */
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

/* Open the backend named by spec. data_dir is the kiosk data folder (for
 * png: with an empty folder: DATA_DIR/slips). Returns 0 and *out, owned by the
 * caller (printer_close), or -1 with err set and *out NULL. */
int printer_open(struct printer **out, const struct devspec *spec, const struct printer_params *pp,
                 const char *data_dir, struct err *err);
/* Print one slip; returns 0 once the printer (or CUPS, or the file system)
 * accepted all of it, else -1 with err set. Nothing is retried here. */
int printer_print(struct printer *p, const struct raster *r, const char *job_id, struct err *err);
/* Close; accepts NULL. */
void printer_close(struct printer *p);

/* Backends (printer_<kind>.c). */
int printer_open_escpos(struct printer **out, const struct devspec *spec,
                        const struct printer_params *pp, struct err *err);
int printer_open_cups(struct printer **out, const struct devspec *spec,
                      const struct printer_params *pp, struct err *err);
int printer_open_png(struct printer **out, const char *dir, const struct printer_params *pp,
                     struct err *err);

/* Write r as a 1-bit grayscale PNG at path (written to path.tmp, then
 * renamed). dpi > 0 is recorded in the pHYs chunk. 0 or -1 with err set. */
int printer_png_write(const struct raster *r, int dpi, const char *path, struct err *err);

/* Where the png backend writes for spec (kind PRINTER_PNG): spec->arg, or
 * DATA_DIR/slips when it is empty (data_dir NULL = "."). Fills out (size
 * bytes) and returns 0, or -1 with err set when the path does not fit. */
int printer_png_dir(const struct devspec *spec, const char *data_dir, char *out, size_t size,
                    struct err *err);
/* The file the png backend writes job_id's slip to: DIR/slip-JOB.png (an
 * empty or NULL job_id gives slip-x.png). The one place that names slip
 * files, so `kiosk forget` finds what the printer wrote. Fills out and
 * returns 0, or -1 with err set when the path does not fit. */
int printer_png_slip_path(const char *dir, const char *job_id, char *out, size_t size,
                          struct err *err);

#endif
