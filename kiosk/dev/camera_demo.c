/*
 * camera_demo.c - the built-in demo camera: sample badges (QR codes made
 * with libqrencode from assets/demo-badges.txt) drift across a soft
 * background one after another, with a short empty gap between, so
 * `kiosk run` with no camera shows scanning happen.
 *
 * Owns the rendered code matrices and one frame. Frames are paced at
 * params->fps from the now_ms passed in; the picture is a pure function of
 * the frame number, so runs are repeatable. Never touches a device.
 */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camera_internal.h"

#define DEMO_MAX_BADGES  16
#define DEMO_PASS_FRAMES 5 /* seconds a badge takes to cross, times fps (see below) */
#define DEMO_GAP_SECONDS 1

struct demo_cam {
    struct camera base;
    QRcode *code[DEMO_MAX_BADGES];
    int n;
    int w, h, fps, started;
    int64_t t0, k;
    unsigned char *gray;
};

static void demo_close(struct camera *c)
{
    struct demo_cam *dc = (struct demo_cam *)c;
    for (int i = 0; i < dc->n; i++)
        QRcode_free(dc->code[i]);
    free(dc->gray);
    free(dc);
}

static void fill_rect(struct demo_cam *dc, int x0, int y0, int x1, int y1, int v)
{
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > dc->w)
        x1 = dc->w;
    if (y1 > dc->h)
        y1 = dc->h;
    for (int y = y0; y < y1; y++)
        memset(dc->gray + (size_t)y * dc->w + x0, v, x1 > x0 ? (size_t)(x1 - x0) : 0);
}

static void render(struct demo_cam *dc, int64_t k)
{
    int w = dc->w, h = dc->h, x, y;
    int64_t per = (int64_t)dc->fps * (DEMO_PASS_FRAMES + DEMO_GAP_SECONDS);
    int idx = (int)((k / per) % dc->n);
    int64_t t = k % per; /* frame within this badge's pass */
    const QRcode *q = dc->code[idx];
    int m = h / 90 > 2 ? h / 90 : 2, side = (q->width + 8) * m;
    int cx, cy, ox, oy;

    /* background: a vertical light gradient with a few soft panels */
    for (y = 0; y < h; y++)
        memset(dc->gray + (size_t)y * w, 90 + 60 * y / h, (size_t)w);
    fill_rect(dc, w / 12, h / 8, w / 3, h / 3, 150);
    fill_rect(dc, w * 2 / 3, h / 2, w * 11 / 12, h * 7 / 8, 70);
    if (t >= (int64_t)dc->fps * DEMO_PASS_FRAMES)
        return; /* the gap: no badge in view */
    /* the badge drifts left to right and bobs a little */
    cx = (int)(side / 2 + (w - side) * t / ((int64_t)dc->fps * DEMO_PASS_FRAMES));
    cy = h / 2 + (int)((t % 20 < 10 ? t % 10 : 10 - t % 10) * h / 200) - h / 40;
    ox = cx - side / 2;
    oy = cy - side / 2;
    /* lanyard card (a margin of white), then the modules */
    fill_rect(dc, ox - 2 * m, oy - 2 * m, ox + side + 2 * m, oy + side + 6 * m, 235);
    for (y = 0; y < q->width; y++)
        for (x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                fill_rect(dc, ox + (x + 4) * m, oy + (y + 4) * m, ox + (x + 5) * m,
                          oy + (y + 5) * m, 25);
}

static enum camera_status demo_read(struct camera *c, int64_t now_ms, struct frame *f,
                                    struct err *err)
{
    struct demo_cam *dc = (struct demo_cam *)c;
    (void)err;
    if (!dc->started) {
        dc->started = 1;
        dc->t0 = now_ms;
    }
    if (now_ms < dc->t0 + dc->k * 1000 / dc->fps)
        return CAMERA_AGAIN;
    render(dc, dc->k);
    f->width = dc->w;
    f->height = dc->h;
    f->stride = dc->w;
    f->gray = dc->gray;
    f->seq = dc->k++;
    return CAMERA_OK;
}

static const struct camera_ops demo_ops = {demo_read, demo_close};

/* Parse demo-badges.txt into QR codes. */
static int load_badges(struct demo_cam *dc, const char *path, struct err *err)
{
    FILE *fp = fopen(path, "r");
    char line[1024], payload[KIOSK_PAYLOAD_MAX];
    size_t len = 0;
    int rc = -1, more = 1;

    if (!fp)
        return err_set(err, "demo camera: cannot open %s", path);
    while (more) {
        more = fgets(line, sizeof(line), fp) != NULL;
        if (more && line[0] == '#')
            continue;
        if (!more || strncmp(line, "---", 3) == 0) {
            while (len > 0 && (payload[len - 1] == '\n' || payload[len - 1] == '\r'))
                len--;
            if (len > 0) {
                if (dc->n >= DEMO_MAX_BADGES) {
                    err_set(err, "demo camera: more than %d badges in %s", DEMO_MAX_BADGES, path);
                    goto out;
                }
                dc->code[dc->n] =
                    QRcode_encodeData((int)len, (const unsigned char *)payload, 0, QR_ECLEVEL_M);
                if (!dc->code[dc->n]) {
                    err_set(err, "demo camera: cannot encode badge %d of %s", dc->n + 1, path);
                    goto out;
                }
                dc->n++;
            }
            len = 0;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (len + strlen(line) + 2 >= sizeof(payload)) {
            err_set(err, "demo camera: a badge in %s is longer than %d bytes", path,
                    KIOSK_PAYLOAD_MAX);
            goto out;
        }
        /* vCards want CR LF line ends; MECARDs are one line anyway */
        len += (size_t)snprintf(payload + len, sizeof(payload) - len, "%s\r\n", line);
    }
    if (dc->n == 0) {
        err_set(err, "demo camera: no badges in %s", path);
        goto out;
    }
    rc = 0;
out:
    fclose(fp);
    return rc;
}

int camera_open_demo(struct camera **out, const char *assets_dir, const struct camera_params *p,
                     struct err *err)
{
    struct demo_cam *dc;
    char path[1100];

    *out = NULL;
    dc = calloc(1, sizeof(*dc));
    if (!dc)
        return err_set(err, "demo camera: out of memory");
    dc->base.ops = &demo_ops;
    dc->w = p->width;
    dc->h = p->height;
    dc->fps = p->fps;
    snprintf(path, sizeof(path), "%s/demo-badges.txt", assets_dir ? assets_dir : ".");
    dc->gray = malloc((size_t)dc->w * dc->h);
    if (!dc->gray || load_badges(dc, path, err) < 0) {
        if (!dc->gray)
            err_set(err, "demo camera: out of memory");
        demo_close(&dc->base);
        return -1;
    }
    if ((dc->code[0]->width + 12) * (dc->h / 90 > 2 ? dc->h / 90 : 2) > dc->w) {
        demo_close(&dc->base);
        return err_set(err, "demo camera: %dx%d is too small for the sample badges", p->width,
                       p->height);
    }
    *out = &dc->base;
    return 0;
}
