/*
 * test_script.c - the event-script parser's error messages: a failing line
 * is named with the reason, read from a real (missing) file.
 */
#include <stdio.h>
#include <string.h>

#include "script.h"
#include "test.h"

static void test_scanfile_missing(void)
{
    static const char text[] = "# a comment\nscanfile /nonexistent/badge.txt\n";
    struct script s;
    struct err err = {{0}};
    CHECK(script_parse(&s, text, strlen(text), NULL, &err) < 0);
    CHECK(strncmp(err.msg, "line 2: ", 8) == 0);
    CHECK(strstr(err.msg, "/nonexistent/badge.txt") != NULL);
    CHECK(strstr(err.msg + 8, "line 2: ") == NULL); /* the prefix once, not repeated */
    if (!strstr(err.msg, "/nonexistent/badge.txt"))
        fprintf(stderr, "message: %s\n", err.msg);
}

int main(void)
{
    test_scanfile_missing();
    return test_done();
}
