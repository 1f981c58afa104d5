/*
 * camera_v4l2.c - a V4L2 camera (/dev/videoN) read directly: YUYV, MJPEG or
 * GREY frames, converted to 8-bit gray (Y800) for the decoder.
 *
 * Owns the fd, the mmap'd driver buffers and one gray frame. Never blocks:
 * the fd is non-blocking, so a read with no frame ready is CAMERA_AGAIN.
 * Never exits: if the device is missing at start, or vanishes (unplugged,
 * ENODEV/EIO), reads return CAMERA_LOST with the reason and try to reopen
 * at most once a second until the device is back. Resolution and frame rate
 * are requested from params; the driver may pick the nearest it supports.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "camera_internal.h"
#include "image.h"

#define NBUF      4
#define REOPEN_MS 1000

struct v4l2_cam {
    struct camera base;
    char path[96]; /* device paths are short; longer ones are refused */
    struct camera_params p;
    int fd;
    uint32_t fourcc;
    int w, h, bytesperline;
    void *map[NBUF];
    size_t maplen[NBUF];
    int nbuf;
    unsigned char *gray;
    struct image jpeg; /* last MJPEG frame decoded */
    int64_t next_try, seq;
    char why[KIOSK_MSG_MAX]; /* why the device is not open */
};

static int xioctl(int fd, unsigned long req, void *arg)
{
    int r;
    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r;
}

static void shut(struct v4l2_cam *vc)
{
    if (vc->fd >= 0) {
        enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(vc->fd, VIDIOC_STREAMOFF, &t);
    }
    for (int i = 0; i < vc->nbuf; i++) {
        if (vc->map[i] && vc->map[i] != MAP_FAILED)
            munmap(vc->map[i], vc->maplen[i]);
        vc->map[i] = NULL; /* a later failed start() must not unmap it again */
    }
    vc->nbuf = 0;
    if (vc->fd >= 0)
        close(vc->fd);
    vc->fd = -1;
    free(vc->gray);
    vc->gray = NULL;
}

/* Open, negotiate a format we can convert, map buffers, start streaming.
 * On failure the device is closed and vc->why says why. */
static int start(struct v4l2_cam *vc)
{
    static const uint32_t prefs[] = {V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_GREY};
    struct v4l2_capability cap;
    struct v4l2_format fmt;
    struct v4l2_streamparm parm;
    struct v4l2_requestbuffers req;
    enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    size_t i;
    int ok = 0;

    vc->fd = open(vc->path, O_RDWR | O_NONBLOCK);
    if (vc->fd < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s: %s%s", vc->path, strerror(errno),
                 errno == EACCES ? " (is the kiosk user in the video group?)" : "");
        return -1;
    }
    if (xioctl(vc->fd, VIDIOC_QUERYCAP, &cap) < 0 || !(cap.capabilities & V4L2_CAP_VIDEO_CAPTURE) ||
        !(cap.capabilities & V4L2_CAP_STREAMING)) {
        snprintf(vc->why, sizeof(vc->why), "%s is not a streaming capture device", vc->path);
        goto fail;
    }
    for (i = 0; i < sizeof(prefs) / sizeof(prefs[0]) && !ok; i++) {
        memset(&fmt, 0, sizeof(fmt));
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        fmt.fmt.pix.width = (uint32_t)vc->p.width;
        fmt.fmt.pix.height = (uint32_t)vc->p.height;
        fmt.fmt.pix.pixelformat = prefs[i];
        fmt.fmt.pix.field = V4L2_FIELD_NONE;
        if (xioctl(vc->fd, VIDIOC_S_FMT, &fmt) == 0 && fmt.fmt.pix.pixelformat == prefs[i] &&
            /* YUYV at full size is often only a few fps; prefer MJPEG then */
            (prefs[i] != V4L2_PIX_FMT_YUYV || (fmt.fmt.pix.width == (uint32_t)vc->p.width &&
                                               fmt.fmt.pix.height == (uint32_t)vc->p.height)))
            ok = 1;
    }
    if (!ok) {
        snprintf(vc->why, sizeof(vc->why), "%s offers none of YUYV, MJPEG, GREY", vc->path);
        goto fail;
    }
    if (fmt.fmt.pix.width < 1 || fmt.fmt.pix.height < 1 ||
        fmt.fmt.pix.width > KIOSK_FRAME_SIDE_MAX || fmt.fmt.pix.height > KIOSK_FRAME_SIDE_MAX) {
        snprintf(vc->why, sizeof(vc->why), "%s: unusable frame size", vc->path);
        goto fail;
    }
    vc->fourcc = fmt.fmt.pix.pixelformat;
    vc->w = (int)fmt.fmt.pix.width;
    vc->h = (int)fmt.fmt.pix.height;
    vc->bytesperline = (int)fmt.fmt.pix.bytesperline;
    memset(&parm, 0, sizeof(parm));
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1;
    parm.parm.capture.timeperframe.denominator = (uint32_t)vc->p.fps;
    xioctl(vc->fd, VIDIOC_S_PARM, &parm); /* best effort: not every driver has rates */

    memset(&req, 0, sizeof(req));
    req.count = NBUF;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(vc->fd, VIDIOC_REQBUFS, &req) < 0 || req.count < 2) {
        snprintf(vc->why, sizeof(vc->why), "%s: cannot get capture buffers: %s", vc->path,
                 strerror(errno));
        goto fail;
    }
    vc->nbuf = req.count > NBUF ? NBUF : (int)req.count;
    for (int b = 0; b < vc->nbuf; b++) {
        struct v4l2_buffer buf;
        memset(&buf, 0, sizeof(buf));
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buf.memory = V4L2_MEMORY_MMAP;
        buf.index = (uint32_t)b;
        vc->map[b] = NULL;
        if (xioctl(vc->fd, VIDIOC_QUERYBUF, &buf) < 0)
            goto fail_buf;
        vc->maplen[b] = buf.length;
        vc->map[b] =
            mmap(NULL, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, vc->fd, buf.m.offset);
        if (vc->map[b] == MAP_FAILED || xioctl(vc->fd, VIDIOC_QBUF, &buf) < 0)
            goto fail_buf;
    }
    vc->gray = malloc((size_t)vc->w * vc->h);
    if (!vc->gray) {
        snprintf(vc->why, sizeof(vc->why), "%s: out of memory", vc->path);
        goto fail;
    }
    if (xioctl(vc->fd, VIDIOC_STREAMON, &t) < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s: cannot start streaming: %s", vc->path,
                 strerror(errno));
        goto fail;
    }
    vc->why[0] = '\0';
    return 0;
fail_buf:
    snprintf(vc->why, sizeof(vc->why), "%s: cannot map capture buffers: %s", vc->path,
             strerror(errno));
fail:
    shut(vc);
    return -1;
}

/* Driver buffer -> vc->gray. Returns 0, or -1 for a frame that cannot be used. */
static int convert(struct v4l2_cam *vc, const unsigned char *src, size_t len)
{
    int x, y;
    if (vc->fourcc == V4L2_PIX_FMT_MJPEG) {
        struct err e;
        image_free(&vc->jpeg);
        if (image_load_mem(src, len, &vc->jpeg, &e) < 0 || vc->jpeg.width != vc->w ||
            vc->jpeg.height != vc->h)
            return -1;
        memcpy(vc->gray, vc->jpeg.gray, (size_t)vc->w * vc->h);
        return 0;
    }
    if (vc->fourcc == V4L2_PIX_FMT_YUYV) {
        int bpl = vc->bytesperline ? vc->bytesperline : vc->w * 2;
        if (bpl < vc->w * 2 || len < (size_t)bpl * vc->h)
            return -1;
        for (y = 0; y < vc->h; y++) {
            const unsigned char *s = src + (size_t)y * bpl;
            unsigned char *d = vc->gray + (size_t)y * vc->w;
            for (x = 0; x < vc->w; x++)
                d[x] = s[2 * x]; /* Y0 U Y1 V: luma is every other byte */
        }
        return 0;
    }
    {
        int bpl = vc->bytesperline ? vc->bytesperline : vc->w;
        if (bpl < vc->w || len < (size_t)bpl * vc->h)
            return -1;
        for (y = 0; y < vc->h; y++)
            memcpy(vc->gray + (size_t)y * vc->w, src + (size_t)y * bpl, (size_t)vc->w);
    }
    return 0;
}

static enum camera_status v4l2_read(struct camera *c, int64_t now_ms, struct frame *f,
                                    struct err *err)
{
    struct v4l2_cam *vc = (struct v4l2_cam *)c;
    struct v4l2_buffer buf;
    int good;

    if (vc->fd < 0) {
        if (now_ms < vc->next_try) {
            err_set(err, "camera lost: %s", vc->why);
            return CAMERA_LOST;
        }
        vc->next_try = now_ms + REOPEN_MS;
        if (start(vc) < 0) {
            err_set(err, "camera lost: %s", vc->why);
            return CAMERA_LOST;
        }
    }
    memset(&buf, 0, sizeof(buf));
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    if (xioctl(vc->fd, VIDIOC_DQBUF, &buf) < 0) {
        if (errno == EAGAIN)
            return CAMERA_AGAIN;
        snprintf(vc->why, sizeof(vc->why), "%s: %s", vc->path, strerror(errno));
        shut(vc);
        vc->next_try = now_ms + REOPEN_MS;
        err_set(err, "camera lost: %s", vc->why);
        return CAMERA_LOST;
    }
    good = buf.index < (uint32_t)vc->nbuf && !(buf.flags & V4L2_BUF_FLAG_ERROR) &&
           buf.bytesused <= vc->maplen[buf.index] &&
           convert(vc, vc->map[buf.index], buf.bytesused) == 0;
    if (xioctl(vc->fd, VIDIOC_QBUF, &buf) < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s: %s", vc->path, strerror(errno));
        shut(vc);
        vc->next_try = now_ms + REOPEN_MS;
        err_set(err, "camera lost: %s", vc->why);
        return CAMERA_LOST;
    }
    if (!good)
        return CAMERA_AGAIN; /* a damaged frame: wait for the next */
    f->width = vc->w;
    f->height = vc->h;
    f->stride = vc->w;
    f->gray = vc->gray;
    f->seq = vc->seq++;
    return CAMERA_OK;
}

static void v4l2_close(struct camera *c)
{
    struct v4l2_cam *vc = (struct v4l2_cam *)c;
    shut(vc);
    image_free(&vc->jpeg);
    free(vc);
}

static const struct camera_ops v4l2_ops = {v4l2_read, v4l2_close};

int camera_open_v4l2(struct camera **out, const char *path, const struct camera_params *p,
                     struct err *err)
{
    struct v4l2_cam *vc;
    *out = NULL;
    if (strlen(path) >= sizeof(vc->path))
        return err_set(err, "v4l2: device path too long");
    vc = calloc(1, sizeof(*vc));
    if (!vc)
        return err_set(err, "v4l2: out of memory");
    vc->base.ops = &v4l2_ops;
    vc->fd = -1;
    vc->p = *p;
    snprintf(vc->path, sizeof(vc->path), "%s", path);
    /* A camera missing now is not fatal: reads report it and retry. */
    if (start(vc) < 0)
        vc->next_try = 0;
    *out = &vc->base;
    return 0;
}
