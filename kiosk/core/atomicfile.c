/*
 * atomicfile.c - temp file, fsync, rename, fsync the folder.
 *
 * Owns: the only way exports reach a file. Never leaves a temporary behind
 * on any failure path it sees; never touches the target before rename.
 * (A crash between mkstemp and rename can leave a ".NAME.tmp-XXXXXX" file;
 * it is hidden and harmless, and the target is intact.)
 */
#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folder part of path into dir ("." when there is none). */
static void dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

int atomicfile_open(struct atomicfile *af, const char *path, unsigned mode, struct err *err)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[1024];

    af->fd = -1;
    af->tmp[0] = '\0';
    if (!base[0])
        return err_set(err, "%s: not a file name", path);
    if (strlen(path) >= sizeof(af->path))
        return err_set(err, "%s: path too long", path);
    snprintf(af->path, sizeof(af->path), "%s", path);
    dir_of(path, dir, sizeof(dir));
    snprintf(af->tmp, sizeof(af->tmp), "%s/.%s.tmp-XXXXXX", dir, base);
    af->fd = mkstemp(af->tmp);
    if (af->fd < 0) {
        int e = errno;
        af->tmp[0] = '\0';
        if (e == EROFS)
            return err_set(err, "cannot write in %s: the file system is read-only", dir);
        return err_set(err, "cannot write in %s: %s", dir, strerror(e));
    }
    if (fchmod(af->fd, (mode_t)mode) < 0) {
        int e = errno;
        atomicfile_abort(af);
        return err_set(err, "cannot set the mode of a file in %s: %s", dir, strerror(e));
    }
    return 0;
}

int atomicfile_write(struct atomicfile *af, const void *buf, size_t n, struct err *err)
{
    const char *p = buf;
    if (af->fd < 0)
        return err_set(err, "%s: file is not open", af->path);
    while (n > 0) {
        ssize_t w = write(af->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOSPC)
                return err_set(err, "%s: the disk is full", af->path);
            return err_set(err, "writing %s: %s", af->path, strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int atomicfile_sync_dir(const char *dir, struct err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, "cannot open folder %s: %s", dir, strerror(errno));
    if (fsync(fd) < 0 && errno != EINVAL && errno != ENOTSUP) {
        int e = errno;
        close(fd);
        return err_set(err, "cannot sync folder %s: %s", dir, strerror(e));
    }
    close(fd);
    return 0;
}

int atomicfile_commit(struct atomicfile *af, struct err *err)
{
    char dir[1024];
    int fd = af->fd;
    if (fd < 0)
        return err_set(err, "%s: file is not open", af->path);
    af->fd = -1;
    if (fsync(fd) < 0) {
        err_set(err, "cannot sync %s: %s", af->path, strerror(errno));
        close(fd);
        goto fail;
    }
    if (close(fd) < 0) {
        err_set(err, "cannot close %s: %s", af->path, strerror(errno));
        goto fail;
    }
    if (rename(af->tmp, af->path) < 0) {
        err_set(err, "cannot rename into %s: %s", af->path, strerror(errno));
        goto fail;
    }
    af->tmp[0] = '\0';
    dir_of(af->path, dir, sizeof(dir));
    if (atomicfile_sync_dir(dir, err) < 0) {
        /* The new file is already under its name: say so, it is not the
         * old file any more (it may just not survive a power cut). */
        char why[KIOSK_MSG_MAX];
        snprintf(why, sizeof(why), "%s", err ? err->msg : "");
        err_set(err, "%s was written, but the folder could not be synced (%s)", af->path, why);
        return -2;
    }
    return 0;
fail:
    unlink(af->tmp);
    af->tmp[0] = '\0';
    return -1;
}

void atomicfile_abort(struct atomicfile *af)
{
    if (!af)
        return;
    if (af->fd >= 0) {
        close(af->fd);
        af->fd = -1;
    }
    if (af->tmp[0]) {
        unlink(af->tmp);
        af->tmp[0] = '\0';
    }
}
