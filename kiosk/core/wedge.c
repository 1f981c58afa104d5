/*
 * wedge.c - keyboard-wedge scanner detection; see wedge.h.
 *
 * Owns the held burst and a queue of events to hand back. A burst is text
 * events with at most WEDGE_MAX_GAP_MS between them; Enter right after a
 * burst of WEDGE_MIN_LEN+ bytes whose mean gap is at most WEDGE_MEAN_GAP_MS
 * becomes an EV_SCAN. Anything else releases the held text unchanged, so a
 * human typing loses nothing and sees it at most WEDGE_MAX_GAP_MS late.
 * Never reads a clock (times come from events), never truncates a payload.
 */
#include "wedge.h"

#include <string.h>

void wedge_init(struct wedge *w, int enabled)
{
    memset(w, 0, sizeof(*w));
    w->enabled = enabled;
}

static void enqueue(struct wedge *w, const struct event *ev)
{
    if (w->q_len >= WEDGE_QUEUE) {
        w->overflows++;
        return;
    }
    w->queue[(w->q_head + w->q_len) % WEDGE_QUEUE] = *ev;
    w->q_len++;
}

/* Hand the held bytes back as EV_TEXT events, split on UTF-8 boundaries. */
static void release(struct wedge *w)
{
    size_t pos = 0;
    while (pos < w->held_len) {
        struct event ev;
        size_t n = w->held_len - pos;
        size_t room = sizeof(ev.u.text.text) - 1;
        if (n > room) {
            n = room;
            while (n > 0 && (w->held[pos + n] & 0xC0) == 0x80)
                n--; /* do not split a character */
            if (n == 0)
                n = room;
        }
        memset(&ev, 0, sizeof(ev));
        ev.type = EV_TEXT;
        ev.now_ms = w->last_ms;
        memcpy(ev.u.text.text, w->held + pos, n);
        enqueue(w, &ev);
        pos += n;
    }
    w->held_len = 0;
    w->keys = 0;
}

static int is_enter(const struct event *ev)
{
    return ev->type == EV_KEY && ev->u.key.mods == 0 &&
           (strcmp(ev->u.key.name, "enter") == 0 || strcmp(ev->u.key.name, "return") == 0);
}

void wedge_push(struct wedge *w, const struct event *ev)
{
    if (!w->enabled) {
        enqueue(w, ev);
        return;
    }
    /* a pause ends any burst */
    if (w->held_len && ev->now_ms - w->last_ms > WEDGE_MAX_GAP_MS)
        release(w);

    if (ev->type == EV_TEXT) {
        size_t n = strnlen(ev->u.text.text, sizeof(ev->u.text.text));
        if (w->held_len + n > sizeof(w->held)) {
            release(w); /* too long for a payload: it is typing, or garbage */
            enqueue(w, ev);
            return;
        }
        if (!w->held_len)
            w->first_ms = ev->now_ms;
        memcpy(w->held + w->held_len, ev->u.text.text, n);
        w->held_len += n;
        w->keys++;
        w->last_ms = ev->now_ms;
        return;
    }
    if (is_enter(ev) && w->held_len >= WEDGE_MIN_LEN && w->keys >= 2 &&
        (ev->now_ms - w->first_ms) <= (int64_t)WEDGE_MEAN_GAP_MS * w->keys) {
        struct event scan;
        memset(&scan, 0, sizeof(scan));
        memcpy(w->scan, w->held, w->held_len);
        scan.type = EV_SCAN;
        scan.now_ms = ev->now_ms;
        scan.u.scan.data = w->scan;
        scan.u.scan.len = w->held_len;
        scan.u.scan.source = SCAN_WEDGE;
        memcpy(scan.u.scan.symbology, "wedge", 6);
        w->held_len = 0;
        w->keys = 0;
        w->scans++;
        enqueue(w, &scan);
        return;
    }
    if (ev->type == EV_TICK && w->held_len)
        return enqueue(w, ev); /* a tick inside a burst does not end it */
    release(w);
    enqueue(w, ev);
}

int wedge_pop(struct wedge *w, struct event *out)
{
    if (!w->q_len)
        return 0;
    *out = w->queue[w->q_head];
    w->q_head = (w->q_head + 1) % WEDGE_QUEUE;
    w->q_len--;
    return 1;
}
