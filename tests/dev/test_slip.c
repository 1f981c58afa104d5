/*
 * test_slip.c - slip layout with the real SDL2_ttf fonts: every QR code on
 * a slip decodes (zbar) to the contact's vCard and that vCard parses; QR
 * modules are whole dots with a white quiet zone; long notes and many
 * contacts make longer slips; the PNG backend's files decode with zbarimg.
 * Every slip opens with a black band naming whom it is for, cut with an
 * ellipsis on a character boundary when the name is too long; every QR code
 * is at least 25 mm wide when the paper allows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dev/font_ttf.h"
#include "dev/printer.h"
#include "qr.h"
#include "slip_testutil.h"
#include "test.h"
#include "utf8.h"
#include "vcard.h"

static struct font *font;

static int contains(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* Every module of every QR box is a uniform block of module x module dots
 * and the quiet zone is white. Returns the number of bad blocks. */
static int check_modules(const struct raster *r, const struct raster_qr *q)
{
    int bad = 0, quiet = QR_QUIET * q->module;
    if (q->x < 0 || q->x + q->size > r->width || q->y + q->size > r->height)
        return 1;
    for (int my = -QR_QUIET; my < q->modules + QR_QUIET; my++)
        for (int mx = -QR_QUIET; mx < q->modules + QR_QUIET; mx++) {
            int x0 = q->x + quiet + mx * q->module, y0 = q->y + quiet + my * q->module;
            int first = raster_get(r, x0, y0);
            int inside = mx >= 0 && my >= 0 && mx < q->modules && my < q->modules;
            if (!inside && first)
                bad++;
            for (int j = 0; j < q->module; j++)
                for (int i = 0; i < q->module; i++)
                    if (raster_get(r, x0 + i, y0 + j) != first)
                        bad++;
        }
    return bad;
}

/* Decode the QR boxes one by one (a tall slip holds many codes) and check
 * each against the vCard the slip meant to print. Returns codes matched. */
static int check_codes(const struct slip *s, const struct raster *r)
{
    int ok = 0, k = 0;
    char *want = malloc(VCARD_WRITE_MAX);
    if (!want)
        return -1;
    for (int i = 0; i < s->n; i++) {
        const struct raster_qr *q;
        struct codes got;
        struct contact *parsed;
        int n;
        if (!s->contacts[i].share_card)
            continue;
        if (k >= r->nqr)
            break;
        q = &r->qr[k++];
        n = slip_vcard(s, &s->contacts[i], want, VCARD_WRITE_MAX, NULL);
        CHECK(n > 0);
        CHECK(q->len == (size_t)n && memcmp(q->payload, want, (size_t)n) == 0);
        CHECK(check_modules(r, q) == 0);
        decode_bits(r->bits + (size_t)q->y * r->stride, r->width, q->size, r->stride, &got);
        CHECK(got.n == 1);
        if (got.n == 1 && got.len[0] == (size_t)n && memcmp(got.data[0], want, (size_t)n) == 0) {
            parsed = calloc(1, sizeof(*parsed));
            if (parsed && vcard_parse(got.data[0], got.len[0], parsed, NULL, 0) == 0) {
                CHECK_STR(parsed->given_name, s->contacts[i].c.given_name);
                CHECK_STR(parsed->org, s->contacts[i].c.org);
                if (s->contacts[i].c.n_emails)
                    CHECK_STR(parsed->emails[0], s->contacts[i].c.emails[0]);
                ok++;
            } else {
                CHECK(!"decoded vCard does not parse");
            }
            free(parsed);
        } else if (got.n == 1) {
            fprintf(stderr, "decoded:\n%s\nexpected:\n%s\n", got.data[0], want);
            CHECK(!"decoded payload differs");
        }
        codes_free(&got);
    }
    free(want);
    return ok;
}

/* Rows of the "For" band: the first rows with ink must be a band, black
 * from margin to margin except for the white letters in it (so black at
 * both ends of every row, with some white inside), and nothing may be
 * printed above it. Returns the band's height, 0 if none. */
static int band_height(const struct raster *r)
{
    int y0 = -1, y, m = r->width / 40, white = 0; /* margin: about 1 mm */
    for (y = 0; y < r->height && y0 < 0; y++)
        for (int x = 0; x < r->width; x++)
            if (raster_get(r, x, y)) {
                y0 = y;
                break;
            }
    if (y0 < 0)
        return 0;
    for (y = y0; y < r->height; y++) {
        int ends = 1;
        for (int x = m + 1; x < 2 * m; x++)
            ends &= raster_get(r, x, y) && raster_get(r, r->width - 1 - x, y);
        if (!ends)
            break;
        for (int x = 2 * m; x < r->width - 2 * m; x++)
            white += !raster_get(r, x, y);
    }
    return white > 0 ? y - y0 : 0;
}

static struct raster *render(const struct slip *s, int width, int dpi)
{
    struct slip_params p = {width, dpi};
    struct raster *r = NULL;
    struct err err = {{0}};
    if (slip_render(s, &p, font, &r, &err) < 0)
        fprintf(stderr, "render %d@%d: %s\n", width, dpi, err.msg);
    return r;
}

static void widths(void)
{
    static const struct {
        int width, dpi, nqr;
    } cases[] = {{384, 203, 3},
                 {576, 203, 3},
                 {832, 203, 3},
                 {576, 300, 3},
                 {128, 203, 0}}; /* 16 mm is too narrow for these cards: text instead */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct slip s;
        struct raster *r;
        sample_slip(&s, SLIP_HANDSHAKE, 3, 30);
        r = render(&s, cases[i].width, cases[i].dpi);
        CHECK(r != NULL);
        if (r) {
            CHECK(r->width == cases[i].width);
            CHECK(r->nqr == cases[i].nqr);
            CHECK(check_codes(&s, r) == cases[i].nqr);
            /* Big enough for a phone held at arm's length. */
            for (int k = 0; k < r->nqr; k++)
                CHECK(r->qr[k].modules * r->qr[k].module * 25.4 / cases[i].dpi >= 25.0);
            printf("%4d dots @ %d dpi: %d rows (%.0f mm), QR module %d dots, %d modules, "
                   "%.1f mm\n",
                   r->width, cases[i].dpi, r->height, r->height * 25.4 / cases[i].dpi,
                   r->nqr ? r->qr[0].module : 0, r->nqr ? r->qr[0].modules : 0,
                   r->nqr ? r->qr[0].modules * r->qr[0].module * 25.4 / cases[i].dpi : 0.0);
        }
        raster_free(r);
        slip_free(&s);
    }
}

/* A small card (a name and an e-mail: a version 4-6 code) still prints at
 * least 25 mm wide on 58 and 80 mm paper, and still scans. */
static void small_card_qr(void)
{
    static const int widths_[] = {384, 576};
    for (int i = 0; i < 2; i++) {
        struct slip s;
        struct slip_contact *c;
        struct raster *r;
        slip_init(&s, SLIP_HANDSHAKE);
        s.at = 1795862400000LL;
        c = slip_add(&s, NULL);
        if (!c)
            return;
        snprintf(c->c.display_name, sizeof(c->c.display_name), "Bo Li");
        snprintf(c->c.given_name, sizeof(c->c.given_name), "Bo");
        snprintf(c->c.family_name, sizeof(c->c.family_name), "Li");
        contact_add_email(&c->c, "bo@li.cn");
        c->share_card = 1;
        r = render(&s, widths_[i], 203);
        CHECK(r && r->nqr == 1);
        if (r && r->nqr == 1) {
            double side = r->qr[0].modules * r->qr[0].module * 25.4 / 203;
            CHECK(side >= 25.0);
            CHECK(check_codes(&s, r) == 1);
            printf("small card at %d dots: %d modules x %d dots = %.1f mm\n", widths_[i],
                   r->qr[0].modules, r->qr[0].module, side);
        }
        raster_free(r);
        slip_free(&s);
    }
}

static void long_notes_and_many_contacts(void)
{
    struct slip s1, s2, many;
    struct raster *r1, *r2, *rm;
    sample_slip(&s1, SLIP_HANDSHAKE, 1, 5);
    sample_slip(&s2, SLIP_HANDSHAKE, 1, 300);
    r1 = render(&s1, 384, 203);
    r2 = render(&s2, 384, 203);
    CHECK(r1 && r2);
    if (r1 && r2) {
        /* 300 words at ~4 per line: the slip grows by dozens of lines. */
        CHECK(r2->height > r1->height + 40 * 20);
        CHECK(check_codes(&s2, r2) == 1);
    }
    raster_free(r1);
    raster_free(r2);
    slip_free(&s1);
    slip_free(&s2);

    sample_slip(&many, SLIP_CONNECTIONS, 40, 12);
    rm = render(&many, 576, 203);
    CHECK(rm != NULL);
    if (rm) {
        CHECK(rm->nqr == 40);
        CHECK(check_codes(&many, rm) == 40);
        printf("40 connections at 576 dots: %d rows (%.2f m)\n", rm->height,
               rm->height * 0.0254 / 203);
    }
    raster_free(rm);
    CHECK(many.n == 40);
    for (int i = 40; i < SLIP_CONTACTS_MAX; i++)
        CHECK(slip_add(&many, NULL) != NULL);
    CHECK(slip_add(&many, NULL) == NULL); /* refused past the limit */
    slip_free(&many);
}

static void consent_kinds_and_limits(void)
{
    struct slip s;
    struct raster *r;
    struct err err = {{0}};
    struct slip_params bad = {100, 203}, baddpi = {384, 30};

    sample_slip(&s, SLIP_LEAD, 2, 3);
    s.contacts[1].share_card = 0; /* no consent: no QR */
    snprintf(s.contacts[0].detail, sizeof(s.contacts[0].detail), "Rating 4/5 \xC2\xB7 hot");
    r = render(&s, 576, 203);
    CHECK(r && r->nqr == 1);
    if (r)
        CHECK(check_codes(&s, r) == 1);
    raster_free(r);
    CHECK(slip_render(&s, &bad, font, &r, &err) < 0 && r == NULL);
    CHECK(strstr(err.msg, "width") != NULL);
    CHECK(slip_render(&s, &baddpi, font, &r, &err) < 0 && r == NULL);
    slip_free(&s);

    /* A card too big for a QR on narrow paper prints as text, not an error. */
    sample_slip(&s, SLIP_HANDSHAKE, 1, 0);
    for (size_t i = 0; i + 1 < sizeof(s.contacts[0].c.url); i++)
        s.contacts[0].c.url[i] = (char)('a' + i % 26);
    memcpy(s.contacts[0].c.url, "https://", 8);
    for (size_t i = 0; i + 1 < sizeof(s.contacts[0].c.title); i++)
        s.contacts[0].c.title[i] = (char)('A' + i % 26);
    r = render(&s, 128, 203);
    CHECK(r && r->nqr == 0);
    raster_free(r);
    r = render(&s, 832, 203); /* wide paper takes it */
    CHECK(r && r->nqr == 1);
    if (r)
        CHECK(check_codes(&s, r) == 1);
    raster_free(r);
    slip_free(&s);

    /* A note that is one 3000-byte word breaks between letters. */
    sample_slip(&s, SLIP_HANDSHAKE, 1, 0);
    memset(s.contacts[0].note, 'x', 3000);
    s.contacts[0].note[3000] = '\0';
    r = render(&s, 384, 203);
    CHECK(r && r->nqr == 1 && r->height > 3000 / 30 * 20);
    raster_free(r);
    slip_free(&s);

    /* The privacy notice is one line even on 58 mm paper. */
    {
        struct font_style fine = {17, 0}; /* 2.1 mm at 203 dpi */
        int w = 0;
        slip_init(&s, SLIP_HANDSHAKE);
        CHECK(font->ops->measure(font, &fine, s.privacy, strlen(s.privacy), &w, &err) == 0);
        CHECK(w > 0 && w <= 384 - 2 * 8);
        printf("privacy line: %d of %d dots at 58 mm\n", w, 384 - 16);
    }

    /* Empty slip and the test page. */
    slip_init(&s, SLIP_CONNECTIONS);
    r = render(&s, 384, 203);
    CHECK(r && r->nqr == 0 && r->height > 100);
    raster_free(r);
    CHECK(slip_test_page(&s, 1795862400000LL, &err) == 0);
    CHECK(s.recipient[0] != '\0'); /* the test page shows the band too */
    r = render(&s, 384, 203);
    CHECK(r && r->nqr == 2 && band_height(r) > 0);
    if (r)
        CHECK(check_codes(&s, r) == 2);
    raster_free(r);
    slip_free(&s);
}

/* The PNG backend: one file per job, read back by the zbarimg program. */
static void png_backend(void)
{
    struct devspec spec;
    struct printer_params pp = {576, 203, 1, 0, 0};
    struct printer *p = NULL;
    struct err err = {{0}};
    struct slip s;
    struct raster *r;
    char spec_text[700], cmd[1200], path[1100];
    char *want = malloc(VCARD_WRITE_MAX), *out;
    size_t outlen = 0;
    struct stat st;

    snprintf(spec_text, sizeof(spec_text), "png:%s/slips/deep", test_tmpdir());
    CHECK(devspec_printer(spec_text, &spec, &err) == 0);
    CHECK(printer_open(&p, &spec, &pp, test_tmpdir(), &err) == 0);
    sample_slip(&s, SLIP_HANDSHAKE, 2, 20);
    r = render(&s, 576, 203);
    CHECK(r != NULL);
    if (!p || !r || !want)
        goto out;
    CHECK(printer_print(p, r, "job-1", &err) == 0);
    snprintf(path, sizeof(path), "%s/slips/deep/slip-job-1.png", test_tmpdir());
    CHECK(stat(path, &st) == 0 && st.st_size > 1000);
    CHECK((st.st_mode & 0777) == 0600); /* names and e-mails: private, like the database */
    snprintf(cmd, sizeof(cmd), "zbarimg --quiet --raw -Sbinary '%s' > '%s/zbar.out' 2>/dev/null",
             path, test_tmpdir());
    if (system(cmd) != 0) {
        CHECK(!"zbarimg failed on the PNG slip");
        goto out;
    }
    snprintf(cmd, sizeof(cmd), "%s/zbar.out", test_tmpdir());
    out = test_read_file(cmd, &outlen);
    CHECK(out != NULL);
    for (int i = 0; out && i < s.n; i++) {
        int n = slip_vcard(&s, &s.contacts[i], want, VCARD_WRITE_MAX, NULL);
        CHECK(n > 0 && contains(out, outlen, want, (size_t)n));
    }
    free(out);
    /* Default folder: DATA_DIR/slips when png: has no folder. */
    printer_close(p);
    p = NULL;
    CHECK(devspec_printer("png:", &spec, &err) == 0);
    CHECK(printer_open(&p, &spec, &pp, test_path("data"), &err) == 0);
    CHECK(p && printer_print(p, r, "job-2", &err) == 0);
    CHECK(stat(test_path("data/slips/slip-job-2.png"), &st) == 0);
out:
    printer_close(p);
    raster_free(r);
    slip_free(&s);
    free(want);
}

/* The most contacts a slip takes, on 58 mm paper and at 300 dpi, make
 * more rows than a raster may have: the slip prints the sections that fit
 * (their codes scan) and a line saying how many more there are, instead of
 * failing on every retry. A slip that fits is untouched. */
static void too_tall(void)
{
    static const struct {
        int width, dpi;
    } cases[] = {{384, 203}, {576, 300}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct slip s;
        struct raster *r;
        sample_slip(&s, SLIP_CONNECTIONS, SLIP_CONTACTS_MAX, 40);
        r = render(&s, cases[i].width, cases[i].dpi);
        CHECK(r != NULL);
        if (r) {
            CHECK(r->height <= RASTER_HEIGHT_MAX);
            CHECK(r->nqr > 10 && r->nqr < SLIP_CONTACTS_MAX);
            CHECK(check_codes(&s, r) == r->nqr); /* the first ones, in order */
            printf("%d contacts at %d dots @ %d dpi: %d on the slip, %d rows\n", SLIP_CONTACTS_MAX,
                   cases[i].width, cases[i].dpi, r->nqr, r->height);
        }
        raster_free(r);
        slip_free(&s);
    }
}

/* The band holds exactly `line` at size dots, centred, white on black:
 * drawn black on a blank raster, inverted inside the margins, it must
 * equal the slip's top rows dot for dot. Returns the dots that differ. */
static int band_reads(const struct raster *r, const char *line, int size)
{
    struct font_style st = {size, 1};
    struct raster *want;
    struct err err = {{0}};
    int w = 0, h = band_height(r), y0 = 0, bad = 0, m = 8, pad = 8; /* 1 mm each at 203 dpi */
    while (y0 < r->height && !raster_get(r, r->width / 2 - 100, y0) && !raster_get(r, m + 1, y0))
        y0++;
    want = raster_new(r->width, h > 0 ? h : 1, &err);
    if (!want || h == 0 || font->ops->measure(font, &st, line, strlen(line), &w, &err) < 0 ||
        font->ops->draw(font, want, (r->width - w) / 2, pad, &st, line, strlen(line), &err) < 0) {
        raster_free(want);
        return -1;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < r->width; x++) {
            int v = raster_get(want, x, y);
            if (x >= m && x < r->width - m)
                v = !v;
            bad += v != raster_get(r, x, y0 + y);
        }
    raster_free(want);
    return bad;
}

static void for_line(void)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    static const char *const longname =
        "Maximiliane-Wilhelmina von Hohenzollern-Sigmaringen-\xC3\x91\xC3\xBA\xC3\xB1"
        "ez";
    struct slip s;
    struct slip_params p384 = {384, 203}, p576 = {576, 203};
    struct err err = {{0}};
    struct font_style st;
    char a[SLIP_LINE_MAX], b[SLIP_LINE_MAX];
    int size = 0, w = 0;
    struct raster *r;

    sample_slip(&s, SLIP_HANDSHAKE, 1, 3);
    snprintf(s.recipient, sizeof(s.recipient), "Ada Lovelace");
    CHECK(slip_for_line(&s, &p384, font, a, sizeof(a), &size, &err) == 0);
    CHECK_STR(a, "For Ada Lovelace");
    CHECK(size * 25.4 / 203 >= 4.0); /* larger than the contact's name (3.8 mm) */
    st.size = size;
    st.bold = 1;
    CHECK(font->ops->measure(font, &st, a, strlen(a), &w, &err) == 0 && w <= 384 - 2 * 8);
    printf("For line at 384 dots: \"%s\" at %d dots (%.1f mm), %d dots wide\n", a, size,
           size * 25.4 / 203, w);

    /* The band comes first on the slip, at 58 and 80 mm, and says it. */
    r = render(&s, 384, 203);
    CHECK(r && band_height(r) >= size);
    if (r) {
        CHECK(band_reads(r, a, size) == 0);
        CHECK(band_reads(r, "For Grace Hopper", size) > 0); /* the check can fail */
    }
    if (r)
        CHECK(check_codes(&s, r) == 1 && r->nqr == 1);
    raster_free(r);
    CHECK(slip_for_line(&s, &p576, font, b, sizeof(b), &size, &err) == 0);
    r = render(&s, 576, 203);
    CHECK(r && band_height(r) >= size && band_reads(r, b, size) == 0);
    raster_free(r);

    /* Too long for the paper: cut at a character, with an ellipsis, and
     * the cut line fits; wider paper keeps more of the name. */
    snprintf(s.recipient, sizeof(s.recipient), "%s", longname);
    CHECK(slip_for_line(&s, &p384, font, a, sizeof(a), &size, &err) == 0);
    CHECK(slip_for_line(&s, &p576, font, b, sizeof(b), NULL, &err) == 0);
    CHECK(utf8_valid(a, strlen(a)) && utf8_valid(b, strlen(b)));
    CHECK(strncmp(a, "For Maximiliane", 15) == 0);
    CHECK(strlen(a) > 3 && strcmp(a + strlen(a) - 3, ellipsis) == 0);
    CHECK(strlen(b) > strlen(a));
    st.size = size;
    CHECK(font->ops->measure(font, &st, a, strlen(a), &w, &err) == 0 && w <= 384 - 2 * 8);
    printf("long name at 384: \"%s\" (%d dots); at 576: \"%s\"\n", a, w, b);
    r = render(&s, 384, 203);
    CHECK(r && band_reads(r, a, size) == 0); /* the slip prints the cut line */
    raster_free(r);
    /* ...the name before the ellipsis is the recipient's start, no space. */
    CHECK(strncmp(a + 4, longname, strlen(a) - 4 - 3) == 0);
    CHECK(a[strlen(a) - 4] != ' ');

    /* Two-byte letters only: every cut lands between characters. */
    s.recipient[0] = '\0';
    for (int i = 0; i < 40; i++)
        strcat(s.recipient, i % 2 ? "\xD0\xB6" : "\xC3\xB8"); /* ж ø */
    CHECK(slip_for_line(&s, &p384, font, a, sizeof(a), NULL, &err) == 0);
    CHECK(utf8_valid(a, strlen(a)));
    CHECK(strcmp(a + strlen(a) - 3, ellipsis) == 0);
    r = render(&s, 384, 203);
    CHECK(r && band_height(r) > 0 && r->nqr == 1);
    raster_free(r);

    /* No recipient, no band. */
    s.recipient[0] = '\0';
    CHECK(slip_for_line(&s, &p384, font, a, sizeof(a), NULL, &err) == 0 && a[0] == '\0');
    r = render(&s, 384, 203);
    CHECK(r && band_height(r) == 0);
    raster_free(r);
    slip_free(&s);

    /* slip_fill: one placeholder, cut at a character when the buffer is short. */
    CHECK(slip_fill(a, sizeof(a), "For {}", "Zo\xC3\xAB") == 0);
    CHECK_STR(a, "For Zo\xC3\xAB");
    CHECK(slip_fill(a, 7, "For {}", "Zo\xC3\xAB") == 1);
    CHECK_STR(a, "For Zo");
    CHECK(slip_fill(a, sizeof(a), "{} %s %n", "x") == 0);
    CHECK_STR(a, "x %s %n");
    /* An unknown language prints English. */
    CHECK_STR(slip_word("xx", SLIP_W_FOR), slip_word(NULL, SLIP_W_FOR));
    slip_init_lang(&s, SLIP_HANDSHAKE, "xx");
    CHECK_STR(s.lang, "en");
    slip_free(&s);
}

/* A font that draws with the real one and keeps every line it drew, one
 * per row of the log: what the slip says, as printed. */
struct rec_font {
    struct font base;
    struct font *real;
    char log[32768];
    size_t used;
};

static int rec_measure(struct font *f, const struct font_style *st, const char *text, size_t len,
                       int *width, struct err *err)
{
    struct font *real = ((struct rec_font *)f)->real;
    return real->ops->measure(real, st, text, len, width, err);
}

static int rec_line_height(struct font *f, const struct font_style *st, int *height,
                           struct err *err)
{
    struct font *real = ((struct rec_font *)f)->real;
    return real->ops->line_height(real, st, height, err);
}

static int rec_draw(struct font *f, struct raster *r, int x, int y, const struct font_style *st,
                    const char *text, size_t len, struct err *err)
{
    struct rec_font *rf = (struct rec_font *)f;
    if (rf->used + len + 2 < sizeof(rf->log)) {
        memcpy(rf->log + rf->used, text, len);
        rf->used += len;
        rf->log[rf->used++] = '\n';
        rf->log[rf->used] = '\0';
    }
    return rf->real->ops->draw(rf->real, r, x, y, st, text, len, err);
}

static void rec_close(struct font *f)
{
    (void)f;
}

static const struct font_ops rec_ops = {rec_measure, rec_line_height, rec_draw, rec_close};

/* The log holds line as one whole printed line. */
static int printed_line(const struct rec_font *rf, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = rf->log; (p = strstr(p, line)) != NULL; p++)
        if ((p == rf->log || p[-1] == '\n') && p[n] == '\n')
            return 1;
    return 0;
}

/* Slips in each language: the slip's own words, dates and the vCard note
 * are in it, what people typed is not translated, the privacy line is one
 * line on 58 mm paper, the "For" band of a lead slip names the booth staff
 * uncut, and every QR code still decodes to its card. An unknown language
 * prints English. */
static void languages(void)
{
    static const struct {
        const char *lang, *said, *met, *scan_start, *due, *when, *title, *note;
    } want[] = {
        {"en", "en", "Met at Open Source Summit 2026\\, Sat 28 Nov 2026", "Scan with",
         "Sun 29 Nov 2026", "Sat 28 Nov 2026 11:40", "Handshake", "Note"},
        {"de", "de", "Kennengelernt bei Open Source Summit 2026 am Sa. 28. Nov. 2026",
         "Mit der Handykamera", "So. 29. Nov. 2026", "Sa. 28. Nov. 2026, 11:40", "Kontaktaustausch",
         "Notiz"},
        {"fr", "fr", "Rencontre \xC3\xA0 Open Source Summit 2026\\, le sam. 28 nov. 2026",
         "Scannez avec", "dim. 29 nov. 2026", "sam. 28 nov. 2026, 11:40",
         "\xC3\x89"
         "change de cartes",
         "Note"},
        {"es", "es",
         "Nos conocimos en Open Source Summit 2026\\, el s\xC3\xA1"
         "b 28 nov 2026",
         "Escanee con", "dom 29 nov 2026",
         "s\xC3\xA1"
         "b 28 nov 2026, 11:40",
         "Intercambio de tarjetas", "Nota"},
        {"xx", "en", "Met at Open Source Summit 2026\\, Sat 28 Nov 2026", "Scan with",
         "Sun 29 Nov 2026", "Sat 28 Nov 2026 11:40", "Handshake", "Note"},
    };
    static const char *const english[] = {"Scan with", "Follow up by", "Shared with consent",
                                          "Tip: "};
    struct rec_font *rf = calloc(1, sizeof(*rf));
    char *vc = malloc(VCARD_WRITE_MAX), line[SLIP_LINE_MAX + 64], a[SLIP_LINE_MAX];
    struct slip_params p384 = {384, 203};
    struct err err = {{0}};
    if (!rf || !vc) {
        CHECK(!"out of memory");
        goto out;
    }
    rf->base.ops = &rec_ops;
    rf->real = font;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        struct slip s, words;
        struct raster *r = NULL;
        int n;
        sample_slip(&s, SLIP_HANDSHAKE, 2, 12);
        slip_init_lang(&words, SLIP_HANDSHAKE, want[i].lang);
        CHECK_STR(words.lang, want[i].said);
        memcpy(s.lang, words.lang, sizeof(s.lang));
        memcpy(s.title, words.title, sizeof(s.title));
        memcpy(s.tip, words.tip, sizeof(s.tip));
        memcpy(s.privacy, words.privacy, sizeof(s.privacy));
        snprintf(s.recipient, sizeof(s.recipient), "Ada Lovelace");
        rf->used = 0;
        rf->log[0] = '\0';
        if (slip_render(&s, &p384, &rf->base, &r, &err) < 0) {
            fprintf(stderr, "render %s: %s\n", want[i].lang, err.msg);
            CHECK(!"render failed");
            slip_free(&s);
            continue;
        }
        slip_fill(line, sizeof(line), slip_word(want[i].lang, SLIP_W_FOR), "Ada Lovelace");
        CHECK(printed_line(rf, line));
        CHECK(printed_line(rf, want[i].title));
        CHECK(printed_line(rf, want[i].note));
        /* The follow-up line is printed whole, or its words on one line
         * and the whole date under them. */
        slip_fill(line, sizeof(line), slip_word(want[i].lang, SLIP_W_FOLLOW_UP), want[i].due);
        slip_fill(a, sizeof(a), slip_word(want[i].lang, SLIP_W_FOLLOW_UP), "");
        while (strlen(a) > 0 && a[strlen(a) - 1] == ' ')
            a[strlen(a) - 1] = '\0';
        CHECK(printed_line(rf, line) || (printed_line(rf, a) && printed_line(rf, want[i].due)));
        snprintf(line, sizeof(line), "%s \xC2\xB7 kiosk-test", want[i].when);
        CHECK(printed_line(rf, line));
        CHECK(strstr(rf->log, want[i].scan_start) != NULL);
        /* One line on 58 mm paper: drawn in one piece. */
        CHECK(printed_line(rf, slip_word(want[i].lang, SLIP_W_PRIVACY)));
        CHECK(strstr(rf->log, "word11") != NULL); /* the note as typed */
        for (size_t k = 0; strcmp(want[i].said, "en") != 0 && k < 4; k++)
            CHECK(strstr(rf->log, english[k]) == NULL);
        if (test_failed)
            fprintf(stderr, "%s slip said:\n%s\n", want[i].lang, rf->log);
        /* Every code decodes to its card, the note in the slip's language. */
        CHECK(r->nqr == 2 && check_codes(&s, r) == 2);
        n = slip_vcard(&s, &s.contacts[0], vc, VCARD_WRITE_MAX, &err);
        CHECK(n > 0 && strstr(vc, want[i].met) != NULL);
        if (n > 0 && !strstr(vc, want[i].met))
            fprintf(stderr, "vCard:\n%s\n", vc);
        raster_free(r);

        /* A lead slip for the booth staff: the band's words are not cut. */
        snprintf(s.recipient, sizeof(s.recipient), "%s",
                 slip_word(want[i].lang, SLIP_W_BOOTH_STAFF));
        CHECK(slip_for_line(&s, &p384, font, a, sizeof(a), NULL, &err) == 0);
        slip_fill(line, sizeof(line), slip_word(want[i].lang, SLIP_W_FOR), s.recipient);
        CHECK_STR(a, line);
        slip_free(&s);
    }
    /* The dates alone: day 1 in French, a month with an umlaut. */
    slip_format_time_lang("fr", 1790812800000LL, 0, 0, a, sizeof(a)); /* 2026-10-01 */
    CHECK_STR(a, "jeu. 1er oct. 2026");
    slip_format_time_lang("de", 1772323200000LL, 0, 1, a, sizeof(a)); /* 2026-03-01 */
    CHECK_STR(a, "So. 1. M\xC3\xA4rz 2026, 00:00");
    slip_format_time_lang("es", 1772323200000LL, 0, 0, a, sizeof(a));
    CHECK_STR(a, "dom 1 mar 2026");
    slip_format_time(1772323200000LL, 0, 1, a, sizeof(a));
    CHECK_STR(a, "Sun 1 Mar 2026 00:00");
    CHECK(slip_lang_known("de") && slip_lang_known("es") && !slip_lang_known("xx") &&
          !slip_lang_known(NULL));
    CHECK_STR(slip_lang_at(0), "en");
    CHECK(slip_lang_at(4) == NULL);
out:
    free(rf);
    free(vc);
}

int main(void)
{
    struct err err = {{0}};
    const char *assets = getenv("KIOSK_ASSETS");
    if (font_ttf_open(&font, assets ? assets : KIOSK_SOURCE_DIR "/assets", &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    for_line();
    languages();
    widths();
    small_card_qr();
    long_notes_and_many_contacts();
    consent_kinds_and_limits();
    too_tall();
    png_backend();
    font_close(font);
    return test_done();
}
