/*
 * cli.c - helpers shared by the subcommands: clock, messages, database,
 * assets, directories, slip PNG files.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "devspec.h"
#include "dev/printer.h"

int64_t cli_now_ms(void)
{
    static int warned;
    const char *fixed = getenv("KIOSK_NOW");
    struct timespec ts;
    if (fixed && fixed[0]) {
        struct tm tm;
        char *end;
        long long v = strtoll(fixed, &end, 10);
        if (*end == '\0')
            return (int64_t)v;
        memset(&tm, 0, sizeof(tm));
        end = strptime(fixed, "%Y-%m-%dT%H:%M:%S", &tm);
        if (end && (*end == '\0' || *end == 'Z'))
            return (int64_t)timegm(&tm) * 1000;
        if (!warned) {
            warned = 1;
            fprintf(stderr,
                    "kiosk: KIOSK_NOW=\"%s\" is neither milliseconds since 1970 nor "
                    "YYYY-MM-DDTHH:MM:SS[Z]; using the real clock\n",
                    fixed);
        }
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kiosk%s%s: ", cmd && cmd[0] ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try 'kiosk %s%s--help')\n", cmd ? cmd : "", cmd && cmd[0] ? " " : "");
    return 2;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kiosk%s%s: ", cmd && cmd[0] ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_mkdirs(const char *path, unsigned mode)
{
    char buf[1024];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

struct store *cli_store(struct kiosk *k, const char *cmd)
{
    struct err err = {{0}};
    char dir[1024];
    char *slash;
    if (k->store)
        return k->store;
    snprintf(dir, sizeof(dir), "%s", k->db_path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (cli_mkdirs(dir, 0700) < 0) {
            cli_fail(cmd, "cannot create %s: %s", dir, strerror(errno));
            return NULL;
        }
    }
    if (store_open(&k->store, k->db_path, config_str(&k->cfg, "kiosk.id"), cli_now_ms(), &err) <
        0) {
        cli_fail(cmd, "%s", err.msg);
        return NULL;
    }
    return k->store;
}

const char *cli_asset(const struct kiosk *k, const char *name)
{
    static char buf[1200];
    snprintf(buf, sizeof(buf), "%s/%s", k->assets_dir, name);
    return buf;
}

int cli_not_implemented(const char *cmd)
{
    fprintf(stderr, "kiosk %s: not implemented yet\n", cmd);
    return 1;
}

int cli_slip_dirs(const struct kiosk *k, char dirs[2][CLI_SLIP_DIR_MAX])
{
    struct devspec d;
    struct err err;
    int n = 0;
    if (devspec_printer(config_str(&k->cfg, "printer"), &d, &err) == 0 && d.kind == PRINTER_PNG &&
        printer_png_dir(&d, k->data_dir, dirs[n], CLI_SLIP_DIR_MAX, &err) == 0)
        n++;
    memset(&d, 0, sizeof(d));
    d.kind = PRINTER_PNG;
    if (printer_png_dir(&d, k->data_dir, dirs[n], CLI_SLIP_DIR_MAX, &err) == 0 &&
        (n == 0 || strcmp(dirs[0], dirs[n]) != 0))
        n++;
    return n;
}

int cli_delete_slip_pngs(const struct kiosk *k, const char *job_id, int *failed,
                         void (*say)(void *ctx, const char *line), void *ctx)
{
    char dirs[2][CLI_SLIP_DIR_MAX], path[1200], line[1300];
    struct err err;
    int ndirs = cli_slip_dirs(k, dirs), deleted = 0, bad = 0;
    for (int d = 0; d < ndirs; d++) {
        if (printer_png_slip_path(dirs[d], job_id, path, sizeof(path), &err) < 0)
            continue;
        if (unlink(path) == 0) {
            deleted++;
        } else if (errno != ENOENT) {
            snprintf(line, sizeof(line), "cannot delete %s: %s", path, strerror(errno));
            if (say)
                say(ctx, line);
            bad++;
        }
    }
    if (failed)
        *failed = bad;
    return deleted;
}
