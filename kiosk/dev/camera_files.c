/*
 * camera_files.c - a camera made of image files: one PNG/JPEG/PGM file, or
 * every such file in a directory in name order, played at params->fps
 * (frame k is due at the first read's time + k * 1000 / fps; a slow caller
 * gets every frame, late, rather than skipped ones). Ends with CAMERA_END
 * unless params->loop. Owns the file list and the current image; never
 * writes anything.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

static enum camera_status files_read(struct camera *c, int64_t now_ms, struct frame *f,
                                     struct err *err)
{
    struct files_cam *fc = (struct files_cam *)c;
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
    if (image_load(fc->names[fc->next], &fc->img, err) < 0) {
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
