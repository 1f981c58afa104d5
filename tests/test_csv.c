/* test_csv.c - the RFC 4180 reader: quoting, line numbers, limits, sniffing,
 * and byte-at-a-time input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "test.h"

struct drip {
    const char *data;
    size_t len, pos;
    long fail_at; /* return -1 once pos reaches this (-1 = never) */
};

/* Hands out one byte per call: every state must survive a refill. */
static long drip_read(void *ctx, char *buf, size_t size)
{
    struct drip *d = ctx;
    if (d->fail_at >= 0 && (long)d->pos >= d->fail_at)
        return -1;
    if (d->pos >= d->len || size == 0)
        return 0;
    buf[0] = d->data[d->pos++];
    return 1;
}

/* Read all of s; render records as "line:f1|f2|...;" and bad ones as
 * "line:BAD;" into out. Returns the last result. */
static enum csv_result dump(const char *s, size_t len, char delim, int drip, char *out, size_t size)
{
    struct err err = {{0}};
    struct drip d = {s, len, 0, -1};
    struct csv *c = drip ? csv_new(drip_read, &d, delim, &err) : csv_new_mem(s, len, delim, &err);
    enum csv_result r;
    size_t used = 0;
    out[0] = '\0';
    if (!c)
        return CSV_ERROR;
    while ((r = csv_next(c, &err)) == CSV_ROW || r == CSV_BAD) {
        used += (size_t)snprintf(out + used, size - used, "%ld:", csv_line(c));
        if (r == CSV_BAD) {
            used += (size_t)snprintf(out + used, size - used, "BAD;");
            continue;
        }
        for (int i = 0; i < csv_nfields(c); i++)
            used +=
                (size_t)snprintf(out + used, size - used, "%s%s", i ? "|" : "", csv_field(c, i));
        used += (size_t)snprintf(out + used, size - used, ";");
    }
    csv_free(c);
    return r;
}

static void both(const char *s, char delim, const char *want, enum csv_result last)
{
    char out[4096];
    for (int drip = 0; drip <= 1; drip++) {
        enum csv_result r = dump(s, strlen(s), delim, drip, out, sizeof(out));
        CHECK_STR(out, want);
        CHECK(r == last);
    }
}

static void test_grammar(void)
{
    both("a,b,c\n1,2,3\n", 0, "1:a|b|c;2:1|2|3;", CSV_EOF);
    both("a,b\r\n1,2", 0, "1:a|b;2:1|2;", CSV_EOF); /* no final newline */
    both("a,b\r1,2\r", 0, "1:a|b;2:1|2;", CSV_EOF); /* lone CR */
    both("\"x,y\",\"say \"\"hi\"\"\"\n", 0, "1:x,y|say \"hi\";", CSV_EOF);
    both("\"two\r\nlines\",z\nnext,row\n", 0, "1:two\nlines|z;3:next|row;", CSV_EOF);
    both("a,,\n,\n", 0, "1:a||;2:|;", CSV_EOF);     /* empty fields */
    both("\n\na\n\n\nb\n", 0, "3:a;6:b;", CSV_EOF); /* blank lines skipped */
    both("\"\"\n", 0, "1:;", CSV_EOF);              /* a quoted empty field is a record */
    both("\xEF\xBB\xBFname;mail\nJo;jo@x\n", 0, "1:name|mail;2:Jo|jo@x;", CSV_EOF);
    both("a\tb\tc,d\n", 0, "1:a|b|c,d;", CSV_EOF);   /* TAB sniffed */
    both("\"a;b\",c;d\n", 0, "1:a;b|c;d;", CSV_EOF); /* quotes hide ';' from sniffing */
    both("a;b\n", ',', "1:a;b;", CSV_EOF);           /* forced delimiter */
    both("it's a \"quote\",x\n", 0, "1:it's a \"quote\"|x;",
         CSV_EOF); /* bare quote mid-field kept */
    both("", 0, "", CSV_EOF);
    both("\xEF\xBB\xBF", 0, "", CSV_EOF);
}

static void test_bad_rows(void)
{
    char out[4096];
    char *big;
    size_t n;
    struct err err = {{0}};
    struct csv *c;

    /* Text after a closing quote: that record is bad, the next is read. */
    both("h1,h2\n\"a\"b,c\nok,1\n", 0, "1:h1|h2;2:BAD;3:ok|1;", CSV_EOF);
    /* NUL byte. */
    {
        static const char nul[] = "a,b\nx\0y,z\nq,r\n";
        CHECK(dump(nul, sizeof(nul) - 1, 0, 0, out, sizeof(out)) == CSV_EOF);
        CHECK_STR(out, "1:a|b;2:BAD;3:q|r;");
    }
    /* Unterminated quote: a hard error naming the line it opened on. */
    c = csv_new_mem("a\n\"open,\nmore\n", 14, 0, &err);
    CHECK(csv_next(c, &err) == CSV_ROW);
    CHECK(csv_next(c, &err) == CSV_ERROR);
    CHECK(strstr(err.msg, "line 2") != NULL);
    csv_free(c);

    /* A field at the limit passes; one byte more is a bad row, and the
     * reader resumes at the next record (even inside quotes). */
    n = KIOSK_CSV_FIELD_MAX + 64;
    big = malloc(3 * n);
    memset(big, 'x', KIOSK_CSV_FIELD_MAX);
    memcpy(big + KIOSK_CSV_FIELD_MAX, "\n\"", 2);
    memset(big + KIOSK_CSV_FIELD_MAX + 2, 'y', KIOSK_CSV_FIELD_MAX + 1);
    memcpy(big + 2 * KIOSK_CSV_FIELD_MAX + 3, "\n,\"\nafter,1\n", 12);
    c = csv_new_mem(big, 2 * KIOSK_CSV_FIELD_MAX + 15, ',', &err);
    CHECK(csv_next(c, &err) == CSV_ROW);
    CHECK(strlen(csv_field(c, 0)) == KIOSK_CSV_FIELD_MAX);
    CHECK(csv_next(c, &err) == CSV_BAD);
    CHECK(csv_line(c) == 2);
    CHECK(strstr(err.msg, "field 1") != NULL);
    CHECK(csv_next(c, &err) == CSV_ROW);
    CHECK(csv_line(c) == 4);
    CHECK_STR(csv_field(c, 0), "after");
    CHECK(csv_next(c, &err) == CSV_EOF);
    csv_free(c);

    /* Too many fields. */
    n = 0;
    for (int i = 0; i <= KIOSK_CSV_FIELDS_MAX; i++)
        big[n++] = ',';
    memcpy(big + n, "\nz\n", 3);
    c = csv_new_mem(big, n + 3, ',', &err);
    CHECK(csv_next(c, &err) == CSV_BAD);
    CHECK(strstr(err.msg, "fields") != NULL);
    CHECK(csv_next(c, &err) == CSV_ROW);
    CHECK_STR(csv_field(c, 0), "z");
    csv_free(c);
    free(big);

    /* A read error is reported as an error, not as end of input. */
    {
        struct drip d = {"a,b\nc,d\n", 8, 0, 5};
        c = csv_new(drip_read, &d, 0, &err);
        CHECK(csv_next(c, &err) == CSV_ROW);
        CHECK(csv_next(c, &err) == CSV_ERROR);
        csv_free(c);
    }
    CHECK(csv_new_mem("", 0, '|', &err) == NULL);
}

int main(void)
{
    test_grammar();
    test_bad_rows();
    return test_done();
}
