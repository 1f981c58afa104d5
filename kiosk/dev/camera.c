/*
 * camera.c - dispatch from a camera spec to its backend; see camera.h.
 * Backends live in camera_<kind>.c; each defines camera_open_<kind>()
 * (camera_internal.h). This file owns no state and never reads a clock.
 */
#include "camera.h"

#include <stddef.h>

#include "camera_internal.h"

int camera_open(struct camera **out, const struct devspec *spec, const struct camera_params *p,
                const char *assets_dir, struct err *err)
{
    *out = NULL;
    if (p->width < 1 || p->height < 1 || p->width > KIOSK_FRAME_SIDE_MAX ||
        p->height > KIOSK_FRAME_SIDE_MAX || p->fps < 1)
        return err_set(err, "camera: bad size %dx%d or rate %d", p->width, p->height, p->fps);
    switch (spec->kind) {
    case CAMERA_NONE:
        return err_set(err, "no camera configured");
    case CAMERA_FILES:
        return camera_open_files(out, spec->arg, p, err);
    case CAMERA_Y4M:
        return camera_open_y4m(out, spec->arg, p, err);
    case CAMERA_V4L2:
        return camera_open_v4l2(out, spec->arg, p, err);
    case CAMERA_DEMO:
        return camera_open_demo(out, assets_dir, p, err);
    default:
        return err_set(err, "unknown camera kind %d", spec->kind);
    }
}

enum camera_status camera_read(struct camera *c, int64_t now_ms, struct frame *f, struct err *err)
{
    return c->ops->read(c, now_ms, f, err);
}

void camera_close(struct camera *c)
{
    if (c)
        c->ops->close(c);
}
