/* test.c - see test.h. */
#include "test.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int test_passed, test_failed;
static char tmpdir[512];

void test_fail(const char *file, int line, const char *expr)
{
    test_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, expr);
}

void CHECK_STR_(const char *a, const char *b, const char *file, int line, const char *expr)
{
    if (a && b && strcmp(a, b) == 0) {
        test_passed++;
        return;
    }
    test_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s\n  got:      \"%s\"\n  expected: \"%s\"\n", file, line, expr,
            a ? a : "(null)", b ? b : "(null)");
}

const char *test_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof(tmpdir), "%s/kiosk-test-XXXXXX", base ? base : "/tmp");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(1);
        }
    }
    return tmpdir;
}

const char *test_path(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof(buf), "%s/%s", test_tmpdir(), name);
    return buf;
}

const char *test_data(const char *name)
{
    static char buf[1024];
    const char *d = getenv("TESTDATA");
    snprintf(buf, sizeof(buf), "%s/%s", d ? d : KIOSK_SOURCE_DIR "/tests/data", name);
    return buf;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            if (len)
                *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int test_done(void)
{
    if (tmpdir[0] && !getenv("KIOSK_KEEP_TMP"))
        nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

static int run_sql(const char *path, const char *sql, char **msg)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK) {
        sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        rc = sqlite3_exec(db, sql, NULL, NULL, msg);
    }
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

void test_sql(const char *path, const char *sql)
{
    char *msg = NULL;
    if (run_sql(path, sql, &msg) < 0) {
        test_failed++;
        fprintf(stderr, "sql failed on %s: %s\n  %s\n", path, msg ? msg : "?", sql);
    }
    sqlite3_free(msg);
}

int test_sql_try(const char *path, const char *sql)
{
    return run_sql(path, sql, NULL);
}

long test_sql_scalar(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}
