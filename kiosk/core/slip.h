/*
 * slip.h - the printed QR summary slip: what it says and how it is laid out.
 *
 * A struct slip is plain data (header, one section per contact, footer),
 * filled from the store (store_slip_*) or by hand (tests, the test page).
 * slip_render lays it out for any paper width in dots and draws it into a
 * 1-bit raster: text through the font table (font.h), QR codes of each
 * contact's compact vCard with whole dots per module and a quiet zone. The
 * same raster feeds every printer backend and the PNG preview.
 */
#ifndef KIOSK_SLIP_H
#define KIOSK_SLIP_H

#include <stddef.h>
#include <stdint.h>

#include "contact.h"
#include "err.h"
#include "font.h"
#include "limits.h"
#include "raster.h"

enum slip_kind { SLIP_HANDSHAKE, SLIP_LEAD, SLIP_CONNECTIONS, SLIP_TEST };

/* Notes printed for one contact (all notes of the interaction, joined). */
#define SLIP_NOTE_MAX 4096
#define SLIP_LINE_MAX 512

struct slip_contact {
    struct contact c;
    char note[SLIP_NOTE_MAX];   /* interaction notes; empty = none */
    char detail[SLIP_LINE_MAX]; /* one extra line, e.g. lead rating and tags */
    int64_t followup_due;       /* UTC ms; 0 = no follow-up planned */
    int share_card;             /* 1 = print the QR vCard (the person consented) */
};

struct slip {
    enum slip_kind kind;
    char event[SLIP_LINE_MAX];      /* event name */
    char kiosk[KIOSK_KIOSK_ID_MAX]; /* kiosk id */
    char title[SLIP_LINE_MAX];      /* e.g. "Handshake", "Booth lead" */
    char subtitle[SLIP_LINE_MAX];   /* e.g. "Captured by Jane"; may be empty */
    int64_t at;                     /* UTC ms printed in the header */
    int utc_offset_min;             /* local time = UTC + this, for dates shown */
    char tip[SLIP_LINE_MAX];        /* footer follow-up tip */
    char privacy[SLIP_LINE_MAX];    /* footer one-line privacy notice */
    struct slip_contact *contacts;  /* owned (slip_free) */
    int n;
};

/* Contacts on one slip ("my connections" of a busy attendee included). */
#define SLIP_CONTACTS_MAX 64

struct slip_params {
    int width_dots; /* printable width, 128..RASTER_WIDTH_MAX */
    int dpi;        /* dots per inch, for sizes in millimetres */
};

/* Fill s with the header/footer defaults for kind (title, tip, privacy) and
 * no contacts. */
void slip_init(struct slip *s, enum slip_kind kind);
/* Append a zeroed contact section and return it, or NULL (err set) past
 * SLIP_CONTACTS_MAX or on out of memory. */
struct slip_contact *slip_add(struct slip *s, struct err *err);
/* Free the contact list; s can be reused after slip_init. Accepts NULL. */
void slip_free(struct slip *s);

/* A small made-up slip (two sample contacts) plus a dot ruler: the test page. */
int slip_test_page(struct slip *s, int64_t now_ms, struct err *err);

/* The QR payload of one section: the contact's compact vCard 3.0 without its
 * own badge note, with "Met at EVENT, DATE" as note. Returns its length, or
 * -1 with err set (buf then empty). */
int slip_vcard(const struct slip *s, const struct slip_contact *sc, char *buf, size_t size,
               struct err *err);

/* Lay s out for p and draw it. Returns 0 and *out (caller frees with
 * raster_free; (*out)->qr lists every QR drawn), or -1 with err set and *out
 * NULL: width or dpi out of range, a font failure, a first section that
 * alone is taller than RASTER_HEIGHT_MAX. When all sections together would
 * be taller, the slip holds the first ones that fit and a line saying how
 * many more there are. A vCard too large for a QR at this width is not an
 * error: the section says so in text instead. */
int slip_render(const struct slip *s, const struct slip_params *p, struct font *f,
                struct raster **out, struct err *err);

/* "Thu 26 Nov 2026 14:05" for t (UTC ms) shifted by offset minutes. */
void slip_format_time(int64_t t, int offset_min, int with_time, char *buf, size_t size);

#endif
