/*
 * camera.h - where frames come from: a V4L2 camera, image files, a Y4M
 * stream, or the built-in demo. One small table of functions per backend;
 * callers see only struct camera.
 *
 * Frames are 8-bit grayscale (what the decoder wants); backends that get
 * YUYV or MJPEG convert. A camera that is unplugged returns CAMERA_LOST from
 * camera_read and the caller keeps calling: backends reopen when the device
 * returns. Nothing here ever exits the process.
 */
#ifndef KIOSK_CAMERA_H
#define KIOSK_CAMERA_H

#include <stdint.h>

#include "devspec.h"
#include "err.h"

struct frame {
    int width, height, stride;
    const unsigned char *gray; /* borrowed: valid until the next camera_read/close */
    int64_t seq;               /* frame counter */
};

enum camera_status {
    CAMERA_OK = 0,    /* *f holds a new frame */
    CAMERA_AGAIN = 1, /* no new frame yet; try again later */
    CAMERA_END = 2,   /* a finite source (files, y4m) has no more frames */
    CAMERA_LOST = -1  /* device gone or failing; err says why; keep calling to reopen */
};

struct camera_params {
    int width, height, fps; /* requested; files/y4m: fps = playback rate */
    int loop;               /* files/demo: start over at the end */
};

struct camera;

struct camera_ops {
    enum camera_status (*read)(struct camera *c, int64_t now_ms, struct frame *f,
                               struct err *err);
    void (*close)(struct camera *c);
};

struct camera {
    const struct camera_ops *ops;
};

/* Open the camera named by spec. On failure returns -1, *out NULL. */
int camera_open(struct camera **out, const struct devspec *spec, const struct camera_params *p,
                const char *assets_dir, struct err *err);
/* Next frame at time now_ms (monotonic ms; paces file playback). */
enum camera_status camera_read(struct camera *c, int64_t now_ms, struct frame *f,
                               struct err *err);
/* Close; accepts NULL. */
void camera_close(struct camera *c);

#endif
