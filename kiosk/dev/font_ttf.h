/*
 * font_ttf.h - the SDL2_ttf implementation of the core's text rasterizer
 * (core/font.h), with DejaVu Sans and DejaVu Sans Bold from the assets dir.
 */
#ifndef KIOSK_FONT_TTF_H
#define KIOSK_FONT_TTF_H

#include "err.h"
#include "font.h"

/* Open the fonts in assets_dir/fonts/ (DejaVuSans.ttf, DejaVuSans-Bold.ttf).
 * Sizes are opened lazily on first use. Returns 0 and *out (close with
 * font_close), or -1 with err set and *out NULL: SDL_ttf will not start, or
 * a font file is missing or unreadable. */
int font_ttf_open(struct font **out, const char *assets_dir, struct err *err);

#endif
