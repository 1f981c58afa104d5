/*
 * debounce.c - one scan per badge presentation; see debounce.h.
 *
 * Owns a small table of recently seen payloads (hash, length, when last seen,
 * when last counted, frames missed). Never stores payload bytes, never reads
 * a clock. A 64-bit FNV-1a hash plus the length identifies a payload; a
 * collision would merge two scans, at odds of about 2^-64 per pair.
 */
#include "debounce.h"

#include <string.h>

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

void debounce_init(struct debounce *d, int64_t window_ms)
{
    memset(d, 0, sizeof(*d));
    d->window_ms = window_ms < 0 ? 0 : window_ms;
}

int debounce_seen(struct debounce *d, int64_t now_ms, const unsigned char *data, size_t len)
{
    uint64_t h = fnv1a(data, len);
    struct debounce_slot *s = NULL, *oldest = &d->slot[0];
    int i, fresh;

    for (i = 0; i < DEBOUNCE_SLOTS; i++) {
        struct debounce_slot *t = &d->slot[i];
        if (t->used && t->hash == h && t->len == len) {
            s = t;
            break;
        }
        if (!t->used || (oldest->used && t->last_seen_ms < oldest->last_seen_ms))
            oldest = t;
    }
    if (!s) {
        s = oldest;
        memset(s, 0, sizeof(*s));
        s->used = 1;
        s->hash = h;
        s->len = len;
        fresh = 1;
    } else if (s->missed > 0 && now_ms - s->last_seen_ms >= DEBOUNCE_GONE_MS) {
        fresh = 1; /* it left the view and came back */
    } else {
        fresh = now_ms - s->counted_ms >= d->window_ms; /* held in view past the window */
    }
    if (fresh)
        s->counted_ms = now_ms;
    s->last_seen_ms = now_ms;
    s->missed = -1; /* debounce_end_frame brings it to 0 for this frame */
    return fresh;
}

void debounce_end_frame(struct debounce *d, int64_t now_ms)
{
    (void)now_ms;
    for (int i = 0; i < DEBOUNCE_SLOTS; i++)
        if (d->slot[i].used)
            d->slot[i].missed++;
}

int debounce_frame(struct debounce *d, int64_t now_ms, const struct decode_result *r, int *fresh)
{
    int n = 0;
    for (int i = 0; i < r->n; i++) {
        fresh[i] = debounce_seen(d, now_ms, r->code[i].data, r->code[i].len);
        n += fresh[i];
    }
    debounce_end_frame(d, now_ms);
    return n;
}
