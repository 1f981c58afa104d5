/*
 * script.h - event scripts: a text file of events that drives the app the
 * way a person would, for tests, demos and bug reports.
 *
 * One command per line; blank lines and lines starting with # are ignored:
 *   scan PAYLOAD       a decoded code; \n \r \t \\ \xHH escapes allowed
 *   scanfile PATH      a code whose payload is the file's bytes (relative
 *                      paths are taken from the script's folder)
 *   tap WIDGET_ID      press and release the centre of a widget on screen
 *   tap X Y            press and release at pixel (X, Y)
 *   hold WIDGET_ID MS  press, keep the finger down MS ms, release
 *   hold X Y MS
 *   type TEXT          typed text (physical keyboard), UTF-8
 *   key NAME           enter, backspace, escape, tab, ...
 *   wait MS            let MS milliseconds pass (ticks keep coming)
 *   screenshot FILE.png  ask the shell to save the screen
 *   expect SCREEN      fail unless the app shows SCREEN (app_screen_name)
 * Widget ids are listed in app.h. A tap on an id that is not on screen
 * fails the script with the line number: scripts break loudly, not subtly.
 */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "err.h"

#define SCRIPT_LINES_MAX 10000
#define SCRIPT_ARG_MAX KIOSK_PAYLOAD_MAX

enum script_op {
    SCRIPT_SCAN,
    SCRIPT_TAP,
    SCRIPT_HOLD,
    SCRIPT_TYPE,
    SCRIPT_KEY,
    SCRIPT_WAIT,
    SCRIPT_SCREENSHOT,
    SCRIPT_EXPECT
};

struct script_cmd {
    enum script_op op;
    int line;
    char *arg;      /* owned: payload, widget id, text, key, file, screen; NULL for X Y */
    size_t arg_len; /* payload bytes (may hold NUL for scan) */
    int x, y;       /* tap/hold at coordinates when arg is NULL */
    int64_t ms;     /* hold, wait */
};

struct script {
    struct script_cmd *cmds;
    int n;
    /* runner state */
    int pc, phase;
    int64_t due;
    int down_x, down_y;
};

/* Parse a whole script text. dir (may be NULL) resolves scanfile paths.
 * Returns 0, or -1 with "line N: reason" in err (s is then empty). */
int script_parse(struct script *s, const char *text, size_t len, const char *dir,
                 struct err *err);
/* Read and parse a file. */
int script_load(struct script *s, const char *path, struct err *err);
/* Free the commands; accepts a zeroed struct. */
void script_free(struct script *s);

enum script_status {
    SCRIPT_RUNNING = 0,    /* call again later (after more time has passed) */
    SCRIPT_DONE = 1,       /* every command ran */
    SCRIPT_SHOT = 2,       /* save a screenshot to *shot now, then call again */
    SCRIPT_ERROR = -1      /* err says which line failed and why */
};

/* Run every command that is due at time now against the app. Does not send
 * ticks: the caller sends EV_TICK as time passes. *shot is borrowed from s. */
enum script_status script_step(struct script *s, struct app *a, int64_t now, const char **shot,
                               struct err *err);

/* Run the whole script in virtual time from *now, with a tick every
 * step_ms; calls shot(ctx, path) for screenshots and poll(ctx, now) before
 * every tick (devices: camera, printer); both may be NULL. *now ends at the
 * script's end time. Returns 0 or -1 with err. */
int script_run_virtual(struct script *s, struct app *a, int64_t *now, int step_ms,
                       int (*shot)(void *ctx, const char *path, struct err *err),
                       void (*poll)(void *ctx, int64_t now), void *ctx, struct err *err);

#endif
