/*
 * store_export.h - the read side of exports: consented rows, streamed one
 * at a time from SQLite, never loaded whole.
 *
 * "Consented" is decided here and nowhere else: a person's data leaves the
 * kiosk only through an interaction side whose consent time is set
 * (interactions.consent_a_at / consent_b_at; withdrawal sets them to NULL).
 * A contact appears only if at least one such side exists within the
 * filter; a handshake partner who did not consent is not even named.
 * Every callback gets borrowed data valid during the call only; returning
 * non-zero stops the walk and that value is returned.
 */
#ifndef KIOSK_STORE_EXPORT_H
#define KIOSK_STORE_EXPORT_H

#include <stdint.h>

#include "contact.h"
#include "store.h"
#include "store_followup.h"

struct store_export_filter {
    int64_t since_ms; /* interactions captured at or after; 0 = all */
    const char *mode; /* NULL/"" = all, "handshake", or "booth" (leads) */
};

/* One consented side of an interaction: a CSV row. */
struct store_export_row {
    char interaction_id[KIOSK_ID_LEN];
    char kind[16]; /* "handshake" | "lead" */
    char mode[16]; /* "handshake" | "booth" */
    int64_t captured_at;
    char kiosk_id[KIOSK_KIOSK_ID_MAX];
    char operator_name[KIOSK_NAME_MAX];
    char contact_id[KIOSK_ID_LEN];
    struct contact c;                 /* c.ref, c.format = badge format */
    char met_with_ref[KIOSK_REF_MAX]; /* handshake partner's ref, only if they consented */
    int has_lead;                     /* booth qualification present */
    int rating;
    const char *tags;    /* comma-separated, never NULL */
    const char *answers; /* JSON object text (validated by SQLite), "" when none */
    const char *notes;   /* note bodies oldest first, joined by "\n", never NULL */
    char consent_scope[KIOSK_NAME_MAX];
    char consent_version[KIOSK_NAME_MAX];
    int64_t consent_at;
    char followup_choice[16];
    int64_t followup_due; /* latest follow-up of this pair; 0 = none */
    char followup_status[16];
    long interaction_count; /* interactions this contact took part in */
};

/* The walks below (rows, contacts, interactions, notes) call fn once per
 * item with a struct whose strings live only until fn returns (copy what
 * you keep). They return 0 after the last item, fn's value when fn
 * returned non-zero (the walk stops there; return a positive value to tell
 * it from a failure), or -1 with err set when the query failed. They never
 * write; wrap several walks in store_export_begin/end for one snapshot. */

/* Number of rows store_export_rows would give, or -1 with err set. */
long store_export_count(struct store *s, const struct store_export_filter *f, struct err *err);
/* Every consented side, in capture order. */
int store_export_rows(struct store *s, const struct store_export_filter *f,
                      int (*fn)(void *ctx, const struct store_export_row *r), void *ctx,
                      struct err *err);

/* One consented contact: a vCard / JSON contact. */
struct store_export_contact {
    char id[KIOSK_ID_LEN];
    struct contact c;
    char source[16];
    int64_t first_met, last_met; /* over consented interactions in the filter */
    long meetings;
    const char *notes; /* notes of those interactions, oldest first, "\n"-joined */
};
int store_export_contacts(struct store *s, const struct store_export_filter *f,
                          int (*fn)(void *ctx, const struct store_export_contact *c), void *ctx,
                          struct err *err);

/* One interaction with at least one consented side (JSON). */
struct store_export_interaction {
    char id[KIOSK_ID_LEN];
    char kind[16], mode[16];
    int64_t created_at;
    char kiosk_id[KIOSK_KIOSK_ID_MAX];
    char operator_name[KIOSK_NAME_MAX];
    char a_id[KIOSK_ID_LEN]; /* empty unless that side consented */
    char b_id[KIOSK_ID_LEN];
    char followup_choice[16];
    int has_lead, rating;
    const char *tags, *answers; /* as in store_export_row */
};
int store_export_interactions(struct store *s, const struct store_export_filter *f,
                              int (*fn)(void *ctx, const struct store_export_interaction *it),
                              void *ctx, struct err *err);

/* The notes of one interaction, oldest first. */
int store_export_notes(struct store *s, const char *interaction_id,
                       int (*fn)(void *ctx, int64_t at, const char *author, const char *body),
                       void *ctx, struct err *err);

/* Follow-ups: store_followup_each_consented() in store_followup.h. */

/* A read transaction around a multi-pass export so every pass sees the same
 * snapshot. Returns 1 when it began one, 0 when the caller already had a
 * transaction open (that one is used), -1 with err. Pass the result to
 * store_export_end, which commits only what begin began. */
int store_export_begin(struct store *s, struct err *err);
void store_export_end(struct store *s, int began);

#endif
