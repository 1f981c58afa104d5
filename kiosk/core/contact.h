/*
 * contact.h - the one normalized person every badge format becomes.
 *
 * A contact is plain data with fixed-size, NUL-terminated UTF-8 fields, so it
 * can be copied by assignment and owns no memory. Empty string = absent.
 * Producers (badge parser, roster, store) guarantee every field is valid
 * UTF-8 and within its limit from limits.h.
 */
#ifndef KIOSK_CONTACT_H
#define KIOSK_CONTACT_H

#include <stddef.h>

#include "limits.h"

struct contact {
    char display_name[KIOSK_NAME_MAX];
    char given_name[KIOSK_NAME_MAX];
    char family_name[KIOSK_NAME_MAX];
    char org[KIOSK_ORG_MAX];
    char title[KIOSK_TITLE_MAX];
    char emails[KIOSK_EMAILS_MAX][KIOSK_EMAIL_MAX];
    int n_emails;
    char phones[KIOSK_PHONES_MAX][KIOSK_PHONE_MAX];
    int n_phones;
    char url[KIOSK_URL_MAX];
    char note[KIOSK_NOTE_MAX];
    char ref[KIOSK_REF_MAX];        /* attendee reference (ticket secret, id, ...) */
    char format[KIOSK_FORMAT_MAX];  /* detected badge format, e.g. "vcard3", "mecard" */
    char pitch[KIOSK_PITCH_MAX];    /* one-line pitch typed at the kiosk */
    char objectives[KIOSK_OBJ_MAX]; /* comma-separated, e.g. "hiring,mentorship" */
};

/* Zero every field. */
void contact_clear(struct contact *c);

/* Best name to show: display name, else "given family", else org, else ref.
 * Writes a NUL-terminated string of at most size bytes into buf; a name
 * that does not fit is cut at a character boundary (never inside a UTF-8
 * sequence). Returns buf. */
const char *contact_name(const struct contact *c, char *buf, size_t size);

/* Copy src into a fixed field of size dst_size. Returns 0 on success, -1 if
 * src (with NUL) does not fit; on failure dst is left empty. */
int contact_set(char *dst, size_t dst_size, const char *src);

/* Copy src[0..n) into a field of size bytes, the way every reader (badge,
 * vCard, roster) stores outside text: surrounding whitespace and control
 * characters trimmed; inner control characters become spaces, except that
 * multiline keeps '\n' and drops '\r'. Returns 0, or -1 when the trimmed
 * text does not fit (dst is then empty). Never cuts. */
int contact_field(char *dst, size_t size, const char *src, size_t n, int multiline);

/* Add an e-mail / phone if there is room and it is not already present.
 * Returns 0 when stored or already present, -1 when full or too long. */
int contact_add_email(struct contact *c, const char *email);
int contact_add_phone(struct contact *c, const char *phone);

#endif
