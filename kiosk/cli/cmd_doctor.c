/*
 * cmd_doctor.c - `kiosk doctor`: one line per thing the kiosk depends on,
 * OK / WARN / FAIL, so staff can see at a glance what is wrong.
 * Never creates or changes anything.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli.h"
#include "devspec.h"

struct tally {
    int warn, fail;
};

static void line(struct tally *t, const char *level, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void line(struct tally *t, const char *level, const char *what, const char *fmt, ...)
{
    va_list ap;
    if (strcmp(level, "WARN") == 0)
        t->warn++;
    else if (strcmp(level, "FAIL") == 0)
        t->fail++;
    printf("%-4s  %-9s ", level, what);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static void check_database(struct kiosk *k, struct tally *t)
{
    struct store *s = NULL;
    struct err err = {{0}};
    struct stat st;
    struct statvfs vfs;
    char dir[1024], *slash;

    if (stat(k->db_path, &st) != 0) {
        line(t, "WARN", "database", "%s does not exist yet (created on first run)", k->db_path);
    } else if (store_open_readonly(&s, k->db_path, &err) < 0) {
        line(t, "FAIL", "database", "%s", err.msg);
    } else if (store_check(s, &err) < 0) {
        line(t, "FAIL", "database", "%s: %s", k->db_path, err.msg);
    } else {
        line(t, (st.st_mode & 077) ? "WARN" : "OK", "database",
             "%s (schema %d, integrity ok, kiosk %s, %ld attendees, %ld scans, %ld "
             "interactions%s)",
             k->db_path, store_schema_version(s), store_kiosk_id(s), store_count(s, "attendees"),
             store_count(s, "scans"), store_count(s, "interactions"),
             (st.st_mode & 077) ? "; file is readable by others, chmod 600 it" : "");
    }
    store_close(s);

    snprintf(dir, sizeof(dir), "%s", k->db_path);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    if (statvfs(dir, &vfs) == 0) {
        double free_mb = (double)vfs.f_bavail * (double)vfs.f_frsize / 1e6;
        line(t, free_mb < 100 ? (free_mb < 10 ? "FAIL" : "WARN") : "OK", "disk",
             "%.0f MB free for the database in %s", free_mb, dir);
    } else if (errno == ENOENT) {
        line(t, "WARN", "disk", "%s does not exist yet (created on first run)", dir);
    } else {
        line(t, "FAIL", "disk", "%s: %s", dir, strerror(errno));
    }
}

static void check_fonts(struct kiosk *k, struct tally *t)
{
    const char *font = cli_asset(k, "fonts/DejaVuSans.ttf");
    if (access(font, R_OK) == 0)
        line(t, "OK", "fonts", "%s", font);
    else
        line(t, "FAIL", "fonts", "%s: %s", font, strerror(errno));
}

static void check_camera(struct kiosk *k, struct tally *t)
{
    struct devspec d;
    struct err err = {{0}};
    const char *spec = config_str(&k->cfg, "camera");
    char found[512] = "";
    DIR *dev = opendir("/dev");
    if (dev) {
        struct dirent *e;
        size_t used = 0;
        while ((e = readdir(dev)) != NULL) {
            if (strncmp(e->d_name, "video", 5) != 0 || used + 16 >= sizeof(found))
                continue;
            used += (size_t)snprintf(found + used, sizeof(found) - used, " /dev/%s", e->d_name);
        }
        closedir(dev);
    }
    if (devspec_camera(spec, &d, &err) < 0) {
        line(t, "FAIL", "camera", "%s", err.msg);
        return;
    }
    switch (d.kind) {
    case CAMERA_NONE:
        line(t, "WARN", "camera", "no camera configured (keyboard-wedge scanner only)");
        break;
    case CAMERA_DEMO:
        line(t, "OK", "camera", "demo camera (sample badges); devices found:%s",
             found[0] ? found : " none");
        break;
    case CAMERA_V4L2:
        if (access(d.arg, R_OK | W_OK) == 0)
            line(t, "OK", "camera", "%s is present", d.arg);
        else
            line(t, "FAIL", "camera", "%s: %s (unplugged, or not in the video group?); found:%s",
                 d.arg, strerror(errno), found[0] ? found : " none");
        break;
    case CAMERA_FILES:
    case CAMERA_Y4M:
        if (strcmp(d.arg, "-") == 0 || access(d.arg, R_OK) == 0)
            line(t, "OK", "camera", "%s", spec);
        else
            line(t, "FAIL", "camera", "%s: %s", d.arg, strerror(errno));
        break;
    }
}

static void check_printer(struct kiosk *k, struct tally *t)
{
    struct devspec d;
    struct err err = {{0}};
    const char *spec = config_str(&k->cfg, "printer");
    char dir[1100];
    if (devspec_printer(spec, &d, &err) < 0) {
        line(t, "FAIL", "printer", "%s", err.msg);
        return;
    }
    switch (d.kind) {
    case PRINTER_NONE:
        line(t, "WARN", "printer", "no printer configured (QR shown on screen only)");
        break;
    case PRINTER_ESCPOS:
        if (access(d.arg, W_OK) == 0)
            line(t, "OK", "printer", "ESC/POS printer at %s", d.arg);
        else
            line(t, "FAIL", "printer", "%s: %s (unplugged, or not in the lp group?)", d.arg,
                 strerror(errno));
        break;
    case PRINTER_ESCPOS_TCP:
        line(t, "OK", "printer",
             "ESC/POS over TCP to %s port %d (reachability checked when "
             "printing)",
             d.arg, d.port);
        break;
    case PRINTER_ESCPOS_FILE:
        line(t, "OK", "printer", "ESC/POS bytes written to %s", d.arg);
        break;
    case PRINTER_CUPS:
        line(t, "OK", "printer", "CUPS queue %s", d.arg);
        break;
    case PRINTER_PNG:
        if (d.arg[0])
            snprintf(dir, sizeof(dir), "%s", d.arg);
        else
            snprintf(dir, sizeof(dir), "%.1000s/slips", k->data_dir);
        line(t, "OK", "printer", "PNG slips written to %s", dir);
        break;
    }
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct tally t = {0, 0};
    if (argc > 1)
        return cli_usage_error("doctor", "unexpected argument \"%s\"", argv[1]);
    printf("kiosk %s, mode %s, event \"%s\"\n", KIOSK_VERSION, config_str(&k->cfg, "mode"),
           config_str(&k->cfg, "event.name"));
    check_database(k, &t);
    check_fonts(k, &t);
    check_camera(k, &t);
    check_printer(k, &t);
    /* Privacy: how long personal data is kept (kiosk forget --expired purges). */
    if (config_int(&k->cfg, "privacy.retention_d") > 0)
        line(&t, "OK", "retention", "personal data is purged after %ld days (%s)",
             config_int(&k->cfg, "privacy.retention_d"),
             config_origin(&k->cfg, "privacy.retention_d"));
    else
        line(&t, "OK", "retention",
             "personal data is kept until forgotten "
             "(privacy.retention_d = 0)");
    printf("%d problem(s), %d warning(s)\n", t.fail, t.warn);
    return t.fail ? 1 : 0;
}

const struct command cmd_doctor = {
    .name = "doctor",
    .run = run,
    .summary = "Check the database, free disk, fonts, camera, printer and retention; one line "
               "each, exit 1 if any FAIL",
    .usage = "",
};
