/*
 * image.h - read and write 8-bit grayscale images: PNG (libpng), JPEG
 * (libjpeg) and binary PGM (P5, 8 or 16 bit). Colour images are converted to gray
 * (Rec. 601 luma); alpha is composited onto white. Used by `kiosk decode`,
 * the files: camera, the tests and the benchmark.
 */
#ifndef KIOSK_IMAGE_H
#define KIOSK_IMAGE_H

#include <stddef.h>

#include "err.h"

struct image {
    int width, height;   /* stride == width */
    unsigned char *gray; /* owned; free with image_free */
};

/* Load by content (magic bytes), not by file name. Returns 0, or -1 with err
 * ("PATH: not a PNG, JPEG or PGM image", "PATH: image too large", ...);
 * *img is zeroed after failure. Sides over KIOSK_FRAME_SIDE_MAX are refused. */
int image_load(const char *path, struct image *img, struct err *err);
/* Same from memory. */
int image_load_mem(const unsigned char *buf, size_t len, struct image *img, struct err *err);

/* Write gray pixels (stride bytes per row). Return 0, or -1 with err; a
 * failed write may leave a partial file. quality: JPEG 1..100. */
int image_save_pgm(const char *path, const unsigned char *gray, int w, int h, int stride,
                   struct err *err);
int image_save_png(const char *path, const unsigned char *gray, int w, int h, int stride,
                   struct err *err);
int image_save_jpeg(const char *path, const unsigned char *gray, int w, int h, int stride,
                    int quality, struct err *err);

/* Free pixels; accepts NULL and zeroed images. */
void image_free(struct image *img);

#endif
