/*
 * ui.h - a small immediate-mode UI sized for fingers (in the manner of
 * microui): the app declares its widgets every frame; out comes a list of
 * draw commands (rectangles, single-line text, QR codes, the camera preview)
 * that a renderer in kiosk/dev/ draws. No SDL here: the UI can be driven and
 * checked with no screen at all.
 *
 * Input is one pointer (finger or mouse: one stream). A button fires when the
 * pointer is released inside the same button it went down on; there is no
 * hover. Every interactive widget has a stable string id (documented in
 * app.h) so event scripts can say `tap save` instead of coordinates; the ids
 * and rectangles of the last frame are kept for that lookup.
 *
 * Sizes: ui->unit is 1/100 of the shorter screen side; every size in the app
 * is a multiple of it, so layouts scale to any resolution and to portrait.
 * ui->target is the smallest touch target (>= ~9 mm on a 10-24" panel).
 */
#ifndef KIOSK_UI_H
#define KIOSK_UI_H

#include <stddef.h>

#define UI_CMDS_MAX 3072
#define UI_TEXT_MAX (192 * 1024)
#define UI_WIDGETS_MAX 384
#define UI_ID_MAX 32
#define UI_TEXT_MIN_PX 12 /* ui_label_fit shrinks no further: readable at ~130 dpi */

struct ui_color {
    unsigned char r, g, b, a;
};

struct ui_rect {
    int x, y, w, h;
};

enum ui_cmd_type {
    UI_CMD_RECT,    /* filled or outlined rounded rectangle */
    UI_CMD_TEXT,    /* one line of UTF-8 text */
    UI_CMD_QR,      /* a square module matrix, 1 byte per module, nonzero = dark */
    UI_CMD_PREVIEW  /* the live camera image, cropped to fill r */
};

/* Text flags. */
#define UI_LEFT 0
#define UI_CENTER 1
#define UI_RIGHT 2
#define UI_MIDDLE 4 /* centre vertically in r */

struct ui_cmd {
    enum ui_cmd_type type;
    struct ui_rect r;
    struct ui_color color;
    int radius;       /* RECT: corner radius in pixels (r.h/2 = pill or circle) */
    int border;       /* RECT: 0 filled, >0 outline width in pixels */
    int size;         /* TEXT: font size in pixels */
    int bold;         /* TEXT */
    int align;        /* TEXT: UI_LEFT|UI_CENTER|UI_RIGHT, | UI_MIDDLE */
    const char *text; /* TEXT: NUL-terminated, inside the ui's arena */
    const unsigned char *qr; /* QR: borrowed from the app until the next frame */
    int qr_width;            /* QR: modules per side */
};

/* The renderer's text measurer: width in pixels of len bytes of s. */
struct ui_measure {
    int (*text_width)(void *ctx, int size, int bold, const char *s, size_t len);
    void *ctx;
};

struct ui_widget {
    char id[UI_ID_MAX];
    struct ui_rect r;
    int enabled;
};

/* Colours of one theme; the app has a normal and a high-contrast one. */
struct ui_theme {
    struct ui_color bg, surface, surface2, text, muted, primary, on_primary, primary_soft,
        accent, danger, ok, border, bar, on_bar, shadow;
};

enum ui_style {
    UI_PRIMARY,   /* filled primary colour: the one main action of a screen */
    UI_SECONDARY, /* outlined */
    UI_QUIET,     /* text only on a soft background */
    UI_DANGER,
    UI_CHIP_ON,   /* a selected toggle chip */
    UI_CHIP_OFF
};

struct ui {
    int w, h;      /* logical screen in pixels */
    int unit;      /* 1/100 of min(w, h), at least 1 */
    int target;    /* minimum touch target side in pixels */
    int text_scale; /* percent: 100 normal, 125 large text */
    struct ui_theme theme;
    struct ui_measure measure;

    /* Pointer state for the current pass (set by ui_input_*, edges cleared
     * by ui_end). */
    int px, py, down, pressed, released;
    char active[UI_ID_MAX]; /* widget the pointer went down on */
    int fired;              /* a widget fired during this pass */

    struct ui_cmd cmds[UI_CMDS_MAX];
    int ncmds;
    char text[UI_TEXT_MAX];
    size_t text_used;
    struct ui_widget widgets[UI_WIDGETS_MAX];
    int nwidgets;
    int overflow; /* commands or text dropped this frame (a layout bug, logged by the app) */
};

/* Set size and measurer; keeps no pointer to m beyond its function/ctx. A NULL
 * m->text_width uses an estimate (0.56 em per character), for tests. */
void ui_init(struct ui *ui, int w, int h, const struct ui_measure *m);
void ui_resize(struct ui *ui, int w, int h);

/* Pointer input for the next pass. */
void ui_input_down(struct ui *ui, int x, int y);
void ui_input_move(struct ui *ui, int x, int y);
void ui_input_up(struct ui *ui, int x, int y);
/* Forget a press in progress (screen changed under the finger). */
void ui_input_cancel(struct ui *ui);

/* Start a frame (clears commands and widgets) and end it (clears edges). */
void ui_begin(struct ui *ui);
void ui_end(struct ui *ui);

/* Scaled font size in pixels for a size given in tenths of a unit (honours
 * text_scale), never below a floor readable on a small panel (12-13 px for
 * 20-22, 15 px for 26: see font_floor in ui.c). */
int ui_font(const struct ui *ui, int tenths_of_unit);
int ui_text_width(const struct ui *ui, int size, int bold, const char *s);

/* Drawing. Text is copied into the frame's arena. */
void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c, int radius);
void ui_outline(struct ui *ui, struct ui_rect r, struct ui_color c, int radius, int width);
/* One line, shortened with an ellipsis to fit r.w. */
void ui_label(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color c, int align,
              const char *s);
/* Like ui_label, but first shrinks the font (down to 3/4, never below
 * UI_TEXT_MIN_PX) to avoid the ellipsis. */
void ui_label_fit(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color c,
                  int align, const char *s);
/* A label centred vertically in r: one line at size; else two lines at
 * that size when they fit in r.h (large text stays large); else the same
 * a step smaller, down to 3/4 (never below UI_TEXT_MIN_PX); else one line
 * with an ellipsis. Two lines sit closer than a paragraph's. Buttons use
 * it for their labels. */
void ui_label_wrap(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color c,
                   int align, const char *s);
/* Word-wrapped text from the top of r; lines that do not fit in r.h are
 * dropped with an ellipsis on the last one. Returns the height used. */
int ui_paragraph(struct ui *ui, struct ui_rect r, int size, int bold, struct ui_color c,
                 int align, const char *s);
/* Height ui_paragraph would use for width w. */
int ui_paragraph_height(const struct ui *ui, int w, int size, int bold, const char *s);
void ui_qr(struct ui *ui, struct ui_rect r, const unsigned char *modules, int width);
void ui_preview(struct ui *ui, struct ui_rect r);
/* A soft drop shadow and a rounded surface: the look of every card. */
void ui_card(struct ui *ui, struct ui_rect r, struct ui_color c, int radius);

/* Interaction. A hit area registers id (copied) for this frame and returns 1
 * when the pointer was pressed and released inside it. Disabled widgets are
 * registered but never fire. */
int ui_hit(struct ui *ui, const char *id, struct ui_rect r, int enabled);
/* Is the pointer currently held down on widget id (for a pressed look)? */
int ui_held(const struct ui *ui, const char *id, struct ui_rect r);
/* A button with a centred label; returns 1 when it fires. A label too wide
 * for one line takes two (large text stays large) before it shrinks. */
int ui_button(struct ui *ui, const char *id, struct ui_rect r, const char *label,
              enum ui_style style, int enabled);

/* Rectangle of widget id in the last frame; 0 found, -1 not on screen. */
int ui_find(const struct ui *ui, const char *id, struct ui_rect *out);

/* Layout helpers: cut a slice off a side of *r and return it. */
struct ui_rect ui_cut_top(struct ui_rect *r, int h);
struct ui_rect ui_cut_bottom(struct ui_rect *r, int h);
struct ui_rect ui_cut_left(struct ui_rect *r, int w);
struct ui_rect ui_cut_right(struct ui_rect *r, int w);
struct ui_rect ui_inset(struct ui_rect r, int d);
int ui_contains(struct ui_rect r, int x, int y);

struct ui_color ui_rgba(unsigned hex_rgb, unsigned char a);

#endif
