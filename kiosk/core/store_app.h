/*
 * store_app.h - the queries the kiosk screens need beyond store.h: a lead's
 * history, an attendee's connections, the admin counts and plot.
 * Same contract as store.h (times passed in, 0 after commit).
 */
#ifndef KIOSK_STORE_APP_H
#define KIOSK_STORE_APP_H

#include <stdint.h>

#include "store.h"

/* The lead interaction this kiosk holds for attendee_id. Returns 0 found
 * (interaction_id, rating, tags, answers filled), 1 none, -1 error: also
 * when tags or answers do not fit their buffers (never cut; the outputs
 * are then empty). */
int store_app_lead_find(struct store *s, const char *attendee_id, char interaction_id[KIOSK_ID_LEN],
                        int *rating, char *tags, size_t tags_size, char *answers,
                        size_t answers_size, struct err *err);

struct store_app_note {
    int64_t at;
    char body[KIOSK_NOTE_MAX];
};
/* Notes of an interaction, newest first, at most max. *n = how many. */
int store_app_notes(struct store *s, const char *interaction_id, struct store_app_note *out,
                    int max, int *n, struct err *err);

struct store_app_conn {
    char interaction_id[KIOSK_ID_LEN];
    char name[KIOSK_NAME_MAX];
    char org[KIOSK_ORG_MAX];
    int64_t at;
};
/* Handshakes of attendee_id since since_ms in which both consented, newest
 * first, at most max. */
int store_app_connections(struct store *s, const char *attendee_id, int64_t since_ms,
                          struct store_app_conn *out, int max, int *n, struct err *err);

/* Scans in each of the `hours` hours ending at end_ms (counts[hours-1] is
 * the current hour). */
int store_app_scans_per_hour(struct store *s, int64_t end_ms, int hours, long *counts,
                             struct err *err);
/* Interactions of one kind ("handshake", "lead"); -1 on error. */
long store_app_count_kind(struct store *s, const char *kind);
/* Attendees that came from a roster import; -1 on error. */
long store_app_count_roster(struct store *s);

#endif
