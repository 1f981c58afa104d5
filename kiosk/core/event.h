/*
 * event.h - the one input language of the kiosk.
 *
 * Everything the app reacts to arrives as a struct event: a finger or mouse,
 * a key or typed text, a decoded badge (camera or keyboard-wedge scanner), a
 * clock tick, a finished print job, a request to quit. Device backends
 * (kiosk/dev/) translate their input into events; the core never sees SDL,
 * V4L2 or printer handles. Every event carries the time it happened, in
 * milliseconds of the UTC wall clock, so logic never reads a clock itself.
 */
#ifndef KIOSK_EVENT_H
#define KIOSK_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

enum event_type {
    EV_NONE = 0,
    EV_TOUCH_DOWN, /* finger or left mouse button pressed at (x, y) */
    EV_TOUCH_MOVE,
    EV_TOUCH_UP,
    EV_KEY,        /* a named key: enter, backspace, escape, tab, up, down, ... */
    EV_TEXT,       /* UTF-8 text typed on a keyboard or the on-screen keyboard */
    EV_SCAN,       /* a decoded code: payload bytes from camera or wedge scanner */
    EV_TICK,       /* time passes; sent at least every frame */
    EV_PRINT_DONE, /* a print job finished or failed */
    EV_QUIT        /* SIGTERM, SDL_QUIT or the admin "exit" */
};

enum scan_source { SCAN_CAMERA = 0, SCAN_WEDGE, SCAN_SCRIPT };

struct event {
    enum event_type type;
    int64_t now_ms; /* UTC milliseconds since the epoch when it happened */
    union {
        struct {
            int x, y; /* pixels in the logical screen */
        } touch;
        struct {
            char name[16]; /* "enter", "backspace", "escape", "f1", ... */
            unsigned mods; /* EVENT_MOD_* */
        } key;
        struct {
            char text[32];
        } text;
        struct {
            /* Borrowed: valid only while the event is being handled. */
            const unsigned char *data;
            size_t len;
            enum scan_source source;
            char symbology[16]; /* "qr", "code128", ... */
        } scan;
        struct {
            char job_id[KIOSK_ID_LEN];
            int ok;
            char error[KIOSK_MSG_MAX];
        } print;
    } u;
};

#define EVENT_MOD_SHIFT 1u
#define EVENT_MOD_CTRL  2u
#define EVENT_MOD_ALT   4u

/* Name of an event type for logs and event scripts ("scan", "tick", ...). */
const char *event_type_name(enum event_type t);

#endif
