/*
 * frametime.c - frame time of every kiosk screen at 1920x1080 through the
 * headless (offscreen software) renderer with a live camera preview, and
 * scan-to-card latency (scan event -> committed -> card drawn).
 *
 * Each frame: a new synthetic 1280x720 camera frame (so the preview is
 * converted and redrawn every time), an EV_TICK into the app (rebuilds the
 * draw list), a forced full draw. Prints p50/p99/max per screen; the goal is
 * p99 <= 16.7 ms (60 Hz). The baseline in the same process is a frame of
 * the attract screen without preview updates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "dev/display.h"
#include "script.h"
#include "store.h"
#include "test.h"

#define W 1920
#define H 1080
#define FRAMES 240
#define CAM_W 1280
#define CAM_H 720

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: on a shared, loaded machine wall time measures
 * the other processes too; CPU time is what the kiosk itself spends. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static unsigned char cam[CAM_W * CAM_H];

static void next_frame(struct display *d, int64_t seq)
{
    struct frame f;
    /* A moving diagonal pattern: every pixel changes every frame. */
    for (int y = 0; y < CAM_H; y++)
        for (int x = 0; x < CAM_W; x++)
            cam[y * CAM_W + x] = (unsigned char)((x + y + seq * 7) & 0xFF);
    f.width = CAM_W;
    f.height = CAM_H;
    f.stride = CAM_W;
    f.gray = cam;
    f.seq = seq;
    display_set_preview(d, &f);
}

static int64_t clock_ms = 1790000000000LL;

static void run_script(struct app *a, const char *text)
{
    struct script s;
    struct err err = {{0}};
    if (script_parse(&s, text, strlen(text), NULL, &err) < 0 ||
        script_run_virtual(&s, a, &clock_ms, 16, NULL, NULL, NULL, &err) < 0)
        fprintf(stderr, "bench script: %s\n", err.msg);
    script_free(&s);
}

static void measure(struct display *d, struct app *a, const char *label, int preview,
                    double *p99_out)
{
    double t[FRAMES], c[FRAMES];
    static int64_t seq;
    for (int i = 0; i < FRAMES; i++) {
        struct event ev;
        double t0 = now_ms(), c0 = cpu_ms();
        if (preview)
            next_frame(d, ++seq);
        memset(&ev, 0, sizeof(ev));
        ev.type = EV_TICK;
        clock_ms += 16;
        ev.now_ms = clock_ms;
        app_event(a, &ev);
        display_draw(d, app_ui(a), 1);
        t[i] = now_ms() - t0;
        c[i] = cpu_ms() - c0;
    }
    qsort(t, FRAMES, sizeof(t[0]), cmp);
    qsort(c, FRAMES, sizeof(c[0]), cmp);
    printf("  %-20s cpu p50 %6.2f p99 %6.2f ms %-4s| wall p50 %6.2f p99 %6.2f max %6.2f ms\n",
           label, c[FRAMES / 2], c[FRAMES * 99 / 100], c[FRAMES * 99 / 100] <= 16.7 ? "ok" : "OVER",
           t[FRAMES / 2], t[FRAMES * 99 / 100], t[FRAMES - 1]);
    if (p99_out)
        *p99_out = c[FRAMES * 99 / 100];
}

#define ADA "BEGIN:VCARD\\nVERSION:3.0\\nN:Lovelace;Ada\\nFN:Ada Lovelace\\nORG:Analytical " \
            "Engines\\nTITLE:Engineer\\nEMAIL:ada@example.org\\nEND:VCARD"
#define GRACE "BEGIN:VCARD\\nVERSION:3.0\\nN:Hopper;Grace\\nFN:Grace Hopper\\nORG:Navy\\nEMAIL:" \
              "grace@example.org\\nEND:VCARD"

int main(void)
{
    struct config cfg;
    struct store *store = NULL;
    struct display *d = NULL;
    struct app *a = NULL;
    struct err err = {{0}};
    struct display_params dp;
    struct ui_measure m;
    double worst = 0, p99, base;
    char path[1024];

    setenv("TZ", "UTC", 1);
    snprintf(path, sizeof(path), "%s", test_path("bench.db"));
    if (config_init(&cfg, &err) < 0 || config_set(&cfg, "admin.pin", "2468", "bench", &err) < 0 ||
        config_set(&cfg, "booth.questions",
                   "budget|single|Budget|<10k/10-50k/>50k;topics|multi|Topics|HW/SW/Support",
                   "bench", &err) < 0 ||
        store_open(&store, path, "bench", clock_ms, &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    memset(&dp, 0, sizeof(dp));
    dp.headless = 1;
    dp.w = W;
    dp.h = H;
    dp.font = KIOSK_SOURCE_DIR "/assets/fonts/DejaVuSans.ttf";
    dp.font_bold = KIOSK_SOURCE_DIR "/assets/fonts/DejaVuSans-Bold.ttf";
    if (display_open(&d, &dp, &err) < 0) {
        fprintf(stderr, "display: %s\n", err.msg);
        return 1;
    }
    m = display_measure(d);
    if (app_new(&a, store, &cfg, NULL, W, H, &m, clock_ms, &err) < 0) {
        fprintf(stderr, "app: %s\n", err.msg);
        return 1;
    }
    printf("frame time at %dx%d, headless software renderer, %d frames per screen, live %dx%d "
           "preview\n", W, H, FRAMES, CAM_W, CAM_H);

    measure(d, a, "attract (no preview)", 0, &base);
    measure(d, a, "attract", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "scan " ADA "\ntap obj_hiring\n");
    measure(d, a, "mycard", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap pitch\ntype Analytical engines for everyone\n");
    measure(d, a, "editor", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap kb_done\nscan " GRACE "\ntap consent_a\n");
    measure(d, a, "handshake", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap consent_b\ntap save\n");
    measure(d, a, "saved", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap show_qr\n");
    measure(d, a, "qr", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap done\ntap connections\nscan " GRACE "\n");
    measure(d, a, "connections", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap done\nscan WIFI:S:x;;\n");
    measure(d, a, "message", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap ok\nhold admin_corner 2100\ntype 2468\nkey enter\n");
    measure(d, a, "admin", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    run_script(a, "tap mode_booth\ntap admin_close\nscan " ADA "\ntap rate_3\n");
    measure(d, a, "lead", 1, &p99);
    worst = p99 > worst ? p99 : worst;
    printf("  worst cpu p99 %.2f ms (goal 16.7 ms); worst screen vs attract without preview: "
           "x%.2f\n", worst, base > 0 ? worst / base : 0);

    /* Scan-to-card: scan event (parse, upsert, scan row committed with
     * synchronous=FULL) until the frame showing the card is drawn. */
    {
        double t[60], c[60];
        int n = 60;
        run_script(a, "hold admin_corner 2100\ntype 2468\nkey enter\ntap mode_handshake\n"
                      "tap admin_close\n");
        for (int i = 0; i < n; i++) {
            struct script s;
            const char *text = "scan " ADA "\n";
            double t0, c0;
            script_parse(&s, text, strlen(text), NULL, &err);
            next_frame(d, 100000 + i);
            t0 = now_ms();
            c0 = cpu_ms();
            script_step(&s, a, clock_ms, NULL, &err);
            display_draw(d, app_ui(a), 1);
            t[i] = now_ms() - t0;
            c[i] = cpu_ms() - c0;
            script_free(&s);
            if (strcmp(app_screen_name(app_screen(a)), "mycard") != 0)
                fprintf(stderr, "scan did not show the card\n");
            run_script(a, "tap cancel\nwait 100\n");
        }
        qsort(t, (size_t)n, sizeof(t[0]), cmp);
        qsort(c, (size_t)n, sizeof(c[0]), cmp);
        printf("scan-to-card (parse, commit with synchronous=FULL in %s, draw): wall p50 %.2f "
               "p99 %.2f max %.2f ms; cpu p50 %.2f p99 %.2f ms\n",
               test_tmpdir(), t[n / 2], t[n * 99 / 100], t[n - 1], c[n / 2], c[n * 99 / 100]);
    }
    app_free(a);
    display_close(d);
    store_close(store);
    config_free(&cfg);
    return test_done();
}
