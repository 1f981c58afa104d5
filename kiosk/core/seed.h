/*
 * seed.h - fill a database with realistic synthetic attendees, handshakes,
 * booth leads and follow-ups, for demos, trying exports and benchmarks.
 *
 * Everything goes through the ordinary store functions (the same code the
 * kiosk uses), attendees are marked source 'demo', and the same seed gives
 * the same data.
 */
#ifndef KIOSK_SEED_H
#define KIOSK_SEED_H

#include <stdint.h>

#include "followup.h"
#include "store.h"

struct seed_options {
    long attendees;            /* people to create (>= 2 when handshakes > 0) */
    long leads;                /* booth leads, over random attendees */
    long handshakes;           /* handshakes between random pairs */
    uint64_t seed;             /* PRNG seed; same seed, same data */
    int edge_cases;            /* also add the fixed awkward records of seed_edge_cases() */
    int64_t now_ms;            /* interactions are spread over the two days before */
    const char *operator_name; /* booth staff; NULL = a few demo names */
    const struct followup_policy *policy; /* follow-ups are queued with it */
    const struct tzone *tz;
    void (*progress)(void *ctx, long done, long total); /* may be NULL */
    void *progress_ctx;
};

struct seed_stats {
    long attendees, leads, handshakes, notes, followups;
};

/* Names of the refs seed_run adds with edge_cases set, for tests: people
 * whose data is hostile to spreadsheets and parsers (formula-like cells,
 * quotes, commas, semicolons, line breaks, tabs, non-ASCII, emoji, a +49
 * phone number, a note at the length limit) and who consented, plus
 * SEED_EDGE_SECRET_REF and SEED_EDGE_HIDDEN_REF, who did not consent and
 * must never appear in an export. */
#define SEED_EDGE_SECRET_REF "EDGE-SECRET"
#define SEED_EDGE_HIDDEN_REF "EDGE-HIDDEN"

/* Generate and store. Commits in batches; on failure returns -1 with err
 * and whatever batches committed before stay (they are valid demo data). */
int seed_run(struct store *s, const struct seed_options *o, struct seed_stats *st, struct err *err);

#endif
