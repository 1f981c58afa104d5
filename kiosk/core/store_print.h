/*
 * store_print.h - the print queue's rows (table print_jobs) and the data a
 * slip is made of (store_print.c).
 *
 * A job names what to print (kind + interaction or attendee), never the
 * image: the slip is rendered from the database when the job runs, so a
 * retried job prints what is true then. Status moves
 * queued -> printing -> done, or back to queued with last_error and a
 * next_attempt_at, or to failed after too many attempts (see printq.h).
 */
#ifndef KIOSK_STORE_PRINT_H
#define KIOSK_STORE_PRINT_H

#include <stdint.h>

#include "slip.h"
#include "store.h"

struct store_print_job {
    char id[KIOSK_ID_LEN];
    char interaction_id[KIOSK_ID_LEN]; /* empty = none */
    char attendee_id[KIOSK_ID_LEN]; /* handshake: whose slip (empty = both); connections: owner */
    char kind[16];                  /* handshake | lead | connections | test */
    char status[16];                /* queued | printing | done | failed | cancelled */
    int attempts;
    char last_error[KIOSK_MSG_MAX];
    int64_t next_attempt_at, created_at, updated_at;
    char lang[8]; /* language of the slip's words (the screen's); "" = English */
};

/* Store a new queued job, due at once. kind must be one of the four above;
 * interaction_id is required for handshake and lead, attendee_id for
 * connections (the rows must exist: foreign keys). Commits before returning
 * 0 and the new id in id_out; -1 with err set otherwise. */
int store_print_add(struct store *s, const char *kind, const char *interaction_id,
                    const char *attendee_id, int64_t now_ms, char id_out[KIOSK_ID_LEN],
                    struct err *err);
/* Same, printed in language lang ("de"; NULL or "" = English): kept with
 * the job through retries and reprints. A language the slip has no words
 * for is stored as given and prints English; one that is not a short code
 * of letters and '-' (at most 7) is refused (-1, err). */
int store_print_add_lang(struct store *s, const char *kind, const char *interaction_id,
                         const char *attendee_id, const char *lang, int64_t now_ms,
                         char id_out[KIOSK_ID_LEN], struct err *err);
/* Load a job by id: 0 found, 1 not found, -1 error. */
int store_print_get(struct store *s, const char *id, struct store_print_job *out, struct err *err);
/* Claim the next job to print, in one transaction: the oldest queued job
 * (only_id if not NULL) whose next_attempt_at <= due_by becomes "printing"
 * with attempts + 1. 0 claimed (out filled), 1 nothing due, -1 error. */
int store_print_claim(struct store *s, const char *only_id, int64_t due_by, int64_t now_ms,
                      struct store_print_job *out, struct err *err);
/* Record the outcome of a claimed job: status ("done", "queued" or
 * "failed"), error text ("" when done) and when to try next. 0 or -1. */
int store_print_finish(struct store *s, const char *id, const char *status, const char *error,
                       int64_t next_attempt_at, int64_t now_ms, struct err *err);
/* Jobs left "printing" since before stale_before (the process died while
 * sending) become "failed" with a note: they may or may not have printed,
 * and printing them again on their own could make a duplicate. *n (may be
 * NULL) counts them. 0 or -1. */
int store_print_recover(struct store *s, int64_t stale_before, int64_t now_ms, long *n,
                        struct err *err);
/* Queue a new job printing the same thing as job id, in its language (a
 * reprint on purpose; audited). 0 and new_id, 1 no such job, -1 error. */
int store_print_reprint(struct store *s, const char *id, int64_t now_ms, char new_id[KIOSK_ID_LEN],
                        struct err *err);
/* Cancel a queued or failed job. 0, 1 no such job or not cancellable, -1. */
int store_print_cancel(struct store *s, const char *id, int64_t now_ms, struct err *err);
/* Call fn for jobs, newest first, at most limit; status NULL = all but
 * "done" and "cancelled". fn returning non-zero stops. 0 or -1. */
int store_print_list(struct store *s, const char *status, int limit,
                     int (*fn)(void *ctx, const struct store_print_job *job), void *ctx,
                     struct err *err);
/* When the next queued job is due: 0 and *when (UTC ms), 1 none queued,
 * -1 error. */
int store_print_next_due(struct store *s, int64_t *when, struct err *err);
/* Jobs per status, for the admin screen: queued, printing, failed. */
int store_print_counts(struct store *s, long *queued, long *printing, long *failed,
                       struct err *err);

/* The kind ("handshake" or "lead") of interaction id into kind (16 bytes).
 * 0 found, 1 not found, -1 error. */
int store_print_interaction_kind(struct store *s, const char *id, char kind[16], struct err *err);

/* Fill out (slip_init'ed here) with what job prints: header title, the date
 * of the interaction, the kiosk id, and one section per contact with notes,
 * lead details, the earliest open follow-up and whether the person agreed
 * to share the card. The caller sets event name, time zone and may change
 * the texts. 0, 1 the interaction or attendee is gone (erased), -1 error.
 * On failure out holds no memory. */
int store_slip_load(struct store *s, const struct store_print_job *job, struct slip *out,
                    struct err *err);
/* Same, with the slip's own words in language lang (slip_word; NULL = en).
 * out->recipient names whom the slip is for: the attendee of a handshake
 * slip printed for one of the two, both names on a slip for both, the
 * operator of a lead (or the booth staff), the owner of a connections
 * slip, the kiosk staff for a test page. */
int store_slip_load_lang(struct store *s, const struct store_print_job *job, const char *lang,
                         struct slip *out, struct err *err);

#endif
