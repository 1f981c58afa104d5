/*
 * test_ui.c - the immediate-mode UI's text layout: a label cut with an
 * ellipsis is still valid UTF-8, however long the text.
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

int main(void)
{
    test_long_label_cut();
    return test_done();
}
