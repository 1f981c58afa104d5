/*
 * export.c - writers for CSV, vCard, JSON and iCalendar exports.
 *
 * Owns: the byte format of every export. Reads rows through store_export.h
 * (which alone decides what is consented) and pushes bytes through a 64 KiB
 * buffer into a sink: memory is constant whatever the number of rows. Never
 * opens files, never reads the clock (o->now_ms), never writes to the
 * database (the caller logs the export with export_audit()).
 * Start at export_run().
 *
 * ==== CSV (leads.csv) =====================================================
 * RFC 4180: records end with CRLF; a cell is quoted with " when it holds
 * the delimiter, a quote, CR or LF, and quotes inside are doubled; line
 * breaks inside notes stay inside the quoted cell. UTF-8 (a stray byte
 * that is not, possible only in data merged from elsewhere, is written as
 * U+FFFD here as in JSON and iCalendar), with a BOM by
 * default (export.bom) so Excel detects the encoding; delimiter ',' or ';'
 * (European Excel) or tab (export.delimiter). One row per consented side
 * of an interaction: a booth lead gives one row, a handshake gives one row
 * per attendee who consented. Columns, in order:
 *   id                 interaction id (UUIDv7)
 *   captured_at        ISO-8601 in event.timezone with offset, e.g. 2026-11-26T14:03:05+01:00
 *   kiosk_id           kiosk that captured it
 *   operator           booth staff member (leads)
 *   mode               booth | handshake
 *   badge_format       detected badge format (vcard3, mecard, caret, ...)
 *   attendee_ref       the attendee's badge reference
 *   first_name, last_name, display_name, organization, title
 *   email, phone       the first e-mail / phone (all of them are in vCard/JSON)
 *   url
 *   rating             0-5 for a lead, empty otherwise
 *   tags               comma-separated
 *   notes              all notes of the interaction, oldest first, one per line
 *   answers            qualifying answers as a JSON object
 *   consent_scope      e.g. card+followup
 *   consent_at         when this attendee consented (ISO-8601 with offset)
 *   consent_version    version tag of the consent text shown
 *   followup_due       due time of the latest follow-up of this pair (ISO-8601), or empty
 *   followup_status    queued | due | done | skipped | cancelled, or empty
 *   interaction_count  interactions this attendee took part in at this kiosk
 *   met_with_ref       handshake: the other attendee's reference, only if they consented too
 * Formula injection: a text cell that starts with = + - @ TAB CR or ' gets
 * one extra ' in front, so spreadsheets show it as text and never run it.
 * This includes phone numbers: "+49 30 1234567" is written as
 * "'+49 30 1234567". Excel and LibreOffice would otherwise evaluate it
 * (a number losing its +, or #NAME?/#NULL! errors, and "+49-30-1" is
 * arithmetic), and a "looks like a phone number" exception would be a hole
 * an attacker can aim at. The rule is reversible: a consumer strips exactly
 * one leading ' from any cell that starts with '. --csv-raw (neutralise=0)
 * turns the guard off for machine imports; vCard and JSON always carry the
 * exact values.
 *
 * ==== vCard (contacts.vcf) ================================================
 * One card per consented contact (vcard_write: 3.0 default, 4.0 option,
 * escaping, folding at 75 octets, CRLF). NOTE holds "Met at EVENT on DATE"
 * (and the number of meetings) followed by the meeting notes.
 *
 * ==== JSON (export.json), schema "kiosk-export/1" =========================
 * One UTF-8 document; times are ISO-8601 strings with offset; absent
 * values are null; arrays keep the order given here.
 *   {
 *     "schema": "kiosk-export/1",
 *     "generated_at": TIME, "kiosk_id": STR,
 *     "event": {"name": STR, "timezone": STR},
 *     "filter": {"since": TIME|null, "mode": "handshake"|"booth"|null},
 *     "contacts": [ {"id": STR, "ref": STR, "display_name": STR,
 *        "given_name": STR, "family_name": STR, "organization": STR,
 *        "title": STR, "emails": [STR], "phones": [STR], "url": STR,
 *        "badge_format": STR, "source": "badge"|"roster"|"demo",
 *        "first_met": TIME, "last_met": TIME, "meetings": INT} ],
 *     "interactions": [ {"id": STR, "kind": "handshake"|"lead",
 *        "mode": "handshake"|"booth", "captured_at": TIME, "kiosk_id": STR,
 *        "operator": STR, "participants": [CONTACT_ID] (consented sides only),
 *        "followup_choice": "none"|"tomorrow"|"next-week",
 *        "lead": null | {"rating": INT, "tags": [STR], "answers": OBJECT|null},
 *        "notes": [ {"at": TIME, "author": STR, "body": STR} ]} ],
 *     "followups": [ {"id": STR, "interaction_id": STR|null,
 *        "owner_id": CONTACT_ID|null (null = booth operator),
 *        "owner_name": STR, "contact_id": CONTACT_ID,
 *        "kind": "thank-you"|"check-in",
 *        "status": "queued"|"due"|"done"|"skipped", "due_at": TIME,
 *        "created_at": TIME, "meetings": INT} ],
 *     "consent": [ {"interaction_id": STR, "contact_id": CONTACT_ID,
 *        "scope": STR, "given_at": TIME, "version": STR} ]
 *   }
 * New fields may be added to objects; existing ones keep name and type
 * while the schema string stays "kiosk-export/1".
 *
 * ==== iCalendar (followups.ics) ===========================================
 * RFC 5545 VCALENDAR with one VTODO per exported follow-up: UID
 * (ID@kiosk), DTSTAMP (now), CREATED, DUE (UTC), SUMMARY ("Thank-you:
 * NAME (ORG)"), DESCRIPTION (who, e-mail, phone, owner, meetings, event),
 * STATUS (NEEDS-ACTION / COMPLETED / CANCELLED for skipped), CATEGORIES.
 * Text is escaped (\\ \; \, \n), lines fold at 75 octets without splitting
 * a UTF-8 sequence, every line ends with CRLF.
 */
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "followup.h"
#include "limits.h"
#include "store_export.h"
#include "store_followup.h"
#include "utf8.h"
#include "vcard.h"

#define OUT_BUF 65536

/* ---- buffered output ----------------------------------------------------- */

struct out {
    const struct export_sink *sink;
    struct err *err;
    size_t used;
    uint64_t bytes;
    int failed;
    char buf[OUT_BUF];
};

static void flush(struct out *o)
{
    if (o->failed || o->used == 0)
        return;
    if (o->sink->write(o->sink->ctx, o->buf, o->used, o->err) < 0)
        o->failed = 1;
    o->bytes += o->used;
    o->used = 0;
}

static void put(struct out *o, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0 && !o->failed) {
        size_t room = OUT_BUF - o->used, k = n < room ? n : room;
        memcpy(o->buf + o->used, c, k);
        o->used += k;
        c += k;
        n -= k;
        if (o->used == OUT_BUF)
            flush(o);
    }
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void putc_(struct out *o, char ch)
{
    if (o->used == OUT_BUF)
        flush(o);
    if (!o->failed)
        o->buf[o->used++] = ch;
}

static void progress(const struct export_options *opt, long done, long total, int final)
{
    if (opt->progress && (final || done % EXPORT_PROGRESS_STEP == 0))
        opt->progress(opt->progress_ctx, done, total);
}

/* ---- CSV ------------------------------------------------------------------ */

static int needs_guard(const char *cell)
{
    return cell[0] && strchr("=+-@\t\r'", cell[0]) != NULL;
}

static int needs_quotes(const char *cell, char delim)
{
    for (const char *p = cell; *p; p++)
        if (*p == delim || *p == '"' || *p == '\r' || *p == '\n')
            return 1;
    return 0;
}

int export_csv_cell(const char *cell, char delimiter, int neutralise, char *out, size_t size)
{
    size_t n = 0;
    int q = needs_quotes(cell, delimiter);
#define EMIT(ch)                                                                                   \
    do {                                                                                           \
        if (n + 1 >= size)                                                                         \
            return -1;                                                                             \
        out[n++] = (ch);                                                                           \
    } while (0)
    if (size == 0)
        return -1;
    if (q)
        EMIT('"');
    if (neutralise && needs_guard(cell))
        EMIT('\'');
    for (const char *p = cell, *end = cell + strlen(cell); *p;) {
        size_t k = utf8_seq((const unsigned char *)p, (size_t)(end - p));
        if (k == 0) { /* a stray byte: U+FFFD, as csv_text writes it */
            EMIT('\xEF');
            EMIT('\xBF');
            EMIT('\xBD');
            p++;
            continue;
        }
        if (*p == '"')
            EMIT('"');
        for (; k > 0; k--)
            EMIT(*p++);
    }
    if (q)
        EMIT('"');
#undef EMIT
    out[n] = '\0';
    return (int)n;
}

struct csv {
    struct out *o;
    const struct export_options *opt;
    long rows, total;
};

/* Text of a cell: valid UTF-8 runs as they are, each stray byte as U+FFFD
 * (the file is UTF-8, and a reader decoding it must not fail on one cell),
 * quotes doubled. */
static void csv_text(struct out *o, const char *cell)
{
    const unsigned char *p = (const unsigned char *)cell, *end = p + strlen(cell);
    while (p < end) {
        const unsigned char *run = p;
        size_t k = 0;
        while (p < end && *p != '"' && (k = utf8_seq(p, (size_t)(end - p))) > 0)
            p += k;
        put(o, run, (size_t)(p - run));
        if (p == end)
            break;
        if (*p == '"')
            put(o, "\"\"", 2); /* a quote makes the cell quoted (needs_quotes) */
        else
            puts_(o, "\xEF\xBF\xBD");
        p++;
    }
}

static void csv_cell(struct csv *c, const char *cell, int first)
{
    struct out *o = c->o;
    int q = needs_quotes(cell, c->opt->delimiter);
    if (!first)
        putc_(o, c->opt->delimiter);
    if (q)
        putc_(o, '"');
    if (c->opt->neutralise && needs_guard(cell))
        putc_(o, '\'');
    csv_text(o, cell);
    if (q)
        putc_(o, '"');
}

/* Numbers and our own timestamps: never need a guard or quotes. */
static void csv_raw(struct csv *c, const char *text)
{
    putc_(c->o, c->opt->delimiter);
    puts_(c->o, text);
}

static const char *const csv_columns[] = {"id",
                                          "captured_at",
                                          "kiosk_id",
                                          "operator",
                                          "mode",
                                          "badge_format",
                                          "attendee_ref",
                                          "first_name",
                                          "last_name",
                                          "display_name",
                                          "organization",
                                          "title",
                                          "email",
                                          "phone",
                                          "url",
                                          "rating",
                                          "tags",
                                          "notes",
                                          "answers",
                                          "consent_scope",
                                          "consent_at",
                                          "consent_version",
                                          "followup_due",
                                          "followup_status",
                                          "interaction_count",
                                          "met_with_ref"};

static int csv_row(void *ctx, const struct store_export_row *r)
{
    struct csv *c = ctx;
    char t[TZONE_ISO_MAX], num[32];

    csv_cell(c, r->interaction_id, 1);
    tzone_iso8601(c->opt->tz, r->captured_at, t);
    csv_raw(c, t);
    csv_cell(c, r->kiosk_id, 0);
    csv_cell(c, r->operator_name, 0);
    csv_cell(c, r->mode, 0);
    csv_cell(c, r->c.format, 0);
    csv_cell(c, r->c.ref, 0);
    csv_cell(c, r->c.given_name, 0);
    csv_cell(c, r->c.family_name, 0);
    csv_cell(c, r->c.display_name, 0);
    csv_cell(c, r->c.org, 0);
    csv_cell(c, r->c.title, 0);
    csv_cell(c, r->c.n_emails ? r->c.emails[0] : "", 0);
    csv_cell(c, r->c.n_phones ? r->c.phones[0] : "", 0);
    csv_cell(c, r->c.url, 0);
    if (r->has_lead)
        snprintf(num, sizeof(num), "%d", r->rating);
    else
        num[0] = '\0';
    csv_raw(c, num);
    csv_cell(c, r->tags, 0);
    csv_cell(c, r->notes, 0);
    csv_cell(c, r->answers, 0);
    csv_cell(c, r->consent_scope, 0);
    tzone_iso8601(c->opt->tz, r->consent_at, t);
    csv_raw(c, t);
    csv_cell(c, r->consent_version, 0);
    if (r->followup_due)
        tzone_iso8601(c->opt->tz, r->followup_due, t);
    else
        t[0] = '\0';
    csv_raw(c, t);
    csv_cell(c, r->followup_status, 0);
    snprintf(num, sizeof(num), "%ld", r->interaction_count);
    csv_raw(c, num);
    csv_cell(c, r->met_with_ref, 0);
    puts_(c->o, "\r\n");
    c->rows++;
    progress(c->opt, c->rows, c->total, 0);
    return c->o->failed ? 1 : 0;
}

static int run_csv(struct store *s, const struct export_options *opt,
                   const struct store_export_filter *f, struct out *o, long *records,
                   struct err *err)
{
    struct csv c = {o, opt, 0, -1};
    size_t i;
    int rc;
    c.total = store_export_count(s, f, err);
    if (c.total < 0)
        return -1;
    if (opt->bom)
        puts_(o, "\xEF\xBB\xBF");
    for (i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
        csv_cell(&c, csv_columns[i], i == 0);
    puts_(o, "\r\n");
    rc = store_export_rows(s, f, csv_row, &c, err);
    *records = c.rows;
    if (rc < 0)
        return -1;
    progress(opt, c.rows, c.total, 1);
    return 0;
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_str(struct out *o, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    putc_(o, '"');
    while (*p) {
        const unsigned char *run = p;
        /* Copy plain runs in one go. */
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            put(o, run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            putc_(o, '\\');
            putc_(o, (char)*p++);
        } else if (*p < 0x20) {
            char esc[8];
            if (*p == '\n')
                snprintf(esc, sizeof(esc), "\\n");
            else if (*p == '\r')
                snprintf(esc, sizeof(esc), "\\r");
            else if (*p == '\t')
                snprintf(esc, sizeof(esc), "\\t");
            else
                snprintf(esc, sizeof(esc), "\\u%04x", *p);
            puts_(o, esc);
            p++;
        } else {
            size_t n = utf8_seq(p, (size_t)(end - p));
            if (n == 0) {
                puts_(o, "\\ufffd"); /* never emit invalid UTF-8 */
                p++;
            } else {
                put(o, p, n);
                p += n;
            }
        }
    }
    putc_(o, '"');
}

/* Embed text that is already JSON. json_valid() does not look at UTF-8, so
 * a byte outside a valid sequence (only possible inside a string there)
 * becomes the escape \ufffd, as in json_str: the document stays UTF-8. */
static void json_raw_utf8(struct out *o, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        const unsigned char *run = p;
        size_t k = 0;
        while (p < end && (k = utf8_seq(p, (size_t)(end - p))) > 0)
            p += k;
        put(o, run, (size_t)(p - run));
        if (p < end) {
            puts_(o, "\\ufffd");
            p++;
        }
    }
}

static void json_key(struct out *o, const char *key, int first)
{
    if (!first)
        putc_(o, ',');
    json_str(o, key);
    putc_(o, ':');
}

static void json_kv(struct out *o, const char *key, const char *val, int first)
{
    json_key(o, key, first);
    json_str(o, val);
}

static void json_time(struct out *o, const struct export_options *opt, const char *key, int64_t ms,
                      int first)
{
    char t[TZONE_ISO_MAX];
    json_key(o, key, first);
    if (!ms) {
        puts_(o, "null");
        return;
    }
    tzone_iso8601(opt->tz, ms, t);
    json_str(o, t);
}

static void json_long(struct out *o, const char *key, long v, int first)
{
    char num[32];
    json_key(o, key, first);
    snprintf(num, sizeof(num), "%ld", v);
    puts_(o, num);
}

/* A comma-separated list as an array of trimmed, non-empty strings. */
static void json_csv_list(struct out *o, const char *list)
{
    const char *p = list;
    int first = 1;
    char item[KIOSK_OBJ_MAX];
    putc_(o, '[');
    while (*p) {
        size_t len = strcspn(p, ","), a = 0, b = len;
        while (a < b && p[a] == ' ')
            a++;
        while (b > a && p[b - 1] == ' ')
            b--;
        if (b > a && b - a < sizeof(item)) {
            memcpy(item, p + a, b - a);
            item[b - a] = '\0';
            if (!first)
                putc_(o, ',');
            json_str(o, item);
            first = 0;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    putc_(o, ']');
}

struct json {
    struct out *o;
    const struct export_options *opt;
    struct store *s;
    struct err *err;
    long n;     /* objects in the current section */
    long total; /* objects in all sections */
};

static void json_item_start(struct json *j)
{
    if (j->n++)
        putc_(j->o, ',');
    puts_(j->o, "\n{");
    j->total++;
    progress(j->opt, j->total, -1, 0);
}

static int json_contact(void *ctx, const struct store_export_contact *ec)
{
    struct json *j = ctx;
    struct out *o = j->o;
    const struct contact *c = &ec->c;
    json_item_start(j);
    json_kv(o, "id", ec->id, 1);
    json_kv(o, "ref", c->ref, 0);
    json_kv(o, "display_name", c->display_name, 0);
    json_kv(o, "given_name", c->given_name, 0);
    json_kv(o, "family_name", c->family_name, 0);
    json_kv(o, "organization", c->org, 0);
    json_kv(o, "title", c->title, 0);
    json_key(o, "emails", 0);
    putc_(o, '[');
    for (int i = 0; i < c->n_emails; i++) {
        if (i)
            putc_(o, ',');
        json_str(o, c->emails[i]);
    }
    putc_(o, ']');
    json_key(o, "phones", 0);
    putc_(o, '[');
    for (int i = 0; i < c->n_phones; i++) {
        if (i)
            putc_(o, ',');
        json_str(o, c->phones[i]);
    }
    putc_(o, ']');
    json_kv(o, "url", c->url, 0);
    json_kv(o, "badge_format", c->format, 0);
    json_kv(o, "source", ec->source, 0);
    json_time(o, j->opt, "first_met", ec->first_met, 0);
    json_time(o, j->opt, "last_met", ec->last_met, 0);
    json_long(o, "meetings", ec->meetings, 0);
    putc_(o, '}');
    return o->failed ? 1 : 0;
}

struct json_notes {
    struct json *j;
    int n;
};

static int json_note(void *ctx, int64_t at, const char *author, const char *body)
{
    struct json_notes *jn = ctx;
    struct out *o = jn->j->o;
    if (jn->n++)
        putc_(o, ',');
    putc_(o, '{');
    json_time(o, jn->j->opt, "at", at, 1);
    json_kv(o, "author", author, 0);
    json_kv(o, "body", body, 0);
    putc_(o, '}');
    return o->failed ? 1 : 0;
}

static int json_interaction(void *ctx, const struct store_export_interaction *it)
{
    struct json *j = ctx;
    struct out *o = j->o;
    struct json_notes jn = {j, 0};
    json_item_start(j);
    json_kv(o, "id", it->id, 1);
    json_kv(o, "kind", it->kind, 0);
    json_kv(o, "mode", it->mode, 0);
    json_time(o, j->opt, "captured_at", it->created_at, 0);
    json_kv(o, "kiosk_id", it->kiosk_id, 0);
    json_kv(o, "operator", it->operator_name, 0);
    json_key(o, "participants", 0);
    putc_(o, '[');
    if (it->a_id[0])
        json_str(o, it->a_id);
    if (it->b_id[0]) {
        if (it->a_id[0])
            putc_(o, ',');
        json_str(o, it->b_id);
    }
    putc_(o, ']');
    json_kv(o, "followup_choice", it->followup_choice, 0);
    json_key(o, "lead", 0);
    if (!it->has_lead) {
        puts_(o, "null");
    } else {
        putc_(o, '{');
        json_long(o, "rating", it->rating, 1);
        json_key(o, "tags", 0);
        json_csv_list(o, it->tags);
        json_key(o, "answers", 0);
        /* Validated by SQLite's json_valid(); embedded as the value it is. */
        json_raw_utf8(o, it->answers[0] ? it->answers : "null");
        putc_(o, '}');
    }
    json_key(o, "notes", 0);
    putc_(o, '[');
    if (store_export_notes(j->s, it->id, json_note, &jn, j->err) < 0)
        return -1;
    putc_(o, ']');
    putc_(o, '}');
    return o->failed ? 1 : 0;
}

static int json_followup(void *ctx, const struct store_followup *f)
{
    struct json *j = ctx;
    struct out *o = j->o;
    json_item_start(j);
    json_kv(o, "id", f->id, 1);
    json_key(o, "interaction_id", 0);
    if (f->interaction_id[0])
        json_str(o, f->interaction_id);
    else
        puts_(o, "null");
    json_key(o, "owner_id", 0);
    if (f->owner_id[0])
        json_str(o, f->owner_id);
    else
        puts_(o, "null");
    json_kv(o, "owner_name", f->owner_name, 0);
    json_kv(o, "contact_id", f->contact_id, 0);
    json_kv(o, "kind", followup_kind_name(f->kind), 0);
    json_kv(o, "status", followup_status_name(f->status), 0);
    json_time(o, j->opt, "due_at", f->due_at, 0);
    json_time(o, j->opt, "created_at", f->created_at, 0);
    json_long(o, "meetings", f->meetings, 0);
    putc_(o, '}');
    return o->failed ? 1 : 0;
}

static int json_consent(void *ctx, const struct store_export_row *r)
{
    struct json *j = ctx;
    struct out *o = j->o;
    json_item_start(j);
    json_kv(o, "interaction_id", r->interaction_id, 1);
    json_kv(o, "contact_id", r->contact_id, 0);
    json_kv(o, "scope", r->consent_scope, 0);
    json_time(o, j->opt, "given_at", r->consent_at, 0);
    json_kv(o, "version", r->consent_version, 0);
    putc_(o, '}');
    return o->failed ? 1 : 0;
}

static const char *filter_kind(const struct store_export_filter *f)
{
    if (!f->mode || !f->mode[0])
        return NULL;
    return strcmp(f->mode, "handshake") == 0 ? "handshake" : "lead";
}

static int run_json(struct store *s, const struct export_options *opt,
                    const struct store_export_filter *f, struct out *o, long *records,
                    struct err *err)
{
    struct json j = {o, opt, s, err, 0, 0};
    int rc = 0;

    puts_(o, "{");
    json_kv(o, "schema", "kiosk-export/1", 1);
    json_time(o, opt, "generated_at", opt->now_ms, 0);
    json_kv(o, "kiosk_id", store_kiosk_id(s), 0);
    json_key(o, "event", 0);
    putc_(o, '{');
    json_kv(o, "name", opt->event_name ? opt->event_name : "", 1);
    json_kv(o, "timezone", opt->tz_name ? opt->tz_name : "UTC", 0);
    putc_(o, '}');
    json_key(o, "filter", 0);
    putc_(o, '{');
    json_time(o, opt, "since", f->since_ms, 1);
    json_key(o, "mode", 0);
    if (f->mode && f->mode[0])
        json_str(o, strcmp(f->mode, "handshake") == 0 ? "handshake" : "booth");
    else
        puts_(o, "null");
    putc_(o, '}');

    json_key(o, "contacts", 0);
    putc_(o, '[');
    rc = store_export_contacts(s, f, json_contact, &j, err);
    puts_(o, "\n]");
    if (rc == 0) {
        j.n = 0;
        json_key(o, "interactions", 0);
        putc_(o, '[');
        rc = store_export_interactions(s, f, json_interaction, &j, err);
        puts_(o, "\n]");
    }
    if (rc == 0) {
        j.n = 0;
        json_key(o, "followups", 0);
        putc_(o, '[');
        rc = store_followup_each_consented(s, f->since_ms, filter_kind(f), opt->now_ms,
                                           json_followup, &j, err);
        puts_(o, "\n]");
    }
    if (rc == 0) {
        j.n = 0;
        json_key(o, "consent", 0);
        putc_(o, '[');
        rc = store_export_rows(s, f, json_consent, &j, err);
        puts_(o, "\n]");
    }
    puts_(o, "}\n");
    *records = j.total;
    if (rc < 0)
        return -1;
    progress(opt, j.total, j.total, 1);
    return 0;
}

/* ---- vCard ---------------------------------------------------------------- */

struct vcf {
    struct out *o;
    const struct export_options *opt;
    char *card; /* VCARD_WRITE_MAX bytes */
    long cards, skipped;
};

/* Copy src into dst (size bytes) at most, cutting at a UTF-8 boundary and
 * ending with "..." when it had to cut. */
static void clip_utf8(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src), cut;
    if (n < size) {
        memcpy(dst, src, n + 1);
        return;
    }
    cut = size - 4;
    while (cut > 0 && ((unsigned char)src[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(dst, src, cut);
    memcpy(dst + cut, "...", 4);
}

static int vcf_contact(void *ctx, const struct store_export_contact *ec)
{
    struct vcf *v = ctx;
    char note[KIOSK_NOTE_MAX], head[256], date[TZONE_ISO_MAX], event[124];
    size_t hl;
    struct err e;
    int len;

    tzone_human(v->opt->tz, ec->first_met, date);
    /* Shortened between characters: "%.120s" could split one, and the card
     * (which must be valid UTF-8) would then be skipped. */
    clip_utf8(event, sizeof(event), v->opt->event_name ? v->opt->event_name : "the event");
    if (ec->meetings > 1)
        snprintf(head, sizeof(head), "Met at %s on %s (%ld meetings)", event, date, ec->meetings);
    else
        snprintf(head, sizeof(head), "Met at %s on %s", event, date);
    /* The notes may be long; NOTE gets the head and as much of them as the
     * card's limit allows, visibly marked when cut. */
    hl = strlen(head);
    memcpy(note, head, hl + 1);
    if (ec->notes[0]) {
        memcpy(note + hl, ": ", 3);
        clip_utf8(note + hl + 2, sizeof(note) - hl - 2, ec->notes);
    }
    len = vcard_write(&ec->c, v->opt->vcard_version, note, v->card, VCARD_WRITE_MAX, &e);
    if (len < 0) {
        v->skipped++;
        return 0;
    }
    put(v->o, v->card, (size_t)len);
    v->cards++;
    progress(v->opt, v->cards, -1, 0);
    return v->o->failed ? 1 : 0;
}

static int run_vcf(struct store *s, const struct export_options *opt,
                   const struct store_export_filter *f, struct out *o, long *records, long *skipped,
                   struct err *err)
{
    struct vcf v = {o, opt, NULL, 0, 0};
    int rc;
    if (opt->vcard_version != 3 && opt->vcard_version != 4)
        return err_set(err, "vCard version must be 3 or 4");
    v.card = malloc(VCARD_WRITE_MAX);
    if (!v.card)
        return err_set(err, "out of memory");
    rc = store_export_contacts(s, f, vcf_contact, &v, err);
    free(v.card);
    *records = v.cards;
    *skipped = v.skipped;
    if (rc < 0)
        return -1;
    progress(opt, v.cards, v.cards, 1);
    return 0;
}

/* ---- iCalendar ------------------------------------------------------------ */

struct ical {
    struct out *o;
    const struct export_options *opt;
    int col; /* octets on the current physical line */
    long todos;
};

/* Emit bytes of one content line, folding before 75 octets and never inside
 * a UTF-8 sequence. */
static void ical_put(struct ical *c, const char *p, size_t n)
{
    while (n > 0) {
        size_t k = utf8_seq((const unsigned char *)p, n);
        if (k == 0)
            k = 1;
        if ((size_t)c->col + k > 75) {
            puts_(c->o, "\r\n ");
            c->col = 1;
        }
        put(c->o, p, k);
        c->col += (int)k;
        p += k;
        n -= k;
    }
}

static void ical_begin(struct ical *c, const char *name)
{
    c->col = 0;
    ical_put(c, name, strlen(name));
    ical_put(c, ":", 1);
}

static void ical_end(struct ical *c)
{
    puts_(c->o, "\r\n");
    c->col = 0;
}

/* TEXT value escaping (RFC 5545 3.3.11); CR dropped, invalid UTF-8 replaced. */
static void ical_text(struct ical *c, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (*p) {
        size_t k;
        switch (*p) {
        case '\\':
            ical_put(c, "\\\\", 2);
            p++;
            continue;
        case ';':
            ical_put(c, "\\;", 2);
            p++;
            continue;
        case ',':
            ical_put(c, "\\,", 2);
            p++;
            continue;
        case '\n':
            ical_put(c, "\\n", 2);
            p++;
            continue;
        case '\r':
            p++;
            continue;
        default:
            break;
        }
        if (*p < 0x20 && *p != '\t') {
            p++; /* other controls are not allowed in TEXT */
            continue;
        }
        k = utf8_seq(p, (size_t)(end - p));
        if (k == 0) {
            ical_put(c, "\xEF\xBF\xBD", 3);
            p++;
            continue;
        }
        ical_put(c, (const char *)p, k);
        p += k;
    }
}

static void ical_prop(struct ical *c, const char *name, const char *text)
{
    ical_begin(c, name);
    ical_text(c, text);
    ical_end(c);
}

static void ical_raw(struct ical *c, const char *name, const char *value)
{
    ical_begin(c, name);
    ical_put(c, value, strlen(value));
    ical_end(c);
}

static int ical_todo(void *ctx, const struct store_followup *f)
{
    struct ical *c = ctx;
    char t[TZONE_ISO_MAX], line[KIOSK_NAME_MAX + KIOSK_ORG_MAX + 64],
        desc[4 * KIOSK_NAME_MAX + KIOSK_ORG_MAX + KIOSK_EMAIL_MAX + KIOSK_PHONE_MAX + 256];
    const char *status = "NEEDS-ACTION";
    size_t used = 0;

    if (f->status == FOLLOWUP_DONE)
        status = "COMPLETED";
    else if (f->status == FOLLOWUP_SKIPPED || f->status == FOLLOWUP_CANCELLED)
        status = "CANCELLED";
    ical_raw(c, "BEGIN", "VTODO");
    snprintf(line, sizeof(line), "%s@kiosk", f->id);
    ical_raw(c, "UID", line);
    tzone_ical_utc(c->opt->now_ms, t);
    ical_raw(c, "DTSTAMP", t);
    tzone_ical_utc(f->created_at, t);
    ical_raw(c, "CREATED", t);
    tzone_ical_utc(f->due_at, t);
    ical_raw(c, "DUE", t);
    snprintf(line, sizeof(line), "%s: %s%s%s%s",
             f->kind == FOLLOWUP_CHECK_IN ? "Check-in" : "Thank-you", f->contact_name,
             f->contact_org[0] ? " (" : "", f->contact_org, f->contact_org[0] ? ")" : "");
    ical_prop(c, "SUMMARY", line);
#define ADD(...)                                                                                   \
    do {                                                                                           \
        int w_ = snprintf(desc + used, sizeof(desc) - used, __VA_ARGS__);                          \
        if (w_ > 0)                                                                                \
            used += (size_t)w_ < sizeof(desc) - used ? (size_t)w_ : sizeof(desc) - used - 1;       \
    } while (0)
    ADD("%s %s", f->kind == FOLLOWUP_CHECK_IN ? "Check in with" : "Say thank you to",
        f->contact_name);
    if (f->contact_org[0])
        ADD(" (%s)", f->contact_org);
    if (c->opt->event_name && c->opt->event_name[0]) {
        char event[204];
        clip_utf8(event, sizeof(event), c->opt->event_name);
        ADD(", met at %s", event);
    }
    ADD(".");
    if (f->contact_email[0])
        ADD("\nE-mail: %s", f->contact_email);
    if (f->contact_phone[0])
        ADD("\nPhone: %s", f->contact_phone);
    if (f->owner_name[0])
        ADD("\nFor: %s", f->owner_name);
    if (f->meetings > 1)
        ADD("\nMeetings: %d", f->meetings);
#undef ADD
    ical_prop(c, "DESCRIPTION", desc);
    ical_raw(c, "STATUS", status);
    ical_prop(c, "CATEGORIES", followup_kind_name(f->kind));
    ical_raw(c, "END", "VTODO");
    c->todos++;
    progress(c->opt, c->todos, -1, 0);
    return c->o->failed ? 1 : 0;
}

static int run_ics(struct store *s, const struct export_options *opt,
                   const struct store_export_filter *f, struct out *o, long *records,
                   struct err *err)
{
    struct ical c = {o, opt, 0, 0};
    int rc;
    ical_raw(&c, "BEGIN", "VCALENDAR");
    ical_raw(&c, "VERSION", "2.0");
    ical_raw(&c, "PRODID", "-//kiosk//kiosk " KIOSK_VERSION "//EN");
    ical_raw(&c, "CALSCALE", "GREGORIAN");
    ical_raw(&c, "METHOD", "PUBLISH");
    if (opt->event_name && opt->event_name[0]) {
        char name[KIOSK_CONFIG_VALUE_MAX + 32];
        snprintf(name, sizeof(name), "Follow-ups: %s", opt->event_name);
        ical_prop(&c, "X-WR-CALNAME", name);
    }
    rc = store_followup_each_consented(s, f->since_ms, filter_kind(f), opt->now_ms, ical_todo, &c,
                                       err);
    ical_raw(&c, "END", "VCALENDAR");
    *records = c.todos;
    if (rc < 0)
        return -1;
    progress(opt, c.todos, c.todos, 1);
    return 0;
}

/* ---- entry points --------------------------------------------------------- */

static const char *const fmt_names[EXPORT_NFORMATS] = {"csv", "vcf", "json", "ics"};
static const char *const fmt_files[EXPORT_NFORMATS] = {"leads.csv", "contacts.vcf", "export.json",
                                                       "followups.ics"};

int export_format_parse(const char *s)
{
    for (int i = 0; i < EXPORT_NFORMATS; i++)
        if (strcmp(s, fmt_names[i]) == 0)
            return i;
    if (strcmp(s, "vcard") == 0)
        return EXPORT_VCF;
    if (strcmp(s, "ical") == 0 || strcmp(s, "icalendar") == 0)
        return EXPORT_ICS;
    return -1;
}

const char *export_format_ext(enum export_format f)
{
    return (unsigned)f < EXPORT_NFORMATS ? fmt_names[f] : "?";
}

const char *export_format_filename(enum export_format f)
{
    return (unsigned)f < EXPORT_NFORMATS ? fmt_files[f] : "export";
}

void export_options_default(struct export_options *o)
{
    memset(o, 0, sizeof(*o));
    o->format = EXPORT_CSV;
    o->delimiter = ',';
    o->bom = 1;
    o->neutralise = 1;
    o->vcard_version = 3;
}

int export_run(struct store *s, const struct export_options *opt, const struct export_sink *sink,
               struct export_stats *stats, struct err *err)
{
    struct store_export_filter f = {opt->since_ms, opt->mode};
    struct out *o;
    long records = 0, skipped = 0;
    int rc = -1, began;

    if (stats)
        memset(stats, 0, sizeof(*stats));
    if (opt->delimiter != ',' && opt->delimiter != ';' && opt->delimiter != '\t')
        return err_set(err, "the CSV delimiter must be ',', ';' or a tab");
    if (opt->mode && opt->mode[0] && strcmp(opt->mode, "handshake") != 0 &&
        strcmp(opt->mode, "booth") != 0)
        return err_set(err, "unknown mode \"%s\" (handshake or booth)", opt->mode);
    o = malloc(sizeof(*o));
    if (!o)
        return err_set(err, "out of memory");
    o->sink = sink;
    o->err = err;
    o->used = 0;
    o->bytes = 0;
    o->failed = 0;
    began = store_export_begin(s, err);
    if (began < 0)
        goto out;
    switch (opt->format) {
    case EXPORT_CSV:
        rc = run_csv(s, opt, &f, o, &records, err);
        break;
    case EXPORT_VCF:
        rc = run_vcf(s, opt, &f, o, &records, &skipped, err);
        break;
    case EXPORT_JSON:
        rc = run_json(s, opt, &f, o, &records, err);
        break;
    case EXPORT_ICS:
        rc = run_ics(s, opt, &f, o, &records, err);
        break;
    default:
        rc = err_set(err, "unknown export format");
        break;
    }
    store_export_end(s, began);
    flush(o);
    if (o->failed)
        rc = -1; /* err was set by the sink */
    if (stats) {
        stats->records = records;
        stats->skipped = skipped;
        stats->bytes = o->bytes;
    }
out:
    free(o);
    return rc;
}

int export_audit(struct store *s, const struct export_options *opt, const struct export_stats *st,
                 const char *destination, const char *actor, int64_t now_ms, struct err *err)
{
    char detail[256], since[TZONE_ISO_MAX] = "all";
    if (opt->since_ms)
        tzone_ical_utc(opt->since_ms, since);
    /* Counts and settings only: the audit log never holds personal data. */
    snprintf(detail, sizeof(detail),
             "format=%s records=%ld skipped=%ld bytes=%llu mode=%s "
             "since=%s to=%s",
             export_format_ext(opt->format), st ? st->records : 0L, st ? st->skipped : 0L,
             st ? (unsigned long long)st->bytes : 0ULL,
             opt->mode && opt->mode[0] ? opt->mode : "all", since,
             destination ? destination : "file");
    return store_audit(s, actor ? actor : "cli", "export", detail, now_ms, err);
}
