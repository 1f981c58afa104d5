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
    BADGE_CONTACT = 0, /* a contact with a name, organization, e-mail or phone was read */
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
 * detected format; out->ref is set for CONTACT and REF. opt may be NULL.
 *
 * Formats (out->format): vcard21, vcard3, vcard4, mecard, eventyay, indico,
 * json (generic object), pgeu, pycon, linkedin, profile, url, devoxx, caret,
 * email, ref (an opaque code of a known shape: ticket secret, order code,
 * pseudonymization id, numeric id, UUID) and unknown (any other short
 * single-line text, kept raw as a reference). A contact read without a
 * reference of its own gets its first e-mail, else "<format>:<64-bit hash
 * of the payload>", so the same badge always maps to the same attendee.
 * For REFUSED/INVALID every field but format is empty. Never allocates;
 * uses about 40 KiB of stack. */
enum badge_status badge_parse(const unsigned char *data, size_t len,
                              const struct badge_options *opt, struct contact *out, char *reason,
                              size_t reason_size);

/* Render c as one JSON object on one line, keys in this order: format,
 * display_name, given_name, family_name, org, title, emails (array, always),
 * phones (array, always), url, note, ref; empty strings omitted. Returns the
 * length (buf NUL-terminated) or -1 when it does not fit (buf then ""). */
int badge_to_json(const struct contact *c, char *buf, size_t size);

/* "contact", "ref", "refused" or "invalid". */
const char *badge_status_name(enum badge_status st);

#endif
