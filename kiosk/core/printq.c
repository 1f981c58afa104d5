/*
 * printq.c - retry policy and the run loop of the print queue (printq.h).
 *
 * Owns the decisions: which job next, when to try again, when to give up.
 * The rows are kept by store_print.c; the printing is done by the sink.
 * Never: sends a job that is not stored and claimed first, marks a job done
 * before the sink said the printer accepted it, reads the clock.
 */
#include "printq.h"

#include <stdio.h>
#include <string.h>

void printq_policy_default(struct printq_policy *p)
{
    p->retry_max = 20;
    p->backoff_first_ms = 5000;
    p->backoff_max_ms = 5 * 60 * 1000;
    p->stale_ms = 10 * 60 * 1000;
}

int64_t printq_backoff(const struct printq_policy *p, int attempts)
{
    int64_t wait = p->backoff_first_ms;
    for (int i = 1; i < attempts && wait < p->backoff_max_ms; i++)
        wait *= 2;
    return wait > p->backoff_max_ms ? p->backoff_max_ms : wait;
}

int printq_submit(struct store *s, const char *kind, const char *interaction_id,
                  const char *attendee_id, int64_t now_ms, char id_out[KIOSK_ID_LEN],
                  struct err *err)
{
    return store_print_add(s, kind, interaction_id, attendee_id, now_ms, id_out, err);
}

int printq_submit_lang(struct store *s, const char *kind, const char *interaction_id,
                       const char *attendee_id, const char *lang, int64_t now_ms,
                       char id_out[KIOSK_ID_LEN], struct err *err)
{
    return store_print_add_lang(s, kind, interaction_id, attendee_id, lang, now_ms, id_out, err);
}

int printq_run(struct store *s, const struct printq_policy *p, const struct printq_sink *sink,
               const char *only_id, int force, int max_jobs, int64_t now_ms,
               struct printq_stats *stats, struct err *err)
{
    memset(stats, 0, sizeof(*stats));
    if (store_print_recover(s, now_ms - p->stale_ms, now_ms, &stats->recovered, err) < 0)
        return -1;
    for (int n = 0; n < max_jobs; n++) {
        struct store_print_job job;
        struct err perr = {{0}};
        int r = store_print_claim(s, only_id, force ? INT64_MAX : now_ms, now_ms, &job, err);
        if (r < 0)
            return -1;
        if (r == 1)
            break;
        r = sink->print(sink->ctx, s, &job, &perr);
        if (r == 0) {
            if (store_print_finish(s, job.id, "done", "", 0, now_ms, err) < 0)
                return -1;
            stats->printed++;
        } else {
            int last = r == PRINTQ_PERMANENT || (p->retry_max > 0 && job.attempts >= p->retry_max);
            if (!perr.msg[0])
                snprintf(perr.msg, sizeof(perr.msg), "printing failed");
            snprintf(stats->last_error, sizeof(stats->last_error), "%s", perr.msg);
            if (store_print_finish(s, job.id, last ? "failed" : "queued", perr.msg,
                                   last ? 0 : now_ms + printq_backoff(p, job.attempts), now_ms,
                                   err) < 0)
                return -1;
            if (last)
                stats->gave_up++;
            else
                stats->retrying++;
            /* The printer is likely down for the jobs behind this one too;
             * and a forced run must not pick the same job up again. */
            break;
        }
        if (only_id)
            break;
    }
    /* Tell the caller when to come back (a failed job waits out its back-off). */
    if (store_print_next_due(s, &stats->next_due_at, err) < 0)
        return -1;
    return 0;
}
