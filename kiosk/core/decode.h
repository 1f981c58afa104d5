/*
 * decode.h - find and read badge codes in one grayscale frame.
 *
 * The camera, `kiosk decode` and the tests all run this same pipeline. It
 * takes an 8-bit gray buffer and never touches a camera. Underneath is zbar's
 * image scanner (QR only by default, binary mode so payload bytes are not
 * charset-guessed); around it: a region of interest around the last hit, a
 * cheap finder-pattern survey that picks a scale and polarity, a downscaled
 * first pass, and retries with contrast stretch / sharpening / inversion /
 * another scale only when a code is evidently there. A payload is only ever
 * what zbar read after its error correction; nothing is guessed.
 *
 * A decoder is not thread-safe: use one per thread (the decoder thread owns
 * its own). Typical use:
 *
 *     struct decode_opts o; decode_opts_default(&o);
 *     struct decoder *d; decode_open(&d, &o, &err);
 *     struct decode_result r;
 *     decode_frame(d, gray, w, h, stride, &r, &err);   // per frame
 *     for (int i = 0; i < r.n; i++) use(r.code[i].data, r.code[i].len);
 *     decode_close(d);
 */
#ifndef KIOSK_DECODE_H
#define KIOSK_DECODE_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "limits.h"

/* Symbologies (bit mask). QR is the default; the others come from the
 * scan.symbologies setting. */
enum {
    DECODE_QR = 1u << 0,
    DECODE_CODE128 = 1u << 1,
    DECODE_EAN13 = 1u << 2,
    DECODE_EAN8 = 1u << 3,
    DECODE_UPCA = 1u << 4,
    DECODE_CODE39 = 1u << 5,
    DECODE_I25 = 1u << 6,
    DECODE_PDF417 = 1u << 7,
    DECODE_DATABAR = 1u << 8,
    DECODE_CODE93 = 1u << 9,
    DECODE_CODABAR = 1u << 10
};

struct decode_opts {
    unsigned symbologies; /* DECODE_* mask; 0 is refused */
    int inverted;         /* 1: also read light-on-dark codes */
};

/* QR only, inverted on. */
void decode_opts_default(struct decode_opts *o);

/* Fill o from the config keys scan.symbologies and scan.inverted. Returns 0,
 * or -1 with err naming an unknown symbology (o then unchanged).
 * Names: qr, code128, ean13, ean8, upca, code39, i25, pdf417, databar,
 * code93, codabar. ("datamatrix" is refused: zbar cannot read it.) */
int decode_opts_from_config(struct decode_opts *o, const struct config *c, struct err *err);
/* Same from a comma-separated list. */
int decode_symbologies_parse(const char *list, unsigned *mask, struct err *err);

struct decode_code {
    unsigned char data[KIOSK_PAYLOAD_MAX + 1]; /* payload bytes, NUL-terminated for convenience */
    size_t len;                                /* bytes in data, excluding the NUL */
    char format[16];                           /* "qr", "code128", ... */
    int inverted;                              /* read as light-on-dark */
    int x0, y0, x1, y1;                        /* bounding box in frame pixels */
};

struct decode_result {
    int n;       /* codes in code[] (distinct payloads) */
    int dropped; /* more codes than KIOSK_CODES_PER_FRAME, or
                    payloads over KIOSK_PAYLOAD_MAX: refused */
    int passes;  /* zbar scans run for this frame (diagnostics) */
    struct decode_code code[KIOSK_CODES_PER_FRAME];
};

struct decoder;

/* Create a decoder. Returns 0, or -1 with err (out of memory, bad options);
 * *out is NULL after failure. The decoder keeps scratch buffers that grow to
 * the largest frame seen. */
int decode_open(struct decoder **out, const struct decode_opts *o, struct err *err);

/* Decode one frame (w x h bytes, rows stride bytes apart; stride >= w).
 * Fills *r (always reset first) and returns r->n >= 0, or -1 with err for a
 * bad frame size or out of memory (r->n is then 0). The decoder remembers
 * where it last found a code and looks there first in the next frame. */
int decode_frame(struct decoder *d, const unsigned char *gray, int w, int h, int stride,
                 struct decode_result *r, struct err *err);

/* Forget the last hit (e.g. between unrelated images). */
void decode_reset(struct decoder *d);

/* Free; accepts NULL. */
void decode_close(struct decoder *d);

#endif
