/* test_vcard.c - the vCard writer (escaping, folding, limits) and its
 * round trip through our own reader. python3-vobject reads the same output
 * in tests/vcard_vobject.py. */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "vcard.h"

/* Every physical line ends in CRLF, is at most 75 octets, and no line starts
 * with a UTF-8 continuation byte (a fold never splits a sequence). */
static int well_folded(const char *s)
{
    const char *line = s;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        if (!crlf || crlf - line > 75)
            return 0;
        if (((unsigned char)line[0] & 0xC0) == 0x80)
            return 0;
        for (const char *p = line; p < crlf; p++)
            if (*p == '\r' || *p == '\n')
                return 0;
        line = crlf + 2;
    }
    return 1;
}

/* Undo folding into out (CRLF + space/tab removed). */
static void unfold(const char *s, char *out, size_t size)
{
    size_t n = 0;
    while (*s && n + 1 < size) {
        if (s[0] == '\r' && s[1] == '\n' && (s[2] == ' ' || s[2] == '\t')) {
            s += 3;
            continue;
        }
        out[n++] = *s++;
    }
    out[n] = '\0';
}

static void test_basic(void)
{
    struct contact c;
    struct err err = {{0}};
    char buf[VCARD_WRITE_MAX];
    int n;

    contact_clear(&c);
    contact_set(c.given_name, sizeof(c.given_name), "Zoë");
    contact_set(c.family_name, sizeof(c.family_name), "O'Brien; Jr, \\ the 2nd");
    contact_set(c.org, sizeof(c.org), "ACME, Inc.");
    contact_set(c.title, sizeof(c.title), "CTO");
    contact_add_email(&c, "zoe@example.org");
    contact_add_email(&c, "z@example.com");
    contact_add_phone(&c, "+32 470 12 34 56");
    contact_set(c.url, sizeof(c.url), "https://example.org/?a=1,2;b");
    contact_set(c.note, sizeof(c.note), "line one\nline two");

    n = vcard_write(&c, 3, "Met at FOSDEM: Rust", buf, sizeof(buf), &err);
    CHECK(n > 0);
    CHECK((size_t)n == strlen(buf));
    CHECK(well_folded(buf));
    CHECK(strncmp(buf, "BEGIN:VCARD\r\nVERSION:3.0\r\n", 26) == 0);
    CHECK(strstr(buf, "\r\nN:O'Brien\\; Jr\\, \\\\ the 2nd;Zoë;;;\r\n") != NULL);
    CHECK(strstr(buf, "\r\nFN:Zoë O'Brien\\; Jr\\, \\\\ the 2nd\r\n") != NULL);
    CHECK(strstr(buf, "\r\nORG:ACME\\, Inc.\r\n") != NULL);
    CHECK(strstr(buf, "\r\nTITLE:CTO\r\n") != NULL);
    CHECK(strstr(buf, "\r\nEMAIL;TYPE=INTERNET:zoe@example.org\r\n") != NULL);
    CHECK(strstr(buf, "\r\nEMAIL;TYPE=INTERNET:z@example.com\r\n") != NULL);
    CHECK(strstr(buf, "\r\nTEL;TYPE=VOICE:+32 470 12 34 56\r\n") != NULL);
    CHECK(strstr(buf, "\r\nURL:https://example.org/?a=1%2C2%3Bb\r\n") != NULL);
    CHECK(strstr(buf, "\r\nNOTE:line one\\nline two\\nMet at FOSDEM: Rust\r\n") != NULL);
    CHECK(n >= 11 && strcmp(buf + n - 11, "END:VCARD\r\n") == 0);

    n = vcard_write(&c, 4, NULL, buf, sizeof(buf), &err);
    CHECK(n > 0);
    CHECK(strncmp(buf, "BEGIN:VCARD\r\nVERSION:4.0\r\n", 26) == 0);
    CHECK(strstr(buf, "\r\nEMAIL:zoe@example.org\r\n") != NULL);
    CHECK(strstr(buf, "\r\nNOTE:line one\\nline two\r\n") != NULL);

    /* Unsupported version. */
    CHECK(vcard_write(&c, 2, NULL, buf, sizeof(buf), &err) == -1);
    CHECK(strstr(err.msg, "version") != NULL);
    CHECK(buf[0] == '\0');
}

static void test_folding(void)
{
    struct contact c;
    struct err err = {{0}};
    char buf[VCARD_WRITE_MAX], flat[VCARD_WRITE_MAX];
    char note[KIOSK_NOTE_MAX];
    size_t used = 0;
    int n;

    contact_clear(&c);
    contact_set(c.display_name, sizeof(c.display_name), "Ünïcødé Person");
    /* A long note of 2- and 3-byte sequences with escapes sprinkled in, so
     * folds land at every offset inside multi-byte characters. */
    while (used + 8 < sizeof(note)) {
        const char *piece = (used / 7) % 3 == 0 ? "é" : (used / 7) % 3 == 1 ? "€," : "a;";
        size_t len = strlen(piece);
        memcpy(note + used, piece, len);
        used += len;
    }
    note[used] = '\0';
    CHECK(contact_set(c.note, sizeof(c.note), note) == 0);
    n = vcard_write(&c, 3, "Met at Kiosk: ☕ coffee, later", buf, sizeof(buf), &err);
    CHECK(n > 0);
    CHECK(well_folded(buf));
    unfold(buf, flat, sizeof(flat));
    CHECK(strstr(flat, "NOTE:é") != NULL);
    CHECK(strstr(flat, "\\nMet at Kiosk: ☕ coffee\\, later\r\nEND:VCARD\r\n") != NULL);
    CHECK(strstr(flat, "FN:Ünïcødé Person\r\n") != NULL);

    /* Too small a buffer: -1, empty string, message says so. */
    CHECK(vcard_write(&c, 3, NULL, buf, 200, &err) == -1);
    CHECK(buf[0] == '\0');
    CHECK(strstr(err.msg, "more than 200 bytes") != NULL);
    CHECK(vcard_write(&c, 3, NULL, buf, 0, &err) == -1);
}

static void test_worst_case_fits(void)
{
    struct contact c;
    struct err err = {{0}};
    static char buf[VCARD_WRITE_MAX];
    char big[KIOSK_NOTE_MAX];
    int n;

    /* Every field at its limit and made of characters that double when
     * escaped: VCARD_WRITE_MAX must still hold it. */
    contact_clear(&c);
    memset(big, ';', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(c.display_name, big, KIOSK_NAME_MAX - 1);
    memcpy(c.given_name, big, KIOSK_NAME_MAX - 1);
    memcpy(c.family_name, big, KIOSK_NAME_MAX - 1);
    memcpy(c.org, big, KIOSK_ORG_MAX - 1);
    memcpy(c.title, big, KIOSK_TITLE_MAX - 1);
    for (int i = 0; i < KIOSK_EMAILS_MAX; i++)
        memcpy(c.emails[i], big, KIOSK_EMAIL_MAX - 1);
    c.n_emails = KIOSK_EMAILS_MAX;
    for (int i = 0; i < KIOSK_PHONES_MAX; i++)
        memcpy(c.phones[i], big, KIOSK_PHONE_MAX - 1);
    c.n_phones = KIOSK_PHONES_MAX;
    memset(c.url, 'u', KIOSK_URL_MAX - 1);
    memcpy(c.note, big, KIOSK_NOTE_MAX - 1);
    n = vcard_write(&c, 3, big, buf, sizeof(buf), &err);
    CHECK(n > 0);
    CHECK(well_folded(buf));
    n = vcard_write(&c, 4, big, buf, sizeof(buf), &err);
    CHECK(n > 0);
}

static void test_invalid(void)
{
    struct contact c;
    struct err err = {{0}};
    char buf[1024];

    contact_clear(&c);
    contact_set(c.given_name, sizeof(c.given_name), "Bad\xC3(");
    CHECK(vcard_write(&c, 3, NULL, buf, sizeof(buf), &err) == -1);
    CHECK(strstr(err.msg, "given name") != NULL);

    contact_clear(&c);
    contact_set(c.given_name, sizeof(c.given_name), "Ok");
    contact_set(c.url, sizeof(c.url), "https://x/\r\nEND:VCARD");
    CHECK(vcard_write(&c, 3, NULL, buf, sizeof(buf), &err) == -1);
    CHECK(strstr(err.msg, "URL") != NULL);

    /* Control characters cannot inject a property. */
    contact_clear(&c);
    contact_set(c.org, sizeof(c.org), "Evil\r\nEMAIL:x@evil\x01");
    CHECK(vcard_write(&c, 3, "a\rb", buf, sizeof(buf), &err) > 0);
    CHECK(strstr(buf, "ORG:Evil\\nEMAIL:x@evil \r\n") != NULL);
    CHECK(strstr(buf, "NOTE:a\\nb\r\n") != NULL);

    /* An empty contact still gives a valid card with FN. */
    contact_clear(&c);
    CHECK(vcard_write(&c, 4, NULL, buf, sizeof(buf), &err) > 0);
    CHECK(strstr(buf, "\r\nFN:\r\n") != NULL);
}

int main(void)
{
    test_basic();
    test_folding();
    test_worst_case_fits();
    test_invalid();
    return test_done();
}
