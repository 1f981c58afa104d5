/*
 * export.h - leads and exchanges out of the kiosk: CSV, vCard, JSON,
 * iCalendar, written as a stream with constant memory.
 *
 * The formats, columns and JSON schema are documented at the top of
 * export.c. Only consented data is exported (store_export.h decides what
 * that means). The output goes to a sink (a file through atomicfile, or
 * stdout); export never opens files or reads the clock itself.
 */
#ifndef KIOSK_EXPORT_H
#define KIOSK_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "tzone.h"

enum export_format { EXPORT_CSV = 0, EXPORT_VCF, EXPORT_JSON, EXPORT_ICS };
#define EXPORT_NFORMATS 4

/* "csv", "vcf" (also "vcard"), "json", "ics" (also "ical"); -1 if unknown. */
int export_format_parse(const char *s);
/* File extension without the dot, and a default file name ("leads.csv",
 * "contacts.vcf", "export.json", "followups.ics"). */
const char *export_format_ext(enum export_format f);
const char *export_format_filename(enum export_format f);

/* Where bytes go. write returns 0, or -1 with err set. */
struct export_sink {
    int (*write)(void *ctx, const void *buf, size_t n, struct err *err);
    void *ctx;
};

struct export_options {
    enum export_format format;
    int64_t since_ms;       /* only interactions captured at or after; 0 = all */
    const char *mode;       /* NULL = all, "handshake" or "booth" */
    char delimiter;         /* CSV: ',' ';' or '\t' */
    int bom;                /* CSV: start with a UTF-8 BOM */
    int neutralise;         /* CSV: guard against formula injection (default 1) */
    int vcard_version;      /* 3 or 4 */
    const char *event_name; /* for vCard NOTE, JSON and iCalendar text */
    const char *tz_name;    /* written into JSON */
    const struct tzone *tz; /* times are shown in this zone; NULL = UTC */
    int64_t now_ms;         /* DTSTAMP, generated_at */
    /* Called every EXPORT_PROGRESS_STEP records and once at the end with
     * done == total (total may be -1 if unknown). May be NULL. */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
};
#define EXPORT_PROGRESS_STEP 2000

/* Defaults: CSV, ',', BOM, neutralise, vCard 3, everything, UTC. */
void export_options_default(struct export_options *o);

struct export_stats {
    long records;   /* CSV rows, vCards, VTODOs, or JSON objects (all sections) */
    long skipped;   /* records that could not be written (e.g. invalid vCard data) */
    uint64_t bytes; /* bytes handed to the sink */
};

/* Stream one export of s into sink. The read is one snapshot (a read
 * transaction). Returns 0 with *stats filled (may be NULL), or -1 with err;
 * after a failure the sink may have received part of the output - write to
 * an atomicfile and abort it, so nobody sees the half. */
int export_run(struct store *s, const struct export_options *o, const struct export_sink *sink,
               struct export_stats *stats, struct err *err);

/* Record a finished export in the audit log: format, counts, filter and
 * destination kind ("file", "usb", "stdout"), never personal data. Call it
 * after the output was committed. Returns 0 or -1 with err. */
int export_audit(struct store *s, const struct export_options *o, const struct export_stats *st,
                 const char *destination, const char *actor, int64_t now_ms, struct err *err);

/* The CSV cell rule, exposed for tests and documentation: writes cell as it
 * appears in the file (neutralised and quoted as needed) into out, NUL-
 * terminated. Returns the length, or -1 if it does not fit. */
int export_csv_cell(const char *cell, char delimiter, int neutralise, char *out, size_t size);

#endif
