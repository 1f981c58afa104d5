/*
 * cmd_export.c - `kiosk export`: leads and exchanges to a file, a folder,
 * stdout or a USB drive.
 *
 * Owns: choosing the destination (including finding a mounted USB drive),
 * the atomic write of each file, progress on a terminal and the audit
 * entry. The formats themselves are kiosk/core/export.c. Never leaves a
 * half-written file under a real name: every file goes through atomicfile.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "atomicfile.h"
#include "cli.h"
#include "export.h"
#include "tzone.h"

#define USB_MAX 8

struct prog {
    const char *name;
    int tty;
};

static void show_progress(void *ctx, long done, long total)
{
    struct prog *p = ctx;
    if (!p->tty)
        return;
    if (total > 0)
        fprintf(stderr, "\rexporting %s: %ld/%ld (%ld%%)   ", p->name, done, total,
                done * 100 / total);
    else
        fprintf(stderr, "\rexporting %s: %ld   ", p->name, done);
}

static int af_write(void *ctx, const void *buf, size_t n, struct err *err)
{
    return atomicfile_write(ctx, buf, n, err);
}

static int fd_write(void *ctx, const void *buf, size_t n, struct err *err)
{
    const char *p = buf;
    int fd = *(int *)ctx;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return err_set(err, "writing the output: %s", strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A mount point: on another device than the folder above it. */
static int is_mount(const char *path, const char *parent)
{
    struct stat a, b;
    return stat(path, &a) == 0 && stat(parent, &b) == 0 && S_ISDIR(a.st_mode) &&
           a.st_dev != b.st_dev;
}

static void add_found(char found[USB_MAX][1024], int *n, const char *path)
{
    if (*n < USB_MAX)
        snprintf(found[(*n)++], 1024, "%s", path);
}

/*
 * Find the one mounted removable drive: a mount point directly under a root
 * (/media/LABEL) or one level deeper (/media/USER/LABEL, /run/media/USER/LABEL).
 * KIOSK_USB_ROOT replaces the roots; every folder directly inside it then
 * counts as a drive, so tests need no real mount.
 */
static int find_usb(char *out, size_t size, struct err *err)
{
    const char *override = getenv("KIOSK_USB_ROOT");
    const char *roots[2] = {"/media", "/run/media"};
    int nroots = 2, n = 0;
    char found[USB_MAX][1024];

    if (override && override[0]) {
        roots[0] = override;
        nroots = 1;
    }
    for (int r = 0; r < nroots; r++) {
        DIR *d = opendir(roots[r]);
        struct dirent *e;
        if (!d)
            continue;
        while ((e = readdir(d)) != NULL) {
            char p1[1024];
            DIR *d2;
            struct dirent *e2;
            if (e->d_name[0] == '.')
                continue;
            snprintf(p1, sizeof(p1), "%.500s/%.400s", roots[r], e->d_name);
            if (!is_dir(p1))
                continue;
            if ((override && override[0]) || is_mount(p1, roots[r])) {
                add_found(found, &n, p1);
                continue;
            }
            d2 = opendir(p1);
            if (!d2)
                continue;
            while ((e2 = readdir(d2)) != NULL) {
                char p2[1024];
                if (e2->d_name[0] == '.')
                    continue;
                snprintf(p2, sizeof(p2), "%.600s/%.400s", p1, e2->d_name);
                if (is_mount(p2, p1))
                    add_found(found, &n, p2);
            }
            closedir(d2);
        }
        closedir(d);
    }
    if (n == 0)
        return err_set(err,
                       "no USB drive found: plug one in and wait until it is mounted "
                       "(looked under %s)",
                       nroots == 1 ? roots[0] : "/media and /run/media");
    if (n > 1) {
        /* Sorted order would be nicer; naming two is enough to act on. */
        return err_set(err, "%d drives are mounted (%.100s, %.100s%s): choose one with --out DIR",
                       n, found[0], found[1], n > 2 ? ", ..." : "");
    }
    {
        struct statvfs vfs;
        if (statvfs(found[0], &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
            return err_set(err,
                           "the USB drive %.200s is mounted read-only (write-protect switch "
                           "on, or a damaged file system?)",
                           found[0]);
        if (access(found[0], W_OK) != 0)
            return err_set(err, "the USB drive %.200s is not writable: %s", found[0],
                           strerror(errno));
    }
    snprintf(out, size, "%s", found[0]);
    return 0;
}

/* "kiosk-export-20261126-140305" from local time. */
static void stamp_name(const struct tzone *z, int64_t now, char *out, size_t size)
{
    char iso[TZONE_ISO_MAX], d[16];
    size_t n = 0;
    tzone_iso8601(z, now, iso);
    /* "2026-11-26T14:03:05" is the first 19 characters; keep its digits. */
    for (const char *p = iso; p < iso + 19 && *p; p++)
        if (*p >= '0' && *p <= '9' && n < sizeof(d) - 1)
            d[n++] = *p;
    d[n] = '\0';
    snprintf(out, size, "kiosk-export-%.8s-%.6s", d, n > 8 ? d + 8 : "");
}

struct job {
    struct kiosk *k;
    struct store *s;
    struct export_options o;
    int tty;
};

/* Export one format to path atomically ("-" = stdout). */
static int export_one(struct job *j, const char *path, const char *dest_kind, int quiet)
{
    struct export_stats st;
    struct err err = {{0}};
    struct prog pg = {export_format_filename(j->o.format), j->tty};
    struct atomicfile af;
    int fd = STDOUT_FILENO;
    struct export_sink sink;

    j->o.progress = show_progress;
    j->o.progress_ctx = &pg;
    if (strcmp(path, "-") == 0) {
        sink.write = fd_write;
        sink.ctx = &fd;
        if (export_run(j->s, &j->o, &sink, &st, &err) < 0) {
            if (j->tty)
                fputc('\n', stderr);
            return cli_fail("export", "%s", err.msg);
        }
    } else {
        if (atomicfile_open(&af, path, 0600, &err) < 0)
            return cli_fail("export", "%s", err.msg);
        int committed = -1;
        sink.write = af_write;
        sink.ctx = &af;
        if (export_run(j->s, &j->o, &sink, &st, &err) < 0 ||
            (committed = atomicfile_commit(&af, &err)) < 0) {
            atomicfile_abort(&af);
            if (j->tty)
                fputc('\n', stderr);
            if (committed == -2) /* the file is there, its folder not synced */
                return cli_fail("export", "%s", err.msg);
            return cli_fail("export", "%s (nothing was written to %s)", err.msg, path);
        }
    }
    if (j->tty)
        fputc('\n', stderr);
    if (export_audit(j->s, &j->o, &st, dest_kind, "cli", cli_now_ms(), &err) < 0)
        return cli_fail("export", "exported, but the audit log failed: %s", err.msg);
    if (!quiet)
        printf("%s: %ld %s, %.1f KB%s\n", path, st.records,
               j->o.format == EXPORT_CSV   ? "rows"
               : j->o.format == EXPORT_VCF ? "contacts"
               : j->o.format == EXPORT_ICS ? "follow-ups"
                                           : "records",
               (double)st.bytes / 1024.0,
               st.skipped ? " (some contacts skipped: invalid data)" : "");
    else if (st.skipped)
        fprintf(stderr, "kiosk export: %ld contacts skipped (invalid data)\n", st.skipped);
    return 0;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct job j;
    struct err err = {{0}};
    struct tzone tz = {tzone_libc_offset, NULL};
    const char *out = NULL, *since = NULL, *format = NULL, *delim = NULL;
    int to_usb = 0, all = 0, fmt = EXPORT_CSV, status = 1;
    char dir[1024] = "", path[1200];
    int64_t now = cli_now_ms();

    memset(&j, 0, sizeof(j));
    j.k = k;
    export_options_default(&j.o);
    j.o.bom = config_bool(&k->cfg, "export.bom");
    delim = config_str(&k->cfg, "export.delimiter");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (strcmp(a, "--format") == 0 && has_val)
            format = argv[++i];
        else if (strcmp(a, "--out") == 0 && has_val)
            out = argv[++i];
        else if (strcmp(a, "--since") == 0 && has_val)
            since = argv[++i];
        else if (strcmp(a, "--mode") == 0 && has_val)
            j.o.mode = argv[++i];
        else if (strcmp(a, "--delimiter") == 0 && has_val)
            delim = argv[++i];
        else if (strcmp(a, "--vcard") == 0 && has_val)
            j.o.vcard_version = atoi(argv[++i]);
        else if (strcmp(a, "--to-usb") == 0)
            to_usb = 1;
        else if (strcmp(a, "--no-bom") == 0)
            j.o.bom = 0;
        else if (strcmp(a, "--bom") == 0)
            j.o.bom = 1;
        else if (strcmp(a, "--csv-raw") == 0)
            j.o.neutralise = 0;
        else if (strcmp(a, "--format") == 0 || strcmp(a, "--out") == 0 ||
                 strcmp(a, "--since") == 0 || strcmp(a, "--mode") == 0 ||
                 strcmp(a, "--delimiter") == 0 || strcmp(a, "--vcard") == 0)
            return cli_usage_error("export", "%s needs a value", a);
        else
            return cli_usage_error("export", "unexpected argument \"%s\"", a);
    }
    if (format && strcmp(format, "all") == 0)
        all = 1;
    else if (format && (fmt = export_format_parse(format)) < 0)
        return cli_usage_error("export", "unknown format \"%s\" (csv, vcf, json, ics or all)",
                               format);
    if (!format && to_usb)
        all = 1; /* a stick for the exhibitor gets everything */
    j.o.format = (enum export_format)fmt;
    if (strcmp(delim, ",") == 0 || strcmp(delim, "comma") == 0)
        j.o.delimiter = ',';
    else if (strcmp(delim, ";") == 0 || strcmp(delim, "semicolon") == 0)
        j.o.delimiter = ';';
    else if (strcmp(delim, "tab") == 0 || strcmp(delim, "\t") == 0)
        j.o.delimiter = '\t';
    else
        return cli_usage_error("export", "--delimiter must be , ; or tab");
    if (j.o.vcard_version != 3 && j.o.vcard_version != 4)
        return cli_usage_error("export", "--vcard must be 3 or 4");
    if (j.o.mode && strcmp(j.o.mode, "handshake") != 0 && strcmp(j.o.mode, "booth") != 0)
        return cli_usage_error("export", "--mode must be handshake or booth");
    if (to_usb && out)
        return cli_usage_error("export", "use either --to-usb or --out, not both");
    if (tzone_use(config_str(&k->cfg, "event.timezone"), &err) < 0)
        return cli_fail("export", "event.timezone: %s", err.msg);
    j.o.tz = &tz;
    j.o.tz_name = config_str(&k->cfg, "event.timezone");
    j.o.event_name = config_str(&k->cfg, "event.name");
    j.o.now_ms = now;
    if (since && tzone_parse_time(&tz, since, &j.o.since_ms, &err) < 0)
        return cli_usage_error("export", "--since: %s", err.msg);
    j.tty = isatty(STDERR_FILENO);

    /* Where to: a new folder on the USB drive, a folder, a file or stdout. */
    if (to_usb) {
        char drive[1024], name[64];
        if (find_usb(drive, sizeof(drive), &err) < 0)
            return cli_fail("export", "%s", err.msg);
        stamp_name(&tz, now, name, sizeof(name));
        snprintf(dir, sizeof(dir), "%.900s/%s", drive, name);
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
            if (errno == EROFS)
                return cli_fail("export", "the USB drive %s is read-only", drive);
            return cli_fail("export", "cannot create %s: %s", dir, strerror(errno));
        }
        if (atomicfile_sync_dir(drive, &err) < 0)
            return cli_fail("export", "%s", err.msg);
    } else if (out && is_dir(out)) {
        snprintf(dir, sizeof(dir), "%s", out);
    } else if (all) {
        return cli_usage_error("export", "--format all writes several files: give --out DIR "
                                         "(an existing folder) or --to-usb");
    }

    j.s = cli_store(k, "export");
    if (!j.s)
        return 1;
    if (dir[0]) {
        for (int f = 0; f < EXPORT_NFORMATS; f++) {
            if (!all && f != fmt)
                continue;
            j.o.format = (enum export_format)f;
            snprintf(path, sizeof(path), "%s/%s", dir, export_format_filename(f));
            if (export_one(&j, path, to_usb ? "usb" : "file", 0) != 0)
                goto out;
        }
        if (to_usb)
            printf("exported to %s; wait for the write light to stop, then eject the drive\n", dir);
    } else if (!out || strcmp(out, "-") == 0) {
        if (export_one(&j, "-", "stdout", 1) != 0)
            goto out;
    } else {
        if (export_one(&j, out, "file", 0) != 0)
            goto out;
    }
    status = 0;
out:
    return status;
}

const struct command cmd_export = {
    .name = "export",
    .run = run,
    .summary = "Export leads and exchanges (CSV, vCard, JSON, iCalendar)",
    .usage = "[--format csv|vcf|json|ics|all] [--out FILE|DIR|- | --to-usb]\n"
             "       [--since TIME] [--mode handshake|booth] [--delimiter ,|;|tab]\n"
             "       [--no-bom] [--csv-raw] [--vcard 3|4]\n\n"
             "Only consented data is exported; each export is written atomically and\n"
             "logged in the audit log. Without --out the export goes to stdout.\n"
             "  --format all   every format into a folder (the default with --to-usb):\n"
             "                 leads.csv, contacts.vcf, export.json, followups.ics\n"
             "  --to-usb       a new kiosk-export-DATE-TIME folder on the one mounted USB\n"
             "                 drive under /media or /run/media ($KIOSK_USB_ROOT overrides)\n"
             "  --since TIME   2026-11-26, 2026-11-26T14:00, ...+01:00 or epoch ms\n"
             "  --csv-raw      no formula guard: cells like +49 30 123 are written as they\n"
             "                 are (for machine imports, not for spreadsheets)",
};
