/*
 * camera_v4l2.h - the system calls the V4L2 camera makes, as a table, so a
 * test can stand in for a device (unplugged mid-stream, busy, stalled,
 * sending damaged MJPEG, offering odd formats) on a machine without one.
 * The kiosk itself only uses camera_open() with "v4l2:PATH", which runs on
 * the real calls. Not for callers outside kiosk/dev and tests/dev.
 */
#ifndef KIOSK_CAMERA_V4L2_H
#define KIOSK_CAMERA_V4L2_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "camera.h"

/* Each call behaves like the system call of the same name (-1 and errno on
 * failure; mmap returns MAP_FAILED). ctx is passed back unchanged. */
struct camera_v4l2_sys {
    void *ctx;
    int (*stat)(void *ctx, const char *path, struct stat *st);
    int (*open)(void *ctx, const char *path, int flags);
    int (*close)(void *ctx, int fd);
    int (*ioctl)(void *ctx, int fd, unsigned long req, void *arg);
    void *(*mmap)(void *ctx, size_t len, int fd, off_t offset);
    int (*munmap)(void *ctx, void *addr, size_t len);
};

/* camera_open_v4l2 on the calls in *sys (copied; sys->ctx must outlive the
 * camera). Returns 0 with *out set even when the device is missing or not
 * usable now (reads report why and retry), or -1 with err for a path that
 * is too long or out of memory. */
int camera_v4l2_open_sys(struct camera **out, const char *path, const struct camera_params *p,
                         const struct camera_v4l2_sys *sys, struct err *err);

#endif
