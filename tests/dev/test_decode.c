/*
 * test_decode - the decode pipeline on the generated corpus (real zbar, real
 * images), image file round trips, debounce and the keyboard wedge.
 *
 * Asserts decode results, never timings: every category reads at least as
 * many codes as plain zbar with default settings on the same frames,
 * inverted and phone-screen badges all read, frames without a code yield
 * nothing, and no payload is ever wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "core/debounce.h"
#include "core/decode.h"
#include "core/wedge.h"
#include "dev/image.h"
#include "test.h"

#include "../corpus/corpus.c"

static int has(const struct decode_result *r, const unsigned char *p, size_t n)
{
    for (int i = 0; i < r->n; i++)
        if (r->code[i].len == n && memcmp(r->code[i].data, p, n) == 0)
            return 1;
    return 0;
}

static int expected(const struct corpus_frame *f, const unsigned char *p, size_t n)
{
    for (int e = 0; e < f->nexp; e++)
        if (f->exp_len[e] == n && memcmp(f->exp[e], p, n) == 0)
            return 1;
    return 0;
}

/* Plain zbar re-encodes QR bytes it guesses are ISO-8859-1 into UTF-8;
 * credit it with such reads too, so the comparison is about finding codes. */
static int expected_reencoded(const struct corpus_frame *f, const unsigned char *p, size_t n)
{
    for (int e = 0; e < f->nexp; e++)
        if (corpus_reencoded(f, e, p, n))
            return 1;
    return expected(f, p, n);
}

static void test_corpus(void)
{
    struct decode_opts o;
    struct decoder *d = NULL;
    struct err err = {{0}};
    zbar_image_scanner_t *plain = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    int present[CORPUS_NCAT] = {0}, ours[CORPUS_NCAT] = {0}, theirs[CORPUS_NCAT] = {0};
    int wrong = 0, nocode_hits = 0, total = 0, read = 0;

    decode_opts_default(&o);
    CHECK(decode_open(&d, &o, &err) == 0);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    corpus_per_cell = 2;
    for (int i = 0; i < corpus_count(); i++) {
        struct corpus_frame f;
        struct decode_result r;
        CHECK(corpus_generate(i, &f) == 0);
        decode_reset(d);
        CHECK(decode_frame(d, f.gray, f.w, f.h, f.w, &r, &err) >= 0);
        for (int c = 0; c < r.n; c++) {
            if (!expected(&f, r.code[c].data, r.code[c].len)) {
                wrong++;
                fprintf(stderr, "%s: wrong payload %s\n", f.name, (char *)r.code[c].data);
            }
            CHECK_STR(r.code[c].format, "qr");
            /* the box is where the code is: inside the frame */
            CHECK(r.code[c].x0 >= 0 && r.code[c].x1 <= f.w && r.code[c].x0 < r.code[c].x1);
        }
        if (f.nexp == 0)
            nocode_hits += r.n;
        for (int e = 0; e < f.nexp; e++) {
            int ok = has(&r, f.exp[e], f.exp_len[e]);
            ours[f.cat] += ok;
            present[f.cat]++;
            total++;
            read += ok;
            if (!ok)
                fprintf(stderr, "note: %s not read (code %d)\n", f.name, e);
        }
        /* plain zbar, default settings, on the same frame */
        zbar_image_set_size(img, (unsigned)f.w, (unsigned)f.h);
        zbar_image_set_data(img, f.gray, (unsigned long)f.w * f.h, NULL);
        zbar_scan_image(plain, img);
        for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s))
            if (expected_reencoded(&f, (const unsigned char *)zbar_symbol_get_data(s),
                                   zbar_symbol_get_data_length(s)))
                theirs[f.cat]++;
        zbar_image_set_data(img, NULL, 0, NULL);
        corpus_frame_free(&f);
    }
    for (int c = 0; c < CORPUS_NCAT; c++) {
        printf("%-12s kiosk %2d/%2d  plain zbar %2d/%2d\n", corpus_cats[c], ours[c], present[c],
               theirs[c], present[c]);
        CHECK(ours[c] >= theirs[c]);
        /* everything but the hardest tilts and heavy noise reads in full */
        if (strcmp(corpus_cats[c], "perspective") != 0 && strcmp(corpus_cats[c], "noise") != 0)
            CHECK(ours[c] == present[c]);
    }
    CHECK(wrong == 0);
    CHECK(nocode_hits == 0);
    CHECK(read * 100 >= total * 90);
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(plain);
    decode_close(d);
}

/* PNG, JPEG and PGM files of a corpus frame load and decode the same. */
static void test_image_files(void)
{
    struct corpus_frame f;
    struct decode_opts o;
    struct decoder *d = NULL;
    struct err err = {{0}};
    const char *names[] = {"f.png", "f.jpg", "f.pgm"};

    decode_opts_default(&o);
    CHECK(decode_open(&d, &o, &err) == 0);
    corpus_per_cell = 2;
    CHECK(corpus_generate(2, &f) == 0); /* plain, 1280x720 */
    CHECK(image_save_png(test_path(names[0]), f.gray, f.w, f.h, f.w, &err) == 0);
    CHECK(image_save_jpeg(test_path(names[1]), f.gray, f.w, f.h, f.w, 85, &err) == 0);
    CHECK(image_save_pgm(test_path(names[2]), f.gray, f.w, f.h, f.w, &err) == 0);
    for (int i = 0; i < 3; i++) {
        struct image img;
        struct decode_result r;
        CHECK(image_load(test_path(names[i]), &img, &err) == 0);
        CHECK(img.width == f.w && img.height == f.h);
        if (i != 1) /* lossless */
            CHECK(img.gray && memcmp(img.gray, f.gray, (size_t)f.w * f.h) == 0);
        decode_reset(d);
        CHECK(img.gray &&
              decode_frame(d, img.gray, img.width, img.height, img.width, &r, &err) == 1);
        CHECK(r.n == 1 && r.code[0].len == f.exp_len[0] &&
              memcmp(r.code[0].data, f.exp[0], f.exp_len[0]) == 0);
        image_free(&img);
    }
    /* unreadable inputs fail with a message naming the file */
    {
        struct image img;
        FILE *fp = fopen(test_path("junk.png"), "wb");
        fputs("\x89PNG\r\n\x1a\nthis is not really a png", fp);
        fclose(fp);
        CHECK(image_load(test_path("junk.png"), &img, &err) < 0);
        CHECK(strstr(err.msg, "junk.png") != NULL);
        CHECK(img.gray == NULL);
        CHECK(image_load(test_path("missing.pgm"), &img, &err) < 0);
        fp = fopen(test_path("huge.pgm"), "wb");
        fputs("P5\n99999 99999\n255\n", fp);
        fclose(fp);
        CHECK(image_load(test_path("huge.pgm"), &img, &err) < 0);
        CHECK(strstr(err.msg, "outside") != NULL);
        /* a number too long to hold is refused, not split into two numbers */
        fp = fopen(test_path("long.pgm"), "wb");
        fputs("P5\n0000000011 5\n255\n", fp);
        for (int i = 0; i < 55; i++)
            fputc(128, fp);
        fclose(fp);
        CHECK(image_load(test_path("long.pgm"), &img, &err) < 0);
        CHECK(strstr(err.msg, "bad PGM header") != NULL);
    }
    corpus_frame_free(&f);
    decode_close(d);
}

/* A header declaring a side of 0 or over KIOSK_FRAME_SIDE_MAX is refused
 * for its size, whatever follows it, in every format (fuzz_image found a
 * 100000x1 PNG with no pixel data after its header reported as "corrupt
 * PNG"; libjpeg's own checks said "Empty JPEG image" for a width of 0). */
static void test_image_sizes(void)
{
    /* PNG signature + IHDR (valid CRC), 8-bit gray, and nothing else. */
    static const char *const png[] = {
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x01\x86\xa0\x00"
        "\x00\x00\x01\x08\x00\x00\x00\x00\x78\x15\x49\x09", /* 100000 x 1 */
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x00\x00"
        "\x00\x00\x01\x08\x00\x00\x00\x00\xd5\xbc\xf0\x6b", /* 0 x 1 */
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x1e\x84\x80\x00"
        "\x00\x00\x01\x08\x00\x00\x00\x00\x11\xa8\x81\x95", /* 2000000 x 1 */
    };
    static const unsigned sides[][2] = {{0, 8}, {16, 0}, {65535, 8}, {9000, 8}};
    unsigned char px[16 * 8], *jpg = NULL;
    struct image img;
    struct err err = {{0}};
    long n = 0;
    FILE *fp;

    for (int i = 0; i < 3; i++) {
        err.msg[0] = '\0';
        CHECK(image_load_mem((const unsigned char *)png[i], 33, &img, &err) == -1);
        CHECK(strstr(err.msg, "image size") != NULL && strstr(err.msg, "outside") != NULL);
        if (!strstr(err.msg, "image size"))
            fprintf(stderr, "png %d: %s\n", i, err.msg);
        CHECK(img.gray == NULL && img.width == 0);
    }
    /* fuzz_image: a frame header saying 10245x18208 whose length is wrong
     * for its 85 components; the size is what it is refused for. */
    {
        static const unsigned char sof[] = "\xff\xd8\xff\xc2\x00\x12\x00\x47\x20\x28\x05\x55"
                                           "Unsupported marker type 0x79)\x0a\x17\x47\x5d\x1c";
        err.msg[0] = '\0';
        CHECK(image_load_mem(sof, sizeof(sof) - 1, &img, &err) == -1);
        CHECK(strstr(err.msg, "image size 10245x18208 is outside") != NULL);
        if (!strstr(err.msg, "image size"))
            fprintf(stderr, "bad SOF: %s\n", err.msg);
    }
    /* A real 16x8 JPEG with its frame header's size patched. */
    for (int i = 0; i < (int)sizeof(px); i++)
        px[i] = (unsigned char)(i * 7);
    CHECK(image_save_jpeg(test_path("sof.jpg"), px, 16, 8, 16, 80, &err) == 0);
    fp = fopen(test_path("sof.jpg"), "rb");
    if (fp) {
        jpg = malloc(65536);
        n = jpg ? (long)fread(jpg, 1, 65536, fp) : 0;
        fclose(fp);
    }
    CHECK(n > 100);
    for (int k = 0; k + 9 < n; k++) {
        if (jpg[k] != 0xFF || jpg[k + 1] != 0xC0)
            continue;
        for (int i = 0; i < 4; i++) {
            jpg[k + 5] = (unsigned char)(sides[i][1] >> 8), jpg[k + 6] = (unsigned char)sides[i][1];
            jpg[k + 7] = (unsigned char)(sides[i][0] >> 8), jpg[k + 8] = (unsigned char)sides[i][0];
            err.msg[0] = '\0';
            CHECK(image_load_mem(jpg, (size_t)n, &img, &err) == -1);
            CHECK(strstr(err.msg, "image size") != NULL && strstr(err.msg, "outside") != NULL);
            if (!strstr(err.msg, "image size"))
                fprintf(stderr, "jpeg %ux%u: %s\n", sides[i][0], sides[i][1], err.msg);
        }
        /* Marked progressive at 8192x8192 (in range): libjpeg would hold
         * 128 MB of coefficients for a file of a few hundred bytes; the
         * memory cap refuses it before any scan is read. */
        jpg[k + 1] = 0xC2;
        jpg[k + 5] = 0x20, jpg[k + 6] = 0x00, jpg[k + 7] = 0x20, jpg[k + 8] = 0x00;
        err.msg[0] = '\0';
        CHECK(image_load_mem(jpg, (size_t)n, &img, &err) == -1);
        CHECK(strstr(err.msg, "JPEG 8192x8192 needs more than") != NULL);
        if (!strstr(err.msg, "needs more than"))
            fprintf(stderr, "progressive 8192x8192: %s\n", err.msg);
        break;
    }
    free(jpg);
}

/* The same frame decoded again uses the last-hit region and agrees. */
static void test_last_hit_and_opts(void)
{
    struct corpus_frame f;
    struct decode_opts o;
    struct decoder *d = NULL;
    struct decode_result r1, r2;
    struct err err = {{0}};
    unsigned mask;

    corpus_per_cell = 2;
    CHECK(corpus_generate(2 * 3 * 7 + 2, &f) == 0); /* inverted, 1280x720 */
    decode_opts_default(&o);
    CHECK(decode_open(&d, &o, &err) == 0);
    CHECK(decode_frame(d, f.gray, f.w, f.h, f.w, &r1, &err) == 1);
    CHECK(r1.code[0].inverted == 1);
    CHECK(decode_frame(d, f.gray, f.w, f.h, f.w, &r2, &err) == 1);
    CHECK(r2.passes == 1); /* straight to the remembered region */
    CHECK(r2.code[0].len == r1.code[0].len);
    decode_close(d);

    /* inverted off: a light-on-dark badge is not read */
    o.inverted = 0;
    CHECK(decode_open(&d, &o, &err) == 0);
    CHECK(decode_frame(d, f.gray, f.w, f.h, f.w, &r1, &err) == 0);
    CHECK(decode_frame(d, f.gray, 0, f.h, f.w, &r1, &err) < 0);
    decode_close(d);
    corpus_frame_free(&f);

    CHECK(decode_symbologies_parse("qr, code128", &mask, &err) == 0);
    CHECK(mask == (DECODE_QR | DECODE_CODE128));
    CHECK(decode_symbologies_parse("qr,datamatrix", &mask, &err) < 0);
    CHECK(strstr(err.msg, "datamatrix") != NULL);
    CHECK(decode_symbologies_parse(" , ", &mask, &err) < 0);
}

static struct decode_result one(const char *p)
{
    struct decode_result r;
    memset(&r, 0, sizeof(r));
    if (p) {
        r.n = 1;
        r.code[0].len = strlen(p);
        memcpy(r.code[0].data, p, r.code[0].len);
    }
    return r;
}

static void test_debounce(void)
{
    struct debounce db;
    struct decode_result a = one("ALICE"), none = one(NULL), two;
    int fresh[KIOSK_CODES_PER_FRAME];
    int64_t t = 1000000;

    debounce_init(&db, 3000);
    CHECK(debounce_frame(&db, t, &a, fresh) == 1 && fresh[0] == 1);
    /* held in view at 15 fps: one scan */
    for (int i = 1; i < 30; i++)
        CHECK(debounce_frame(&db, t + i * 66, &a, fresh) == 0);
    /* a single missed frame is not leaving the view */
    CHECK(debounce_frame(&db, t + 30 * 66, &none, fresh) == 0);
    CHECK(debounce_frame(&db, t + 31 * 66, &a, fresh) == 0);
    /* held past the window: counts again */
    CHECK(debounce_frame(&db, t + 3100, &a, fresh) == 1);
    /* leaves the view for longer than DEBOUNCE_GONE_MS, comes back: counts */
    CHECK(debounce_frame(&db, t + 3200, &none, fresh) == 0);
    CHECK(debounce_frame(&db, t + 3200 + DEBOUNCE_GONE_MS + 100, &a, fresh) == 1);
    /* two codes in one frame: both reported; the known one is not new */
    two = one("ALICE");
    two.n = 2;
    two.code[1].len = 3;
    memcpy(two.code[1].data, "BOB", 3);
    CHECK(debounce_frame(&db, t + 4000, &two, fresh) == 1);
    CHECK(fresh[0] == 0 && fresh[1] == 1);
    /* window 0: every frame counts */
    debounce_init(&db, 0);
    CHECK(debounce_frame(&db, t, &a, fresh) == 1);
    CHECK(debounce_frame(&db, t + 66, &a, fresh) == 1);
}

static struct event text_ev(const char *s, int64_t t)
{
    struct event e;
    memset(&e, 0, sizeof(e));
    e.type = EV_TEXT;
    e.now_ms = t;
    snprintf(e.u.text.text, sizeof(e.u.text.text), "%s", s);
    return e;
}

static struct event key_ev(const char *name, int64_t t)
{
    struct event e;
    memset(&e, 0, sizeof(e));
    e.type = EV_KEY;
    e.now_ms = t;
    snprintf(e.u.key.name, sizeof(e.u.key.name), "%s", name);
    return e;
}

static void test_wedge(void)
{
    static struct wedge w;
    struct event out, ev;
    const char *payload = "MECARD:N:Doe,Jane;;";
    char typed[64] = "";
    int64_t t = 5000;
    int scans = 0, other = 0;

    wedge_init(&w, 1);
    /* a scanner: 8 ms per character, then Enter */
    for (size_t i = 0; payload[i]; i++) {
        char c[2] = {payload[i], 0};
        ev = text_ev(c, t += 8);
        wedge_push(&w, &ev);
        while (wedge_pop(&w, &out))
            other++;
    }
    ev = key_ev("enter", t += 8);
    wedge_push(&w, &ev);
    while (wedge_pop(&w, &out)) {
        if (out.type == EV_SCAN) {
            scans++;
            CHECK(out.u.scan.source == SCAN_WEDGE);
            CHECK(out.u.scan.len == strlen(payload));
            CHECK(memcmp(out.u.scan.data, payload, out.u.scan.len) == 0);
        } else {
            other++;
        }
    }
    CHECK(scans == 1);
    CHECK(other == 0);

    /* a human: 150 ms per key; everything comes out as typed, in order */
    t += 2000;
    scans = 0;
    for (const char *p = "hello"; *p; p++) {
        char c[2] = {*p, 0};
        ev = text_ev(c, t += 150);
        wedge_push(&w, &ev);
        while (wedge_pop(&w, &out)) {
            if (out.type == EV_TEXT)
                strcat(typed, out.u.text.text);
            scans += out.type == EV_SCAN;
        }
    }
    ev = key_ev("enter", t += 150);
    wedge_push(&w, &ev);
    while (wedge_pop(&w, &out)) {
        if (out.type == EV_TEXT)
            strcat(typed, out.u.text.text);
        if (out.type == EV_KEY)
            strcat(typed, "<enter>");
        scans += out.type == EV_SCAN;
    }
    CHECK_STR(typed, "hello<enter>");
    CHECK(scans == 0);

    /* a fast pair of keys then a pause: released by a tick, as text */
    typed[0] = '\0';
    ev = text_ev("o", t += 1000);
    wedge_push(&w, &ev);
    ev = text_ev("k", t += 20);
    wedge_push(&w, &ev);
    CHECK(!wedge_pop(&w, &out)); /* held: could still be a scanner */
    memset(&ev, 0, sizeof(ev));
    ev.type = EV_TICK;
    ev.now_ms = t + WEDGE_MAX_GAP_MS + 1;
    wedge_push(&w, &ev);
    while (wedge_pop(&w, &out))
        if (out.type == EV_TEXT)
            strcat(typed, out.u.text.text);
    CHECK_STR(typed, "ok");

    /* disabled: everything passes straight through */
    wedge_init(&w, 0);
    ev = text_ev("x", 1);
    wedge_push(&w, &ev);
    CHECK(wedge_pop(&w, &out) && out.type == EV_TEXT);
}

/* A 16-bit PGM (as ImageMagick writes) is two bytes a pixel: one inside the
 * frame limit but bigger than an 8-bit PGM of the largest frame loads. */
static void test_pgm16_large(void)
{
    static unsigned char row[8192 * 2];
    struct image img;
    struct err err = {{0}};
    const int w = 8192, h = 4200; /* 68.8 MB of pixels, 8192x8192 at 8 bits is 67.1 MB */
    FILE *fp = fopen(test_path("big16.pgm"), "wb");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fprintf(fp, "P5\n%d %d\n65535\n", w, h);
    for (int y = 0; y < h; y++) {
        memset(row, 0, sizeof(row));
        if (y == h - 1)
            row[2 * (w - 1)] = row[2 * (w - 1) + 1] = 0xFF; /* the last pixel is white */
        fwrite(row, 1, sizeof(row), fp);
    }
    CHECK(fclose(fp) == 0);
    CHECK(image_load(test_path("big16.pgm"), &img, &err) == 0);
    if (img.gray) {
        CHECK(img.width == w && img.height == h);
        CHECK(img.gray[0] == 0 && img.gray[(size_t)w * h - 1] == 255);
    } else {
        fprintf(stderr, "big16.pgm: %s\n", err.msg);
    }
    image_free(&img);
    remove(test_path("big16.pgm"));
}

int main(void)
{
    test_wedge();
    test_debounce();
    test_last_hit_and_opts();
    test_image_files();
    test_image_sizes();
    test_pgm16_large();
    test_corpus();
    return test_done();
}
