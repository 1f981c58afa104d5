/*
 * fuzz_script.c - libFuzzer target for event scripts and the app behind them.
 *
 * An input is an event script (script.h). It must parse or be refused with
 * a message; when it parses, it runs in virtual time against one long-lived
 * app on a real SQLite file, so scans of arbitrary payloads, taps anywhere,
 * typed text and keys reach every screen. Checked: no crash or sanitizer
 * report, the draw list never overflows, every widget stays on screen, and
 * the app never stops on its own (only the admin "exit" may ask to quit).
 * Scripts that would wait more than a minute in total are skipped (they
 * only cost time).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "script.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;
static struct store *store;
static struct app *app;
static int64_t now = 1790000000000LL;

static int setup(void)
{
    char dir[] = "/tmp/fuzz-script-XXXXXX", path[64];
    struct err err = {{0}};
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/k.db", dir);
    setenv("TZ", "UTC", 1);
    if (config_init(&cfg, &err) < 0 || config_set(&cfg, "admin.pin", "2468", "fuzz", &err) < 0 ||
        config_set(&cfg, "booth.questions", "b|single|Budget|a/b/c;t|text|Role", "fuzz", &err) < 0 ||
        store_open(&store, path, "fuzz", now, &err) < 0 ||
        app_new(&app, store, &cfg, NULL, 1280, 800, NULL, now, &err) < 0) {
        fprintf(stderr, "fuzz_script setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script s;
    struct err err = {{0}};
    int64_t waited = 0;
    const struct ui *ui;
    if (!app && setup() < 0)
        __builtin_trap();
    if (size > 1 << 16)
        return 0;
    if (script_parse(&s, (const char *)data, size, NULL, &err) < 0) {
        if (!err.msg[0])
            __builtin_trap(); /* a refusal always says why */
        return 0;
    }
    for (int i = 0; i < s.n; i++) {
        if (s.cmds[i].op == SCRIPT_SCREENSHOT)
            s.cmds[i].op = SCRIPT_WAIT; /* no shell here: a screenshot is a pause of 0 ms */
        if (s.cmds[i].op == SCRIPT_WAIT || s.cmds[i].op == SCRIPT_HOLD)
            waited += s.cmds[i].ms;
    }
    if (waited <= 60000)
        script_run_virtual(&s, app, &now, 16, NULL, NULL, NULL, &err);
    script_free(&s);
    ui = app_ui(app);
    if (ui->overflow)
        __builtin_trap();
    for (int i = 0; i < ui->nwidgets; i++) {
        struct ui_rect r = ui->widgets[i].r;
        if (r.x < 0 || r.y < 0 || r.x + r.w > ui->w || r.y + r.h > ui->h)
            __builtin_trap();
    }
    if (app_quit_requested(app)) {
        /* Only possible through admin + PIN + "exit": start a fresh app. */
        struct err e2 = {{0}};
        app_free(app);
        app = NULL;
        if (app_new(&app, store, &cfg, NULL, 1280, 800, NULL, now, &e2) < 0)
            __builtin_trap();
    }
    return 0;
}
