/*
 * cmd_badge.c - `kiosk badge [--json|--vcard|--vcard4] [FILE|-]`: parse one
 * badge payload (a file's bytes, or stdin) and print the contact.
 *
 * Exit 0 when the payload gave a contact or a reference, 1 when it is not a
 * badge (refused or invalid; the reason on stderr), 2 on usage errors.
 * An opaque reference prints with format "ref" (a known code shape) or
 * "unknown" and its ref set. When the payload was only a reference (or a
 * bare e-mail) and the database (--db, only if the file already exists; it
 * is opened read-only) knows it, the roster's attendee is printed instead,
 * keeping the detected format and the scanned ref, and "roster": true is
 * added to the JSON.
 * --vcard / --vcard4 print the contact as our own vCard 3.0 / 4.0 (the text
 * slips and exports put in QR codes); tests feed it to python3-vobject.
 * Never writes to the database.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "badge.h"
#include "cli.h"
#include "vcard.h"

/* Read at most KIOSK_PAYLOAD_MAX + 1 bytes so badge_parse can say "too big". */
static int read_payload(const char *path, unsigned char *buf, size_t size, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n = 0;
    int result = -1;
    if (!f)
        return -1;
    while (n < size) {
        size_t got = fread(buf + n, 1, size - n, f);
        if (got == 0)
            break;
        n += got;
    }
    if (!ferror(f))
        result = 0;
    if (f != stdin)
        fclose(f);
    *len = n;
    return result;
}

static void print_text(const struct contact *c, int from_roster)
{
    char name[KIOSK_NAME_MAX * 2 + 2];
    printf("format:  %s%s\n", c->format, from_roster ? " (found in the roster)" : "");
    contact_name(c, name, sizeof(name));
    if (c->display_name[0] || c->given_name[0] || c->family_name[0])
        printf("name:    %s\n", name);
    if (c->given_name[0])
        printf("given:   %s\n", c->given_name);
    if (c->family_name[0])
        printf("family:  %s\n", c->family_name);
    if (c->org[0])
        printf("org:     %s\n", c->org);
    if (c->title[0])
        printf("title:   %s\n", c->title);
    for (int i = 0; i < c->n_emails; i++)
        printf("email:   %s\n", c->emails[i]);
    for (int i = 0; i < c->n_phones; i++)
        printf("phone:   %s\n", c->phones[i]);
    if (c->url[0])
        printf("url:     %s\n", c->url);
    if (c->note[0]) {
        printf("note:    ");
        for (const char *p = c->note; *p; p++) {
            putchar(*p);
            if (*p == '\n')
                printf("         ");
        }
        putchar('\n');
    }
    if (c->ref[0])
        printf("ref:     %s\n", c->ref);
}

/* Replace c by the roster's attendee for c->ref, if the database exists
 * and knows it. Returns 1 when replaced. */
static int roster_lookup(struct kiosk *k, struct contact *c)
{
    struct store *s = NULL;
    struct contact found;
    struct err err = {{0}};
    int r = 0;
    if (!c->ref[0] || access(k->db_path, F_OK) != 0)
        return 0;
    if (store_open_readonly(&s, k->db_path, &err) < 0) {
        fprintf(stderr, "kiosk badge: roster not consulted: %s\n", err.msg);
        return 0;
    }
    if (store_attendee_find(s, c->ref, &found, NULL, &err) == 0) {
        char format[KIOSK_FORMAT_MAX], ref[KIOSK_REF_MAX];
        snprintf(format, sizeof(format), "%s", c->format);
        snprintf(ref, sizeof(ref), "%s", c->ref);
        *c = found;
        snprintf(c->format, sizeof(c->format), "%s", format);
        snprintf(c->ref, sizeof(c->ref), "%s", ref);
        r = 1;
    }
    store_close(s);
    return r;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    static unsigned char payload[KIOSK_PAYLOAD_MAX + 1];
    const char *path = NULL;
    int json = 0, vcard = 0, from_roster = 0;
    size_t len = 0;
    struct contact c;
    char reason[KIOSK_MSG_MAX];
    struct badge_options opt = {config_str(&k->cfg, "badge.caret_fields")};
    enum badge_status st;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--vcard") == 0)
            vcard = 3;
        else if (strcmp(argv[i], "--vcard4") == 0)
            vcard = 4;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("badge", "unknown option \"%s\"", argv[i]);
        else if (path)
            return cli_usage_error("badge", "one payload at a time (got \"%s\" and \"%s\")", path,
                                   argv[i]);
        else
            path = argv[i];
    }
    if (json && vcard)
        return cli_usage_error("badge", "--json and --vcard are exclusive");
    if (!path)
        path = "-";
    if (read_payload(path, payload, sizeof(payload), &len) < 0)
        return cli_fail("badge", "cannot read %s: %s", strcmp(path, "-") == 0 ? "stdin" : path,
                        strerror(errno));

    st = badge_parse(payload, len, &opt, &c, reason, sizeof(reason));
    if (st == BADGE_REFUSED)
        return cli_fail("badge", "not a badge: %s", reason);
    if (st == BADGE_INVALID)
        return cli_fail("badge", "not a badge: %s", reason);

    /* Only codes are resolved: a card that carries its own name and
     * details (vCard, MECARD, JSON...) is shown as the attendee wrote it. */
    if (st == BADGE_REF || strcmp(c.format, "email") == 0)
        from_roster = roster_lookup(k, &c);
    if (json) {
        static char out[20000];
        if (badge_to_json(&c, out, sizeof(out)) < 0)
            return cli_fail("badge", "contact too large to print");
        if (from_roster) /* splice "roster":true before the closing brace */
            out[strlen(out) - 1] = '\0';
        printf("%s%s\n", out, from_roster ? ",\"roster\":true}" : "");
    } else if (vcard) {
        static char out[VCARD_WRITE_MAX];
        struct err err = {{0}};
        if (vcard_write(&c, vcard, NULL, out, sizeof(out), &err) < 0)
            return cli_fail("badge", "%s", err.msg);
        fputs(out, stdout);
    } else {
        print_text(&c, from_roster);
        if (st == BADGE_REF && !from_roster)
            printf("roster:  this code is not in the roster (yet); it is kept as a "
                   "reference\n");
    }
    if (fflush(stdout) != 0)
        return cli_fail("badge", "cannot write output: %s", strerror(errno));
    return 0;
}

const struct command cmd_badge = {
    .name = "badge",
    .run = run,
    .summary = "Parse a badge payload and print the contact",
    .usage = "[--json | --vcard | --vcard4] [FILE|-]\n"
             "Reads one payload (the bytes of FILE, or stdin) and prints the contact.\n"
             "  --json    one JSON object: format, display_name, given_name, family_name,\n"
             "            org, title, emails, phones, url, note, ref (empty fields omitted)\n"
             "  --vcard   the contact as the kiosk's vCard 3.0 (--vcard4: 4.0)\n"
             "Opaque codes print as format \"ref\" or \"unknown\" with their ref; when the\n"
             "database's roster knows the ref, its attendee is printed (\"roster\": true).\n"
             "Exit status: 0 contact or reference, 1 not a badge (reason on stderr), 2 usage.",
};
