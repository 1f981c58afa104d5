/*
 * fuzz_slip.c - libFuzzer target for slip layout and ESC/POS encoding.
 *
 * Text comes from the input (any bytes, not only valid UTF-8) and is laid
 * out with a stand-in font (every code point a box as wide as its first
 * byte says), so wrapping, long words, empty lines and QR placement are
 * exercised without SDL. Checks the layout's promises: it renders or
 * refuses with a message; QR boxes lie inside the raster, in order, on rows
 * of their own; padding bits past the width stay white (a printer would
 * print them); the ESC/POS job has exactly the expected size.
 * Input: byte 0 picks the width, byte 1 the kind, the rest is NUL-separated
 * fields: event, name, org, title, note, detail, then more contacts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escpos.h"
#include "slip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cp_width(const struct font_style *st, unsigned char b)
{
    return st->size / 3 + (b % 7) * st->size / 10 + (st->bold ? 1 : 0);
}

static int measure(struct font *f, const struct font_style *st, const char *text, size_t len,
                   int *width, struct err *err)
{
    (void)f;
    *width = 0;
    if (len >= FONT_TEXT_MAX)
        return err_set(err, "text run too long");
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            *width += cp_width(st, (unsigned char)text[i]);
    return 0;
}

static int line_height(struct font *f, const struct font_style *st, int *h, struct err *err)
{
    (void)f, (void)err;
    *h = st->size + st->size / 5;
    return 0;
}

static int draw(struct font *f, struct raster *r, int x, int y, const struct font_style *st,
                const char *text, size_t len, struct err *err)
{
    (void)f, (void)err;
    for (size_t i = 0; i < len; i++) {
        int w;
        if (((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        w = cp_width(st, (unsigned char)text[i]);
        raster_fill(r, x, y + st->size / 4, w - 1, st->size * 2 / 3, 1);
        x += w;
    }
    return 0;
}

static void close_font(struct font *f)
{
    (void)f;
}

static const struct font_ops ops = {measure, line_height, draw, close_font};

/* Next NUL-separated field of the input, copied into dst (cut to fit). */
static const uint8_t *field(const uint8_t *p, const uint8_t *end, char *dst, size_t cap)
{
    size_t n = 0;
    while (p < end && *p) {
        if (n + 1 < cap)
            dst[n++] = (char)*p;
        p++;
    }
    dst[n] = '\0';
    return p < end ? p + 1 : p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int widths[] = {128, 200, 384, 576, 832};
    struct font font = {&ops};
    struct slip s;
    struct slip_params sp;
    struct raster *r = NULL;
    struct err err = {{0}};
    const uint8_t *p = data + 2, *end = data + size;
    char tmp[SLIP_LINE_MAX];

    if (size < 2)
        return 0;
    sp.width_dots = widths[data[0] % 5];
    sp.dpi = data[0] & 0x80 ? 300 : 203;
    slip_init(&s, (enum slip_kind)(data[1] % 4));
    s.at = 1795862400000LL;
    p = field(p, end, s.event, sizeof(s.event));
    while (p < end && s.n < 6) {
        struct slip_contact *c = slip_add(&s, NULL);
        if (!c)
            break;
        p = field(p, end, c->c.display_name, sizeof(c->c.display_name));
        p = field(p, end, c->c.org, sizeof(c->c.org));
        p = field(p, end, c->c.title, sizeof(c->c.title));
        p = field(p, end, c->note, sizeof(c->note));
        p = field(p, end, c->detail, sizeof(c->detail));
        p = field(p, end, tmp, sizeof(tmp));
        snprintf(c->c.given_name, sizeof(c->c.given_name), "%.*s", (int)sizeof(c->c.given_name) - 1, tmp);
        c->share_card = (s.n + data[1]) % 3 != 0;
        c->followup_due = (s.n % 2) ? s.at + 86400000 : 0;
    }
    if (slip_render(&s, &sp, &font, &r, &err) < 0) {
        /* Only a slip longer than the limit may be refused. */
        if (!strstr(err.msg, "dots long"))
            __builtin_trap();
        slip_free(&s);
        return 0;
    }
    if (r->width != sp.width_dots || r->height < 1)
        __builtin_trap();
    for (int i = 0; i < r->nqr; i++) {
        const struct raster_qr *q = &r->qr[i];
        if (q->x < 0 || q->y < 0 || q->x + q->size > r->width || q->y + q->size > r->height ||
            q->module < 2 || q->modules * q->module > q->size)
            __builtin_trap();
        if (i > 0 && q->y < r->qr[i - 1].y + r->qr[i - 1].size)
            __builtin_trap();
    }
    if (r->width % 8) {
        unsigned char pad = (unsigned char)(0xFF >> (r->width % 8));
        for (int y = 0; y < r->height; y++)
            if (r->bits[(size_t)y * r->stride + r->stride - 1] & pad)
                __builtin_trap();
    }
    {
        struct escpos_buf b = {0};
        struct escpos_job job = {1, 0, 4, 0};
        size_t bands = (size_t)(r->height + ESCPOS_BAND_ROWS - 1) / ESCPOS_BAND_ROWS;
        if (escpos_encode(&b, r, &job, &err) < 0 ||
            b.len != 2 + bands * 8 + (size_t)r->height * r->stride + 3 + 3)
            __builtin_trap();
        escpos_buf_free(&b);
    }
    raster_free(r);
    slip_free(&s);
    return 0;
}
