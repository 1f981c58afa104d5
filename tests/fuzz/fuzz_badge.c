/*
 * fuzz_badge.c - libFuzzer target for badge_parse and what follows a scan.
 *
 * Besides "no crash, no sanitizer report", it checks the parser's promises:
 * every field of a result is NUL-terminated valid UTF-8 within its limit,
 * CONTACT and REF carry a reference, REFUSED/INVALID carry no personal
 * data, and a contact can always be written as a vCard that parses back
 * as a contact. The first byte, when odd, selects a custom caret field order.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "badge.h"
#include "utf8.h"
#include "vcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void field_ok(const char *f, size_t size)
{
    size_t n = strnlen(f, size);
    if (n >= size || !utf8_valid(f, n))
        __builtin_trap();
}

static void check(const struct contact *c, enum badge_status st)
{
    field_ok(c->display_name, sizeof(c->display_name));
    field_ok(c->given_name, sizeof(c->given_name));
    field_ok(c->family_name, sizeof(c->family_name));
    field_ok(c->org, sizeof(c->org));
    field_ok(c->title, sizeof(c->title));
    field_ok(c->url, sizeof(c->url));
    field_ok(c->note, sizeof(c->note));
    field_ok(c->ref, sizeof(c->ref));
    field_ok(c->format, sizeof(c->format));
    if (c->n_emails < 0 || c->n_emails > KIOSK_EMAILS_MAX || c->n_phones < 0 ||
        c->n_phones > KIOSK_PHONES_MAX)
        __builtin_trap();
    for (int i = 0; i < c->n_emails; i++)
        field_ok(c->emails[i], sizeof(c->emails[i]));
    for (int i = 0; i < c->n_phones; i++)
        field_ok(c->phones[i], sizeof(c->phones[i]));
    if ((st == BADGE_CONTACT || st == BADGE_REF) && !c->ref[0])
        __builtin_trap();
    if ((st == BADGE_REFUSED || st == BADGE_INVALID) &&
        (c->display_name[0] || c->n_emails || c->ref[0] || c->note[0]))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct contact c, back;
    struct badge_options opt = {"email,family,given,title,org,phone,url,note,ref"};
    char reason[128], json[20000];
    static char card[VCARD_WRITE_MAX];
    struct err err;
    enum badge_status st;
    int n;

    st = badge_parse(data, size, size > 0 && (data[0] & 1) ? &opt : NULL, &c, reason,
                     sizeof(reason));
    if (st != BADGE_CONTACT && st != BADGE_REF && st != BADGE_REFUSED && st != BADGE_INVALID)
        __builtin_trap();
    check(&c, st);
    if (strnlen(reason, sizeof(reason)) >= sizeof(reason))
        __builtin_trap();
    if (badge_to_json(&c, json, sizeof(json)) < 0)
        __builtin_trap();
    if (st != BADGE_CONTACT)
        return 0;
    for (int version = 3; version <= 4; version++) {
        n = vcard_write(&c, version, "Met at the fuzzer: note", card, sizeof(card), &err);
        if (n <= 0)
            __builtin_trap(); /* a parsed contact must always be writable */
        if (badge_parse((const unsigned char *)card, (size_t)n, NULL, &back, reason,
                        sizeof(reason)) == BADGE_CONTACT) {
            check(&back, BADGE_CONTACT);
            if (back.n_emails != c.n_emails)
                __builtin_trap();
            for (int i = 0; i < c.n_emails; i++)
                if (strcmp(back.emails[i], c.emails[i]) != 0)
                    __builtin_trap();
        }
    }
    return 0;
}
