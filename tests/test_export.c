/*
 * test_export.c - export writers on a real SQLite file: the CSV cell rule
 * (quoting, formula guard, +49 numbers), consent filtering, CSV/JSON/vCard/
 * iCalendar shape, empty exports, atomic file replacement with injected
 * write failures, audit logging, constant memory over many rows.
 * (tests/export_consumers.py has real parsers read the same output.)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "export.h"
#include "followup.h"
#include "seed.h"
#include "store.h"
#include "test.h"
#include "utf8.h"

#define T0 1764151200000LL /* 2025-11-26T10:00:00Z */

static void cell(const char *in, char delim, int guard, const char *want)
{
    char out[256];
    CHECK(export_csv_cell(in, delim, guard, out, sizeof(out)) >= 0);
    CHECK_STR(out, want);
}

static void test_cells(void)
{
    char small[4];
    cell("plain", ',', 1, "plain");
    cell("", ',', 1, "");
    cell("=1+1", ',', 1, "'=1+1");
    cell("=HYPERLINK(\"http://x\",\"y\")", ',', 1, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    cell("@SUM(A1)", ',', 1, "'@SUM(A1)");
    cell("-2+3", ',', 1, "'-2+3");
    cell("\tTab", ',', 1, "'\tTab");
    cell("\tTab", '\t', 1, "\"'\tTab\"");
    cell("\rCR", ',', 1, "\"'\rCR\"");
    cell("'quoted", ',', 1, "''quoted"); /* keeps the rule reversible */
    /* The +49 decision: phone numbers are guarded like any other cell. */
    cell("+49 30 1234567", ',', 1, "'+49 30 1234567");
    cell("+49 30 1234567", ',', 0, "+49 30 1234567");
    cell("0171 5551234", ',', 1, "0171 5551234");
    cell("a,b", ',', 1, "\"a,b\"");
    cell("a,b", ';', 1, "a,b");
    cell("a;b", ';', 1, "\"a;b\"");
    cell("say \"hi\"", ',', 1, "\"say \"\"hi\"\"\"");
    cell("two\nlines", ',', 1, "\"two\nlines\"");
    cell("Zoë Ångström", ',', 1, "Zoë Ångström");
    cell("mid=dle+", ',', 1, "mid=dle+");
    /* Stray bytes (not UTF-8) become U+FFFD. */
    cell("caf\xC3 \xFF\"", ',', 1, "\"caf\xEF\xBF\xBD \xEF\xBF\xBD\"\"\"");
    CHECK(export_csv_cell("toolong", ',', 1, small, sizeof(small)) < 0);
}

/* ---- sinks ---------------------------------------------------------------- */

struct mem {
    char *buf;
    size_t len, cap;
    int fail_at; /* fail the Nth write (1-based); 0 = never */
    int writes;
};

static int mem_write(void *ctx, const void *p, size_t n, struct err *err)
{
    struct mem *m = ctx;
    if (m->fail_at && ++m->writes == m->fail_at)
        return err_set(err, "injected write failure");
    if (m->len + n + 1 > m->cap) {
        size_t cap = (m->len + n + 1) * 2;
        char *b = realloc(m->buf, cap);
        if (!b)
            return err_set(err, "out of memory");
        m->buf = b;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, p, n);
    m->len += n;
    m->buf[m->len] = '\0';
    return 0;
}

static char *run(struct store *s, struct export_options *o, struct export_stats *st)
{
    struct mem m = {0};
    struct export_sink sink = {mem_write, &m};
    struct err e;
    if (export_run(s, o, &sink, st, &e) < 0) {
        fprintf(stderr, "export failed: %s\n", e.msg);
        free(m.buf);
        return NULL;
    }
    if (!m.buf)
        m.buf = calloc(1, 1);
    return m.buf;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static struct store *seeded(const char *name, long attendees, long leads, long handshakes,
                            int edges)
{
    struct store *s = NULL;
    struct err e;
    struct followup_policy p;
    struct seed_options so = {0};
    struct seed_stats st;
    if (store_open(&s, test_path(name), "kiosk-test", T0, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
    followup_policy_init(&p, 24, 7, 14, "20:00", "08:00", &e);
    so.attendees = attendees;
    so.leads = leads;
    so.handshakes = handshakes;
    so.seed = 42;
    so.edge_cases = edges;
    so.now_ms = T0;
    so.policy = &p;
    if (seed_run(s, &so, &st, &e) < 0) {
        fprintf(stderr, "seed: %s\n", e.msg);
        exit(1);
    }
    return s;
}

static void test_formats(void)
{
    struct store *s = seeded("edge.db", 30, 40, 20, 1);
    struct export_options o;
    struct export_stats st;
    char *out;
    int off = 3600;
    struct tzone cet = {tzone_fixed_offset, &off};
    long audit_before;
    struct err e;

    export_options_default(&o);
    o.event_name = "Test Conf";
    o.now_ms = T0;
    o.tz = &cet;

    /* CSV */
    out = run(s, &o, &st);
    CHECK(out != NULL);
    if (out) {
        CHECK(strncmp(out,
                      "\xEF\xBB\xBF"
                      "id,captured_at,kiosk_id,operator,mode,",
                      41) == 0);
        CHECK(strstr(out, "met_with_ref\r\n") != NULL);
        CHECK(st.records > 40);
        /* The +49 number of the formula person, guarded and still complete. */
        CHECK(strstr(out, ",'+49 30 1234567,") != NULL);
        CHECK(strstr(out, "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"") != NULL);
        CHECK(strstr(out, ",'+SUM(1,2)") == NULL); /* it has a comma: quoted */
        CHECK(strstr(out, ",\"'+SUM(1,2)\",") != NULL);
        CHECK(strstr(out, "株式会社テスト") != NULL);
        CHECK(strstr(out, "+01:00,") != NULL); /* times carry the offset */
        /* Non-consented people are absent, by name and by reference. */
        CHECK(strstr(out, "Nonconsent") == NULL && strstr(out, SEED_EDGE_SECRET_REF) == NULL);
        CHECK(strstr(out, "Hidden") == NULL && strstr(out, SEED_EDGE_HIDDEN_REF) == NULL);
        CHECK(st.bytes == strlen(out));
        free(out);
    }
    /* Semicolons, no BOM, no guard. */
    o.delimiter = ';';
    o.bom = 0;
    o.neutralise = 0;
    out = run(s, &o, &st);
    if (out) {
        CHECK(memcmp(out, "id;captured_at;", 15) == 0);
        CHECK(strstr(out, ";+49 30 1234567;") != NULL);
        CHECK(strstr(out, ";\"CEO; Founder\";") != NULL);
        free(out);
    }
    export_options_default(&o);
    o.event_name = "Test Conf";
    o.now_ms = T0;

    /* Mode filter: booth only has no handshake rows. */
    o.mode = "booth";
    out = run(s, &o, &st);
    if (out) {
        CHECK(strstr(out, ",handshake,") == NULL && strstr(out, ",booth,") != NULL);
        free(out);
    }
    o.mode = "handshake";
    out = run(s, &o, &st);
    if (out) {
        CHECK(strstr(out, ",booth,") == NULL && strstr(out, ",handshake,") != NULL);
        free(out);
    }
    o.mode = "everything";
    CHECK(run(s, &o, &st) == NULL);
    o.mode = NULL;
    /* Since: only the edge records (captured in the last hour). */
    o.since_ms = T0 - 3600 * 1000;
    out = run(s, &o, &st);
    if (out) {
        CHECK(st.records == 5); /* 4 consented leads + 1 consented handshake side */
        free(out);
    }
    o.since_ms = 0;

    /* JSON */
    o.format = EXPORT_JSON;
    out = run(s, &o, &st);
    if (out) {
        CHECK(strncmp(out, "{\"schema\":\"kiosk-export/1\"", 26) == 0);
        CHECK(strstr(out, "\"contacts\":[") && strstr(out, "\"interactions\":[") &&
              strstr(out, "\"followups\":[") && strstr(out, "\"consent\":["));
        CHECK(strstr(out, "Nonconsent") == NULL && strstr(out, "Hidden") == NULL);
        CHECK(strstr(out, "\"given_name\":\"=HYPERLINK(\\\"http://evil.example\\\",") != NULL);
        CHECK(strstr(out, "\"phones\":[\"+49 30 1234567\"]") != NULL);
        CHECK(strstr(out, "Line one\\nLine \\\"two\\\", with comma; and semicolon\\r\\nthird\\t") !=
              NULL);
        CHECK(strstr(out, "\"answers\":{\"q\":\"needs, \\\"quotes\\\"\\nand lines\"}") != NULL);
        CHECK(strstr(out, "\"cancelled\"") == NULL);
        free(out);
    }

    /* vCard 3 and 4 */
    o.format = EXPORT_VCF;
    out = run(s, &o, &st);
    if (out) {
        CHECK(count_of(out, "BEGIN:VCARD\r\n") == st.records && st.records > 10);
        CHECK(count_of(out, "VERSION:3.0\r\n") == st.records);
        CHECK(st.skipped == 0);
        CHECK(strstr(out, "Met at Test Conf on ") != NULL);
        CHECK(strstr(out, "Nonconsent") == NULL && strstr(out, "Hidden") == NULL);
        for (char *line = out; *line;) { /* every physical line <= 75 octets + CRLF */
            char *eol = strstr(line, "\r\n");
            if (!eol)
                break;
            CHECK(eol - line <= 75);
            line = eol + 2;
        }
        free(out);
    }
    o.vcard_version = 4;
    out = run(s, &o, &st);
    if (out) {
        CHECK(count_of(out, "VERSION:4.0\r\n") == st.records);
        free(out);
    }
    /* A long non-ASCII event name is shortened between characters: the
     * NOTE stays valid UTF-8, so no card is skipped. */
    {
        long cards = st.records;
        char name[400] = "x"; /* then 80 x "€": bytes 120 and 200 fall mid-character */
        for (int i = 0; i < 80; i++)
            strcat(name, "\xE2\x82\xAC");
        o.event_name = name;
        out = run(s, &o, &st);
        if (out) {
            CHECK(st.skipped == 0 && st.records == cards);
            CHECK(utf8_valid(out, strlen(out)));
            free(out);
        }
        o.format = EXPORT_ICS;
        out = run(s, &o, &st);
        if (out) {
            CHECK(utf8_valid(out, strlen(out)));
            CHECK(strstr(out, "\xEF\xBF\xBD") == NULL); /* nothing replaced */
            free(out);
        }
        o.format = EXPORT_VCF;
        o.event_name = "Test Conf";
    }
    o.vcard_version = 2;
    CHECK(run(s, &o, &st) == NULL);
    o.vcard_version = 3;

    /* iCalendar */
    o.format = EXPORT_ICS;
    out = run(s, &o, &st);
    if (out) {
        long n = 0;
        CHECK(strncmp(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
        CHECK(count_of(out, "BEGIN:VTODO\r\n") == st.records && st.records > 5);
        CHECK(count_of(out, "\r\nUID:") == st.records);
        CHECK(count_of(out, "\r\nDUE:") == st.records);
        CHECK(count_of(out, "\r\nDTSTAMP:20251126T100000Z\r\n") == st.records);
        CHECK(strstr(out, "SUMMARY:Thank-you: Seán O'Brien \"The Boss\" (Smith\\, Jones & Co.)") !=
              NULL);
        CHECK(strstr(out, "Nonconsent") == NULL && strstr(out, "Hidden") == NULL);
        for (char *line = out; *line; n++) {
            char *eol = strstr(line, "\r\n");
            if (!eol)
                break;
            CHECK(eol - line <= 75);
            CHECK(memchr(line, '\n', (size_t)(eol - line)) == NULL);
            /* folding never splits a UTF-8 sequence across lines */
            CHECK(utf8_valid(line, (size_t)(eol - line)));
            line = eol + 2;
        }
        CHECK(n > 20);
        CHECK(strstr(out, "END:VCALENDAR\r\n") != NULL);
        free(out);
    }

    /* Inside a caller's transaction the export uses it and leaves it open. */
    o.format = EXPORT_CSV;
    CHECK(store_begin(s, &e) == 0);
    out = run(s, &o, &st);
    CHECK(out != NULL && st.records > 40);
    free(out);
    CHECK(store_commit(s, &e) == 0);
    o.format = EXPORT_ICS;

    /* Audit: one row per logged export, no personal data in it. */
    audit_before = store_count(s, "audit_log");
    CHECK(export_audit(s, &o, &st, "file", "test", T0, &e) == 0);
    CHECK(store_count(s, "audit_log") == audit_before + 1);
    store_close(s);
}

static void test_empty(void)
{
    struct store *s = NULL;
    struct err e;
    struct export_options o;
    struct export_stats st;
    char *out;
    CHECK(store_open(&s, test_path("empty.db"), "kiosk-test", T0, &e) == 0);
    if (!s)
        return;
    export_options_default(&o);
    o.now_ms = T0;
    out = run(s, &o, &st);
    if (out) {
        CHECK(st.records == 0);
        CHECK(strstr(out, "met_with_ref\r\n") && strlen(strstr(out, "met_with_ref\r\n")) == 14);
        free(out);
    }
    o.format = EXPORT_JSON;
    out = run(s, &o, &st);
    if (out) {
        CHECK(strstr(out, "\"contacts\":[\n]") && strstr(out, "\"consent\":[\n]"));
        free(out);
    }
    o.format = EXPORT_VCF;
    out = run(s, &o, &st);
    if (out) {
        CHECK(out[0] == '\0' && st.records == 0);
        free(out);
    }
    o.format = EXPORT_ICS;
    out = run(s, &o, &st);
    if (out) {
        CHECK(strstr(out, "BEGIN:VTODO") == NULL && strstr(out, "END:VCALENDAR\r\n"));
        free(out);
    }
    store_close(s);
}

/* Fault seam: this program's fsync() stands in for libc's (atomicfile.c
 * calls it), so a test can make syncing a folder fail like a stick pulled
 * right after the rename. */
static int fail_dir_fsync;

int fsync(int fd)
{
    struct stat st;
    if (fail_dir_fsync && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EIO;
        return -1;
    }
    return fdatasync(fd);
}

static int af_write(void *ctx, const void *p, size_t n, struct err *err)
{
    return atomicfile_write(ctx, p, n, err);
}

struct failing {
    struct atomicfile *af;
    int left;
};

static int failing_write(void *ctx, const void *p, size_t n, struct err *err)
{
    struct failing *f = ctx;
    if (f->left-- <= 0)
        return err_set(err, "injected: device removed");
    return atomicfile_write(f->af, p, n, err);
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_atomic(void)
{
    struct store *s = seeded("atomic.db", 400, 3000, 500, 0);
    char dir[1024], path[1100], *old, *now;
    struct atomicfile af;
    struct export_options o;
    struct export_stats st;
    struct err e;
    size_t old_len = 0;

    snprintf(dir, sizeof(dir), "%s/out", test_tmpdir());
    CHECK(mkdir(dir, 0700) == 0);
    snprintf(path, sizeof(path), "%s/leads.csv", dir);
    export_options_default(&o);
    o.now_ms = T0;

    /* First export lands whole. */
    CHECK(atomicfile_open(&af, path, 0600, &e) == 0);
    {
        struct export_sink sink = {af_write, &af};
        CHECK(export_run(s, &o, &sink, &st, &e) == 0);
        CHECK(atomicfile_commit(&af, &e) == 0);
    }
    old = test_read_file(path, &old_len);
    CHECK(old && old_len == st.bytes && st.bytes > 3 * 65536);
    CHECK(entries(dir) == 1);

    /* A failure after several buffers: export fails, abort leaves the old
     * file byte for byte and no temporary behind. Try several points. */
    for (int n = 0; n < 4; n++) {
        struct failing f = {&af, n};
        struct export_sink sink = {failing_write, &f};
        o.format = n % 2 ? EXPORT_JSON : EXPORT_CSV;
        CHECK(atomicfile_open(&af, path, 0600, &e) == 0);
        CHECK(entries(dir) == 2);
        CHECK(export_run(s, &o, &sink, &st, &e) < 0);
        CHECK(strstr(e.msg, "device removed") != NULL);
        atomicfile_abort(&af);
        atomicfile_abort(&af); /* twice is harmless */
        now = test_read_file(path, NULL);
        CHECK(now && old && strcmp(now, old) == 0);
        free(now);
        CHECK(entries(dir) == 1);
    }
    /* Commit replaces. */
    CHECK(atomicfile_open(&af, path, 0600, &e) == 0);
    CHECK(atomicfile_write(&af, "new\r\n", 5, &e) == 0);
    CHECK(atomicfile_commit(&af, &e) == 0);
    now = test_read_file(path, NULL);
    CHECK(now && strcmp(now, "new\r\n") == 0);
    free(now);
    free(old);
    CHECK(entries(dir) == 1);
    /* The folder cannot be synced after the rename: the new file is in
     * place, so the error says so (-2) rather than "nothing was written". */
    CHECK(atomicfile_open(&af, path, 0600, &e) == 0);
    CHECK(atomicfile_write(&af, "newer\r\n", 7, &e) == 0);
    fail_dir_fsync = 1;
    CHECK(atomicfile_commit(&af, &e) == -2);
    fail_dir_fsync = 0;
    CHECK(strstr(e.msg, "written") != NULL && strstr(e.msg, "folder") != NULL);
    atomicfile_abort(&af);
    now = test_read_file(path, NULL);
    CHECK(now && strcmp(now, "newer\r\n") == 0);
    free(now);
    CHECK(entries(dir) == 1);
    /* Errors are sentences. */
    CHECK(atomicfile_open(&af, "/nonexistent/dir/x.csv", 0600, &e) < 0);
    CHECK(strstr(e.msg, "/nonexistent/dir") != NULL);
    atomicfile_abort(NULL);
    store_close(s);
}

/* Bytes that are not UTF-8 in the database (a merged file from elsewhere,
 * a hand edit) never make the export invalid UTF-8: JSON strings, and the
 * lead answers embedded as JSON, carry U+FFFD instead. */
static void test_bad_utf8(void)
{
    struct store *s = NULL;
    struct err e;
    struct export_options o;
    struct export_stats st;
    struct contact *c = calloc(1, sizeof(*c));
    struct store_interaction in;
    char aid[KIOSK_ID_LEN], iid[KIOSK_ID_LEN];
    char *out;

    CHECK(store_open(&s, test_path("badutf8.db"), "kiosk-test", T0, &e) == 0);
    if (!s || !c) {
        free(c);
        return;
    }
    snprintf(c->ref, sizeof(c->ref), "ref-bad");
    snprintf(c->given_name, sizeof(c->given_name), "Bea");
    snprintf(c->display_name, sizeof(c->display_name), "Bea Bytes");
    CHECK(store_attendee_upsert(s, c, "badge", T0, aid, &e) == 0);
    memset(&in, 0, sizeof(in));
    in.kind = "lead";
    in.a_id = aid;
    in.operator_name = "op";
    in.consent_a_at = T0;
    in.consent_scope = "card";
    in.followup_choice = "none";
    CHECK(store_interaction_add(s, &in, T0, iid, &e) == 0);
    CHECK(store_lead_set(s, iid, 3, "t", "{\"q\":\"caf\xC3 \xFF!\"}", T0, &e) == 0);
    CHECK(store_note_append(s, iid, "op", "note \xE2\x82 cut", T0, &e) == 0);

    export_options_default(&o);
    o.now_ms = T0;
    out = run(s, &o, &st); /* CSV */
    CHECK(out != NULL && st.records == 1);
    if (out) {
        CHECK(utf8_valid(out, strlen(out)));
        CHECK(strstr(out, ",note \xEF\xBF\xBD\xEF\xBF\xBD cut,") != NULL);
        free(out);
    }
    o.format = EXPORT_JSON;
    out = run(s, &o, &st);
    CHECK(out != NULL);
    if (out) {
        CHECK(utf8_valid(out, strlen(out)));
        CHECK(strstr(out, "\"answers\":{\"q\":\"caf\\ufffd \\ufffd!\"}") != NULL);
        CHECK(strstr(out, "note \\ufffd\\ufffd cut") != NULL); /* one per stray byte */
        free(out);
    }
    free(c);
    store_close(s);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    test_cells();
    test_formats();
    test_empty();
    test_atomic();
    test_bad_utf8();
    return test_done();
}
