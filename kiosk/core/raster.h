/*
 * raster.h - the 1-bit page image every printer backend takes.
 *
 * One byte per 8 dots, MSB first, 1 = black, rows top to bottom. A raster may
 * also carry the places where QR codes were drawn (box and payload), so a
 * backend that prints QR codes natively (ESC/POS GS ( k) can replace those
 * rows; every other backend ignores them.
 */
#ifndef KIOSK_RASTER_H
#define KIOSK_RASTER_H

#include <stddef.h>

#include "err.h"

/* A QR code drawn into the raster: the box includes the quiet zone and spans
 * rows y .. y+size-1 of the raster alone (nothing else is drawn beside it). */
struct raster_qr {
    int x, y, size; /* box in dots, quiet zone included */
    int module;     /* dots per module */
    int modules;    /* modules per side, quiet zone excluded */
    char *payload;  /* owned, NUL-terminated */
    size_t len;
};

struct raster {
    int width, height; /* dots */
    int stride;        /* bytes per row = (width + 7) / 8 */
    unsigned char *bits;
    int nqr;              /* QR codes drawn, sorted by y */
    struct raster_qr *qr; /* owned; NULL when nqr == 0 */
};

/* Largest raster we make: 2400 dots wide (printer.width_dots max) and
 * RASTER_HEIGHT_MAX rows (about 5 m of paper at 203 dpi). */
#define RASTER_WIDTH_MAX  2400
#define RASTER_HEIGHT_MAX 40000

/* Allocate a white raster. Returns NULL (err set) when a dimension is out of
 * range or memory runs out. The caller frees it with raster_free. */
struct raster *raster_new(int width, int height, struct err *err);
/* Free a raster and its QR list; accepts NULL. */
void raster_free(struct raster *r);

/* Dot access; coordinates outside the raster are ignored / read as white. */
void raster_set(struct raster *r, int x, int y, int black);
int raster_get(const struct raster *r, int x, int y);
/* Fill a rectangle (clipped to the raster). */
void raster_fill(struct raster *r, int x, int y, int w, int h, int black);

/* Record a QR placement (copies payload). 0, or -1 on out of memory. */
int raster_add_qr(struct raster *r, const struct raster_qr *q, struct err *err);

#endif
