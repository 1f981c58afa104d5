/*
 * display_sdl.c - the SDL2 + SDL2_ttf display: draws the app's draw list,
 * turns SDL input into struct event, beeps, takes PNG screenshots.
 *
 * Owns the window (or, headless, an offscreen software surface), the
 * renderer and every texture: glyph strings (cached), anti-aliased corner
 * masks for rounded rectangles (cached per radius), QR codes and the camera
 * preview. Never decides anything about the app: it draws what ui.h says
 * and reports what the user did. Never exits the process; SIGTERM arrives
 * as SDL_QUIT (SDL installs the handler) and becomes EV_QUIT, headless runs
 * get the same through our own handler.
 * Start at display_draw() and display_poll().
 */
#include "display.h"

#include <glob.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>
#include <SDL_ttf.h>

#define TEXT_CACHE 768
#define WIDTH_CACHE 4096
#define FONT_SLOTS 48
#define CORNER_SLOTS 160
#define QR_SLOTS 4

struct text_entry {
    uint64_t key;
    SDL_Texture *tex;
    int w, h;
    uint64_t used; /* frame number */
};

struct width_entry {
    uint64_t key;
    int w;
};

struct font_slot {
    int size, bold;
    TTF_Font *font;
};

struct corner_slot {
    int radius, border;
    Uint32 argb; /* colour baked in: colour-modulated blits are 3x slower */
    uint64_t used;
    SDL_Texture *tex[4]; /* top-left, top-right, bottom-left, bottom-right */
};

struct qr_slot {
    uint64_t key;
    SDL_Texture *tex;
    uint64_t used;
};

struct display {
    char sound_off[160]; /* why there is no sound; "" = sound works */
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Surface *surface; /* headless target */
    SDL_Texture *target;  /* rotation target (rotate != 0) */
    int headless, windowed, rotate;
    int out_w, out_h; /* renderer output in pixels */
    int lw, lh;       /* logical (rotated) size */
    float scale_x, scale_y; /* window coords -> output pixels */
    char driver[32];
    char font_path[2][1024];
    struct font_slot fonts[FONT_SLOTS];
    int nfonts;
    struct text_entry text[TEXT_CACHE];
    struct width_entry widths[WIDTH_CACHE];
    struct corner_slot corners[CORNER_SLOTS];
    int ncorners;
    struct qr_slot qr[QR_SLOTS];
    uint64_t frame;

    /* preview */
    unsigned char *pv_gray;
    int pv_w, pv_h;
    size_t pv_cap;
    int64_t pv_seq;
    int pv_have, pv_dirty;
    SDL_Texture *pv_tex;
    int pv_tex_w, pv_tex_h;

    /* input */
    SDL_FingerID finger;
    int finger_down, mouse_down;

    /* audio */
    SDL_AudioDeviceID audio;
    float *tone;
    Uint32 tone_bytes;

    uint64_t last_hash;
    int drawn_once;
    const struct ui *last_ui; /* for screenshots: the back buffer is undefined after a present */
};

static volatile sig_atomic_t headless_quit;

static void on_signal(int sig)
{
    (void)sig;
    headless_quit = 1;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

/* ---- fonts and text ---------------------------------------------------- */

static TTF_Font *font_get(struct display *d, int size, int bold)
{
    for (int i = 0; i < d->nfonts; i++)
        if (d->fonts[i].size == size && d->fonts[i].bold == bold)
            return d->fonts[i].font;
    if (d->nfonts == FONT_SLOTS) {
        /* Many sizes in one session (resizing): start over. */
        for (int i = 0; i < d->nfonts; i++)
            TTF_CloseFont(d->fonts[i].font);
        d->nfonts = 0;
    }
    {
        TTF_Font *f = TTF_OpenFont(d->font_path[bold ? 1 : 0], size);
        if (!f)
            return NULL;
        TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
        d->fonts[d->nfonts].size = size;
        d->fonts[d->nfonts].bold = bold;
        d->fonts[d->nfonts++].font = f;
        return f;
    }
}

/* Width of len bytes of s, whatever len (the UI measures whole paragraphs
 * while wrapping them). SDL_ttf wants a NUL-terminated copy: a short run
 * goes through the stack, a long one through the heap. Out of memory or no
 * font gives an estimate of half an em per byte, which is not cached. */
static int measure(void *ctx, int size, int bold, const char *s, size_t len)
{
    struct display *d = ctx;
    char small[1024], *buf = small, *heap = NULL;
    uint64_t key = fnv(fnv(14695981039346656037ULL, s, len), &size, sizeof(size)) ^ (uint64_t)bold;
    struct width_entry *e = &d->widths[key % WIDTH_CACHE];
    TTF_Font *f;
    int w = 0, h = 0, estimate = len > (size_t)INT_MAX / 1024 ? INT_MAX / 2 : (int)len * size / 2;
    if (e->key == key && key)
        return e->w;
    f = font_get(d, size, bold);
    if (!f)
        return estimate;
    if (len >= sizeof(small)) {
        heap = malloc(len + 1);
        if (!heap)
            return estimate;
        buf = heap;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (TTF_SizeUTF8(f, buf, &w, &h) < 0) {
        free(heap);
        return estimate;
    }
    free(heap);
    e->key = key;
    e->w = w;
    return w;
}

struct ui_measure display_measure(struct display *d)
{
    struct ui_measure m = {measure, d};
    return m;
}

static struct text_entry *text_get(struct display *d, const struct ui_cmd *c)
{
    uint64_t key = fnv(14695981039346656037ULL, c->text, strlen(c->text));
    struct text_entry *victim = NULL;
    SDL_Surface *s;
    TTF_Font *f;
    SDL_Color col = {c->color.r, c->color.g, c->color.b, 255};
    key = fnv(key, &c->size, sizeof(c->size));
    key = fnv(key, &col, sizeof(col));
    key ^= (uint64_t)c->bold << 63;
    if (!key)
        key = 1;
    /* Open addressing over a small window; evict the least recently used. */
    for (int i = 0; i < 16; i++) {
        struct text_entry *e = &d->text[(key + (uint64_t)i) % TEXT_CACHE];
        if (e->key == key && e->tex) {
            e->used = d->frame;
            return e;
        }
        if (!e->tex) {
            if (!victim || victim->tex)
                victim = e;
        } else if (!victim || (victim->tex && e->used < victim->used)) {
            victim = e;
        }
    }
    f = font_get(d, c->size, c->bold);
    if (!f)
        return NULL;
    s = TTF_RenderUTF8_Blended(f, c->text, col);
    if (!s)
        return NULL;
    if (victim->tex)
        SDL_DestroyTexture(victim->tex);
    victim->tex = SDL_CreateTextureFromSurface(d->ren, s);
    victim->w = s->w;
    victim->h = s->h;
    victim->key = key;
    victim->used = d->frame;
    SDL_FreeSurface(s);
    if (!victim->tex) {
        victim->key = 0;
        return NULL;
    }
    SDL_SetTextureBlendMode(victim->tex, SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(victim->tex, c->color.a);
    return victim;
}

static void draw_text(struct display *d, const struct ui_cmd *c)
{
    struct text_entry *e = text_get(d, c);
    SDL_Rect dst;
    int h;
    if (!e)
        return;
    h = e->h;
    dst.w = e->w;
    dst.h = e->h;
    dst.x = c->r.x;
    if ((c->align & 3) == UI_CENTER)
        dst.x = c->r.x + (c->r.w - e->w) / 2;
    else if ((c->align & 3) == UI_RIGHT)
        dst.x = c->r.x + c->r.w - e->w;
    dst.y = c->r.y;
    if (c->align & UI_MIDDLE)
        dst.y = c->r.y + (c->r.h - h) / 2;
    SDL_SetTextureAlphaMod(e->tex, c->color.a);
    SDL_RenderCopy(d->ren, e->tex, NULL, &dst);
}

/* ---- shapes -------------------------------------------------------------- */

/* White quarter-discs (or quarter-rings of width border) of radius r with
 * anti-aliased edges, one texture per corner and colour (flipping or colour
 * modulation at draw time is slow in the software renderer). */
static SDL_Texture **corner_get(struct display *d, int r, int border, struct ui_color col)
{
    Uint32 *px, rgb = (Uint32)col.r << 16 | (Uint32)col.g << 8 | col.b;
    Uint32 argb = rgb | (Uint32)col.a << 24;
    struct corner_slot *slot;
    for (int i = 0; i < d->ncorners; i++)
        if (d->corners[i].radius == r && d->corners[i].border == border &&
            d->corners[i].argb == argb) {
            d->corners[i].used = d->frame;
            return d->corners[i].tex;
        }
    px = malloc((size_t)r * (size_t)r * 4 * 4);
    if (!px)
        return NULL;
    if (d->ncorners == CORNER_SLOTS) {
        /* Evict the least recently used. */
        int lru = 0;
        for (int i = 1; i < d->ncorners; i++)
            if (d->corners[i].used < d->corners[lru].used)
                lru = i;
        for (int k = 0; k < 4; k++)
            if (d->corners[lru].tex[k])
                SDL_DestroyTexture(d->corners[lru].tex[k]);
        d->corners[lru] = d->corners[d->ncorners - 1];
        d->ncorners--;
    }
    slot = &d->corners[d->ncorners];
    memset(slot, 0, sizeof(*slot));
    for (int y = 0; y < r; y++) {
        for (int x = 0; x < r; x++) {
            /* Coverage by 4x4 supersampling, centre at the bottom-right corner. */
            int hits = 0;
            Uint32 v;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++) {
                    double fx = r - (x + (sx + 0.5) / 4), fy = r - (y + (sy + 0.5) / 4);
                    double dist = sqrt(fx * fx + fy * fy);
                    if (dist <= r && (border == 0 || dist >= r - border))
                        hits++;
                }
            v = ((Uint32)(hits * (int)col.a / 16) << 24) | rgb;
            px[0 * r * r + y * r + x] = v;                         /* top-left */
            px[1 * r * r + y * r + (r - 1 - x)] = v;               /* top-right */
            px[2 * r * r + (r - 1 - y) * r + x] = v;               /* bottom-left */
            px[3 * r * r + (r - 1 - y) * r + (r - 1 - x)] = v;     /* bottom-right */
        }
    }
    for (int k = 0; k < 4; k++) {
        slot->tex[k] = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888,
                                         SDL_TEXTUREACCESS_STATIC, r, r);
        if (slot->tex[k]) {
            SDL_UpdateTexture(slot->tex[k], NULL, px + (size_t)k * r * r, r * 4);
            SDL_SetTextureBlendMode(slot->tex[k], SDL_BLENDMODE_BLEND);
        }
    }
    free(px);
    slot->radius = r;
    slot->border = border;
    slot->argb = argb;
    slot->used = d->frame;
    d->ncorners++;
    return slot->tex;
}

/* Opaque fills skip the blending path of the software renderer, except for
 * tall narrow ones: SDL's plain fill pays per row (a 61x635 bar costs 0.43 ms
 * plain, 0.12 ms through the blender, with the same pixels as a result). */
static void fill(struct display *d, int x, int y, int w, int h, int opaque)
{
    SDL_Rect r = {x, y, w, h};
    if (w <= 0 || h <= 0)
        return;
    SDL_SetRenderDrawBlendMode(d->ren, opaque && w >= 128 ? SDL_BLENDMODE_NONE
                                                          : SDL_BLENDMODE_BLEND);
    SDL_RenderFillRect(d->ren, &r);
}

static void draw_rect(struct display *d, const struct ui_cmd *c)
{
    int x = c->r.x, y = c->r.y, w = c->r.w, h = c->r.h, r = c->radius, b = c->border;
    SDL_Texture **t;
    int op = c->color.a == 255;
    SDL_SetRenderDrawColor(d->ren, c->color.r, c->color.g, c->color.b, c->color.a);
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (r < 2) {
        if (b == 0) {
            fill(d, x, y, w, h, op);
        } else {
            fill(d, x, y, w, b, op);
            fill(d, x, y + h - b, w, b, op);
            fill(d, x, y + b, b, h - 2 * b, op);
            fill(d, x + w - b, y + b, b, h - 2 * b, op);
        }
        return;
    }
    if (b > r)
        b = r;
    t = corner_get(d, r, b, c->color);
    if (t) {
        SDL_Rect q[4] = {{x, y, r, r}, {x + w - r, y, r, r}, {x, y + h - r, r, r},
                         {x + w - r, y + h - r, r, r}};
        for (int i = 0; i < 4; i++) {
            if (t[i])
                SDL_RenderCopy(d->ren, t[i], NULL, &q[i]);
        }
    }
    if (b == 0) {
        fill(d, x + r, y, w - 2 * r, h, op);
        fill(d, x, y + r, r, h - 2 * r, op);
        fill(d, x + w - r, y + r, r, h - 2 * r, op);
    } else {
        fill(d, x + r, y, w - 2 * r, b, op);
        fill(d, x + r, y + h - b, w - 2 * r, b, op);
        fill(d, x, y + r, b, h - 2 * r, op);
        fill(d, x + w - b, y + r, b, h - 2 * r, op);
    }
}

static void draw_qr(struct display *d, const struct ui_cmd *c)
{
    int n = c->qr_width;
    uint64_t key = fnv(fnv(14695981039346656037ULL, c->qr, (size_t)n * (size_t)n), &n, sizeof(n));
    struct qr_slot *slot = NULL;
    SDL_Rect dst;
    int mod;
    for (int i = 0; i < QR_SLOTS; i++)
        if (d->qr[i].key == key && d->qr[i].tex)
            slot = &d->qr[i];
    if (!slot) {
        Uint32 *px = malloc((size_t)n * (size_t)n * 4);
        slot = &d->qr[0];
        for (int i = 1; i < QR_SLOTS; i++)
            if (!d->qr[i].tex || d->qr[i].used < slot->used)
                slot = &d->qr[i];
        if (!px)
            return;
        for (int i = 0; i < n * n; i++)
            px[i] = c->qr[i] ? 0xFF000000u : 0xFFFFFFFFu;
        if (slot->tex)
            SDL_DestroyTexture(slot->tex);
        slot->tex = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC,
                                      n, n);
        if (slot->tex) {
            SDL_UpdateTexture(slot->tex, NULL, px, n * 4);
            SDL_SetTextureScaleMode(slot->tex, SDL_ScaleModeNearest);
            SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_NONE);
        }
        free(px);
        slot->key = key;
    }
    slot->used = d->frame;
    if (!slot->tex)
        return;
    /* Whole pixels per module keep the code sharp and readable. */
    mod = (c->r.w < c->r.h ? c->r.w : c->r.h) / n;
    if (mod < 1)
        mod = 1;
    dst.w = dst.h = mod * n;
    dst.x = c->r.x + (c->r.w - dst.w) / 2;
    dst.y = c->r.y + (c->r.h - dst.h) / 2;
    SDL_RenderCopy(d->ren, slot->tex, NULL, &dst);
}

/* Convert the newest frame into a texture of exactly the preview size:
 * crop to fill, mirror (people expect a mirror), gray to ARGB. */
static void draw_preview(struct display *d, const struct ui_cmd *c)
{
    int w = c->r.w, h = c->r.h;
    SDL_Rect dst = {c->r.x, c->r.y, w, h};
    if (!d->pv_have || w <= 0 || h <= 0) {
        SDL_SetRenderDrawColor(d->ren, 0x16, 0x26, 0x36, 255);
        SDL_RenderFillRect(d->ren, &dst);
        return;
    }
    if (!d->pv_tex || d->pv_tex_w != w || d->pv_tex_h != h) {
        if (d->pv_tex)
            SDL_DestroyTexture(d->pv_tex);
        d->pv_tex = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888,
                                      SDL_TEXTUREACCESS_STREAMING, w, h);
        if (d->pv_tex)
            SDL_SetTextureBlendMode(d->pv_tex, SDL_BLENDMODE_NONE);
        d->pv_tex_w = w;
        d->pv_tex_h = h;
        d->pv_dirty = 1;
    }
    if (!d->pv_tex)
        return;
    if (d->pv_dirty) {
        void *pixels;
        int pitch;
        /* Source window with the destination's aspect ratio, centred. */
        double sx = (double)d->pv_w / w, sy = (double)d->pv_h / h;
        double s = sx < sy ? sx : sy;
        int cw = (int)(w * s), ch = (int)(h * s);
        int ox = (d->pv_w - cw) / 2, oy = (d->pv_h - ch) / 2;
        if (SDL_LockTexture(d->pv_tex, NULL, &pixels, &pitch) == 0) {
            int *xmap = malloc((size_t)w * sizeof(int));
            if (xmap) {
                for (int x = 0; x < w; x++)
                    xmap[x] = ox + (int)((double)(w - 1 - x) * s);
                for (int y = 0; y < h; y++) {
                    int row_y = oy + (int)(y * s);
                    const unsigned char *src;
                    if (row_y >= d->pv_h)
                        row_y = d->pv_h - 1;
                    src = d->pv_gray + (size_t)row_y * d->pv_w;
                    Uint32 *row = (Uint32 *)((char *)pixels + (size_t)y * pitch);
                    for (int x = 0; x < w; x++) {
                        Uint32 g = src[xmap[x]];
                        row[x] = 0xFF000000u | g << 16 | g << 8 | g;
                    }
                }
                free(xmap);
            }
            (void)cw;
            (void)ch;
            SDL_UnlockTexture(d->pv_tex);
        }
        d->pv_dirty = 0;
    }
    SDL_RenderCopy(d->ren, d->pv_tex, NULL, &dst);
}

void display_set_preview(struct display *d, const struct frame *f)
{
    size_t need;
    if (!f || !f->gray || f->width <= 0 || f->height <= 0)
        return;
    need = (size_t)f->width * (size_t)f->height;
    if (need > d->pv_cap) {
        unsigned char *p = realloc(d->pv_gray, need);
        if (!p)
            return;
        d->pv_gray = p;
        d->pv_cap = need;
    }
    for (int y = 0; y < f->height; y++)
        memcpy(d->pv_gray + (size_t)y * f->width, f->gray + (size_t)y * f->stride,
               (size_t)f->width);
    d->pv_w = f->width;
    d->pv_h = f->height;
    d->pv_seq = f->seq;
    d->pv_have = 1;
    d->pv_dirty = 1;
}

/* ---- frames -------------------------------------------------------------- */

static uint64_t list_hash(const struct ui *ui)
{
    uint64_t h = 14695981039346656037ULL;
    for (int i = 0; i < ui->ncmds; i++) {
        const struct ui_cmd *c = &ui->cmds[i];
        h = fnv(h, &c->type, sizeof(c->type));
        h = fnv(h, &c->r, sizeof(c->r));
        h = fnv(h, &c->color, sizeof(c->color));
        h = fnv(h, &c->radius, sizeof(c->radius));
        h = fnv(h, &c->border, sizeof(c->border));
        if (c->type == UI_CMD_TEXT)
            h = fnv(h, c->text, strlen(c->text));
        if (c->type == UI_CMD_QR)
            h = fnv(h, c->qr, (size_t)c->qr_width * (size_t)c->qr_width);
    }
    return h;
}

static void render(struct display *d, const struct ui *ui)
{
    d->frame++;
    if (d->target)
        SDL_SetRenderTarget(d->ren, d->target);
    SDL_SetRenderDrawBlendMode(d->ren, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
    SDL_RenderClear(d->ren);
    for (int i = 0; i < ui->ncmds; i++) {
        const struct ui_cmd *c = &ui->cmds[i];
        switch (c->type) {
        case UI_CMD_RECT: draw_rect(d, c); break;
        case UI_CMD_TEXT: draw_text(d, c); break;
        case UI_CMD_QR: draw_qr(d, c); break;
        case UI_CMD_PREVIEW: draw_preview(d, c); break;
        }
    }
}

static void present(struct display *d)
{
    if (d->target) {
        SDL_Rect dst = {(d->out_w - d->lw) / 2, (d->out_h - d->lh) / 2, d->lw, d->lh};
        SDL_SetRenderTarget(d->ren, NULL);
        SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
        SDL_RenderClear(d->ren);
        SDL_RenderCopyEx(d->ren, d->target, NULL, &dst, d->rotate, NULL, SDL_FLIP_NONE);
    }
    if (!d->headless)
        SDL_RenderPresent(d->ren);
}

int display_draw(struct display *d, const struct ui *ui, int force)
{
    uint64_t h = list_hash(ui);
    d->last_ui = ui;
    if (!force && d->drawn_once && h == d->last_hash && !d->pv_dirty)
        return 0;
    d->last_hash = h;
    d->drawn_once = 1;
    render(d, ui);
    present(d);
    return 1;
}

static int write_png(FILE *f, const Uint32 *px, unsigned char *rgb, int w, int h)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            Uint32 p = px[(size_t)y * w + x];
            rgb[3 * x] = (unsigned char)(p >> 16);
            rgb[3 * x + 1] = (unsigned char)(p >> 8);
            rgb[3 * x + 2] = (unsigned char)p;
        }
        png_write_row(png, rgb);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int display_screenshot(struct display *d, const char *path, struct err *err)
{
    int w = d->lw, h = d->lh, result = -1;
    unsigned char *rgb = NULL;
    Uint32 *px = NULL;
    FILE *f = NULL;

    if (d->last_ui) {
        render(d, d->last_ui);
        if (d->target)
            SDL_SetRenderTarget(d->ren, d->target);
    }
    px = malloc((size_t)w * (size_t)h * 4);
    rgb = malloc((size_t)w * 3);
    if (!px || !rgb) {
        err_set(err, "out of memory");
        goto out;
    }
    if (SDL_RenderReadPixels(d->ren, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4) < 0) {
        err_set(err, "cannot read the screen: %s", SDL_GetError());
        goto out;
    }
    if (d->last_ui)
        present(d);
    f = fopen(path, "wb");
    if (!f) {
        err_set(err, "%s: cannot create", path);
        goto out;
    }
    if (write_png(f, px, rgb, w, h) < 0) {
        err_set(err, "%s: PNG write failed", path);
        goto out;
    }
    result = 0;
out:
    if (f && fclose(f) != 0 && result == 0)
        result = err_set(err, "%s: write failed", path);
    free(px);
    free(rgb);
    return result;
}

/* ---- input --------------------------------------------------------------- */

/* Window pixel -> logical UI pixel, undoing HiDPI scale and rotation. */
static void to_logical(const struct display *d, float wx, float wy, int *lx, int *ly)
{
    int px = (int)(wx * d->scale_x), py = (int)(wy * d->scale_y);
    int ox = (d->out_w - d->lw) / 2, oy = (d->out_h - d->lh) / 2;
    switch (d->rotate) {
    case 90:
        *lx = py - (d->out_h - d->lw) / 2;
        *ly = d->lh - 1 - (px - (d->out_w - d->lh) / 2);
        break;
    case 180:
        *lx = d->lw - 1 - (px - ox);
        *ly = d->lh - 1 - (py - oy);
        break;
    case 270:
        *lx = d->lw - 1 - (py - (d->out_h - d->lw) / 2);
        *ly = px - (d->out_w - d->lh) / 2;
        break;
    default:
        *lx = px;
        *ly = py;
    }
}

static const char *key_name(SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return "enter";
    case SDLK_BACKSPACE: return "backspace";
    case SDLK_ESCAPE: return "escape";
    case SDLK_TAB: return "tab";
    case SDLK_UP: return "up";
    case SDLK_DOWN: return "down";
    case SDLK_LEFT: return "left";
    case SDLK_RIGHT: return "right";
    case SDLK_DELETE: return "delete";
    case SDLK_F1: return "f1";
    case SDLK_F4: return "f4";
    case SDLK_F12: return "f12";
    default: return NULL;
    }
}

int display_poll(struct display *d, struct event *ev, int64_t now_ms)
{
    SDL_Event e;
    memset(ev, 0, sizeof(*ev));
    ev->now_ms = now_ms;
    if (d->headless) {
        if (headless_quit) {
            headless_quit = 0;
            ev->type = EV_QUIT;
            return 1;
        }
        return 0;
    }
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_QUIT:
            ev->type = EV_QUIT;
            return 1;
        case SDL_WINDOWEVENT:
            /* Closing the window (Alt+F4 under a window manager) quits only a
             * development window; a kiosk stays up. */
            if (e.window.event == SDL_WINDOWEVENT_CLOSE && d->windowed) {
                ev->type = EV_QUIT;
                return 1;
            }
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && !d->target) {
                SDL_GetRendererOutputSize(d->ren, &d->out_w, &d->out_h);
                d->lw = d->out_w;
                d->lh = d->out_h;
                {
                    int ww, wh;
                    SDL_GetWindowSize(d->win, &ww, &wh);
                    d->scale_x = ww ? (float)d->out_w / ww : 1;
                    d->scale_y = wh ? (float)d->out_h / wh : 1;
                }
                d->drawn_once = 0;
            }
            if (e.window.event == SDL_WINDOWEVENT_EXPOSED)
                d->drawn_once = 0;
            continue;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            /* One pointer stream: drop mouse events SDL made from touches. */
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT ||
                d->finger_down)
                continue;
            ev->type = e.type == SDL_MOUSEBUTTONDOWN ? EV_TOUCH_DOWN : EV_TOUCH_UP;
            d->mouse_down = e.type == SDL_MOUSEBUTTONDOWN;
            to_logical(d, (float)e.button.x, (float)e.button.y, &ev->u.touch.x, &ev->u.touch.y);
            return 1;
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID || !d->mouse_down)
                continue;
            ev->type = EV_TOUCH_MOVE;
            to_logical(d, (float)e.motion.x, (float)e.motion.y, &ev->u.touch.x, &ev->u.touch.y);
            return 1;
        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
        case SDL_FINGERMOTION: {
            int ww = 0, wh = 0;
            if (d->mouse_down)
                continue;
            if (e.type == SDL_FINGERDOWN) {
                if (d->finger_down)
                    continue; /* second finger: ignored */
                d->finger_down = 1;
                d->finger = e.tfinger.fingerId;
                ev->type = EV_TOUCH_DOWN;
            } else {
                if (!d->finger_down || e.tfinger.fingerId != d->finger)
                    continue;
                ev->type = e.type == SDL_FINGERUP ? EV_TOUCH_UP : EV_TOUCH_MOVE;
                if (e.type == SDL_FINGERUP)
                    d->finger_down = 0;
            }
            SDL_GetWindowSize(d->win, &ww, &wh);
            to_logical(d, e.tfinger.x * (float)ww, e.tfinger.y * (float)wh, &ev->u.touch.x,
                       &ev->u.touch.y);
            return 1;
        }
        case SDL_TEXTINPUT:
            ev->type = EV_TEXT;
            snprintf(ev->u.text.text, sizeof(ev->u.text.text), "%s", e.text.text);
            return 1;
        case SDL_KEYDOWN: {
            const char *n = key_name(e.key.keysym.sym);
            if (!n)
                continue;
            ev->type = EV_KEY;
            snprintf(ev->u.key.name, sizeof(ev->u.key.name), "%s", n);
            ev->u.key.mods = ((e.key.keysym.mod & KMOD_SHIFT) ? EVENT_MOD_SHIFT : 0) |
                             ((e.key.keysym.mod & KMOD_CTRL) ? EVENT_MOD_CTRL : 0) |
                             ((e.key.keysym.mod & KMOD_ALT) ? EVENT_MOD_ALT : 0);
            return 1;
        }
        default:
            continue;
        }
    }
    return 0;
}

/* ---- sound --------------------------------------------------------------- */

/* Is there anything to play sound on? A sound server's socket or an ALSA
 * playback device. Asked first because SDL's ALSA probe on a machine with
 * no sound card makes libasound print a screenful of errors on stderr. An
 * explicit SDL_AUDIODRIVER is trusted. */
static int audio_present(void)
{
    const char *rt = getenv("XDG_RUNTIME_DIR");
    const char *drv = getenv("SDL_AUDIODRIVER");
    glob_t g;
    int found;
    if (drv && drv[0])
        return 1;
    if (rt && rt[0]) {
        static const char *const sockets[] = {"pulse/native", "pipewire-0"};
        for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++) {
            char path[1100];
            struct stat st;
            snprintf(path, sizeof(path), "%.1000s/%s", rt, sockets[i]);
            if (stat(path, &st) == 0)
                return 1;
        }
    }
    found = glob("/dev/snd/pcmC*D*p", GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    return found;
}

static void sound_open(struct display *d)
{
    SDL_AudioSpec want, have;
    const int rate = 48000, n = rate * 180 / 1000;
    if (!audio_present()) {
        snprintf(d->sound_off, sizeof(d->sound_off), "no audio device");
        return;
    }
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        snprintf(d->sound_off, sizeof(d->sound_off), "%s", SDL_GetError());
        return;
    }
    memset(&want, 0, sizeof(want));
    want.freq = rate;
    want.format = AUDIO_F32SYS;
    want.channels = 1;
    want.samples = 512;
    d->audio = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!d->audio) {
        snprintf(d->sound_off, sizeof(d->sound_off), "%s", SDL_GetError());
        return;
    }
    d->tone = malloc((size_t)n * sizeof(float));
    if (!d->tone) {
        SDL_CloseAudioDevice(d->audio);
        d->audio = 0;
        return;
    }
    /* Two rising tones (E6 then A6) with a soft envelope: friendly, not alarming. */
    for (int i = 0; i < n; i++) {
        double t = (double)i / rate, f = i < n / 2 ? 1318.5 : 1760.0;
        int j = i % (n / 2);
        double env = j < 240 ? j / 240.0 : (double)(n / 2 - j) / (n / 2 - 240);
        d->tone[i] = (float)(0.25 * env * sin(2 * M_PI * f * t));
    }
    d->tone_bytes = (Uint32)((size_t)n * sizeof(float));
    SDL_PauseAudioDevice(d->audio, 0);
}

const char *display_sound_off(const struct display *d)
{
    return d->sound_off[0] ? d->sound_off : NULL;
}

void display_beep(struct display *d)
{
    if (!d->audio || !d->tone)
        return;
    if (SDL_GetQueuedAudioSize(d->audio) > d->tone_bytes)
        return; /* do not pile beeps up */
    SDL_QueueAudio(d->audio, d->tone, d->tone_bytes);
}

/* ---- lifecycle ----------------------------------------------------------- */

int display_open(struct display **out, const struct display_params *p, struct err *err)
{
    struct display *d;
    *out = NULL;
    if (p->rotate != 0 && p->rotate != 90 && p->rotate != 180 && p->rotate != 270)
        return err_set(err, "display.rotate must be 0, 90, 180 or 270");
    d = calloc(1, sizeof(*d));
    if (!d)
        return err_set(err, "out of memory");
    d->headless = p->headless;
    d->windowed = p->windowed;
    d->rotate = p->rotate;
    d->scale_x = d->scale_y = 1;
    snprintf(d->font_path[0], sizeof(d->font_path[0]), "%s", p->font);
    snprintf(d->font_path[1], sizeof(d->font_path[1]), "%s", p->font_bold ? p->font_bold : p->font);
    if (TTF_Init() < 0) {
        err_set(err, "font engine: %s", TTF_GetError());
        goto fail;
    }
    {
        TTF_Font *probe = TTF_OpenFont(d->font_path[0], 12);
        if (!probe) {
            err_set(err, "font %s: %s", d->font_path[0], TTF_GetError());
            goto fail;
        }
        TTF_CloseFont(probe);
    }
    if (p->headless) {
        struct sigaction sa;
        d->surface = SDL_CreateRGBSurfaceWithFormat(0, p->w, p->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!d->surface) {
            err_set(err, "offscreen surface %dx%d: %s", p->w, p->h, SDL_GetError());
            goto fail;
        }
        d->ren = SDL_CreateSoftwareRenderer(d->surface);
        if (!d->ren) {
            err_set(err, "offscreen renderer: %s", SDL_GetError());
            goto fail;
        }
        d->out_w = p->w;
        d->out_h = p->h;
        snprintf(d->driver, sizeof(d->driver), "headless");
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
    } else {
        Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
        int ww, wh;
        /* One pointer stream: no mouse events from touches, no touches from the mouse. */
        SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
        SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
        /* Closing the last window must not quit a kiosk (we decide). */
        SDL_SetHint("SDL_QUIT_ON_LAST_WINDOW_CLOSE", "0");
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
        if (!p->windowed)
            SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1"); /* Alt+Tab stays with us */
        if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0) {
            err_set(err, "no display: %s (on a kiosk without X or Wayland, set "
                         "SDL_VIDEODRIVER=kmsdrm; or use --headless)", SDL_GetError());
            goto fail;
        }
        snprintf(d->driver, sizeof(d->driver), "%s",
                 SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?");
        if (!p->windowed)
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        d->win = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                  p->windowed ? p->w : 1280, p->windowed ? p->h : 800, flags);
        if (!d->win) {
            err_set(err, "cannot open a window (%s): %s", d->driver, SDL_GetError());
            goto fail;
        }
        d->ren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE);
        if (!d->ren)
            d->ren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_SOFTWARE);
        if (!d->ren) {
            err_set(err, "no renderer: %s", SDL_GetError());
            goto fail;
        }
        SDL_GetRendererOutputSize(d->ren, &d->out_w, &d->out_h);
        SDL_GetWindowSize(d->win, &ww, &wh);
        d->scale_x = ww ? (float)d->out_w / ww : 1;
        d->scale_y = wh ? (float)d->out_h / wh : 1;
        if (!p->windowed)
            SDL_ShowCursor(SDL_DISABLE);
        SDL_StartTextInput();
    }
    d->lw = d->out_w;
    d->lh = d->out_h;
    if (d->rotate == 90 || d->rotate == 270) {
        d->lw = d->out_h;
        d->lh = d->out_w;
    }
    if (d->rotate) {
        d->target = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                      d->lw, d->lh);
        if (!d->target) {
            err_set(err, "rotation needs render targets: %s", SDL_GetError());
            goto fail;
        }
    }
    if (!p->sound)
        snprintf(d->sound_off, sizeof(d->sound_off), "ui.sound is off");
    else if (p->headless)
        snprintf(d->sound_off, sizeof(d->sound_off), "headless");
    else
        sound_open(d);
    *out = d;
    return 0;
fail:
    display_close(d);
    return -1;
}

void display_close(struct display *d)
{
    if (!d)
        return;
    if (d->audio)
        SDL_CloseAudioDevice(d->audio);
    free(d->tone);
    for (int i = 0; i < TEXT_CACHE; i++)
        if (d->text[i].tex)
            SDL_DestroyTexture(d->text[i].tex);
    for (int i = 0; i < d->ncorners; i++)
        for (int k = 0; k < 4; k++)
            if (d->corners[i].tex[k])
                SDL_DestroyTexture(d->corners[i].tex[k]);
    for (int i = 0; i < QR_SLOTS; i++)
        if (d->qr[i].tex)
            SDL_DestroyTexture(d->qr[i].tex);
    if (d->pv_tex)
        SDL_DestroyTexture(d->pv_tex);
    if (d->target)
        SDL_DestroyTexture(d->target);
    for (int i = 0; i < d->nfonts; i++)
        TTF_CloseFont(d->fonts[i].font);
    if (d->ren)
        SDL_DestroyRenderer(d->ren);
    if (d->surface)
        SDL_FreeSurface(d->surface);
    if (d->win)
        SDL_DestroyWindow(d->win);
    if (TTF_WasInit())
        TTF_Quit();
    if (!d->headless)
        SDL_Quit();
    free(d->pv_gray);
    free(d);
}

void display_size(const struct display *d, int *w, int *h)
{
    *w = d->lw;
    *h = d->lh;
}

const char *display_driver(const struct display *d)
{
    return d->driver;
}
