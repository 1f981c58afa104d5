/*
 * camera.c - dispatch from a camera spec to its backend.
 * Backends live in camera_<kind>.c; each defines camera_open_<kind>().
 */
#include "camera.h"

#include <stddef.h>

int camera_open(struct camera **out, const struct devspec *spec, const struct camera_params *p,
                const char *assets_dir, struct err *err)
{
    (void)p, (void)assets_dir;
    *out = NULL;
    switch (spec->kind) {
    case CAMERA_NONE:
        return err_set(err, "no camera configured");
    default:
        return err_set(err, "this camera kind is not built yet");
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
