/*
 * test_badge.c - the badge payload corpus and the parser's edges.
 *
 * Corpus: every tests/data/badges/NAME.txt is parsed and rendered as
 *   {"status":"contact|ref","contact":{...badge_to_json...}}  or
 *   {"status":"refused|invalid","format":"...","reason":"..."}
 * and compared with NAME.json. KIOSK_UPDATE_GOLDEN=1 rewrites the .json
 * files instead (review the diff before committing).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badge.h"
#include "json.h"
#include "test.h"
#include "utf8.h"
#include "vcard.h"

static void render(enum badge_status st, const struct contact *c, const char *reason, char *out,
                   size_t size)
{
    char body[16384];
    if (st == BADGE_CONTACT || st == BADGE_REF) {
        if (badge_to_json(c, body, sizeof(body)) < 0)
            snprintf(body, sizeof(body), "\"(too long)\"");
        snprintf(out, size, "{\"status\":\"%s\",\"contact\":%s}\n", badge_status_name(st), body);
    } else {
        /* reason is plain text without quotes or backslashes by construction,
         * but escape the two that would break JSON to be safe. */
        char r[512];
        size_t o = 0;
        for (const char *p = reason; *p && o + 2 < sizeof(r); p++) {
            if (*p == '"' || *p == '\\')
                r[o++] = '\\';
            r[o++] = *p;
        }
        r[o] = '\0';
        snprintf(out, size, "{\"status\":\"%s\",\"format\":\"%s\",\"reason\":\"%s\"}\n",
                 badge_status_name(st), c->format, r);
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void)
{
    const char *dir = test_data("badges");
    const char *update = getenv("KIOSK_UPDATE_GOLDEN");
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[512];
    int n = 0;

    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
    CHECK(n >= 60);

    for (int i = 0; i < n; i++) {
        char path[1024], want_path[1024], got[20000], reason[256];
        struct contact c;
        size_t len = 0;
        char *payload, *want;
        enum badge_status st;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        snprintf(want_path, sizeof(want_path), "%.*s.json", (int)(strlen(path) - 4), path);
        payload = test_read_file(path, &len);
        CHECK(payload != NULL);
        if (!payload)
            continue;
        st = badge_parse((const unsigned char *)payload, len, NULL, &c, reason, sizeof(reason));
        render(st, &c, reason, got, sizeof(got));
        if (update && update[0] == '1') {
            FILE *f = fopen(want_path, "w");
            if (f) {
                fputs(got, f);
                fclose(f);
            }
        } else {
            want = test_read_file(want_path, NULL);
            if (!want)
                fprintf(stderr, "missing %s\n", want_path);
            else if (strcmp(want, got) != 0)
                fprintf(stderr, "%s:\n  got:  %s  want: %s", names[i], got, want);
            CHECK(want != NULL && strcmp(want, got) == 0);
            free(want);
        }
        /* Whatever came out is valid UTF-8 JSON our own strict reader accepts. */
        {
            struct json_tok toks[512];
            struct json j;
            CHECK(json_parse(&j, got, strlen(got), toks, 512, 0, NULL, 0) == 0);
        }
        free(payload);
        free(names[i]);
    }
}

static enum badge_status parse_str(const char *s, const struct badge_options *opt,
                                   struct contact *c, char *reason)
{
    return badge_parse((const unsigned char *)s, strlen(s), opt, c, reason, 256);
}

static void test_caret_order(void)
{
    struct badge_options opt = {"email,family,given,skip,ref"};
    struct contact c;
    char reason[256];
    CHECK(parse_str("a@b.example^Doe^Jane^whatever^T-77", &opt, &c, reason) == BADGE_CONTACT);
    CHECK_STR(c.ref, "T-77");
    CHECK_STR(c.given_name, "Jane");
    CHECK_STR(c.family_name, "Doe");
    CHECK_STR(c.emails[0], "a@b.example");
    CHECK_STR(c.format, "caret");
}

/* Writer -> reader: what we print in a QR code reads back the same. */
static void test_roundtrip(void)
{
    struct contact a, b;
    struct err err;
    char card[VCARD_WRITE_MAX], reason[256];
    int n;

    for (int version = 3; version <= 4; version++) {
        contact_clear(&a);
        contact_set(a.display_name, sizeof(a.display_name), "Zoë O'Brien; the 2nd, \\o/");
        contact_set(a.given_name, sizeof(a.given_name), "Zoë");
        contact_set(a.family_name, sizeof(a.family_name), "O'Brien;2nd");
        contact_set(a.org, sizeof(a.org), "ACME, Inc.");
        contact_set(a.title, sizeof(a.title), "Chief \"Everything\" Officer");
        contact_add_email(&a, "zoe@example.org");
        contact_add_email(&a, "z@example.net");
        contact_add_phone(&a, "+32 470 12 34 56");
        contact_set(a.url, sizeof(a.url), "https://example.org/?q=1,2;3");
        contact_set(a.note, sizeof(a.note),
                    "Line one; with semicolon\nLine two, with comma and a very long tail that "
                    "will need folding because it goes past seventy-five octets — ünïcödé");
        n = vcard_write(&a, version, NULL, card, sizeof(card), &err);
        CHECK(n > 0);
        CHECK(badge_parse((const unsigned char *)card, (size_t)n, NULL, &b, reason,
                          sizeof(reason)) == BADGE_CONTACT);
        CHECK_STR(b.format, version == 3 ? "vcard3" : "vcard4");
        CHECK_STR(b.display_name, a.display_name);
        CHECK_STR(b.given_name, a.given_name);
        CHECK_STR(b.family_name, a.family_name);
        CHECK_STR(b.org, "ACME, Inc.");
        CHECK_STR(b.title, a.title);
        CHECK(b.n_emails == 2);
        CHECK_STR(b.emails[1], "z@example.net");
        CHECK_STR(b.phones[0], "+32 470 12 34 56");
        CHECK_STR(b.url, "https://example.org/?q=1%2C2%3B3");
        CHECK_STR(b.note, a.note);
    }
}

/* A scheme behind a control character or a second scheme is dropped on
 * the first read, so the value written back reads the same (found by
 * fuzz_badge: "\x12mailto:\x12mailto:a@b" kept one "mailto:"). */
static void test_scheme_fixpoint(void)
{
    static const char *card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n"
                              "EMAIL:\x12mailto:\x12MAILTO: a@example.org\r\n"
                              "TEL:\x01tel:tel:+32 1\r\nEND:VCARD\r\n";
    struct contact a, b;
    struct err err;
    char out[VCARD_WRITE_MAX], reason[256];
    int n;

    CHECK(badge_parse((const unsigned char *)card, strlen(card), NULL, &a, reason,
                      sizeof(reason)) == BADGE_CONTACT);
    CHECK_STR(a.emails[0], "a@example.org");
    CHECK_STR(a.phones[0], "+32 1");
    for (int version = 3; version <= 4; version++) {
        n = vcard_write(&a, version, NULL, out, sizeof(out), &err);
        CHECK(n > 0);
        CHECK(badge_parse((const unsigned char *)out, (size_t)n, NULL, &b, reason,
                          sizeof(reason)) == BADGE_CONTACT);
        CHECK_STR(b.emails[0], a.emails[0]);
        CHECK_STR(b.phones[0], a.phones[0]);
    }
}

static void test_limits(void)
{
    struct contact c;
    char reason[256];
    char big[KIOSK_PAYLOAD_MAX + 2];

    /* Exactly at the limit is parsed; one byte more is refused. */
    memset(big, 'A', sizeof(big));
    CHECK(badge_parse((unsigned char *)big, KIOSK_PAYLOAD_MAX, NULL, &c, reason, sizeof(reason)) ==
          BADGE_INVALID);
    CHECK(strstr(reason, "too long to be a reference") != NULL);
    CHECK(badge_parse((unsigned char *)big, KIOSK_PAYLOAD_MAX + 1, NULL, &c, reason,
                      sizeof(reason)) == BADGE_INVALID);
    CHECK(strstr(reason, "limit") != NULL);
    /* NULL data, NULL reason, tiny reason buffer: no crash. */
    CHECK(badge_parse(NULL, 0, NULL, &c, NULL, 0) == BADGE_INVALID);
    CHECK(badge_parse((const unsigned char *)"WIFI:S:x;;", 10, NULL, &c, reason, 4) ==
          BADGE_REFUSED);
    CHECK(strlen(reason) == 3);
    /* A ref just under KIOSK_REF_MAX is kept whole. */
    memset(big, 'k', KIOSK_REF_MAX - 1);
    CHECK(badge_parse((unsigned char *)big, KIOSK_REF_MAX - 1, NULL, &c, reason, sizeof(reason)) ==
          BADGE_REF);
    CHECK(strlen(c.ref) == KIOSK_REF_MAX - 1);
    CHECK(badge_parse((unsigned char *)big, KIOSK_REF_MAX, NULL, &c, reason, sizeof(reason)) ==
          BADGE_INVALID);
}

/* A name longer than the caller's buffer is cut between characters. */
static void test_contact_name_cut(void)
{
    struct contact c;
    char out[KIOSK_NAME_MAX], small[4];
    contact_clear(&c);
    /* "x" + 99 x "é" (199 bytes), a space, 100 x "ü": byte 255 falls inside
     * the 28th "ü", which must go whole. */
    strcpy(c.given_name, "x");
    for (int i = 0; i < 99; i++)
        strcat(c.given_name, "\xC3\xA9");
    for (int i = 0; i < 100; i++)
        strcat(c.family_name, "\xC3\xBC");
    contact_name(&c, out, sizeof(out));
    CHECK(strlen(out) == 254);
    CHECK(utf8_valid(out, strlen(out)));
    /* A 3-byte character cut after one or two of its bytes. */
    contact_clear(&c);
    strcpy(c.display_name, "a\xE2\x82\xAC");
    contact_name(&c, small, sizeof(small));
    CHECK_STR(small, "a");
    strcpy(c.display_name, "ab\xE2\x82\xAC");
    contact_name(&c, small, sizeof(small));
    CHECK_STR(small, "ab");
    strcpy(c.display_name, "\xE2\x82\xAC!");
    contact_name(&c, small, sizeof(small));
    CHECK_STR(small, "\xE2\x82\xAC");
    strcpy(c.display_name, "abcd");
    contact_name(&c, small, sizeof(small));
    CHECK_STR(small, "abc");
}

static void test_json_reader(void)
{
    struct json_tok toks[64];
    struct json j;
    char buf[64], why[128];
    const char *doc = "{\"a\":[1,{\"b\":\"x\\u00e9\"},3],\"a\":2,\"c\":\"\\ud83d\\ude00\"}";
    int t;

    CHECK(json_parse(&j, doc, strlen(doc), toks, 64, 0, why, sizeof(why)) == 0);
    t = json_get(&j, 0, "a");
    CHECK(t > 0 && toks[t].type == JSON_ARRAY && toks[t].count == 3);
    CHECK(json_scalar(&j, json_at(&j, t, 2), buf, sizeof(buf)) == 1 && strcmp(buf, "3") == 0);
    CHECK(json_string(&j, json_get(&j, json_at(&j, t, 1), "b"), buf, sizeof(buf)) == 3);
    CHECK_STR(buf, "xé");
    CHECK(json_string(&j, json_get(&j, 0, "c"), buf, sizeof(buf)) == 4);
    CHECK_STR(buf, "😀");
    CHECK(json_get(&j, 0, "zz") == -1);
    CHECK(json_at(&j, t, 3) == -1);
    CHECK(json_string(&j, json_get(&j, 0, "c"), buf, 4) == -1); /* does not fit */

    static const char *const bad[] = {"",
                                      "{",
                                      "{\"a\":}",
                                      "[1,]",
                                      "{\"a\":1,}",
                                      "01",
                                      "1.",
                                      "-",
                                      "\"\\x\"",
                                      "\"a\nb\"",
                                      "tru",
                                      "nul",
                                      "[1] [2]",
                                      "{'a':1}",
                                      "\"\\u12\"",
                                      "\"\\udc00\"",
                                      "\"\\ud800\\u0041\"",
                                      "\"\xC0\xAF\"",
                                      "\"\xED\xA0\x80\"",
                                      "{\"a\" 1}",
                                      "[1 2]",
                                      "1e",
                                      "+1",
                                      NULL};
    for (int i = 0; bad[i]; i++) {
        int r = json_parse(&j, bad[i], strlen(bad[i]), toks, 64, 0, why, sizeof(why));
        if (r == 0)
            fprintf(stderr, "accepted bad JSON: %s\n", bad[i]);
        CHECK(r == -1);
    }
    CHECK(json_parse(&j, "[[[[1]]]]", 9, toks, 64, 3, why, sizeof(why)) == -1);
    CHECK(strstr(why, "deep") != NULL);
    CHECK(json_parse(&j, "[[[[1]]]]", 9, toks, 64, 4, why, sizeof(why)) == 0);
    CHECK(json_parse(&j, "[1,2,3,4]", 9, toks, 4, 0, why, sizeof(why)) == -1);
    CHECK(json_parse(&j, " -0.5e+10 ", 10, toks, 4, 0, why, sizeof(why)) == 0);
    /* \u0000 parses but is not handed out as a C string. */
    CHECK(json_parse(&j, "\"a\\u0000b\"", 10, toks, 4, 0, why, sizeof(why)) == 0);
    CHECK(json_string(&j, 0, buf, sizeof(buf)) == -1);
}

int main(void)
{
    test_corpus();
    test_caret_order();
    test_roundtrip();
    test_scheme_fixpoint();
    test_limits();
    test_contact_name_cut();
    test_json_reader();
    return test_done();
}
