/*
 * ui.c - the immediate-mode widget layer: pointer state in, draw commands out.
 *
 * Owns: one frame's command list and text arena, the widget id table used by
 * scripts, and the press/release rule (fire on release inside the widget the
 * press started on). Never draws a pixel, never reads a clock, never
 * allocates: everything lives in struct ui, bounded by UI_*_MAX; overflowing
 * a bound drops the command and sets ui->overflow instead of corrupting.
 * Start at ui_button().
 */
#include "ui.h"

#include <string.h>

struct ui_color ui_rgba(unsigned hex, unsigned char a)
{
    struct ui_color c = {(unsigned char)(hex >> 16), (unsigned char)(hex >> 8),
                         (unsigned char)hex, a};
    return c;
}

static int estimate_width(void *ctx, int size, int bold, const char *s, size_t len)
{
    int n = 0;
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n * size * (bold ? 60 : 56) / 100;
}

void ui_resize(struct ui *ui, int w, int h)
{
    int m = w < h ? w : h;
    ui->w = w;
    ui->h = h;
    ui->unit = m / 100 > 0 ? m / 100 : 1;
    /* 9 mm at ~150 dpi (typical 10-22" kiosk panels) is 53 px; never less
     * than 7% of the short side so small windows stay usable. */
    ui->target = m * 7 / 100 > 53 ? m * 7 / 100 : 53;
}

void ui_init(struct ui *ui, int w, int h, const struct ui_measure *m)
{
    memset(ui, 0, sizeof(*ui));
    ui->text_scale = 100;
    if (m && m->text_width)
        ui->measure = *m;
    else
        ui->measure.text_width = estimate_width;
    ui_resize(ui, w, h);
}

void ui_input_down(struct ui *ui, int x, int y)
{
    ui->px = x;
    ui->py = y;
    ui->down = 1;
    ui->pressed = 1;
    ui->active[0] = '\0';
}

void ui_input_move(struct ui *ui, int x, int y)
{
    ui->px = x;
    ui->py = y;
}

void ui_input_up(struct ui *ui, int x, int y)
{
    ui->px = x;
    ui->py = y;
    ui->down = 0;
    ui->released = 1;
}

void ui_input_cancel(struct ui *ui)
{
    ui->active[0] = '\0';
    ui->pressed = ui->released = 0;
}

void ui_begin(struct ui *ui)
{
    ui->ncmds = 0;
    ui->text_used = 0;
    ui->nwidgets = 0;
    ui->overflow = 0;
    ui->fired = 0;
}

void ui_end(struct ui *ui)
{
    ui->pressed = 0;
    if (ui->released) {
        ui->released = 0;
        ui->active[0] = '\0';
    }
}

/* The smallest pixel size a font of `tenths` may have: on a small panel
 * (the 7" 800x480 one is ~130 dpi, unit 4) a tenth of the unit is no longer
 * readable, so small text stops at 12-13 px and body text at 15 px; larger
 * sizes grow more slowly so headings still fit layouts sized in units.
 * Screens with a short side of 600 px or more are above the floor. */
static int font_floor(int tenths)
{
    return tenths <= 30 ? tenths / 2 + 2 : 17 + (tenths - 30) / 4;
}

int ui_font(const struct ui *ui, int tenths)
{
    int px = ui->unit * tenths * ui->text_scale / 1000;
    int least = font_floor(tenths) * ui->text_scale / 100;
    return px < least ? least : px;
}

int ui_text_width(const struct ui *ui, int size, int bold, const char *s)
{
    return ui->measure.text_width(ui->measure.ctx, size, bold, s, strlen(s));
}

static struct ui_cmd *push(struct ui *ui, enum ui_cmd_type t, struct ui_rect r)
{
    struct ui_cmd *c;
    if (ui->ncmds >= UI_CMDS_MAX) {
        ui->overflow = 1;
        return NULL;
    }
    c = &ui->cmds[ui->ncmds++];
    memset(c, 0, sizeof(*c));
    c->type = t;
    c->r = r;
    return c;
}

static const char *keep_text(struct ui *ui, const char *s, size_t len)
{
    char *p;
    if (ui->text_used + len + 1 > UI_TEXT_MAX) {
        ui->overflow = 1;
        return NULL;
    }
    p = ui->text + ui->text_used;
    memcpy(p, s, len);
    p[len] = '\0';
    ui->text_used += len + 1;
    return p;
}

void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color col, int radius)
{
    struct ui_cmd *c;
    if (r.w <= 0 || r.h <= 0 || col.a == 0)
        return;
    c = push(ui, UI_CMD_RECT, r);
    if (!c)
        return;
    c->color = col;
    c->radius = radius;
}

void ui_outline(struct ui *ui, struct ui_rect r, struct ui_color col, int radius, int width)
{
    struct ui_cmd *c;
    if (r.w <= 0 || r.h <= 0 || width <= 0)
        return;
    c = push(ui, UI_CMD_RECT, r);
    if (!c)
        return;
    c->color = col;
    c->radius = radius;
    c->border = width;
}

void ui_card(struct ui *ui, struct ui_rect r, struct ui_color col, int radius)
{
    /* The shadow only shows below the card: draw just that strip (large
     * translucent fills are the most expensive thing a software renderer does). */
    int d = ui->unit / 2 > 0 ? ui->unit / 2 : 1;
    int band = radius + d * 2 < r.h ? radius + d * 2 : r.h;
    struct ui_rect s = {r.x - d / 2, r.y + r.h - band + d, r.w + d, band};
    ui_fill(ui, s, ui->theme.shadow, radius + d / 2);
    ui_fill(ui, r, col, radius);
}

static void text_cmd(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color col,
                     int align, const char *s, size_t len)
{
    const char *t = keep_text(ui, s, len);
    struct ui_cmd *c;
    if (!t)
        return;
    c = push(ui, UI_CMD_TEXT, r);
    if (!c)
        return;
    c->color = col;
    c->size = size;
    c->bold = bold;
    c->align = align;
    c->text = t;
}

static int is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Longest prefix of s (at a character boundary) whose width fits w. Binary
 * search, so a paragraph costs O(lines * log(length)) measurements. */
static size_t fit_prefix(const struct ui *ui, int size, int bold, const char *s, size_t len,
                         int w)
{
    size_t lo = 0, hi = len;
    if (ui->measure.text_width(ui->measure.ctx, size, bold, s, len) <= w)
        return len;
    /* Invariant: the prefix of lo bytes fits, the prefix of hi bytes does not. */
    for (;;) {
        size_t mid = (lo + hi) / 2;
        while (mid < hi && is_cont(s[mid]))
            mid++;
        if (mid <= lo) {
            mid = lo + 1;
            while (mid < len && is_cont(s[mid]))
                mid++;
        }
        if (mid >= hi)
            break;
        if (ui->measure.text_width(ui->measure.ctx, size, bold, s, mid) <= w)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void label_n(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color col,
                    int align, const char *s, size_t len, int force_ellipsis)
{
    static const char ell[] = "\xE2\x80\xA6"; /* U+2026 */
    char buf[1024];
    int w = ui->measure.text_width(ui->measure.ctx, size, bold, s, len);
    size_t keep;
    if (w <= r.w && !force_ellipsis) {
        text_cmd(ui, r, size, bold, col, align, s, len);
        return;
    }
    keep = fit_prefix(ui, size, bold, s, len,
                      r.w - ui->measure.text_width(ui->measure.ctx, size, bold, ell, 3));
    if (keep > sizeof(buf) - 4) {
        keep = sizeof(buf) - 4;
        while (keep > 0 && is_cont(s[keep]))
            keep--; /* never cut a character in two */
    }
    while (keep > 0 && s[keep - 1] == ' ')
        keep--;
    memcpy(buf, s, keep);
    memcpy(buf + keep, ell, 3);
    text_cmd(ui, r, size, bold, col, align, buf, keep + 3);
}

void ui_label(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color col, int align,
              const char *s)
{
    if (!s || !s[0])
        return;
    label_n(ui, r, size, bold, col, align, s, strlen(s), 0);
}

void ui_label_fit(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color c,
                  int align, const char *s)
{
    int min = size * 3 / 4;
    /* Never below the smallest readable size (12 px) to avoid an ellipsis. */
    if (min < UI_TEXT_MIN_PX)
        min = size < UI_TEXT_MIN_PX ? size : UI_TEXT_MIN_PX;
    if (!s || !s[0])
        return;
    /* Shrink in small steps before giving up to an ellipsis. */
    while (size > min && ui_text_width(ui, size, bold, s) > r.w)
        size -= size / 16 > 0 ? size / 16 : 1;
    ui_label(ui, r, size, bold, c, align, s);
}

/* Walk the wrapped lines of s in width w; calls emit(line) for each and
 * returns the number of lines. emit may be NULL (measuring only). */
static int wrap(const struct ui *ui, int w, int size, int bold, const char *s,
                void (*emit)(void *ctx, const char *line, size_t len, int last), void *ctx,
                int max_lines)
{
    int lines = 0;
    size_t n = strlen(s);
    size_t start = 0;
    while (start < n) {
        size_t nl = start, end, cut;
        while (nl < n && s[nl] != '\n')
            nl++;
        end = start + fit_prefix(ui, size, bold, s + start, nl - start, w);
        cut = end;
        if (end < nl) {
            /* Break at the last space that fits, else mid-word. */
            size_t sp = end;
            while (sp > start && s[sp] != ' ')
                sp--;
            if (sp > start)
                cut = sp;
            if (cut == start) {
                cut = start + 1;
                while (cut < nl && is_cont(s[cut]))
                    cut++;
            }
        }
        lines++;
        if (emit)
            emit(ctx, s + start, cut - start, max_lines > 0 && lines == max_lines && cut < n);
        if (max_lines > 0 && lines == max_lines)
            break;
        start = cut;
        while (start < n && s[start] == ' ')
            start++;
        if (start < n && s[start] == '\n' && cut == nl)
            start++;
    }
    return lines;
}

struct para {
    struct ui *ui;
    struct ui_rect r;
    int size, bold, align, line_h, y;
    struct ui_color col;
};

static void para_emit(void *ctx, const char *line, size_t len, int last)
{
    struct para *p = ctx;
    struct ui_rect r = {p->r.x, p->y, p->r.w, p->line_h};
    label_n(p->ui, r, p->size, p->bold, p->col, p->align, line, len, last);
    p->y += p->line_h;
}

int ui_paragraph(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color col,
                 int align, const char *s)
{
    struct para p = {ui, r, size, bold, align & ~UI_MIDDLE, size * 13 / 10, r.y, col};
    int max_lines = r.h / p.line_h;
    if (!s || !s[0] || max_lines < 1)
        return 0;
    wrap(ui, r.w, size, bold, s, para_emit, &p, max_lines);
    return p.y - r.y;
}

int ui_paragraph_height(const struct ui *ui, int w, int size, int bold, const char *s)
{
    if (!s || !s[0])
        return 0;
    return wrap(ui, w, size, bold, s, NULL, NULL, 0) * (size * 13 / 10);
}

void ui_qr(struct ui *ui, struct ui_rect r, const unsigned char *modules, int width)
{
    struct ui_cmd *c;
    if (!modules || width <= 0)
        return;
    c = push(ui, UI_CMD_QR, r);
    if (!c)
        return;
    c->qr = modules;
    c->qr_width = width;
}

void ui_preview(struct ui *ui, struct ui_rect r)
{
    push(ui, UI_CMD_PREVIEW, r);
}

static int same_id(const char *a, const char *b)
{
    return a[0] && strcmp(a, b) == 0;
}

int ui_hit(struct ui *ui, const char *id, struct ui_rect r, int enabled)
{
    int fire = 0;
    if (ui->nwidgets < UI_WIDGETS_MAX) {
        struct ui_widget *w = &ui->widgets[ui->nwidgets++];
        size_t n = strlen(id);
        if (n >= UI_ID_MAX)
            n = UI_ID_MAX - 1;
        memcpy(w->id, id, n);
        w->id[n] = '\0';
        w->r = r;
        w->enabled = enabled;
    } else {
        ui->overflow = 1;
    }
    if (!enabled)
        return 0;
    if (ui->pressed && ui_contains(r, ui->px, ui->py)) {
        size_t n = strlen(id);
        if (n >= UI_ID_MAX)
            n = UI_ID_MAX - 1;
        memcpy(ui->active, id, n);
        ui->active[n] = '\0';
    }
    /* One widget fires per release: overlapping widgets (a chip on a card)
     * cannot both react. */
    if (ui->released && !ui->fired && same_id(ui->active, id) && ui_contains(r, ui->px, ui->py)) {
        fire = 1;
        ui->fired = 1;
    }
    return fire;
}

int ui_held(const struct ui *ui, const char *id, struct ui_rect r)
{
    return ui->down && strncmp(ui->active, id, UI_ID_MAX - 1) == 0 && ui->active[0] &&
           ui_contains(r, ui->px, ui->py);
}

/* Width of the widest word of s (a line break never goes inside one). */
static int widest_word(const struct ui *ui, int size, int bold, const char *s)
{
    int most = 0;
    while (*s) {
        size_t n = 0;
        int w;
        while (*s == ' ')
            s++;
        while (s[n] && s[n] != ' ')
            n++;
        w = ui->measure.text_width(ui->measure.ctx, size, bold, s, n);
        if (w > most)
            most = w;
        s += n;
    }
    return most;
}

void ui_label_wrap(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color c,
                   int align, const char *s)
{
    int min = size * 3 / 4;
    align &= ~UI_MIDDLE;
    if (!s || !s[0])
        return;
    if (min < UI_TEXT_MIN_PX)
        min = size < UI_TEXT_MIN_PX ? size : UI_TEXT_MIN_PX;
    for (int sz = size; sz >= min; sz -= sz / 16 > 0 ? sz / 16 : 1) {
        int lh = sz * 115 / 100;
        if (ui_text_width(ui, sz, bold, s) <= r.w) {
            ui_label(ui, r, sz, bold, c, align | UI_MIDDLE, s);
            return;
        }
        if (lh * 2 <= r.h && widest_word(ui, sz, bold, s) <= r.w &&
            wrap(ui, r.w, sz, bold, s, NULL, NULL, 0) == 2) {
            struct para p = {ui, r, sz, bold, align, lh, r.y + (r.h - lh * 2) / 2, c};
            wrap(ui, r.w, sz, bold, s, para_emit, &p, 2);
            return;
        }
    }
    ui_label(ui, r, min, bold, c, align | UI_MIDDLE, s);
}

int ui_button(struct ui *ui, const char *id, struct ui_rect r, const char *label,
              enum ui_style style, int enabled)
{
    const struct ui_theme *t = &ui->theme;
    int fire = ui_hit(ui, id, r, enabled);
    int held = ui_held(ui, id, r);
    int radius = r.h / 2 < ui->unit * 2 ? r.h / 2 : ui->unit * 2;
    struct ui_color bg = t->primary, fg = t->on_primary;
    int size = ui_font(ui, 30);
    if (r.h < ui->target)
        size = ui_font(ui, 24);

    switch (style) {
    case UI_PRIMARY:
        break;
    case UI_DANGER:
        bg = t->danger;
        break;
    case UI_SECONDARY:
        bg = t->surface;
        fg = t->primary;
        break;
    case UI_QUIET:
        bg = t->surface2;
        fg = t->text;
        break;
    case UI_CHIP_ON:
        radius = r.h / 2;
        break;
    case UI_CHIP_OFF:
        radius = r.h / 2;
        bg = t->surface;
        fg = t->text;
        size = ui_font(ui, 26);
        break;
    }
    if (style == UI_CHIP_ON)
        size = ui_font(ui, 26);
    if (!enabled) {
        bg = t->surface2;
        fg = t->muted;
    }
    if (held) {
        /* Pressed look: darken by a third. */
        bg.r = (unsigned char)(bg.r * 2 / 3);
        bg.g = (unsigned char)(bg.g * 2 / 3);
        bg.b = (unsigned char)(bg.b * 2 / 3);
        if (style == UI_SECONDARY || style == UI_CHIP_OFF || style == UI_QUIET)
            bg = t->primary_soft;
    }
    ui_fill(ui, r, bg, radius);
    if ((style == UI_SECONDARY || style == UI_CHIP_OFF) && enabled)
        ui_outline(ui, r, style == UI_SECONDARY ? t->primary : t->border, radius,
                   ui->unit / 4 > 1 ? ui->unit / 4 : 2);
    if (label && label[0]) {
        struct ui_rect lr = ui_inset(r, ui->unit);
        ui_label_wrap(ui, lr, size, style != UI_CHIP_OFF, fg, UI_CENTER, label);
    }
    return fire;
}

int ui_find(const struct ui *ui, const char *id, struct ui_rect *out)
{
    /* Last registration wins: overlays are declared after what they cover. */
    for (int i = ui->nwidgets - 1; i >= 0; i--) {
        if (strcmp(ui->widgets[i].id, id) == 0) {
            if (out)
                *out = ui->widgets[i].r;
            return 0;
        }
    }
    return -1;
}

struct ui_rect ui_cut_top(struct ui_rect *r, int h)
{
    struct ui_rect s = *r;
    if (h > r->h)
        h = r->h;
    s.h = h;
    r->y += h;
    r->h -= h;
    return s;
}

struct ui_rect ui_cut_bottom(struct ui_rect *r, int h)
{
    struct ui_rect s = *r;
    if (h > r->h)
        h = r->h;
    s.y = r->y + r->h - h;
    s.h = h;
    r->h -= h;
    return s;
}

struct ui_rect ui_cut_left(struct ui_rect *r, int w)
{
    struct ui_rect s = *r;
    if (w > r->w)
        w = r->w;
    s.w = w;
    r->x += w;
    r->w -= w;
    return s;
}

struct ui_rect ui_cut_right(struct ui_rect *r, int w)
{
    struct ui_rect s = *r;
    if (w > r->w)
        w = r->w;
    s.x = r->x + r->w - w;
    s.w = w;
    r->w -= w;
    return s;
}

struct ui_rect ui_inset(struct ui_rect r, int d)
{
    r.x += d;
    r.y += d;
    r.w -= 2 * d;
    r.h -= 2 * d;
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}

int ui_contains(struct ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
