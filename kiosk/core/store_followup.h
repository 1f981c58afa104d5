/*
 * store_followup.h - the follow-up queue in the database (rules in
 * followup.h, rows in the followups table of store.c).
 */
#ifndef KIOSK_STORE_FOLLOWUP_H
#define KIOSK_STORE_FOLLOWUP_H

#include <stdint.h>

#include "followup.h"
#include "store.h"

/* One follow-up with what a person needs to act on it. */
struct store_followup {
    char id[KIOSK_ID_LEN];
    char interaction_id[KIOSK_ID_LEN];
    char owner_id[KIOSK_ID_LEN];     /* empty for a booth lead */
    char owner_name[KIOSK_NAME_MAX]; /* handshake: the owner's name; lead: the operator */
    char contact_id[KIOSK_ID_LEN];
    char contact_name[KIOSK_NAME_MAX]; /* best name (contact_name() rules) */
    char contact_org[KIOSK_ORG_MAX];
    char contact_email[KIOSK_EMAIL_MAX]; /* first e-mail */
    char contact_phone[KIOSK_PHONE_MAX]; /* first phone */
    enum followup_kind kind;
    enum followup_status status;
    int64_t due_at, created_at, updated_at;
    int meetings;
};

/* What store_followup_queue did. */
struct store_followup_result {
    int queued;  /* new follow-ups */
    int merged;  /* meetings folded into an open follow-up of the same pair */
    int refused; /* sides skipped for lack of consent */
};

/*
 * Queue the follow-ups a saved interaction asks for (its followup_choice),
 * following every rule in followup.h: the meeting time is the interaction's
 * created_at; handshakes give each side a follow-up with the other only if
 * the other consented; a lead gives the operator one with the attendee.
 * Runs in one transaction unless the caller already opened one. Returns 0
 * and fills *res (may be NULL), or -1 with err (nothing written).
 */
int store_followup_queue(struct store *s, const char *interaction_id,
                         const struct followup_policy *p, const struct tzone *z, int64_t now_ms,
                         struct store_followup_result *res, struct err *err);

/* Mark queued follow-ups whose time has come as due. Returns the number
 * changed, or -1 with err. */
long store_followup_refresh(struct store *s, int64_t now_ms, struct err *err);

enum store_followup_filter {
    STORE_FOLLOWUPS_ALL = 0, /* every status */
    STORE_FOLLOWUPS_OPEN,    /* queued and due */
    STORE_FOLLOWUPS_DUE      /* open with due_at <= now_ms */
};

/* Call fn for each follow-up matching filter, ordered by due time. fn
 * returns 0 to go on, non-zero to stop (that value is returned). The row is
 * borrowed for the call. Returns 0, fn's stop value, or -1 with err. */
int store_followup_each(struct store *s, enum store_followup_filter filter, int64_t now_ms,
                        int (*fn)(void *ctx, const struct store_followup *f), void *ctx,
                        struct err *err);

/* For exports: follow-ups that are not cancelled, whose meeting (created_at)
 * is at or after since_ms, of interaction kind (NULL = any; "lead" = booth
 * follow-ups, "handshake" = the others), and whose contact - and owner, when
 * the owner is an attendee - has a consented interaction side in the same
 * filter. Same callback contract as above. */
int store_followup_each_consented(struct store *s, int64_t since_ms, const char *kind,
                                  int64_t now_ms,
                                  int (*fn)(void *ctx, const struct store_followup *f), void *ctx,
                                  struct err *err);

/* Close an open follow-up as done or skipped. id may be the full id, or a
 * unique prefix or suffix of at least 8 characters (lists show the last 12:
 * UUIDv7 prefixes are timestamps, shared by rows written together). Returns 0, 1 when no open
 * follow-up has that id, -1 with err (ambiguous prefix, bad status,
 * database). full_id (may be NULL) receives the id acted on. */
int store_followup_close(struct store *s, const char *id, enum followup_status status,
                         int64_t now_ms, char full_id[KIOSK_ID_LEN], struct err *err);

/* Cancel every open follow-up an attendee owns or is the contact of (consent
 * withdrawn, or about to be forgotten). Returns the number cancelled or -1. */
long store_followup_cancel_attendee(struct store *s, const char *attendee_id, int64_t now_ms,
                                    struct err *err);

#endif
