/*
 * escpos.c - encode slips as ESC/POS bytes (see escpos.h).
 *
 * Owns the byte layout of every command we send. Never opens a device or a
 * socket and never waits: the backends in kiosk/dev write the buffer out.
 * Start reading at escpos_encode, which strings the commands together.
 */
#include "escpos.h"

#include <stdlib.h>
#include <string.h>

static int put(struct escpos_buf *b, const void *data, size_t n, struct err *err)
{
    if (b->failed)
        return err_set(err, "ESC/POS job already failed");
    if (n > ESCPOS_JOB_MAX - b->len) {
        b->failed = 1;
        return err_set(err, "ESC/POS job larger than %u bytes", ESCPOS_JOB_MAX);
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        unsigned char *grown;
        while (cap < b->len + n)
            cap *= 2;
        if (cap > ESCPOS_JOB_MAX)
            cap = ESCPOS_JOB_MAX;
        grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = 1;
            return err_set(err, "out of memory");
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return 0;
}

int escpos_init(struct escpos_buf *b, struct err *err)
{
    static const unsigned char cmd[] = {0x1B, '@'};
    return put(b, cmd, sizeof(cmd), err);
}

int escpos_align(struct escpos_buf *b, int align, struct err *err)
{
    unsigned char cmd[] = {0x1B, 'a', 0};
    if (align < 0 || align > 2)
        return err_set(err, "alignment must be 0, 1 or 2");
    cmd[2] = (unsigned char)align;
    return put(b, cmd, sizeof(cmd), err);
}

int escpos_raster(struct escpos_buf *b, const struct raster *r, int y0, int y1, int band_rows,
                  struct err *err)
{
    if (y0 < 0 || y1 > r->height || y0 > y1)
        return err_set(err, "raster rows %d..%d outside 0..%d", y0, y1, r->height);
    if (r->stride > 0xFFFF)
        return err_set(err, "raster too wide for GS v 0");
    if (band_rows <= 0)
        band_rows = ESCPOS_BAND_ROWS;
    if (band_rows > 0xFFFF)
        band_rows = 0xFFFF;
    for (int y = y0; y < y1; y += band_rows) {
        int rows = y1 - y < band_rows ? y1 - y : band_rows;
        /* GS v 0 m xL xH yL yH: m = 0 normal density, x in bytes, y in dots. */
        unsigned char head[8] = {0x1D,
                                 'v',
                                 '0',
                                 0,
                                 (unsigned char)(r->stride & 0xFF),
                                 (unsigned char)(r->stride >> 8),
                                 (unsigned char)(rows & 0xFF),
                                 (unsigned char)(rows >> 8)};
        if (put(b, head, sizeof(head), err) < 0 || put(b, r->bits + (size_t)y * (size_t)r->stride,
                                                       (size_t)rows * (size_t)r->stride, err) < 0)
            return -1;
    }
    return 0;
}

/* GS ( k pL pH cn fn [params]: cn = 49 selects the QR code functions. */
static int qr_fn(struct escpos_buf *b, unsigned char fn, const unsigned char *param, size_t nparam,
                 struct err *err)
{
    size_t plen = nparam + 2;
    unsigned char head[7] = {
        0x1D, '(', 'k', (unsigned char)(plen & 0xFF), (unsigned char)(plen >> 8), 49, fn};
    if (put(b, head, sizeof(head), err) < 0)
        return -1;
    return nparam ? put(b, param, nparam, err) : 0;
}

int escpos_qr(struct escpos_buf *b, const char *data, size_t len, int module, char level,
              struct err *err)
{
    static const char levels[] = "LMQH";
    const char *l = level ? strchr(levels, level) : NULL;
    unsigned char model[2] = {50, 0}; /* fn 165: model 2 */
    unsigned char size[1], ecc[1], print[1] = {48};
    if (len == 0 || len > 7089)
        return err_set(err, "native QR payload must be 1..7089 bytes, not %zu", len);
    if (module < 1 || module > 16)
        return err_set(err, "native QR module size must be 1..16 dots");
    if (!l)
        return err_set(err, "QR level must be L, M, Q or H");
    size[0] = (unsigned char)module;
    ecc[0] = (unsigned char)(48 + (l - levels));
    if (qr_fn(b, 65, model, 2, err) < 0 || qr_fn(b, 67, size, 1, err) < 0 ||
        qr_fn(b, 69, ecc, 1, err) < 0)
        return -1;
    /* fn 80: store data; its parameter block is m = 48 followed by the data. */
    {
        size_t plen = len + 3;
        unsigned char head[8] = {
            0x1D, '(', 'k', (unsigned char)(plen & 0xFF), (unsigned char)(plen >> 8), 49, 80, 48};
        if (put(b, head, sizeof(head), err) < 0 || put(b, data, len, err) < 0)
            return -1;
    }
    return qr_fn(b, 81, print, 1, err);
}

int escpos_feed(struct escpos_buf *b, int lines, struct err *err)
{
    unsigned char cmd[] = {0x1B, 'd', 0};
    if (lines < 0 || lines > 255)
        return err_set(err, "feed must be 0..255 lines");
    cmd[2] = (unsigned char)lines;
    return put(b, cmd, sizeof(cmd), err);
}

int escpos_cut(struct escpos_buf *b, struct err *err)
{
    static const unsigned char cmd[] = {0x1D, 'V', 1};
    return put(b, cmd, sizeof(cmd), err);
}

/* Blank rows above (and below) a code inside its box: the quiet zone. */
static int quiet_rows(const struct raster_qr *q)
{
    return (q->size - q->modules * q->module) / 2;
}

int escpos_encode(struct escpos_buf *b, const struct raster *r, const struct escpos_job *job,
                  struct err *err)
{
    int y = 0;
    if (escpos_init(b, err) < 0)
        return -1;
    if (job->native_qr) {
        for (int i = 0; i < r->nqr; i++) {
            const struct raster_qr *q = &r->qr[i];
            int module = q->module > 16 ? 16 : q->module;
            if (q->y < y)
                return err_set(err, "QR codes overlap in the raster");
            /* Rows above the code as raster, then the printer draws the code
             * (its own quiet zone is the blank rows we skip). */
            if (escpos_raster(b, r, y, q->y + quiet_rows(q), job->band_rows, err) < 0 ||
                escpos_align(b, 1, err) < 0 ||
                escpos_qr(b, q->payload, q->len, module, 'M', err) < 0 ||
                escpos_align(b, 0, err) < 0)
                return -1;
            y = q->y + q->size - quiet_rows(q);
        }
    }
    if (escpos_raster(b, r, y, r->height, job->band_rows, err) < 0)
        return -1;
    if (job->cut) {
        if (escpos_feed(b, job->feed_lines, err) < 0 || escpos_cut(b, err) < 0)
            return -1;
    } else if (job->feed_lines > 0 && escpos_feed(b, job->feed_lines, err) < 0) {
        return -1;
    }
    return 0;
}

void escpos_buf_free(struct escpos_buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof(*b));
}
