/*
 * vcard.c - vCard and MECARD text: the readers badge.c calls, and the one
 * writer the slip printer and exports call for QR codes and .vcf files.
 *
 * Owns: vCard line unfolding, parameter parsing, value unescaping,
 * quoted-printable and Latin-1 decoding; MECARD field splitting; vCard
 * escaping and folding on output. Start reading at vcard_write (bottom half
 * is the reader, from "Reading").
 * Never: allocates, reads files, guesses a name it did not read, or emits a
 * byte sequence that is not UTF-8. Every field goes through contact_set, so
 * a value past its limit is refused, never cut.
 */
#include "vcard.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- Writing */

/* Output cursor with folding. col counts octets on the current physical
 * line (without CRLF); over is set once anything did not fit. */
struct out {
    char *buf;
    size_t size, len;
    size_t col;
    int over;
};

#define FOLD_AT 75 /* RFC 6350 3.2 / RFC 2426 2.6: lines SHOULD be <= 75 octets */

static void put_bytes(struct out *o, const char *s, size_t n)
{
    if (o->over || o->len + n >= o->size) { /* keep room for the NUL */
        o->over = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* Append one unit (an escape pair or one whole UTF-8 sequence) to the
 * current content line, folding before it if it would pass FOLD_AT. */
static void put_unit(struct out *o, const char *s, size_t n)
{
    if (o->col + n > FOLD_AT) {
        put_bytes(o, "\r\n ", 3);
        o->col = 1;
    }
    put_bytes(o, s, n);
    o->col += n;
}

static void put_ascii(struct out *o, const char *s)
{
    for (; *s; s++)
        put_unit(o, s, 1);
}

static void end_line(struct out *o)
{
    put_bytes(o, "\r\n", 2);
    o->col = 0;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. Rejects
 * overlongs, surrogates and code points past U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Append a text value, escaping \ , ; and line breaks (CRLF, CR or LF all
 * become one \n). Other control characters (never valid in a vCard value)
 * become a space. Returns -1 on invalid UTF-8. */
static int put_text(struct out *o, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0) {
        size_t n = utf8_seq(p, left);
        if (n == 0)
            return -1;
        if (*p == '\\' || *p == ',' || *p == ';') {
            char pair[2] = {'\\', (char)*p};
            put_unit(o, pair, 2);
        } else if (*p == '\r' || *p == '\n') {
            if (*p == '\r' && left > 1 && p[1] == '\n')
                p++, left--;
            put_unit(o, "\\n", 2);
        } else if (*p < 0x20 || *p == 0x7F) {
            put_unit(o, *p == '\t' ? "\t" : " ", 1);
        } else {
            put_unit(o, (const char *)p, n);
        }
        p += n;
        left -= n;
    }
    return 0;
}

/* "NAME:" + escaped text + CRLF; skipped when value is empty. */
static int text_prop(struct out *o, const char *name, const char *value)
{
    if (!value[0])
        return 0;
    put_ascii(o, name);
    put_unit(o, ":", 1);
    if (put_text(o, value) < 0)
        return -1;
    end_line(o);
    return 0;
}

int vcard_write(const struct contact *c, int version, const char *extra_note, char *buf,
                size_t size, struct err *err)
{
    struct out o = {buf, size, 0, 0, 0};
    char name[KIOSK_NAME_MAX + KIOSK_NAME_MAX + 2];
    const char *bad = NULL;
    int result = -1;

    if (size > 0)
        buf[0] = '\0';
    if (version != 3 && version != 4) {
        err_set(err, "vCard version %d is not supported (3 or 4)", version);
        goto out;
    }
    for (const char *u = c->url; *u; u++) {
        if ((unsigned char)*u < 0x20 || *u == 0x7F) {
            err_set(err, "the contact's URL holds a control character");
            goto out;
        }
    }

    put_ascii(&o, "BEGIN:VCARD");
    end_line(&o);
    put_ascii(&o, version == 3 ? "VERSION:3.0" : "VERSION:4.0");
    end_line(&o);

    /* N:family;given;additional;prefix;suffix. RFC 2426 requires N; in 4.0
     * it is optional, but phones show it better than FN alone. */
    put_ascii(&o, "N:");
    if (put_text(&o, c->family_name) < 0) {
        bad = "family name";
        goto invalid;
    }
    put_unit(&o, ";", 1);
    if (put_text(&o, c->given_name) < 0) {
        bad = "given name";
        goto invalid;
    }
    put_ascii(&o, ";;;");
    end_line(&o);

    /* FN is mandatory in both versions; contact_name picks the best one. */
    contact_name(c, name, sizeof(name));
    put_ascii(&o, "FN:");
    if (put_text(&o, name) < 0) {
        bad = "name";
        goto invalid;
    }
    end_line(&o);

    if (text_prop(&o, "ORG", c->org) < 0) {
        bad = "organization";
        goto invalid;
    }
    if (text_prop(&o, "TITLE", c->title) < 0) {
        bad = "title";
        goto invalid;
    }
    for (int i = 0; i < c->n_emails && i < KIOSK_EMAILS_MAX; i++) {
        if (text_prop(&o, version == 3 ? "EMAIL;TYPE=INTERNET" : "EMAIL", c->emails[i]) < 0) {
            bad = "e-mail";
            goto invalid;
        }
    }
    for (int i = 0; i < c->n_phones && i < KIOSK_PHONES_MAX; i++) {
        if (text_prop(&o, version == 3 ? "TEL;TYPE=VOICE" : "TEL;VALUE=text", c->phones[i]) < 0) {
            bad = "phone";
            goto invalid;
        }
    }
    /* URL is a URI, not text: written as is (no control characters, checked
     * above) so that commas in query strings survive. */
    if (c->url[0]) {
        const unsigned char *p = (const unsigned char *)c->url;
        size_t left = strlen(c->url);
        put_ascii(&o, "URL:");
        while (left > 0) {
            size_t n = utf8_seq(p, left);
            if (n == 0) {
                bad = "URL";
                goto invalid;
            }
            put_unit(&o, (const char *)p, n);
            p += n;
            left -= n;
        }
        end_line(&o);
    }
    if (c->note[0] || (extra_note && extra_note[0])) {
        put_ascii(&o, "NOTE:");
        if (put_text(&o, c->note) < 0) {
            bad = "note";
            goto invalid;
        }
        if (extra_note && extra_note[0]) {
            if (c->note[0])
                put_unit(&o, "\\n", 2);
            if (put_text(&o, extra_note) < 0) {
                bad = "extra note";
                goto invalid;
            }
        }
        end_line(&o);
    }
    put_ascii(&o, "END:VCARD");
    end_line(&o);

    if (o.over) {
        err_set(err, "the vCard needs more than %zu bytes", size);
        goto out;
    }
    buf[o.len] = '\0';
    result = (int)o.len;
    goto out;
invalid:
    err_set(err, "the contact's %s is not valid UTF-8", bad);
out:
    if (result < 0 && size > 0)
        buf[0] = '\0';
    return result;
}
