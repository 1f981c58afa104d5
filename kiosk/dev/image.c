/*
 * image.c - PNG / JPEG / PGM to 8-bit gray and back; see image.h.
 *
 * Owns nothing past a call: the caller frees the pixels. Format is chosen by
 * the file's magic bytes. Sizes are checked against KIOSK_FRAME_SIDE_MAX
 * before any pixel buffer is allocated, and a header declaring a side out
 * of range is refused for that (not as "corrupt"), whatever follows it and
 * whichever of our checks or the library's sees it first. libpng and
 * libjpeg report errors by
 * longjmp; each decoder keeps its state in volatile locals so the one
 * cleanup path is safe after a jump.
 */
#include "image.h"

#include <errno.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"

/* What libjpeg may allocate for one image (progressive coefficient buffers
 * included); our own output buffer of at most 64 MB comes on top. */
#define IMAGE_JPEG_MEMORY_MAX (96L << 20)

void image_free(struct image *img)
{
    if (!img)
        return;
    free(img->gray);
    img->gray = NULL;
    img->width = img->height = 0;
}

static int size_ok(long w, long h)
{
    return w > 0 && h > 0 && w <= KIOSK_FRAME_SIDE_MAX && h <= KIOSK_FRAME_SIDE_MAX;
}

/* --- PGM ------------------------------------------------------------------ */

static int pgm_int(const unsigned char *b, size_t len, size_t *pos, long *out)
{
    long v = 0;
    int digits = 0;
    for (;;) {
        while (*pos < len &&
               (b[*pos] == ' ' || b[*pos] == '\t' || b[*pos] == '\n' || b[*pos] == '\r'))
            (*pos)++;
        if (*pos < len && b[*pos] == '#') {
            while (*pos < len && b[*pos] != '\n')
                (*pos)++;
            continue;
        }
        break;
    }
    while (*pos < len && b[*pos] >= '0' && b[*pos] <= '9' && digits < 9) {
        v = v * 10 + (b[*pos] - '0');
        (*pos)++;
        digits++;
    }
    *out = v;
    if (*pos < len && b[*pos] >= '0' && b[*pos] <= '9')
        return -1; /* too long a number: refused, not read as two */
    return digits ? 0 : -1;
}

static int load_pgm(const unsigned char *b, size_t len, struct image *img, struct err *err)
{
    size_t pos = 2;
    long w, h, maxv;
    int bps;
    if (pgm_int(b, len, &pos, &w) < 0 || pgm_int(b, len, &pos, &h) < 0 ||
        pgm_int(b, len, &pos, &maxv) < 0 || pos >= len)
        return err_set(err, "bad PGM header");
    pos++; /* the single whitespace after maxval */
    if (!size_ok(w, h))
        return err_set(err, "image size %ldx%ld is outside 1..%d", w, h, KIOSK_FRAME_SIDE_MAX);
    if (maxv < 1 || maxv > 65535)
        return err_set(err, "PGM with maxval %ld", maxv);
    bps = maxv > 255 ? 2 : 1;
    if ((len - pos) / (size_t)bps < (size_t)(w * h))
        return err_set(err, "PGM is truncated");
    img->gray = malloc((size_t)(w * h));
    if (!img->gray)
        return err_set(err, "out of memory");
    if (maxv == 255) {
        memcpy(img->gray, b + pos, (size_t)(w * h));
    } else {
        /* 16-bit (as ImageMagick writes) or a small maxval: scale to 0..255 */
        for (size_t i = 0; i < (size_t)(w * h); i++) {
            long v = bps == 2 ? (b[pos + 2 * i] << 8) | b[pos + 2 * i + 1] : b[pos + i];
            img->gray[i] = (unsigned char)((v > maxv ? maxv : v) * 255 / maxv);
        }
    }
    img->width = (int)w;
    img->height = (int)h;
    return 0;
}

/* --- PNG ------------------------------------------------------------------ */

/* libpng prints errors by default; ours go into struct err instead (the
 * error pointer, when set, is a char[PNG_MSG_MAX] that keeps libpng's words). */
#define PNG_MSG_MAX 96

static void png_quiet_error(png_structp png, png_const_charp msg)
{
    char *keep = png_get_error_ptr(png);
    if (keep)
        snprintf(keep, PNG_MSG_MAX, "%s", msg ? msg : "");
    png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp msg)
{
    (void)png, (void)msg;
}

struct memread {
    const unsigned char *p;
    size_t len, pos;
};

static void png_read_mem(png_structp png, png_bytep out, png_size_t n)
{
    struct memread *m = png_get_io_ptr(png);
    if (m->len - m->pos < n)
        png_error(png, "truncated");
    memcpy(out, m->p + m->pos, n);
    m->pos += n;
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int load_png(const unsigned char *b, size_t len, struct image *img, struct err *err)
{
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile pix = NULL;
    png_bytep *volatile rows = NULL;
    struct memread m = {b, len, 0};
    volatile int rc = -1;
    png_uint_32 w, h, y;
    char msg[PNG_MSG_MAX] = "";

    /* IHDR is the first chunk (PNG spec 5.6): its size decides before
     * libpng reads on and fails on something later, or on its own limits. */
    if (len >= 24 && memcmp(b + 12, "IHDR", 4) == 0 &&
        !size_ok((long)be32(b + 16), (long)be32(b + 20)))
        return err_set(err, "image size %lux%lu is outside 1..%d", be32(b + 16), be32(b + 20),
                       KIOSK_FRAME_SIDE_MAX);
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, msg, png_quiet_error, png_quiet_warning);
    if (png)
        info = png_create_info_struct(png);
    if (!png || !info) {
        err_set(err, "out of memory");
        goto out;
    }
    if (setjmp(png_jmpbuf(png))) {
        if (msg[0])
            err_set(err, "corrupt PNG (%s)", msg);
        else
            err_set(err, "corrupt PNG");
        goto out;
    }
    png_set_read_fn(png, &m, png_read_mem);
    png_read_info(png, info);
    w = png_get_image_width(png, info);
    h = png_get_image_height(png, info);
    if (!size_ok((long)w, (long)h)) {
        err_set(err, "image size %lux%lu is outside 1..%d", (unsigned long)w, (unsigned long)h,
                KIOSK_FRAME_SIDE_MAX);
        goto out;
    }
    /* Everything to 8-bit gray; alpha composited on white. */
    png_set_expand(png);
    png_set_strip_16(png);
    if (png_get_color_type(png, info) & PNG_COLOR_MASK_COLOR)
        png_set_rgb_to_gray_fixed(png, 1, 29900, 58700);
    if (png_get_color_type(png, info) & PNG_COLOR_MASK_ALPHA ||
        png_get_valid(png, info, PNG_INFO_tRNS)) {
        png_color_16 white = {0, 255, 255, 255, 255};
        png_set_background(png, &white, PNG_BACKGROUND_GAMMA_SCREEN, 0, 1.0);
    }
    png_read_update_info(png, info);
    if (png_get_channels(png, info) != 1 || png_get_bit_depth(png, info) != 8) {
        err_set(err, "unsupported PNG layout");
        goto out;
    }
    pix = malloc((size_t)w * h);
    rows = malloc(sizeof(png_bytep) * h);
    if (!pix || !rows) {
        err_set(err, "out of memory");
        goto out;
    }
    for (y = 0; y < h; y++)
        rows[y] = pix + (size_t)y * w;
    png_read_image(png, rows);
    img->gray = pix;
    img->width = (int)w;
    img->height = (int)h;
    pix = NULL;
    rc = 0;
out:
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    free(rows);
    free(pix);
    return rc;
}

/* --- JPEG ------------------------------------------------------------------ */

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr c)
{
    struct jerr *e = (struct jerr *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jb, 1);
}

static void jpeg_quiet(j_common_ptr c, int level)
{
    (void)c, (void)level;
}

static int load_jpeg(const unsigned char *b, size_t len, struct image *img, struct err *err)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    unsigned char *volatile pix = NULL;
    volatile int rc = -1, created = 0;

    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_quiet;
    if (setjmp(je.jb)) {
        /* Once the frame header gave a size, a size out of range is the
         * reason, not what libjpeg tripped over (its own checks of 0 and
         * over 65500, a bad length of that same header). */
        if (je.mgr.msg_code == JERR_IMAGE_TOO_BIG ||
            (je.mgr.msg_code == JERR_EMPTY_IMAGE &&
             (cinfo.image_width == 0 || cinfo.image_height == 0)) ||
            ((cinfo.image_width || cinfo.image_height) &&
             !size_ok((long)cinfo.image_width, (long)cinfo.image_height)))
            err_set(err, "image size %ux%u is outside 1..%d", cinfo.image_width, cinfo.image_height,
                    KIOSK_FRAME_SIDE_MAX);
        else if (je.mgr.msg_code == JERR_NO_BACKING_STORE)
            err_set(err, "JPEG %ux%u needs more than %ld MB to decode", cinfo.image_width,
                    cinfo.image_height, IMAGE_JPEG_MEMORY_MAX >> 20);
        else
            err_set(err, "corrupt JPEG (%s)", je.msg);
        goto out;
    }
    jpeg_create_decompress(&cinfo);
    created = 1;
    /* A progressive JPEG keeps every coefficient of the image in memory: a
     * file of a few hundred bytes declaring 8192x8192 asks for ~600 MB.
     * libjpeg refuses past this cap (it has no backing store). */
    cinfo.mem->max_memory_to_use = IMAGE_JPEG_MEMORY_MAX;
    jpeg_mem_src(&cinfo, b, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    if (!size_ok((long)cinfo.image_width, (long)cinfo.image_height)) {
        err_set(err, "image size %ux%u is outside 1..%d", cinfo.image_width, cinfo.image_height,
                KIOSK_FRAME_SIDE_MAX);
        goto out;
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    pix = malloc((size_t)cinfo.output_width * cinfo.output_height);
    if (!pix) {
        err_set(err, "out of memory");
        goto out;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pix + (size_t)cinfo.output_scanline * cinfo.output_width;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    img->gray = pix;
    img->width = (int)cinfo.output_width;
    img->height = (int)cinfo.output_height;
    pix = NULL;
    rc = 0;
out:
    if (created)
        jpeg_destroy_decompress(&cinfo);
    free(pix);
    return rc;
}

/* --- entry points ---------------------------------------------------------- */

int image_load_mem(const unsigned char *b, size_t len, struct image *img, struct err *err)
{
    memset(img, 0, sizeof(*img));
    if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return load_png(b, len, img, err);
    if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return load_jpeg(b, len, img, err);
    if (len >= 3 && b[0] == 'P' && b[1] == '5')
        return load_pgm(b, len, img, err);
    return err_set(err, "not a PNG, JPEG or PGM image");
}

int image_load(const char *path, struct image *img, struct err *err)
{
    FILE *f = NULL;
    unsigned char *buf = NULL;
    long len;
    int rc = -1;
    struct err e = {{0}};

    memset(img, 0, sizeof(*img));
    f = fopen(path, "rb");
    if (!f) {
        err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        err_set(err, "%s: cannot read (not a regular file?)", path);
        goto out;
    }
    /* Worst case, a 16-bit PGM (two bytes a pixel) of the largest allowed frame. */
    if (len > 2L * KIOSK_FRAME_SIDE_MAX * KIOSK_FRAME_SIDE_MAX + 1024) {
        err_set(err, "%s: file too large for an image", path);
        goto out;
    }
    buf = malloc(len ? (size_t)len : 1);
    if (!buf) {
        err_set(err, "%s: out of memory", path);
        goto out;
    }
    if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
        err_set(err, "%s: read error", path);
        goto out;
    }
    if (image_load_mem(buf, (size_t)len, img, &e) < 0) {
        err_set(err, "%s: %s", path, e.msg);
        goto out;
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    free(buf);
    return rc;
}

int image_save_pgm(const char *path, const unsigned char *gray, int w, int h, int stride,
                   struct err *err)
{
    FILE *f = fopen(path, "wb");
    int rc = -1;
    if (!f)
        return err_set(err, "%s: %s", path, strerror(errno));
    fprintf(f, "P5\n%d %d\n255\n", w, h);
    for (int y = 0; y < h; y++)
        if (fwrite(gray + (size_t)y * stride, 1, (size_t)w, f) != (size_t)w)
            goto out;
    rc = 0;
out:
    if (fclose(f) != 0)
        rc = -1;
    if (rc < 0)
        err_set(err, "%s: write error", path);
    return rc;
}

int image_save_png(const char *path, const unsigned char *gray, int w, int h, int stride,
                   struct err *err)
{
    FILE *volatile f = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    volatile int rc = -1;

    f = fopen(path, "wb");
    if (!f)
        return err_set(err, "%s: %s", path, strerror(errno));
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet_error, png_quiet_warning);
    if (png)
        info = png_create_info_struct(png);
    if (!png || !info) {
        err_set(err, "%s: out of memory", path);
        goto out;
    }
    if (setjmp(png_jmpbuf(png))) {
        err_set(err, "%s: write error", path);
        goto out;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, gray + (size_t)y * stride);
    png_write_end(png, NULL);
    rc = 0;
out:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(err, "%s: write error", path);
    return rc;
}

int image_save_jpeg(const char *path, const unsigned char *gray, int w, int h, int stride,
                    int quality, struct err *err)
{
    struct jpeg_compress_struct cinfo;
    struct jerr je;
    FILE *volatile f = NULL;
    volatile int rc = -1, created = 0;

    f = fopen(path, "wb");
    if (!f)
        return err_set(err, "%s: %s", path, strerror(errno));
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    if (setjmp(je.jb)) {
        err_set(err, "%s: %s", path, je.msg);
        goto out;
    }
    jpeg_create_compress(&cinfo);
    created = 1;
    jpeg_stdio_dest(&cinfo, f);
    cinfo.image_width = (JDIMENSION)w;
    cinfo.image_height = (JDIMENSION)h;
    cinfo.input_components = 1;
    cinfo.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(gray + (size_t)cinfo.next_scanline * stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    rc = 0;
out:
    if (created)
        jpeg_destroy_compress(&cinfo);
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(err, "%s: write error", path);
    return rc;
}
