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

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

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
    /* URL is a URI, not text. Readers disagree on unescaping it (vobject
     * splits on ',', some phones keep a backslash), so the three characters
     * that would need escaping are percent-encoded instead: every reader
     * then gets a working, equivalent URL. */
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
            if (*p == ',')
                put_unit(&o, "%2C", 3);
            else if (*p == ';')
                put_unit(&o, "%3B", 3);
            else if (*p == '\\')
                put_unit(&o, "%5C", 3);
            else
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

/* ---------------------------------------------------------------- Reading */

static void say(char *reason, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *reason, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (!reason || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(reason, size, fmt, ap);
    va_end(ap);
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: s[0..n) equals word. */
static int ieq(const char *s, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n && word[i]; i++)
        if (lower(s[i]) != lower(word[i]))
            return 0;
    return i == n && word[i] == '\0';
}

/* Case-insensitive: word occurs in s[0..n). */
static int icontains(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (ieq(s + i, w, word))
            return 1;
    return 0;
}

/* Blank for trimming: whitespace and control characters (which fields
 * turn into spaces anyway, so they must not survive at either end). */
static int is_space(char c)
{
    return c != '\0' && ((unsigned char)c <= 0x20 || c == 0x7F);
}

/* Trim s[0..*n) in place (moves the start, shortens n). */
static const char *trim(const char *s, size_t *n)
{
    while (*n > 0 && is_space(s[0]))
        s++, (*n)--;
    while (*n > 0 && is_space(s[*n - 1]))
        (*n)--;
    return s;
}

/* The header (before the first ':' outside quotes) of a content line
 * mentions quoted-printable: its line may end in a soft break. */
static int qp_line(const char *line, size_t n)
{
    size_t colon = 0;
    int quoted = 0;
    while (colon < n && (quoted || line[colon] != ':')) {
        if (line[colon] == '"')
            quoted = !quoted;
        colon++;
    }
    return icontains(line, colon, "QUOTED-PRINTABLE") || icontains(line, colon, "ENCODING=QP");
}

/*
 * Unfold data into out (which has room for len + 1 bytes): logical lines
 * joined by '\n'. A physical line starting with space or tab continues the
 * previous one (the one whitespace byte removed); a quoted-printable line
 * ending in '=' is continued by the next physical line (the '=' removed).
 * Accepts CRLF, LF and lone CR line ends. The output never grows.
 */
static size_t unfold_lines(const char *data, size_t len, char *out)
{
    size_t o = 0, line_start = 0, i = 0;
    int have_line = 0;
    while (i < len) {
        size_t j = i, next;
        const char *pl = data + i;
        size_t pn;
        while (j < len && data[j] != '\r' && data[j] != '\n')
            j++;
        pn = j - i;
        if (j + 1 < len && data[j] == '\r' && data[j + 1] == '\n')
            next = j + 2;
        else
            next = j < len ? j + 1 : j;
        if (have_line && o > line_start && out[o - 1] == '=' &&
            qp_line(out + line_start, o - line_start)) {
            o--;
            memcpy(out + o, pl, pn);
            o += pn;
        } else if (have_line && pn > 0 && (pl[0] == ' ' || pl[0] == '\t')) {
            memcpy(out + o, pl + 1, pn - 1);
            o += pn - 1;
        } else {
            if (have_line)
                out[o++] = '\n';
            line_start = o;
            memcpy(out + o, pl, pn);
            o += pn;
            have_line = 1;
        }
        i = next;
    }
    out[o] = '\0';
    return o;
}

struct prop {
    const char *name; /* without group */
    size_t name_len;
    const char *params; /* after the first ';', up to ':' (may be empty) */
    size_t params_len;
    const char *value;
    size_t value_len;
};

/* Split one logical line; returns -1 when it has no ':'. */
static int split_prop(const char *line, size_t n, struct prop *p)
{
    size_t colon = 0, semi;
    int quoted = 0;
    while (colon < n && (quoted || line[colon] != ':')) {
        if (line[colon] == '"')
            quoted = !quoted;
        colon++;
    }
    if (colon >= n)
        return -1;
    semi = 0;
    while (semi < colon && line[semi] != ';')
        semi++;
    p->name = line;
    p->name_len = semi;
    /* item1.EMAIL: drop the group. */
    for (size_t k = semi; k > 0; k--) {
        if (line[k - 1] == '.') {
            p->name = line + k;
            p->name_len = semi - k;
            break;
        }
    }
    p->name = trim(p->name, &p->name_len);
    p->params = semi < colon ? line + semi + 1 : line + colon;
    p->params_len = semi < colon ? colon - semi - 1 : 0;
    p->value = line + colon + 1;
    p->value_len = n - colon - 1;
    return 0;
}

/* Find parameter key (e.g. "CHARSET") and return its value span, or NULL.
 * Also reports bare 2.1 parameters (e.g. ";QUOTED-PRINTABLE") when key is
 * NULL and bare matches. */
static const char *param(const struct prop *p, const char *key, size_t *vlen)
{
    size_t i = 0;
    size_t klen = strlen(key);
    while (i < p->params_len) {
        size_t j = i;
        int quoted = 0;
        while (j < p->params_len && (quoted || p->params[j] != ';')) {
            if (p->params[j] == '"')
                quoted = !quoted;
            j++;
        }
        if (j - i > klen && ieq(p->params + i, klen, key) && p->params[i + klen] == '=') {
            const char *v = p->params + i + klen + 1;
            size_t vn = j - i - klen - 1;
            v = trim(v, &vn);
            if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"')
                v++, vn -= 2;
            *vlen = vn;
            return v;
        }
        i = j + 1;
    }
    return NULL;
}

static int has_bare_param(const struct prop *p, const char *word)
{
    size_t i = 0;
    while (i < p->params_len) {
        size_t j = i;
        while (j < p->params_len && p->params[j] != ';')
            j++;
        {
            const char *s = p->params + i;
            size_t n = j - i;
            s = trim(s, &n);
            if (ieq(s, n, word))
                return 1;
        }
        i = j + 1;
    }
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#define VALUE_MAX (2 * KIOSK_PAYLOAD_MAX + 1)

/*
 * Decode a property value to UTF-8 in out (VALUE_MAX bytes): quoted-
 * printable when the parameters say so, then the charset (UTF-8 checked,
 * Latin-1/Windows-1252 transcoded). Escapes are left for the caller, which
 * knows whether the value is structured. Returns length or -1 with reason.
 */
static int decode_value(const struct prop *p, char *out, char *reason, size_t rs)
{
    char raw[VALUE_MAX];
    size_t n = 0, vlen = 0;
    const char *enc = param(p, "ENCODING", &vlen);
    int qp = (enc && (ieq(enc, vlen, "QUOTED-PRINTABLE") || ieq(enc, vlen, "QP"))) ||
             has_bare_param(p, "QUOTED-PRINTABLE");
    const char *cs;
    size_t cslen = 0;

    for (size_t i = 0; i < p->value_len && n + 1 < sizeof(raw); i++) {
        char c = p->value[i];
        if (qp && c == '=') {
            int hi = i + 1 < p->value_len ? hexval(p->value[i + 1]) : -1;
            int lo = i + 2 < p->value_len ? hexval(p->value[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                raw[n++] = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        raw[n++] = c;
    }
    cs = param(p, "CHARSET", &cslen);
    if (!cs || ieq(cs, cslen, "UTF-8") || ieq(cs, cslen, "UTF8") || ieq(cs, cslen, "US-ASCII")) {
        if (!utf8_valid(raw, n)) {
            say(reason, rs, "the vCard's %.*s is not valid UTF-8",
                (int)(p->name_len > 20 ? 20 : p->name_len), p->name);
            return -1;
        }
        memcpy(out, raw, n);
        out[n] = '\0';
        return (int)n;
    }
    if (ieq(cs, cslen, "ISO-8859-1") || ieq(cs, cslen, "LATIN1") || ieq(cs, cslen, "LATIN-1") ||
        ieq(cs, cslen, "ISO8859-1") || ieq(cs, cslen, "WINDOWS-1252") || ieq(cs, cslen, "CP1252") ||
        ieq(cs, cslen, "ISO-8859-15")) {
        int r = utf8_from_cp1252(raw, n, out, VALUE_MAX);
        if (r < 0)
            say(reason, rs, "the vCard's %.*s is not valid in its charset",
                (int)(p->name_len > 20 ? 20 : p->name_len), p->name);
        return r;
    }
    say(reason, rs, "the vCard uses charset %.*s, which the kiosk cannot read",
        (int)(cslen > 32 ? 32 : cslen), cs);
    return -1;
}

/*
 * Component idx (0-based, split on unescaped sep) of v, unescaped
 * (\n \N \, \; \: \\), into out with a NUL. Missing component = "".
 * Unknown escapes are kept as written. out has room for strlen(v) + 1.
 */
static void component(const char *v, char sep, int idx, char *out)
{
    int k = 0;
    size_t o = 0;
    for (size_t i = 0; v[i]; i++) {
        char c = v[i];
        if (c == '\\' && v[i + 1]) {
            char e = v[i + 1];
            i++;
            if (k == idx) {
                if (e == 'n' || e == 'N')
                    out[o++] = '\n';
                else if (e == ',' || e == ';' || e == ':' || e == '\\')
                    out[o++] = e;
                else {
                    out[o++] = '\\';
                    out[o++] = e;
                }
            }
            continue;
        }
        if (sep && c == sep) {
            k++;
            if (k > idx)
                break;
            continue;
        }
        if (k == idx)
            out[o++] = c;
    }
    out[o] = '\0';
}

/* Count components (unescaped sep) of v. */
static int components(const char *v, char sep)
{
    int k = 1;
    for (size_t i = 0; v[i]; i++) {
        if (v[i] == '\\' && v[i + 1])
            i++;
        else if (v[i] == sep)
            k++;
    }
    return k;
}

/* Copy src into a contact field (contact_field rules). 0, or -1 when it
 * does not fit (the field is then empty). */
static int put_field(char *dst, size_t size, const char *src, int multiline)
{
    return contact_field(dst, size, src, strlen(src), multiline);
}

static int too_long(char *reason, size_t rs, const char *what, const char *field, size_t max)
{
    say(reason, rs, "the %s's %s is longer than %zu bytes", what, field, max - 1);
    return -1;
}

/* Store one e-mail or phone: trimmed, single line. Beyond KIOSK_*_MAX
 * entries extra addresses are ignored (a badge rarely lists more). */
static int add_listed(struct contact *c, int email, const char *v, char *reason, size_t rs,
                      const char *what)
{
    char buf[KIOSK_EMAIL_MAX];
    size_t max = email ? KIOSK_EMAIL_MAX : KIOSK_PHONE_MAX;
    const char *scheme = email ? "mailto:" : "tel:";
    size_t skip = 0, n;
    /* Drop what contact_field trims (blanks and control characters) and
     * every URI scheme in front (vCard 4 writes tel:/mailto: URIs), until
     * neither is left: the value must read the same when written back and
     * parsed again, so "\x12mailto: mailto:a@b" keeps neither scheme. */
    n = strlen(scheme);
    for (;;) {
        while (v[skip] && ((unsigned char)v[skip] <= 0x20 || v[skip] == 0x7F))
            skip++;
        if (!ieq(v + skip, strnlen(v + skip, n), scheme))
            break;
        skip += n;
    }
    if (put_field(buf, max, v + skip, 0) < 0)
        return too_long(reason, rs, what, email ? "e-mail" : "phone", max);
    if (!buf[0])
        return 0;
    if (email)
        contact_add_email(c, buf);
    else
        contact_add_phone(c, buf);
    return 0;
}

static int is_blob(const struct prop *p)
{
    size_t n = 0;
    const char *enc = param(p, "ENCODING", &n);
    return ieq(p->name, p->name_len, "PHOTO") || ieq(p->name, p->name_len, "LOGO") ||
           ieq(p->name, p->name_len, "SOUND") || ieq(p->name, p->name_len, "KEY") ||
           ieq(p->name, p->name_len, "AGENT") ||
           (enc && (ieq(enc, n, "B") || ieq(enc, n, "BASE64"))) || has_bare_param(p, "BASE64");
}

/* Apply one decoded property to the contact. */
static int apply_prop(struct contact *c, const struct prop *p, const char *v, char *reason,
                      size_t rs)
{
    char part[VALUE_MAX];
    if (ieq(p->name, p->name_len, "FN")) {
        component(v, 0, 0, part);
        if (!c->display_name[0] && put_field(c->display_name, KIOSK_NAME_MAX, part, 0) < 0)
            return too_long(reason, rs, "vCard", "FN", KIOSK_NAME_MAX);
    } else if (ieq(p->name, p->name_len, "N")) {
        if (c->family_name[0] || c->given_name[0])
            return 0; /* the first N wins, as the first FN does */
        component(v, ';', 0, part);
        if (put_field(c->family_name, KIOSK_NAME_MAX, part, 0) < 0)
            return too_long(reason, rs, "vCard", "family name", KIOSK_NAME_MAX);
        component(v, ';', 1, part);
        if (put_field(c->given_name, KIOSK_NAME_MAX, part, 0) < 0)
            return too_long(reason, rs, "vCard", "given name", KIOSK_NAME_MAX);
    } else if (ieq(p->name, p->name_len, "ORG")) {
        /* ORG:Company;Department;...: keep every non-empty unit, ", "-joined. */
        char org[KIOSK_ORG_MAX] = "";
        size_t used = 0;
        int units = components(v, ';');
        for (int i = 0; i < units; i++) {
            char unit[KIOSK_ORG_MAX];
            component(v, ';', i, part);
            if (put_field(unit, sizeof(unit), part, 0) < 0)
                return too_long(reason, rs, "vCard", "ORG", KIOSK_ORG_MAX);
            if (!unit[0])
                continue;
            if (used + strlen(unit) + (used ? 2 : 0) >= sizeof(org))
                return too_long(reason, rs, "vCard", "ORG", KIOSK_ORG_MAX);
            used +=
                (size_t)snprintf(org + used, sizeof(org) - used, "%s%s", used ? ", " : "", unit);
        }
        if (!c->org[0])
            memcpy(c->org, org, used + 1);
    } else if (ieq(p->name, p->name_len, "TITLE")) {
        component(v, 0, 0, part);
        if (!c->title[0] && put_field(c->title, KIOSK_TITLE_MAX, part, 0) < 0)
            return too_long(reason, rs, "vCard", "TITLE", KIOSK_TITLE_MAX);
    } else if (ieq(p->name, p->name_len, "EMAIL")) {
        component(v, 0, 0, part);
        return add_listed(c, 1, part, reason, rs, "vCard");
    } else if (ieq(p->name, p->name_len, "TEL")) {
        component(v, 0, 0, part);
        return add_listed(c, 0, part, reason, rs, "vCard");
    } else if (ieq(p->name, p->name_len, "URL")) {
        component(v, 0, 0, part);
        if (!c->url[0] && put_field(c->url, KIOSK_URL_MAX, part, 0) < 0)
            return too_long(reason, rs, "vCard", "URL", KIOSK_URL_MAX);
    } else if (ieq(p->name, p->name_len, "NOTE")) {
        component(v, 0, 0, part);
        if (!c->note[0] && put_field(c->note, KIOSK_NOTE_MAX, part, 1) < 0)
            return too_long(reason, rs, "vCard", "NOTE", KIOSK_NOTE_MAX);
    } else if (ieq(p->name, p->name_len, "UID")) {
        component(v, 0, 0, part);
        if (!c->ref[0] && put_field(c->ref, KIOSK_REF_MAX, part, 0) < 0)
            return too_long(reason, rs, "vCard", "UID", KIOSK_REF_MAX);
    }
    /* ADR, BDAY, X-*, REV, PRODID...: read past, not kept. */
    return 0;
}

int vcard_parse(const char *data, size_t len, struct contact *out, char *reason, size_t reason_size)
{
    char lines[KIOSK_PAYLOAD_MAX + 1];
    char value[VALUE_MAX];
    size_t n, pos = 0;
    int begun = 0, ended = 0;

    contact_clear(out);
    if (len > KIOSK_PAYLOAD_MAX) {
        say(reason, reason_size, "the vCard is longer than %d bytes", KIOSK_PAYLOAD_MAX);
        return -1;
    }
    if (memchr(data, '\0', len)) {
        say(reason, reason_size, "the vCard contains a NUL byte");
        return -1;
    }
    n = unfold_lines(data, len, lines);
    while (pos < n && !ended) {
        char *eol = memchr(lines + pos, '\n', n - pos);
        size_t ln = eol ? (size_t)(eol - (lines + pos)) : n - pos;
        const char *line = lines + pos;
        struct prop p;
        pos += ln + 1;
        line = trim(line, &ln);
        if (ln == 0)
            continue;
        if (split_prop(line, ln, &p) < 0) {
            if (!begun)
                break;
            continue; /* a 2.1 base64 body line, or junk: not ours to keep */
        }
        {
            const char *v = p.value;
            size_t vn = p.value_len;
            v = trim(v, &vn);
            if (ieq(p.name, p.name_len, "BEGIN")) {
                if (begun) {
                    say(reason, reason_size, "nested vCards are not supported");
                    return -1;
                }
                if (!ieq(v, vn, "VCARD"))
                    break;
                begun = 1;
                continue;
            }
            if (!begun)
                break;
            if (ieq(p.name, p.name_len, "END")) {
                ended = 1;
                continue;
            }
            if (ieq(p.name, p.name_len, "VERSION")) {
                if (ieq(v, vn, "2.1"))
                    contact_set(out->format, sizeof(out->format), "vcard21");
                else if (ieq(v, vn, "3.0"))
                    contact_set(out->format, sizeof(out->format), "vcard3");
                else if (ieq(v, vn, "4.0"))
                    contact_set(out->format, sizeof(out->format), "vcard4");
                else {
                    say(reason, reason_size, "vCard version %.*s is not supported",
                        (int)(vn > 16 ? 16 : vn), v);
                    return -1;
                }
                continue;
            }
        }
        if (is_blob(&p))
            continue;
        if (decode_value(&p, value, reason, reason_size) < 0)
            return -1;
        if (apply_prop(out, &p, value, reason, reason_size) < 0)
            return -1;
    }
    if (!begun) {
        say(reason, reason_size, "not a vCard (no BEGIN:VCARD)");
        return -1;
    }
    if (!ended) {
        say(reason, reason_size, "truncated vCard (no END:VCARD)");
        return -1;
    }
    if (!out->format[0]) /* no VERSION line: read it as the most common, 3.0 */
        contact_set(out->format, sizeof(out->format), "vcard3");
    return 0;
}

/* --------------------------------------------------------------- MECARD */

/* Index of the first sep in s[0..n) not escaped by a backslash, or n. */
static size_t unescaped(const char *s, size_t n, char sep)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        else if (s[i] == sep)
            return i;
    }
    return n;
}

/* Unescape MECARD text s[0..n) (\; \: \, \\ and \n) into out. */
static void me_unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            out[o++] = (s[i] == 'n') ? '\n' : s[i];
            continue;
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
}

int vcard_parse_mecard(const char *data, size_t len, struct contact *out, char *reason,
                       size_t reason_size)
{
    char v[KIOSK_PAYLOAD_MAX + 1];
    size_t pos;
    int terminated = 0;

    contact_clear(out);
    contact_set(out->format, sizeof(out->format), "mecard");
    if (len > KIOSK_PAYLOAD_MAX) {
        say(reason, reason_size, "the MECARD is longer than %d bytes", KIOSK_PAYLOAD_MAX);
        return -1;
    }
    if (len < 7 || !ieq(data, 7, "MECARD:")) {
        say(reason, reason_size, "not a MECARD");
        return -1;
    }
    if (memchr(data, '\0', len) || !utf8_valid(data, len)) {
        say(reason, reason_size, "the MECARD is not valid UTF-8 text");
        return -1;
    }
    pos = 7;
    while (pos < len) {
        const char *f = data + pos;
        size_t fn = unescaped(f, len - pos, ';');
        size_t colon, kn, vn;
        const char *key, *val;
        pos += fn + 1;
        key = f;
        kn = fn;
        key = trim(key, &kn);
        if (kn == 0) { /* ";;": the end */
            terminated = 1;
            break;
        }
        colon = 0;
        while (colon < fn && f[colon] != ':')
            colon++;
        if (colon >= fn)
            continue; /* not KEY:value: skip it */
        kn = colon;
        key = trim(f, &kn);
        val = f + colon + 1;
        vn = fn - colon - 1;
        if (ieq(key, kn, "N")) {
            /* "Last,First"; without a comma it is one name we do not split. */
            size_t comma = unescaped(val, vn, ',');
            if (comma < vn) {
                me_unescape(val, comma, v);
                if (put_field(out->family_name, KIOSK_NAME_MAX, v, 0) < 0)
                    return too_long(reason, reason_size, "MECARD", "family name", KIOSK_NAME_MAX);
                me_unescape(val + comma + 1, vn - comma - 1, v);
                if (put_field(out->given_name, KIOSK_NAME_MAX, v, 0) < 0)
                    return too_long(reason, reason_size, "MECARD", "given name", KIOSK_NAME_MAX);
            } else {
                me_unescape(val, vn, v);
                if (put_field(out->display_name, KIOSK_NAME_MAX, v, 0) < 0)
                    return too_long(reason, reason_size, "MECARD", "name", KIOSK_NAME_MAX);
            }
            continue;
        }
        me_unescape(val, vn, v);
        if (ieq(key, kn, "EMAIL")) {
            if (add_listed(out, 1, v, reason, reason_size, "MECARD") < 0)
                return -1;
        } else if (ieq(key, kn, "TEL") || ieq(key, kn, "TEL-AV")) {
            if (add_listed(out, 0, v, reason, reason_size, "MECARD") < 0)
                return -1;
        } else if (ieq(key, kn, "ORG")) {
            if (!out->org[0] && put_field(out->org, KIOSK_ORG_MAX, v, 0) < 0)
                return too_long(reason, reason_size, "MECARD", "ORG", KIOSK_ORG_MAX);
        } else if (ieq(key, kn, "TITLE")) {
            if (!out->title[0] && put_field(out->title, KIOSK_TITLE_MAX, v, 0) < 0)
                return too_long(reason, reason_size, "MECARD", "TITLE", KIOSK_TITLE_MAX);
        } else if (ieq(key, kn, "URL")) {
            if (!out->url[0] && put_field(out->url, KIOSK_URL_MAX, v, 0) < 0)
                return too_long(reason, reason_size, "MECARD", "URL", KIOSK_URL_MAX);
        } else if (ieq(key, kn, "NOTE") || ieq(key, kn, "MEMO")) {
            if (!out->note[0] && put_field(out->note, KIOSK_NOTE_MAX, v, 1) < 0)
                return too_long(reason, reason_size, "MECARD", "NOTE", KIOSK_NOTE_MAX);
        } else if (ieq(key, kn, "UID")) {
            if (!out->ref[0] && put_field(out->ref, KIOSK_REF_MAX, v, 0) < 0)
                return too_long(reason, reason_size, "MECARD", "UID", KIOSK_REF_MAX);
        }
        /* SOUND, ADR, BDAY, NICKNAME: read past, not kept. */
    }
    if (!terminated) {
        say(reason, reason_size, "truncated MECARD (no closing ';;')");
        return -1;
    }
    return 0;
}
