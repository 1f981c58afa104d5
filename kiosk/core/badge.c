/*
 * badge.c - every badge payload becomes one struct contact, or a reason.
 *
 * Owns: format detection, in this order (issue 3): vCard, MECARD, refusals
 * by prefix (Wi-Fi, payment, SMS, OTP...), JSON (setup codes refused,
 * eventyay/pretix, Indico, generic), URLs (pgeu, PyCon, LinkedIn and other
 * profiles, payment links refused, generic), delimited (Devoxx "::", caret
 * "^"), bare e-mail, opaque codes; anything else printable and short is an
 * "unknown" opaque reference. Start reading at badge_parse at the bottom.
 * Never: guesses a name (a LinkedIn slug or an e-mail's local part is not a
 * name), keeps a field past its limit, returns text that is not UTF-8, or
 * reads anything but the bytes it is given. The vCard/MECARD grammar lives
 * in vcard.c, JSON in json.c.
 */
#include "badge.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "utf8.h"
#include "vcard.h"

struct ctx {
    struct contact *out;
    char *reason;
    size_t rs;
    const char *payload; /* trimmed, NUL-terminated copy */
    size_t n;
};

static enum badge_status say(struct ctx *x, enum badge_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum badge_status say(struct ctx *x, enum badge_status st, const char *fmt, ...)
{
    va_list ap;
    if (x->reason && x->rs > 0) {
        va_start(ap, fmt);
        vsnprintf(x->reason, x->rs, fmt, ap);
        va_end(ap);
    }
    return st;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int iprefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower(*s) != lower(*prefix))
            return 0;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Blank for trimming a field: whitespace and control characters, which
 * would become spaces anyway. */
static int is_blank(char c)
{
    return c != '\0' && ((unsigned char)c <= 0x20 || c == 0x7F);
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 64-bit FNV-1a: a stable name for a payload that carries no reference. */
static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void hashed_ref(struct ctx *x, const char *prefix)
{
    snprintf(x->out->ref, sizeof(x->out->ref), "%s:%016llx", prefix,
             (unsigned long long)fnv1a(x->payload, x->n));
}

static int has_person(const struct contact *c)
{
    return c->display_name[0] || c->given_name[0] || c->family_name[0] || c->org[0] ||
           c->n_emails > 0 || c->n_phones > 0;
}

/* Common ending for everything that read person data: compose a display
 * name from the parts read (never invent one), give the contact a
 * reference (its own, else its first e-mail, else a hash of the payload). */
static enum badge_status finish(struct ctx *x)
{
    struct contact *c = x->out;
    if (!c->display_name[0] && (c->given_name[0] || c->family_name[0])) {
        char name[KIOSK_NAME_MAX * 2 + 2];
        snprintf(name, sizeof(name), "%s%s%s", c->given_name,
                 c->given_name[0] && c->family_name[0] ? " " : "", c->family_name);
        if (contact_field(c->display_name, sizeof(c->display_name), name, strlen(name), 0) < 0)
            c->display_name[0] = '\0'; /* parts kept; contact_name() joins them */
    }
    if (!has_person(c)) {
        if (c->ref[0])
            return BADGE_REF;
        return say(x, BADGE_INVALID, "the %s holds no name, e-mail, phone or reference", c->format);
    }
    if (!c->ref[0]) {
        if (c->n_emails > 0)
            contact_set(c->ref, sizeof(c->ref), c->emails[0]);
        else
            hashed_ref(x, c->format);
    }
    return BADGE_CONTACT;
}

/* ------------------------------------------------------------ refusals */

struct refusal {
    const char *prefix;
    const char *why;
};

static const struct refusal refusals[] = {
    {"WIFI:", "a Wi-Fi network code, not a badge"},
    {"bitcoin:", "a payment request (bitcoin), not a badge"},
    {"bitcoincash:", "a payment request (bitcoin cash), not a badge"},
    {"ethereum:", "a payment request (ethereum), not a badge"},
    {"litecoin:", "a payment request (litecoin), not a badge"},
    {"lightning:", "a payment request (lightning), not a badge"},
    {"monero:", "a payment request (monero), not a badge"},
    {"upi://", "a payment request (UPI), not a badge"},
    {"BCD\n", "a bank transfer code (EPC), not a badge"},
    {"BCD\r\n", "a bank transfer code (EPC), not a badge"},
    {"SPC\n", "a bank transfer code (Swiss QR bill), not a badge"},
    {"SPC\r\n", "a bank transfer code (Swiss QR bill), not a badge"},
    {"SMSTO:", "a text-message code, not a badge"},
    {"SMS:", "a text-message code, not a badge"},
    {"MATMSG:", "an e-mail message code, not a badge"},
    {"otpauth://", "a two-factor login secret, not a badge (nothing was stored)"},
    {"otpauth-migration://", "a two-factor login export, not a badge (nothing was stored)"},
    {"geo:", "a map location, not a badge"},
    {"BEGIN:VEVENT", "a calendar event, not a badge"},
    {"BEGIN:VCALENDAR", "a calendar, not a badge"},
    {"javascript:", "a script link, not a badge"},
    {"data:", "an inline data link, not a badge"},
    {"file:", "a file link, not a badge"},
    {"intent:", "an app link, not a badge"},
    {"market:", "an app store link, not a badge"},
    {"DPP:", "a device setup code (Wi-Fi Easy Connect), not a badge"},
    {"WIFI-DPP:", "a device setup code (Wi-Fi Easy Connect), not a badge"},
    {"MT:", "a device setup code (Matter), not a badge"},
    {"X-HM://", "a device setup code (HomeKit), not a badge"},
};

/* ---------------------------------------------------------------- JSON */

#define JSON_TOKENS 1024

/* Normalize a JSON key for matching: lower case, '_', '-', ' ' dropped. */
static void norm_key(const char *key, char *out, size_t size)
{
    size_t o = 0;
    for (; *key && o + 1 < size; key++)
        if (*key != '_' && *key != '-' && *key != ' ' && *key != '.')
            out[o++] = lower(*key);
    out[o] = '\0';
}

static int key_in(const char *k, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(k, *list) == 0)
            return 1;
    return 0;
}

static const char *const k_name[] = {"name",         "fullname", "displayname",
                                     "attendeename", "full",     NULL};
static const char *const k_given[] = {"firstname", "givenname", "first", "given", "forename", NULL};
static const char *const k_family[] = {"lastname", "familyname", "surname", "last", "family", NULL};
static const char *const k_email[] = {"email",  "mail",          "emailaddress",
                                      "emails", "attendeeemail", NULL};
static const char *const k_org[] = {"company",     "organization", "organisation",
                                    "org",         "affiliation",  "employer",
                                    "companyname", "institution",  NULL};
static const char *const k_title[] = {"title", "jobtitle", "position", "role", "job", NULL};
static const char *const k_phone[] = {"phone",       "tel",    "telephone", "mobile",
                                      "phonenumber", "phones", "cell",      NULL};
static const char *const k_url[] = {"url",     "website",  "homepage", "web",
                                    "profile", "linkedin", NULL};
static const char *const k_note[] = {"note", "notes", "comment", "bio", NULL};
static const char *const k_ref[] = {
    "ticket",         "secret", "ticketsecret",  "ticketid", "ref",        "reference",
    "uuid",           "id",     "code",          "barcode",  "attendeeid", "ordercode",
    "registrationid", "lead",   "checkinsecret", NULL};

/* Copy a scalar JSON value (or the first scalar of an array) into a field.
 * Returns 0 (also when the value is null/empty), -1 when too long. */
static int json_field(const struct json *j, int t, char *dst, size_t size, int multiline)
{
    char buf[KIOSK_PAYLOAD_MAX + 1];
    int n;
    if (j->toks[t].type == JSON_ARRAY)
        t = json_at(j, t, 0);
    if (t < 0 || j->toks[t].type == JSON_NULL || j->toks[t].type == JSON_OBJECT ||
        j->toks[t].type == JSON_ARRAY)
        return 0;
    n = json_scalar(j, t, buf, sizeof(buf));
    if (n < 0)
        return -1;
    if (dst[0]) /* the first key that gave a value wins */
        return 0;
    return contact_field(dst, size, buf, (size_t)n, multiline);
}

static int json_list(const struct json *j, int t, struct contact *c, int email)
{
    int count = j->toks[t].type == JSON_ARRAY ? j->toks[t].count : 1;
    for (int i = 0; i < count; i++) {
        char v[KIOSK_EMAIL_MAX];
        int e = j->toks[t].type == JSON_ARRAY ? json_at(j, t, i) : t;
        if (e < 0 || j->toks[e].type == JSON_NULL)
            continue;
        if (j->toks[e].type != JSON_STRING && j->toks[e].type != JSON_NUMBER)
            continue;
        v[0] = '\0';
        if (json_field(j, e, v, email ? KIOSK_EMAIL_MAX : KIOSK_PHONE_MAX, 0) < 0)
            return -1;
        if (email)
            contact_add_email(c, v);
        else
            contact_add_phone(c, v);
    }
    return 0;
}

/* Read every member of object obj we know into the contact. Returns 0 or
 * -1 with the offending key in bad. */
static int json_members(const struct json *j, int obj, struct contact *c, char *bad, size_t bs)
{
    int t = obj + 1;
    for (int m = 0; m < j->toks[obj].count; m++) {
        char key[64], k[64];
        int v = t + 1, r = 0;
        if (json_string(j, t, key, sizeof(key)) < 0)
            key[0] = '\0';
        norm_key(key, k, sizeof(k));
        if (key_in(k, k_name))
            r = json_field(j, v, c->display_name, sizeof(c->display_name), 0);
        else if (key_in(k, k_given))
            r = json_field(j, v, c->given_name, sizeof(c->given_name), 0);
        else if (key_in(k, k_family))
            r = json_field(j, v, c->family_name, sizeof(c->family_name), 0);
        else if (key_in(k, k_email))
            r = json_list(j, v, c, 1);
        else if (key_in(k, k_phone))
            r = json_list(j, v, c, 0);
        else if (key_in(k, k_org))
            r = json_field(j, v, c->org, sizeof(c->org), 0);
        else if (key_in(k, k_title))
            r = json_field(j, v, c->title, sizeof(c->title), 0);
        else if (key_in(k, k_url))
            r = json_field(j, v, c->url, sizeof(c->url), 0);
        else if (key_in(k, k_note))
            r = json_field(j, v, c->note, sizeof(c->note), 1);
        else if (key_in(k, k_ref))
            r = json_field(j, v, c->ref, sizeof(c->ref), 0);
        if (r < 0) {
            snprintf(bad, bs, "%s", key);
            return -1;
        }
        t = j->toks[v].next;
    }
    return 0;
}

static int looks_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

static enum badge_status parse_json(struct ctx *x)
{
    struct json_tok toks[JSON_TOKENS];
    struct json j;
    char why[160], bad[64];
    struct contact *c = x->out;
    int t;

    if (json_parse(&j, x->payload, x->n, toks, JSON_TOKENS, 0, why, sizeof(why)) < 0)
        return say(x, BADGE_INVALID, "%s", why);
    if (toks[0].type != JSON_OBJECT)
        return say(x, BADGE_INVALID, "a JSON badge must be an object, not a list or a value");

    /* Device setup codes: refused here, they may unlock admin one day. */
    if (json_get(&j, 0, "handshake_version") >= 0)
        return say(x, BADGE_REFUSED, "a device setup code (handshake), not a badge");
    if (json_get(&j, 0, "url") >= 0 &&
        (json_get(&j, 0, "apiKey") >= 0 || json_get(&j, 0, "api_key") >= 0 ||
         json_get(&j, 0, "apikey") >= 0))
        return say(x, BADGE_REFUSED, "a device setup code (server URL and API key), not a badge");

    /* Indico: {"i": [..., "<ticket uuid>", ...]} */
    t = json_get(&j, 0, "i");
    if (t >= 0 && toks[t].type == JSON_ARRAY) {
        char s[KIOSK_REF_MAX], last[KIOSK_REF_MAX] = "";
        contact_set(c->format, sizeof(c->format), "indico");
        for (int i = 0; i < toks[t].count; i++) {
            int e = json_at(&j, t, i);
            if (toks[e].type != JSON_STRING || json_string(&j, e, s, sizeof(s)) <= 0)
                continue;
            if (looks_uuid(s)) {
                contact_set(c->ref, sizeof(c->ref), s);
                break;
            }
            snprintf(last, sizeof(last), "%s", s);
        }
        if (!c->ref[0] && last[0])
            contact_set(c->ref, sizeof(c->ref), last);
        if (!c->ref[0])
            return say(x, BADGE_INVALID, "an Indico code without a ticket reference");
        return BADGE_REF;
    }
    /* Indico (older) check-in codes. */
    t = json_get(&j, 0, "checkinSecret");
    if (t < 0)
        t = json_get(&j, 0, "checkin_secret");
    if (t >= 0) {
        contact_set(c->format, sizeof(c->format), "indico");
        if (json_field(&j, t, c->ref, sizeof(c->ref), 0) < 0 || !c->ref[0])
            return say(x, BADGE_INVALID, "an Indico code with an unusable check-in secret");
        return BADGE_REF;
    }
    /* eventyay / pretix lead scanning: {"ticket": "<secret>", "lead": "<id>"} */
    t = json_get(&j, 0, "ticket");
    if (t >= 0 && json_get(&j, 0, "lead") >= 0) {
        contact_set(c->format, sizeof(c->format), "eventyay");
        if (json_field(&j, t, c->ref, sizeof(c->ref), 0) < 0)
            return say(x, BADGE_INVALID, "the ticket reference is longer than %d bytes",
                       KIOSK_REF_MAX - 1);
        if (!c->ref[0]) {
            t = json_get(&j, 0, "lead");
            if (json_field(&j, t, c->ref, sizeof(c->ref), 0) < 0 || !c->ref[0])
                return say(x, BADGE_INVALID, "an eventyay code without a ticket reference");
        }
    } else {
        contact_set(c->format, sizeof(c->format), "json");
    }
    if (json_members(&j, 0, c, bad, sizeof(bad)) < 0)
        return say(x, BADGE_INVALID, "the JSON field \"%s\" is too long", bad);
    /* A nested person object ({"attendee": {...}}) fills what is missing. */
    {
        static const char *const nests[] = {"attendee", "contact",     "person", "profile",
                                            "user",     "participant", NULL};
        for (int i = 0; nests[i]; i++) {
            t = json_get(&j, 0, nests[i]);
            if (t >= 0 && toks[t].type == JSON_OBJECT &&
                json_members(&j, t, c, bad, sizeof(bad)) < 0)
                return say(x, BADGE_INVALID, "the JSON field \"%s\" is too long", bad);
        }
    }
    if (!has_person(c) && !c->ref[0])
        return say(x, BADGE_INVALID,
                   "a JSON object with no name, e-mail or ticket field the kiosk knows");
    return finish(x);
}

/* ---------------------------------------------------------------- URLs */

struct url {
    char host[256];   /* lower case, no userinfo, no port */
    const char *path; /* from the first '/' after the host, or "" */
};

static int split_url(const char *s, struct url *u)
{
    const char *p = strstr(s, "://"), *auth, *end, *at, *host;
    size_t hn = 0;
    if (!p)
        return -1;
    auth = p + 3;
    end = auth + strcspn(auth, "/?#");
    /* userinfo: "https://linkedin.com@evil.example/" is evil.example */
    at = NULL;
    for (const char *q = auth; q < end; q++)
        if (*q == '@')
            at = q;
    host = at ? at + 1 : auth;
    while (host + hn < end && host[hn] != ':' && hn + 1 < sizeof(u->host)) {
        u->host[hn] = lower(host[hn]);
        hn++;
    }
    u->host[hn] = '\0';
    if (hn == 0)
        return -1;
    u->path = *end == '/' ? end : "";
    return 0;
}

static int host_is(const char *host, const char *domain)
{
    size_t h = strlen(host), d = strlen(domain);
    if (h == d)
        return strcmp(host, domain) == 0;
    return h > d && host[h - d - 1] == '.' && strcmp(host + h - d, domain) == 0;
}

/* Copy the path segment starting at s (up to '/', '?', '#') into out.
 * Returns its length or -1 if empty / too long / holds odd characters. */
static int segment(const char *s, char *out, size_t size)
{
    size_t n = 0;
    while (s[n] && s[n] != '/' && s[n] != '?' && s[n] != '#') {
        if (!is_alnum(s[n]) && s[n] != '-' && s[n] != '_' && s[n] != '.' && s[n] != '~' &&
            s[n] != '%')
            return -1;
        n++;
    }
    if (n == 0 || n >= size)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return (int)n;
}

/* The path ends with "/b/<id>" (optionally a trailing '/'). */
static const char *pycon_id(const char *path)
{
    const char *p = path, *found = NULL;
    while ((p = strstr(p, "/b/")) != NULL) {
        const char *id = p + 3;
        size_t n = strcspn(id, "/?#");
        if (n > 0 && (id[n] == '\0' || id[n] == '?' || id[n] == '#' ||
                      (id[n] == '/' && (id[n + 1] == '\0' || id[n + 1] == '?'))))
            found = id;
        p += 3;
    }
    return found;
}

static enum badge_status parse_url(struct ctx *x)
{
    struct contact *c = x->out;
    struct url u;
    char seg[KIOSK_REF_MAX];
    const char *p;

    for (size_t i = 0; i < x->n; i++)
        if ((unsigned char)x->payload[i] <= 0x20 || x->payload[i] == 0x7F)
            return say(x, BADGE_INVALID, "a URL with spaces or control characters");
    if (x->n >= KIOSK_URL_MAX)
        return say(x, BADGE_INVALID, "the URL is longer than %d bytes", KIOSK_URL_MAX - 1);
    if (split_url(x->payload, &u) < 0)
        return say(x, BADGE_INVALID, "a URL without a host");

    if (host_is(u.host, "paypal.me") || host_is(u.host, "venmo.com") ||
        host_is(u.host, "cash.app") || host_is(u.host, "revolut.me") ||
        host_is(u.host, "buymeacoffee.com") || host_is(u.host, "ko-fi.com") ||
        host_is(u.host, "pay.google.com") ||
        (host_is(u.host, "paypal.com") &&
         (strstr(u.path, "/paypalme") || strstr(u.path, "/donate") || strstr(u.path, "/pay"))))
        return say(x, BADGE_REFUSED, "a payment link (%s), not a badge", u.host);

    /* pgeu (PostgreSQL Europe) check-in: .../t/at/<token>/ */
    p = strstr(u.path, "/t/at/");
    if (p && segment(p + 6, seg, sizeof(seg)) > 0) {
        contact_set(c->format, sizeof(c->format), "pgeu");
        contact_set(c->ref, sizeof(c->ref), seg);
        return BADGE_REF;
    }
    /* PyCon badges: .../b/<id> */
    p = pycon_id(u.path);
    if (p && segment(p, seg, sizeof(seg)) > 0) {
        contact_set(c->format, sizeof(c->format), "pycon");
        contact_set(c->ref, sizeof(c->ref), seg);
        return BADGE_REF;
    }
    contact_set(c->url, sizeof(c->url), x->payload);
    if (host_is(u.host, "linkedin.com") &&
        (strncmp(u.path, "/in/", 4) == 0 || strncmp(u.path, "/pub/", 5) == 0))
        contact_set(c->format, sizeof(c->format), "linkedin");
    else if (host_is(u.host, "github.com") || host_is(u.host, "gitlab.com") ||
             host_is(u.host, "twitter.com") || host_is(u.host, "x.com") ||
             host_is(u.host, "keybase.io") || host_is(u.host, "xing.com") ||
             host_is(u.host, "bsky.app") || host_is(u.host, "orcid.org") ||
             strncmp(u.path, "/@", 2) == 0 /* Mastodon and friends */)
        contact_set(c->format, sizeof(c->format), "profile");
    else
        contact_set(c->format, sizeof(c->format), "url");
    /* The URL is the reference the roster may know; a long one is hashed
     * rather than cut. */
    if (x->n < KIOSK_REF_MAX)
        contact_set(c->ref, sizeof(c->ref), x->payload);
    else
        hashed_ref(x, "url");
    return BADGE_REF;
}

/* ----------------------------------------------------------- delimited */

/* A plausible e-mail address: one '@', something before, a dot after,
 * no spaces or control characters, no quotes or brackets. */
static int is_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t local, i;
    if (!at || n >= KIOSK_EMAIL_MAX || n < 5)
        return 0;
    local = (size_t)(at - s);
    if (local == 0 || memchr(at + 1, '@', n - local - 1))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F || strchr("\"(),:;<>[\\]", c))
            return 0;
    }
    {
        const char *dot = memchr(at + 1, '.', n - local - 1);
        if (!dot || dot == at + 1 || s[n - 1] == '.')
            return 0;
    }
    return 1;
}

enum slot {
    S_SKIP,
    S_REF,
    S_GIVEN,
    S_FAMILY,
    S_NAME,
    S_EMAIL,
    S_ORG,
    S_TITLE,
    S_PHONE,
    S_URL,
    S_NOTE
};

static enum slot slot_named(const char *s, size_t n)
{
    static const struct {
        const char *name;
        enum slot slot;
    } names[] = {
        {"ref", S_REF},       {"id", S_REF},      {"given", S_GIVEN}, {"first", S_GIVEN},
        {"family", S_FAMILY}, {"last", S_FAMILY}, {"name", S_NAME},   {"email", S_EMAIL},
        {"org", S_ORG},       {"company", S_ORG}, {"title", S_TITLE}, {"phone", S_PHONE},
        {"url", S_URL},       {"note", S_NOTE},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
            return names[i].slot;
    return S_SKIP;
}

static int put_slot(struct contact *c, enum slot slot, const char *v, size_t n)
{
    while (n > 0 && is_blank(*v))
        v++, n--;
    while (n > 0 && is_blank(v[n - 1]))
        n--;
    switch (slot) {
    case S_REF:
        return contact_field(c->ref, sizeof(c->ref), v, n, 0);
    case S_GIVEN:
        return contact_field(c->given_name, sizeof(c->given_name), v, n, 0);
    case S_FAMILY:
        return contact_field(c->family_name, sizeof(c->family_name), v, n, 0);
    case S_NAME:
        return contact_field(c->display_name, sizeof(c->display_name), v, n, 0);
    case S_ORG:
        return contact_field(c->org, sizeof(c->org), v, n, 0);
    case S_TITLE:
        return contact_field(c->title, sizeof(c->title), v, n, 0);
    case S_URL:
        return contact_field(c->url, sizeof(c->url), v, n, 0);
    case S_NOTE:
        return contact_field(c->note, sizeof(c->note), v, n, 1);
    case S_EMAIL:
        if (n == 0)
            return 0;
        if (!is_email(v, n))
            return -2; /* not an address: refuse rather than store junk */
        {
            char e[KIOSK_EMAIL_MAX];
            contact_field(e, sizeof(e), v, n, 0);
            contact_add_email(c, e);
        }
        return 0;
    case S_PHONE: {
        char ph[KIOSK_PHONE_MAX];
        if (contact_field(ph, sizeof(ph), v, n, 0) < 0)
            return -1;
        contact_add_phone(c, ph);
        return 0;
    }
    case S_SKIP:
        return 0;
    }
    return 0;
}

/* Devoxx: ID::last::first::company::email */
static enum badge_status parse_devoxx(struct ctx *x)
{
    static const enum slot order[] = {S_REF, S_FAMILY, S_GIVEN, S_ORG, S_EMAIL};
    const char *s = x->payload, *end = x->payload + x->n;
    int i = 0;
    contact_set(x->out->format, sizeof(x->out->format), "devoxx");
    while (s <= end) {
        const char *sep = strstr(s, "::");
        size_t n = sep ? (size_t)(sep - s) : (size_t)(end - s);
        if (i < 5) {
            int r = put_slot(x->out, order[i], s, n);
            if (r == -2)
                return say(x, BADGE_INVALID, "the Devoxx badge's e-mail field is not an address");
            if (r < 0)
                return say(x, BADGE_INVALID, "a Devoxx badge field is too long");
        }
        i++;
        if (!sep)
            break;
        s = sep + 2;
    }
    if (i < 3)
        return say(x, BADGE_INVALID, "a Devoxx badge needs at least ID::last::first");
    return finish(x);
}

/* Caret: fields in the order of opt->caret_fields. */
static enum badge_status parse_caret(struct ctx *x, const char *fields)
{
    const char *s = x->payload, *end = x->payload + x->n, *f = fields;
    int i = 0;
    contact_set(x->out->format, sizeof(x->out->format), "caret");
    while (s <= end) {
        const char *sep = memchr(s, '^', (size_t)(end - s));
        size_t n = sep ? (size_t)(sep - s) : (size_t)(end - s);
        size_t fn = strcspn(f, ",");
        enum slot slot = slot_named(f, fn);
        int r = put_slot(x->out, slot, s, n);
        if (r == -2)
            return say(x, BADGE_INVALID, "the caret badge's e-mail field is not an address");
        if (r < 0)
            return say(x, BADGE_INVALID, "caret badge field %d is too long", i + 1);
        f += fn;
        if (*f == ',')
            f++;
        i++;
        if (!sep)
            break;
        s = sep + 1;
    }
    return finish(x);
}

/* ------------------------------------------------------------- opaque */

static int all_of(const char *s, size_t n, const char *set_kind)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok;
        if (strcmp(set_kind, "digit") == 0)
            ok = c >= '0' && c <= '9';
        else if (strcmp(set_kind, "upper") == 0)
            ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
        else
            ok = is_alnum(c) || c == '-' || c == '_';
        if (!ok)
            return 0;
    }
    return 1;
}

/* Codes registration systems put on badges: pretix/eventyay ticket secrets
 * (long alphanumeric), pseudonymization ids (10 upper-case), order codes
 * (5 upper-case), numeric ids, UUIDs. */
static int known_shape(const char *s, size_t n)
{
    if (n >= 1 && n <= 20 && all_of(s, n, "digit"))
        return 1;
    if ((n == 5 || n == 10) && all_of(s, n, "upper"))
        return 1;
    if (n == 36 && looks_uuid(s))
        return 1;
    if (n >= 16 && n <= 128 && all_of(s, n, "token"))
        return 1;
    return 0;
}

static enum badge_status parse_opaque(struct ctx *x)
{
    struct contact *c = x->out;
    for (size_t i = 0; i < x->n; i++) {
        unsigned char ch = (unsigned char)x->payload[i];
        if (ch == '\n' || ch == '\r')
            return say(x, BADGE_INVALID, "unrecognised text of %zu bytes over several lines", x->n);
        if (ch < 0x20 || ch == 0x7F)
            return say(x, BADGE_INVALID, "unrecognised data with control characters");
    }
    if (x->n >= KIOSK_REF_MAX)
        return say(x, BADGE_INVALID,
                   "unrecognised payload of %zu bytes, too long to be a reference (limit %d)", x->n,
                   KIOSK_REF_MAX - 1);
    contact_set(c->format, sizeof(c->format), known_shape(x->payload, x->n) ? "ref" : "unknown");
    contact_set(c->ref, sizeof(c->ref), x->payload);
    return BADGE_REF;
}

/* --------------------------------------------------------------- entry */

enum badge_status badge_parse(const unsigned char *data, size_t len,
                              const struct badge_options *opt, struct contact *out, char *reason,
                              size_t reason_size)
{
    char text[KIOSK_PAYLOAD_MAX + 1];
    struct ctx x = {out, reason, reason_size, text, 0};
    const char *s;
    size_t n;
    enum badge_status st;

    contact_clear(out);
    if (reason && reason_size > 0)
        reason[0] = '\0';
    if (!data || len == 0)
        return say(&x, BADGE_INVALID, "empty payload");
    if (len > KIOSK_PAYLOAD_MAX)
        return say(&x, BADGE_INVALID, "payload of %zu bytes is over the %d-byte limit", len,
                   KIOSK_PAYLOAD_MAX);
    if (memchr(data, '\0', len))
        return say(&x, BADGE_INVALID, "binary data (NUL bytes), not a badge");

    /* Trim whitespace and a UTF-8 BOM (wedge scanners add both). */
    s = (const char *)data;
    n = len;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3;
    while (n > 0 && is_space(*s))
        s++, n--;
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0)
        return say(&x, BADGE_INVALID, "only whitespace");
    memcpy(text, s, n);
    text[n] = '\0';
    x.n = n;

    if (iprefix(text, "BEGIN:VCARD")) {
        /* vCard checks UTF-8 itself: a CHARSET may say Latin-1. */
        if (vcard_parse(text, n, out, reason, reason_size) < 0) {
            contact_clear(out);
            return BADGE_INVALID;
        }
        st = finish(&x);
        goto done;
    }
    if (iprefix(text, "MECARD:")) {
        if (vcard_parse_mecard(text, n, out, reason, reason_size) < 0) {
            contact_clear(out);
            return BADGE_INVALID;
        }
        st = finish(&x);
        goto done;
    }
    if (!utf8_valid(text, n))
        return say(&x, BADGE_INVALID, "not valid UTF-8 text");
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
        if (iprefix(text, refusals[i].prefix))
            return say(&x, BADGE_REFUSED, "%s", refusals[i].why);

    if (text[0] == '{' || text[0] == '[')
        st = parse_json(&x);
    else if (iprefix(text, "https://") || iprefix(text, "http://"))
        st = parse_url(&x);
    else if (strstr(text, "::"))
        st = parse_devoxx(&x);
    else if (strchr(text, '^'))
        st = parse_caret(&x, opt && opt->caret_fields && opt->caret_fields[0]
                                 ? opt->caret_fields
                                 : "ref,given,family,email,org,title");
    else if (iprefix(text, "mailto:")) {
        const char *addr = text + 7;
        size_t an = strcspn(addr, "?");
        if (!is_email(addr, an))
            return say(&x, BADGE_INVALID, "a mailto: link without a usable address");
        contact_set(out->format, sizeof(out->format), "email");
        contact_field(out->emails[0], sizeof(out->emails[0]), addr, an, 0);
        out->n_emails = 1;
        st = finish(&x);
    } else if (is_email(text, n)) {
        contact_set(out->format, sizeof(out->format), "email");
        contact_add_email(out, text);
        st = finish(&x);
    } else
        st = parse_opaque(&x);
done:
    if (st == BADGE_INVALID || st == BADGE_REFUSED) {
        char keep[KIOSK_FORMAT_MAX];
        snprintf(keep, sizeof(keep), "%s", out->format);
        contact_clear(out);
        snprintf(out->format, sizeof(out->format), "%s", keep);
    }
    return st;
}

/* ---------------------------------------------------------------- JSON out */

struct jout {
    char *buf;
    size_t size, len;
    int over;
};

static void jput(struct jout *o, const char *s, size_t n)
{
    if (o->over || o->len + n >= o->size) {
        o->over = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void jstr(struct jout *o, const char *s)
{
    jput(o, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            jput(o, esc, 2);
        } else if (c == '\n') {
            jput(o, "\\n", 2);
        } else if (c == '\t') {
            jput(o, "\\t", 2);
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            jput(o, esc, 6);
        } else {
            jput(o, s, 1);
        }
    }
    jput(o, "\"", 1);
}

static void jfield(struct jout *o, const char *key, const char *value)
{
    if (!value[0])
        return;
    jput(o, ",\"", 2);
    jput(o, key, strlen(key));
    jput(o, "\":", 2);
    jstr(o, value);
}

static void jlist(struct jout *o, const char *key, const char *list, int n, size_t width)
{
    jput(o, ",\"", 2);
    jput(o, key, strlen(key));
    jput(o, "\":[", 3);
    for (int i = 0; i < n; i++) {
        if (i)
            jput(o, ",", 1);
        jstr(o, list + (size_t)i * width);
    }
    jput(o, "]", 1);
}

int badge_to_json(const struct contact *c, char *buf, size_t size)
{
    struct jout o = {buf, size, 0, 0};
    if (size == 0)
        return -1;
    jput(&o, "{\"format\":", 10);
    jstr(&o, c->format[0] ? c->format : "unknown");
    jfield(&o, "display_name", c->display_name);
    jfield(&o, "given_name", c->given_name);
    jfield(&o, "family_name", c->family_name);
    jfield(&o, "org", c->org);
    jfield(&o, "title", c->title);
    jlist(&o, "emails", &c->emails[0][0], c->n_emails, KIOSK_EMAIL_MAX);
    jlist(&o, "phones", &c->phones[0][0], c->n_phones, KIOSK_PHONE_MAX);
    jfield(&o, "url", c->url);
    jfield(&o, "note", c->note);
    jfield(&o, "ref", c->ref);
    jput(&o, "}", 1);
    if (o.over) {
        buf[0] = '\0';
        return -1;
    }
    buf[o.len] = '\0';
    return (int)o.len;
}

const char *badge_status_name(enum badge_status st)
{
    switch (st) {
    case BADGE_CONTACT:
        return "contact";
    case BADGE_REF:
        return "ref";
    case BADGE_REFUSED:
        return "refused";
    case BADGE_INVALID:
        return "invalid";
    }
    return "invalid";
}
