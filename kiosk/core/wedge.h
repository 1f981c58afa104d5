/*
 * wedge.h - read a USB keyboard-wedge 2D scanner out of the key stream.
 *
 * Such a scanner is a keyboard: it "types" the payload and Enter within a
 * few milliseconds per character. A human types 80 ms or more apart. The
 * wedge is a filter on the event stream: every EV_TEXT / EV_KEY / EV_TICK
 * goes in with wedge_push, and events come out with wedge_pop. Text that
 * arrives fast is held back (for at most max_gap_ms); if an Enter ends a fast
 * burst it comes out as one EV_SCAN (source SCAN_WEDGE), otherwise the held
 * text comes out unchanged as EV_TEXT, in order, followed by the event that
 * released it. Time comes from the events' now_ms; nothing reads a clock.
 *
 *     wedge_push(&w, &ev);
 *     while (wedge_pop(&w, &out)) app_handle(&out);   // also push EV_TICKs
 */
#ifndef KIOSK_WEDGE_H
#define KIOSK_WEDGE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "limits.h"

#define WEDGE_MAX_GAP_MS  50 /* a longer pause between keys is not a scanner */
#define WEDGE_MEAN_GAP_MS 30 /* a burst's mean gap must be at most this */
#define WEDGE_MIN_LEN     4  /* shorter bursts are typing (e.g. a fast "ok" + Enter) */
/* Events that may wait in the output queue: held text is released in EV_TEXT
 * chunks of at least 28 bytes, plus the releasing event; room for two such
 * releases. Drain with wedge_pop after every push. */
#define WEDGE_QUEUE (2 * (KIOSK_PAYLOAD_MAX / 28 + 3))

struct wedge {
    int enabled;
    int64_t first_ms, last_ms; /* first and last key of the held burst */
    int keys;                  /* text events in the burst */
    unsigned char held[KIOSK_PAYLOAD_MAX];
    size_t held_len;
    unsigned char scan[KIOSK_PAYLOAD_MAX]; /* payload of the last EV_SCAN popped */
    struct event queue[WEDGE_QUEUE];
    int q_head, q_len;
    long scans, overflows; /* counters; overflows = events dropped because the
                              caller did not drain the queue */
};

/* Start empty. enabled = 0 passes every event straight through. */
void wedge_init(struct wedge *w, int enabled);

/* Feed one event (any type). Never fails; a burst longer than
 * KIOSK_PAYLOAD_MAX is released as typed text, not truncated into a scan. */
void wedge_push(struct wedge *w, const struct event *ev);

/* Take the next event to handle: returns 1 and fills *out, 0 when empty.
 * An EV_SCAN's data points into w and stays valid until the next
 * wedge_push. */
int wedge_pop(struct wedge *w, struct event *out);

#endif
