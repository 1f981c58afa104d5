/*
 * test_roster.c - header mapping, row checks and the real import into a
 * SQLite file: all-or-nothing, idempotent, bad rows by line, lookups by
 * every kind of reference, shared order codes kept off the lookup table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"
#include "store.h"
#include "store_roster.h"
#include "test.h"

#define NOW 1767225600000LL /* 2026-01-01 */

static void test_header_maps(void)
{
    struct roster_map m;
    struct err err = {{0}};
    char desc[1024];

    {
        const char *h[] = {"Order code",
                           "Attendee name",
                           "Attendee name: Given name",
                           "Attendee name: Family name",
                           "E-mail",
                           "Company",
                           "Secret",
                           "Pseudonymization ID",
                           "Product"};
        CHECK(roster_map_header(&m, h, 9, NULL, 0, &err) == 0);
        CHECK(m.col[0] == ROSTER_ORDER && m.col[1] == ROSTER_NAME && m.col[2] == ROSTER_GIVEN &&
              m.col[3] == ROSTER_FAMILY && m.col[4] == ROSTER_EMAIL && m.col[5] == ROSTER_ORG &&
              m.col[6] == ROSTER_REF && m.col[7] == ROSTER_PSEUDO && m.col[8] == ROSTER_IGNORE);
    }
    {
        /* Eventbrite: "Barcode #" beats "Attendee #"; the buyer's e-mail is not the attendee's. */
        const char *h[] = {"Order #",    "First Name", "Last Name",   "Email",
                           "Attendee #", "Barcode #",  "Buyer Email", "Job Title"};
        CHECK(roster_map_header(&m, h, 8, NULL, 0, &err) == 0);
        CHECK(m.col[0] == ROSTER_ORDER && m.col[3] == ROSTER_EMAIL && m.col[4] == ROSTER_IGNORE &&
              m.col[5] == ROSTER_REF && m.col[6] == ROSTER_IGNORE && m.col[7] == ROSTER_TITLE);
        CHECK_STR(roster_map_describe(&m, h, desc, sizeof(desc)),
                  "Order #=order, First Name=given, Last Name=family, Email=email, "
                  "Barcode #=ref, Job Title=title");
    }
    {
        /* --map: by name (any case/punctuation), by #N, moving a field, ignoring. */
        const char *h[] = {"Name", "Badge code", "Mail", "Attendee #"};
        const char *over[] = {"badge-CODE=ref", "#1=ignore", "Mail=note"};
        CHECK(roster_map_header(&m, h, 4, over, 3, &err) == 0);
        CHECK(m.col[0] == ROSTER_IGNORE && m.col[1] == ROSTER_REF && m.col[2] == ROSTER_NOTE &&
              m.col[3] == ROSTER_IGNORE);
        {
            const char *bad1[] = {"Nope=ref"};
            const char *bad2[] = {"Mail=shoe"};
            const char *bad3[] = {"#9=ref"};
            const char *bad4[] = {"noequals"};
            CHECK(roster_map_header(&m, h, 4, bad1, 1, &err) == -1);
            CHECK(strstr(err.msg, "no column \"Nope\"") != NULL);
            CHECK(roster_map_header(&m, h, 4, bad2, 1, &err) == -1);
            CHECK(strstr(err.msg, "unknown field \"shoe\"") != NULL);
            CHECK(roster_map_header(&m, h, 4, bad3, 1, &err) == -1);
            CHECK(roster_map_header(&m, h, 4, bad4, 1, &err) == -1);
        }
    }
    {
        const char *h[] = {"Vorname", "Nachname", "Farbe"};
        CHECK(roster_map_header(&m, h, 3, NULL, 0, &err) == -1);
        CHECK(strstr(err.msg, "--map") != NULL);
    }
}

static void test_rows(void)
{
    struct roster_map m;
    struct roster_refs refs;
    struct contact c;
    struct err err = {{0}};
    const char *h[] = {"First name", "Last name", "E-mail", "Ticket secret", "Order code"};
    char big[400];

    CHECK(roster_map_header(&m, h, 5, NULL, 0, &err) == 0);
    {
        const char *row[] = {" Zoë ", "Ng", "zoe@example.org", "S1", "ORD1"};
        CHECK(roster_row(&m, row, 5, &c, &refs, &err) == 0);
        CHECK_STR(c.given_name, "Zoë");
        CHECK_STR(c.display_name, "Zoë Ng");
        CHECK_STR(c.ref, "S1");
        CHECK_STR(refs.order, "ORD1");
        CHECK_STR(c.format, "roster");
    }
    {
        const char *row[] = {"A", "B", "", "", "ORD2"}; /* order code becomes the ref */
        CHECK(roster_row(&m, row, 5, &c, &refs, &err) == 0);
        CHECK_STR(c.ref, "ORD2");
    }
    {
        const char *row[] = {"A", "B", "a@b.example"};
        CHECK(roster_row(&m, row, 3, &c, &refs, &err) == -1);
        CHECK(strstr(err.msg, "3 fields where the header has 5") != NULL);
    }
    {
        const char *row[] = {"A\xff", "B", "a@b.example", "S", ""};
        CHECK(roster_row(&m, row, 5, &c, &refs, &err) == -1);
        CHECK(strstr(err.msg, "UTF-8") != NULL);
    }
    {
        const char *row[] = {"A", "B", "nope", "S", ""};
        CHECK(roster_row(&m, row, 5, &c, &refs, &err) == -1);
        CHECK(strstr(err.msg, "not an address") != NULL);
    }
    {
        const char *row[] = {"A", "B", "", "", ""};
        CHECK(roster_row(&m, row, 5, &c, &refs, &err) == -1);
        CHECK(strstr(err.msg, "no ticket secret") != NULL);
    }
    memset(big, 'n', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    {
        const char *row[] = {big, "B", "", "S", ""};
        CHECK(roster_row(&m, row, 5, &c, &refs, &err) == -1);
        CHECK(strstr(err.msg, "longer than 255 bytes") != NULL);
    }
}

/* ------------------------------------------------------------ store */

static long file_read(void *ctx, char *buf, size_t size)
{
    size_t n = fread(buf, 1, size, (FILE *)ctx);
    return (n == 0 && ferror((FILE *)ctx)) ? -1 : (long)n;
}

struct bad {
    int n;
    long lines[32];
    char reasons[32][KIOSK_MSG_MAX];
};

static void on_bad(void *ctx, long line, const char *reason)
{
    struct bad *b = ctx;
    if (b->n < 32) {
        b->lines[b->n] = line;
        snprintf(b->reasons[b->n], KIOSK_MSG_MAX, "%s", reason);
    }
    b->n++;
}

static int import(struct store *s, const char *name, const char *const *maps, int nmaps,
                  struct store_roster_stats *st, struct bad *b, struct err *err)
{
    FILE *f = fopen(test_data(name), "rb");
    char mapping[1024];
    int r;
    if (!f)
        return -2;
    memset(b, 0, sizeof(*b));
    r = store_roster_import(s, file_read, f, 0, maps, nmaps, NOW, on_bad, b, st, mapping,
                            sizeof(mapping), err);
    fclose(f);
    return r;
}

static int found(struct store *s, const char *ref, const char *want_name)
{
    struct contact c;
    char name[600];
    if (store_attendee_find(s, ref, &c, NULL, NULL) != 0)
        return 0;
    contact_name(&c, name, sizeof(name));
    if (strcmp(name, want_name) != 0) {
        fprintf(stderr, "%s -> %s, want %s\n", ref, name, want_name);
        return 0;
    }
    return 1;
}

static void test_import(void)
{
    struct store *s = NULL;
    struct store_roster_stats st;
    struct bad b;
    struct err err = {{0}};
    long attendees, refs;

    CHECK(store_open(&s, test_path("roster.db"), "kiosk-test", NOW, &err) == 0);
    if (!s)
        return;

    /* pretix: ';', BOM, CRLF, quoted fields; the shared order code ABC12 is dropped. */
    CHECK(import(s, "roster/pretix.csv", NULL, 0, &st, &b, &err) == 0);
    CHECK(st.rows == 3 && st.inserted == 3 && st.updated == 0 && st.ambiguous == 1);
    CHECK(found(s, "s3cr3tjane000000000000000000000a", "Jane Doe"));
    CHECK(found(s, "K3J9XQ2M7P", "Jane Doe"));
    CHECK(found(s, "john@example.org", "John Doe"));
    CHECK(found(s, "XYZ99", "Zoë O'Brien; Jr"));
    CHECK(store_attendee_find(s, "ABC12", NULL, NULL, &err) == 1);

    /* Idempotent: the same file again changes no counts. */
    attendees = store_count(s, "attendees");
    refs = store_count(s, "attendee_refs");
    CHECK(import(s, "roster/pretix.csv", NULL, 0, &st, &b, &err) == 0);
    CHECK(st.rows == 3 && st.inserted == 0 && st.updated == 3);
    CHECK(store_count(s, "attendees") == attendees);
    CHECK(store_count(s, "attendee_refs") == refs);
    CHECK(store_attendee_find(s, "ABC12", NULL, NULL, &err) == 1);

    /* Eventbrite, alf.io (multi-line quoted address), eventyay, generic. */
    CHECK(import(s, "roster/eventbrite.csv", NULL, 0, &st, &b, &err) == 0);
    CHECK(st.rows == 3 && st.inserted == 3);
    CHECK(found(s, "123456789012345678003", "Grace \"Amazing\" Hopper"));
    CHECK(found(s, "1234567891", "Grace \"Amazing\" Hopper"));          /* own order */
    CHECK(store_attendee_find(s, "1234567890", NULL, NULL, &err) == 1); /* shared order */
    {
        struct contact c;
        CHECK(store_attendee_find(s, "123456789012345678002", &c, NULL, &err) == 0);
        CHECK_STR(c.title, "Inventor, Engineer");
        CHECK(c.n_phones == 0);
        CHECK(store_attendee_find(s, "123456789012345678001", &c, NULL, &err) == 0);
        CHECK_STR(c.phones[0], "+44 20 7946 0001");
        CHECK_STR(c.org, "Analytical Engines");
    }
    CHECK(import(s, "roster/alfio.csv", NULL, 0, &st, &b, &err) == 0);
    CHECK(st.rows == 2);
    CHECK(found(s, "0c2b1e7a-1111-4a5b-9c3d-000000000002", "Margaret Hamilton"));
    CHECK(found(s, "RES-0001", "Linus Torvalds"));
    CHECK(import(s, "roster/eventyay.csv", NULL, 0, &st, &b, &err) == 0);
    CHECK(found(s, "evtsecret0000000000000000000002", "Hiroshi Sato"));
    CHECK(found(s, "AAAAAAAAA1", "Ngozi Okonjo"));
    CHECK(import(s, "roster/generic.csv", NULL, 0, &st, &b, &err) == 0);
    CHECK(found(s, "gen-secret-0002", "Barbara Liskov"));
    CHECK(found(s, "PSEUDO0001", "Tim Berners-Lee"));
    CHECK(found(s, "ORD03", "Ken Thompson")); /* no secret: the order code is its ref */

    /* --map: a column no export names. */
    {
        const char *maps[] = {"Badge code=ref"};
        CHECK(import(s, "roster/custom.csv", maps, 1, &st, &b, &err) == 0);
        CHECK(found(s, "CODE-1", "No Header Match"));
        CHECK(found(s, "one@example.org", "No Header Match"));
    }
    CHECK(import(s, "roster/noref.csv", NULL, 0, &st, &b, &err) == -1);

    /* All or nothing: every bad row reported by line, nothing stored. */
    attendees = store_count(s, "attendees");
    refs = store_count(s, "attendee_refs");
    CHECK(import(s, "roster/bad.csv", NULL, 0, &st, &b, &err) == -1);
    CHECK(strstr(err.msg, "6 bad rows; nothing was imported") != NULL);
    CHECK(b.n == 6);
    CHECK(b.lines[0] == 3 && strstr(b.reasons[0], "3 fields where the header has 4"));
    CHECK(b.lines[1] == 4 && strstr(b.reasons[1], "not an address"));
    CHECK(b.lines[2] == 5 && strstr(b.reasons[2], "no ticket secret"));
    CHECK(b.lines[3] == 6 && strstr(b.reasons[3], "after a closing quote"));
    CHECK(b.lines[4] == 7 && strstr(b.reasons[4], "UTF-8"));
    CHECK(b.lines[5] == 8 && strstr(b.reasons[5], "already on line 2"));
    CHECK(store_count(s, "attendees") == attendees);
    CHECK(store_count(s, "attendee_refs") == refs);
    CHECK(store_attendee_find(s, "bad-file-001", NULL, NULL, &err) == 1);
    CHECK(store_attendee_find(s, "bad-file-008", NULL, NULL, &err) == 1);

    /* A roster never takes over another attendee's primary reference: a
     * badge scanned earlier keyed by its e-mail keeps it. */
    {
        struct contact c;
        char id[KIOSK_ID_LEN];
        FILE *f = fopen(test_path("steal.csv"), "w");
        contact_clear(&c);
        contact_set(c.ref, sizeof(c.ref), "scanned@example.org");
        contact_set(c.display_name, sizeof(c.display_name), "Scanned Badge");
        contact_add_email(&c, "scanned@example.org");
        CHECK(store_attendee_upsert(s, &c, "badge", NOW, id, &err) == 0);
        fputs("Name,E-mail,Secret\nRoster Person,scanned@example.org,steal-1\n", f);
        fclose(f);
        f = fopen(test_path("steal.csv"), "rb");
        CHECK(store_roster_import(s, file_read, f, 0, NULL, 0, NOW, on_bad, &b, &st, NULL, 0,
                                  &err) == 0);
        fclose(f);
        CHECK(found(s, "scanned@example.org", "Scanned Badge"));
        CHECK(found(s, "steal-1", "Roster Person"));
    }
    /* A long non-ASCII column header (a pretix question, say) is kept only
     * in part for matching; the cut must not make it invalid UTF-8 and
     * refuse the whole file. 2 + 60 x "質" = 182 bytes, cut mid-character
     * at 127. */
    {
        FILE *f = fopen(test_path("question.csv"), "wb");
        CHECK(f != NULL);
        if (f) {
            fputs("Name,E-mail,Secret,xy", f);
            for (int i = 0; i < 60; i++)
                fputs("\xE8\xB3\xAA", f);
            fputs("\nQuestion Person,question@example.org,question-1,yes\n", f);
            fclose(f);
            f = fopen(test_path("question.csv"), "rb");
            memset(&b, 0, sizeof(b));
            err.msg[0] = '\0';
            CHECK(store_roster_import(s, file_read, f, 0, NULL, 0, NOW, on_bad, &b, &st, NULL, 0,
                                      &err) == 0);
            if (err.msg[0])
                fprintf(stderr, "question.csv: %s\n", err.msg);
            fclose(f);
            CHECK(found(s, "question-1", "Question Person"));
        }
    }
    CHECK(store_check(s, &err) == 0);
    store_close(s);

    /* Committed means on disk: reopen and look up. */
    CHECK(store_open(&s, test_path("roster.db"), "kiosk-test", NOW, &err) == 0);
    CHECK(found(s, "gen-secret-0001", "Tim Berners-Lee"));
    store_close(s);
}

/* A row's primary reference that an earlier (or later) row of the same
 * file holds as its order code or e-mail: two tickets stay two attendees,
 * and the primary reference finds its own row (fuzz_roster: "A1 with order
 * X1, then X1" made one attendee with the second row's name, so ticket A1
 * showed the wrong person). */
static void test_import_collisions(void)
{
    static const char *const files[] = {
        "Secret,Order code,Name\nA1,X1,First\nX1,,Second\n",
        "Secret,Order code,Name\nX1,,Second\nA1,X1,First\n",
        "Secret,E-mail,Name\nS1,buyer@example.org,First\n,buyer@example.org,Second\n",
    };
    static const char *const refs[][2] = {{"A1", "X1"}, {"A1", "X1"}, {"S1", "buyer@example.org"}};
    struct err err = {{0}};

    for (int i = 0; i < 3; i++) {
        struct store *s = NULL;
        struct store_roster_stats st;
        struct bad b = {0};
        char name[32];
        FILE *f;

        snprintf(name, sizeof(name), "collide%d.db", i);
        CHECK(store_open(&s, test_path(name), "kiosk-test", NOW, &err) == 0);
        if (!s)
            return;
        snprintf(name, sizeof(name), "collide%d.csv", i);
        f = fopen(test_path(name), "w");
        fputs(files[i], f);
        fclose(f);
        f = fopen(test_path(name), "rb");
        CHECK(store_roster_import(s, file_read, f, 0, NULL, 0, NOW, on_bad, &b, &st, NULL, 0,
                                  &err) == 0);
        fclose(f);
        CHECK(st.rows == 2 && st.inserted == 2 && st.updated == 0);
        CHECK(store_count(s, "attendees") == 2);
        CHECK(found(s, refs[i][0], "First"));
        CHECK(found(s, refs[i][1], "Second"));
        store_close(s);
    }
}

int main(void)
{
    test_header_maps();
    test_rows();
    test_import();
    test_import_collisions();
    return test_done();
}
