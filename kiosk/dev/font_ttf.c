/*
 * font_ttf.c - text into 1-bit rasters with SDL2_ttf (implements core/font.h).
 *
 * Owns the TTF_Font handles (one per size and weight, opened on first use)
 * and the one TTF_Init/TTF_Quit pair of this object. Glyphs are rendered in
 * SDL_ttf's "solid" mode with monochrome hinting: already 1-bit, so thermal
 * paper gets crisp stems instead of a thresholded grey blur.
 * Never: touches a window or the display; draws outside the raster.
 */
#include "font_ttf.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE 12

struct font_ttf {
    struct font base;   /* first: a struct font * is a struct font_ttf * */
    char path[2][1100]; /* regular, bold */
    struct {
        int size, bold;
        TTF_Font *ttf;
    } cache[CACHE];
    int ncache, next_evict;
};

static TTF_Font *get(struct font_ttf *t, const struct font_style *st, struct err *err)
{
    int slot;
    TTF_Font *f;
    if (st->size < 4 || st->size > 400) {
        err_set(err, "font size %d dots is out of range", st->size);
        return NULL;
    }
    for (int i = 0; i < t->ncache; i++)
        if (t->cache[i].size == st->size && t->cache[i].bold == !!st->bold)
            return t->cache[i].ttf;
    f = TTF_OpenFont(t->path[!!st->bold], st->size);
    if (!f) {
        err_set(err, "cannot open font %s: %s", t->path[!!st->bold], TTF_GetError());
        return NULL;
    }
    TTF_SetFontHinting(f, TTF_HINTING_MONO);
    if (t->ncache < CACHE) {
        slot = t->ncache++;
    } else {
        slot = t->next_evict;
        t->next_evict = (t->next_evict + 1) % CACHE;
        TTF_CloseFont(t->cache[slot].ttf);
    }
    t->cache[slot].size = st->size;
    t->cache[slot].bold = !!st->bold;
    t->cache[slot].ttf = f;
    return f;
}

/* SDL_ttf wants NUL-terminated text. */
static int copy(char *buf, const char *text, size_t len, struct err *err)
{
    if (len >= FONT_TEXT_MAX)
        return err_set(err, "text run of %zu bytes is longer than %d", len, FONT_TEXT_MAX - 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    return 0;
}

static int measure(struct font *f, const struct font_style *st, const char *text, size_t len,
                   int *width, struct err *err)
{
    struct font_ttf *t = (struct font_ttf *)f;
    char buf[FONT_TEXT_MAX];
    TTF_Font *ttf = get(t, st, err);
    int h;
    *width = 0;
    if (!ttf || copy(buf, text, len, err) < 0)
        return -1;
    if (len == 0)
        return 0;
    if (TTF_SizeUTF8(ttf, buf, width, &h) < 0)
        return err_set(err, "cannot measure text: %s", TTF_GetError());
    return 0;
}

static int line_height(struct font *f, const struct font_style *st, int *height, struct err *err)
{
    TTF_Font *ttf = get((struct font_ttf *)f, st, err);
    if (!ttf)
        return -1;
    *height = TTF_FontLineSkip(ttf);
    return 0;
}

static int draw(struct font *f, struct raster *r, int x, int y, const struct font_style *st,
                const char *text, size_t len, struct err *err)
{
    struct font_ttf *t = (struct font_ttf *)f;
    char buf[FONT_TEXT_MAX];
    SDL_Color black = {0, 0, 0, 255};
    SDL_Surface *s;
    TTF_Font *ttf = get(t, st, err);
    int result = -1;
    if (!ttf || copy(buf, text, len, err) < 0)
        return -1;
    if (len == 0)
        return 0;
    s = TTF_RenderUTF8_Solid(ttf, buf, black);
    if (!s)
        return err_set(err, "cannot draw text: %s", TTF_GetError());
    if (SDL_LockSurface(s) < 0) {
        err_set(err, "cannot read rendered text: %s", SDL_GetError());
        goto out;
    }
    /* Solid mode: an 8-bit palettised surface, index 0 background, 1 text. */
    for (int j = 0; j < s->h; j++) {
        const Uint8 *row = (const Uint8 *)s->pixels + (size_t)j * (size_t)s->pitch;
        for (int i = 0; i < s->w; i++)
            if (row[i])
                raster_set(r, x + i, y + j, 1);
    }
    SDL_UnlockSurface(s);
    result = 0;
out:
    SDL_FreeSurface(s);
    return result;
}

static void close_font(struct font *f)
{
    struct font_ttf *t = (struct font_ttf *)f;
    for (int i = 0; i < t->ncache; i++)
        TTF_CloseFont(t->cache[i].ttf);
    free(t);
    TTF_Quit();
}

static const struct font_ops ops = {measure, line_height, draw, close_font};

int font_ttf_open(struct font **out, const char *assets_dir, struct err *err)
{
    static const char *const names[2] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
    struct font_ttf *t;
    *out = NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return err_set(err, "out of memory");
    for (int i = 0; i < 2; i++) {
        snprintf(t->path[i], sizeof(t->path[i]), "%.1000s/fonts/%s", assets_dir, names[i]);
        if (access(t->path[i], R_OK) != 0) {
            err_set(err, "font %s is missing; is the assets folder right (KIOSK_ASSETS)?",
                    t->path[i]);
            free(t);
            return -1;
        }
    }
    if (TTF_Init() < 0) {
        err_set(err, "SDL_ttf will not start: %s", TTF_GetError());
        free(t);
        return -1;
    }
    t->base.ops = &ops;
    *out = &t->base;
    return 0;
}
