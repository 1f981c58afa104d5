/*
 * bench_slip - how long a slip takes from data to printer bytes, per paper
 * width: layout + text (SDL2_ttf) + QR, then ESC/POS encoding and PNG
 * encoding, against a baseline of QR encoding alone in the same process
 * (the part every slip needs whatever the layout). Prints ms per slip,
 * slip length and job size.
 * Usage: bench_slip [ROUNDS]   (default 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev/font_ttf.h"
#include "dev/printer.h"
#include "escpos.h"
#include "qr.h"
#include "slip.h"
#include "test.h"
#include "vcard.h"

static double secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sample(struct slip *s, int n)
{
    slip_init(s, SLIP_HANDSHAKE);
    snprintf(s->event, sizeof(s->event), "Open Source Summit 2026");
    snprintf(s->kiosk, sizeof(s->kiosk), "kiosk-bench");
    s->at = 1795862400000LL;
    for (int i = 0; i < n; i++) {
        struct slip_contact *c = slip_add(s, NULL);
        snprintf(c->c.display_name, sizeof(c->c.display_name), "Person Number %d", i);
        snprintf(c->c.given_name, sizeof(c->c.given_name), "Person");
        snprintf(c->c.family_name, sizeof(c->c.family_name), "Number %d", i);
        snprintf(c->c.org, sizeof(c->c.org), "Example Organisation %d", i);
        snprintf(c->c.title, sizeof(c->c.title), "Senior Engineer");
        contact_add_email(&c->c, "person@example.org");
        contact_add_phone(&c->c, "+49 30 1234567");
        snprintf(c->note, sizeof(c->note),
                 "Talked about thermal printers, QR codes on paper "
                 "and how long a note may be before it wraps twice.");
        c->followup_due = s->at + 86400000LL;
        c->share_card = 1;
    }
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    static const int widths[] = {384, 576, 832};
    struct font *font;
    struct err err = {{0}};
    struct slip s;
    char *vc = malloc(VCARD_WRITE_MAX);
    double t0, base;

    if (rounds < 1 || !vc || font_ttf_open(&font, KIOSK_SOURCE_DIR "/assets", &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    sample(&s, 3);
    /* Baseline: the three vCards and their QR matrices only. */
    t0 = secs();
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < s.n; i++) {
            struct qr q;
            int n = slip_vcard(&s, &s.contacts[i], vc, VCARD_WRITE_MAX, NULL);
            if (n < 0 || qr_encode(vc, (size_t)n, QR_ECC_M, &q, NULL) < 0)
                return 1;
            qr_free(&q);
        }
    base = (secs() - t0) / rounds * 1000;
    printf("baseline: 3 vCards + QR matrices: %.2f ms\n", base);
    for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        struct slip_params p = {widths[w], 203};
        struct raster *r = NULL;
        struct escpos_buf b = {0};
        struct escpos_job job = {1, 0, 4, 0};
        double render, enc, png;
        t0 = secs();
        for (int i = 0; i < rounds; i++) {
            raster_free(r);
            if (slip_render(&s, &p, font, &r, &err) < 0) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
        }
        render = (secs() - t0) / rounds * 1000;
        t0 = secs();
        for (int i = 0; i < rounds; i++) {
            b.len = 0;
            escpos_encode(&b, r, &job, &err);
        }
        enc = (secs() - t0) / rounds * 1000;
        t0 = secs();
        for (int i = 0; i < rounds; i++)
            printer_png_write(r, 203, test_path("bench.png"), &err);
        png = (secs() - t0) / rounds * 1000;
        printf("%4d dots: render %.1f ms (%.1fx baseline), ESC/POS %.2f ms -> %zu bytes, "
               "PNG %.1f ms; slip %d rows = %.0f mm\n",
               widths[w], render, render / base, enc, b.len, png, r->height,
               r->height * 25.4 / 203);
        escpos_buf_free(&b);
        raster_free(r);
    }
    slip_free(&s);
    font_close(font);
    free(vc);
    test_done();
    return 0;
}
