/*
 * test_store.c - the store's foundations and its durability, proven on real
 * SQLite files.
 *
 * Foundations: migration from an empty file, reopen, refusal of newer /
 * foreign / corrupt / non-SQLite files without changing a byte, foreign keys,
 * append-only notes, UUIDv7 ids, file mode 0600, the persisted kiosk id.
 *
 * Durability: a shim VFS wraps the default one (SQLite's own crash tests,
 * test6.c, are the model). In "crash" mode it keeps every write in memory
 * until the file is synced; at a chosen operation the machine "loses power":
 * unsynced writes are dropped (or, in the torn variant, a random subset of
 * them reaches the disk), every later call fails, and the database is
 * reopened with the real VFS. Every store_scan_add that returned 0 must be
 * there and integrity_check must be ok, for every crash point N. In "fault"
 * mode the Nth write or sync fails (I/O error, failed fsync, disk full)
 * until the test clears the fault: no crash, a clear error, nothing
 * committed lost, and writes work again once the fault clears. Disk full is
 * also tested for real on a small tmpfs when the test may mount one.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "test.h"

#define T0 1780000000000LL

/* ------------------------------------------------------------------------
 * The shim VFS.
 */
enum shim_mode { SHIM_PASS, SHIM_CRASH, SHIM_FAULT };

struct pending {
    sqlite3_int64 off;
    int len;
    unsigned char *data;
};

struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* points just after this struct */
    struct pending *pend;
    int npend, cap;
};

static struct {
    sqlite3_vfs vfs;
    sqlite3_vfs *real;
    enum shim_mode mode;
    long ops;      /* writes + syncs counted since the mode was set */
    long trigger;  /* crash point / first failing op (1-based); 0 = never */
    int torn;      /* crash: apply a random subset of unsynced writes */
    int fail_code; /* fault: what the failing op returns */
    int crashed, faulting;
    unsigned rng;
} shim;

static void shim_set(enum shim_mode mode, long trigger, int code)
{
    shim.mode = mode;
    shim.ops = 0;
    shim.trigger = trigger;
    shim.fail_code = code;
    shim.crashed = 0;
    shim.faulting = 0;
}

static unsigned next_rand(void)
{
    shim.rng = shim.rng * 1103515245u + 12345u;
    return shim.rng >> 16;
}

/* Count one write or sync; returns the error to report, or SQLITE_OK. */
static int count_op(int io_code)
{
    if (shim.crashed)
        return SQLITE_IOERR;
    shim.ops++;
    if (shim.mode == SHIM_CRASH && shim.trigger && shim.ops >= shim.trigger) {
        shim.crashed = 1;
        return SQLITE_IOERR;
    }
    if (shim.mode == SHIM_FAULT && shim.trigger && shim.ops >= shim.trigger) {
        shim.faulting = 1;
        return shim.fail_code ? shim.fail_code : io_code;
    }
    return SQLITE_OK;
}

static int flush_pending(struct shim_file *f, int torn)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < f->npend; i++) {
        struct pending *p = &f->pend[i];
        if (rc == SQLITE_OK && (!torn || (next_rand() & 1)))
            rc = f->real->pMethods->xWrite(f->real, p->data, p->len, p->off);
        free(p->data);
    }
    f->npend = 0;
    return rc;
}

static void drop_pending(struct shim_file *f)
{
    for (int i = 0; i < f->npend; i++)
        free(f->pend[i].data);
    f->npend = 0;
}

static sqlite3_int64 pending_end(const struct shim_file *f)
{
    sqlite3_int64 end = 0;
    for (int i = 0; i < f->npend; i++)
        if (f->pend[i].off + f->pend[i].len > end)
            end = f->pend[i].off + f->pend[i].len;
    return end;
}

static int x_close(sqlite3_file *file)
{
    struct shim_file *f = (struct shim_file *)file;
    int rc;
    /* Without a crash, what was written reaches the disk eventually. With
     * one, the power is gone: unsynced data is lost (torn: partly). */
    if (!shim.crashed)
        flush_pending(f, 0);
    else if (shim.torn)
        flush_pending(f, 1);
    else
        drop_pending(f);
    free(f->pend);
    f->pend = NULL;
    rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    return rc;
}

static int x_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
    struct shim_file *f = (struct shim_file *)file;
    sqlite3_int64 real_size = 0, size;
    int rc;
    if (shim.crashed)
        return SQLITE_IOERR_READ;
    rc = f->real->pMethods->xRead(f->real, buf, amt, off);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
        return rc;
    if (f->npend == 0)
        return rc;
    for (int i = 0; i < f->npend; i++) {
        struct pending *p = &f->pend[i];
        sqlite3_int64 lo = p->off > off ? p->off : off;
        sqlite3_int64 hi = p->off + p->len < off + amt ? p->off + p->len : off + amt;
        if (lo < hi)
            memcpy((unsigned char *)buf + (lo - off), p->data + (lo - p->off), (size_t)(hi - lo));
    }
    f->real->pMethods->xFileSize(f->real, &real_size);
    size = pending_end(f) > real_size ? pending_end(f) : real_size;
    return off + amt <= size ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
}

static int x_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
    struct shim_file *f = (struct shim_file *)file;
    int rc = count_op(SQLITE_IOERR_WRITE);
    if (rc != SQLITE_OK)
        return rc;
    if (shim.mode != SHIM_CRASH)
        return f->real->pMethods->xWrite(f->real, buf, amt, off);
    if (f->npend == f->cap) {
        int cap = f->cap ? f->cap * 2 : 16;
        struct pending *p = realloc(f->pend, (size_t)cap * sizeof(*p));
        if (!p)
            return SQLITE_NOMEM;
        f->pend = p;
        f->cap = cap;
    }
    f->pend[f->npend].data = malloc((size_t)amt);
    if (!f->pend[f->npend].data)
        return SQLITE_NOMEM;
    memcpy(f->pend[f->npend].data, buf, (size_t)amt);
    f->pend[f->npend].off = off;
    f->pend[f->npend].len = amt;
    f->npend++;
    return SQLITE_OK;
}

static int x_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    struct shim_file *f = (struct shim_file *)file;
    if (shim.crashed)
        return SQLITE_IOERR_TRUNCATE;
    /* Keep it simple: pending writes go first, then the cut. */
    if (f->npend)
        flush_pending(f, 0);
    return f->real->pMethods->xTruncate(f->real, size);
}

static int x_sync(sqlite3_file *file, int flags)
{
    struct shim_file *f = (struct shim_file *)file;
    int rc = count_op(SQLITE_IOERR_FSYNC);
    if (rc != SQLITE_OK)
        return rc;
    /* Durable in the model once flushed. The real fsync is skipped: the
     * page cache keeps the file coherent for the reopen, and thousands of
     * fsyncs would make the test slow without testing anything more. */
    (void)flags;
    return flush_pending(f, 0);
}

static int x_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    struct shim_file *f = (struct shim_file *)file;
    int rc;
    if (shim.crashed)
        return SQLITE_IOERR_FSTAT;
    rc = f->real->pMethods->xFileSize(f->real, size);
    if (rc == SQLITE_OK && pending_end(f) > *size)
        *size = pending_end(f);
    return rc;
}

static int x_lock(sqlite3_file *file, int l)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xLock(f->real, l);
}

static int x_unlock(sqlite3_file *file, int l)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xUnlock(f->real, l);
}

static int x_check_lock(sqlite3_file *file, int *out)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int x_file_control(sqlite3_file *file, int op, void *arg)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int x_sector_size(sqlite3_file *file)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int x_device_chars(sqlite3_file *file)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int x_shm_map(sqlite3_file *file, int pg, int pgsz, int extend, void volatile **pp)
{
    struct shim_file *f = (struct shim_file *)file;
    if (shim.crashed)
        return SQLITE_IOERR_SHMMAP;
    return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int x_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void x_shm_barrier(sqlite3_file *file)
{
    struct shim_file *f = (struct shim_file *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int x_shm_unmap(sqlite3_file *file, int del)
{
    struct shim_file *f = (struct shim_file *)file;
    return f->real->pMethods->xShmUnmap(f->real, del);
}

static int x_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
    (void)file, (void)off, (void)amt;
    *pp = NULL; /* no memory-mapped I/O through the shim */
    return SQLITE_OK;
}

static int x_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    (void)file, (void)off, (void)p;
    return SQLITE_OK;
}

static const sqlite3_io_methods shim_io = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_lock,
    x_file_control,
    x_sector_size,
    x_device_chars,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
    struct shim_file *f = (struct shim_file *)file;
    int rc;
    (void)vfs;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    if (shim.crashed)
        return SQLITE_CANTOPEN;
    rc = shim.real->xOpen(shim.real, name, f->real, flags, out);
    if (rc == SQLITE_OK)
        f->base.pMethods = &shim_io;
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    if (shim.crashed)
        return SQLITE_IOERR_DELETE;
    return shim.real->xDelete(shim.real, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return shim.real->xAccess(shim.real, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return shim.real->xFullPathname(shim.real, name, n, out);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return shim.real->xRandomness(shim.real, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return shim.real->xSleep(shim.real, us);
}

static int v_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return shim.real->xCurrentTime(shim.real, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return shim.real->xGetLastError(shim.real, n, out);
}

static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return shim.real->xCurrentTimeInt64(shim.real, out);
}

/* Make the shim the default VFS (on) or give the default back (off). */
static void shim_install(int on)
{
    if (!shim.real) {
        shim.real = sqlite3_vfs_find(NULL);
        shim.vfs.iVersion = 2;
        shim.vfs.szOsFile = (int)sizeof(struct shim_file) + shim.real->szOsFile;
        shim.vfs.mxPathname = shim.real->mxPathname;
        shim.vfs.zName = "kiosk-shim";
        shim.vfs.xOpen = v_open;
        shim.vfs.xDelete = v_delete;
        shim.vfs.xAccess = v_access;
        shim.vfs.xFullPathname = v_full_pathname;
        shim.vfs.xRandomness = v_randomness;
        shim.vfs.xSleep = v_sleep;
        shim.vfs.xCurrentTime = v_current_time;
        shim.vfs.xGetLastError = v_last_error;
        shim.vfs.xCurrentTimeInt64 = v_current_time64;
    }
    sqlite3_vfs_register(on ? &shim.vfs : shim.real, 1);
}

/* ------------------------------------------------------------------------
 * Helpers.
 */
static void remove_db(const char *path)
{
    char p[1100];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

static int write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f)
        return -1;
    ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* A freshly migrated database, made once and copied for each crash point
 * (migrating anew every time would dominate the run time). */
static char *template_bytes;
static size_t template_len;

static void reset_db(const char *path)
{
    remove_db(path);
    if (!template_bytes) {
        struct store *s = NULL;
        struct err err = {{0}};
        if (store_open(&s, path, "k", T0, &err) == 0)
            store_close(s);
        template_bytes = test_read_file(path, &template_len);
        return;
    }
    if (write_file(path, template_bytes, template_len) < 0)
        test_failed++;
    chmod(path, 0600);
}

/* Open must fail with a message containing want, leaving the bytes and
 * creating no -wal/-shm beside the file. */
static void check_refused(const char *path, const char *want)
{
    struct store *s = NULL;
    struct err err = {{0}};
    size_t n1 = 0, n2 = 0;
    char *before = test_read_file(path, &n1), *after, side[1100];
    CHECK(store_open(&s, path, "", T0, &err) < 0);
    CHECK(s == NULL);
    if (!strstr(err.msg, want))
        fprintf(stderr, "refusal of %s said: %s\n", path, err.msg);
    CHECK(strstr(err.msg, want) != NULL);
    CHECK(store_open_readonly(&s, path, &err) < 0);
    after = test_read_file(path, &n2);
    CHECK(before && after && n1 == n2 && memcmp(before, after, n1) == 0);
    snprintf(side, sizeof(side), "%s-wal", path);
    CHECK(access(side, F_OK) != 0);
    free(before);
    free(after);
}

static struct store *open_ok(const char *path, const char *kiosk)
{
    struct store *s = NULL;
    struct err err = {{0}};
    if (store_open(&s, path, kiosk, T0, &err) < 0) {
        fprintf(stderr, "open %s: %s\n", path, err.msg);
        test_failed++;
    }
    return s;
}

/* ------------------------------------------------------------------------
 * Foundations.
 */
static void test_migrate_and_reopen(void)
{
    const char *path = test_path("empty.db");
    char p[1024], id1[KIOSK_KIOSK_ID_MAX];
    struct store *s;
    struct stat st;
    struct err err = {{0}};
    snprintf(p, sizeof(p), "%s", path);
    CHECK(write_file(p, "", 0) == 0); /* an empty file is a fresh database */
    s = open_ok(p, "");
    if (!s)
        return;
    CHECK(store_schema_version(s) == STORE_SCHEMA_VERSION);
    CHECK(strncmp(store_kiosk_id(s), "kiosk-", 6) == 0);
    snprintf(id1, sizeof(id1), "%s", store_kiosk_id(s));
    CHECK(store_check(s, &err) == 0);
    store_close(s);
    CHECK(test_sql_scalar(p, "PRAGMA application_id") == STORE_APP_ID);
    CHECK(test_sql_scalar(p, "PRAGMA journal_mode = WAL") != -1);

    s = open_ok(p, ""); /* reopen: same kiosk id, nothing migrated twice */
    if (!s)
        return;
    CHECK_STR(store_kiosk_id(s), id1);
    store_close(s);

    s = open_ok(p, "booth-7"); /* a configured id replaces the generated one */
    if (s)
        CHECK_STR(store_kiosk_id(s), "booth-7");
    store_close(s);
    s = open_ok(p, "");
    if (s)
        CHECK_STR(store_kiosk_id(s), "booth-7");
    store_close(s);

    /* A new file is created 0600 from its first byte. */
    snprintf(p, sizeof(p), "%s", test_path("mode.db"));
    umask(022);
    s = open_ok(p, "");
    store_close(s);
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
}

static void test_refusals(void)
{
    char p[1024];
    struct store *s;
    size_t n = 0;
    char *bytes;

    snprintf(p, sizeof(p), "%s", test_path("newer.db"));
    CHECK(test_sql_try(p, "PRAGMA application_id = 1263095635; PRAGMA user_version = 99; "
                          "CREATE TABLE future(x);") == 0);
    check_refused(p, "newer kiosk");

    snprintf(p, sizeof(p), "%s", test_path("foreign.db"));
    CHECK(test_sql_try(p, "CREATE TABLE songs(title); INSERT INTO songs VALUES ('x');") == 0);
    check_refused(p, "another application");

    snprintf(p, sizeof(p), "%s", test_path("text.db"));
    {
        char text[8192];
        for (size_t i = 0; i < sizeof(text); i++)
            text[i] = (char)('a' + i % 26);
        CHECK(write_file(p, text, sizeof(text)) == 0);
    }
    check_refused(p, "not a kiosk database");

    /* A kiosk database whose header is damaged. */
    snprintf(p, sizeof(p), "%s", test_path("corrupt.db"));
    s = open_ok(p, "k");
    store_close(s);
    bytes = test_read_file(p, &n);
    if (bytes && n > 100) {
        memset(bytes + 16, 0xFF, 8); /* page size and file format bytes */
        CHECK(write_file(p, bytes, n) == 0);
        check_refused(p, "not a kiosk database");
    }
    free(bytes);

    /* A kiosk database with a damaged b-tree page opens (the header is
     * fine) but the integrity check catches it. */
    snprintf(p, sizeof(p), "%s", test_path("damaged.db"));
    s = open_ok(p, "k");
    store_close(s);
    bytes = test_read_file(p, &n);
    if (bytes && n > 4 * 4096) {
        struct err err = {{0}};
        for (int pg = 1; pg < 4; pg++)
            memset(bytes + 4096 * pg, 0xFF, 12);
        CHECK(write_file(p, bytes, n) == 0);
        s = NULL;
        if (store_open_readonly(&s, p, &err) == 0) {
            CHECK(store_check(s, &err) < 0);
            CHECK(strstr(err.msg, "integrity") != NULL);
        }
        store_close(s);
    }
    free(bytes);
}

static void test_constraints(void)
{
    char p[1024], att[KIOSK_ID_LEN], inter[KIOSK_ID_LEN];
    struct store *s;
    struct err err = {{0}};
    struct contact c;
    struct store_scan sc = {(const unsigned char *)"X", 1,           "plain",
                            "no-such-attendee",         "handshake", "camera"};
    snprintf(p, sizeof(p), "%s", test_path("fk.db"));
    s = open_ok(p, "k");
    if (!s)
        return;
    CHECK(store_scan_add(s, &sc, T0, NULL, &err) < 0); /* foreign key enforced */
    CHECK(strstr(err.msg, "FOREIGN KEY") != NULL);
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "R1");
    CHECK(store_attendee_upsert(s, &c, "badge", T0, att, &err) == 0);
    {
        struct store_interaction in = {"lead", att, NULL, "op", T0, 0, "card", "v1", "", "none"};
        CHECK(store_interaction_add(s, &in, T0, inter, &err) == 0);
    }
    CHECK(store_note_append(s, inter, "op", "first", T0, &err) == 0);
    CHECK(store_note_append(s, "no-such-interaction", "op", "x", T0, &err) < 0);
    store_close(s);
    CHECK(test_sql_try(p, "UPDATE notes SET body = 'rewritten'") < 0); /* append-only */
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM notes WHERE body = 'first'") == 1);
    /* A scan may not point at an attendee that does not exist, even in SQL. */
    CHECK(test_sql_try(p, "INSERT INTO scans(id, kiosk_id, payload, format, attendee_id, mode, "
                          "source, scanned_at) VALUES ('x', 'k', 'p', 'f', 'ghost', 'm', 's', 0)") <
          0);
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, KIOSK_ID_LEN);
}

static void test_ids(void)
{
    enum { N = 100000 };
    char(*ids)[KIOSK_ID_LEN] = malloc((size_t)N * KIOSK_ID_LEN);
    int dups = 0, bad = 0, ordered = 1;
    if (!ids)
        return;
    for (int i = 0; i < N; i++) {
        store_new_id(ids[i], T0 + i / 1000); /* 1000 ids per millisecond */
        if (strlen(ids[i]) != 36 || ids[i][14] != '7' || !strchr("89ab", ids[i][19]))
            bad++;
        if (i && i % 1000 == 0 && memcmp(ids[i - 1], ids[i], 13) >= 0)
            ordered = 0; /* a later millisecond sorts later */
    }
    qsort(ids, N, KIOSK_ID_LEN, cmp_id);
    for (int i = 1; i < N; i++)
        if (memcmp(ids[i - 1], ids[i], KIOSK_ID_LEN) == 0)
            dups++;
    printf("ids: %d UUIDv7, %d duplicates, %d malformed\n", N, dups, bad);
    CHECK(dups == 0);
    CHECK(bad == 0);
    CHECK(ordered);
    free(ids);
}

/* ------------------------------------------------------------------------
 * Durability.
 */
#define WORK_SCANS 40

/* The workload: WORK_SCANS scans, with a checkpoint by a second connection
 * every 10 (so checkpoints, WAL restarts and truncation are crashed into
 * too). Records which scans were reported saved. Returns how many. */
static int workload(struct store *s, const char *path, char saved[][KIOSK_ID_LEN], int *nsaved,
                    int stop_on_error, char *first_error, size_t esize)
{
    struct err err = {{0}};
    *nsaved = 0;
    for (int i = 0; i < WORK_SCANS; i++) {
        char payload[160], id[KIOSK_ID_LEN];
        struct store_scan sc = {
            (const unsigned char *)payload, 0, "plain", NULL, "handshake", "camera"};
        snprintf(payload, sizeof(payload),
                 "BEGIN:VCARD\nFN:Attendee %d\nEMAIL:a%d@example.org\nEND:VCARD\n", i, i);
        sc.len = strlen(payload);
        if (store_scan_add(s, &sc, T0 + i, id, &err) == 0) {
            memcpy(saved[(*nsaved)++], id, KIOSK_ID_LEN);
        } else {
            if (first_error && !first_error[0])
                snprintf(first_error, esize, "%s", err.msg);
            if (stop_on_error)
                break;
        }
        if (i % 10 == 9) {
            sqlite3 *db = NULL;
            if (sqlite3_open(path, &db) == SQLITE_OK)
                sqlite3_exec(db,
                             i % 20 == 19 ? "PRAGMA wal_checkpoint(TRUNCATE)"
                                          : "PRAGMA wal_checkpoint(PASSIVE)",
                             NULL, NULL, NULL);
            sqlite3_close(db);
        }
    }
    return *nsaved;
}

/* After the power cut: with the real VFS, every saved scan is there and the
 * database is sound. Returns the number missing. */
static int verify(const char *path, char saved[][KIOSK_ID_LEN], int nsaved, int *integrity_ok)
{
    struct store *s = NULL;
    struct err err = {{0}};
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int missing = 0;
    *integrity_ok = 0;
    if (store_open(&s, path, "", T0, &err) < 0) {
        fprintf(stderr, "reopen after crash: %s\n", err.msg);
        return nsaved + 1;
    }
    *integrity_ok = store_check(s, &err) == 0;
    if (!*integrity_ok)
        fprintf(stderr, "after crash: %s\n", err.msg);
    store_close(s);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT 1 FROM scans WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return nsaved + 1;
    }
    for (int i = 0; i < nsaved; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, saved[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            missing++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return missing;
}

static void test_power_cut(void)
{
    char path[1024], shm[1100], saved[WORK_SCANS][KIOSK_ID_LEN];
    int nsaved = 0, total_ops, points = 0, lost = 0, bad = 0, saved_total = 0;
    snprintf(path, sizeof(path), "%s", test_path("crash.db"));
    snprintf(shm, sizeof(shm), "%s-shm", path);

    /* Dry run: how many writes and syncs the workload makes. */
    reset_db(path);
    shim_install(1);
    shim_set(SHIM_PASS, 0, 0);
    {
        struct store *s = open_ok(path, "k");
        shim_set(SHIM_CRASH, 0, 0);
        if (s)
            workload(s, path, saved, &nsaved, 1, NULL, 0);
        total_ops = (int)shim.ops;
        store_close(s);
    }
    shim_install(0);
    CHECK(nsaved == WORK_SCANS);

    for (int torn = 0; torn < 2; torn++) {
        for (int n = 1; n <= total_ops + 1; n++) {
            struct store *s;
            int integrity_ok, missing;
            reset_db(path);
            shim_install(1);
            shim_set(SHIM_PASS, 0, 0);
            s = open_ok(path, "k");
            shim_set(SHIM_CRASH, n, 0);
            shim.torn = torn;
            shim.rng = (unsigned)n * 2654435761u;
            if (s)
                workload(s, path, saved, &nsaved, 1, NULL, 0);
            if (!shim.crashed) /* the point is past the workload: pull the plug at the end */
                shim.crashed = 1;
            store_close(s);
            unlink(shm); /* shared memory does not survive a power cut */
            /* Reboot: a plain pass-through (no buffering, no fsync). */
            shim_set(SHIM_PASS, 0, 0);
            missing = verify(path, saved, nsaved, &integrity_ok);
            shim_install(0);
            points++;
            saved_total += nsaved;
            lost += missing;
            bad += !integrity_ok;
            if (missing)
                fprintf(stderr, "crash point %d%s: %d of %d saved scans lost\n", n,
                        torn ? " (torn)" : "", missing, nsaved);
        }
    }
    shim.torn = 0;
    printf("power cut: %d crash points (%d ops x drop-all and torn), %d saved scans checked, "
           "%d lost, %d failed integrity\n",
           points, total_ops + 1, saved_total, lost, bad);
    CHECK(points > 2 * WORK_SCANS);
    CHECK(lost == 0);
    CHECK(bad == 0);
}

/* Negative control: the shim must be able to lose data. With
 * synchronous=OFF nothing is synced, so a power cut loses committed rows. */
static void test_power_cut_control(void)
{
    char path[1024], shm[1100];
    sqlite3 *db = NULL;
    long rows;
    snprintf(path, sizeof(path), "%s", test_path("control.db"));
    snprintf(shm, sizeof(shm), "%s-shm", path);
    reset_db(path);
    shim_install(1);
    shim_set(SHIM_PASS, 0, 0);
    if (sqlite3_open(path, &db) == SQLITE_OK) {
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t(x); PRAGMA synchronous = FULL",
                     NULL, NULL, NULL);
        sqlite3_exec(db, "INSERT INTO t VALUES (0)", NULL, NULL, NULL);
        shim_set(SHIM_CRASH, 0, 0);
        sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
        for (int i = 1; i <= 20; i++)
            sqlite3_exec(db, "INSERT INTO t VALUES (1)", NULL, NULL, NULL);
        shim.crashed = 1;
    }
    sqlite3_close(db);
    unlink(shm);
    shim_set(SHIM_PASS, 0, 0);
    rows = test_sql_scalar(path, "SELECT count(*) FROM t");
    shim_install(0);
    printf("power cut control: synchronous=OFF kept %ld of 21 committed rows\n", rows);
    CHECK(rows == 1);
}

/* A merge is one transaction: a power cut at any point leaves the database
 * either as it was or with the whole source merged, never half. */
static void test_merge_power_cut(void)
{
    char src[1024], path[1024], shm[1100];
    struct store *s;
    struct err err = {{0}};
    struct store_merge_stats ms;
    int total_ops, points = 0, torn_merges = 0, bad = 0, committed_lost = 0;
    snprintf(src, sizeof(src), "%s", test_path("merge-src.db"));
    snprintf(path, sizeof(path), "%s", test_path("merge-dst.db"));
    snprintf(shm, sizeof(shm), "%s-shm", path);

    remove_db(src);
    s = open_ok(src, "kiosk-src");
    for (int i = 0; s && i < 20; i++) {
        struct contact c;
        char id[KIOSK_ID_LEN], inter[KIOSK_ID_LEN];
        struct store_scan sc = {(const unsigned char *)"x", 1, "plain", NULL, "booth", "camera"};
        struct store_interaction in = {"lead", NULL, NULL, "op", T0, 0, "card", "v1", "", "none"};
        contact_clear(&c);
        snprintf(c.ref, sizeof(c.ref), "M-%d", i);
        snprintf(c.display_name, sizeof(c.display_name), "Merged %d", i);
        CHECK(store_attendee_upsert(s, &c, "badge", T0 + i, id, &err) == 0);
        sc.attendee_id = id;
        in.a_id = id;
        CHECK(store_scan_add(s, &sc, T0 + i, NULL, &err) == 0);
        CHECK(store_interaction_add(s, &in, T0 + i, inter, &err) == 0);
        CHECK(store_note_append(s, inter, "op", "note", T0 + i, &err) == 0);
    }
    store_close(s);

    /* Dry run for the op count. */
    reset_db(path);
    shim_install(1);
    shim_set(SHIM_PASS, 0, 0);
    s = open_ok(path, "k");
    shim_set(SHIM_CRASH, 0, 0);
    CHECK(s && store_merge(s, src, T0, &ms, &err) == 0);
    total_ops = (int)shim.ops;
    store_close(s);
    shim_install(0);

    for (int n = 1; n <= total_ops + 1; n++) {
        int merged;
        long scans, attendees, notes;
        reset_db(path);
        shim_install(1);
        shim_set(SHIM_PASS, 0, 0);
        s = open_ok(path, "k");
        shim_set(SHIM_CRASH, n, 0);
        shim.torn = n % 2;
        shim.rng = (unsigned)n * 2654435761u;
        merged = s && store_merge(s, src, T0, &ms, &err) == 0;
        shim.crashed = 1;
        store_close(s);
        unlink(shm);
        shim_set(SHIM_PASS, 0, 0);
        shim.torn = 0;
        scans = test_sql_scalar(path, "SELECT count(*) FROM scans");
        attendees = test_sql_scalar(path, "SELECT count(*) FROM attendees");
        notes = test_sql_scalar(path, "SELECT count(*) FROM notes");
        s = NULL;
        if (store_open_readonly(&s, path, &err) < 0 || store_check(s, &err) < 0)
            bad++;
        store_close(s);
        shim_install(0);
        points++;
        if (!((scans == 0 && attendees == 0 && notes == 0) ||
              (scans == 20 && attendees == 20 && notes == 20))) {
            torn_merges++;
            fprintf(stderr, "merge crash point %d: %ld scans, %ld attendees, %ld notes\n", n, scans,
                    attendees, notes);
        }
        if (merged && scans != 20)
            committed_lost++;
    }
    printf("merge power cut: %d crash points, %d half-merged, %d committed merges lost, %d "
           "failed integrity\n",
           points, torn_merges, committed_lost, bad);
    CHECK(points > 5);
    CHECK(torn_merges == 0);
    CHECK(committed_lost == 0);
    CHECK(bad == 0);
}

static void test_faults(void)
{
    static const struct {
        int code;
        const char *name, *want;
    } faults[] = {{SQLITE_IOERR_WRITE, "write error", "disk I/O error"},
                  {SQLITE_IOERR_FSYNC, "fsync error", "disk I/O error"},
                  {SQLITE_FULL, "disk full", "full"}};
    char path[1024], saved[WORK_SCANS * 2][KIOSK_ID_LEN];
    int total_ops = 0, runs = 0, lost = 0, bad = 0, unclear = 0, stuck = 0;
    snprintf(path, sizeof(path), "%s", test_path("fault.db"));

    /* Dry run for the op count. */
    reset_db(path);
    shim_install(1);
    shim_set(SHIM_PASS, 0, 0);
    {
        struct store *s = open_ok(path, "k");
        int nsaved;
        shim_set(SHIM_FAULT, 0, 0);
        if (s)
            workload(s, path, saved, &nsaved, 0, NULL, 0);
        total_ops = (int)shim.ops;
        store_close(s);
    }
    shim_install(0);

    for (size_t f = 0; f < sizeof(faults) / sizeof(faults[0]); f++) {
        for (int n = 1; n <= total_ops; n += 4) {
            struct store *s;
            char msg[KIOSK_MSG_MAX] = "";
            int nsaved = 0, more = 0, integrity_ok, missing;
            reset_db(path);
            shim_install(1);
            shim_set(SHIM_PASS, 0, 0);
            s = open_ok(path, "k");
            if (!s) {
                shim_install(0);
                continue;
            }
            /* The fault starts at op n and lasts until cleared. */
            shim_set(SHIM_FAULT, n, faults[f].code);
            workload(s, path, saved, &nsaved, 1, msg, sizeof(msg));
            if (shim.faulting && msg[0]) { /* (a fault may hit only the checkpointer) */
                if (!strstr(msg, "saving a scan") || !strstr(msg, faults[f].want)) {
                    unclear++;
                    fprintf(stderr, "%s at op %d: unclear error \"%s\"\n", faults[f].name, n, msg);
                }
            }
            /* The fault clears: the same open store must save again. */
            shim_set(SHIM_PASS, 0, 0);
            workload(s, path, saved + nsaved, &more, 0, NULL, 0);
            if (more != WORK_SCANS)
                stuck++;
            store_close(s);
            missing = verify(path, saved, nsaved + more, &integrity_ok);
            shim_install(0);
            runs++;
            lost += missing;
            bad += !integrity_ok;
        }
    }
    printf("faults: %d runs (write error, fsync error, disk full at every 4th of %d ops), "
           "%d lost, %d failed integrity, %d unclear errors, %d did not recover\n",
           runs, total_ops, lost, bad, unclear, stuck);
    CHECK(runs > 0);
    CHECK(lost == 0);
    CHECK(bad == 0);
    CHECK(unclear == 0);
    CHECK(stuck == 0);
}

/* Disk full for real: a 1 MiB tmpfs (root only; skipped otherwise, the
 * SQLITE_FULL fault above covers the logic). */
static void test_disk_full(void)
{
    char dir[1024], path[1100];
    struct store *s;
    struct err err = {{0}};
    int saved = 0, after = 0, integrity_ok;
    char first[KIOSK_MSG_MAX] = "";
    static char ids[4000][KIOSK_ID_LEN];

    snprintf(dir, sizeof(dir), "%s", test_path("small"));
    mkdir(dir, 0700);
    if (mount("tmpfs", dir, "tmpfs", 0, "size=1m") != 0) {
        printf("disk full: skipped the tmpfs test (%s); covered by the SQLITE_FULL fault\n",
               strerror(errno));
        rmdir(dir);
        return;
    }
    snprintf(path, sizeof(path), "%s/kiosk.db", dir);
    s = open_ok(path, "k");
    for (int i = 0; s && i < 4000; i++) {
        char payload[2048];
        struct store_scan sc = {
            (const unsigned char *)payload, sizeof(payload), "plain", NULL, "handshake", "camera"};
        memset(payload, 'a' + i % 26, sizeof(payload));
        if (store_scan_add(s, &sc, T0 + i, ids[saved], &err) < 0) {
            snprintf(first, sizeof(first), "%s", err.msg);
            break;
        }
        saved++;
    }
    printf("disk full: %d scans saved on a 1 MiB tmpfs, then: %s\n", saved, first);
    CHECK(saved > 10);
    CHECK(strstr(first, "full") != NULL);
    CHECK(s && store_check(s, &err) == 0);
    /* Space returns: the same open store saves again. */
    CHECK(mount("tmpfs", dir, "tmpfs", MS_REMOUNT, "size=4m") == 0);
    for (int i = 0; s && i < 20; i++) {
        char payload[2048];
        struct store_scan sc = {
            (const unsigned char *)payload, sizeof(payload), "plain", NULL, "handshake", "camera"};
        memset(payload, 'z', sizeof(payload));
        if (store_scan_add(s, &sc, T0 + 5000 + i, ids[saved + after], &err) == 0)
            after++;
    }
    printf("disk full: after the space returned, %d of 20 scans saved\n", after);
    CHECK(after == 20);
    store_close(s);
    {
        /* verify() takes a 2-D array of the same width. */
        int missing = verify(path, ids, saved + after, &integrity_ok);
        CHECK(missing == 0);
        CHECK(integrity_ok);
    }
    umount(dir);
    rmdir(dir);
}

/* ------------------------------------------------------------------------
 * Upgrades. tests/data/store/v1.db was written by the schema-1 store (its
 * generator, gen_v1.c, says what it holds): alice and bob met, gina was
 * forgotten at T0+10000 and registered again at T0+20000.
 */
#define V1_FORGOTTEN (T0 + 10000)

static int copy_v1(const char *path)
{
    size_t n = 0;
    char *bytes = test_read_file(test_data("store/v1.db"), &n);
    int r;
    remove_db(path);
    r = bytes && n > 0 ? write_file(path, bytes, n) : -1;
    free(bytes);
    chmod(path, 0600);
    return r;
}

/* The v1 data, whatever the schema: 3 attendees, gina's old scan erased. */
static void check_v1_data(const char *p)
{
    char sql[256];
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendees") == 3);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM scans") == 3);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM interactions") == 1);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM notes") == 1);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM forgotten WHERE at = %lld",
             (long long)V1_FORGOTTEN);
    CHECK(test_sql_scalar(p, sql) == 1);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendees WHERE ref = 'T-GINA' AND "
                             "display_name = 'Gina G.'") == 1);
}

static void test_upgrade_v1(void)
{
    char p[1024], src[1024], gina[KIOSK_ID_LEN], x[KIOSK_ID_LEN];
    struct store *s;
    struct err err = {{0}};
    struct store_erase_counts ec;
    struct store_merge_stats ms;
    struct contact c;

    snprintf(p, sizeof(p), "%s", test_path("v1.db"));
    if (copy_v1(p) < 0) {
        test_failed++;
        return;
    }
    CHECK(test_sql_scalar(p, "PRAGMA user_version") == 1);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM sqlite_master WHERE name = 'attendee_ids'") ==
          0);
    check_v1_data(p);
    /* A job queued by a v1 kiosk: it upgrades with no language (English). */
    test_sql(p, "INSERT INTO print_jobs(id, kiosk_id, kind, created_at, updated_at) "
                "VALUES ('job-v1', 'kiosk-v1', 'test', 1, 1)");
    /* A v1 file cannot be merged before it is upgraded. */
    s = NULL;
    CHECK(store_open_readonly(&s, p, &err) < 0);
    CHECK(strstr(err.msg, "schema 1") != NULL);

    s = open_ok(p, "");
    if (!s)
        return;
    CHECK(store_schema_version(s) == 2);
    CHECK_STR(store_kiosk_id(s), "kiosk-v1");
    CHECK(store_check(s, &err) == 0);
    store_close(s);
    CHECK(test_sql_scalar(p, "PRAGMA user_version") == 2);
    check_v1_data(p);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM print_jobs WHERE id = 'job-v1' AND "
                             "lang = ''") == 1);
    /* Every attendee is its own first id, with its creation time. */
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendee_ids i JOIN attendees a ON a.id = "
                             "i.id AND a.id = i.attendee_id AND a.created_at = i.created_at") == 3);
    CHECK(test_sql_scalar(p, "PRAGMA foreign_key_check") == -1);

    /* Forget works on it. */
    s = open_ok(p, "");
    if (!s)
        return;
    CHECK(store_forget(s, "T-BOB", "test", T0 + 30000, &ec, &err) == 0);
    CHECK(ec.attendees == 1 && ec.interactions == 1 && ec.notes == 1 && ec.scans == 1);
    CHECK(store_attendee_find(s, "T-GINA", NULL, gina, &err) == 0);
    store_close(s);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendee_ids") == 2);

    /* Merge works on it: a kiosk that met gina before her erasure (and
     * never since) brings nothing of her; alice's later copy merges in. */
    snprintf(src, sizeof(src), "%s", test_path("v2-other.db"));
    remove_db(src);
    s = open_ok(src, "kiosk-other");
    if (!s)
        return;
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "T-GINA");
    snprintf(c.display_name, sizeof(c.display_name), "Gina Old");
    CHECK(store_attendee_upsert(s, &c, "badge", T0 + 50, x, &err) == 0);
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "T-ALICE");
    snprintf(c.display_name, sizeof(c.display_name), "Alice Later");
    CHECK(store_attendee_upsert(s, &c, "badge", T0 + 40000, x, &err) == 0);
    store_close(s);
    s = open_ok(p, "");
    if (!s)
        return;
    CHECK(store_merge(s, src, T0 + 50000, &ms, &err) == 0);
    CHECK(ms.attendees_new == 0);
    store_close(s);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendees") == 2);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendees WHERE display_name = 'Gina Old'") ==
          0);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendees WHERE display_name = "
                             "'Alice Later'") == 1);
    /* gina keeps her identity from the re-registration. */
    {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "SELECT created_at FROM attendees WHERE ref = 'T-GINA' AND id = '%s'", gina);
        CHECK(test_sql_scalar(p, sql) == T0 + 20000);
    }
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendee_ids") == 3);
    CHECK(test_sql_scalar(p, "PRAGMA foreign_key_check") == -1);

    /* And the upgraded file merges into a fresh database. */
    snprintf(src, sizeof(src), "%s", test_path("v2-fresh.db"));
    remove_db(src);
    s = open_ok(src, "kiosk-fresh");
    CHECK(s && store_merge(s, p, T0 + 60000, &ms, &err) == 0);
    CHECK(ms.attendees_new == 2);
    store_close(s);
}

/* The upgrade is one transaction: when it fails part-way (here: its last
 * statement meets an object of the same name), the file stays a v1 file
 * with none of the upgrade's tables, and opens once the obstacle is gone. */
static void test_upgrade_atomic(void)
{
    char p[1024];
    struct store *s = NULL;
    struct err err = {{0}};
    snprintf(p, sizeof(p), "%s", test_path("v1-blocked.db"));
    if (copy_v1(p) < 0) {
        test_failed++;
        return;
    }
    test_sql(p, "CREATE TRIGGER attendee_ids_log AFTER DELETE ON attendees BEGIN SELECT 1; END");
    CHECK(store_open(&s, p, "", T0, &err) < 0);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "attendee_ids_log") != NULL);
    CHECK(test_sql_scalar(p, "PRAGMA user_version") == 1);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                             "'attendee_ids%'") == 1); /* only the obstacle */
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM pragma_table_info('print_jobs') WHERE "
                             "name = 'lang'") == 0); /* the column went with the rest */
    check_v1_data(p);
    test_sql(p, "DROP TRIGGER attendee_ids_log");
    s = open_ok(p, "");
    CHECK(s && store_schema_version(s) == 2);
    store_close(s);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM pragma_table_info('print_jobs') WHERE "
                             "name = 'lang'") == 1);
}

/* One number from a file opened read-write (after a power cut a WAL file
 * may need recovery, which a read-only connection cannot do); -1 on error. */
static long rw_scalar(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* A power cut at every write or sync of the upgrade leaves either the v1
 * file or the whole v2 one, sound, with all the data. */
static void test_upgrade_power_cut(void)
{
    char p[1024], shm[1100];
    struct store *s;
    int total_ops, points = 0, v1 = 0, v2 = 0, bad = 0;
    snprintf(p, sizeof(p), "%s", test_path("v1-crash.db"));
    snprintf(shm, sizeof(shm), "%s-shm", p);

    if (copy_v1(p) < 0) {
        test_failed++;
        return;
    }
    shim_install(1);
    shim_set(SHIM_CRASH, 0, 0);
    s = open_ok(p, "");
    total_ops = (int)shim.ops;
    store_close(s);
    shim_install(0);

    for (int n = 1; n <= total_ops + 1; n++) {
        long version, ids;
        struct err err = {{0}};
        copy_v1(p);
        shim_install(1);
        shim_set(SHIM_CRASH, n, 0);
        shim.torn = n % 2;
        shim.rng = (unsigned)n * 2654435761u;
        s = NULL;
        if (store_open(&s, p, "", T0, &err) == 0)
            store_close(s);
        shim.crashed = 1;
        unlink(shm);
        shim_set(SHIM_PASS, 0, 0);
        shim.torn = 0;
        version = rw_scalar(p, "PRAGMA user_version");
        ids = rw_scalar(p, "SELECT count(*) FROM attendee_ids");
        s = NULL;
        if (store_open_readonly(&s, p, &err) == 0 && store_check(s, &err) < 0)
            bad++;
        store_close(s);
        shim_install(0);
        points++;
        if (version == 1 && ids == -1)
            v1++;
        else if (version == 2 && ids == 3)
            v2++;
        else {
            bad++;
            fprintf(stderr, "upgrade crash point %d: version %ld, %ld ids\n", n, version, ids);
        }
        check_v1_data(p);
        /* Either way the next open finishes the job. */
        s = open_ok(p, "");
        CHECK(s && store_schema_version(s) == 2);
        store_close(s);
    }
    printf("upgrade power cut: %d crash points, %d left v1, %d upgraded, %d bad\n", points, v1, v2,
           bad);
    CHECK(points > 3);
    CHECK(v1 > 0 && v2 > 0);
    CHECK(bad == 0);
}

/* Columns of foreign keys that no index starts with, as "table.column "
 * (SQLite's foreign_key_list and index_info pragmas, as table-valued
 * functions). Without such an index every cascade from an erased attendee
 * or interaction, and every rekey of a merge, reads the whole child table. */
static void unindexed_fks(const char *path, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    size_t used = 0;
    out[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            db,
            "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
            "WHERE m.type = 'table' AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) il, "
            "pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = f.\"from\") "
            "ORDER BY 1, 2",
            -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, size, "(cannot read the schema: %s)", db ? sqlite3_errmsg(db) : "no db");
    } else {
        while (sqlite3_step(st) == SQLITE_ROW && used + 1 < size)
            used += (size_t)snprintf(out + used, size - used, "%s.%s ",
                                     (const char *)sqlite3_column_text(st, 0),
                                     (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Every foreign key column leads an index, in a new file and in an
 * upgraded v1 file: forgetting a person or merging kiosks must not scan
 * follow-ups and print jobs once per erased row or rekeyed attendee. */
static void test_fk_indexed(void)
{
    char p[1024], missing[1024];
    struct store *s;
    snprintf(p, sizeof(p), "%s", test_path("fk-fresh.db"));
    remove_db(p);
    s = open_ok(p, "kiosk-fk");
    store_close(s);
    unindexed_fks(p, missing, sizeof(missing));
    if (missing[0])
        fprintf(stderr, "fresh database: foreign keys without an index: %s\n", missing);
    CHECK_STR(missing, "");

    snprintf(p, sizeof(p), "%s", test_path("fk-v1.db"));
    if (copy_v1(p) < 0) {
        test_failed++;
        return;
    }
    s = open_ok(p, "");
    store_close(s);
    unindexed_fks(p, missing, sizeof(missing));
    if (missing[0])
        fprintf(stderr, "upgraded v1: foreign keys without an index: %s\n", missing);
    CHECK_STR(missing, "");
}

/* Two kiosk processes opening the same v1 file at once (the kiosk service
 * starting while staff run `kiosk export`): both read schema 1, one
 * upgrades, and the other, once it has the write lock, must see that the
 * upgrade is done rather than run it again and fail on "already exists". */
struct opener {
    const char *path;
    int rc;
    int version;
    struct err err;
};

static void *open_thread(void *arg)
{
    struct opener *o = arg;
    struct store *s = NULL;
    o->rc = store_open(&s, o->path, "", T0, &o->err);
    o->version = s ? store_schema_version(s) : -1;
    store_close(s);
    return NULL;
}

static void test_upgrade_concurrent(void)
{
    char p[1024];
    sqlite3 *hold = NULL;
    struct opener o[2];
    pthread_t t[2];
    const struct timespec pause = {0, 300000000L};
    snprintf(p, sizeof(p), "%s", test_path("v1-concurrent.db"));
    if (copy_v1(p) < 0) {
        test_failed++;
        return;
    }
    /* A kiosk's v1 file is in WAL mode (store_open set it from the start;
     * the sample file is not). */
    test_sql(p, "PRAGMA journal_mode = WAL");
    /* Hold the write lock so both openers read schema 1 and then wait for
     * it (each in the busy handler of its BEGIN); the pauses let each get
     * that far. With no pause long enough the test proves less, never
     * fails wrongly. */
    CHECK(sqlite3_open_v2(p, &hold, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(hold, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    for (int i = 0; i < 2; i++) {
        memset(&o[i], 0, sizeof(o[i]));
        o[i].path = p;
        CHECK(pthread_create(&t[i], NULL, open_thread, &o[i]) == 0);
        nanosleep(&pause, NULL);
    }
    sqlite3_exec(hold, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(hold);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        if (o[i].rc != 0)
            fprintf(stderr, "concurrent upgrade, opener %d: %s\n", i, o[i].err.msg);
        CHECK(o[i].rc == 0 && o[i].version == 2);
    }
    CHECK(test_sql_scalar(p, "PRAGMA user_version") == 2);
    CHECK(test_sql_scalar(p, "SELECT count(*) FROM attendee_ids") == 3);
    check_v1_data(p);
}

int main(void)
{
    test_fk_indexed();
    test_upgrade_concurrent();
    test_migrate_and_reopen();
    test_refusals();
    test_constraints();
    test_ids();
    test_power_cut_control();
    test_power_cut();
    test_faults();
    test_merge_power_cut();
    test_disk_full();
    test_upgrade_v1();
    test_upgrade_atomic();
    test_upgrade_power_cut();
    free(template_bytes);
    return test_done();
}
