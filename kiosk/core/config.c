/*
 * config.c - the defaults table and the key=value reader.
 *
 * Owns: the list of every setting the kiosk has. Never reads the environment
 * or picks file locations (the CLI does); never exits. Start at `keys[]`.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devspec.h"
#include "limits.h"

/* clang-format off */
static const struct config_key keys[] = {
/*  key                       type           default            min  max      choices               help */
  { "kiosk.id",               CONFIG_STR,    "",                0,   0,       NULL,                 "Name of this kiosk; empty = generated once and kept in the database" },
  { "event.name",             CONFIG_STR,    "Conference",      0,   0,       NULL,                 "Event name shown on screen and printed on slips" },
  { "event.timezone",         CONFIG_STR,    "UTC",             0,   0,       NULL,                 "Time zone for showing times (tz name, e.g. Europe/Berlin); storage is UTC" },
  { "mode",                   CONFIG_CHOICE, "handshake",       0,   0,       "handshake|booth",    "handshake: attendees swap cards; booth: staff collect leads" },
  { "db.path",                CONFIG_STR,    "",                0,   0,       NULL,                 "Database file; empty = $XDG_DATA_HOME/kiosk/kiosk.db" },
  { "camera",                 CONFIG_CAMERA, "demo",            0,   0,       NULL,                 "v4l2:/dev/video0 | files:DIR_OR_FILE | y4m:FILE | y4m:- | demo | none" },
  { "camera.width",           CONFIG_INT,    "1280",            160, 4096,    NULL,                 "Requested camera frame width (pixels)" },
  { "camera.height",          CONFIG_INT,    "720",             120, 4096,    NULL,                 "Requested camera frame height (pixels)" },
  { "camera.fps",             CONFIG_INT,    "15",              1,   120,     NULL,                 "Requested camera frame rate; also the rate image files are played at" },
  { "scan.symbologies",       CONFIG_STR,    "qr",              0,   0,       NULL,                 "Comma-separated codes to decode: qr, code128, ean13, ean8, upca, code39, i25, pdf417, databar, code93, codabar" },
  { "scan.debounce_ms",       CONFIG_INT,    "3000",            0,   600000,  NULL,                 "The same payload counts again only after leaving the view or after this long" },
  { "scan.inverted",          CONFIG_BOOL,   "true",            0,   0,       NULL,                 "Also look for light-on-dark codes (phone screens, inverted badges)" },
  { "scan.wedge",             CONFIG_BOOL,   "true",            0,   0,       NULL,                 "Accept keyboard-wedge scanners (typed payload + Enter)" },
  { "printer",                CONFIG_PRINTER,"png:",             0,   0,       NULL,                 "escpos:/dev/usb/lp0 | escpos-tcp:HOST:PORT | escpos-file:PATH | cups:QUEUE | png:DIR (empty DIR = data folder) | none" },
  { "printer.width_dots",     CONFIG_INT,    "576",             128, 2400,    NULL,                 "Printable width in dots (384 for 58 mm, 576 for 80 mm thermal paper)" },
  { "printer.dpi",            CONFIG_INT,    "203",             72,  600,     NULL,                 "Printer resolution in dots per inch" },
  { "printer.cut",            CONFIG_BOOL,   "true",            0,   0,       NULL,                 "Cut the paper after each slip (ESC/POS)" },
  { "printer.native_qr",      CONFIG_BOOL,   "false",           0,   0,       NULL,                 "Send QR codes as ESC/POS GS ( k commands instead of raster" },
  { "printer.retry_max",      CONFIG_INT,    "20",              0,   1000,    NULL,                 "Attempts before a print job is marked failed" },
  { "display.windowed",       CONFIG_STR,    "",                0,   0,       NULL,                 "WxH for a development window; empty = full screen" },
  { "display.rotate",         CONFIG_CHOICE, "0",               0,   0,       "0|90|180|270",       "Rotate the UI for portrait-mounted screens" },
  { "ui.language",            CONFIG_CHOICE, "en",              0,   0,       "en|de|fr|es",        "Language the attract screen starts in" },
  { "ui.idle_timeout_s",      CONFIG_INT,    "45",              5,   3600,    NULL,                 "Seconds without input before the kiosk wipes the screen and returns to attract" },
  { "ui.large_text",          CONFIG_BOOL,   "false",           0,   0,       NULL,                 "Start with large text" },
  { "ui.high_contrast",       CONFIG_BOOL,   "false",           0,   0,       NULL,                 "Start in high-contrast colours" },
  { "ui.sound",               CONFIG_BOOL,   "true",            0,   0,       NULL,                 "Beep on a scan" },
  { "admin.pin",              CONFIG_STR,    "",                0,   0,       NULL,                 "Initial admin PIN (4-12 digits); stored only as a salted hash on first start" },
  { "admin.lockout_tries",    CONFIG_INT,    "5",               1,   100,     NULL,                 "Wrong PINs before admin locks" },
  { "admin.lockout_s",        CONFIG_INT,    "300",             1,   86400,   NULL,                 "Lockout length after too many wrong PINs (doubles each time)" },
  { "booth.operator",         CONFIG_STR,    "",                0,   0,       NULL,                 "Name of the exhibitor/staff member recorded with each lead" },
  { "booth.tags",             CONFIG_STR,    "hot,warm,cold,partner,press", 0, 0, NULL,            "Comma-separated tags offered on the lead card" },
  { "booth.questions",        CONFIG_STR,    "",                0,   0,       NULL,                 "Qualifying questions: id|kind(single,multi,text)|label|opt1/opt2;... " },
  { "badge.caret_fields",     CONFIG_STR,    "ref,given,family,email,org,title", 0, 0, NULL,        "Field order of caret-delimited (^) badges" },
  { "followup.thank_you_h",   CONFIG_INT,    "24",              1,   720,     NULL,                 "Hours after a meeting the thank-you follow-up is due" },
  { "followup.check_in_d",    CONFIG_INT,    "7",               1,   365,     NULL,                 "Days after a meeting the check-in follow-up is due" },
  { "followup.window_d",      CONFIG_INT,    "14",              0,   365,     NULL,                 "At most one open follow-up per pair within this many days" },
  { "followup.quiet_start",   CONFIG_STR,    "20:00",           0,   0,       NULL,                 "Start of quiet hours (local HH:MM): nothing falls due inside them" },
  { "followup.quiet_end",     CONFIG_STR,    "08:00",           0,   0,       NULL,                 "End of quiet hours (local HH:MM)" },
  { "export.bom",             CONFIG_BOOL,   "true",            0,   0,       NULL,                 "Start CSV exports with a UTF-8 byte order mark (Excel)" },
  { "export.delimiter",       CONFIG_CHOICE, ",",               0,   0,       ",|;|tab",            "CSV field delimiter (; for European Excel)" },
  { "privacy.retention_d",    CONFIG_INT,    "0",               0,   3650,    NULL,                 "Days after which personal data is purged; 0 = keep until forgotten" },
  { "privacy.consent_text",   CONFIG_STR,    "v1",              0,   0,       NULL,                 "Version tag of the consent wording shown on screen, stored with each consent" },
};
/* clang-format on */

#define NKEYS ((int)(sizeof(keys) / sizeof(keys[0])))

int config_key_count(void)
{
    return NKEYS;
}

const struct config_key *config_key_at(int i)
{
    return (i >= 0 && i < NKEYS) ? &keys[i] : NULL;
}

static int key_index(const char *key)
{
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].key, key) == 0)
            return i;
    return -1;
}

const struct config_key *config_find(const char *key)
{
    int i = key_index(key);
    return i < 0 ? NULL : &keys[i];
}

static int parse_long(const char *s, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

static int in_choices(const char *choices, const char *v)
{
    size_t n = strlen(v);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int validate(const struct config_key *k, const char *v, struct err *err)
{
    long n;
    int b;
    if (strlen(v) >= KIOSK_CONFIG_VALUE_MAX)
        return err_set(err, "value of %s is longer than %d bytes", k->key,
                       KIOSK_CONFIG_VALUE_MAX - 1);
    switch (k->type) {
    case CONFIG_STR:
        return 0;
    case CONFIG_INT:
        if (parse_long(v, &n) < 0)
            return err_set(err, "%s must be a whole number, not \"%s\"", k->key, v);
        if (n < k->min || n > k->max)
            return err_set(err, "%s must be between %ld and %ld, not %ld", k->key, k->min,
                           k->max, n);
        return 0;
    case CONFIG_BOOL:
        if (parse_bool(v, &b) < 0)
            return err_set(err, "%s must be true or false, not \"%s\"", k->key, v);
        return 0;
    case CONFIG_CAMERA: {
        struct devspec d;
        return devspec_camera(v, &d, err);
    }
    case CONFIG_PRINTER: {
        struct devspec d;
        return devspec_printer(v, &d, err);
    }
    case CONFIG_CHOICE:
        if (!in_choices(k->choices, v))
            return err_set(err, "%s must be one of %s, not \"%s\"", k->key, k->choices, v);
        return 0;
    }
    return err_set(err, "%s: unknown type", k->key);
}

int config_init(struct config *c, struct err *err)
{
    assert(NKEYS <= CONFIG_MAX_KEYS);
    memset(c, 0, sizeof(*c));
    for (int i = 0; i < NKEYS; i++) {
        c->val[i] = strdup(keys[i].def);
        if (!c->val[i]) {
            config_free(c);
            return err_set(err, "out of memory");
        }
        snprintf(c->origin[i], sizeof(c->origin[i]), "default");
    }
    return 0;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    for (int i = 0; i < CONFIG_MAX_KEYS; i++) {
        free(c->val[i]);
        c->val[i] = NULL;
    }
}

int config_set(struct config *c, const char *key, const char *value, const char *origin,
               struct err *err)
{
    int i = key_index(key);
    char *copy;
    if (i < 0)
        return err_set(err, "unknown setting \"%s\"", key);
    if (validate(&keys[i], value, err) < 0)
        return -1;
    copy = strdup(value);
    if (!copy)
        return err_set(err, "out of memory");
    free(c->val[i]);
    c->val[i] = copy;
    snprintf(c->origin[i], sizeof(c->origin[i]), "%s", origin ? origin : "?");
    return 0;
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

int config_load_file(struct config *c, const char *path, int optional, struct err *err)
{
    char line[KIOSK_CONFIG_LINE_MAX + 2];
    char origin[64];
    int lineno = 0, result = -1;
    struct err e;
    FILE *f = fopen(path, "r");

    if (!f) {
        if (optional && errno == ENOENT)
            return 0;
        return err_set(err, "%s: cannot open: %s", path, strerror(errno));
    }
    while (fgets(line, sizeof(line), f)) {
        char *eq, *key, *val, *s;
        lineno++;
        if (strlen(line) > KIOSK_CONFIG_LINE_MAX && !strchr(line, '\n')) {
            err_set(err, "%s:%d: line longer than %d bytes", path, lineno, KIOSK_CONFIG_LINE_MAX);
            goto out;
        }
        s = trim(line);
        if (lineno == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
            s += 3; /* UTF-8 BOM from a Windows editor */
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        eq = strchr(s, '=');
        if (!eq) {
            err_set(err, "%s:%d: expected key = value", path, lineno);
            goto out;
        }
        *eq = '\0';
        key = trim(s);
        val = trim(eq + 1);
        /* Allow "quoted values" so leading/trailing spaces can be kept. */
        if (val[0] == '"' && strlen(val) >= 2 && val[strlen(val) - 1] == '"') {
            val[strlen(val) - 1] = '\0';
            val++;
        }
        snprintf(origin, sizeof(origin), "%.50s:%d", path, lineno);
        if (config_set(c, key, val, origin, &e) < 0) {
            err_set(err, "%s:%d: %s", path, lineno, e.msg);
            goto out;
        }
    }
    if (ferror(f)) {
        err_set(err, "%s: read error", path);
        goto out;
    }
    result = 0;
out:
    fclose(f);
    return result;
}

const char *config_str(const struct config *c, const char *key)
{
    int i = key_index(key);
    assert(i >= 0 && "unknown config key");
    return c->val[i] ? c->val[i] : "";
}

long config_int(const struct config *c, const char *key)
{
    long v = 0;
    assert(config_find(key) && config_find(key)->type == CONFIG_INT);
    parse_long(config_str(c, key), &v);
    return v;
}

int config_bool(const struct config *c, const char *key)
{
    int b = 0;
    assert(config_find(key) && config_find(key)->type == CONFIG_BOOL);
    parse_bool(config_str(c, key), &b);
    return b;
}

const char *config_origin(const struct config *c, const char *key)
{
    int i = key_index(key);
    assert(i >= 0);
    return c->origin[i];
}
