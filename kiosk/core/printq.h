/*
 * printq.h - the persistent print queue: store first, print, record.
 *
 * A slip request becomes a row in print_jobs before anything is sent
 * (printq_submit). printq_run claims due jobs one at a time and hands each to
 * a sink (a table of functions supplied by the shell: render the slip,
 * send it to the printer). Success marks the job done, so it is never
 * printed again unless reprinted on purpose (store_print_reprint). A failure
 * keeps it queued with the error and a next attempt time that backs off;
 * after retry_max attempts it is marked failed for staff to look at. Jobs
 * live in SQLite, so they survive restarts.
 *
 * Pure: time is passed in, no printer or font here.
 */
#ifndef KIOSK_PRINTQ_H
#define KIOSK_PRINTQ_H

#include <stdint.h>

#include "store_print.h"

struct printq_policy {
    int retry_max;            /* attempts before "failed"; 0 = keep trying */
    int64_t backoff_first_ms; /* wait after the first failure */
    int64_t backoff_max_ms;   /* the wait doubles per failure up to this */
    int64_t stale_ms;         /* a job "printing" for longer was interrupted */
};

/* Defaults: 20 attempts, 5 s doubling to 5 min, stale after 10 min. */
void printq_policy_default(struct printq_policy *p);

/* Wait before the next try after `attempts` failed attempts (>= 1). */
int64_t printq_backoff(const struct printq_policy *p, int attempts);

struct printq_sink {
    /* Render job's slip and print it. 0 once the printer accepted it; -1
     * with err set (printer offline, out of paper, cupsd stopped...), to be
     * retried; PRINTQ_PERMANENT when retrying cannot help (the contact was
     * erased): the job is marked failed at once. */
    int (*print)(void *ctx, struct store *s, const struct store_print_job *job, struct err *err);
    void *ctx;
};

#define PRINTQ_PERMANENT (-2)

struct printq_stats {
    int printed;                    /* jobs done in this run */
    int retrying;                   /* jobs that failed and stay queued */
    int gave_up;                    /* jobs that failed for the last time */
    long recovered;                 /* interrupted jobs marked failed */
    char last_error[KIOSK_MSG_MAX]; /* the last printer error, "" if none */
    int64_t next_due_at;            /* when the next queued job is due (UTC ms); 0 = queue empty */
};

/* Queue a slip (see store_print_add). 0 and id_out, or -1 with err. */
int printq_submit(struct store *s, const char *kind, const char *interaction_id,
                  const char *attendee_id, int64_t now_ms, char id_out[KIOSK_ID_LEN],
                  struct err *err);
/* Same, the slip's words in language lang (see store_print_add_lang). */
int printq_submit_lang(struct store *s, const char *kind, const char *interaction_id,
                       const char *attendee_id, const char *lang, int64_t now_ms,
                       char id_out[KIOSK_ID_LEN], struct err *err);

/* Print due jobs (or only job only_id) until none is due, max_jobs were
 * tried or one failed (the printer is then likely down for the rest). force = ignore the backoff
 * wait (staff pressed "retry now"). Printer failures are recorded on the jobs and counted in stats,
 * not returned: the return value is 0, or -1 when the database failed (err). */
int printq_run(struct store *s, const struct printq_policy *p, const struct printq_sink *sink,
               const char *only_id, int force, int max_jobs, int64_t now_ms,
               struct printq_stats *stats, struct err *err);

#endif
