/*
 * camera_files.c - a camera made of image files: one PNG/JPEG/PGM file, or
 * every such file in a directory in name order, played at params->fps
 * (frame k is due at the first read's time + k * 1000 / fps; a slow caller
 * gets every frame, late, rather than skipped ones). Ends with CAMERA_END
 * unless params->loop. Owns the file list and the current image; never
 * writes anything.
 *
 * Only regular files are read. Each file is opened non-blocking and checked
 * with fstat before a byte is read, so a FIFO, socket, device or directory
 * named like an image never blocks the camera: it is dropped from the list
 * and reported once (one CAMERA_LOST whose err names it); the next read
 * moves on. A file that is regular but unreadable or not an image is
 * reported on every pass (it may be half-written and get better).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "camera_internal.h"
#include "image.h"

struct files_cam {
    struct camera base;
    char **names;
    int n, next;
    int fps, loop;
    int started;
    int64_t t0, seq;
    struct image img;
};

static int is_image_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".jpg") ||
                   !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".pgm"));
}

static int cmpname(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void files_close(struct camera *c)
{
    struct files_cam *fc = (struct files_cam *)c;
    for (int i = 0; i < fc->n; i++)
        free(fc->names[i]);
    free(fc->names);
    image_free(&fc->img);
    free(fc);
}

/* What kind of non-regular file st is, for the message. */
static const char *kind(const struct stat *st)
{
    if (S_ISFIFO(st->st_mode))
        return "a FIFO";
    if (S_ISDIR(st->st_mode))
        return "a directory";
    if (S_ISSOCK(st->st_mode))
        return "a socket";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return "a device";
    return "not a file";
}

enum { SKIP = -2 };

/* Load one frame file into *img. 0; -1 with err (unreadable or not an
 * image: try again next pass); SKIP with err (not a regular file: never
 * again). Never blocks: the open is O_NONBLOCK and nothing is read before
 * fstat said the file is regular. */
static int load(const char *path, struct image *img, struct err *err)
{
    struct stat st;
    unsigned char *buf = NULL;
    size_t got = 0;
    int fd = -1, rc = -1;

    memset(img, 0, sizeof(*img));
    /* stat first: open() on a socket fails (ENXIO) and would not say why */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        err_set(err, "camera files: skipping %s: not a regular file (%s)", path, kind(&st));
        return SKIP;
    }
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        err_set(err, "camera files: %s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        err_set(err, "camera files: %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) { /* replaced between the stat and the open */
        err_set(err, "camera files: skipping %s: not a regular file (%s)", path, kind(&st));
        rc = SKIP;
        goto out;
    }
    /* The largest image image_load_mem accepts: a 16-bit PGM of the largest frame. */
    if (st.st_size > 2L * KIOSK_FRAME_SIDE_MAX * KIOSK_FRAME_SIDE_MAX + 1024) {
        err_set(err, "camera files: %s: file too large for an image", path);
        goto out;
    }
    buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
    if (!buf) {
        err_set(err, "camera files: %s: out of memory", path);
        goto out;
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err_set(err, "camera files: %s: %s", path,
                    n < 0 ? strerror(errno) : "file shrank while being read");
            goto out;
        }
        got += (size_t)n;
    }
    {
        struct err e = {{0}};
        if (image_load_mem(buf, got, img, &e) < 0) {
            err_set(err, "camera files: %s: %s", path, e.msg);
            goto out;
        }
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

static enum camera_status files_read(struct camera *c, int64_t now_ms, struct frame *f,
                                     struct err *err)
{
    struct files_cam *fc = (struct files_cam *)c;
    int rc;
    if (fc->n == 0)
        return CAMERA_END; /* every file was skipped */
    if (!fc->started) {
        fc->started = 1;
        fc->t0 = now_ms;
    }
    if (fc->next >= fc->n) {
        if (!fc->loop)
            return CAMERA_END;
        fc->next = 0;
        fc->t0 = now_ms;
    }
    if (now_ms < fc->t0 + (int64_t)fc->next * 1000 / fc->fps)
        return CAMERA_AGAIN;
    image_free(&fc->img);
    rc = load(fc->names[fc->next], &fc->img, err);
    if (rc == SKIP) {
        /* Said once: later passes never see it. Its slot in the schedule
         * goes to the next file, due now. */
        free(fc->names[fc->next]);
        memmove(fc->names + fc->next, fc->names + fc->next + 1,
                sizeof(char *) * (size_t)(fc->n - fc->next - 1));
        fc->n--;
        return CAMERA_LOST;
    }
    if (rc < 0) {
        fc->next++;
        return CAMERA_LOST; /* one bad file; the next read moves on */
    }
    fc->next++;
    f->width = fc->img.width;
    f->height = fc->img.height;
    f->stride = fc->img.width;
    f->gray = fc->img.gray;
    f->seq = fc->seq++;
    return CAMERA_OK;
}

static const struct camera_ops files_ops = {files_read, files_close};

static int add_name(struct files_cam *fc, const char *dir, const char *name, int *cap)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *s;
    if (fc->n >= KIOSK_FILES_MAX)
        return -1;
    if (fc->n == *cap) {
        int nc = *cap ? *cap * 2 : 64;
        char **p = realloc(fc->names, sizeof(char *) * (size_t)nc);
        if (!p)
            return -1;
        fc->names = p;
        *cap = nc;
    }
    s = malloc(len);
    if (!s)
        return -1;
    if (dir[0])
        snprintf(s, len, "%s/%s", dir, name);
    else
        snprintf(s, len, "%s", name);
    fc->names[fc->n++] = s;
    return 0;
}

int camera_open_files(struct camera **out, const char *path, const struct camera_params *p,
                      struct err *err)
{
    struct files_cam *fc = NULL;
    DIR *dir = NULL;
    struct stat st;
    int rc = -1, cap = 0;

    *out = NULL;
    fc = calloc(1, sizeof(*fc));
    if (!fc)
        return err_set(err, "camera files: out of memory");
    fc->base.ops = &files_ops;
    fc->fps = p->fps;
    fc->loop = p->loop;
    if (stat(path, &st) != 0) {
        err_set(err, "camera files: %s does not exist", path);
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent *de;
        dir = opendir(path);
        if (!dir) {
            err_set(err, "camera files: cannot read directory %s", path);
            goto out;
        }
        while ((de = readdir(dir)) != NULL) {
            if (de->d_name[0] == '.' || !is_image_name(de->d_name))
                continue;
            if (add_name(fc, path, de->d_name, &cap) < 0) {
                err_set(err, "camera files: more than %d images in %s, or out of memory",
                        KIOSK_FILES_MAX, path);
                goto out;
            }
        }
        qsort(fc->names, (size_t)fc->n, sizeof(char *), cmpname);
    } else if (!S_ISREG(st.st_mode)) {
        /* A FIFO would block the first read; a Y4M stream is y4m:PATH. */
        err_set(err, "camera files: %s is not a regular file (%s) or a directory", path,
                kind(&st));
        goto out;
    } else if (add_name(fc, "", path, &cap) < 0) {
        err_set(err, "camera files: out of memory");
        goto out;
    }
    if (fc->n == 0) {
        err_set(err, "camera files: no .png, .jpg or .pgm files in %s", path);
        goto out;
    }
    *out = &fc->base;
    fc = NULL;
    rc = 0;
out:
    if (dir)
        closedir(dir);
    if (fc)
        files_close(&fc->base);
    return rc;
}
