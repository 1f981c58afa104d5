/*
 * printer_png.c - the PNG "printer": one 1-bit PNG per slip in a folder.
 *
 * The default backend, so a newcomer sees slips without hardware. Owns the
 * PNG encoding of a raster (also used by the CUPS backend's preview and by
 * `kiosk slip --out`). Files appear atomically: written as NAME.tmp, then
 * renamed, so a reader never sees half a slip.
 * Never: overwrites a slip of another job (names carry the job id).
 */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "printer.h"

struct printer_png {
    struct printer base;
    char dir[1024];
    int dpi;
};

static int mkdirs(const char *path)
{
    char buf[1024];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* libpng reports errors by longjmp; this function keeps nothing that
 * changes after setjmp, so the jump back is safe. */
static int encode(FILE *f, const struct raster *r, int dpi, unsigned char *row)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(png ? &png : NULL, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, f);
    /* 1-bit grey: 0 is black, so our 1 = black bits are inverted per row. */
    png_set_IHDR(png, info, (png_uint_32)r->width, (png_uint_32)r->height, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (dpi > 0) {
        png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    for (int y = 0; y < r->height; y++) {
        const unsigned char *src = r->bits + (size_t)y * (size_t)r->stride;
        for (int i = 0; i < r->stride; i++)
            row[i] = (unsigned char)~src[i];
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int printer_png_write(const struct raster *r, int dpi, const char *path, struct err *err)
{
    char tmp[1200];
    FILE *f = NULL;
    unsigned char *row = NULL;
    int result = -1, fd;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return err_set(err, "path too long: %s", path);
    row = malloc((size_t)r->stride);
    if (!row)
        return err_set(err, "out of memory");
    /* 0600 like the database: a slip carries names and e-mail addresses. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        err_set(err, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (encode(f, r, dpi, row) < 0) {
        err_set(err, "cannot encode %s as PNG", path);
        goto out;
    }
    if (fflush(f) != 0 || ferror(f)) {
        err_set(err, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        err_set(err, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) < 0) {
        err_set(err, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto out;
    }
    result = 0;
out:
    if (f)
        fclose(f);
    if (result < 0)
        remove(tmp);
    free(row);
    return result;
}

int printer_png_dir(const struct devspec *spec, const char *data_dir, char *out, size_t size,
                    struct err *err)
{
    int n;
    if (spec->arg[0])
        n = snprintf(out, size, "%s", spec->arg);
    else
        n = snprintf(out, size, "%s/slips", data_dir ? data_dir : ".");
    if (n < 0 || (size_t)n >= size)
        return err_set(err, "slip folder path too long");
    return 0;
}

int printer_png_slip_path(const char *dir, const char *job_id, char *out, size_t size,
                          struct err *err)
{
    int n = snprintf(out, size, "%s/slip-%s.png", dir, job_id && job_id[0] ? job_id : "x");
    if (n < 0 || (size_t)n >= size)
        return err_set(err, "slip path too long");
    return 0;
}

static int print_png(struct printer *p, const struct raster *r, const char *job_id, struct err *err)
{
    struct printer_png *pp = (struct printer_png *)p;
    char path[1200];
    if (mkdirs(pp->dir) < 0)
        return err_set(err, "cannot create slip folder %s: %s", pp->dir, strerror(errno));
    if (printer_png_slip_path(pp->dir, job_id, path, sizeof(path), err) < 0)
        return -1;
    return printer_png_write(r, pp->dpi, path, err);
}

static void close_png(struct printer *p)
{
    free(p);
}

static const struct printer_ops ops = {print_png, close_png};

int printer_open_png(struct printer **out, const char *dir, const struct printer_params *pp,
                     struct err *err)
{
    struct printer_png *p;
    *out = NULL;
    if (strlen(dir) >= sizeof(p->dir))
        return err_set(err, "slip folder path too long");
    p = calloc(1, sizeof(*p));
    if (!p)
        return err_set(err, "out of memory");
    snprintf(p->dir, sizeof(p->dir), "%s", dir);
    p->dpi = pp ? pp->dpi : 0;
    p->base.ops = &ops;
    *out = &p->base;
    return 0;
}
