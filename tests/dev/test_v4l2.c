/*
 * test_v4l2 - the V4L2 camera's failure paths. No camera exists here, so
 * two kinds of check: real paths that are no V4L2 device (/dev/null, a
 * regular file, a FIFO, a directory) give a clear reason and never block;
 * and a stand-in device behind struct camera_v4l2_sys plays a camera that
 * is unplugged mid-stream and comes back, stalls, is busy, offers only
 * formats we cannot read or YUYV at another size, is a codec or metadata
 * node, sends damaged MJPEG, and interrupts calls with EINTR. Every case
 * must end in a clear reason and a reopen: never an exit, never a hang
 * (SIGALRM fails the test if a read blocks).
 */
#include <errno.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/camera.h"
#include "dev/camera_v4l2.h"
#include "dev/image.h"
#include "test.h"

#define FAKE_FD 1000
#define NB 4

struct fake {
    int present;           /* the node exists (a character device) */
    uint32_t caps;         /* device capabilities */
    uint32_t formats[4];   /* what S_FMT accepts, first = what it offers instead */
    int nformats;
    int yuyv_w, yuyv_h;    /* largest YUYV size (0: any) */
    int busy;              /* S_FMT fails with EBUSY */
    int stalled;           /* DQBUF: EAGAIN forever */
    int unplugged;         /* every ioctl: ENODEV */
    int bad_jpeg;          /* MJPEG frames are garbage */
    int eintr;             /* this many ioctls fail with EINTR first */
    uint32_t fourcc;
    int w, h, open;
    int queued[NB];
    unsigned char *mem[NB];
    size_t len[NB];
    int maps, opens, frames;
    unsigned char *jpeg;   /* a good MJPEG frame of w x h */
    size_t jpeg_len;
};

static int f_stat(void *ctx, const char *path, struct stat *st)
{
    struct fake *f = ctx;
    (void)path;
    if (!f->present) {
        errno = ENOENT;
        return -1;
    }
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0660;
    return 0;
}

static int f_open(void *ctx, const char *path, int flags)
{
    struct fake *f = ctx;
    (void)path;
    (void)flags;
    f->opens++;
    if (!f->present) {
        errno = ENOENT;
        return -1;
    }
    f->open = 1;
    return FAKE_FD;
}

static int f_close(void *ctx, int fd)
{
    struct fake *f = ctx;
    CHECK(fd == FAKE_FD && f->open);
    f->open = 0;
    return 0;
}

static size_t frame_size(const struct fake *f)
{
    if (f->fourcc == V4L2_PIX_FMT_YUYV)
        return (size_t)f->w * f->h * 2;
    if (f->fourcc == V4L2_PIX_FMT_MJPEG)
        return (size_t)f->w * f->h; /* a JPEG fits easily */
    return (size_t)f->w * f->h;
}

static void fill(struct fake *f, int b, struct v4l2_buffer *buf)
{
    unsigned char *m = f->mem[b];
    size_t n = frame_size(f);
    if (f->fourcc == V4L2_PIX_FMT_MJPEG) {
        if (f->bad_jpeg) {
            static const char junk[] = "\xFF\xD8\xFF\xE0 garbage, not a JPEG at all";
            memcpy(m, junk, sizeof(junk));
            n = sizeof(junk);
        } else {
            memcpy(m, f->jpeg, f->jpeg_len);
            n = f->jpeg_len;
        }
    } else if (f->fourcc == V4L2_PIX_FMT_YUYV) {
        for (size_t i = 0; i < n; i += 2) {
            m[i] = (unsigned char)(40 + f->frames); /* Y */
            m[i + 1] = 128;
        }
    } else {
        memset(m, 40 + f->frames, n);
    }
    buf->index = (uint32_t)b;
    buf->bytesused = (uint32_t)n;
    buf->flags = 0;
    f->frames++;
}

static int f_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
    struct fake *f = ctx;
    CHECK(fd == FAKE_FD && f->open);
    if (f->eintr > 0) {
        f->eintr--;
        errno = EINTR;
        return -1;
    }
    if (f->unplugged) {
        errno = ENODEV;
        return -1;
    }
    switch (req) {
    case VIDIOC_QUERYCAP: {
        struct v4l2_capability *c = arg;
        memset(c, 0, sizeof(*c));
        c->capabilities = f->caps | V4L2_CAP_DEVICE_CAPS;
        c->device_caps = f->caps;
        return 0;
    }
    case VIDIOC_S_FMT: {
        struct v4l2_format *fmt = arg;
        int ok = 0;
        if (f->busy) {
            errno = EBUSY;
            return -1;
        }
        for (int i = 0; i < f->nformats; i++)
            ok |= f->formats[i] == fmt->fmt.pix.pixelformat;
        if (!ok)
            fmt->fmt.pix.pixelformat = f->formats[0];
        if (fmt->fmt.pix.pixelformat == V4L2_PIX_FMT_YUYV && f->yuyv_w &&
            (int)fmt->fmt.pix.width > f->yuyv_w) {
            fmt->fmt.pix.width = (uint32_t)f->yuyv_w;
            fmt->fmt.pix.height = (uint32_t)f->yuyv_h;
        }
        fmt->fmt.pix.bytesperline =
            fmt->fmt.pix.width * (fmt->fmt.pix.pixelformat == V4L2_PIX_FMT_YUYV ? 2 : 1);
        if (fmt->fmt.pix.pixelformat == V4L2_PIX_FMT_MJPEG)
            fmt->fmt.pix.bytesperline = 0;
        f->fourcc = fmt->fmt.pix.pixelformat;
        f->w = (int)fmt->fmt.pix.width;
        f->h = (int)fmt->fmt.pix.height;
        return 0;
    }
    case VIDIOC_S_PARM:
    case VIDIOC_STREAMON:
    case VIDIOC_STREAMOFF:
        return 0;
    case VIDIOC_REQBUFS: {
        struct v4l2_requestbuffers *r = arg;
        r->count = NB;
        return 0;
    }
    case VIDIOC_QUERYBUF: {
        struct v4l2_buffer *b = arg;
        if (b->index >= NB) {
            errno = EINVAL;
            return -1;
        }
        b->length = (uint32_t)frame_size(f);
        b->m.offset = b->index * 1048576u;
        return 0;
    }
    case VIDIOC_QBUF: {
        struct v4l2_buffer *b = arg;
        if (b->index >= NB) {
            errno = EINVAL;
            return -1;
        }
        f->queued[b->index] = 1;
        return 0;
    }
    case VIDIOC_DQBUF: {
        struct v4l2_buffer *b = arg;
        if (f->stalled) {
            errno = EAGAIN;
            return -1;
        }
        for (int i = 0; i < NB; i++)
            if (f->queued[i] && f->mem[i]) {
                f->queued[i] = 0;
                fill(f, i, b);
                return 0;
            }
        errno = EAGAIN;
        return -1;
    }
    default:
        errno = ENOTTY;
        return -1;
    }
}

static void *f_mmap(void *ctx, size_t len, int fd, off_t offset)
{
    struct fake *f = ctx;
    int b = (int)(offset / 1048576);
    CHECK(fd == FAKE_FD && b >= 0 && b < NB && !f->mem[b]);
    if (b < 0 || b >= NB || f->mem[b])
        return MAP_FAILED;
    f->mem[b] = calloc(1, len);
    f->len[b] = len;
    f->maps++;
    return f->mem[b] ? f->mem[b] : MAP_FAILED;
}

static int f_munmap(void *ctx, void *addr, size_t len)
{
    struct fake *f = ctx;
    for (int b = 0; b < NB; b++)
        if (f->mem[b] == addr) {
            CHECK(f->len[b] == len);
            free(f->mem[b]);
            f->mem[b] = NULL;
            f->queued[b] = 0;
            f->maps--;
            return 0;
        }
    CHECK(!"munmap of an address never mapped");
    return -1;
}

static struct camera_v4l2_sys fake_sys(struct fake *f)
{
    struct camera_v4l2_sys s = {f, f_stat, f_open, f_close, f_ioctl, f_mmap, f_munmap};
    return s;
}

static void fake_init(struct fake *f, uint32_t fourcc)
{
    memset(f, 0, sizeof(*f));
    f->present = 1;
    f->caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
    f->formats[0] = fourcc;
    f->nformats = 1;
}

static struct camera *open_fake(struct fake *f, int w, int h)
{
    struct camera_params p = {w, h, 30, 0};
    struct camera_v4l2_sys s = fake_sys(f);
    struct camera *c = NULL;
    struct err err = {{0}};
    CHECK(camera_v4l2_open_sys(&c, "/dev/video7", &p, &s, &err) == 0 && c != NULL);
    return c;
}

/* Read until something other than CAMERA_AGAIN, at most n reads from t. */
static enum camera_status read_until(struct camera *c, int64_t *t, int step, int n,
                                     struct frame *fr, struct err *err)
{
    enum camera_status st = CAMERA_AGAIN;
    for (int i = 0; i < n && st == CAMERA_AGAIN; i++) {
        st = camera_read(c, *t, fr, err);
        *t += step;
    }
    return st;
}

static int has(const struct err *err, const char *what)
{
    if (strstr(err->msg, what))
        return 1;
    fprintf(stderr, "message '%s' does not say '%s'\n", err->msg, what);
    return 0;
}

/* Frames flow with EINTR on calls; unplugged mid-stream: lost with the
 * reason, buffers unmapped and the device closed; a node that is gone is
 * tried once a second; plugged back in, frames flow again. */
static void test_unplug(void)
{
    struct fake f;
    struct camera *c;
    struct frame fr;
    struct err err = {{0}};
    int64_t t = 1000;
    int opens;

    fake_init(&f, V4L2_PIX_FMT_YUYV);
    f.eintr = 3; /* QUERYCAP and S_FMT interrupted: retried */
    c = open_fake(&f, 64, 48);
    CHECK(f.open && f.maps == NB);
    f.eintr = 1;
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_OK);
    CHECK(fr.width == 64 && fr.height == 48 && fr.gray[0] == 40 && fr.gray[64 * 48 - 1] == 40);
    CHECK(camera_read(c, t += 33, &fr, &err) == CAMERA_OK && fr.gray[0] == 41);

    f.unplugged = 1;
    CHECK(camera_read(c, t += 33, &fr, &err) == CAMERA_LOST);
    CHECK(has(&err, "/dev/video7") && has(&err, "unplugged"));
    CHECK(!f.open && f.maps == 0);
    f.unplugged = 0;
    f.present = 0; /* the node went away with the camera */
    opens = f.opens;
    CHECK(camera_read(c, t += 500, &fr, &err) == CAMERA_LOST);
    CHECK(f.opens == opens); /* not yet: once a second */
    CHECK(camera_read(c, t += 600, &fr, &err) == CAMERA_LOST);
    CHECK(f.opens == opens + 1 && has(&err, "No such file"));
    f.present = 1;
    CHECK(camera_read(c, t += 500, &fr, &err) == CAMERA_LOST); /* waits its second */
    CHECK(camera_read(c, t += 600, &fr, &err) == CAMERA_OK);
    CHECK(f.open && f.maps == NB && fr.width == 64);
    camera_close(c);
    CHECK(!f.open && f.maps == 0);
}

/* A stream that stops sending frames is restarted after STALL_MS with the
 * reason, not waited on forever. */
static void test_stall(void)
{
    struct fake f;
    struct camera *c;
    struct frame fr;
    struct err err = {{0}};
    int64_t t = 0;
    int opens;

    fake_init(&f, V4L2_PIX_FMT_GREY);
    c = open_fake(&f, 32, 32);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_OK);
    f.stalled = 1;
    CHECK(camera_read(c, t += 2900, &fr, &err) == CAMERA_AGAIN); /* slow, not dead yet */
    CHECK(read_until(c, &t, 100, 20, &fr, &err) == CAMERA_LOST);
    CHECK(t < 3500);
    CHECK(has(&err, "no frame for") && has(&err, "restarting"));
    CHECK(!f.open);
    f.stalled = 0;
    opens = f.opens;
    /* lost (with the reason) until the reopen a second later, then frames */
    for (int i = 0; i < 8; i++)
        CHECK(camera_read(c, t += 100, &fr, &err) == CAMERA_LOST && has(&err, "no frame for"));
    CHECK(f.opens == opens);
    CHECK(camera_read(c, t += 300, &fr, &err) == CAMERA_OK);
    CHECK(f.opens == opens + 1 && f.open);
    camera_close(c);
}

/* Formats: nothing we can convert names what is offered; YUYV at a smaller
 * size is used when there is no MJPEG or GREY; busy says so. */
static void test_formats(void)
{
    struct fake f;
    struct camera *c;
    struct frame fr;
    struct err err = {{0}};
    int64_t t = 0;

    fake_init(&f, V4L2_PIX_FMT_NV12);
    c = open_fake(&f, 1280, 720);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_LOST);
    CHECK(has(&err, "offers none of YUYV, MJPEG, GREY") && has(&err, "NV12"));
    CHECK(!f.open && f.maps == 0);
    camera_close(c);

    fake_init(&f, V4L2_PIX_FMT_YUYV);
    f.yuyv_w = 640;
    f.yuyv_h = 480;
    c = open_fake(&f, 1280, 720);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_OK);
    CHECK(fr.width == 640 && fr.height == 480);
    camera_close(c);

    fake_init(&f, V4L2_PIX_FMT_YUYV);
    f.busy = 1;
    c = open_fake(&f, 640, 480);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_LOST);
    CHECK(has(&err, "busy"));
    f.busy = 0;
    CHECK(camera_read(c, t += 1100, &fr, &err) == CAMERA_OK);
    camera_close(c);

    /* nodes that are no camera */
    fake_init(&f, V4L2_PIX_FMT_YUYV);
    f.caps = V4L2_CAP_VIDEO_M2M | V4L2_CAP_STREAMING;
    c = open_fake(&f, 640, 480);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_LOST && has(&err, "not a camera"));
    camera_close(c);
    fake_init(&f, V4L2_PIX_FMT_YUYV);
    f.caps = V4L2_CAP_META_CAPTURE | V4L2_CAP_STREAMING;
    c = open_fake(&f, 640, 480);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_LOST && has(&err, "metadata"));
    CHECK(!f.open);
    camera_close(c);
}

/* MJPEG: a damaged frame is skipped; a run of them restarts the stream
 * with the decoder's reason; good frames decode to the right pixels. */
static void test_mjpeg(void)
{
    struct fake f;
    struct camera *c;
    struct frame fr;
    struct err err = {{0}};
    unsigned char px[64 * 48];
    int64_t t = 0;
    int again = 0;
    char *jpeg;
    size_t len = 0;
    enum camera_status st = CAMERA_AGAIN;

    memset(px, 200, sizeof(px));
    CHECK(image_save_jpeg(test_path("f.jpg"), px, 64, 48, 64, 90, &err) == 0);
    jpeg = test_read_file(test_path("f.jpg"), &len);
    CHECK(jpeg != NULL && len > 100);
    fake_init(&f, V4L2_PIX_FMT_MJPEG);
    f.jpeg = (unsigned char *)jpeg;
    f.jpeg_len = len;
    c = open_fake(&f, 64, 48);
    CHECK(camera_read(c, t, &fr, &err) == CAMERA_OK);
    CHECK(fr.width == 64 && fr.gray[0] >= 195 && fr.gray[0] <= 205);
    f.bad_jpeg = 1;
    for (int i = 0; i < 100 && (st = camera_read(c, t += 33, &fr, &err)) == CAMERA_AGAIN; i++)
        again++;
    CHECK(st == CAMERA_LOST);
    CHECK(again == 29); /* 29 skipped, the 30th in a row restarts */
    CHECK(has(&err, "damaged frames in a row") && has(&err, "MJPEG"));
    f.bad_jpeg = 0;
    CHECK(camera_read(c, t += 1100, &fr, &err) == CAMERA_OK);
    /* a good frame ends a run: 29 bad, 1 good, 29 bad is no restart */
    f.bad_jpeg = 1;
    for (int i = 0; i < 29; i++)
        CHECK(camera_read(c, t += 33, &fr, &err) == CAMERA_AGAIN);
    f.bad_jpeg = 0;
    CHECK(camera_read(c, t += 33, &fr, &err) == CAMERA_OK);
    f.bad_jpeg = 1;
    for (int i = 0; i < 29; i++)
        CHECK(camera_read(c, t += 33, &fr, &err) == CAMERA_AGAIN);
    camera_close(c);
    free(jpeg);
}

/* Real paths that are no V4L2 device: a clear reason, no blocking. */
static void test_not_a_device(void)
{
    struct camera *c = NULL;
    struct camera_params p = {640, 480, 15, 0};
    struct devspec ds;
    struct frame fr;
    struct err err = {{0}};
    char spec[1100];
    struct {
        const char *path, *says;
    } cases[4];
    FILE *fp;

    fp = fopen(test_path("video0"), "w");
    fputs("not a camera\n", fp);
    fclose(fp);
    CHECK(mkfifo(test_path("video1"), 0600) == 0);
    cases[0].path = "/dev/null";
    cases[0].says = "not a V4L2 video device";
    cases[1].path = "video0";
    cases[1].says = "not a video device (a regular file)";
    cases[2].path = "video1";
    cases[2].says = "not a video device (a FIFO)";
    cases[3].path = "";
    cases[3].says = "not a video device (a directory)";
    alarm(10);
    for (int i = 0; i < 4; i++) {
        if (cases[i].path[0] == '/')
            snprintf(spec, sizeof(spec), "v4l2:%s", cases[i].path);
        else
            snprintf(spec, sizeof(spec), "v4l2:%s", test_path(cases[i].path));
        CHECK(devspec_camera(spec, &ds, &err) == 0);
        CHECK(camera_open(&c, &ds, &p, "", &err) == 0 && c != NULL);
        if (!c)
            continue;
        CHECK(camera_read(c, 0, &fr, &err) == CAMERA_LOST);
        CHECK(has(&err, cases[i].says));
        CHECK(camera_read(c, 2000, &fr, &err) == CAMERA_LOST); /* tried again, same */
        CHECK(has(&err, cases[i].says));
        camera_close(c);
        c = NULL;
    }
    alarm(0);
}

int main(void)
{
    test_not_a_device();
    test_unplug();
    test_stall();
    test_formats();
    test_mjpeg();
    return test_done();
}
