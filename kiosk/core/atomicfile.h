/*
 * atomicfile.h - replace a file so that a crash or a pulled USB stick
 * leaves either the old file or the complete new one, never a half.
 *
 * Write to a temporary file in the same folder, fsync it, rename it over
 * the target, fsync the folder. Until commit the target is untouched.
 */
#ifndef KIOSK_ATOMICFILE_H
#define KIOSK_ATOMICFILE_H

#include <stddef.h>

#include "err.h"

struct atomicfile {
    int fd;          /* -1 when closed */
    char path[1024]; /* the target */
    char tmp[1100];  /* the temporary beside it */
};

/* Create a temporary file beside path with the given mode (e.g. 0600).
 * Returns 0, or -1 with err (no file left behind; af->fd = -1). */
int atomicfile_open(struct atomicfile *af, const char *path, unsigned mode, struct err *err);
/* Write all n bytes (retrying short writes and EINTR). 0 or -1 with err;
 * after a failure only atomicfile_abort is useful. */
int atomicfile_write(struct atomicfile *af, const void *buf, size_t n, struct err *err);
/* fsync, close, rename over the target, fsync the folder. Returns 0 when the
 * new file is durable under its name; -1 with err when it failed before the
 * rename (the temporary is removed and the target is the old file, if there
 * was one); -2 with err when only the folder sync failed (the new file is in
 * place but may not survive a power cut). */
int atomicfile_commit(struct atomicfile *af, struct err *err);
/* Close and remove the temporary; the target is untouched. Safe to call on
 * a committed, aborted or never-opened (fd = -1) struct, and with NULL. */
void atomicfile_abort(struct atomicfile *af);

/* fsync a folder so a rename or new entry in it survives power loss.
 * Filesystems that cannot (EINVAL) count as success. 0 or -1 with err. */
int atomicfile_sync_dir(const char *dir, struct err *err);

#endif
