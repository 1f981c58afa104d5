/*
 * badge.h - turn any badge payload into a contact.
 *
 * Pure: bytes in, a struct contact out. Never guesses a name it did not read;
 * an unrecognised payload becomes an opaque reference for the roster.
 */
#ifndef KIOSK_BADGE_H
#define KIOSK_BADGE_H

#include <stddef.h>

#include "contact.h"

enum badge_status {
    BADGE_CONTACT = 0, /* a contact with at least a name or e-mail was read */
    BADGE_REF = 1,     /* only a reference (ticket secret, id, URL token): ask the roster */
    BADGE_REFUSED = 2, /* not a badge (Wi-Fi, payment, setup code); reason says which */
    BADGE_INVALID = 3  /* malformed, oversized or not UTF-8; reason says why */
};

struct badge_options {
    /* Field order of caret-delimited badges (config badge.caret_fields),
     * e.g. "ref,given,family,email,org,title". NULL = that default. */
    const char *caret_fields;
};

/* Parse len bytes (not NUL-terminated) into out. reason (may be NULL)
 * receives one short sentence for REFUSED/INVALID. out->format names the
 * detected format; out->ref is set for CONTACT and REF. opt may be NULL. */
enum badge_status badge_parse(const unsigned char *data, size_t len,
                              const struct badge_options *opt, struct contact *out,
                              char *reason, size_t reason_size);

#endif
