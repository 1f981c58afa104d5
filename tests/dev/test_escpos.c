/*
 * test_escpos.c - the ESC/POS encoder read back by a byte-stream walker:
 * raster bands stacked into an image equal the slip bit for bit and their
 * QR codes decode (zbar) to the right vCards; native GS ( k codes carry the
 * same vCards; init comes first, feed then cut come last; the file and
 * device-node backends write exactly the encoder's bytes, and a full disk
 * (/dev/full) fails the job instead of pretending.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/font_ttf.h"
#include "dev/printer.h"
#include "escpos.h"
#include "slip_testutil.h"
#include "test.h"
#include "vcard.h"

enum op { OP_INIT, OP_ALIGN, OP_RASTER, OP_QR_STORE, OP_QR_PRINT, OP_QR_SET, OP_FEED, OP_CUT };

struct walk {
    enum op ops[4096];
    int nops;
    unsigned char *img; /* stacked raster bands */
    int stride, rows;
    int max_band;
    int feed_lines;
    char *qr[MAX_CODES];
    size_t qrlen[MAX_CODES];
    int qr_row[MAX_CODES]; /* image row at which a native code was printed */
    int nqr;
    char qr_pending[8192];
    size_t qr_pending_len;
    const char *error;
};

static void walk_free(struct walk *w)
{
    free(w->img);
    for (int i = 0; i < w->nqr; i++)
        free(w->qr[i]);
}

static void push(struct walk *w, enum op op)
{
    if (w->nops < 4096)
        w->ops[w->nops++] = op;
}

/* Parse a whole job; 0, or -1 with w->error naming the first bad byte. */
static int walk(const unsigned char *b, size_t n, struct walk *w)
{
    size_t i = 0;
    memset(w, 0, sizeof(*w));
    while (i < n) {
        if (b[i] == 0x1B && i + 1 < n && b[i + 1] == '@') {
            push(w, OP_INIT);
            i += 2;
        } else if (b[i] == 0x1B && i + 2 < n && b[i + 1] == 'a') {
            push(w, OP_ALIGN);
            i += 3;
        } else if (b[i] == 0x1B && i + 2 < n && b[i + 1] == 'd') {
            push(w, OP_FEED);
            w->feed_lines = b[i + 2];
            i += 3;
        } else if (b[i] == 0x1D && i + 2 < n && b[i + 1] == 'V') {
            push(w, OP_CUT);
            i += b[i + 2] >= 65 ? 4 : 3;
        } else if (b[i] == 0x1D && i + 7 < n && b[i + 1] == 'v' && b[i + 2] == '0') {
            int xb = b[i + 4] | b[i + 5] << 8, rows = b[i + 6] | b[i + 7] << 8;
            size_t len = (size_t)xb * (size_t)rows;
            unsigned char *grown;
            if (w->stride && xb != w->stride)
                return (w->error = "band width changed"), -1;
            if (i + 8 + len > n)
                return (w->error = "raster band runs past the end"), -1;
            w->stride = xb;
            grown = realloc(w->img, (size_t)(w->rows + rows) * (size_t)xb);
            if (!grown)
                return (w->error = "oom"), -1;
            w->img = grown;
            memcpy(w->img + (size_t)w->rows * xb, b + i + 8, len);
            w->rows += rows;
            if (rows > w->max_band)
                w->max_band = rows;
            push(w, OP_RASTER);
            i += 8 + len;
        } else if (b[i] == 0x1D && i + 6 < n && b[i + 1] == '(' && b[i + 2] == 'k') {
            size_t plen = (size_t)(b[i + 3] | b[i + 4] << 8);
            int cn = b[i + 5], fn = b[i + 6];
            if (cn != 49 || i + 5 + plen > n)
                return (w->error = "bad GS ( k"), -1;
            if (fn == 80) {
                w->qr_pending_len = plen - 3;
                if (w->qr_pending_len >= sizeof(w->qr_pending))
                    return (w->error = "QR too long"), -1;
                memcpy(w->qr_pending, b + i + 8, w->qr_pending_len);
                push(w, OP_QR_STORE);
            } else if (fn == 81) {
                if (w->nqr >= MAX_CODES)
                    return (w->error = "too many QR"), -1;
                w->qr[w->nqr] = malloc(w->qr_pending_len + 1);
                memcpy(w->qr[w->nqr], w->qr_pending, w->qr_pending_len);
                w->qr[w->nqr][w->qr_pending_len] = '\0';
                w->qrlen[w->nqr] = w->qr_pending_len;
                w->qr_row[w->nqr] = w->rows;
                w->nqr++;
                push(w, OP_QR_PRINT);
            } else {
                push(w, OP_QR_SET);
            }
            i += 5 + plen;
        } else {
            static char msg[64];
            snprintf(msg, sizeof(msg), "unknown byte 0x%02x at %zu", b[i], i);
            w->error = msg;
            return -1;
        }
    }
    return 0;
}

static struct font *font;

static struct raster *render(const struct slip *s, int width)
{
    struct slip_params p = {width, 203};
    struct raster *r = NULL;
    struct err err = {{0}};
    if (slip_render(s, &p, font, &r, &err) < 0)
        fprintf(stderr, "render: %s\n", err.msg);
    return r;
}

static void raster_mode(int width)
{
    struct slip s;
    struct raster *r;
    struct escpos_buf b = {0};
    struct escpos_job job = {1, 0, 4, 0};
    struct walk w;
    struct codes got;
    struct err err = {{0}};
    char *want = malloc(VCARD_WRITE_MAX);

    sample_slip(&s, SLIP_HANDSHAKE, 3, 25);
    r = render(&s, width);
    CHECK(r != NULL && want != NULL);
    if (!r || !want)
        goto out;
    CHECK(escpos_encode(&b, r, &job, &err) == 0);
    CHECK(walk(b.data, b.len, &w) == 0);
    if (w.error)
        fprintf(stderr, "walk: %s\n", w.error);
    /* Order: init first; raster bands; then feed and cut, nothing after. */
    CHECK(w.nops >= 4 && w.ops[0] == OP_INIT);
    CHECK(w.ops[w.nops - 1] == OP_CUT && w.ops[w.nops - 2] == OP_FEED);
    CHECK(w.ops[w.nops - 3] == OP_RASTER);
    CHECK(w.feed_lines == 4);
    CHECK(w.max_band <= ESCPOS_BAND_ROWS);
    for (int i = 1; i < w.nops - 2; i++)
        CHECK(w.ops[i] == OP_RASTER);
    /* Bands stacked back are the slip, bit for bit. */
    CHECK(w.stride == r->stride && w.rows == r->height);
    CHECK(w.img && memcmp(w.img, r->bits, (size_t)r->stride * r->height) == 0);
    /* ... and its codes decode to the contacts' vCards, in order. */
    decode_bits(w.img, r->width, w.rows, w.stride, &got);
    CHECK(got.n == 3);
    for (int i = 0; i < got.n && i < s.n; i++) {
        int n = slip_vcard(&s, &s.contacts[i], want, VCARD_WRITE_MAX, NULL);
        CHECK(n > 0 && got.len[i] == (size_t)n && memcmp(got.data[i], want, (size_t)n) == 0);
    }
    printf("%d dots: %zu bytes of ESC/POS for %d rows, %d QR codes decoded from the bands\n", width,
           b.len, r->height, got.n);
    codes_free(&got);
    walk_free(&w);
out:
    escpos_buf_free(&b);
    raster_free(r);
    slip_free(&s);
    free(want);
}

static void native_mode(void)
{
    struct slip s;
    struct raster *r;
    struct escpos_buf b = {0};
    struct escpos_job job = {1, 1, 3, 64};
    struct walk w;
    struct codes got;
    struct err err = {{0}};
    int qr_rows = 0;

    sample_slip(&s, SLIP_CONNECTIONS, 2, 5);
    r = render(&s, 576);
    CHECK(r && r->nqr == 2);
    if (!r)
        goto out;
    CHECK(escpos_encode(&b, r, &job, &err) == 0);
    CHECK(walk(b.data, b.len, &w) == 0);
    CHECK(w.max_band <= 64);
    CHECK(w.nqr == 2);
    for (int i = 0; i < w.nqr && i < r->nqr; i++) {
        const struct raster_qr *q = &r->qr[i];
        int quiet = (q->size - q->modules * q->module) / 2;
        CHECK(w.qrlen[i] == q->len && memcmp(w.qr[i], q->payload, q->len) == 0);
        /* The printer's code replaces the raster's code rows, keeping the
         * quiet zone rows above it. */
        CHECK(w.qr_row[i] == q->y + quiet - qr_rows);
        qr_rows += q->modules * q->module;
    }
    CHECK(w.rows == r->height - qr_rows);
    /* Without the code rows no QR is left in the raster part. */
    CHECK(decode_bits(w.img, r->width, w.rows, w.stride, &got) == 0);
    codes_free(&got);
    CHECK(w.ops[0] == OP_INIT && w.ops[w.nops - 1] == OP_CUT && w.ops[w.nops - 2] == OP_FEED);
    walk_free(&w);
out:
    escpos_buf_free(&b);
    raster_free(r);
    slip_free(&s);
}

static void commands(void)
{
    struct escpos_buf b = {0};
    struct err err = {{0}};
    CHECK(escpos_qr(&b, "", 0, 4, 'M', &err) < 0);
    CHECK(escpos_qr(&b, "x", 1, 17, 'M', &err) < 0);
    CHECK(escpos_qr(&b, "x", 1, 4, 'Z', &err) < 0);
    CHECK(escpos_feed(&b, 256, &err) < 0);
    CHECK(b.len == 0);
    CHECK(escpos_cut(&b, &err) == 0 && b.len == 3 && b.data[0] == 0x1D && b.data[1] == 'V');
    escpos_buf_free(&b);
}

/* escpos-file: appends exactly the encoder's bytes; /dev/full fails. */
static void file_backend(void)
{
    struct slip s;
    struct raster *r;
    struct devspec spec;
    struct printer_params pp = {384, 203, 1, 0, 2000};
    struct printer *p = NULL;
    struct err err = {{0}};
    struct escpos_buf b = {0};
    struct escpos_job job = {1, 0, 4, ESCPOS_BAND_ROWS};
    char spec_text[700];
    char *got;
    size_t len = 0;

    sample_slip(&s, SLIP_LEAD, 1, 10);
    r = render(&s, 384);
    CHECK(r != NULL);
    if (!r)
        goto out;
    CHECK(escpos_encode(&b, r, &job, &err) == 0);
    snprintf(spec_text, sizeof(spec_text), "escpos-file:%s", test_path("lp.bin"));
    CHECK(devspec_printer(spec_text, &spec, &err) == 0);
    CHECK(printer_open(&p, &spec, &pp, NULL, &err) == 0);
    CHECK(p && printer_print(p, r, "j1", &err) == 0);
    CHECK(p && printer_print(p, r, "j2", &err) == 0);
    got = test_read_file(test_path("lp.bin"), &len);
    CHECK(got && len == 2 * b.len && memcmp(got, b.data, b.len) == 0 &&
          memcmp(got + b.len, b.data, b.len) == 0);
    free(got);
    printer_close(p);
    p = NULL;

    CHECK(devspec_printer("escpos-file:/dev/full", &spec, &err) == 0);
    CHECK(printer_open(&p, &spec, &pp, NULL, &err) == 0);
    err.msg[0] = '\0';
    CHECK(p && printer_print(p, r, "j3", &err) < 0);
    CHECK(strstr(err.msg, "No space") != NULL);
    printf("/dev/full: %s\n", err.msg);
    printer_close(p);
    p = NULL;

    /* A device node that is not there (printer unplugged). */
    CHECK(devspec_printer("escpos:/dev/usb/lp-kiosk-test-missing", &spec, &err) == 0);
    CHECK(printer_open(&p, &spec, &pp, NULL, &err) == 0);
    CHECK(p && printer_print(p, r, "j4", &err) < 0);
    CHECK(strstr(err.msg, "No such file") != NULL);
    printf("missing device: %s\n", err.msg);
out:
    printer_close(p);
    escpos_buf_free(&b);
    raster_free(r);
    slip_free(&s);
}

int main(void)
{
    struct err err = {{0}};
    const char *assets = getenv("KIOSK_ASSETS");
    if (font_ttf_open(&font, assets ? assets : KIOSK_SOURCE_DIR "/assets", &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    raster_mode(384);
    raster_mode(576);
    native_mode();
    commands();
    file_backend();
    font_close(font);
    return test_done();
}
