/*
 * fuzz_image.c - libFuzzer target for the image loaders (kiosk/dev/image.c):
 * PGM (P5, 8 and 16 bit), PNG (libpng) and JPEG (libjpeg), from memory and
 * from a file.
 *
 * Promises checked, not only "no crash" (ASan catches reads out of bounds):
 * - an accepted image has sides in 1..KIOSK_FRAME_SIDE_MAX and width*height
 *   readable pixels; a refused one is zeroed and has a message;
 * - an image whose header declares a side over KIOSK_FRAME_SIDE_MAX (or 0)
 *   is refused with an error naming its size, never "corrupt" or "out of
 *   memory" (the header is read here independently: PGM numbers, the PNG
 *   IHDR, the JPEG SOF marker);
 * - image_load on a file with the same bytes gives the same pixels, and its
 *   errors name the path;
 * - an accepted image written back as PGM and as PNG loads to the same
 *   pixels (the writers and readers agree).
 * JPEGs of more than a megapixel are skipped (see below). PNG chunk CRCs
 * are recomputed before loading (else nearly every mutation
 * stops at libpng's CRC check). Inputs over 64 KiB are skipped: larger
 * ones only cost time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX 65536

static char dir[64];

static void cleanup(void)
{
    static const char *const names[] = {"in", "out.pgm", "out.png"};
    char path[96];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static unsigned long be32(const uint8_t *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static uint32_t crc32_png(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* Rewrite the CRC of every whole chunk of a PNG in place. */
static void fix_png_crcs(uint8_t *b, size_t len)
{
    size_t pos = 8;
    if (len < 8 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0)
        return;
    while (pos + 12 <= len) {
        unsigned long n = be32(b + pos);
        uint32_t crc;
        if (n > len - pos - 12)
            return;
        crc = crc32_png(b + pos + 4, 4 + n);
        b[pos + 8 + n] = (uint8_t)(crc >> 24);
        b[pos + 9 + n] = (uint8_t)(crc >> 16);
        b[pos + 10 + n] = (uint8_t)(crc >> 8);
        b[pos + 11 + n] = (uint8_t)crc;
        pos += 12 + n;
    }
}

/* The PGM header's width and height: decimal numbers after whitespace and
 * comments. Returns 0 if the header is complete (width, height, maxval and
 * a byte after it) with numbers of at most 9 digits (longer ones are
 * refused as a bad header, see test_decode). */
static int pgm_dims(const uint8_t *b, size_t len, unsigned long *w, unsigned long *h)
{
    size_t pos = 2;
    unsigned long v[3];
    for (int k = 0; k < 3; k++) {
        int digits = 0;
        for (;;) {
            while (pos < len &&
                   (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r'))
                pos++;
            if (pos < len && b[pos] == '#') {
                while (pos < len && b[pos] != '\n')
                    pos++;
                continue;
            }
            break;
        }
        v[k] = 0;
        while (pos < len && b[pos] >= '0' && b[pos] <= '9') {
            v[k] = v[k] * 10 + (unsigned long)(b[pos] - '0');
            if (++digits > 9)
                return -1;
            pos++;
        }
        if (!digits)
            return -1;
    }
    if (pos >= len)
        return -1;
    *w = v[0], *h = v[1];
    return 0;
}

/* Width and height of the first SOFn frame header of a JPEG, walking the
 * marker segments. Returns 0 if found. strict: only where libjpeg reads
 * that header before anything it may rightly refuse (for the size promise);
 * else wherever a frame header is (to know what a decode would cost). */
/* Is there a frame header (SOFn) among the segments from pos up to the
 * first scan? */
static int another_frame(const uint8_t *b, size_t len, size_t pos)
{
    while (pos + 4 <= len) {
        unsigned m;
        if (b[pos] != 0xFF) {
            pos++; /* libjpeg skips extraneous bytes to the next marker too */
            continue;
        }
        m = b[pos + 1];
        if (m == 0xFF) {
            pos++;
            continue;
        }
        if (m == 0xDA || m == 0xD9)
            return 0;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
            return 1;
        pos += 2 + ((size_t)b[pos + 2] << 8 | b[pos + 3]);
    }
    return 0;
}

static int jpeg_dims(const uint8_t *b, size_t len, int strict, unsigned long *w, unsigned long *h)
{
    size_t pos = 2;
    while (pos + 4 <= len) {
        unsigned m, seg;
        int frame;
        if (b[pos] != 0xFF)
            return -1;
        m = b[pos + 1];
        if (m == 0xFF) {
            pos++; /* fill byte */
            continue;
        }
        if (m == 0xD8 && strict)
            return -1; /* a second SOI: libjpeg rightly calls that corrupt */
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            pos += 2;
            continue;
        }
        if (m == 0xDA || m == 0xD9)
            return -1; /* scan or end before a frame header */
        seg = (unsigned)b[pos + 2] << 8 | b[pos + 3];
        /* The frame types libjpeg decodes; it refuses the others (lossless,
         * hierarchical) before reading their size. */
        frame = m == 0xC0 || m == 0xC1 || m == 0xC2 || m == 0xC9 || m == 0xCA;
        if (!strict)
            frame = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        /* Only segments libjpeg skips unchecked (APPn, COM) may come first:
         * a bad table before the frame header is rightly "corrupt". */
        if (strict && !(m >= 0xE0 && m <= 0xEF) && m != 0xFE && !frame)
            return -1;
        if (frame) {
            if (seg < 8 || pos + 2 + seg > len)
                return -1;
            *h = (unsigned long)b[pos + 5] << 8 | b[pos + 6];
            *w = (unsigned long)b[pos + 7] << 8 | b[pos + 8];
            /* A second frame header right behind the first: libjpeg reads
             * its size before it calls the file corrupt ("two SOF markers"),
             * so the first size makes no promise. */
            if (strict && another_frame(b, len, pos + 2 + seg))
                return -1;
            return 0;
        }
        if (seg < 2)
            return -1;
        pos += 2 + seg;
    }
    return -1;
}

/* Declared size of the image, or -1 if the header does not say (then no
 * size promise is checked). */
static int declared(const uint8_t *b, size_t len, unsigned long *w, unsigned long *h)
{
    if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        if (len < 24 || memcmp(b + 12, "IHDR", 4) != 0)
            return -1;
        *w = be32(b + 16), *h = be32(b + 20);
        return 0;
    }
    if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return jpeg_dims(b, len, 1, w, h);
    if (len >= 3 && b[0] == 'P' && b[1] == '5')
        return pgm_dims(b, len, w, h);
    return -1;
}

static void check_same(const struct image *a, const struct image *b)
{
    if (a->width != b->width || a->height != b->height ||
        memcmp(a->gray, b->gray, (size_t)a->width * a->height) != 0)
        __builtin_trap();
}

static void check_zeroed(const struct image *img, const struct err *err)
{
    if (img->gray || img->width || img->height || !err->msg[0])
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    static uint8_t data[INPUT_MAX];
    struct image img, back;
    struct err err = {{0}}, ferr = {{0}};
    unsigned long dw = 0, dh = 0;
    int r, have_dims;
    char path[96];
    FILE *f;

    if (size > INPUT_MAX)
        return 0;
    memcpy(data, input, size);
    fix_png_crcs(data, size);
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/fuzz_image.XXXXXX");
        if (!mkdtemp(dir))
            abort();
        atexit(cleanup);
    }
    /* libjpeg decodes a frame of any size from a few hundred bytes (the
     * missing data reads as gray): 8192x8192 costs over a second here.
     * Those sizes are legal and decode like small ones, so leave them out
     * to keep the fuzzer (and CI's 10000 inputs) fast. */
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 &&
        jpeg_dims(data, size, 0, &dw, &dh) == 0 && dw <= KIOSK_FRAME_SIDE_MAX &&
        dh <= KIOSK_FRAME_SIDE_MAX && dw * dh > 1024 * 1024)
        return 0;
    have_dims = declared(data, size, &dw, &dh) == 0;
    r = image_load_mem(data, size, &img, &err);
    if (r == 0) {
        volatile unsigned sum = 0;
        if (img.width < 1 || img.height < 1 || img.width > KIOSK_FRAME_SIDE_MAX ||
            img.height > KIOSK_FRAME_SIDE_MAX || !img.gray)
            __builtin_trap();
        if (have_dims && (dw != (unsigned long)img.width || dh != (unsigned long)img.height))
            __builtin_trap();
        for (size_t i = 0; i < (size_t)img.width * img.height; i++)
            sum += img.gray[i];
        (void)sum;
    } else {
        if (r != -1)
            __builtin_trap();
        check_zeroed(&img, &err);
        if (have_dims &&
            (dw < 1 || dh < 1 || dw > KIOSK_FRAME_SIDE_MAX || dh > KIOSK_FRAME_SIDE_MAX) &&
            !strstr(err.msg, "size"))
            __builtin_trap();
    }

    /* The same bytes from a file. */
    snprintf(path, sizeof(path), "%s/in", dir);
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    if (image_load(path, &back, &ferr) != r)
        __builtin_trap();
    if (r == 0) {
        check_same(&img, &back);
        image_free(&back);
    } else {
        check_zeroed(&back, &ferr);
        if (strncmp(ferr.msg, path, strlen(path)) != 0 || !strstr(ferr.msg, err.msg))
            __builtin_trap();
    }

    /* Written back losslessly, read back the same. Small images only: the
     * PNG encoder costs time per pixel. */
    if (r == 0 && (size_t)img.width * img.height <= 256 * 256) {
        snprintf(path, sizeof(path), "%s/out.pgm", dir);
        if (image_save_pgm(path, img.gray, img.width, img.height, img.width, &ferr) < 0 ||
            image_load(path, &back, &ferr) < 0)
            __builtin_trap();
        check_same(&img, &back);
        image_free(&back);
        snprintf(path, sizeof(path), "%s/out.png", dir);
        if (image_save_png(path, img.gray, img.width, img.height, img.width, &ferr) < 0 ||
            image_load(path, &back, &ferr) < 0)
            __builtin_trap();
        check_same(&img, &back);
        image_free(&back);
    }
    image_free(&img);
    image_free(&img); /* accepts a freed image */
    return 0;
}
