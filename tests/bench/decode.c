/*
 * bench_decode - plain zbar (default settings) vs the kiosk decode pipeline,
 * on the same synthetic frames in one run (tests/corpus/corpus.c).
 *
 * Prints, per resolution: ms/frame median and p95 for frames with a badge
 * and without, for both, and the speed-up ratio; then the decode rate per
 * distortion category for both, and wrong payloads. Each frame is decoded
 * from scratch (decode_reset: no help from a previous hit). Then a live
 * sequence from the demo camera, where the last-hit region does help.
 *
 *   bench_decode [-v] [-n FRAMES_PER_CELL] [--write DIR]    (-v: one line per frame)
 * --write only writes the corpus (PGM + manifest.tsv) and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zbar.h>

#include "core/decode.h"
#include "dev/camera.h"

#include "../corpus/corpus.c"

/* CPU time of this thread: the machine is shared, so wall time would
 * measure the neighbours. zbar and the pipeline are single-threaded. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void stats(double *v, int n, double *med, double *p95)
{
    if (n == 0) {
        *med = *p95 = 0;
        return;
    }
    qsort(v, (size_t)n, sizeof(double), cmpd);
    *med = v[n / 2];
    *p95 = v[(int)(0.95 * (n - 1) + 0.5)];
}

/* Does what a decoder returned match expected payload e? Exactly, or, when
 * lenient (for plain zbar, which re-encodes QR bytes it guesses are
 * ISO-8859-1 into UTF-8), as that re-encoding of the expected bytes. */
static int match(const struct corpus_frame *f, int e, const unsigned char *d, size_t n, int lenient)
{
    if (n == f->exp_len[e] && memcmp(d, f->exp[e], n) == 0)
        return 1;
    if (!lenient)
        return 0;
    return corpus_reencoded(f, e, d, n) ? 2 : 0;
}

/* How many of f's expected payloads are in the list; counts wrong ones and
 * (lenient) re-encoded ones. */
static int judge(const struct corpus_frame *f, const unsigned char **data, const size_t *len, int n,
                 int lenient, int *wrong, int *reencoded)
{
    int found = 0;
    for (int e = 0; e < f->nexp; e++)
        for (int i = 0; i < n; i++)
            if (match(f, e, data[i], len[i], lenient)) {
                found++;
                break;
            }
    for (int i = 0; i < n; i++) {
        int ok = 0;
        for (int e = 0; e < f->nexp && !ok; e++)
            ok = match(f, e, data[i], len[i], lenient);
        if (!ok) {
            (*wrong)++;
            if (getenv("BENCH_SHOW_WRONG"))
                fprintf(stderr, "%s: wrong payload (%zu bytes): %.*s\n", f->name, len[i],
                        (int)len[i], (const char *)data[i]);
        } else if (ok == 2)
            (*reencoded)++;
    }
    return found;
}

/* A live-camera sequence: the demo camera at 1280x720, a badge drifting
 * across then a gap, 15 fps. Plain zbar vs the pipeline keeping its
 * last-hit region from frame to frame (as the decoder thread does). */
static void stream(void)
{
    struct camera_params p = {1280, 720, 15, 1};
    struct devspec ds;
    struct camera *cam = NULL;
    struct decoder *dec = NULL;
    struct decode_opts o;
    struct err err = {{0}};
    zbar_image_scanner_t *plain = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    static double tp[400], to[400];
    int n = 0, read_p = 0, read_o = 0, roi = 0;
    double pm, pp, om, op;

    decode_opts_default(&o);
    if (devspec_camera("demo", &ds, &err) < 0 ||
        camera_open(&cam, &ds, &p, KIOSK_SOURCE_DIR "/assets", &err) < 0 ||
        decode_open(&dec, &o, &err) < 0) {
        printf("stream: %s\n", err.msg);
        goto out;
    }
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    for (int i = 0; i < 180; i++) {
        struct frame f;
        struct decode_result r;
        double t0;
        if (camera_read(cam, (int64_t)i * 1000 / 15 + 1, &f, &err) != CAMERA_OK)
            continue;
        t0 = now_ms();
        zbar_image_set_size(img, (unsigned)f.width, (unsigned)f.height);
        zbar_image_set_data(img, f.gray, (unsigned long)f.width * f.height, NULL);
        read_p += zbar_scan_image(plain, img) > 0;
        tp[n] = now_ms() - t0;
        t0 = now_ms();
        read_o += decode_frame(dec, f.gray, f.width, f.height, f.stride, &r, &err) > 0;
        to[n] = now_ms() - t0;
        roi += r.n > 0 && r.passes == 1;
        n++;
    }
    stats(tp, n, &pm, &pp);
    stats(to, n, &om, &op);
    printf("\nlive sequence (demo camera 1280x720, %d frames, badge in view ~5/6 of them)\n", n);
    printf("  plain zbar  %6.2f / %6.2f CPU ms (median / p95), frames with a read %d\n", pm, pp,
           read_p);
    printf("  kiosk       %6.2f / %6.2f CPU ms (median / p95), frames with a read %d "
           "(%d in one pass)\n",
           om, op, read_o, roi);
    printf("  ratio       %5.1fx / %5.1fx\n", om > 0 ? pm / om : 0, op > 0 ? pp / op : 0);
out:
    zbar_image_set_data(img, NULL, 0, NULL);
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(plain);
    decode_close(dec);
    camera_close(cam);
}

int main(int argc, char **argv)
{
    struct decode_opts o;
    struct decoder *dec = NULL;
    struct err err = {{0}};
    zbar_image_scanner_t *plain = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    int n, i, reps = 3;
    /* [res][badge?][i] */
    static double tp[CORPUS_NRES][2][4096], to[CORPUS_NRES][2][4096];
    int nt[CORPUS_NRES][2] = {{0}};
    int exp_cat[CORPUS_NCAT] = {0}, got_p[CORPUS_NCAT] = {0}, got_o[CORPUS_NCAT] = {0};
    int wrong_p = 0, wrong_o = 0, verbose = 0, reenc_p = 0, reenc_o = 0;
    double tot_p = 0, tot_o = 0;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            corpus_per_cell = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "--write") && i + 1 < argc)
            return corpus_write(argv[++i]) == 0 ? 0 : 1;
        else {
            fprintf(stderr, "usage: bench_decode [-v] [-n FRAMES_PER_CELL] [--write DIR]\n");
            return 2;
        }
    }
    if (corpus_per_cell < 1 || corpus_per_cell > 100)
        corpus_per_cell = 8;
    decode_opts_default(&o);
    if (decode_open(&dec, &o, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    n = corpus_count();
    printf("corpus: %d frames (%d per category and resolution), %d repetitions each\n", n,
           corpus_per_cell, reps);
    for (i = 0; i < n; i++) {
        struct corpus_frame f;
        struct decode_result r;
        const unsigned char *data[16];
        size_t len[16];
        int k, nd, badge, plain_read;
        double best_p = 1e9, best_o = 1e9;

        if (corpus_generate(i, &f) < 0) {
            fprintf(stderr, "corpus generation failed\n");
            return 1;
        }
        badge = f.nexp > 0;
        for (k = 0; k < reps; k++) {
            double t0 = now_ms(), t1;
            zbar_image_set_size(img, (unsigned)f.w, (unsigned)f.h);
            zbar_image_set_data(img, f.gray, (unsigned long)f.w * f.h, NULL);
            zbar_scan_image(plain, img);
            t1 = now_ms() - t0;
            best_p = t1 < best_p ? t1 : best_p;
        }
        nd = 0;
        for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s && nd < 16;
             s = zbar_symbol_next(s)) {
            data[nd] = (const unsigned char *)zbar_symbol_get_data(s);
            len[nd++] = zbar_symbol_get_data_length(s);
        }
        k = judge(&f, data, len, nd, 1, &wrong_p, &reenc_p);
        got_p[f.cat] += k;
        plain_read = k;

        for (k = 0; k < reps; k++) {
            double t0 = now_ms(), t1;
            decode_reset(dec);
            decode_frame(dec, f.gray, f.w, f.h, f.w, &r, &err);
            t1 = now_ms() - t0;
            best_o = t1 < best_o ? t1 : best_o;
        }
        for (nd = 0; nd < r.n; nd++) {
            data[nd] = r.code[nd].data;
            len[nd] = r.code[nd].len;
        }
        k = judge(&f, data, len, nd, 0, &wrong_o, &reenc_o);
        got_o[f.cat] += k;
        if (verbose)
            printf("%-28s plain %7.2f ms read %d/%d  kiosk %7.2f ms read %d/%d (%d passes)\n",
                   f.name, best_p, plain_read, f.nexp, best_o, k, f.nexp, r.passes);
        exp_cat[f.cat] += f.nexp;
        tp[f.res][badge][nt[f.res][badge]] = best_p;
        to[f.res][badge][nt[f.res][badge]++] = best_o;
        tot_p += best_p;
        tot_o += best_o;
        corpus_frame_free(&f);
    }

    printf("\nCPU ms per frame (best of %d runs per frame; median / p95 over frames)\n", reps);
    printf("%-10s %-8s %5s  %16s  %16s  %14s\n", "resolution", "frames", "n", "plain zbar", "kiosk",
           "ratio med/p95");
    for (int rs = 0; rs < CORPUS_NRES; rs++)
        for (int b = 1; b >= 0; b--) {
            double pm, pp, om, op;
            int cnt = nt[rs][b];
            stats(tp[rs][b], cnt, &pm, &pp);
            stats(to[rs][b], cnt, &om, &op);
            printf("%4dx%-5d %-8s %5d  %7.2f / %6.2f  %7.2f / %6.2f  %5.1fx / %5.1fx\n",
                   corpus_res[rs][0], corpus_res[rs][1], b ? "badge" : "no code", cnt, pm, pp, om,
                   op, om > 0 ? pm / om : 0, op > 0 ? pp / op : 0);
        }
    printf("total CPU time: plain %.0f ms, kiosk %.0f ms (%.1fx)\n", tot_p, tot_o,
           tot_o > 0 ? tot_p / tot_o : 0);

    printf("\ndecode rate per category (codes read / codes present)\n");
    printf("%-12s %6s  %14s  %14s\n", "category", "codes", "plain zbar", "kiosk");
    for (int c = 0; c < CORPUS_NCAT; c++) {
        if (!exp_cat[c]) {
            printf("%-12s %6d  %14s  %14s\n", corpus_cats[c], 0, "-", "-");
            continue;
        }
        printf("%-12s %6d  %5d (%5.1f%%)  %5d (%5.1f%%)%s\n", corpus_cats[c], exp_cat[c], got_p[c],
               100.0 * got_p[c] / exp_cat[c], got_o[c], 100.0 * got_o[c] / exp_cat[c],
               got_o[c] < got_p[c] ? "  <-- below plain" : "");
    }
    printf("wrong payloads: plain zbar %d, kiosk %d\n", wrong_p, wrong_o);
    printf("(plain zbar is credited with %d reads whose bytes it re-encoded from a guessed "
           "ISO-8859-1 to UTF-8;\n the kiosk runs zbar in binary mode and returns the printed "
           "bytes, %d re-encoded)\n",
           reenc_p, reenc_o);
    zbar_image_set_data(img, NULL, 0, NULL);
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(plain);
    decode_close(dec);
    stream();
    return 0;
}
