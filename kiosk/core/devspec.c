/*
 * devspec.c - camera/printer spec parsing; see devspec.h.
 *
 * Owns: the accepted spellings of --camera / --printer and their config
 * keys ("KIND:ARG"), and the error text that lists them. Never opens a
 * device, resolves a host or checks that a path exists (dev/ backends do),
 * and never truncates: an argument longer than devspec.arg is refused.
 */
#include "devspec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int take(const char *spec, const char *prefix, struct devspec *out, int kind, int need_arg)
{
    size_t n = strlen(prefix);
    if (strncmp(spec, prefix, n) != 0)
        return 0;
    if (need_arg && spec[n] == '\0')
        return -1;
    if (strlen(spec + n) >= sizeof(out->arg))
        return -1;
    out->kind = kind;
    snprintf(out->arg, sizeof(out->arg), "%s", spec + n);
    return 1;
}

int devspec_camera(const char *spec, struct devspec *out, struct err *err)
{
    static const struct {
        const char *prefix;
        int kind;
    } forms[] = {{"v4l2:", CAMERA_V4L2}, {"files:", CAMERA_FILES}, {"y4m:", CAMERA_Y4M}};
    memset(out, 0, sizeof(*out));
    if (strcmp(spec, "demo") == 0) {
        out->kind = CAMERA_DEMO;
        return 0;
    }
    if (strcmp(spec, "none") == 0 || spec[0] == '\0') {
        out->kind = CAMERA_NONE;
        return 0;
    }
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        int r = take(spec, forms[i].prefix, out, forms[i].kind, 1);
        if (r == 1)
            return 0;
        if (r < 0)
            break;
    }
    return err_set(err,
                   "camera \"%s\" is not one of v4l2:/dev/videoN, files:DIR_OR_FILE, "
                   "y4m:FILE, y4m:-, demo, none",
                   spec);
}

int devspec_printer(const char *spec, struct devspec *out, struct err *err)
{
    static const struct {
        const char *prefix;
        int kind;
        int need_arg;
    } forms[] = {{"escpos-tcp:", PRINTER_ESCPOS_TCP, 1},
                 {"escpos-file:", PRINTER_ESCPOS_FILE, 1},
                 {"escpos:", PRINTER_ESCPOS, 1},
                 {"cups:", PRINTER_CUPS, 1},
                 {"png:", PRINTER_PNG, 0}};
    memset(out, 0, sizeof(*out));
    if (strcmp(spec, "none") == 0 || spec[0] == '\0') {
        out->kind = PRINTER_NONE;
        return 0;
    }
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        int r = take(spec, forms[i].prefix, out, forms[i].kind, forms[i].need_arg);
        if (r < 0)
            break;
        if (r == 0)
            continue;
        if (out->kind == PRINTER_ESCPOS_TCP) {
            char *colon = strrchr(out->arg, ':');
            char *end;
            long port;
            if (!colon || colon == out->arg)
                break;
            port = strtol(colon + 1, &end, 10);
            if (*end != '\0' || port < 1 || port > 65535)
                break;
            *colon = '\0';
            out->port = (int)port;
        }
        return 0;
    }
    return err_set(err,
                   "printer \"%s\" is not one of escpos:/dev/usb/lpN, escpos-tcp:HOST:PORT, "
                   "escpos-file:PATH, cups:QUEUE, png:DIR, none",
                   spec);
}
