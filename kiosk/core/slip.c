/*
 * slip.c - lay out and draw the QR summary slip (see slip.h).
 *
 * Owns the slip's look: sizes in millimetres turned into dots for the
 * printer's dpi, word wrapping, the order of header, sections and footer, and
 * QR sizing (whole dots per module, a 4-module quiet zone, a code on rows of
 * its own so a printer may replace it by a native QR command).
 * Never: includes SDL or device code (text goes through struct font), reads
 * the clock, or truncates a note to fit (a slip grows instead).
 *
 * Start at slip_render: it runs layout() twice, once without a raster to
 * learn the height, then again drawing into a raster of that height. Both
 * passes take the same decisions, so they end at the same y. When the
 * sections together pass RASTER_HEIGHT_MAX, the slip keeps the first ones
 * that fit and ends them with a "...and N more" line (a third pass).
 */
#include "slip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qr.h"
#include "vcard.h"

/* Sizes of the layout in millimetres (converted with the printer's dpi). */
#define MM_MARGIN      1.0
#define MM_TOP         2.0
#define MM_BOTTOM      4.0
#define MM_GAP         1.2
#define MM_SECTION_GAP 3.0
#define MM_EVENT       4.2
#define MM_TITLE       3.4
#define MM_NAME        3.8
#define MM_BODY        2.9
#define MM_SMALL       2.4
#define MM_FINE        2.1  /* the privacy line: one line on 58 mm paper */
#define MM_FOR         5.0  /* "For <name>": the largest words on the slip... */
#define MM_FOR_MIN     4.0  /* ...and above the contact's name even when shrunk */
#define MM_FOR_PAD     1.0  /* black above and below the "For" words */
#define MM_MODULE      0.5  /* preferred QR module: 4 dots at 203 dpi */
#define MM_QR_MIN      25.0 /* a code a phone reads at arm's length */
#define QR_MODULE_MIN  2    /* fewer dots per module do not scan off thermal paper */

enum align { LEFT, CENTRE };

static const char *word(const struct slip *s, enum slip_word w);

struct pen {
    struct font *f;
    struct raster *r; /* NULL while measuring */
    int y;
    int width, margin, dpi;
    struct err *err;
};

static int mm(const struct pen *p, double v)
{
    int d = (int)(v * p->dpi / 25.4 + 0.5);
    return d < 1 ? 1 : d;
}

static struct font_style style(const struct pen *p, double size_mm, int bold)
{
    struct font_style st = {mm(p, size_mm), bold};
    return st;
}

static int utf8_next(const char *s, size_t n, size_t i)
{
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return (int)i;
}

/* How many bytes of s (length n, no newline) fit in maxw dots: at a word
 * boundary when one fits, else as many whole code points as fit (at least
 * one, so a narrow slip still makes progress). */
static int fit(struct pen *p, const struct font_style *st, const char *s, size_t n, int maxw,
               size_t *take)
{
    size_t best = 0, i = 0;
    int w;
    if (n > FONT_TEXT_MAX - 1) { /* a line never needs more bytes than this */
        n = FONT_TEXT_MAX - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* ...and never ends inside a character */
    }
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] == ' ')
            j++;
        while (j < n && s[j] != ' ')
            j++;
        if (p->f->ops->measure(p->f, st, s, j, &w, p->err) < 0)
            return -1;
        if (w > maxw)
            break;
        best = j;
        i = j;
    }
    if (best == 0) {
        size_t k = (size_t)utf8_next(s, n, 0);
        best = k;
        while (k < n) {
            size_t next = (size_t)utf8_next(s, n, k);
            if (p->f->ops->measure(p->f, st, s, next, &w, p->err) < 0)
                return -1;
            if (w > maxw)
                break;
            best = k = next;
        }
    }
    *take = best;
    return 0;
}

/* Room for the "For" words inside the band. */
static int for_width(const struct pen *p)
{
    return p->width - 2 * p->margin - 2 * mm(p, MM_FOR_PAD);
}

/* The "For" line: largest size from MM_FOR down to MM_FOR_MIN that fits
 * maxw; at MM_FOR_MIN the name loses code points from its end (and spaces
 * before the cut) until "For name..." fits. Writes the line and its style. */
static int for_text(struct pen *p, const struct slip *s, int maxw, char *buf, size_t size,
                    struct font_style *st)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    const char *tmpl = word(s, SLIP_W_FOR);
    char name[SLIP_LINE_MAX];
    size_t n;
    int w, lo = mm(p, MM_FOR_MIN);
    buf[0] = '\0';
    *st = style(p, MM_FOR, 1);
    if (!s->recipient[0])
        return 0;
    slip_fill(buf, size, tmpl, s->recipient);
    for (; st->size >= lo; st->size -= st->size > 40 ? 2 : 1) {
        if (p->f->ops->measure(p->f, st, buf, strlen(buf), &w, p->err) < 0)
            return -1;
        if (w <= maxw)
            return 0;
    }
    st->size = lo;
    /* Too long at the smallest size: cut the name, whole characters only. */
    n = strlen(s->recipient);
    if (n >= sizeof(name) - sizeof(ellipsis))
        n = sizeof(name) - sizeof(ellipsis) - 1;
    while (n > 0) {
        while (n > 0 && ((unsigned char)s->recipient[n] & 0xC0) == 0x80)
            n--; /* back to the start of the character at n */
        memcpy(name, s->recipient, n);
        while (n > 0 && name[n - 1] == ' ')
            n--;
        memcpy(name + n, ellipsis, sizeof(ellipsis));
        slip_fill(buf, size, tmpl, name);
        if (p->f->ops->measure(p->f, st, buf, strlen(buf), &w, p->err) < 0)
            return -1;
        if (w <= maxw || n == 0)
            return 0;
        n--;
    }
    slip_fill(buf, size, tmpl, ellipsis);
    return 0;
}

static int line(struct pen *p, const struct font_style *st, const char *s, size_t n, enum align a,
                int indent)
{
    int lh, w = 0, x = p->margin + indent;
    if (p->f->ops->line_height(p->f, st, &lh, p->err) < 0)
        return -1;
    if (p->r && n > 0) {
        if (a == CENTRE) {
            if (p->f->ops->measure(p->f, st, s, n, &w, p->err) < 0)
                return -1;
            x = (p->width - w) / 2;
        }
        if (p->f->ops->draw(p->f, p->r, x, p->y, st, s, n, p->err) < 0)
            return -1;
    }
    p->y += lh;
    return 0;
}

/* White words on a black band across the printable width: whom the slip
 * is for, the first thing on it and the darkest. The words are drawn black
 * on white, then the band's dots are inverted. */
static int for_band(struct pen *p, const struct slip *s)
{
    char buf[SLIP_LINE_MAX + 64];
    struct font_style st;
    int lh, w, pad = mm(p, MM_FOR_PAD), y0 = p->y;
    if (!s->recipient[0])
        return 0;
    if (for_text(p, s, for_width(p), buf, sizeof(buf), &st) < 0 ||
        p->f->ops->line_height(p->f, &st, &lh, p->err) < 0)
        return -1;
    if (p->r) {
        if (p->f->ops->measure(p->f, &st, buf, strlen(buf), &w, p->err) < 0 ||
            p->f->ops->draw(p->f, p->r, (p->width - w) / 2, y0 + pad, &st, buf, strlen(buf),
                            p->err) < 0)
            return -1;
        for (int y = y0; y < y0 + lh + 2 * pad; y++)
            for (int x = p->margin; x < p->width - p->margin; x++)
                raster_set(p->r, x, y, !raster_get(p->r, x, y));
    }
    p->y += lh + 2 * pad;
    return 0;
}

/* Lay out one paragraph (no newline) in lines of at most maxw dots; draw
 * them when draw is set. *lines receives how many there are. */
static int wrap(struct pen *p, const struct font_style *st, const char *s, size_t n, int maxw,
                int draw, enum align a, int indent, int *lines)
{
    *lines = 0;
    while (n > 0) {
        size_t take;
        if (fit(p, st, s, n, maxw, &take) < 0 || (draw && line(p, st, s, take, a, indent) < 0))
            return -1;
        (*lines)++;
        s += take;
        n -= take;
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
    }
    return 0;
}

/* Wrapped text: newlines start new lines, long words break between code
 * points, spaces at a wrap are dropped. Centred text that takes several
 * lines is wrapped to the narrowest width giving as many lines, so its
 * lines come out about even ("Scan with your phone camera / to save the
 * contact", not a lone last word). */
static int text(struct pen *p, const struct font_style *st, const char *s, enum align a, int indent)
{
    int maxw = p->width - 2 * p->margin - indent;
    while (1) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        int k, w = maxw;
        if (n == 0 && line(p, st, "", 0, a, indent) < 0)
            return -1;
        if (n > 0 && a == CENTRE) {
            int lo = 1, hi = maxw, got;
            if (wrap(p, st, s, n, maxw, 0, a, indent, &k) < 0)
                return -1;
            while (k > 1 && lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (wrap(p, st, s, n, mid, 0, a, indent, &got) < 0)
                    return -1;
                if (got <= k)
                    hi = mid;
                else
                    lo = mid + 1;
            }
            if (k > 1)
                w = hi;
        }
        if (n > 0 && wrap(p, st, s, n, w, 1, a, indent, &k) < 0)
            return -1;
        if (!nl)
            return 0;
        s = nl + 1;
    }
}

static void rule(struct pen *p, int thickness, int dashed)
{
    if (p->r) {
        int dash = mm(p, 1.5);
        for (int x = p->margin; x < p->width - p->margin; x += dashed ? 2 * dash : p->width)
            raster_fill(p->r, x, p->y, dashed ? dash : p->width - 2 * p->margin, thickness, 1);
    }
    p->y += thickness;
}

/* Centre a QR code of payload on rows of its own, after the instruction
 * to scan it (in st, centred). Returns 0 when drawn, 1 when it does not
 * fit the width with QR_MODULE_MIN dots per module (nothing drawn), -1 on
 * error. */
static int qr_block(struct pen *p, const char *payload, size_t len, const struct slip *s,
                    const struct font_style *st)
{
    static const enum qr_level levels[] = {QR_ECC_M, QR_ECC_L};
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        struct qr q;
        struct raster_qr rq;
        int module, side;
        if (qr_encode(payload, len, levels[i], &q, NULL) < 0)
            continue;
        /* At least MM_MODULE per module and MM_QR_MIN for the whole code
         * (a small card makes a small code), as far as the width allows. */
        module = mm(p, MM_MODULE);
        if (module * q.size < mm(p, MM_QR_MIN))
            module = (mm(p, MM_QR_MIN) + q.size - 1) / q.size;
        if (module > p->width / (q.size + 2 * QR_QUIET))
            module = p->width / (q.size + 2 * QR_QUIET);
        if (module < QR_MODULE_MIN) {
            qr_free(&q);
            continue;
        }
        if (text(p, st, word(s, SLIP_W_SCAN), CENTRE, 0) < 0) {
            qr_free(&q);
            return -1;
        }
        side = (q.size + 2 * QR_QUIET) * module;
        rq.x = (p->width - side) / 2;
        rq.y = p->y;
        rq.size = side;
        rq.module = module;
        rq.modules = q.size;
        rq.payload = (char *)payload;
        rq.len = len;
        if (p->r) {
            qr_draw(&q, p->r, rq.x, rq.y, module);
            if (raster_add_qr(p->r, &rq, p->err) < 0) {
                qr_free(&q);
                return -1;
            }
        }
        qr_free(&q);
        p->y += side;
        return 0;
    }
    return 1;
}

/* Dates in each language, in the order of langs[] below: short weekday,
 * day, short month, year, then hours and minutes, 24 h everywhere. */
struct date_words {
    const char *wday[7], *month[12];
    const char *day_dot;  /* after the day number: "." in German */
    const char *first;    /* after day 1: "er" in French (1er) */
    const char *time_sep; /* between the date and the time */
};

static const struct date_words dates[] = {
    {{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
     {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
     "",
     "",
     " "},
    {{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."},
     {"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
      "Dez."},
     ".",
     "",
     ", "},
    {{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
     {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
      "déc."},
     "",
     "er",
     ", "},
    {{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"},
     {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
     "",
     "",
     ", "},
};

static int lang_index(const char *lang);

void slip_format_time_lang(const char *lang, int64_t t, int offset_min, int with_time, char *buf,
                           size_t size)
{
    const struct date_words *d = &dates[lang_index(lang)];
    time_t secs = (time_t)(t / 1000 + (int64_t)offset_min * 60);
    struct tm tm;
    int n;
    if (!gmtime_r(&secs, &tm)) {
        snprintf(buf, size, "?");
        return;
    }
    n = snprintf(buf, size, "%s %d%s%s %s %d", d->wday[tm.tm_wday], tm.tm_mday,
                 tm.tm_mday == 1 ? d->first : "", d->day_dot, d->month[tm.tm_mon],
                 tm.tm_year + 1900);
    if (with_time && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "%s%02d:%02d", d->time_sep, tm.tm_hour, tm.tm_min);
}

void slip_format_time(int64_t t, int offset_min, int with_time, char *buf, size_t size)
{
    slip_format_time_lang(NULL, t, offset_min, with_time, buf, size);
}

/* tmpl with its first "{}" replaced by a and its second by b, in one pass
 * (so a "{}" inside a is printed as it is). */
static void fill2(char *buf, size_t size, const char *tmpl, const char *a, const char *b)
{
    const char *at = strstr(tmpl, "{}");
    char head[SLIP_LINE_MAX];
    size_t n;
    if (!at) {
        slip_fill(buf, size, tmpl, a);
        return;
    }
    n = (size_t)(at - tmpl) + 2;
    if (n >= sizeof(head))
        n = sizeof(head) - 1;
    memcpy(head, tmpl, n);
    head[n] = '\0';
    slip_fill(buf, size, head, a);
    n = strlen(buf);
    if (n + 1 < size)
        slip_fill(buf + n, size - n, at + 2, b);
}

int slip_vcard(const struct slip *s, const struct slip_contact *sc, char *buf, size_t size,
               struct err *err)
{
    struct contact *c = malloc(sizeof(*c));
    char day[64], note[SLIP_LINE_MAX + 96];
    int n;
    if (!c) {
        if (size)
            buf[0] = '\0';
        return err_set(err, "out of memory");
    }
    /* Compact: the badge's own note stays in the kiosk; the phone gets where
     * and when the two met. */
    *c = sc->c;
    c->note[0] = '\0';
    slip_format_time_lang(s->lang, s->at, s->utc_offset_min, 0, day, sizeof(day));
    if (s->event[0])
        fill2(note, sizeof(note), word(s, SLIP_W_MET_AT), s->event, day);
    else
        slip_fill(note, sizeof(note), word(s, SLIP_W_MET_ON), day);
    n = vcard_write(c, 3, note, buf, size, err);
    free(c);
    return n;
}

static int header(struct pen *p, const struct slip *s)
{
    struct font_style big = style(p, MM_EVENT, 1), title = style(p, MM_TITLE, 1),
                      small = style(p, MM_SMALL, 0);
    char when[64], meta[SLIP_LINE_MAX + 128];
    int w;
    slip_format_time_lang(s->lang, s->at, s->utc_offset_min, 1, when, sizeof(when));
    snprintf(meta, sizeof(meta), "%s%s%s", when, s->kiosk[0] ? " \xC2\xB7 " : "", s->kiosk);
    p->y += mm(p, MM_TOP);
    if (for_band(p, s) < 0)
        return -1;
    if (s->recipient[0])
        p->y += mm(p, MM_GAP);
    if (s->event[0] && text(p, &big, s->event, CENTRE, 0) < 0)
        return -1;
    /* Date and kiosk on one line when they fit, else one under the other
     * (a wrap would leave the dot dangling at the end of the first line). */
    if (p->f->ops->measure(p->f, &small, meta, strlen(meta), &w, p->err) < 0)
        return -1;
    if (w <= p->width - 2 * p->margin) {
        if (text(p, &small, meta, CENTRE, 0) < 0)
            return -1;
    } else if (text(p, &small, when, CENTRE, 0) < 0 ||
               (s->kiosk[0] && text(p, &small, s->kiosk, CENTRE, 0) < 0)) {
        return -1;
    }
    p->y += mm(p, MM_GAP);
    if (s->title[0] && text(p, &title, s->title, CENTRE, 0) < 0)
        return -1;
    if (s->subtitle[0] && text(p, &small, s->subtitle, CENTRE, 0) < 0)
        return -1;
    p->y += mm(p, MM_GAP);
    rule(p, mm(p, 0.4), 0);
    return 0;
}

/* Ticks every 5 mm (long every 10 mm) and a dot at each edge of the
 * printable width: the test page shows where the paper ends. */
static int ruler(struct pen *p, const struct slip_params *sp)
{
    struct font_style small = style(p, MM_SMALL, 0);
    char msg[160];
    int tick = mm(p, 2);
    p->y += mm(p, MM_GAP);
    if (p->r) {
        raster_fill(p->r, 0, p->y, p->width, 2, 1);
        for (int i = 0, x = 0; x < p->width; i++, x = (int)((double)i * 5 * p->dpi / 25.4))
            raster_fill(p->r, x, p->y, 2, i % 2 ? tick : 2 * tick, 1);
        raster_fill(p->r, p->width - 2, p->y, 2, 2 * tick, 1);
    }
    p->y += 2 * tick + mm(p, MM_GAP);
    snprintf(msg, sizeof(msg), "%d dots wide = %.1f mm at %d dpi; ticks every 5 mm", sp->width_dots,
             sp->width_dots * 25.4 / sp->dpi, sp->dpi);
    return text(p, &small, msg, CENTRE, 0);
}

/* A line holding a date (buf = tmpl filled with date) that is too wide
 * for the paper puts the date whole on a line of its own, instead of
 * letting a wrap leave the year alone on the next one ("Hacer seguimiento
 * antes del" / "dom 29 nov 2026"). */
static int whole_date(struct pen *p, const struct font_style *st, char *buf, size_t size,
                      const char *tmpl, const char *date)
{
    char nl_date[80];
    size_t k;
    int w;
    if (p->f->ops->measure(p->f, st, buf, strlen(buf), &w, p->err) < 0)
        return -1;
    if (w <= p->width - 2 * p->margin)
        return 0;
    snprintf(nl_date, sizeof(nl_date), "\n%s", date);
    slip_fill(buf, size, tmpl, nl_date);
    k = strcspn(buf, "\n");
    while (k > 0 && buf[k - 1] == ' ') { /* no space left dangling before the break */
        memmove(buf + k - 1, buf + k, strlen(buf + k) + 1);
        k--;
    }
    return 0;
}

static int section(struct pen *p, const struct slip *s, const struct slip_contact *sc, char *vbuf)
{
    struct font_style name = style(p, MM_NAME, 1), body = style(p, MM_BODY, 0),
                      bold = style(p, MM_BODY, 1), small = style(p, MM_SMALL, 0);
    char who[KIOSK_NAME_MAX], line_buf[SLIP_LINE_MAX + 64];
    struct err e;
    int n, r;

    contact_name(&sc->c, who, sizeof(who));
    p->y += mm(p, MM_SECTION_GAP);
    if (text(p, &name, who[0] ? who : word(s, SLIP_W_NO_NAME), LEFT, 0) < 0)
        return -1;
    if (sc->c.org[0] && text(p, &body, sc->c.org, LEFT, 0) < 0)
        return -1;
    if (sc->c.title[0] && text(p, &body, sc->c.title, LEFT, 0) < 0)
        return -1;
    if (sc->share_card && sc->c.n_emails > 0 && text(p, &small, sc->c.emails[0], LEFT, 0) < 0)
        return -1;
    if (sc->detail[0] && text(p, &small, sc->detail, LEFT, 0) < 0)
        return -1;
    if (sc->note[0]) {
        p->y += mm(p, MM_GAP);
        if (text(p, &bold, word(s, SLIP_W_NOTE), LEFT, 0) < 0 ||
            text(p, &body, sc->note, LEFT, mm(p, 2)) < 0)
            return -1;
    }
    if (sc->followup_due > 0) {
        char due[64];
        slip_format_time_lang(s->lang, sc->followup_due, s->utc_offset_min, 0, due, sizeof(due));
        slip_fill(line_buf, sizeof(line_buf), word(s, SLIP_W_FOLLOW_UP), due);
        if (whole_date(p, &bold, line_buf, sizeof(line_buf), word(s, SLIP_W_FOLLOW_UP), due) < 0)
            return -1;
        p->y += mm(p, MM_GAP);
        if (text(p, &bold, line_buf, LEFT, 0) < 0)
            return -1;
    }
    p->y += mm(p, MM_GAP);
    if (!sc->share_card)
        return text(p, &small, word(s, SLIP_W_NOT_SHARED), LEFT, 0);
    n = slip_vcard(s, sc, vbuf, VCARD_WRITE_MAX, &e);
    if (n < 0) {
        slip_fill(line_buf, sizeof(line_buf), word(s, SLIP_W_NO_QR), e.msg);
        return text(p, &small, line_buf, LEFT, 0);
    }
    /* What to do comes before the code: read top-down, a person knows
     * what the square is for before reaching it. Measured first, so a
     * card too large for a code prints no instruction. */
    r = qr_block(p, vbuf, (size_t)n, s, &bold);
    if (r < 0)
        return -1;
    if (r == 1)
        return text(p, &small, word(s, SLIP_W_TOO_LARGE), LEFT, 0);
    return 0;
}

static int footer(struct pen *p, const struct slip *s)
{
    struct font_style small = style(p, MM_SMALL, 0);
    p->y += mm(p, MM_SECTION_GAP);
    rule(p, mm(p, 0.4), 0);
    p->y += mm(p, MM_GAP);
    if (s->tip[0] && text(p, &small, s->tip, LEFT, 0) < 0)
        return -1;
    if (s->privacy[0]) {
        struct font_style fine = style(p, MM_FINE, 0);
        p->y += mm(p, MM_GAP);
        if (text(p, &fine, s->privacy, LEFT, 0) < 0)
            return -1;
    }
    p->y += mm(p, MM_BOTTOM);
    return 0;
}

/* The line under the last section when not all of them fit. */
static int more_line(struct pen *p, const struct slip *s, int more)
{
    struct font_style small = style(p, MM_SMALL, 0);
    char msg[SLIP_LINE_MAX], num[16];
    snprintf(num, sizeof(num), "%d", more);
    slip_fill(msg, sizeof(msg), word(s, more == 1 ? SLIP_W_MORE_1 : SLIP_W_MORE_N), num);
    p->y += mm(p, MM_SECTION_GAP);
    return text(p, &small, msg, CENTRE, 0);
}

/* Lay out the header, the first `limit` sections, a "...and N more" line
 * when limit < s->n, and the footer. y_after (may be NULL) receives the y
 * after each section laid out. */
static int layout(struct pen *p, const struct slip *s, const struct slip_params *sp, char *vbuf,
                  int limit, int y_after[SLIP_CONTACTS_MAX])
{
    if (header(p, s) < 0)
        return -1;
    if (s->kind == SLIP_TEST && ruler(p, sp) < 0)
        return -1;
    if (s->n == 0) {
        struct font_style body = style(p, MM_BODY, 0);
        p->y += mm(p, MM_SECTION_GAP);
        if (text(p, &body, word(s, SLIP_W_NO_CONTACTS), CENTRE, 0) < 0)
            return -1;
    }
    for (int i = 0; i < limit; i++) {
        if (i > 0) {
            p->y += mm(p, MM_GAP);
            rule(p, 2, 1);
        }
        if (section(p, s, &s->contacts[i], vbuf) < 0)
            return -1;
        if (y_after)
            y_after[i] = p->y;
        if (p->y > RASTER_HEIGHT_MAX)
            break; /* too tall already; no need to lay out the rest */
    }
    if (limit < s->n && more_line(p, s, s->n - limit) < 0)
        return -1;
    return footer(p, s);
}

/* How many sections fit in RASTER_HEIGHT_MAX rows with the "more" line and
 * the footer after them, given the y after each section of a full layout
 * (laid out up to `laid`). 0 when not even one does. */
static int sections_that_fit(struct pen *p, const struct slip *s, const int *y_after, int laid)
{
    int tail, k;
    p->y = 0;
    if (more_line(p, s, s->n) < 0 || footer(p, s) < 0)
        return -1;
    tail = p->y;
    for (k = laid; k > 0; k--)
        if (y_after[k - 1] + tail <= RASTER_HEIGHT_MAX)
            break;
    return k;
}

int slip_render(const struct slip *s, const struct slip_params *sp, struct font *f,
                struct raster **out, struct err *err)
{
    struct pen p;
    char *vbuf = NULL;
    struct raster *r = NULL;
    int result = -1, height, limit = s->n, y_after[SLIP_CONTACTS_MAX] = {0};

    *out = NULL;
    if (s->n < 0 || s->n > SLIP_CONTACTS_MAX)
        return err_set(err, "a slip holds 0..%d contacts, not %d", SLIP_CONTACTS_MAX, s->n);
    if (sp->width_dots < 128 || sp->width_dots > RASTER_WIDTH_MAX)
        return err_set(err, "slip width must be 128..%d dots, not %d", RASTER_WIDTH_MAX,
                       sp->width_dots);
    if (sp->dpi < 72 || sp->dpi > 600)
        return err_set(err, "printer dpi must be 72..600, not %d", sp->dpi);
    vbuf = malloc(VCARD_WRITE_MAX);
    if (!vbuf)
        return err_set(err, "out of memory");
    memset(&p, 0, sizeof(p));
    p.f = f;
    p.width = sp->width_dots;
    p.dpi = sp->dpi;
    p.margin = mm(&p, MM_MARGIN);
    p.err = err;
    if (layout(&p, s, sp, vbuf, limit, y_after) < 0)
        goto out;
    height = p.y;
    if (height > RASTER_HEIGHT_MAX && s->n > 1) {
        /* Too many contacts for one slip (a busy attendee's connections):
         * print the first ones that fit and say how many more there are,
         * rather than a job that fails on every retry. */
        int laid = 0;
        while (laid < s->n && y_after[laid] > 0)
            laid++;
        limit = sections_that_fit(&p, s, y_after, laid);
        if (limit < 0)
            goto out;
        if (limit > 0) {
            p.y = 0;
            if (layout(&p, s, sp, vbuf, limit, NULL) < 0)
                goto out;
            height = p.y;
        }
    }
    if (height > RASTER_HEIGHT_MAX) {
        err_set(err,
                "slip would be %d dots long, more than the %d allowed; print fewer "
                "contacts per slip",
                height, RASTER_HEIGHT_MAX);
        goto out;
    }
    r = raster_new(p.width, height, err);
    if (!r)
        goto out;
    p.r = r;
    p.y = 0;
    if (layout(&p, s, sp, vbuf, limit, NULL) < 0)
        goto out;
    *out = r;
    r = NULL;
    result = 0;
out:
    raster_free(r);
    free(vbuf);
    return result;
}

int slip_for_line(const struct slip *s, const struct slip_params *sp, struct font *f, char *buf,
                  size_t size, int *size_dots, struct err *err)
{
    struct pen p;
    struct font_style st;
    memset(&p, 0, sizeof(p));
    p.f = f;
    p.width = sp->width_dots;
    p.dpi = sp->dpi < 72 ? 72 : sp->dpi;
    p.margin = mm(&p, MM_MARGIN);
    p.err = err;
    if (for_text(&p, s, for_width(&p), buf, size, &st) < 0)
        return -1;
    if (size_dots)
        *size_dots = st.size;
    return 0;
}

/* ---- words ------------------------------------------------------------------ */

/* One column per language; a NULL entry falls back to English. Templates
 * take their argument where "{}" stands (slip_fill), never a printf format.
 * Adding a language: a row in langs[], a column of words, titles and tips,
 * and its dates (dates[] above). The register follows the kiosk's screens
 * (Sie, vous, usted); on 58 mm paper the privacy line stays one line.
 * clang-format off */
static const char *const langs[] = {"en", "de", "fr", "es"};
#define NLANG (int)(sizeof(langs) / sizeof(langs[0]))
_Static_assert(sizeof(dates) / sizeof(dates[0]) == sizeof(langs) / sizeof(langs[0]),
               "dates for every language");

static const char *const words[SLIP_W_COUNT][NLANG] = {
    [SLIP_W_FOR] = {"For {}", "Für {}", "Pour {}", "Para {}"},
    [SLIP_W_AND] = {" & ", " & ", " & ", " & "},
    [SLIP_W_BOOTH_STAFF] = {"booth staff", "das Standteam", "le stand", "el stand"},
    [SLIP_W_TEST_RECIPIENT] = {"kiosk staff", "das Personal", "le personnel", "el personal"},
    [SLIP_W_NEW_CONTACT] = {"Your new contact", "Ihr neuer Kontakt", "Votre nouveau contact",
                            "Su nuevo contacto"},
    [SLIP_W_CONNECTIONS_N] = {"My connections ({})", "Meine Kontakte ({})", "Mes contacts ({})",
                              "Mis contactos ({})"},
    [SLIP_W_MORE_ON_KIOSK] = {"the first {}; {} more on the kiosk",
                              "die ersten {}; {} weitere am Kiosk",
                              "les {} premiers ; {} autres sur la borne",
                              "los {} primeros; {} más en el quiosco"},
    [SLIP_W_NOTE] = {"Note", "Notiz", "Note", "Nota"},
    [SLIP_W_FOLLOW_UP] = {"Follow up by {}", "Nachfassen bis {}", "Relancer d'ici le {}",
                          "Seguimiento antes del {}"},
    [SLIP_W_SCAN] = {"Scan with your phone camera to save the contact",
                     "Mit der Handykamera scannen, um den Kontakt zu speichern",
                     "Scannez avec votre téléphone pour enregistrer le contact",
                     "Escanee con la cámara de su móvil para guardar el contacto"},
    [SLIP_W_NO_NAME] = {"(no name)", "(ohne Namen)", "(sans nom)", "(sin nombre)"},
    [SLIP_W_NOT_SHARED] = {"Card not shared: no consent to pass it on.",
                           "Karte nicht geteilt: keine Zustimmung zur Weitergabe.",
                           "Carte non partagée : pas d'accord pour la transmettre.",
                           "Tarjeta no compartida: sin permiso para pasarla."},
    [SLIP_W_NO_QR] = {"No QR card: {}", "Keine QR-Karte: {}", "Pas de carte QR : {}",
                      "Sin tarjeta QR: {}"},
    [SLIP_W_TOO_LARGE] = {"Card too large for a QR code on this paper width.",
                          "Karte zu groß für einen QR-Code auf dieser Papierbreite.",
                          "Carte trop grande pour un code QR sur cette largeur de papier.",
                          "Tarjeta demasiado grande para un código QR en este ancho de papel."},
    [SLIP_W_NO_CONTACTS] = {"No contacts yet.", "Noch keine Kontakte.", "Pas encore de contacts.",
                            "Aún no hay contactos."},
    [SLIP_W_MORE_1] = {"...and 1 more contact: too many for one slip.",
                       "...und 1 weiterer Kontakt: zu viele für einen Zettel.",
                       "...et 1 autre contact : trop pour un seul ticket.",
                       "...y 1 contacto más: demasiados para un solo ticket."},
    [SLIP_W_MORE_N] = {"...and {} more contacts: too many for one slip.",
                       "...und {} weitere Kontakte: zu viele für einen Zettel.",
                       "...et {} autres contacts : trop pour un seul ticket.",
                       "...y {} contactos más: demasiados para un solo ticket."},
    [SLIP_W_PRIVACY] = {"Shared with consent. Ask staff to erase it.",
                        "Mit Zustimmung geteilt. Löschen: Personal.",
                        "Partagé avec accord. Effacé sur demande.",
                        "Compartido con permiso. Se borra si lo pide."},
    [SLIP_W_SAMPLE] = {"Sample contacts, not real people",
                       "Beispielkontakte, keine echten Personen",
                       "Contacts d'exemple, personnes fictives",
                       "Contactos de ejemplo, no personas reales"},
    [SLIP_W_RATING] = {"Rating {}/5", "Bewertung {}/5", "Évaluation {}/5", "Valoración {}/5"},
    [SLIP_W_MORE_NOTES] = {"(more notes in the kiosk)", "(weitere Notizen im Kiosk)",
                           "(autres notes sur la borne)", "(más notas en el quiosco)"},
    [SLIP_W_MET_AT] = {"Met at {}, {}", "Kennengelernt bei {} am {}", "Rencontre à {}, le {}",
                       "Nos conocimos en {}, el {}"},
    [SLIP_W_MET_ON] = {"Met on {}", "Kennengelernt am {}", "Rencontre le {}",
                       "Nos conocimos el {}"},
};

static const char *const titles[][NLANG] = {
    [SLIP_HANDSHAKE] = {"Handshake", "Kontaktaustausch", "Échange de cartes",
                        "Intercambio de tarjetas"},
    [SLIP_LEAD] = {"Booth lead", "Lead am Stand", "Contact au stand", "Contacto en el stand"},
    [SLIP_CONNECTIONS] = {"My connections", "Meine Kontakte", "Mes contacts", "Mis contactos"},
    [SLIP_TEST] = {"Printer test page", "Drucker-Testseite", "Page de test de l'imprimante",
                   "Página de prueba de la impresora"},
};

static const char *const tips[][NLANG] = {
    [SLIP_HANDSHAKE] = {"Tip: send a short thank-you within a day and mention what you "
                        "talked about.",
                        "Tipp: Schicken Sie innerhalb eines Tages ein kurzes Dankeschön und "
                        "erwähnen Sie, worüber Sie gesprochen haben.",
                        "Conseil : envoyez un court remerciement dans la journée en rappelant "
                        "de quoi vous avez parlé.",
                        "Consejo: envíe un breve agradecimiento en las próximas 24 horas y "
                        "mencione de qué hablaron."},
    [SLIP_LEAD] = {"Tip: follow up while the conversation is fresh, with what you promised.",
                   "Tipp: Fassen Sie nach, solange das Gespräch frisch ist, mit dem, was Sie "
                   "versprochen haben.",
                   "Conseil : relancez tant que la conversation est fraîche, avec ce que vous "
                   "avez promis.",
                   "Consejo: haga seguimiento mientras la conversación esté fresca, con lo que "
                   "prometió."},
    [SLIP_CONNECTIONS] = {"Tip: follow up within two days, while they still remember you.",
                          "Tipp: Melden Sie sich innerhalb von zwei Tagen, solange man sich "
                          "noch an Sie erinnert.",
                          "Conseil : relancez dans les deux jours, tant qu'on se souvient "
                          "encore de vous.",
                          "Consejo: haga seguimiento en dos días, mientras aún le recuerden."},
    [SLIP_TEST] = {"If a QR code here does not scan, raise the print darkness or lower the "
                   "speed (firmware-notes/printer.md).",
                   "Lässt sich ein QR-Code hier nicht scannen, erhöhen Sie die Druckdichte "
                   "oder senken Sie die Geschwindigkeit (firmware-notes/printer.md).",
                   "Si un code QR ici ne se lit pas, augmentez la densité d'impression ou "
                   "réduisez la vitesse (firmware-notes/printer.md).",
                   "Si un código QR de esta página no se lee, aumente la densidad de impresión "
                   "o reduzca la velocidad (firmware-notes/printer.md)."},
};
/* clang-format on */

static int lang_index(const char *lang)
{
    for (int i = 0; lang && i < NLANG; i++)
        if (strcmp(lang, langs[i]) == 0)
            return i;
    return 0;
}

const char *slip_word(const char *lang, enum slip_word w)
{
    int l = lang_index(lang);
    if ((int)w < 0 || w >= SLIP_W_COUNT)
        return "";
    return words[w][l] ? words[w][l] : words[w][0];
}

int slip_lang_known(const char *lang)
{
    for (int i = 0; lang && i < NLANG; i++)
        if (strcmp(lang, langs[i]) == 0)
            return 1;
    return 0;
}

const char *slip_lang_at(int i)
{
    return i >= 0 && i < NLANG ? langs[i] : NULL;
}

static const char *word(const struct slip *s, enum slip_word w)
{
    return slip_word(s->lang, w);
}

int slip_fill(char *buf, size_t size, const char *tmpl, const char *arg)
{
    const char *at = strstr(tmpl, "{}");
    size_t used = 0, cut = 0;
    const char *parts[3];
    size_t lens[3];
    if (size == 0)
        return 1;
    parts[0] = tmpl;
    lens[0] = at ? (size_t)(at - tmpl) : strlen(tmpl);
    parts[1] = at ? arg : "";
    lens[1] = at ? strlen(arg) : 0;
    parts[2] = at ? at + 2 : "";
    lens[2] = at ? strlen(at + 2) : 0;
    for (int i = 0; i < 3 && !cut; i++) {
        size_t n = lens[i];
        if (used + n > size - 1) {
            n = size - 1 - used;
            /* never end inside a character */
            while (n > 0 && ((unsigned char)parts[i][n] & 0xC0) == 0x80)
                n--;
            cut = 1;
        }
        memcpy(buf + used, parts[i], n);
        used += n;
    }
    buf[used] = '\0';
    return cut ? 1 : 0;
}

void slip_init_lang(struct slip *s, enum slip_kind kind, const char *lang)
{
    int l = lang_index(lang);
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    snprintf(s->lang, sizeof(s->lang), "%s", langs[l]);
    snprintf(s->title, sizeof(s->title), "%s", titles[kind][l] ? titles[kind][l] : titles[kind][0]);
    snprintf(s->tip, sizeof(s->tip), "%s", tips[kind][l] ? tips[kind][l] : tips[kind][0]);
    snprintf(s->privacy, sizeof(s->privacy), "%s", word(s, SLIP_W_PRIVACY));
}

void slip_init(struct slip *s, enum slip_kind kind)
{
    slip_init_lang(s, kind, NULL);
}

struct slip_contact *slip_add(struct slip *s, struct err *err)
{
    struct slip_contact *grown;
    if (s->n >= SLIP_CONTACTS_MAX) {
        err_set(err, "more than %d contacts for one slip", SLIP_CONTACTS_MAX);
        return NULL;
    }
    grown = realloc(s->contacts, (size_t)(s->n + 1) * sizeof(*grown));
    if (!grown) {
        err_set(err, "out of memory");
        return NULL;
    }
    s->contacts = grown;
    memset(&s->contacts[s->n], 0, sizeof(s->contacts[0]));
    return &s->contacts[s->n++];
}

void slip_free(struct slip *s)
{
    if (!s)
        return;
    free(s->contacts);
    s->contacts = NULL;
    s->n = 0;
}

int slip_test_page(struct slip *s, int64_t now_ms, struct err *err)
{
    return slip_test_page_lang(s, NULL, now_ms, err);
}

int slip_test_page_lang(struct slip *s, const char *lang, int64_t now_ms, struct err *err)
{
    struct slip_contact *a, *b;
    slip_init_lang(s, SLIP_TEST, lang);
    s->at = now_ms;
    snprintf(s->subtitle, sizeof(s->subtitle), "%s", word(s, SLIP_W_SAMPLE));
    snprintf(s->recipient, sizeof(s->recipient), "%s", word(s, SLIP_W_TEST_RECIPIENT));
    a = slip_add(s, err);
    if (!a)
        return -1;
    snprintf(a->c.display_name, sizeof(a->c.display_name), "Ada Lovelace");
    snprintf(a->c.given_name, sizeof(a->c.given_name), "Ada");
    snprintf(a->c.family_name, sizeof(a->c.family_name), "Lovelace");
    snprintf(a->c.org, sizeof(a->c.org), "Analytical Engines Ltd");
    snprintf(a->c.title, sizeof(a->c.title), "Programmer");
    contact_add_email(&a->c, "ada@example.org");
    contact_add_phone(&a->c, "+44 20 7946 0000");
    snprintf(a->note, sizeof(a->note),
             "Wrapped note: talked about Bernoulli numbers, punched cards and why a "
             "note longer than one line must wrap at word boundaries. "
             "Averyveryverylongwordthathastobreakbetweenletterstofitthepaper.");
    a->followup_due = now_ms + 86400000;
    a->share_card = 1;
    b = slip_add(s, err);
    if (!b) {
        slip_free(s);
        return -1;
    }
    snprintf(b->c.display_name, sizeof(b->c.display_name), "Jürgen Ñúñez-Østergård");
    snprintf(b->c.given_name, sizeof(b->c.given_name), "Jürgen");
    snprintf(b->c.family_name, sizeof(b->c.family_name), "Ñúñez-Østergård");
    snprintf(b->c.org, sizeof(b->c.org), "Ünïcode GmbH");
    contact_add_email(&b->c, "juergen@example.de");
    b->share_card = 1;
    return 0;
}
