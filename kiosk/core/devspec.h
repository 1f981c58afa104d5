/*
 * devspec.h - parse the camera and printer specs shared by config keys and
 * --camera/--printer flags ("v4l2:/dev/video0", "cups:QUEUE", ...).
 * Pure string handling; opening the device is the dev/ backends' job.
 */
#ifndef KIOSK_DEVSPEC_H
#define KIOSK_DEVSPEC_H

#include "err.h"

enum camera_kind { CAMERA_NONE, CAMERA_DEMO, CAMERA_V4L2, CAMERA_FILES, CAMERA_Y4M };
enum printer_kind {
    PRINTER_NONE,
    PRINTER_ESCPOS,      /* device node, e.g. /dev/usb/lp0 */
    PRINTER_ESCPOS_TCP,  /* host:port (raw, usually 9100) */
    PRINTER_ESCPOS_FILE, /* ESC/POS bytes appended to a file */
    PRINTER_CUPS,        /* a CUPS queue */
    PRINTER_PNG          /* one PNG per slip in a folder */
};

struct devspec {
    int kind;       /* enum camera_kind or enum printer_kind */
    char arg[1024]; /* path, queue or "-" ; for escpos-tcp the host */
    int port;       /* escpos-tcp only */
};

/* Parse; on error returns -1 and err names the accepted forms. */
int devspec_camera(const char *spec, struct devspec *out, struct err *err);
int devspec_printer(const char *spec, struct devspec *out, struct err *err);

#endif
