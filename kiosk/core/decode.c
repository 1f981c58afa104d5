/*
 * decode.c - the badge decode pipeline around zbar; see decode.h.
 *
 * Owns: a zbar image scanner configured once (chosen symbologies only, QR in
 * binary mode), scratch buffers, and the memory of the last hit. Never
 * touches a camera, a clock or the file system.
 *
 * Why it is faster than plain zbar: plain zbar runs every 1-D decoder over
 * every row and column of the full frame. We run QR only, and most frames
 * never reach zbar at full size:
 *   1. last hit: if a code was read in the previous frame, scan just the
 *      region around it (at the scale that worked).
 *   2. survey: a run-length pass over every few rows looks for QR finder
 *      patterns (1:1:3:1:1), in both polarities, cross-checked vertically.
 *      It yields where codes are, their module size, and whether they are
 *      dark-on-light or light-on-dark - so inversion is tried only when a
 *      light-on-dark finder is actually seen.
 *   3. with finders: scan each cluster's region, downscaled so a module is
 *      about 3.5 px; if that fails, one cheap whole-frame look (step 4),
 *      then the costly retries per region: full scale, 2x2-averaged (noise),
 *      contrast-stretched and sharpened (or upscaled for tiny modules), then
 *      the other polarity if it was seen about as often.
 *   4. no finders: one whole-frame pass, downscaled (1/2 from 600 px wide,
 *      1/3 from 1800) at half scan density, as a safety net for codes the
 *      survey missed (blur, noise). A survey that finds more than
 *      MAX_REAL_CANDS confirmed finders is texture and counts as none.
 * Results are only what zbar returned after Reed-Solomon correction, deduped
 * by payload. Start reading at decode_frame().
 */
#include "decode.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#define MAX_CANDS      256
#define MAX_REAL_CANDS 64 /* more confirmed finders than this: a texture, not codes */
#define MAX_CLUSTERS   4

struct cand {
    int x, y;     /* centre, frame pixels */
    float m;      /* module size, pixels */
    int inverted; /* light centre */
    int hits;
};

struct decoder {
    struct decode_opts opts;
    zbar_image_scanner_t *scn;
    zbar_image_t *img;
    unsigned char *buf, *buf2; /* scratch: region copies */
    size_t cap;
    int *rowsum; /* prefix sums for one row */
    size_t rowcap;
    struct cand cand[MAX_CANDS];
    int ncand;
    /* last hit */
    int have_last, last_x0, last_y0, last_x1, last_y1, last_scale, last_inv;
};

/* --- options ------------------------------------------------------------ */

static const struct {
    const char *name;
    unsigned bit;
    zbar_symbol_type_t zsym;
} syms[] = {
    {"qr", DECODE_QR, ZBAR_QRCODE},
    {"code128", DECODE_CODE128, ZBAR_CODE128},
    {"ean13", DECODE_EAN13, ZBAR_EAN13},
    {"ean8", DECODE_EAN8, ZBAR_EAN8},
    {"upca", DECODE_UPCA, ZBAR_UPCA},
    {"code39", DECODE_CODE39, ZBAR_CODE39},
    {"i25", DECODE_I25, ZBAR_I25},
    {"pdf417", DECODE_PDF417, ZBAR_PDF417},
    {"databar", DECODE_DATABAR, ZBAR_DATABAR},
    {"code93", DECODE_CODE93, ZBAR_CODE93},
    {"codabar", DECODE_CODABAR, ZBAR_CODABAR},
};
#define NSYMS (sizeof(syms) / sizeof(syms[0]))

void decode_opts_default(struct decode_opts *o)
{
    o->symbologies = DECODE_QR;
    o->inverted = 1;
}

int decode_symbologies_parse(const char *list, unsigned *mask, struct err *err)
{
    unsigned m = 0;
    const char *p = list;
    while (*p) {
        char name[32];
        size_t n = strcspn(p, ",");
        size_t a = 0, b = n, i;
        while (a < b && (p[a] == ' ' || p[a] == '\t'))
            a++;
        while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
            b--;
        if (b - a >= sizeof(name))
            return err_set(err, "scan.symbologies: name too long");
        memcpy(name, p + a, b - a);
        name[b - a] = '\0';
        if (name[0]) {
            for (i = 0; i < NSYMS; i++)
                if (strcmp(syms[i].name, name) == 0)
                    break;
            if (i == NSYMS)
                return err_set(err,
                               "scan.symbologies: \"%s\" is not one of qr, code128, ean13, ean8, "
                               "upca, code39, i25, pdf417, databar, code93, codabar",
                               name);
            m |= syms[i].bit;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (!m)
        return err_set(err, "scan.symbologies: no symbology named");
    *mask = m;
    return 0;
}

int decode_opts_from_config(struct decode_opts *o, const struct config *c, struct err *err)
{
    unsigned m;
    if (decode_symbologies_parse(config_str(c, "scan.symbologies"), &m, err) < 0)
        return -1;
    o->symbologies = m;
    o->inverted = config_bool(c, "scan.inverted");
    return 0;
}

static const char *format_name(zbar_symbol_type_t t)
{
    size_t i;
    if (t == ZBAR_DATABAR_EXP)
        t = ZBAR_DATABAR;
    for (i = 0; i < NSYMS; i++)
        if (syms[i].zsym == t)
            return syms[i].name;
    return "other";
}

/* --- lifecycle ----------------------------------------------------------- */

int decode_open(struct decoder **out, const struct decode_opts *o, struct err *err)
{
    struct decoder *d = NULL;
    int rc = -1;
    size_t i;

    *out = NULL;
    if (!o->symbologies)
        return err_set(err, "decode: no symbology enabled");
    d = calloc(1, sizeof(*d));
    if (!d) {
        err_set(err, "decode: out of memory");
        goto out;
    }
    d->opts = *o;
    d->scn = zbar_image_scanner_create();
    d->img = zbar_image_create();
    if (!d->scn || !d->img) {
        err_set(err, "decode: cannot create the zbar scanner");
        goto out;
    }
    zbar_image_set_format(d->img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_scanner_set_config(d->scn, 0, ZBAR_CFG_ENABLE, 0);
    for (i = 0; i < NSYMS; i++)
        if (o->symbologies & syms[i].bit)
            zbar_image_scanner_set_config(d->scn, syms[i].zsym, ZBAR_CFG_ENABLE, 1);
    if (o->symbologies & DECODE_DATABAR)
        zbar_image_scanner_set_config(d->scn, ZBAR_DATABAR_EXP, ZBAR_CFG_ENABLE, 1);
    /* Payload bytes as printed, not converted from a guessed charset. */
    zbar_image_scanner_set_config(d->scn, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    *out = d;
    d = NULL;
    rc = 0;
out:
    decode_close(d);
    return rc;
}

void decode_close(struct decoder *d)
{
    if (!d)
        return;
    if (d->img)
        zbar_image_destroy(d->img);
    if (d->scn)
        zbar_image_scanner_destroy(d->scn);
    free(d->buf);
    free(d->buf2);
    free(d->rowsum);
    free(d);
}

void decode_reset(struct decoder *d)
{
    d->have_last = 0;
}

static int reserve(struct decoder *d, size_t n)
{
    unsigned char *a, *b;
    if (n <= d->cap)
        return 0;
    a = realloc(d->buf, n);
    if (!a)
        return -1;
    d->buf = a;
    b = realloc(d->buf2, n);
    if (!b)
        return -1;
    d->buf2 = b;
    d->cap = n;
    return 0;
}

/* --- zbar passes ----------------------------------------------------------- */

static int have_payload(const struct decode_result *r, const char *data, size_t len)
{
    for (int i = 0; i < r->n; i++)
        if (r->code[i].len == len && memcmp(r->code[i].data, data, len) == 0)
            return 1;
    return 0;
}

/* Scan buf (w x h, contiguous) with zbar; map symbol corners back to frame
 * coordinates as fx = ox + x * num / den. Adds new payloads to r; returns how
 * many were added. */
static int zscan(struct decoder *d, const unsigned char *buf, int w, int h, int ox, int oy, int num,
                 int den, int inverted, struct decode_result *r)
{
    const zbar_symbol_t *s;
    int added = 0;

    zbar_image_set_size(d->img, (unsigned)w, (unsigned)h);
    zbar_image_set_crop(d->img, 0, 0, (unsigned)w, (unsigned)h);
    zbar_image_set_data(d->img, buf, (unsigned long)w * (unsigned long)h, NULL);
    r->passes++;
    if (zbar_scan_image(d->scn, d->img) <= 0)
        return 0;
    for (s = zbar_image_first_symbol(d->img); s; s = zbar_symbol_next(s)) {
        const char *data = zbar_symbol_get_data(s);
        size_t len = zbar_symbol_get_data_length(s);
        struct decode_code *c;
        unsigned k, nloc = zbar_symbol_get_loc_size(s);

        if (!data || len == 0 || have_payload(r, data, len))
            continue;
        if (len > KIOSK_PAYLOAD_MAX || r->n >= KIOSK_CODES_PER_FRAME) {
            r->dropped++;
            continue;
        }
        c = &r->code[r->n++];
        memcpy(c->data, data, len);
        c->data[len] = '\0';
        c->len = len;
        snprintf(c->format, sizeof(c->format), "%s", format_name(zbar_symbol_get_type(s)));
        c->inverted = inverted;
        c->x0 = c->y0 = INT32_MAX;
        c->x1 = c->y1 = INT32_MIN;
        for (k = 0; k < nloc; k++) {
            int x = ox + zbar_symbol_get_loc_x(s, k) * num / den;
            int y = oy + zbar_symbol_get_loc_y(s, k) * num / den;
            c->x0 = x < c->x0 ? x : c->x0;
            c->y0 = y < c->y0 ? y : c->y0;
            c->x1 = x > c->x1 ? x : c->x1;
            c->y1 = y > c->y1 ? y : c->y1;
        }
        if (nloc == 0)
            c->x0 = c->y0 = c->x1 = c->y1 = 0;
        added++;
    }
    zbar_image_set_data(d->img, NULL, 0, NULL);
    return added;
}

/* Stretch the 1st..99th percentile of buf to 0..255, then sharpen with a
 * 3x3 unsharp mask into out. */
static void enhance(const unsigned char *in, unsigned char *out, int w, int h)
{
    unsigned hist[256] = {0};
    size_t n = (size_t)w * h, acc = 0;
    int lo = 0, hi = 255, x, y;
    unsigned char lut[256];

    for (size_t i = 0; i < n; i++)
        hist[in[i]]++;
    for (lo = 0; lo < 255; lo++) {
        acc += hist[lo];
        if (acc > n / 100)
            break;
    }
    acc = 0;
    for (hi = 255; hi > 0; hi--) {
        acc += hist[hi];
        if (acc > n / 100)
            break;
    }
    if (hi <= lo)
        hi = lo + 1;
    for (x = 0; x < 256; x++) {
        int v = (x - lo) * 255 / (hi - lo);
        lut[x] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    for (y = 0; y < h; y++) {
        const unsigned char *r0 = in + (size_t)(y > 0 ? y - 1 : y) * w;
        const unsigned char *r1 = in + (size_t)y * w;
        const unsigned char *r2 = in + (size_t)(y < h - 1 ? y + 1 : y) * w;
        unsigned char *o = out + (size_t)y * w;
        for (x = 0; x < w; x++) {
            int xl = x > 0 ? x - 1 : x, xr = x < w - 1 ? x + 1 : x;
            int c = lut[r1[x]];
            int nb = lut[r0[x]] + lut[r2[x]] + lut[r1[xl]] + lut[r1[xr]];
            int v = c + (4 * c - nb) / 2;
            o[x] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

/* Scan frame region [x0,x1) x [y0,y1). scale > 0 shrinks by that factor
 * (box average), scale == -2 doubles (bilinear). Returns codes added, or -1
 * out of memory. */
static int scan_region(struct decoder *d, const unsigned char *gray, int stride, int x0, int y0,
                       int x1, int y1, int scale, int inverted, int enh, struct decode_result *r)
{
    int rw = x1 - x0, rh = y1 - y0, w, h, x, y;
    unsigned char *b;

    if (rw < 8 || rh < 8)
        return 0;
    if (scale == -2) {
        w = rw * 2;
        h = rh * 2;
    } else {
        w = rw / scale;
        h = rh / scale;
    }
    if (w < 8 || h < 8)
        return 0;
    if (reserve(d, (size_t)w * h) < 0)
        return -1;
    b = d->buf;
    if (scale == 1) {
        for (y = 0; y < h; y++)
            memcpy(b + (size_t)y * w, gray + (size_t)(y0 + y) * stride + x0, (size_t)w);
    } else if (scale == 2) {
        for (y = 0; y < h; y++) {
            const unsigned char *a0 = gray + (size_t)(y0 + 2 * y) * stride + x0;
            const unsigned char *a1 = a0 + stride;
            unsigned char *o = b + (size_t)y * w;
            for (x = 0; x < w; x++)
                o[x] =
                    (unsigned char)((a0[2 * x] + a0[2 * x + 1] + a1[2 * x] + a1[2 * x + 1] + 2) >>
                                    2);
        }
    } else if (scale > 2) {
        int n = scale * scale;
        for (y = 0; y < h; y++) {
            unsigned char *o = b + (size_t)y * w;
            for (x = 0; x < w; x++) {
                int sum = 0;
                for (int j = 0; j < scale; j++) {
                    const unsigned char *a =
                        gray + (size_t)(y0 + scale * y + j) * stride + x0 + scale * x;
                    for (int i = 0; i < scale; i++)
                        sum += a[i];
                }
                o[x] = (unsigned char)((sum + n / 2) / n);
            }
        }
    } else {
        for (y = 0; y < h; y++) {
            int sy = y / 2, ny = sy + (y & 1 && sy + 1 < rh ? 1 : 0);
            const unsigned char *a0 = gray + (size_t)(y0 + sy) * stride + x0;
            const unsigned char *a1 = gray + (size_t)(y0 + ny) * stride + x0;
            unsigned char *o = b + (size_t)y * w;
            for (x = 0; x < w; x++) {
                int sx = x / 2, nx = sx + (x & 1 && sx + 1 < rw ? 1 : 0);
                o[x] = (unsigned char)((a0[sx] + a0[nx] + a1[sx] + a1[nx] + 2) >> 2);
            }
        }
    }
    if (inverted) {
        size_t n = (size_t)w * h;
        for (size_t i = 0; i < n; i++)
            b[i] = (unsigned char)(255 - b[i]);
    }
    if (enh) {
        enhance(b, d->buf2, w, h);
        b = d->buf2;
    }
    if (scale == -2)
        return zscan(d, b, w, h, x0, y0, 1, 2, inverted, r);
    return zscan(d, b, w, h, x0, y0, scale, 1, inverted, r);
}

/* --- finder survey --------------------------------------------------------- */

/* Walk from (x, y) along direction (dx, dy) while the pixel is on the given
 * side of threshold t; returns the count (at most lim). */
static int walk(const unsigned char *g, int stride, int w, int h, int x, int y, int dx, int dy,
                int dark, int t, int lim)
{
    int n = 0;
    while (n < lim && x >= 0 && y >= 0 && x < w && y < h) {
        const unsigned char *p = g + (size_t)y * stride + x;
        int l = x > 0 ? p[-1] : p[0], r = x + 1 < w ? p[1] : p[0];
        int isdark = l + 2 * p[0] + r < 4 * t;
        if (isdark != dark)
            break;
        n++;
        x += dx;
        y += dy;
    }
    return n;
}

/* Vertical cross-check of a horizontal finder hit at column x, row y with
 * module m. Returns the refined centre row, or -1. */
static int cross_check(const unsigned char *g, int stride, int w, int h, int x, int y, float m,
                       int dark, int t)
{
    int lim = (int)(m * 4 + 4);
    int cu = walk(g, stride, w, h, x, y, 0, -1, dark, t, lim);
    int cd = walk(g, stride, w, h, x, y, 0, 1, dark, t, lim);
    int c = cu + cd - 1;
    int ru = walk(g, stride, w, h, x, y - cu, 0, -1, !dark, t, lim);
    int rd = walk(g, stride, w, h, x, y + cd, 0, 1, !dark, t, lim);
    int ou = walk(g, stride, w, h, x, y - cu - ru, 0, -1, dark, t, lim);
    int od = walk(g, stride, w, h, x, y + cd + rd, 0, 1, dark, t, lim);
    float mv = (float)(c + ru + rd + ou + od) / 7.0f;

    if (ru == 0 || rd == 0 || ou == 0 || od == 0)
        return -1;
    if (mv < m * 0.5f || mv > m * 2.0f)
        return -1;
    if (c < mv * 1.8f || c > mv * 4.2f)
        return -1;
    if (ru > mv * 1.8f || rd > mv * 1.8f || ou > mv * 1.8f || od > mv * 1.8f)
        return -1;
    return y + (cd - cu) / 2;
}

static void add_cand(struct decoder *d, int x, int y, float m, int inverted)
{
    for (int i = 0; i < d->ncand; i++) {
        struct cand *c = &d->cand[i];
        float dx = (float)(c->x - x), dy = (float)(c->y - y);
        if (c->inverted == inverted && dx * dx + dy * dy < 4.0f * m * m) {
            c->hits++;
            return;
        }
    }
    if (d->ncand < MAX_CANDS)
        d->cand[d->ncand++] = (struct cand){x, y, m, inverted, 1};
}

/* Make room in a full table: drop single-row hits the survey has moved
 * past (a real finder is crossed by two rows or more; noise rarely is). */
static void retire(struct decoder *d, int y, int step)
{
    int j = 0;
    for (int i = 0; i < d->ncand; i++) {
        const struct cand *c = &d->cand[i];
        if (c->hits >= 2 || (float)c->y + 2.0f * c->m + (float)step >= (float)y)
            d->cand[j++] = *c;
    }
    d->ncand = j;
}

/* Look for 1:1:3:1:1 runs on every step-th row; fills d->cand. Each row is
 * smoothed (3 taps across, 2 rows down) so sensor noise does not break runs,
 * and thresholded at the mean of a window of about a twelfth of the width.
 * Returns 0, or -1 out of memory. */
static int survey(struct decoder *d, const unsigned char *g, int w, int h, int stride, int step)
{
    int R = w / 24 < 16 ? 16 : w / 24;
    int y;

    d->ncand = 0;
    if ((size_t)w * 2 + 1 > d->rowcap) {
        int *p = realloc(d->rowsum, ((size_t)w * 2 + 1) * sizeof(int));
        if (!p)
            return -1;
        d->rowsum = p;
        d->rowcap = (size_t)w * 2 + 1;
    }
    for (y = step / 2; y + 1 < h; y += step) {
        const unsigned char *r0 = g + (size_t)y * stride, *r1 = r0 + stride;
        int *ps = d->rowsum, *row = d->rowsum + w + 1;
        int run[5] = {0}, sum[5] = {0}, nrun = 0, cur = -1, x;
        int rlen = 0, rsum = 0;

        /* row[] holds 8x the smoothed value */
        ps[0] = 0;
        for (x = 0; x < w; x++) {
            int xl = x > 0 ? x - 1 : 0, xr = x + 1 < w ? x + 1 : x;
            row[x] = r0[xl] + 2 * r0[x] + r0[xr] + r1[xl] + 2 * r1[x] + r1[xr];
            ps[x + 1] = ps[x] + row[x];
        }
        for (x = 0; x <= w; x++) {
            int dark = -1;
            if (x < w) {
                int a = x - R < 0 ? 0 : x - R, b = x + R + 1 > w ? w : x + R + 1;
                dark = row[x] * (b - a) < ps[b] - ps[a];
            }
            if (dark == cur) {
                rlen++;
                rsum += row[x];
                continue;
            }
            if (cur >= 0) {
                /* a run ended: shift it in */
                memmove(run, run + 1, 4 * sizeof(int));
                memmove(sum, sum + 1, 4 * sizeof(int));
                run[4] = rlen;
                sum[4] = rsum;
                if (nrun < 5)
                    nrun++;
                if (nrun == 5 && run[2] >= 3) {
                    int tot = run[0] + run[1] + run[2] + run[3] + run[4];
                    float m = (float)tot / 7.0f;
                    int ok = m >= 1.5f;
                    for (int i = 0; ok && i < 5; i++) {
                        float want = i == 2 ? 3.0f * m : m;
                        float tol = i == 2 ? 1.2f * m : 0.7f * m;
                        if (run[i] < want - tol || run[i] > want + tol)
                            ok = 0;
                    }
                    if (ok) {
                        /* cur is the colour of run[4]; run[2] has the same colour */
                        int cdark = cur;
                        int cmean = sum[2] / run[2] / 8;
                        int rmean = (sum[1] + sum[3]) / (run[1] + run[3]) / 8;
                        int contrast = cdark ? rmean - cmean : cmean - rmean;
                        if (contrast >= 16) {
                            int t = (cmean + rmean) / 2;
                            int cx = x - run[4] - run[3] - run[2] / 2 - 1;
                            int cy = cross_check(g, stride, w, h, cx, y, m, cdark, t);
                            if (cy >= 0 && d->ncand == MAX_CANDS)
                                retire(d, y, step);
                            if (cy >= 0)
                                add_cand(d, cx, cy, m, !cdark);
                            if (d->ncand >= MAX_CANDS)
                                return 0; /* saturated: keep what was confirmed so far */
                        }
                    }
                }
            }
            cur = dark;
            rlen = 1;
            rsum = x < w ? row[x] : 0;
        }
    }
    return 0;
}

/* --- the pipeline -------------------------------------------------------- */

static void clampbox(int *x0, int *y0, int *x1, int *y1, int w, int h)
{
    if (*x0 < 0)
        *x0 = 0;
    if (*y0 < 0)
        *y0 = 0;
    if (*x1 > w)
        *x1 = w;
    if (*y1 > h)
        *y1 = h;
}

static void remember(struct decoder *d, const struct decode_result *r, int scale, int w, int h)
{
    const struct decode_code *c = &r->code[0];
    int bw = c->x1 - c->x0, bh = c->y1 - c->y0;
    /* a third of the code's size on each side: a badge held up moves far
     * less than that between frames */
    d->have_last = 1;
    d->last_x0 = c->x0 - bw / 3 - 8;
    d->last_y0 = c->y0 - bh / 3 - 8;
    d->last_x1 = c->x1 + bw / 3 + 8;
    d->last_y1 = c->y1 + bh / 3 + 8;
    clampbox(&d->last_x0, &d->last_y0, &d->last_x1, &d->last_y1, w, h);
    d->last_scale = scale;
    d->last_inv = c->inverted;
}

static void density(struct decoder *d, int n)
{
    zbar_image_scanner_set_config(d->scn, 0, ZBAR_CFG_X_DENSITY, n);
    zbar_image_scanner_set_config(d->scn, 0, ZBAR_CFG_Y_DENSITY, n);
}

/* The whole frame, downscaled (QR only) and at half scan density. Sets
 * *base to the scale used. Returns codes added or -1. */
static int whole_pass(struct decoder *d, const unsigned char *g, int w, int h, int stride,
                      int *base, struct decode_result *r)
{
    int got;
    *base = 1;
    if (d->opts.symbologies == DECODE_QR) {
        *base = w >= 1800 ? 3 : w >= 600 ? 2 : 1;
        density(d, 2);
    }
    got = scan_region(d, g, stride, 0, 0, w, h, *base, 0, 0, r);
    density(d, 1);
    return got;
}

static int pick_scale(float m)
{
    int s = (int)(m / 3.5f);
    return s < 1 ? 1 : s > 4 ? 4 : s;
}

/* Try one cluster region; stop at the first hit. Stage 0 is the cheap
 * first look (majority polarity, at the scale the module size suggests);
 * stage 1 escalates: full scale, a 2x2-averaged pass for noise, contrast
 * stretch + sharpening (upscaled for tiny modules), then the other
 * polarity. */
static int try_region(struct decoder *d, const unsigned char *g, int stride, int x0, int y0, int x1,
                      int y1, float m, int inv_votes, int norm_votes, int stage,
                      struct decode_result *r, int *used_scale)
{
    int s = pick_scale(m), got, pol[2], npol = 0, i;

    /* polarity order: the majority first; the other only if it was seen
     * about as often (a code's data area alone yields a few finder-like
     * runs of the opposite polarity, which are not worth three passes) */
    if (inv_votes > norm_votes && d->opts.inverted) {
        pol[npol++] = 1;
        if (norm_votes >= 2 && 2 * norm_votes >= inv_votes)
            pol[npol++] = 0;
    } else {
        pol[npol++] = 0;
        if (inv_votes >= 2 && 2 * inv_votes >= norm_votes && d->opts.inverted)
            pol[npol++] = 1;
    }
    for (i = 0; i < npol; i++) {
        if (i > 0 || stage == 0) {
            got = scan_region(d, g, stride, x0, y0, x1, y1, s, pol[i], 0, r);
            if (got != 0)
                return *used_scale = s, got;
        }
        if (stage == 0)
            return 0; /* the cheap first look only */
        if (s > 1) {
            got = scan_region(d, g, stride, x0, y0, x1, y1, 1, pol[i], 0, r);
            if (got != 0)
                return *used_scale = 1, got;
        } else if (m >= 4.5f) {
            /* averaging 2x2 halves sensor noise and still leaves >2 px modules */
            got = scan_region(d, g, stride, x0, y0, x1, y1, 2, pol[i], 0, r);
            if (got != 0)
                return *used_scale = 2, got;
        }
        if (m < 3.0f) {
            got = scan_region(d, g, stride, x0, y0, x1, y1, -2, pol[i], 1, r);
            if (got != 0)
                return *used_scale = 1, got;
        } else {
            got = scan_region(d, g, stride, x0, y0, x1, y1, 1, pol[i], 1, r);
            if (got != 0)
                return *used_scale = 1, got;
        }
    }
    return 0;
}

int decode_frame(struct decoder *d, const unsigned char *g, int w, int h, int stride,
                 struct decode_result *r, struct err *err)
{
    int base = 1, got, used = 1, step, tried = 0, whole_done = 0;
    int cl[MAX_CANDS], ncl = 0, i, j;

    memset(r, 0, offsetof(struct decode_result, code));
    if (w < 1 || h < 1 || w > KIOSK_FRAME_SIDE_MAX || h > KIOSK_FRAME_SIDE_MAX || stride < w)
        return err_set(err, "decode: bad frame size %dx%d (stride %d)", w, h, stride);

    /* 1. where the code was a moment ago */
    if (d->have_last && d->last_x1 <= w && d->last_y1 <= h) {
        got = scan_region(d, g, stride, d->last_x0, d->last_y0, d->last_x1, d->last_y1,
                          d->last_scale, d->last_inv, 0, r);
        if (got < 0)
            goto oom;
        if (got > 0) {
            remember(d, r, d->last_scale, w, h);
            return r->n;
        }
    }
    d->have_last = 0;

    /* 2. survey for finder patterns */
    step = h >= 1000 ? 4 : h >= 700 ? 3 : 2;
    if (survey(d, g, w, h, stride, step) < 0)
        goto oom;
    /* a real finder is crossed by at least two surveyed rows */
    for (i = j = 0; i < d->ncand; i++)
        if (d->cand[i].hits >= 2)
            d->cand[j++] = d->cand[i];
    d->ncand = j;
    if (d->ncand > MAX_REAL_CANDS)
        d->ncand = 0; /* a texture full of finder-like runs: no evidence either way */

    /* 3. cluster the finders into code regions */
    for (i = 0; i < d->ncand; i++)
        cl[i] = -1;
    for (i = 0; i < d->ncand; i++) {
        if (cl[i] >= 0)
            continue;
        cl[i] = ncl++;
        /* grow the cluster: anything within 40 modules of a member joins */
        for (int changed = 1; changed;) {
            changed = 0;
            for (j = 0; j < d->ncand; j++) {
                if (cl[j] >= 0)
                    continue;
                for (int k = 0; k < d->ncand; k++) {
                    if (cl[k] != cl[i])
                        continue;
                    float dx = (float)(d->cand[j].x - d->cand[k].x);
                    float dy = (float)(d->cand[j].y - d->cand[k].y);
                    float lim = 40.0f * (d->cand[k].m > d->cand[j].m ? d->cand[k].m : d->cand[j].m);
                    if (dx * dx + dy * dy < lim * lim) {
                        cl[j] = cl[i];
                        changed = 1;
                        break;
                    }
                }
            }
        }
    }
    if (ncl > 0 && ncl <= MAX_CLUSTERS) {
        long area = 0;
        int bx0[MAX_CLUSTERS], by0[MAX_CLUSTERS], bx1[MAX_CLUSTERS], by1[MAX_CLUSTERS];
        float bm[MAX_CLUSTERS];
        int inv[MAX_CLUSTERS], nor[MAX_CLUSTERS], cnt[MAX_CLUSTERS];
        for (j = 0; j < ncl; j++) {
            bx0[j] = by0[j] = INT32_MAX;
            bx1[j] = by1[j] = INT32_MIN;
            bm[j] = 0;
            inv[j] = nor[j] = cnt[j] = 0;
        }
        for (i = 0; i < d->ncand; i++) {
            const struct cand *c = &d->cand[i];
            j = cl[i];
            bx0[j] = c->x < bx0[j] ? c->x : bx0[j];
            by0[j] = c->y < by0[j] ? c->y : by0[j];
            bx1[j] = c->x > bx1[j] ? c->x : bx1[j];
            by1[j] = c->y > by1[j] ? c->y : by1[j];
            bm[j] += c->m;
            cnt[j]++;
            if (c->inverted)
                inv[j] += c->hits;
            else
                nor[j] += c->hits;
        }
        for (j = 0; j < ncl; j++) {
            float m = bm[j] / (float)cnt[j];
            /* three finders bound the code; fewer only tell where one corner is */
            int pad = (int)(m * (cnt[j] >= 3 ? 8.0f : 30.0f));
            bx0[j] -= pad;
            by0[j] -= pad;
            bx1[j] += pad;
            by1[j] += pad;
            clampbox(&bx0[j], &by0[j], &bx1[j], &by1[j], w, h);
            bm[j] = m;
            area += (long)(bx1[j] - bx0[j]) * (by1[j] - by0[j]);
        }
        if (area < (long)w * h * 6 / 10) {
            int total = 0;
            tried = 1;
            for (int stage = 0; stage < 2; stage++) {
                for (j = 0; j < ncl; j++) {
                    got = try_region(d, g, stride, bx0[j], by0[j], bx1[j], by1[j], bm[j], inv[j],
                                     nor[j], stage, r, &used);
                    if (got < 0)
                        goto oom;
                    total += got;
                }
                if (total > 0) {
                    if (ncl == 1)
                        remember(d, r, used, w, h);
                    return r->n;
                }
                if (stage == 0) {
                    /* before the costly retries, the cheap whole-frame look
                     * (noise can fake finders next to a real code) */
                    got = whole_pass(d, g, w, h, stride, &base, r);
                    if (got < 0)
                        goto oom;
                    if (got > 0) {
                        if (r->n == 1)
                            remember(d, r, base, w, h);
                        return r->n;
                    }
                    whole_done = 1;
                }
            }
        }
    }

    /* 4. whole frame, downscaled and at half scan density: the safety net
     * for codes the survey missed (blur, noise), and the path for 1-D codes */
    if (!whole_done) {
        got = whole_pass(d, g, w, h, stride, &base, r);
        if (got < 0)
            goto oom;
    } else {
        got = 0;
    }
    if (got == 0 && ncl > 0 && !tried) {
        /* finders were seen but too many or too spread out to try one by one */
        int inv_total = 0;
        for (i = 0; i < d->ncand; i++)
            inv_total += d->cand[i].inverted;
        if (base > 1)
            got = scan_region(d, g, stride, 0, 0, w, h, 1, 0, 0, r);
        if (got == 0 && inv_total > 0 && d->opts.inverted)
            got = scan_region(d, g, stride, 0, 0, w, h, base, 1, 0, r);
        if (got < 0)
            goto oom;
    }
    if (r->n == 1)
        remember(d, r, base, w, h);
    return r->n;
oom:
    r->n = 0;
    return err_set(err, "decode: out of memory");
}
