/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and roster row checks.
 *
 * The first byte picks how the input is delivered (whole, or in chunks of
 * 1-7 bytes, to exercise every refill point) and the delimiter (sniffed or
 * forced). Checks: fields are NUL-terminated and within KIOSK_CSV_FIELD_MAX,
 * records within KIOSK_CSV_FIELDS_MAX, line numbers never go backwards, and
 * the first record as a header plus the rest as rows never break roster_row.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csv.h"
#include "roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct chunks {
    const uint8_t *data;
    size_t size, pos, step;
};

static long chunk_read(void *ctx, char *buf, size_t size)
{
    struct chunks *ch = ctx;
    size_t n = ch->size - ch->pos;
    if (n > ch->step)
        n = ch->step;
    if (n > size)
        n = size;
    memcpy(buf, ch->data + ch->pos, n);
    ch->pos += n;
    return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[4] = {0, ',', ';', '\t'};
    struct chunks ch;
    struct err err;
    struct csv *c;
    static struct roster_map map;
    int have_map = 0;
    long last_line = 0, records = 0;
    enum csv_result r;
    uint8_t mode = size > 0 ? data[0] : 0;

    if (size > 0)
        data++, size--;
    ch.data = data;
    ch.size = size;
    ch.pos = 0;
    ch.step = (mode & 1) ? (size_t)((mode >> 1) % 7) + 1 : size + 1;
    c = csv_new(chunk_read, &ch, delims[(mode >> 4) & 3], &err);
    if (!c)
        return 0;
    while ((r = csv_next(c, &err)) == CSV_ROW || r == CSV_BAD) {
        const char *fields[KIOSK_CSV_FIELDS_MAX];
        int n = csv_nfields(c);
        if (csv_line(c) < last_line || ++records > 1000000)
            __builtin_trap();
        last_line = csv_line(c);
        if (r == CSV_BAD)
            continue;
        if (n < 1 || n > KIOSK_CSV_FIELDS_MAX)
            __builtin_trap();
        for (int i = 0; i < n; i++) {
            fields[i] = csv_field(c, i);
            if (strlen(fields[i]) > KIOSK_CSV_FIELD_MAX)
                __builtin_trap();
        }
        if (!have_map) {
            have_map = 1;
            if (roster_map_header(&map, fields, n, NULL, 0, &err) < 0)
                have_map = 2;
        } else if (have_map == 1) {
            struct contact ct;
            struct roster_refs refs;
            if (roster_row(&map, fields, n, &ct, &refs, &err) == 0 && !ct.ref[0])
                __builtin_trap();
        }
    }
    csv_free(c);
    return 0;
}
