/*
 * debounce.h - turn "codes seen in frames" into "scans".
 *
 * A badge held in front of the camera is read in many consecutive frames;
 * that is one scan. The same payload counts again only after it has left
 * the view (not read for DEBOUNCE_GONE_MS and at least one frame) or after
 * window_ms (setting scan.debounce_ms) since it last counted while still in
 * view. Several codes in one frame are judged separately and all reported.
 * Time is passed in; nothing here reads a clock.
 *
 *     struct debounce db; debounce_init(&db, config_int(cfg, "scan.debounce_ms"));
 *     // per decoded frame (also frames with r.n == 0: they mark codes as gone)
 *     int fresh[KIOSK_CODES_PER_FRAME];
 *     if (debounce_frame(&db, now_ms, &r, fresh) > 0)
 *         for (i...) if (fresh[i]) emit EV_SCAN for r.code[i]
 */
#ifndef KIOSK_DEBOUNCE_H
#define KIOSK_DEBOUNCE_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* A payload unseen this long (and in at least one frame) has left the view. */
#define DEBOUNCE_GONE_MS 400
/* Payloads remembered at once; the oldest is forgotten first. */
#define DEBOUNCE_SLOTS 32

struct debounce_slot {
    uint64_t hash; /* FNV-1a of the payload */
    size_t len;
    int64_t last_seen_ms, counted_ms;
    int missed; /* frames since last seen */
    int used;
};

struct debounce {
    int64_t window_ms;
    struct debounce_slot slot[DEBOUNCE_SLOTS];
};

/* Start with nothing seen. window_ms < 0 is treated as 0. */
void debounce_init(struct debounce *d, int64_t window_ms);

/* Judge one payload seen at now_ms: returns 1 if it counts as a new scan,
 * 0 if it is the same scan continuing. Call debounce_end_frame after the
 * frame's payloads. */
int debounce_seen(struct debounce *d, int64_t now_ms, const unsigned char *data, size_t len);
/* Mark the end of a frame: payloads not seen in it age by one frame. */
void debounce_end_frame(struct debounce *d, int64_t now_ms);

/* Both steps for a decoded frame: fresh[i] = 1 for codes that count as new
 * scans (fresh has KIOSK_CODES_PER_FRAME entries). Returns how many. */
int debounce_frame(struct debounce *d, int64_t now_ms, const struct decode_result *r, int *fresh);

#endif
