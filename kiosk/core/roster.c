/*
 * roster.c - which registration-export column means what, and whether a
 * row is good enough to store.
 *
 * Owns: the table of known header names (one place, below), --map parsing,
 * and per-row validation. Start at roster_map_header.
 * Never: reads files or the store, guesses a column by its contents, or
 * splits a full name into given/family parts.
 */
#include "roster.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

static const char *const field_names[ROSTER_NFIELDS] = {
    "ignore", "ref", "order", "pseudonym", "given", "family", "name",
    "email",  "org", "title", "phone",     "url",   "note",
};

/* Header names after normalization (lower case, letters and digits only),
 * with a rank: when two columns claim one field, the higher rank wins. */
static const struct {
    const char *header;
    enum roster_field field;
    int rank;
} headers[] = {
    /* the code printed in the badge's QR */
    {"ticketsecret", ROSTER_REF, 10}, /* generic, eventyay */
    {"secret", ROSTER_REF, 10},       /* pretix check-in list export */
    {"barcode", ROSTER_REF, 9},       /* Eventbrite "Barcode #" */
    {"ticketbarcode", ROSTER_REF, 9},
    {"qrcode", ROSTER_REF, 9},
    {"ticketuuid", ROSTER_REF, 8},
    {"uuid", ROSTER_REF, 8},
    {"ticketcode", ROSTER_REF, 8},
    {"ticketid", ROSTER_REF, 7},
    {"reference", ROSTER_REF, 6},
    {"ref", ROSTER_REF, 6},
    {"id", ROSTER_REF, 4},       /* alf.io ticket id */
    {"attendee", ROSTER_REF, 3}, /* Eventbrite "Attendee #" */
    {"attendeeid", ROSTER_REF, 3},
    /* pretix / eventyay */
    {"pseudonymizationid", ROSTER_PSEUDO, 10},
    {"pseudonymisationid", ROSTER_PSEUDO, 10},
    {"ordercode", ROSTER_ORDER, 10},
    {"order", ROSTER_ORDER, 8}, /* Eventbrite "Order #" */
    {"ordernumber", ROSTER_ORDER, 8},
    {"orderid", ROSTER_ORDER, 7},
    {"reservationid", ROSTER_ORDER, 7}, /* alf.io */
    {"bookingreference", ROSTER_ORDER, 7},
    /* names */
    {"firstname", ROSTER_GIVEN, 10},
    {"givenname", ROSTER_GIVEN, 10},
    {"attendeenamegivenname", ROSTER_GIVEN, 11}, /* pretix name parts */
    {"attendeefirstname", ROSTER_GIVEN, 11},
    {"first", ROSTER_GIVEN, 5},
    {"forename", ROSTER_GIVEN, 8},
    {"lastname", ROSTER_FAMILY, 10},
    {"familyname", ROSTER_FAMILY, 10},
    {"surname", ROSTER_FAMILY, 10},
    {"attendeenamefamilyname", ROSTER_FAMILY, 11},
    {"attendeelastname", ROSTER_FAMILY, 11},
    {"last", ROSTER_FAMILY, 5},
    {"attendeename", ROSTER_NAME, 11},
    {"fullname", ROSTER_NAME, 10},
    {"name", ROSTER_NAME, 8},
    {"displayname", ROSTER_NAME, 8},
    /* contact */
    {"attendeeemail", ROSTER_EMAIL, 11},
    {"attendeeemailaddress", ROSTER_EMAIL, 11},
    {"email", ROSTER_EMAIL, 10},
    {"emailaddress", ROSTER_EMAIL, 10},
    {"mail", ROSTER_EMAIL, 5},
    {"attendeecompany", ROSTER_ORG, 11},
    {"company", ROSTER_ORG, 10},
    {"companyname", ROSTER_ORG, 10},
    {"organization", ROSTER_ORG, 10},
    {"organisation", ROSTER_ORG, 10},
    {"affiliation", ROSTER_ORG, 9},
    {"institution", ROSTER_ORG, 8},
    {"employer", ROSTER_ORG, 8},
    {"jobtitle", ROSTER_TITLE, 10},
    {"title", ROSTER_TITLE, 6}, /* may be an honorific; lower rank */
    {"position", ROSTER_TITLE, 8},
    {"role", ROSTER_TITLE, 5},
    {"phone", ROSTER_PHONE, 10},
    {"phonenumber", ROSTER_PHONE, 10},
    {"cellphone", ROSTER_PHONE, 9},
    {"mobile", ROSTER_PHONE, 9},
    {"mobilephone", ROSTER_PHONE, 9},
    {"telephone", ROSTER_PHONE, 9},
    {"workphone", ROSTER_PHONE, 8},
    {"website", ROSTER_URL, 10},
    {"url", ROSTER_URL, 9},
    {"homepage", ROSTER_URL, 9},
    {"note", ROSTER_NOTE, 10},
    {"notes", ROSTER_NOTE, 10},
};

int roster_field_parse(const char *name)
{
    for (int f = 0; f < ROSTER_NFIELDS; f++)
        if (strcmp(name, field_names[f]) == 0)
            return f;
    if (strcmp(name, "secret") == 0)
        return ROSTER_REF;
    if (strcmp(name, "pseudo") == 0 || strcmp(name, "pseudonymization") == 0)
        return ROSTER_PSEUDO;
    if (strcmp(name, "company") == 0)
        return ROSTER_ORG;
    if (strcmp(name, "first") == 0)
        return ROSTER_GIVEN;
    if (strcmp(name, "last") == 0)
        return ROSTER_FAMILY;
    return -1;
}

int roster_override_field(const char *override, struct err *err)
{
    const char *eq = strrchr(override, '=');
    int f;
    if (!eq || eq == override)
        return err_set(err, "--map wants COLUMN=FIELD, not \"%s\"", override);
    f = roster_field_parse(eq + 1);
    if (f < 0)
        return err_set(err,
                       "--map %s: unknown field \"%s\" (ref, order, pseudonym, given, "
                       "family, name, email, org, title, phone, url, note, ignore)",
                       override, eq + 1);
    return f;
}

const char *roster_field_name(enum roster_field f)
{
    return (f >= 0 && f < ROSTER_NFIELDS) ? field_names[f] : "?";
}

static void normalize(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; *s && o + 1 < size; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            out[o++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
    }
    out[o] = '\0';
}

static int header_rank(const char *name, enum roster_field *field)
{
    char n[128];
    normalize(name, n, sizeof(n));
    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        if (strcmp(n, headers[i].header) == 0) {
            *field = headers[i].field;
            return headers[i].rank;
        }
    }
    return 0;
}

/* Column index for an override's COLUMN, or -1. */
static int find_column(const char *col, size_t len, const char *const *header, int ncols)
{
    char want[128], have[128], raw[128];
    if (len >= sizeof(raw))
        return -1;
    memcpy(raw, col, len);
    raw[len] = '\0';
    if (raw[0] == '#') {
        int n = 0;
        for (const char *p = raw + 1; *p; p++) {
            if (*p < '0' || *p > '9' || n > 100000)
                return -1;
            n = n * 10 + (*p - '0');
        }
        return (n >= 1 && n <= ncols) ? n - 1 : -1;
    }
    for (int i = 0; i < ncols; i++) /* exact first */
        if (strcmp(header[i], raw) == 0)
            return i;
    normalize(raw, want, sizeof(want));
    for (int i = 0; i < ncols && want[0]; i++) {
        normalize(header[i], have, sizeof(have));
        if (strcmp(have, want) == 0)
            return i;
    }
    return -1;
}

int roster_map_header(struct roster_map *map, const char *const *header, int ncols,
                      const char *const *overrides, int noverrides, struct err *err)
{
    int best[ROSTER_NFIELDS], rank[KIOSK_CSV_FIELDS_MAX];
    if (ncols < 1 || ncols > KIOSK_CSV_FIELDS_MAX)
        return err_set(err, "the header row has %d columns (1 to %d allowed)", ncols,
                       KIOSK_CSV_FIELDS_MAX);
    map->ncols = ncols;
    for (int f = 0; f < ROSTER_NFIELDS; f++)
        best[f] = -1;
    for (int i = 0; i < ncols; i++) {
        enum roster_field f = ROSTER_IGNORE;
        if (!utf8_valid(header[i], strlen(header[i])))
            return err_set(err, "header column %d is not valid UTF-8", i + 1);
        map->col[i] = ROSTER_IGNORE;
        rank[i] = header_rank(header[i], &f);
        if (rank[i] == 0)
            continue;
        /* The first column of the highest rank takes the field. */
        if (best[f] < 0 || rank[i] > rank[best[f]]) {
            if (best[f] >= 0)
                map->col[best[f]] = ROSTER_IGNORE;
            best[f] = i;
            map->col[i] = f;
        }
    }
    for (int k = 0; k < noverrides; k++) {
        const char *eq = strrchr(overrides[k], '=');
        int col, f = roster_override_field(overrides[k], err);
        if (f < 0)
            return -1;
        col = find_column(overrides[k], (size_t)(eq - overrides[k]), header, ncols);
        if (col < 0)
            return err_set(err, "--map %s: no column \"%.*s\" in the header", overrides[k],
                           (int)(eq - overrides[k]), overrides[k]);
        /* An override moves the field: the column that had it loses it. */
        if (f != ROSTER_IGNORE)
            for (int i = 0; i < ncols; i++)
                if (map->col[i] == (enum roster_field)f)
                    map->col[i] = ROSTER_IGNORE;
        map->col[col] = (enum roster_field)f;
    }
    for (int i = 0; i < ncols; i++) {
        enum roster_field f = map->col[i];
        if (f == ROSTER_REF || f == ROSTER_PSEUDO || f == ROSTER_ORDER || f == ROSTER_EMAIL)
            return 0;
    }
    return err_set(err, "no column holds a ticket secret, pseudonymization ID, order code or "
                        "e-mail; name one with --map COLUMN=ref");
}

const char *roster_map_describe(const struct roster_map *map, const char *const *header, char *buf,
                                size_t size)
{
    size_t used = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (int i = 0; i < map->ncols; i++) {
        int w;
        if (map->col[i] == ROSTER_IGNORE)
            continue;
        w = snprintf(buf + used, size - used, "%s%s=%s", used ? ", " : "", header[i],
                     roster_field_name(map->col[i]));
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

static int plausible_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || strchr("\"(),:;<>[\\]", *s))
            return 0;
    return 1;
}

/* roster_row copies refs and an e-mail into contact.ref whole. */
_Static_assert(KIOSK_EMAIL_MAX <= KIOSK_REF_MAX, "an e-mail must fit in a reference");
_Static_assert(sizeof(((struct roster_refs *)0)->order) <= KIOSK_REF_MAX &&
                   sizeof(((struct roster_refs *)0)->pseudo) <= KIOSK_REF_MAX,
               "roster references must fit in contact.ref");

int roster_row(const struct roster_map *map, const char *const *fields, int nfields,
               struct contact *out, struct roster_refs *refs, struct err *err)
{
    static const size_t limits[ROSTER_NFIELDS] = {
        0,
        KIOSK_REF_MAX,
        KIOSK_REF_MAX,
        KIOSK_REF_MAX,
        KIOSK_NAME_MAX,
        KIOSK_NAME_MAX,
        KIOSK_NAME_MAX,
        KIOSK_EMAIL_MAX,
        KIOSK_ORG_MAX,
        KIOSK_TITLE_MAX,
        KIOSK_PHONE_MAX,
        KIOSK_URL_MAX,
        KIOSK_NOTE_MAX,
    };
    char ref[KIOSK_REF_MAX] = "", email[KIOSK_EMAIL_MAX] = "", phone[KIOSK_PHONE_MAX] = "";

    contact_clear(out);
    memset(refs, 0, sizeof(*refs));
    if (nfields != map->ncols)
        return err_set(err, "%d fields where the header has %d", nfields, map->ncols);
    for (int i = 0; i < nfields; i++) {
        enum roster_field f = map->col[i];
        char *dst = NULL;
        if (f == ROSTER_IGNORE)
            continue;
        if (!utf8_valid(fields[i], strlen(fields[i])))
            return err_set(err, "column %d (%s) is not valid UTF-8", i + 1, roster_field_name(f));
        switch (f) {
        case ROSTER_REF:
            dst = ref;
            break;
        case ROSTER_ORDER:
            dst = refs->order;
            break;
        case ROSTER_PSEUDO:
            dst = refs->pseudo;
            break;
        case ROSTER_GIVEN:
            dst = out->given_name;
            break;
        case ROSTER_FAMILY:
            dst = out->family_name;
            break;
        case ROSTER_NAME:
            dst = out->display_name;
            break;
        case ROSTER_EMAIL:
            dst = email;
            break;
        case ROSTER_ORG:
            dst = out->org;
            break;
        case ROSTER_TITLE:
            dst = out->title;
            break;
        case ROSTER_PHONE:
            dst = phone;
            break;
        case ROSTER_URL:
            dst = out->url;
            break;
        case ROSTER_NOTE:
            dst = out->note;
            break;
        default:
            continue;
        }
        if (contact_field(dst, limits[f], fields[i], strlen(fields[i]), f == ROSTER_NOTE) < 0)
            return err_set(err, "column %d (%s) is longer than %zu bytes", i + 1,
                           roster_field_name(f), limits[f] - 1);
    }
    if (email[0]) {
        if (!plausible_email(email))
            return err_set(err, "e-mail \"%.64s\" is not an address", email);
        contact_add_email(out, email);
    }
    if (phone[0])
        contact_add_phone(out, phone);
    if (!out->display_name[0] && (out->given_name[0] || out->family_name[0])) {
        char name[KIOSK_NAME_MAX * 2 + 2];
        snprintf(name, sizeof(name), "%s%s%s", out->given_name,
                 out->given_name[0] && out->family_name[0] ? " " : "", out->family_name);
        if (strlen(name) < sizeof(out->display_name))
            memcpy(out->display_name, name, strlen(name) + 1);
    }
    /* The primary reference: what a badge most likely carries. */
    if (ref[0])
        memcpy(out->ref, ref, sizeof(ref));
    else if (refs->pseudo[0])
        memcpy(out->ref, refs->pseudo, sizeof(refs->pseudo));
    else if (refs->order[0])
        memcpy(out->ref, refs->order, sizeof(refs->order));
    else if (email[0])
        memcpy(out->ref, email, strlen(email) + 1); /* fits: see the assertion below */
    else
        return err_set(err, "no ticket secret, pseudonymization ID, order code or e-mail");
    snprintf(out->format, sizeof(out->format), "roster");
    return 0;
}
