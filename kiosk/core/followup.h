/*
 * followup.h - the rules of the follow-up queue, as pure functions.
 *
 * A follow-up is a reminder for one person (the owner: the other attendee
 * of a handshake, or the booth operator of a lead) to contact another (the
 * contact) after they met: a "thank-you" soon after, or a "check-in" later.
 * The rules, all decided here and stored by store_followup.c:
 *   - the on-screen choice picks the kind: "none" = nothing, "tomorrow" = a
 *     thank-you due followup.thank_you_h hours after the meeting,
 *     "next-week" = a check-in due followup.check_in_d calendar days after
 *     it, at the same local wall-clock time (a DST change in between does
 *     not shift it by an hour);
 *   - no follow-up without the contact's consent: a consent time and a
 *     consent scope that contains "followup" (e.g. "card+followup");
 *   - at most one open (queued or due) follow-up per owner/contact pair
 *     within followup.window_d days: a repeat meeting merges into the open
 *     one (its meeting count goes up, its kind and due time stay);
 *   - nothing falls due inside quiet hours (followup.quiet_start..quiet_end,
 *     local times in event.timezone): such a due time moves to the end of
 *     the quiet hours;
 *   - withdrawing consent or forgetting an attendee cancels open ones.
 * Statuses: queued -> due (when its time has come) -> done | skipped;
 * queued/due -> cancelled. Time is always passed in.
 */
#ifndef KIOSK_FOLLOWUP_H
#define KIOSK_FOLLOWUP_H

#include <stdint.h>

#include "err.h"
#include "tzone.h"

enum followup_kind { FOLLOWUP_THANK_YOU = 0, FOLLOWUP_CHECK_IN };
enum followup_status {
    FOLLOWUP_QUEUED = 0,
    FOLLOWUP_DUE,
    FOLLOWUP_DONE,
    FOLLOWUP_SKIPPED,
    FOLLOWUP_CANCELLED
};

struct followup_policy {
    int thank_you_h;     /* hours after the meeting a thank-you is due */
    int check_in_d;      /* days after the meeting a check-in is due */
    int window_d;        /* merge window in days; 0 = never merge */
    int quiet_start_min; /* minutes after local midnight; equal to end = no quiet hours */
    int quiet_end_min;
};

/* Build a policy from config values (followup.* keys). Returns 0, or -1
 * with err naming the bad value (p is then unspecified). */
int followup_policy_init(struct followup_policy *p, long thank_you_h, long check_in_d,
                         long window_d, const char *quiet_start, const char *quiet_end,
                         struct err *err);

/* "thank-you" / "check-in"; parse returns the kind or -1. */
const char *followup_kind_name(enum followup_kind k);
int followup_kind_parse(const char *s);
/* "queued", "due", "done", "skipped", "cancelled"; parse returns -1 if unknown. */
const char *followup_status_name(enum followup_status st);
int followup_status_parse(const char *s);
/* 1 for queued and due (the statuses that still ask for action). */
int followup_is_open(enum followup_status st);

/* 1 when a contact with this consent time (0 = none / withdrawn) and scope
 * may be followed up, else 0. */
int followup_consented(int64_t consent_at, const char *scope);

/* 1 when utc_ms falls inside the quiet hours in zone z (start inclusive,
 * end exclusive; a window that wraps midnight, like 20:00-08:00, works). */
int followup_in_quiet(const struct followup_policy *p, const struct tzone *z, int64_t utc_ms);
/* due_ms, or the first instant after it that is outside the quiet hours
 * (the local quiet_end of that night), DST-aware through z. */
int64_t followup_quiet_adjust(const struct followup_policy *p, const struct tzone *z,
                              int64_t due_ms);

/* Plan the follow-up a meeting at met_ms asks for. choice is the on-screen
 * "none", "tomorrow" or "next-week". Returns 1 with *kind and *due_ms set
 * (quiet hours already applied), 0 when the choice is "none" (or empty), or
 * -1 with err for an unknown choice. */
int followup_plan(const struct followup_policy *p, const struct tzone *z, const char *choice,
                  int64_t met_ms, enum followup_kind *kind, int64_t *due_ms, struct err *err);

/* 1 when a new meeting at met_ms must merge into an open follow-up of the
 * same pair that was created at open_created_ms (within window_d days). */
int followup_should_merge(const struct followup_policy *p, int64_t open_created_ms, int64_t met_ms);

/* The status a queued follow-up has at now_ms: due once due_ms has come. */
enum followup_status followup_status_at(enum followup_status st, int64_t due_ms, int64_t now_ms);

#endif
