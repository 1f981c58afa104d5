/*
 * roster.h - registration exports (CSV) to contacts: header mapping and
 * row checking. Pure: the CSV reader feeds it, store_roster.c stores it.
 */
#ifndef KIOSK_ROSTER_H
#define KIOSK_ROSTER_H

#include <stddef.h>

#include "contact.h"
#include "err.h"
#include "limits.h"

enum roster_field {
    ROSTER_IGNORE = 0,
    ROSTER_REF,    /* ticket secret / barcode: what the badge QR holds */
    ROSTER_ORDER,  /* order code (may be shared by an order's tickets) */
    ROSTER_PSEUDO, /* pretix/eventyay pseudonymization id */
    ROSTER_GIVEN,
    ROSTER_FAMILY,
    ROSTER_NAME, /* full name */
    ROSTER_EMAIL,
    ROSTER_ORG,
    ROSTER_TITLE,
    ROSTER_PHONE,
    ROSTER_URL,
    ROSTER_NOTE,
    ROSTER_NFIELDS
};

/* Column -> field for one file. */
struct roster_map {
    enum roster_field col[KIOSK_CSV_FIELDS_MAX];
    int ncols;
};

/* Parse a field name as accepted by --map ("ref", "secret", "order",
 * "pseudonym", "given", "family", "name", "email", "org", "title", "phone",
 * "url", "note", "ignore"). Returns the field or -1. */
int roster_field_parse(const char *name);
const char *roster_field_name(enum roster_field f);

/* The field of one --map override "COLUMN=FIELD" (the last '=' splits), or
 * -1 with a reason when it has no column or no known field. */
int roster_override_field(const char *override, struct err *err);

/*
 * Build the column map from the header row (ncols names) for the common
 * registration exports: pretix, eventyay, alf.io, Eventbrite, and generic
 * "First name / Last name / E-mail / Company / Ticket secret / Order code /
 * Pseudonymization ID". Matching ignores case, spaces and punctuation.
 * When several columns could hold the same field, the most specific wins
 * (e.g. "Ticket secret" over "ID"); the others are ignored.
 * overrides: n strings "COLUMN=FIELD" (from --map), applied last; COLUMN is
 * matched like a header (or "#N" for the N-th column, 1-based).
 * Returns 0; -1 with err when an override names an unknown column or field,
 * or when no column can serve as a reference (ref, pseudonym, order or
 * e-mail), or when a header cell is not UTF-8.
 */
int roster_map_header(struct roster_map *map, const char *const *header, int ncols,
                      const char *const *overrides, int noverrides, struct err *err);

/* Human-readable "column -> field" summary of map for the import report,
 * e.g. "Ticket secret=ref, E-mail=email". Returns buf. */
const char *roster_map_describe(const struct roster_map *map, const char *const *header, char *buf,
                                size_t size);

/* The secondary references of one row, stored beside the primary ref. */
struct roster_refs {
    char order[KIOSK_REF_MAX];
    char pseudo[KIOSK_REF_MAX];
};

/*
 * Turn one data row into a contact (format "roster") and its secondary
 * references. The primary reference is the ticket secret, else the
 * pseudonymization id, else the order code, else the e-mail. Fields are
 * trimmed; the row must have exactly map->ncols fields.
 * Returns 0, or -1 with a one-sentence reason in err (wrong field count,
 * not UTF-8, a field over its limit, an e-mail that is not an address,
 * no reference at all).
 */
int roster_row(const struct roster_map *map, const char *const *fields, int nfields,
               struct contact *out, struct roster_refs *refs, struct err *err);

#endif
