/*
 * config.h - the kiosk's settings: one table of defaults, overridden by files
 * and flags.
 *
 * The table of every key, its type, default and meaning lives at the top of
 * config.c (read it as the reference; assets/kiosk.conf.example mirrors it and
 * a test keeps the two in step). Files are `key = value` lines; `#` starts a
 * comment line. An unknown key or a bad value is refused with file:line.
 * Later sources override earlier ones: defaults, /etc/kiosk/kiosk.conf,
 * $XDG_CONFIG_HOME/kiosk/kiosk.conf, --config FILE, command-line flags.
 */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include "err.h"

enum config_type { CONFIG_STR, CONFIG_INT, CONFIG_BOOL, CONFIG_CHOICE, CONFIG_CAMERA, CONFIG_PRINTER };

struct config_key {
    const char *key;
    enum config_type type;
    const char *def;  /* default, as text */
    long min, max;    /* CONFIG_INT bounds */
    const char *choices; /* CONFIG_CHOICE: "a|b|c" */
    const char *help; /* one line for kiosk.conf.example and --help */
};

#define CONFIG_MAX_KEYS 96

struct config {
    char *val[CONFIG_MAX_KEYS]; /* owned; index = position in the key table */
    char origin[CONFIG_MAX_KEYS][64]; /* "default", "file.conf:12", "--printer" */
};

/* Fill c with the defaults. Returns 0, or -1 on out of memory. */
int config_init(struct config *c, struct err *err);
void config_free(struct config *c);

/* Set one key from text, validating it. origin names where it came from.
 * On failure c is unchanged and err says why. */
int config_set(struct config *c, const char *key, const char *value, const char *origin,
               struct err *err);

/* Read a key=value file. Missing file: -1 with a message unless optional.
 * Returns 0 if all lines were accepted; on the first bad line returns -1 with
 * "PATH:LINE: reason" in err (earlier lines stay applied). */
int config_load_file(struct config *c, const char *path, int optional, struct err *err);

/* Typed getters. The key must exist in the table (asserted: a typo in the
 * code is a bug, not a runtime condition). */
const char *config_str(const struct config *c, const char *key);
long config_int(const struct config *c, const char *key);
int config_bool(const struct config *c, const char *key);
const char *config_origin(const struct config *c, const char *key);

/* The table, for documentation and tests. */
int config_key_count(void);
const struct config_key *config_key_at(int i);
const struct config_key *config_find(const char *key);

#endif
