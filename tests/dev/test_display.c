/*
 * test_display - the SDL display's text measuring and drawing on long
 * labels, headless (offscreen software renderer, the real fonts from
 * assets/, no window needed): widths of runs far past 1 KiB, in ASCII and
 * in multi-byte UTF-8, and labels drawn whole when they fit and cut with an
 * ellipsis inside their rectangle when they do not. Pixels are read back
 * from a real PNG screenshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ui.h"
#include "dev/display.h"
#include "dev/image.h"
#include "test.h"

#define FONT KIOSK_SOURCE_DIR "/assets/fonts/DejaVuSans.ttf"
#define FONT_BOLD KIOSK_SOURCE_DIR "/assets/fonts/DejaVuSans-Bold.ttf"

static struct display *open_headless(int w, int h)
{
    struct display_params p;
    struct display *d = NULL;
    struct err err = {{0}};
    memset(&p, 0, sizeof(p));
    p.headless = 1;
    p.w = w;
    p.h = h;
    p.font = FONT;
    p.font_bold = FONT_BOLD;
    if (display_open(&d, &p, &err) < 0)
        fprintf(stderr, "display_open: %s\n", err.msg);
    return d;
}

static int near(int got, int want)
{
    int tol = want / 100 + 2;
    if (got >= want - tol && got <= want + tol)
        return 1;
    fprintf(stderr, "width %d, expected about %d\n", got, want);
    return 0;
}

/* Widths of long runs are the sum of their parts, whatever the length
 * (measuring stopped at 1023 bytes: every longer run measured the same). */
static void test_measure_long(void)
{
    struct display *d = open_headless(64, 32);
    struct ui_measure m;
    char *s = malloc(6001);
    int w100, w1000, w3000, w6000, e100, wchars;
    CHECK(d != NULL && s != NULL);
    if (!d || !s)
        goto out;
    m = display_measure(d);
    memset(s, 'n', 6000);
    s[6000] = '\0';
    /* advances are fractional: the unit is a run of 100 */
    w100 = m.text_width(m.ctx, 16, 0, s, 100);
    w1000 = m.text_width(m.ctx, 16, 0, s, 1000);
    w3000 = m.text_width(m.ctx, 16, 0, s, 3000);
    w6000 = m.text_width(m.ctx, 16, 1, s, 6000);
    CHECK(w100 > 0);
    CHECK(near(w1000, 10 * w100));
    CHECK(near(w3000, 30 * w100));
    CHECK(w6000 > w3000 * 19 / 10); /* bold, twice as long */
    /* the length is honoured on a string that goes on */
    CHECK(m.text_width(m.ctx, 16, 0, s, 2500) < w3000);

    /* 1500 two-byte characters (3000 bytes); 1023 would end mid-character */
    for (int i = 0; i < 1500; i++)
        memcpy(s + 2 * i, "\xC3\xA9", 2); /* U+00E9 */
    s[3000] = '\0';
    e100 = m.text_width(m.ctx, 20, 0, s, 200);
    wchars = m.text_width(m.ctx, 20, 0, s, 3000);
    CHECK(e100 > 0);
    CHECK(near(wchars, 15 * e100));
out:
    free(s);
    display_close(d);
}

/* Columns of the screenshot that hold ink (white text on black). */
static int ink_after(const struct image *img, int x0)
{
    int n = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = x0; x < img->width; x++)
            n += img->gray[(size_t)y * (size_t)img->width + (size_t)x] > 100;
    return n;
}

static int ink_between(const struct image *img, int x0, int x1)
{
    int n = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = x0; x < x1 && x < img->width; x++)
            n += img->gray[(size_t)y * (size_t)img->width + (size_t)x] > 100;
    return n;
}

static void draw_label(struct display *d, struct ui *ui, struct ui_rect r, int size,
                       const char *text, struct image *img)
{
    struct ui_color white = {255, 255, 255, 255};
    struct err err = {{0}};
    ui_begin(ui);
    ui_label(ui, r, size, 0, white, UI_LEFT | UI_MIDDLE, text);
    ui_end(ui);
    CHECK(display_draw(d, ui, 1) == 1);
    CHECK(display_screenshot(d, test_path("label.png"), &err) == 0);
    image_free(img);
    CHECK(image_load(test_path("label.png"), img, &err) == 0);
}

/* A label of 1,500 dots and "MMMM" (1,504 bytes). It fits a wide enough
 * rectangle and is drawn whole, the Ms at its end included; in a rectangle
 * about 1,300 dots wide it is cut with an ellipsis and no ink goes past the
 * rectangle (the 1023-byte measure said it fit, and it overflowed). */
static void test_draw_long(void)
{
    const int size = 10;
    struct display *probe = open_headless(64, 32), *d = NULL;
    struct ui *ui = calloc(1, sizeof(*ui));
    struct ui_measure m;
    struct image img = {0, 0, NULL};
    char *s = malloc(1505);
    int dot100, mmmm, full, w;
    struct ui_rect r;
    CHECK(probe != NULL && ui != NULL && s != NULL);
    if (!probe || !ui || !s)
        goto out;
    m = display_measure(probe);
    memset(s, '.', 100);
    s[100] = '\0';
    dot100 = m.text_width(m.ctx, size, 0, s, 100); /* advances are fractional */
    mmmm = m.text_width(m.ctx, size, 0, "MMMM", 4);
    full = 15 * dot100 + mmmm;
    display_close(probe);
    probe = NULL;
    CHECK(dot100 > 0 && full < KIOSK_FRAME_SIDE_MAX - 40);
    if (dot100 <= 0 || full >= KIOSK_FRAME_SIDE_MAX - 40)
        goto out;
    memset(s, '.', 1500);
    memcpy(s + 1500, "MMMM", 5);
    w = full + 40;
    d = open_headless(w, 24);
    CHECK(d != NULL);
    if (!d)
        goto out;
    m = display_measure(d);
    ui_init(ui, w, 24, &m);

    r.x = 0;
    r.y = 0;
    r.w = w;
    r.h = 24;
    draw_label(d, ui, r, size, s, &img);
    CHECK(img.width == w);
    CHECK(ink_between(&img, full - mmmm, full + 8) > 4 * size); /* the Ms are there */
    CHECK(ink_after(&img, full + 8) == 0);

    r.w = 13 * dot100;
    draw_label(d, ui, r, size, s, &img);
    printf("long label: 100 dots %d px, whole %d px, ink past a %d px box: %d\n", dot100, full, r.w,
           ink_after(&img, r.w));
    CHECK(ink_after(&img, r.w) == 0);
    CHECK(ink_between(&img, 0, r.w) > 0);
out:
    image_free(&img);
    free(s);
    free(ui);
    display_close(probe);
    display_close(d);
}

int main(void)
{
    test_measure_long();
    test_draw_long();
    return test_done();
}
