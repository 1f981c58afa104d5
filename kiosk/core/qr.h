/*
 * qr.h - text to a QR module matrix (libqrencode), for slips and the screen.
 *
 * The matrix is plain data: size x size bytes, 1 = dark module, no quiet
 * zone. Drawing it (whole dots per module on paper, whole pixels on screen)
 * is the caller's job; qr_draw does it for a struct raster.
 */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <stddef.h>

#include "err.h"
#include "raster.h"

/* Error correction levels, as in the QR standard (M recovers ~15 %). */
enum qr_level { QR_ECC_L, QR_ECC_M, QR_ECC_Q, QR_ECC_H };

/* Most bytes we encode: QR version 40 at level L holds 2953 in byte mode. */
#define QR_PAYLOAD_MAX 2953
/* Quiet zone every reader expects around a code, in modules. */
#define QR_QUIET 4

struct qr {
    int version;           /* 1..40 */
    int size;              /* modules per side: 17 + 4 * version */
    unsigned char *module; /* size * size, row-major, 1 = dark; owned */
};

/* Encode len bytes (UTF-8 text or binary; no NUL needed) at the given error
 * correction level, in the smallest version that holds it. Returns 0 and
 * fills out (free with qr_free), or -1 with err set (empty or oversized
 * payload, out of memory); out is then empty. */
int qr_encode(const char *data, size_t len, enum qr_level level, struct qr *out, struct err *err);
/* Free the matrix; accepts an empty or zeroed struct. */
void qr_free(struct qr *q);
/* 1 if module (x, y) is dark; outside the matrix (the quiet zone) is light. */
int qr_dark(const struct qr *q, int x, int y);

/* Draw q into r with its top-left quiet-zone corner at (x, y), module dots
 * per module, QR_QUIET modules of white around it. Returns the side of the
 * box drawn in dots: (size + 2 * QR_QUIET) * module. */
int qr_draw(const struct qr *q, struct raster *r, int x, int y, int module);

#endif
