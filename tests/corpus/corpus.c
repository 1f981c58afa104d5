/*
 * corpus.c - a deterministic synthetic camera corpus for the decode test and
 * the decode benchmark (both #include this file; it is not a library).
 *
 * Each frame is a "hall" background (gradient, posters, stripes, noise) with
 * zero or more badges rendered from libqrencode modules through a homography
 * (so rotation, scale and perspective are one mapping, with 3x3
 * supersampling), then a category's distortion. Categories: plain,
 * rotation, perspective, blur, noise, lowcontrast, glare, inverted, small,
 * phone, multi, nocode; at 640x480, 1280x720 and 1920x1080. Everything comes
 * from a seeded xorshift generator: the same index always gives the same
 * frame and the same expected payloads. corpus_write() dumps frames as PGM
 * plus a manifest (name, category, expected payloads hex-encoded).
 */
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_MAX_CODES 3
#define CORPUS_NCAT      12
#define CORPUS_NRES      3

static const char *const corpus_cats[CORPUS_NCAT] = {
    "plain", "rotation", "perspective", "blur",  "noise", "lowcontrast",
    "glare", "inverted", "small",       "phone", "multi", "nocode"};
static const int corpus_res[CORPUS_NRES][2] = {{640, 480}, {1280, 720}, {1920, 1080}};

struct corpus_frame {
    char name[64];
    int cat, res;
    int w, h;
    unsigned char *gray; /* owned; corpus_frame_free */
    int nexp;
    unsigned char exp[CORPUS_MAX_CODES][512];
    size_t exp_len[CORPUS_MAX_CODES];
};

struct rng {
    unsigned long long s;
};

static unsigned rnd(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (unsigned)(r->s >> 11);
}

static double rndf(struct rng *r) /* [0,1) */
{
    return (rnd(r) & 0xFFFFFF) / 16777216.0;
}

static double rnd_range(struct rng *r, double a, double b)
{
    return a + (b - a) * rndf(r);
}

static double rnd_gauss(struct rng *r)
{
    double u = rndf(r) + 1e-9, v = rndf(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static const char *const first_names[] = {
    "Ada",     "Linus",  "Grace", "Ken", "Margaret", "Dennis", "Frances", "Niklaus",
    "Barbara", "Edsger", "Radia", "Tim", "Sophie",   "Hedy",   "Alan",    "Karen"};
static const char *const last_names[] = {
    "Lovewell", "Tornquist", "Hopwood", "Thomsen", "Hamlin",   "Ritchey", "Allenby",  "Wirtanen",
    "Liskova",  "Dijkman",   "Perlow",  "Berners", "Wilsford", "Lamarck", "Turnbull", "Spärck"};
static const char *const orgs[] = {"Example Robotics",    "Fictional Labs GmbH",
                                   "Acme Widgets",        "Nordlicht AB",
                                   "Café Müller & Söhne", "Open Hardware Co-op"};

/* A payload of a kind a badge carries: vCard, MECARD, URL, ticket id, or
 * Latin-1 bytes (not UTF-8: must come back byte for byte). */
static size_t make_payload(struct rng *r, unsigned char *out, size_t cap)
{
    const char *fn = first_names[rnd(r) % 16], *ln = last_names[rnd(r) % 16];
    const char *org = orgs[rnd(r) % 6];
    unsigned id = rnd(r) % 1000000;
    int n = 0;
    switch (rnd(r) % 5) {
    case 0:
        n = snprintf((char *)out, cap,
                     "BEGIN:VCARD\r\nVERSION:3.0\r\nN:%s;%s;;;\r\nFN:%s %s\r\nORG:%s\r\n"
                     "EMAIL:%s.%s@example.org\r\nTEL:+49 30 %06u\r\nEND:VCARD\r\n",
                     ln, fn, fn, ln, org, fn, ln, id);
        break;
    case 1:
        n = snprintf((char *)out, cap, "MECARD:N:%s,%s;ORG:%s;EMAIL:%s@example.com;TEL:+1555%06u;;",
                     ln, fn, org, fn, id);
        break;
    case 2:
        n = snprintf((char *)out, cap, "https://tickets.example.net/a/%06u?c=%08x", id, rnd(r));
        break;
    case 3:
        n = snprintf((char *)out, cap, "TKT-%06u-%s", id, ln);
        break;
    default:
        n = snprintf((char *)out, cap, "ATTENDEE %u %s ", id, fn);
        /* Latin-1 "Müller" and a raw high byte: bytes, not text */
        if (n > 0 && (size_t)n + 8 < cap) {
            memcpy(out + n, "M\xfcller\xa7", 8);
            n += 8;
        }
        break;
    }
    return n > 0 ? (size_t)n : 0;
}

/* --- drawing ----------------------------------------------------------------- */

static void background(struct rng *r, unsigned char *g, int w, int h, int lo, int hi)
{
    double gx = rnd_range(r, -0.3, 0.3), gy = rnd_range(r, -0.3, 0.3);
    int x, y, i;
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
            double v = 0.5 + gx * ((double)x / w - 0.5) + gy * ((double)y / h - 0.5);
            g[(size_t)y * w + x] = (unsigned char)(lo + (hi - lo) * v);
        }
    /* posters, people, signage: rectangles and stripe blocks */
    for (i = 0; i < 14; i++) {
        int rw = (int)rnd_range(r, w * 0.04, w * 0.3), rh = (int)rnd_range(r, h * 0.04, h * 0.4);
        int x0 = (int)(rndf(r) * (w - rw)), y0 = (int)(rndf(r) * (h - rh));
        int val = lo + (int)(rndf(r) * (hi - lo));
        int stripes = rnd(r) % 3 == 0, period = 2 + (int)(rnd(r) % 9);
        for (y = y0; y < y0 + rh; y++)
            for (x = x0; x < x0 + rw; x++) {
                int v = val;
                if (stripes && ((x / period) & 1))
                    v = lo + (hi - lo) - (val - lo);
                g[(size_t)y * w + x] = (unsigned char)v;
            }
    }
}

/* Homography mapping the unit square to quad q (x0,y0 .. x3,y3 in order
 * TL, TR, BR, BL), inverted so it maps frame pixels to square coordinates. */
struct homog {
    double a[9];
};

static void square_to_quad(const double q[8], struct homog *H)
{
    double x0 = q[0], y0 = q[1], x1 = q[2], y1 = q[3], x2 = q[4], y2 = q[5], x3 = q[6], y3 = q[7];
    double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
    double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
    double den = dx1 * dy2 - dx2 * dy1;
    double g = (sx * dy2 - dx2 * sy) / den, hh = (dx1 * sy - sx * dy1) / den;
    double *a = H->a;
    a[0] = x1 - x0 + g * x1;
    a[1] = x3 - x0 + hh * x3;
    a[2] = x0;
    a[3] = y1 - y0 + g * y1;
    a[4] = y3 - y0 + hh * y3;
    a[5] = y0;
    a[6] = g;
    a[7] = hh;
    a[8] = 1;
}

static void invert3(const double m[9], double o[9])
{
    double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                 m[2] * (m[3] * m[7] - m[4] * m[6]);
    o[0] = (m[4] * m[8] - m[5] * m[7]) / det;
    o[1] = (m[2] * m[7] - m[1] * m[8]) / det;
    o[2] = (m[1] * m[5] - m[2] * m[4]) / det;
    o[3] = (m[5] * m[6] - m[3] * m[8]) / det;
    o[4] = (m[0] * m[8] - m[2] * m[6]) / det;
    o[5] = (m[2] * m[3] - m[0] * m[5]) / det;
    o[6] = (m[3] * m[7] - m[4] * m[6]) / det;
    o[7] = (m[1] * m[6] - m[0] * m[7]) / det;
    o[8] = (m[0] * m[4] - m[1] * m[3]) / det;
}

struct badge_look {
    int dark, light; /* module colours */
    int card;        /* colour of the margin beyond the quiet zone (-1: none) */
    int margin;      /* extra modules of card around the quiet zone */
};

/* Render QR modules q (size n) into g through the quad. The square holds
 * the code plus a 4-module quiet zone plus look->margin modules of card. */
static void draw_code(unsigned char *g, int w, int h, const QRcode *q, const double quad[8],
                      const struct badge_look *look)
{
    struct homog H;
    double inv[9];
    int n = q->width, S = n + 8 + 2 * look->margin;
    double minx = quad[0], maxx = quad[0], miny = quad[1], maxy = quad[1];
    int x, y, i;

    square_to_quad(quad, &H);
    invert3(H.a, inv);
    for (i = 1; i < 4; i++) {
        minx = fmin(minx, quad[2 * i]);
        maxx = fmax(maxx, quad[2 * i]);
        miny = fmin(miny, quad[2 * i + 1]);
        maxy = fmax(maxy, quad[2 * i + 1]);
    }
    for (y = (int)fmax(0, miny); y < (int)fmin(h, maxy + 1); y++)
        for (x = (int)fmax(0, minx); x < (int)fmin(w, maxx + 1); x++) {
            int sum = 0, cnt = 0;
            for (int sy = 0; sy < 3; sy++)
                for (int sx = 0; sx < 3; sx++) {
                    double px = x + (sx + 0.5) / 3.0, py = y + (sy + 0.5) / 3.0;
                    double den = inv[6] * px + inv[7] * py + inv[8];
                    double u = (inv[0] * px + inv[1] * py + inv[2]) / den;
                    double v = (inv[3] * px + inv[4] * py + inv[5]) / den;
                    int mx, my, val;
                    if (u < 0 || u >= 1 || v < 0 || v >= 1)
                        continue;
                    mx = (int)floor(u * S) - 4 - look->margin;
                    my = (int)floor(v * S) - 4 - look->margin;
                    if (mx >= 0 && my >= 0 && mx < n && my < n)
                        val = (q->data[my * n + mx] & 1) ? look->dark : look->light;
                    else if (mx >= -4 && my >= -4 && mx < n + 4 && my < n + 4)
                        val = look->light;
                    else
                        val = look->card < 0 ? look->light : look->card;
                    sum += val;
                    cnt++;
                }
            if (cnt) {
                unsigned char *p = &g[(size_t)y * w + x];
                *p = (unsigned char)((sum + (9 - cnt) * *p) / 9);
            }
        }
}

static void box_blur(unsigned char *g, int w, int h, int rad)
{
    unsigned char *t = malloc((size_t)w * h);
    int x, y;
    if (!t || rad < 1) {
        free(t);
        return;
    }
    for (y = 0; y < h; y++) {
        const unsigned char *row = g + (size_t)y * w;
        for (x = 0; x < w; x++) {
            int s = 0, c = 0;
            for (int k = -rad; k <= rad; k++)
                if (x + k >= 0 && x + k < w) {
                    s += row[x + k];
                    c++;
                }
            t[(size_t)y * w + x] = (unsigned char)(s / c);
        }
    }
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
            int s = 0, c = 0;
            for (int k = -rad; k <= rad; k++)
                if (y + k >= 0 && y + k < h) {
                    s += t[(size_t)(y + k) * w + x];
                    c++;
                }
            g[(size_t)y * w + x] = (unsigned char)(s / c);
        }
    free(t);
}

static void add_noise(struct rng *r, unsigned char *g, int w, int h, double sigma)
{
    for (size_t i = 0; i < (size_t)w * h; i++) {
        double v = g[i] + sigma * rnd_gauss(r);
        g[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

/* Square quad of side `side` centred at (cx, cy), rotated by th, with the
 * right edge scaled by k (k < 1: tilted away) for perspective. */
static void make_quad(double q[8], double cx, double cy, double side, double th, double k,
                      double ky)
{
    double hs = side / 2;
    double pts[4][2] = {{-hs, -hs * ky}, {hs, -hs * k}, {hs, hs * k}, {-hs, hs * ky}};
    for (int i = 0; i < 4; i++) {
        q[2 * i] = cx + pts[i][0] * cos(th) - pts[i][1] * sin(th);
        q[2 * i + 1] = cy + pts[i][0] * sin(th) + pts[i][1] * cos(th);
    }
}

/* --- the corpus -------------------------------------------------------------- */

/* Frames per (category, resolution). */
static int corpus_per_cell = 4;

static int corpus_count(void)
{
    return CORPUS_NCAT * CORPUS_NRES * corpus_per_cell;
}

static void corpus_frame_free(struct corpus_frame *f)
{
    free(f->gray);
    f->gray = NULL;
}

/* Generate frame idx (0 <= idx < corpus_count()). Returns 0 or -1 (out of
 * memory / encoding failure). */
static int corpus_generate(int idx, struct corpus_frame *f)
{
    int per = corpus_per_cell;
    int cat = idx / (CORPUS_NRES * per), res = (idx / per) % CORPUS_NRES, var = idx % per;
    int w = corpus_res[res][0], h = corpus_res[res][1];
    struct rng r = {0x9E3779B97F4A7C15ull ^ ((unsigned long long)(idx + 1) * 0x100000001B3ull)};
    const char *cn = corpus_cats[cat];
    int ncodes = 1, i;
    double unit = h / 480.0; /* pixels per "VGA pixel" */
    int bg_lo = 30, bg_hi = 220;

    memset(f, 0, sizeof(*f));
    for (i = 0; i < 5; i++)
        rnd(&r);
    f->cat = cat;
    f->res = res;
    f->w = w;
    f->h = h;
    snprintf(f->name, sizeof(f->name), "%s-%dx%d-%d", cn, w, h, var);
    f->gray = malloc((size_t)w * h);
    if (!f->gray)
        return -1;
    if (!strcmp(cn, "lowcontrast")) {
        bg_lo = 90;
        bg_hi = 160;
    }
    background(&r, f->gray, w, h, bg_lo, bg_hi);
    if (!strcmp(cn, "nocode"))
        ncodes = 0;
    else if (!strcmp(cn, "multi"))
        ncodes = 2 + var % 2;

    for (i = 0; i < ncodes; i++) {
        QRcode *q;
        struct badge_look look = {25, 235, 245, 3};
        double m = rnd_range(&r, 4.0, 6.5) * unit, th = rnd_range(&r, -0.14, 0.14);
        double k = 1.0, ky = 1.0, quad[8], side, cx, cy;
        f->exp_len[i] = make_payload(&r, f->exp[i], sizeof(f->exp[i]));
        q = QRcode_encodeData((int)f->exp_len[i], f->exp[i], 0, QR_ECLEVEL_M);
        if (!q)
            return -1;
        f->nexp++;
        if (!strcmp(cn, "rotation"))
            th = rnd_range(&r, 0.3, 1.3) * (rnd(&r) & 1 ? 1 : -1);
        else if (!strcmp(cn, "perspective")) {
            k = rnd_range(&r, 0.72, 0.86);
            ky = rnd_range(&r, 0.95, 1.1);
        } else if (!strcmp(cn, "small"))
            m = rnd_range(&r, 2.0, 2.8) * (res == 0 ? 1.0 : res == 1 ? 1.2 : 1.4);
        else if (!strcmp(cn, "lowcontrast")) {
            look.dark = 105 + (int)(rnd(&r) % 15);
            look.light = look.dark + 30 + (int)(rnd(&r) % 12);
            look.card = look.light;
        } else if (!strcmp(cn, "inverted")) {
            look.dark = 230;
            look.light = 25;
            look.card = 40;
        } else if (!strcmp(cn, "phone")) {
            /* a screen: bright or dark mode, bezel, no card */
            if (var % 2) {
                look.dark = 215;
                look.light = 20;
            } else {
                look.dark = 30;
                look.light = 205;
            }
            look.card = 15; /* bezel */
            look.margin = 3;
        } else if (!strcmp(cn, "multi")) {
            m = rnd_range(&r, 3.2, 4.5) * unit;
        }
        side = m * (q->width + 8 + 2 * look.margin);
        if (ncodes == 1) {
            cx = rnd_range(&r, side * 0.7, w - side * 0.7);
            cy = rnd_range(&r, side * 0.7, h - side * 0.7);
            if (side * 1.4 > w || side * 1.4 > h) {
                cx = w / 2.0;
                cy = h / 2.0;
            }
        } else {
            /* one cell of a 3x1 grid each */
            double cw = (double)w / ncodes;
            cx = cw * i + cw / 2 + rnd_range(&r, -0.1, 0.1) * cw;
            cy = h / 2.0 + rnd_range(&r, -0.15, 0.15) * h;
        }
        make_quad(quad, cx, cy, side, th, k, ky);
        draw_code(f->gray, w, h, q, quad, &look);
        QRcode_free(q);
        if (!strcmp(cn, "glare")) {
            /* a soft hot spot over part of the code */
            double gx = cx + rnd_range(&r, -0.25, 0.25) * side;
            double gy = cy + rnd_range(&r, -0.25, 0.25) * side;
            double rad = side * rnd_range(&r, 0.12, 0.2), amp = rnd_range(&r, 120, 180);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double d2 = ((x - gx) * (x - gx) + (y - gy) * (y - gy)) / (rad * rad);
                    if (d2 < 9) {
                        double v = f->gray[(size_t)y * w + x] + amp * exp(-d2);
                        f->gray[(size_t)y * w + x] = (unsigned char)(v > 255 ? 255 : v);
                    }
                }
        }
        if (!strcmp(cn, "blur"))
            box_blur(f->gray, w, h, (int)fmax(1, m * rnd_range(&r, 0.35, 0.5)));
    }
    /* every frame gets a little sensor noise; "noise" a lot */
    add_noise(&r, f->gray, w, h, !strcmp(cn, "noise") ? rnd_range(&r, 22, 32) : 2.5);
    if (!strcmp(cn, "phone")) {
        /* screen refresh banding */
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int v = f->gray[(size_t)y * w + x] + ((y / 3) % 2 ? 6 : -6);
                f->gray[(size_t)y * w + x] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
    }
    return 0;
}

/* Does (d, n) equal expected payload e of f as plain zbar returns bytes it
 * guesses are ISO-8859-1: each byte >= 0x80 re-encoded as UTF-8? */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static int
corpus_reencoded(const struct corpus_frame *f, int e, const unsigned char *d, size_t n)
{
    unsigned char conv[2 * sizeof(f->exp[0])];
    size_t k = 0;
    for (size_t i = 0; i < f->exp_len[e]; i++) {
        unsigned char c = f->exp[e][i];
        if (c < 0x80) {
            conv[k++] = c;
        } else {
            conv[k++] = (unsigned char)(0xC0 | (c >> 6));
            conv[k++] = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    return k == n && memcmp(conv, d, n) == 0;
}

/* Write every frame as DIR/NAME.pgm and DIR/manifest.tsv lines
 * "NAME<TAB>CATEGORY<TAB>HEXPAYLOAD[,HEXPAYLOAD...]". Returns 0 or -1. */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static int
corpus_write(const char *dir)
{
    char path[1024];
    FILE *man;
    int n = corpus_count();
    snprintf(path, sizeof(path), "%s/manifest.tsv", dir);
    man = fopen(path, "w");
    if (!man)
        return -1;
    for (int i = 0; i < n; i++) {
        struct corpus_frame f;
        FILE *o;
        if (corpus_generate(i, &f) < 0) {
            fclose(man);
            return -1;
        }
        snprintf(path, sizeof(path), "%s/%s.pgm", dir, f.name);
        o = fopen(path, "wb");
        if (o) {
            fprintf(o, "P5\n%d %d\n255\n", f.w, f.h);
            fwrite(f.gray, 1, (size_t)f.w * f.h, o);
            fclose(o);
        }
        fprintf(man, "%s\t%s\t", f.name, corpus_cats[f.cat]);
        for (int c = 0; c < f.nexp; c++) {
            if (c)
                fputc(',', man);
            for (size_t b = 0; b < f.exp_len[c]; b++)
                fprintf(man, "%02x", f.exp[c][b]);
        }
        fputc('\n', man);
        corpus_frame_free(&f);
    }
    return fclose(man) == 0 ? 0 : -1;
}
