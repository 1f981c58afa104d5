/*
 * slip_testutil.h - shared by the slip, ESC/POS and print tests: sample
 * slips and an in-process zbar QR reader for 1-bit images.
 */
#ifndef KIOSK_SLIP_TESTUTIL_H
#define KIOSK_SLIP_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "slip.h"

#define MAX_CODES 128

struct codes {
    int n;
    char *data[MAX_CODES];
    size_t len[MAX_CODES];
    int y[MAX_CODES]; /* top row of the symbol's bounding box */
};

static inline void codes_free(struct codes *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->data[i]);
    c->n = 0;
}

/* Decode every QR code in a 1-bit image (1 = black, MSB first), sorted top
 * to bottom. Returns the number found. Bytes come back raw (ZBAR_CFG_BINARY). */
static inline int decode_bits(const unsigned char *bits, int w, int h, int stride,
                              struct codes *out)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    unsigned char *gray = malloc((size_t)w * (size_t)h);
    const zbar_symbol_t *sym;
    memset(out, 0, sizeof(*out));
    if (!gray)
        return -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            gray[(size_t)y * w + x] =
                (bits[(size_t)y * stride + (x >> 3)] >> (7 - (x & 7))) & 1 ? 0 : 255;
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)w, (unsigned)h);
    zbar_image_set_data(img, gray, (unsigned long)w * h, NULL);
    zbar_scan_image(sc, img);
    for (sym = zbar_image_first_symbol(img); sym && out->n < MAX_CODES;
         sym = zbar_symbol_next(sym)) {
        unsigned len = zbar_symbol_get_data_length(sym);
        int miny = h;
        char *d = malloc(len + 1);
        if (!d)
            break;
        memcpy(d, zbar_symbol_get_data(sym), len);
        d[len] = '\0';
        for (unsigned i = 0; i < zbar_symbol_get_loc_size(sym); i++)
            if (zbar_symbol_get_loc_y(sym, i) < miny)
                miny = zbar_symbol_get_loc_y(sym, i);
        out->data[out->n] = d;
        out->len[out->n] = len;
        out->y[out->n] = miny;
        out->n++;
    }
    /* insertion sort by y */
    for (int i = 1; i < out->n; i++)
        for (int j = i; j > 0 && out->y[j - 1] > out->y[j]; j--) {
            char *td = out->data[j];
            size_t tl = out->len[j];
            int ty = out->y[j];
            out->data[j] = out->data[j - 1];
            out->len[j] = out->len[j - 1];
            out->y[j] = out->y[j - 1];
            out->data[j - 1] = td;
            out->len[j - 1] = tl;
            out->y[j - 1] = ty;
        }
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
    free(gray);
    return out->n;
}

/* A slip with n made-up contacts; the note of contact i is note_words long. */
static inline void sample_slip(struct slip *s, enum slip_kind kind, int n, int note_words)
{
    static const char *const given[] = {"Ada",   "Grace", "Jürgen",   "Zoë",
                                        "Linus", "Ольга", "Margaret", "Dennis"};
    static const char *const family[] = {"Lovelace", "Hopper",  "Østergård", "Nakamura",
                                         "Torvalds", "Петрова", "Hamilton",  "Ritchie"};
    slip_init(s, kind);
    snprintf(s->event, sizeof(s->event), "Open Source Summit 2026");
    snprintf(s->kiosk, sizeof(s->kiosk), "kiosk-test");
    s->at = 1795862400000LL; /* 2026-11-26 10:40 UTC */
    s->utc_offset_min = 60;
    for (int i = 0; i < n; i++) {
        struct slip_contact *c = slip_add(s, NULL);
        char email[64];
        size_t used = 0;
        if (!c)
            return;
        snprintf(c->c.given_name, sizeof(c->c.given_name), "%s", given[i % 8]);
        snprintf(c->c.family_name, sizeof(c->c.family_name), "%s %d", family[i % 8], i + 1);
        snprintf(c->c.display_name, sizeof(c->c.display_name), "%s %s %d", given[i % 8],
                 family[i % 8], i + 1);
        snprintf(c->c.org, sizeof(c->c.org), "Org %d; Dept, \"Research\"", i + 1);
        snprintf(c->c.title, sizeof(c->c.title), "Engineer %d", i + 1);
        snprintf(email, sizeof(email), "person%d@example.org", i + 1);
        contact_add_email(&c->c, email);
        contact_add_phone(&c->c, "+49 30 1234567");
        for (int w = 0; w < note_words && used + 16 < sizeof(c->note); w++)
            used += (size_t)snprintf(c->note + used, sizeof(c->note) - used, "%sword%d",
                                     w ? " " : "", w);
        c->followup_due = s->at + 86400000LL * (i + 1);
        c->share_card = 1;
    }
}

#endif
