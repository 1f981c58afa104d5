/*
 * test.h - the smallest test harness that does the job.
 *
 * CHECK(cond) records a failure with file:line and keeps going; the program
 * ends with test_done(), which prints "N passed, N failed" and returns the
 * exit status. test_tmpdir() gives a fresh private directory per program.
 */
#ifndef KIOSK_TEST_H
#define KIOSK_TEST_H

#include <stddef.h>

extern int test_passed, test_failed;

void test_fail(const char *file, int line, const char *expr);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond)                                                                                  \
            test_passed++;                                                                         \
        else                                                                                       \
            test_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)

#define CHECK_STR(a, b) CHECK_STR_((a), (b), __FILE__, __LINE__, #a " == " #b)
void CHECK_STR_(const char *a, const char *b, const char *file, int line, const char *expr);

/* A fresh directory under $TMPDIR (or /tmp), removed by test_done(). */
const char *test_tmpdir(void);
/* Join test_tmpdir() and name into a static buffer (valid until the next call). */
const char *test_path(const char *name);
/* Path of a file under tests/data/. Static buffer. */
const char *test_data(const char *name);
/* Read a whole file; caller frees. NULL on error. */
char *test_read_file(const char *path, size_t *len);

/* SQLite files the store tests set up and inspect behind the store's back.
 * Each call opens path, runs sql with foreign keys on, and closes it.
 * test_sql: a failure is a test failure (SQLite's message and the SQL go to
 * stderr). test_sql_try: quiet, for SQL that is meant to fail; 0 or -1.
 * test_sql_scalar: the first column of the first row, the file opened
 * read-only; -1 when the query fails or returns no row. */
void test_sql(const char *path, const char *sql);
int test_sql_try(const char *path, const char *sql);
long test_sql_scalar(const char *path, const char *sql);

int test_done(void);

#endif
