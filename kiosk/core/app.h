/*
 * app.h - the kiosk's state machine: events in, screens out.
 *
 * The app consumes struct event (touch, key, text, scan, tick, print-done,
 * quit) through app_event() and, after each one, has declared the current
 * screen into its struct ui: a list of draw commands that a renderer draws
 * and a table of widget ids that scripts tap. It talks to the database
 * through store.h and to the outside (log, beep, printing) through the
 * function table struct app_hooks. It never includes SDL, never reads a
 * clock (time comes from events) and never prints or shares anything
 * without both consents.
 *
 * Screens (app_screen_name): attract, mycard, handshake, saved, qr, lead,
 * conn-wait, connections, message, pin, admin, forget-wait, forget-confirm,
 * camera-test, and the on-screen keyboard "editor".
 *
 * Stable widget ids (for `tap ID` in event scripts; README lists them):
 *   everywhere     admin_corner (hold 2 s: admin PIN)
 *   attract        lang, large_text, contrast, connections
 *   mycard         pitch, obj_<o> (o: mentorship hiring job-seeking
 *                  collaboration learning investing), done, cancel
 *   handshake      consent_a, consent_b, note, hs_obj_<o>, fu_none,
 *                  fu_tomorrow, fu_next_week, save, cancel
 *   saved          print, show_qr, done        qr: done
 *   lead           rate_1..rate_5, tag_<tag>, q_<id>_<n> (choice n of
 *                  question id), q_<id> (text question), q_more (next page
 *                  of questions, shown when they do not all fit), note,
 *                  save, cancel
 *   conn-wait      cancel                      connections: print_summary, done
 *   message        ok
 *   editor         every layer: kb_back, kb_space, kb_at, kb_cancel, kb_done,
 *                  and two of kb_letters ("ABC"), kb_symbols ("?123"),
 *                  kb_accents ("àé"); kb_shift (letters, accents: once,
 *                  twice = locked, three times = off). Keys are named by
 *                  what they type, the same on every layout and layer
 *                  (kiosk/core/keyboard.c, README): letters kb_a..kb_z,
 *                  kb_0..kb_9; accented kb_<base>_<mark> (kb_e_uml,
 *                  kb_n_tilde, kb_l_stroke...), kb_sz, kb_ae, kb_oe;
 *                  symbols kb_dot, kb_comma, kb_dash, kb_apos, kb_colon,
 *                  kb_question...
 *   pin            pin_0..pin_9, pin_back, pin_ok, pin_cancel
 *   admin          mode_handshake, mode_booth, test_printer, test_camera,
 *                  export_usb, forget, exit_kiosk (asks first), admin_close;
 *                  after exit_kiosk: exit_confirm (stops), exit_cancel
 *   forget-wait    cancel      forget-confirm: forget_confirm, cancel
 *   camera-test    done
 */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "event.h"
#include "store.h"
#include "ui.h"

enum app_screen {
    APP_ATTRACT,
    APP_MYCARD,
    APP_HANDSHAKE,
    APP_SAVED,
    APP_QR,
    APP_LEAD,
    APP_CONN_WAIT,
    APP_CONNECTIONS,
    APP_MESSAGE,
    APP_PIN,
    APP_ADMIN,
    APP_FORGET_WAIT,
    APP_FORGET_CONFIRM,
    APP_CAMERA_TEST,
    APP_EDITOR, /* the on-screen keyboard, over any screen with a text field */
    APP_NSCREENS
};

/* A slip to print. kind: "handshake" (owner receives other's card),
 * "lead", "connections" (owner's summary), "test". Ids may be NULL. lang:
 * the language on screen when it was asked for ("en", "de", "fr", "es"),
 * for the slip's own words. */
struct app_print {
    const char *kind;
    const char *interaction_id;
    const char *owner_id;
    const char *other_id;
    const char *lang;
};

/* The app's way out. Every pointer may be NULL. */
struct app_hooks {
    void *ctx;
    /* One line per committed scan/interaction/admin action; no personal data. */
    void (*log)(void *ctx, const char *line);
    /* Sound feedback for an accepted scan. */
    void (*beep)(void *ctx);
    /* Queue a slip. Returns 0 when queued (an EV_PRINT_DONE follows later),
     * -1 with err when it cannot be (no printer, queue full). */
    int (*print)(void *ctx, const struct app_print *job, int64_t now_ms, struct err *err);
    /* Start exporting everything consented to the USB drive, without
     * blocking. Returns 0 when started (the shell later calls
     * app_export_done), -1 with err when it cannot start. */
    int (*export_usb)(void *ctx, int64_t now_ms, struct err *err);
    /* After an admin-screen erasure has committed: called once per print
     * job id the erasure removed, so the shell can delete the files it
     * wrote for it (slip PNGs). Returns how many files it deleted (0 when
     * there were none), -1 when one exists but could not be deleted. */
    int (*forgotten_job)(void *ctx, const char *job_id);
};

struct app;

/* Create the app on an open store with the effective configuration (both
 * borrowed; they must outlive the app). w x h is the logical screen; m
 * measures text (NULL = estimate). Stores the admin PIN hash on first
 * start when admin.pin is set. On failure *out is NULL and err says why. */
int app_new(struct app **out, struct store *s, const struct config *cfg,
            const struct app_hooks *hooks, int w, int h, const struct ui_measure *m,
            int64_t now_ms, struct err *err);
/* Free; accepts NULL. */
void app_free(struct app *a);

/* Handle one event and rebuild the screen. Scans are committed to the store
 * before the screen changes. */
void app_event(struct app *a, const struct event *ev);

/* The last frame (draw commands and widget ids). Valid until the next call. */
const struct ui *app_ui(const struct app *a);
/* Change the logical screen size (window resized, rotation). */
void app_resize(struct app *a, int w, int h);

/* The export started by hooks.export_usb finished: ok, and one line for
 * staff (where it went, how many records, or what went wrong). */
void app_export_done(struct app *a, int ok, const char *summary);
/* The export to USB finished and wrote `leads` lead rows and `contacts`
 * vCards into `where`, the drive's label and the new folder's own name
 * ("STICK/kiosk-export-20261126-160000", never a mount path): admin shows
 * it in the UI language, with when to unplug. */
void app_export_finished(struct app *a, long leads, long contacts, const char *where);

/* While that export runs: done of total files are written (a progress bar
 * on the admin screen). Ignored when no export is running. */
void app_export_progress(struct app *a, int done, int total);

/* Override ui.idle_timeout_s (ms > 0; e.g. the shell's demo camera, whose
 * unattended loop must return to attract soon). */
void app_set_idle_timeout(struct app *a, int64_t ms);

/* Whether the camera gives a picture and, if not, why: the app words the
 * reason in the current language (the shell passes a code, never text). */
enum app_camera {
    APP_CAMERA_OK,          /* preview shown */
    APP_CAMERA_NONE,        /* no camera configured */
    APP_CAMERA_UNAVAILABLE, /* configured, but it could not be opened */
    APP_CAMERA_LOST         /* it worked and was disconnected */
};
/* Tell the app the camera's state (preview shown or a placeholder with the
 * reason). The screen is rebuilt at once: call it before the first frame
 * is shown. */
void app_set_camera(struct app *a, enum app_camera state);

enum app_screen app_screen(const struct app *a);
const char *app_screen_name(enum app_screen s);
/* The title of the message screen or last toast, for tests and logs. */
const char *app_message(const struct app *a);
/* 1 once the admin chose exit or an EV_QUIT arrived. */
int app_quit_requested(const struct app *a);
/* 1 while an admin screen is open (the shell may then honour Escape). */
int app_admin_open(const struct app *a);
/* Current mode: "handshake" or "booth". */
const char *app_mode(const struct app *a);
/* Self-check of the translation table: returns how many (string, language)
 * cells are missing or empty (0 = complete). When one is, why (if not NULL)
 * names the first: "string 93 (Lead saved.) has no de". */
int app_words_missing(char *why, size_t size);

#endif
