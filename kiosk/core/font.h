/*
 * font.h - the text rasterizer the core draws with, as a table of functions.
 *
 * The core cannot include SDL, so text reaches a raster through this
 * interface; kiosk/dev/font_ttf.c implements it with SDL2_ttf and the DejaVu
 * fonts. Text is UTF-8 given with a length (no NUL needed). Sizes are in
 * dots (pixels): the height the font is opened at.
 */
#ifndef KIOSK_FONT_H
#define KIOSK_FONT_H

#include <stddef.h>

#include "err.h"
#include "raster.h"

/* Longest run of text measured or drawn in one call (one line of a slip). */
#define FONT_TEXT_MAX 2048

struct font_style {
    int size; /* dots */
    int bold;
};

struct font;

struct font_ops {
    /* Width in dots of text as it would be drawn. 0, or -1 with err set. */
    int (*measure)(struct font *f, const struct font_style *st, const char *text, size_t len,
                   int *width, struct err *err);
    /* Distance between baselines of consecutive lines, in dots. */
    int (*line_height)(struct font *f, const struct font_style *st, int *height, struct err *err);
    /* Draw text with the top-left of its line box at (x, y); dots outside
     * the raster are clipped. 0, or -1 with err set (the raster may then
     * hold part of the text). */
    int (*draw)(struct font *f, struct raster *r, int x, int y, const struct font_style *st,
                const char *text, size_t len, struct err *err);
    void (*close)(struct font *f);
};

struct font {
    const struct font_ops *ops;
};

/* Close through the table; accepts NULL. */
static inline void font_close(struct font *f)
{
    if (f)
        f->ops->close(f);
}

#endif
