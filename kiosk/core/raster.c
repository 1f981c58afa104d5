/*
 * raster.c - allocation and dot access for struct raster (see raster.h).
 *
 * Owns nothing but the memory of a raster. Never draws text or reads files;
 * the slip renderer and the font backend draw through these calls.
 */
#include "raster.h"

#include <stdlib.h>
#include <string.h>

struct raster *raster_new(int width, int height, struct err *err)
{
    struct raster *r;
    if (width < 1 || width > RASTER_WIDTH_MAX || height < 1 || height > RASTER_HEIGHT_MAX) {
        err_set(err, "raster of %dx%d dots is outside 1..%d x 1..%d", width, height,
                RASTER_WIDTH_MAX, RASTER_HEIGHT_MAX);
        return NULL;
    }
    r = calloc(1, sizeof(*r));
    if (!r) {
        err_set(err, "out of memory");
        return NULL;
    }
    r->width = width;
    r->height = height;
    r->stride = (width + 7) / 8;
    r->bits = calloc((size_t)r->stride, (size_t)height);
    if (!r->bits) {
        free(r);
        err_set(err, "out of memory for a %dx%d raster", width, height);
        return NULL;
    }
    return r;
}

void raster_free(struct raster *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nqr; i++)
        free(r->qr[i].payload);
    free(r->qr);
    free(r->bits);
    free(r);
}

void raster_set(struct raster *r, int x, int y, int black)
{
    unsigned char *b;
    if (x < 0 || y < 0 || x >= r->width || y >= r->height)
        return;
    b = &r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)];
    if (black)
        *b |= (unsigned char)(0x80 >> (x & 7));
    else
        *b &= (unsigned char)~(0x80 >> (x & 7));
}

int raster_get(const struct raster *r, int x, int y)
{
    if (x < 0 || y < 0 || x >= r->width || y >= r->height)
        return 0;
    return (r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

void raster_fill(struct raster *r, int x, int y, int w, int h, int black)
{
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > r->width ? r->width : x + w, y1 = y + h > r->height ? r->height : y + h;
    for (int j = y0; j < y1; j++)
        for (int i = x0; i < x1; i++)
            raster_set(r, i, j, black);
}

int raster_add_qr(struct raster *r, const struct raster_qr *q, struct err *err)
{
    struct raster_qr *grown = realloc(r->qr, (size_t)(r->nqr + 1) * sizeof(*grown));
    char *copy;
    if (!grown)
        return err_set(err, "out of memory");
    r->qr = grown;
    copy = malloc(q->len + 1);
    if (!copy)
        return err_set(err, "out of memory");
    memcpy(copy, q->payload, q->len);
    copy[q->len] = '\0';
    r->qr[r->nqr] = *q;
    r->qr[r->nqr].payload = copy;
    r->nqr++;
    return 0;
}
