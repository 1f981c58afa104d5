/*
 * test_ui.c - the immediate-mode UI's text layout: a label cut with an
 * ellipsis is still valid UTF-8, however long the text; font sizes have a
 * readable floor on small panels.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "ui.h"
#include "utf8.h"

/* A label longer than the 1 KiB cut buffer, with 3-byte characters placed
 * so the buffer's byte limit falls inside one: the text drawn must still
 * be whole characters followed by the ellipsis. */
static void test_long_label_cut(void)
{
    static struct ui ui;
    char s[4000];
    size_t n = 0;
    int texts = 0;
    struct ui_rect r = {0, 0, 6000, 40}; /* about 1070 characters fit */

    s[n++] = 'a';
    while (n + 3 < sizeof(s)) {
        memcpy(s + n, "\xE2\x82\xAC", 3); /* U+20AC, three bytes */
        n += 3;
    }
    s[n] = '\0';
    ui_init(&ui, 1280, 800, NULL);
    ui_begin(&ui);
    ui_label(&ui, r, 10, 0, ui_rgba(0, 255), UI_LEFT, s);
    for (int i = 0; i < ui.ncmds; i++) {
        const struct ui_cmd *c = &ui.cmds[i];
        if (c->type != UI_CMD_TEXT)
            continue;
        texts++;
        CHECK(utf8_valid(c->text, strlen(c->text)));
        CHECK(strlen(c->text) > 3);
        CHECK(strcmp(c->text + strlen(c->text) - 3, "\xE2\x80\xA6") == 0);
    }
    CHECK(texts == 1);
    ui_end(&ui);
}

/* Font sizes have a floor on small panels (800x480, unit 4: a tenth of a
 * unit per pixel made 8 px text) and stay exactly unit-scaled above it. */
static void test_font_floor(void)
{
    static struct ui ui;
    ui_init(&ui, 800, 480, NULL);
    CHECK(ui.unit == 4);
    CHECK(ui_font(&ui, 20) >= 12);
    CHECK(ui_font(&ui, 22) >= 13);
    CHECK(ui_font(&ui, 26) >= 15);
    CHECK(ui_font(&ui, 30) >= 17);
    /* Sizes keep their order: a heading stays larger than body text. */
    for (int t = 18; t < 70; t++)
        CHECK(ui_font(&ui, t + 1) >= ui_font(&ui, t));
    CHECK(ui_font(&ui, 44) > ui_font(&ui, 26));
    /* Large text is larger than the floor too. */
    ui.text_scale = 125;
    CHECK(ui_font(&ui, 26) >= 18);
    /* 1920x1080 and portrait 1080x1920: a size is its tenths of the unit. */
    ui_init(&ui, 1920, 1080, NULL);
    CHECK(ui_font(&ui, 22) == 22 && ui_font(&ui, 30) == 30 && ui_font(&ui, 62) == 62);
    ui_init(&ui, 1080, 1920, NULL);
    CHECK(ui_font(&ui, 22) == 22 && ui_font(&ui, 44) == 44);
    ui_init(&ui, 1280, 800, NULL);
    CHECK(ui_font(&ui, 22) == 17 && ui_font(&ui, 30) == 24);
}

int main(void)
{
    test_long_label_cut();
    test_font_floor();
    return test_done();
}
