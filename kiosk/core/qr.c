/*
 * qr.c - libqrencode wrapper: bytes in, a plain module matrix out.
 *
 * Owns the matrix memory only. Never decides a size in dots (that depends on
 * the paper or the screen) and never touches a device. Encodes in byte mode
 * throughout, so UTF-8 text survives byte for byte and a reader hands back
 * exactly what went in.
 */
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

int qr_encode(const char *data, size_t len, enum qr_level level, struct qr *out, struct err *err)
{
    static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    QRcode *code;
    int result = -1;

    memset(out, 0, sizeof(*out));
    if (len == 0)
        return err_set(err, "nothing to put in a QR code");
    if (len > QR_PAYLOAD_MAX)
        return err_set(err, "QR payload of %zu bytes exceeds %d", len, QR_PAYLOAD_MAX);
    if ((unsigned)level > QR_ECC_H)
        return err_set(err, "unknown QR error correction level");
    /* QRencode_encodeData takes a length, so an embedded NUL cannot cut the
     * payload short; it uses byte mode throughout. */
    errno = 0;
    code = QRcode_encodeData((int)len, (const unsigned char *)data, 0, levels[level]);
    if (!code) {
        if (errno == ERANGE)
            return err_set(err, "%zu bytes do not fit in a QR code at this error correction", len);
        return err_set(err, "QR encoding failed: %s", strerror(errno ? errno : ENOMEM));
    }
    out->module = malloc((size_t)code->width * (size_t)code->width);
    if (!out->module) {
        err_set(err, "out of memory");
        goto out;
    }
    out->version = code->version;
    out->size = code->width;
    /* libqrencode packs flags in each byte; bit 0 is the module colour. */
    for (int i = 0; i < code->width * code->width; i++)
        out->module[i] = code->data[i] & 1;
    result = 0;
out:
    QRcode_free(code);
    return result;
}

void qr_free(struct qr *q)
{
    if (!q)
        return;
    free(q->module);
    memset(q, 0, sizeof(*q));
}

int qr_dark(const struct qr *q, int x, int y)
{
    if (x < 0 || y < 0 || x >= q->size || y >= q->size)
        return 0;
    return q->module[(size_t)y * (size_t)q->size + (size_t)x];
}

int qr_draw(const struct qr *q, struct raster *r, int x, int y, int module)
{
    int side = (q->size + 2 * QR_QUIET) * module;
    raster_fill(r, x, y, side, side, 0);
    for (int j = 0; j < q->size; j++)
        for (int i = 0; i < q->size; i++)
            if (q->module[(size_t)j * (size_t)q->size + (size_t)i])
                raster_fill(r, x + (QR_QUIET + i) * module, y + (QR_QUIET + j) * module, module,
                            module, 1);
    return side;
}
