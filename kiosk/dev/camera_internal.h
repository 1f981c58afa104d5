/*
 * camera_internal.h - what camera.c needs from each backend file
 * (camera_<kind>.c). Not for callers outside kiosk/dev/camera*.c.
 * Each returns 0 with *out set, or -1 with err and *out NULL.
 */
#ifndef KIOSK_CAMERA_INTERNAL_H
#define KIOSK_CAMERA_INTERNAL_H

#include "camera.h"

int camera_open_files(struct camera **out, const char *path, const struct camera_params *p,
                      struct err *err);
int camera_open_y4m(struct camera **out, const char *path, const struct camera_params *p,
                    struct err *err);
int camera_open_v4l2(struct camera **out, const char *path, const struct camera_params *p,
                     struct err *err);
int camera_open_demo(struct camera **out, const char *assets_dir, const struct camera_params *p,
                     struct err *err);

#endif
