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
 *
 * Every failure says what to do in vc->why: a path that is no video device
 * (a file, /dev/null, a codec or metadata node), a device busy in another
 * program, formats we cannot convert (naming the one offered). Two failures
 * that would otherwise freeze the preview in silence also become
 * CAMERA_LOST and a restart: a stream that stalls (no frame for STALL_MS or
 * ten frame times) and a run of BAD_MAX damaged frames (bad MJPEG data,
 * driver error flags, short buffers). EINTR is retried; nothing waits in
 * select or poll, so there is no wait to time out.
 * All system calls go through struct camera_v4l2_sys (camera_v4l2.h), so
 * tests drive these paths with a stand-in device.
 */
#include "camera_v4l2.h"

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
#define STALL_MS  3000 /* at least; ten frame times when that is longer */
#define BAD_MAX   30   /* damaged frames in a row before a restart */

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
    int64_t last_frame; /* time of the last good frame, or of STREAMON; -1: set at next read */
    int bad;            /* damaged frames in a row */
    char bad_why[96];   /* what was wrong with the last one */
    char why[KIOSK_MSG_MAX]; /* why the device is not open */
    struct camera_v4l2_sys sys;
};

/* ---- the real system calls ---- */

static int sys_stat(void *ctx, const char *path, struct stat *st)
{
    (void)ctx;
    return stat(path, st);
}

static int sys_open(void *ctx, const char *path, int flags)
{
    (void)ctx;
    return open(path, flags);
}

static int sys_close(void *ctx, int fd)
{
    (void)ctx;
    return close(fd);
}

static int sys_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
    (void)ctx;
    return ioctl(fd, req, arg);
}

static void *sys_mmap(void *ctx, size_t len, int fd, off_t offset)
{
    (void)ctx;
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
}

static int sys_munmap(void *ctx, void *addr, size_t len)
{
    (void)ctx;
    return munmap(addr, len);
}

static const struct camera_v4l2_sys real_sys = {NULL,      sys_stat, sys_open,  sys_close,
                                                sys_ioctl, sys_mmap, sys_munmap};

static int xioctl(struct v4l2_cam *vc, unsigned long req, void *arg)
{
    int r;
    do
        r = vc->sys.ioctl(vc->sys.ctx, vc->fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r;
}

static void shut(struct v4l2_cam *vc)
{
    if (vc->fd >= 0) {
        enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(vc, VIDIOC_STREAMOFF, &t);
    }
    for (int i = 0; i < vc->nbuf; i++) {
        if (vc->map[i] && vc->map[i] != MAP_FAILED)
            vc->sys.munmap(vc->sys.ctx, vc->map[i], vc->maplen[i]);
        vc->map[i] = NULL; /* a later failed start() must not unmap it again */
    }
    vc->nbuf = 0;
    if (vc->fd >= 0)
        vc->sys.close(vc->sys.ctx, vc->fd);
    vc->fd = -1;
    free(vc->gray);
    vc->gray = NULL;
}

/* What kind of file a path that is no character device is. */
static const char *kind(const struct stat *st)
{
    if (S_ISREG(st->st_mode))
        return "a regular file";
    if (S_ISDIR(st->st_mode))
        return "a directory";
    if (S_ISFIFO(st->st_mode))
        return "a FIFO";
    if (S_ISSOCK(st->st_mode))
        return "a socket";
    if (S_ISBLK(st->st_mode))
        return "a block device";
    return "not a device";
}

/* A fourcc as text ("NV12"), for messages. */
static void fourcc_str(uint32_t f, char out[5])
{
    for (int i = 0; i < 4; i++) {
        char c = (char)((f >> (8 * i)) & 0xff);
        out[i] = c >= 32 && c < 127 ? c : '?';
    }
    out[4] = '\0';
}

/* Why cap rules the node out, or NULL when it can stream frames to us. */
static const char *unusable(const struct v4l2_capability *cap)
{
    uint32_t c = cap->capabilities & V4L2_CAP_DEVICE_CAPS ? cap->device_caps : cap->capabilities;
    if (c & (V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE))
        return "is a codec or converter node, not a camera; try another /dev/videoN";
    if (!(c & V4L2_CAP_VIDEO_CAPTURE) && (c & V4L2_CAP_VIDEO_CAPTURE_MPLANE))
        return "is a multi-planar capture device, which the kiosk does not read";
    if (!(c & V4L2_CAP_VIDEO_CAPTURE))
        return "captures no video (a metadata or output node?); try another /dev/videoN";
    if (!(c & V4L2_CAP_STREAMING))
        return "cannot stream (no mmap I/O)";
    return NULL;
}

/* Set a format: 0 with *fmt as the driver took it, or -1 with errno. */
static int set_format(struct v4l2_cam *vc, uint32_t fourcc, struct v4l2_format *fmt)
{
    memset(fmt, 0, sizeof(*fmt));
    fmt->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    fmt->fmt.pix.width = (uint32_t)vc->p.width;
    fmt->fmt.pix.height = (uint32_t)vc->p.height;
    fmt->fmt.pix.pixelformat = fourcc;
    fmt->fmt.pix.field = V4L2_FIELD_NONE;
    return xioctl(vc, VIDIOC_S_FMT, fmt);
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
    struct stat st;
    enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    const char *no;
    uint32_t offered = 0;
    size_t i;
    int ok = 0, yuyv_other_size = 0, busy = 0;

    /* Before open: a FIFO or socket must not be opened at all. */
    if (vc->sys.stat(vc->sys.ctx, vc->path, &st) == 0 && !S_ISCHR(st.st_mode)) {
        snprintf(vc->why, sizeof(vc->why), "%s is not a video device (%s)", vc->path, kind(&st));
        return -1;
    }
    vc->fd = vc->sys.open(vc->sys.ctx, vc->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (vc->fd < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s: %s%s", vc->path, strerror(errno),
                 errno == EACCES ? " (is the kiosk user in the video group?)" : "");
        return -1;
    }
    memset(&cap, 0, sizeof(cap));
    if (xioctl(vc, VIDIOC_QUERYCAP, &cap) < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s is not a V4L2 video device (%s)", vc->path,
                 strerror(errno));
        goto fail;
    }
    no = unusable(&cap);
    if (no) {
        snprintf(vc->why, sizeof(vc->why), "%s %s", vc->path, no);
        goto fail;
    }
    for (i = 0; i < sizeof(prefs) / sizeof(prefs[0]) && !ok; i++) {
        if (set_format(vc, prefs[i], &fmt) < 0) {
            busy |= errno == EBUSY;
            continue;
        }
        if (fmt.fmt.pix.pixelformat != prefs[i]) {
            offered = fmt.fmt.pix.pixelformat;
            continue;
        }
        /* YUYV at full size is often only a few fps; prefer MJPEG then */
        if (prefs[i] == V4L2_PIX_FMT_YUYV && (fmt.fmt.pix.width != (uint32_t)vc->p.width ||
                                              fmt.fmt.pix.height != (uint32_t)vc->p.height)) {
            yuyv_other_size = 1;
            continue;
        }
        ok = 1;
    }
    /* Neither MJPEG nor GREY: YUYV at the size the driver can do beats nothing. */
    if (!ok && yuyv_other_size && set_format(vc, V4L2_PIX_FMT_YUYV, &fmt) == 0 &&
        fmt.fmt.pix.pixelformat == V4L2_PIX_FMT_YUYV)
        ok = 1;
    if (!ok && busy) {
        snprintf(vc->why, sizeof(vc->why), "%s is busy: another program is using the camera",
                 vc->path);
        goto fail;
    }
    if (!ok) {
        char name[5];
        fourcc_str(offered, name);
        snprintf(vc->why, sizeof(vc->why), "%s offers none of YUYV, MJPEG, GREY%s%s%s", vc->path,
                 offered ? " (it offers " : "", offered ? name : "", offered ? ")" : "");
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
    xioctl(vc, VIDIOC_S_PARM, &parm); /* best effort: not every driver has rates */

    memset(&req, 0, sizeof(req));
    req.count = NBUF;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(vc, VIDIOC_REQBUFS, &req) < 0 || req.count < 2) {
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
        if (xioctl(vc, VIDIOC_QUERYBUF, &buf) < 0)
            goto fail_buf;
        vc->maplen[b] = buf.length;
        vc->map[b] = vc->sys.mmap(vc->sys.ctx, buf.length, vc->fd, (off_t)buf.m.offset);
        if (vc->map[b] == MAP_FAILED || xioctl(vc, VIDIOC_QBUF, &buf) < 0)
            goto fail_buf;
    }
    vc->gray = malloc((size_t)vc->w * vc->h);
    if (!vc->gray) {
        snprintf(vc->why, sizeof(vc->why), "%s: out of memory", vc->path);
        goto fail;
    }
    if (xioctl(vc, VIDIOC_STREAMON, &t) < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s: cannot start streaming: %s", vc->path,
                 strerror(errno));
        goto fail;
    }
    vc->why[0] = '\0';
    vc->last_frame = -1; /* the stall clock starts at the next read */
    vc->bad = 0;
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
        struct err e = {{0}};
        image_free(&vc->jpeg);
        if (image_load_mem(src, len, &vc->jpeg, &e) < 0) {
            snprintf(vc->bad_why, sizeof(vc->bad_why), "MJPEG: %.80s", e.msg);
            return -1;
        }
        if (vc->jpeg.width != vc->w || vc->jpeg.height != vc->h) {
            snprintf(vc->bad_why, sizeof(vc->bad_why), "MJPEG frame is %dx%d, not %dx%d",
                     vc->jpeg.width, vc->jpeg.height, vc->w, vc->h);
            return -1;
        }
        memcpy(vc->gray, vc->jpeg.gray, (size_t)vc->w * vc->h);
        return 0;
    }
    if (vc->fourcc == V4L2_PIX_FMT_YUYV) {
        int bpl = vc->bytesperline ? vc->bytesperline : vc->w * 2;
        if (bpl < vc->w * 2 || len < (size_t)bpl * vc->h) {
            snprintf(vc->bad_why, sizeof(vc->bad_why), "short frame (%zu bytes)", len);
            return -1;
        }
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
        if (bpl < vc->w || len < (size_t)bpl * vc->h) {
            snprintf(vc->bad_why, sizeof(vc->bad_why), "short frame (%zu bytes)", len);
            return -1;
        }
        for (y = 0; y < vc->h; y++)
            memcpy(vc->gray + (size_t)y * vc->w, src + (size_t)y * bpl, (size_t)vc->w);
    }
    return 0;
}

/* Close the device after a failure (vc->why says which) and report it;
 * the next read after REOPEN_MS opens it again. */
static enum camera_status lost(struct v4l2_cam *vc, int64_t now_ms, struct err *err)
{
    shut(vc);
    vc->next_try = now_ms + REOPEN_MS;
    err_set(err, "camera lost: %s", vc->why);
    return CAMERA_LOST;
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
    if (vc->last_frame < 0)
        vc->last_frame = now_ms;
    memset(&buf, 0, sizeof(buf));
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    if (xioctl(vc, VIDIOC_DQBUF, &buf) < 0) {
        int64_t stall = 10 * 1000 / vc->p.fps > STALL_MS ? 10 * 1000 / vc->p.fps : STALL_MS;
        if (errno == EAGAIN && now_ms - vc->last_frame <= stall)
            return CAMERA_AGAIN;
        if (errno == EAGAIN)
            snprintf(vc->why, sizeof(vc->why), "%s sent no frame for %lld ms; restarting it",
                     vc->path, (long long)(now_ms - vc->last_frame));
        else
            snprintf(vc->why, sizeof(vc->why), "%s: %s%s", vc->path, strerror(errno),
                     errno == ENODEV ? " (unplugged?)" : "");
        return lost(vc, now_ms, err);
    }
    good = buf.index < (uint32_t)vc->nbuf;
    if (good && (buf.flags & V4L2_BUF_FLAG_ERROR)) {
        snprintf(vc->bad_why, sizeof(vc->bad_why), "the driver flagged the frame as damaged");
        good = 0;
    } else if (good && buf.bytesused > vc->maplen[buf.index]) {
        snprintf(vc->bad_why, sizeof(vc->bad_why), "frame larger than its buffer");
        good = 0;
    } else if (!good) {
        snprintf(vc->bad_why, sizeof(vc->bad_why), "buffer index %u out of range", buf.index);
    }
    good = good && convert(vc, vc->map[buf.index], buf.bytesused) == 0;
    if (xioctl(vc, VIDIOC_QBUF, &buf) < 0) {
        snprintf(vc->why, sizeof(vc->why), "%s: %s%s", vc->path, strerror(errno),
                 errno == ENODEV ? " (unplugged?)" : "");
        return lost(vc, now_ms, err);
    }
    if (!good) {
        /* One damaged frame: wait for the next. A run of them: restart. */
        if (++vc->bad < BAD_MAX)
            return CAMERA_AGAIN;
        snprintf(vc->why, sizeof(vc->why), "%s: %d damaged frames in a row (%s); restarting it",
                 vc->path, vc->bad, vc->bad_why);
        return lost(vc, now_ms, err);
    }
    vc->bad = 0;
    vc->last_frame = now_ms;
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
    return camera_v4l2_open_sys(out, path, p, &real_sys, err);
}

int camera_v4l2_open_sys(struct camera **out, const char *path, const struct camera_params *p,
                         const struct camera_v4l2_sys *sys, struct err *err)
{
    struct v4l2_cam *vc;
    *out = NULL;
    if (strlen(path) >= sizeof(vc->path))
        return err_set(err, "v4l2: device path too long");
    if (p->fps < 1)
        return err_set(err, "v4l2: frame rate %d is below 1", p->fps);
    vc = calloc(1, sizeof(*vc));
    if (!vc)
        return err_set(err, "v4l2: out of memory");
    vc->base.ops = &v4l2_ops;
    vc->fd = -1;
    vc->p = *p;
    vc->sys = *sys;
    snprintf(vc->path, sizeof(vc->path), "%s", path);
    /* A camera missing now is not fatal: reads report it and retry. */
    if (start(vc) < 0)
        vc->next_try = 0;
    *out = &vc->base;
    return 0;
}
