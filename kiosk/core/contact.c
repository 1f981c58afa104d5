/*
 * contact.c - helpers for struct contact. Pure data handling, no I/O.
 *
 * Owns: the "best name" rule and the add-unique rules for e-mail and phone
 * lists. Never allocates; never leaves half a UTF-8 character at the end of
 * a name it had to shorten (fields hold UTF-8 from badges and rosters).
 */
#include "contact.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

void contact_clear(struct contact *c)
{
    memset(c, 0, sizeof(*c));
}

int contact_set(char *dst, size_t dst_size, const char *src)
{
    size_t n = strlen(src);
    if (n >= dst_size) {
        dst[0] = '\0';
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

/* buf holds the first size - 1 bytes of a longer UTF-8 text: drop a
 * character the cut left incomplete. */
static void trim_cut(char *buf, size_t size)
{
    size_t n = size - 1, i = n;
    while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80 && n - i < 3)
        i--;
    if (i > 0 && utf8_seq((const unsigned char *)buf + i - 1, n - i + 1) == 0)
        buf[i - 1] = '\0';
}

const char *contact_name(const struct contact *c, char *buf, size_t size)
{
    int n;
    if (size == 0)
        return buf;
    if (c->display_name[0])
        n = snprintf(buf, size, "%s", c->display_name);
    else if (c->given_name[0] && c->family_name[0])
        n = snprintf(buf, size, "%s %s", c->given_name, c->family_name);
    else if (c->given_name[0] || c->family_name[0])
        n = snprintf(buf, size, "%s%s", c->given_name, c->family_name);
    else if (c->org[0])
        n = snprintf(buf, size, "%s", c->org);
    else
        n = snprintf(buf, size, "%s", c->ref);
    if (n > 0 && (size_t)n >= size)
        trim_cut(buf, size);
    return buf;
}

/* Blank for trimming: whitespace and control characters. */
static int is_blank(char c)
{
    return c != '\0' && ((unsigned char)c <= 0x20 || c == 0x7F);
}

int contact_field(char *dst, size_t size, const char *src, size_t n, int multiline)
{
    size_t o = 0;
    while (n > 0 && is_blank(*src))
        src++, n--;
    while (n > 0 && is_blank(src[n - 1]))
        n--;
    if (n >= size) {
        dst[0] = '\0';
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r' && multiline)
            continue;
        if ((c < 0x20 && !(multiline && c == '\n')) || c == 0x7F)
            c = ' ';
        dst[o++] = (char)c;
    }
    dst[o] = '\0';
    return 0;
}

static int add_unique(char *list, int *n, int max, size_t width, const char *s)
{
    size_t len = strlen(s);
    if (len == 0)
        return 0;
    if (len >= width)
        return -1;
    for (int i = 0; i < *n; i++)
        if (strcmp(list + (size_t)i * width, s) == 0)
            return 0;
    if (*n >= max)
        return -1;
    memcpy(list + (size_t)*n * width, s, len + 1);
    (*n)++;
    return 0;
}

int contact_add_email(struct contact *c, const char *email)
{
    return add_unique(&c->emails[0][0], &c->n_emails, KIOSK_EMAILS_MAX, KIOSK_EMAIL_MAX, email);
}

int contact_add_phone(struct contact *c, const char *phone)
{
    return add_unique(&c->phones[0][0], &c->n_phones, KIOSK_PHONES_MAX, KIOSK_PHONE_MAX, phone);
}
