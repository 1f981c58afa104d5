/*
 * slip.h - the printed QR summary slip: what it says and how it is laid out.
 *
 * A struct slip is plain data (header, one section per contact, footer),
 * filled from the store (store_slip_*) or by hand (tests, the test page).
 * slip_render lays it out for any paper width in dots and draws it into a
 * 1-bit raster: text through the font table (font.h), QR codes of each
 * contact's compact vCard with whole dots per module and a quiet zone. The
 * same raster feeds every printer backend and the PNG preview.
 *
 * Every slip opens with whom it is for ("For Ada Lovelace", white on a black
 * band): a handshake prints two slips one after the other, each with the
 * OTHER person's card, and the band is what tells the two apart.
 *
 * Words: every text the slip itself adds ("For ...", "Follow up by",
 * "Scan with your phone camera...", default titles, tips, the dates and the
 * "Met at" note in each QR vCard) comes from a table by language
 * (slip_word): en, de, fr, es, the kiosk's UI languages. An unknown
 * language prints English. What people typed (names, notes, tags) and the
 * test page's sample data and ruler stay as they are.
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
    char lang[8];                   /* language of the slip's own words; "" = en */
    char recipient[SLIP_LINE_MAX];  /* whom the slip is for; "" = no "For" band */
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

/* The words a slip adds by itself. */
enum slip_word {
    SLIP_W_FOR,         /* "For {}": {} = the recipient */
    SLIP_W_AND,         /* " & " between the two names of a slip for both */
    SLIP_W_BOOTH_STAFF, /* recipient of a lead slip with no operator name */
    SLIP_W_TEST_RECIPIENT,
    SLIP_W_NEW_CONTACT,   /* title of a handshake slip for one of the two */
    SLIP_W_CONNECTIONS_N, /* "My connections ({})" */
    SLIP_W_MORE_ON_KIOSK, /* "the first {}; {} more on the kiosk" (two numbers) */
    SLIP_W_NOTE,
    SLIP_W_FOLLOW_UP, /* "Follow up by {}" */
    SLIP_W_SCAN,      /* the instruction above each QR code */
    SLIP_W_NO_NAME,
    SLIP_W_NOT_SHARED,
    SLIP_W_NO_QR, /* "No QR card: {}" */
    SLIP_W_TOO_LARGE,
    SLIP_W_NO_CONTACTS,
    SLIP_W_MORE_1, /* "...and 1 more contact: too many for one slip." */
    SLIP_W_MORE_N, /* "...and {} more contacts: too many for one slip." */
    SLIP_W_PRIVACY,
    SLIP_W_SAMPLE,     /* test page subtitle */
    SLIP_W_RATING,     /* "Rating {}/5" of a booth lead */
    SLIP_W_MORE_NOTES, /* after the notes that fit a section */
    SLIP_W_MET_AT,     /* vCard note: "Met at {}, {}" (event, date) */
    SLIP_W_MET_ON,     /* vCard note without an event: "Met on {}" */
    SLIP_W_COUNT
};

/* The text of w in language lang (NULL or "" = English); a language or word
 * not translated yet gives the English text. Never NULL; static storage. */
const char *slip_word(const char *lang, enum slip_word w);
/* 1 when the slip has words in language lang ("en", "de", ...), else 0. */
int slip_lang_known(const char *lang);
/* The i-th language the slip speaks (0 = "en"), NULL past the last. */
const char *slip_lang_at(int i);
/* Copy tmpl into buf (size > 0), the first "{}" replaced by arg. Always
 * NUL-terminated; a result longer than buf ends at a whole UTF-8 character.
 * Returns 0, or 1 when it was cut. No printf formats: a translated
 * template cannot smuggle in a conversion. */
int slip_fill(char *buf, size_t size, const char *tmpl, const char *arg);

/* Fill s with the header/footer defaults for kind (title, tip, privacy) in
 * English and no contacts. */
void slip_init(struct slip *s, enum slip_kind kind);
/* Same, in language lang (see slip_word); s->lang is set to the language
 * the words are in ("en" when lang is not translated). */
void slip_init_lang(struct slip *s, enum slip_kind kind, const char *lang);
/* Append a zeroed contact section and return it, or NULL (err set) past
 * SLIP_CONTACTS_MAX or on out of memory. */
struct slip_contact *slip_add(struct slip *s, struct err *err);
/* Free the contact list; s can be reused after slip_init. Accepts NULL. */
void slip_free(struct slip *s);

/* A small made-up slip (two sample contacts) plus a dot ruler: the test page.
 * 0, or -1 with err set (s then holds no memory). */
int slip_test_page(struct slip *s, int64_t now_ms, struct err *err);
/* Same, its title, tip, band and footer in language lang (see slip_word). */
int slip_test_page_lang(struct slip *s, const char *lang, int64_t now_ms, struct err *err);

/* The QR payload of one section: the contact's compact vCard 3.0 without its
 * own badge note, with "Met at EVENT, DATE" as note (in s->lang, as the
 * rest of the slip; exports write their own note). Returns its length, or
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

/* The "For <recipient>" line of s as slip_render draws it for p: the
 * largest size from about 5 mm down to 4 mm at which it fits the printable
 * width, else at 4 mm with the name cut at a whole UTF-8 character and an
 * ellipsis. 0 with buf filled ("" when s has no recipient) and *size_dots
 * (may be NULL) the font size used; -1 with err set on a font failure. */
int slip_for_line(const struct slip *s, const struct slip_params *p, struct font *f, char *buf,
                  size_t size, int *size_dots, struct err *err);

/* "Thu 26 Nov 2026 14:05" for t (UTC ms) shifted by offset minutes. */
void slip_format_time(int64_t t, int offset_min, int with_time, char *buf, size_t size);
/* Same in language lang (NULL or unknown = English): "Do. 26. Nov. 2026,
 * 14:05", "jeu. 26 nov. 2026, 14:05", "jue 26 nov 2026, 14:05". */
void slip_format_time_lang(const char *lang, int64_t t, int offset_min, int with_time, char *buf,
                           size_t size);

#endif
