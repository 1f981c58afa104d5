/*
 * display.h - where the app's draw list becomes pixels and where fingers,
 * mice and keys become events. One backend file: display_sdl.c, which runs
 * either a real SDL2 window (KMSDRM, X11, Wayland) or, headless, an
 * offscreen software renderer on a memory surface (tests, benchmarks,
 * screenshots without a screen).
 *
 * Input rules: touch and mouse are ONE pointer stream (SDL's synthesised
 * mouse-from-touch and touch-from-mouse events are dropped); only the first
 * finger counts. Outside a development window, closing the window or
 * Alt+F4 does nothing; SIGTERM/SIGINT and SDL_QUIT become EV_QUIT.
 */
#ifndef KIOSK_DISPLAY_H
#define KIOSK_DISPLAY_H

#include <stdint.h>

#include "camera.h"
#include "err.h"
#include "event.h"
#include "ui.h"

struct display_params {
    int headless;     /* offscreen software renderer, no window, no input */
    int windowed;     /* a development window of w x h (closing it quits) */
    int w, h;         /* headless or windowed size; full screen ignores them */
    int rotate;       /* 0, 90, 180, 270: UI rotated for portrait-mounted panels */
    int sound;        /* beep on scans */
    const char *font;      /* regular TTF */
    const char *font_bold; /* bold TTF */
};

struct display;

/* Open the display. On failure returns -1, *out NULL, err says why (no
 * video driver, font missing...). */
int display_open(struct display **out, const struct display_params *p, struct err *err);
/* Close; accepts NULL. */
void display_close(struct display *d);

/* Logical size the UI is laid out in (after rotation). */
void display_size(const struct display *d, int *w, int *h);
/* Text measurer for ui_init (valid while d is open). */
struct ui_measure display_measure(struct display *d);
/* Name of the SDL video driver in use ("kmsdrm", "x11", "offscreen"...). */
const char *display_driver(const struct display *d);

/* Take the next input event, stamped now_ms. Returns 1 with *ev filled, 0
 * when none is pending. Never blocks. */
int display_poll(struct display *d, struct event *ev, int64_t now_ms);

/* Give the display the newest camera frame for UI_CMD_PREVIEW (copied). */
void display_set_preview(struct display *d, const struct frame *f);

/* Draw a frame and show it. Skips the work when neither the draw list nor
 * the preview changed since the last call (force = 1 draws anyway).
 * Returns 1 when it drew, 0 when skipped. */
int display_draw(struct display *d, const struct ui *ui, int force);

/* Save what the last display_draw showed as an RGB PNG. */
int display_screenshot(struct display *d, const char *path, struct err *err);

/* NULL when scan beeps can play, else why not ("no audio device",
 * "ui.sound is off", SDL's error). Owned by d. */
const char *display_sound_off(const struct display *d);

/* A short two-tone beep (no-op without audio). */
void display_beep(struct display *d);

#endif
