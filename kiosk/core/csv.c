/*
 * csv.c - RFC 4180 reading, one record at a time, from a read callback.
 *
 * Owns: the quoting state machine, line counting for error messages,
 * delimiter sniffing, BOM skipping, and the hard caps from limits.h.
 * A record that breaks a cap is consumed to its end (quotes respected) and
 * reported as CSV_BAD so the caller can name its line and go on.
 * Never: allocates per record (one struct holds everything), trims or
 * rewrites field contents, or reads past the record it returns.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define CSV_INBUF 16384
#define STR(x)    #x
#define XSTR(x)   STR(x)

struct csv {
    csv_read_fn read;
    void *ctx;
    /* memory source for csv_new_mem */
    const char *mem;
    size_t mem_len, mem_pos;

    char in[CSV_INBUF];
    size_t in_len, in_pos;
    int eof, read_error, started;

    char delim;
    long line;     /* physical line of the next byte */
    long row_line; /* line where the current record began */

    char row[KIOSK_CSV_ROW_MAX];
    size_t row_len;
    size_t field_start[KIOSK_CSV_FIELDS_MAX];
    int nfields;
};

static long mem_read(void *ctx, char *buf, size_t size)
{
    struct csv *c = ctx;
    size_t n = c->mem_len - c->mem_pos;
    if (n > size)
        n = size;
    memcpy(buf, c->mem + c->mem_pos, n);
    c->mem_pos += n;
    return (long)n;
}

struct csv *csv_new(csv_read_fn read, void *ctx, char delim, struct err *err)
{
    struct csv *c;
    if (delim != 0 && delim != ',' && delim != ';' && delim != '\t') {
        err_set(err, "CSV delimiter must be ',' ';' or TAB");
        return NULL;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        err_set(err, "out of memory");
        return NULL;
    }
    c->read = read;
    c->ctx = ctx;
    c->delim = delim;
    c->line = 1;
    return c;
}

struct csv *csv_new_mem(const char *data, size_t len, char delim, struct err *err)
{
    struct csv *c = csv_new(mem_read, NULL, delim, err);
    if (!c)
        return NULL;
    c->ctx = c;
    c->mem = data;
    c->mem_len = len;
    return c;
}

void csv_free(struct csv *c)
{
    free(c);
}

/* Make at least one unread byte available; 0 at end/error. */
static int fill(struct csv *c)
{
    long n;
    if (c->in_pos < c->in_len)
        return 1;
    if (c->eof)
        return 0;
    n = c->read(c->ctx, c->in, sizeof(c->in));
    if (n < 0) {
        c->read_error = 1;
        c->eof = 1;
        return 0;
    }
    if (n == 0) {
        c->eof = 1;
        return 0;
    }
    c->in_len = (size_t)n;
    c->in_pos = 0;
    return 1;
}

#define END (-1)

static int get(struct csv *c)
{
    if (!fill(c))
        return END;
    return (unsigned char)c->in[c->in_pos++];
}

static int peek(struct csv *c)
{
    if (!fill(c))
        return END;
    return (unsigned char)c->in[c->in_pos];
}

/* Called on '\r' or '\n' just read: swallow the LF of a CRLF, count the line. */
static void end_of_line(struct csv *c, int ch)
{
    if (ch == '\r' && peek(c) == '\n')
        c->in_pos++;
    c->line++;
}

/* Before the first record: read until the buffer holds the first line (or
 * is full, or the input ends), so the BOM check and sniffing see it whole
 * however small the reads are. */
static void prefill(struct csv *c)
{
    while (!c->eof && c->in_len < sizeof(c->in) && !memchr(c->in, '\n', c->in_len) &&
           !memchr(c->in, '\r', c->in_len)) {
        long n = c->read(c->ctx, c->in + c->in_len, sizeof(c->in) - c->in_len);
        if (n < 0)
            c->read_error = 1;
        if (n <= 0) {
            c->eof = 1;
            break;
        }
        c->in_len += (size_t)n;
    }
}

/* Choose the delimiter from the first record in the buffer. */
static void sniff(struct csv *c)
{
    long counts[3] = {0, 0, 0};
    static const char cand[3] = {',', ';', '\t'};
    int quoted = 0, best = 0;
    for (size_t i = c->in_pos; i < c->in_len; i++) {
        char ch = c->in[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == '\n' || ch == '\r'))
            break;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                if (ch == cand[k])
                    counts[k]++;
    }
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    c->delim = cand[best];
}

/* Mark the record bad; the first reason is the one reported. */
static void fail_row(int *bad, struct err *err, const char *msg, int field)
{
    if (!*bad) {
        if (field >= 0)
            err_set(err, "field %d: %s", field + 1, msg);
        else
            err_set(err, "%s", msg);
    }
    *bad = 1;
}

enum csv_result csv_next(struct csv *c, struct err *err)
{
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state;
    int bad, quoted_any;
    size_t field_len;

    if (!c->started) {
        c->started = 1;
        prefill(c);
        if (c->in_len - c->in_pos >= 3 && memcmp(c->in + c->in_pos, "\xEF\xBB\xBF", 3) == 0)
            c->in_pos += 3;
        if (!c->delim)
            sniff(c);
    }

next_record:
    state = FIELD_START;
    bad = 0;
    quoted_any = 0;
    c->row_len = 0;
    c->nfields = 0;
    c->row_line = c->line;
    field_len = 0;
    if (peek(c) == END)
        return c->read_error ? (err_set(err, "read error"), CSV_ERROR) : CSV_EOF;

    for (;;) {
        int ch = get(c);
        int end_field = 0, end_record = 0;

        if (ch == 0) {
            fail_row(&bad, err, "NUL byte in the data", c->nfields);
            ch = ' '; /* keep scanning for the end of the record */
        }
        switch (state) {
        case FIELD_START:
            if (ch == '"') {
                state = QUOTED;
                quoted_any = 1;
                continue;
            }
            state = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            if (ch == END)
                end_record = 1;
            else if (ch == c->delim)
                end_field = 1;
            else if (ch == '\r' || ch == '\n') {
                end_of_line(c, ch);
                end_record = 1;
            }
            break;
        case QUOTED:
            if (ch == END) {
                if (c->read_error) {
                    err_set(err, "read error");
                    return CSV_ERROR;
                }
                err_set(err, "a quoted field opened on line %ld is never closed", c->row_line);
                return CSV_ERROR;
            }
            if (ch == '"') {
                state = QUOTE_IN_QUOTED;
                continue;
            }
            if (ch == '\r' || ch == '\n') {
                /* a line break inside quotes is data; keep it as one '\n' */
                end_of_line(c, ch);
                ch = '\n';
            }
            break;
        case QUOTE_IN_QUOTED:
            if (ch == '"') {
                state = QUOTED;
                break; /* "" is one quote */
            }
            if (ch == END)
                end_record = 1;
            else if (ch == c->delim)
                end_field = 1;
            else if (ch == '\r' || ch == '\n') {
                end_of_line(c, ch);
                end_record = 1;
            } else {
                fail_row(&bad, err, "text after a closing quote", c->nfields);
                state = UNQUOTED;
                continue;
            }
            break;
        }

        if (end_field || end_record) {
            if (!bad) {
                if (c->nfields >= KIOSK_CSV_FIELDS_MAX) {
                    fail_row(&bad, err, "more than " XSTR(KIOSK_CSV_FIELDS_MAX) " fields", -1);
                } else if (c->row_len + 1 > sizeof(c->row)) {
                    fail_row(&bad, err, "record longer than " XSTR(KIOSK_CSV_ROW_MAX) " bytes", -1);
                } else {
                    c->row[c->row_len++] = '\0';
                    c->field_start[c->nfields++] = c->row_len - field_len - 1;
                }
            }
            field_len = 0;
            state = FIELD_START;
            if (end_record) {
                /* A blank line is one empty unquoted field: skip it. */
                if (!bad && c->nfields == 1 && c->row_len == 1 && !quoted_any) {
                    if (ch == END)
                        return c->read_error ? (err_set(err, "read error"), CSV_ERROR) : CSV_EOF;
                    goto next_record;
                }
                if (c->read_error) {
                    err_set(err, "read error");
                    return CSV_ERROR;
                }
                return bad ? CSV_BAD : CSV_ROW;
            }
            continue;
        }

        if (bad)
            continue;
        if (field_len >= KIOSK_CSV_FIELD_MAX) {
            fail_row(&bad, err, "longer than " XSTR(KIOSK_CSV_FIELD_MAX) " bytes", c->nfields);
            continue;
        }
        if (c->row_len + 2 > sizeof(c->row)) {
            fail_row(&bad, err, "record longer than " XSTR(KIOSK_CSV_ROW_MAX) " bytes", -1);
            continue;
        }
        c->row[c->row_len++] = (char)ch;
        field_len++;
    }
}

int csv_nfields(const struct csv *c)
{
    return c->nfields;
}

const char *csv_field(const struct csv *c, int i)
{
    if (i < 0 || i >= c->nfields)
        return "";
    return c->row + c->field_start[i];
}

long csv_line(const struct csv *c)
{
    return c->row_line;
}

char csv_delim(const struct csv *c)
{
    return c->delim;
}
