/*
 * csv.h - a streaming RFC 4180 CSV reader with bounded fields and rows.
 *
 * Bytes come from a read callback (a file, stdin, memory), so the reader
 * never opens anything itself and holds one record at a time: a roster of a
 * million rows costs the same memory as one of ten.
 */
#ifndef KIOSK_CSV_H
#define KIOSK_CSV_H

#include <stddef.h>

#include "err.h"
#include "limits.h"

/* Fill buf with up to size bytes. Returns the count, 0 at end of input,
 * -1 on a read error. */
typedef long (*csv_read_fn)(void *ctx, char *buf, size_t size);

struct csv;

enum csv_result {
    CSV_ERROR = -1, /* read error or an unterminated quote at end of input; stop */
    CSV_EOF = 0,    /* no more records */
    CSV_ROW = 1,    /* a record is available through csv_field() */
    CSV_BAD = 2     /* this record was unreadable (err says why, csv_line where);
                       it was skipped and the next call reads the next one */
};

/*
 * A reader over read(ctx). delim is ',' ';' or '\t', or 0 to sniff it from
 * the first record (the most frequent of , ; TAB outside quotes; ',' on a
 * tie). A UTF-8 byte order mark at the start is skipped. Returns NULL (err
 * set) when out of memory or delim is not one of those. Free with csv_free.
 */
struct csv *csv_new(csv_read_fn read, void *ctx, char delim, struct err *err);
void csv_free(struct csv *c); /* accepts NULL */

/* A reader over a memory buffer (borrowed; must outlive the reader). */
struct csv *csv_new_mem(const char *data, size_t len, char delim, struct err *err);

/*
 * Read the next record. Quoted fields may hold the delimiter, "" and line
 * breaks; CRLF, LF and lone CR end records; blank lines are skipped. Fields
 * longer than KIOSK_CSV_FIELD_MAX bytes, records of more than
 * KIOSK_CSV_FIELDS_MAX fields or KIOSK_CSV_ROW_MAX bytes, text after a
 * closing quote and NUL bytes make the record CSV_BAD (never truncated).
 * Fields are returned as read: no trimming, no UTF-8 check (the caller
 * knows what a field means).
 */
enum csv_result csv_next(struct csv *c, struct err *err);

int csv_nfields(const struct csv *c);
/* Field i of the current record, NUL-terminated; "" when i is out of range. */
const char *csv_field(const struct csv *c, int i);
/* 1-based physical line where the current (or just skipped) record began. */
long csv_line(const struct csv *c);
/* The delimiter in use (after sniffing: known once csv_next was called). */
char csv_delim(const struct csv *c);

#endif
