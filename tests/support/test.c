/* test.c - see test.h. */
#include "test.h"

#include <ftw.h>
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
    fprintf(stderr, "%s:%d: FAILED: %s\n  got:      \"%s\"\n  expected: \"%s\"\n", file, line,
            expr, a ? a : "(null)", b ? b : "(null)");
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
