/*
 * escpos.h - ESC/POS byte encoder for thermal receipt printers.
 *
 * Pure: commands are appended to a growable byte buffer; sending them is the
 * printer backend's job. The commands used are the common Epson subset every
 * clone understands: ESC @ (init), GS v 0 (raster bit image), ESC a (align),
 * GS ( k (native QR, model 2), ESC d (feed lines), GS V (cut).
 */
#ifndef KIOSK_ESCPOS_H
#define KIOSK_ESCPOS_H

#include <stddef.h>

#include "err.h"
#include "raster.h"

/* Hard cap on one job's bytes (a 2400-dot, 40000-row raster is 12 MB). */
#define ESCPOS_JOB_MAX (16u * 1024u * 1024u)
/* Rows per GS v 0 command: small enough for printers with little buffer. */
#define ESCPOS_BAND_ROWS 128

struct escpos_buf {
    unsigned char *data; /* owned */
    size_t len, cap;
    int failed; /* sticky: a previous append failed */
};

/* Append helpers. Each returns 0, or -1 (err set) when the buffer would pass
 * ESCPOS_JOB_MAX or memory runs out; after one failure every later call
 * fails too, so a caller may check only the last. */
int escpos_init(struct escpos_buf *b, struct err *err);
int escpos_align(struct escpos_buf *b, int align /* 0 left, 1 centre, 2 right */, struct err *err);
/* Rows [y0, y1) of r as GS v 0 commands of at most band_rows rows each. */
int escpos_raster(struct escpos_buf *b, const struct raster *r, int y0, int y1, int band_rows,
                  struct err *err);
/* Native QR: model 2, module size 1..16 dots, level 'L','M','Q','H'; store
 * then print. len must be 1..7089 (the command's own limit). */
int escpos_qr(struct escpos_buf *b, const char *data, size_t len, int module, char level,
              struct err *err);
/* ESC d n: print and feed n lines (0..255). */
int escpos_feed(struct escpos_buf *b, int lines, struct err *err);
/* GS V 1: partial cut (the paper stays held by a tab on most cutters). */
int escpos_cut(struct escpos_buf *b, struct err *err);

struct escpos_job {
    int cut;        /* feed and cut at the end */
    int native_qr;  /* replace the raster's QR rows by GS ( k commands */
    int feed_lines; /* lines fed before the cut (the cutter sits above the head) */
    int band_rows;  /* 0 = ESCPOS_BAND_ROWS */
};

/* A whole slip: init, the raster in bands (QR rows as native commands when
 * asked), feed, cut. Appends to b. 0 or -1 with err set. */
int escpos_encode(struct escpos_buf *b, const struct raster *r, const struct escpos_job *job,
                  struct err *err);

/* Free the buffer's memory and empty it; accepts NULL. */
void escpos_buf_free(struct escpos_buf *b);

#endif
