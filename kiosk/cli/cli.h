/*
 * cli.h - the command-line shell around the core: the one context struct,
 * the subcommand table and small helpers every kiosk/cli/cmd_*.c uses.
 *
 * This layer may read the clock, the environment and the file system; it
 * turns them into plain values for the core. A command returns its exit
 * status: 0 ok, 1 failure (message on stderr), 2 usage error.
 */
#ifndef KIOSK_CLI_H
#define KIOSK_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "store.h"

/* The one context struct, owned by main() and passed by pointer. */
struct kiosk {
    struct config cfg;
    char db_path[1024];  /* resolved database path */
    char data_dir[1024]; /* $XDG_DATA_HOME/kiosk */
    char assets_dir[1024];
    struct store *store; /* opened on demand by cli_store() */
    const char *argv0;
};

struct command {
    const char *name;
    int (*run)(struct kiosk *k, int argc, char **argv); /* argv[0] = command name */
    const char *summary;
    const char *usage; /* full --help text after the "usage:" line */
};

/* Every subcommand, defined in cmd_NAME.c. */
extern const struct command cmd_run, cmd_decode, cmd_badge, cmd_roster, cmd_export, cmd_slip,
    cmd_followups, cmd_forget, cmd_merge, cmd_seed, cmd_doctor, cmd_version;

/* Wall-clock UTC milliseconds: the shell reads the clock, the core is given it.
 * KIOSK_NOW (ISO-8601 or epoch ms) overrides it, for tests and demos. */
int64_t cli_now_ms(void);

/* Print "kiosk CMD: reason" and a --help hint to stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print "kiosk CMD: message" to stderr; returns 1. */
int cli_fail(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Open (creating and migrating) the database once; prints the reason and
 * returns NULL on failure. */
struct store *cli_store(struct kiosk *k, const char *cmd);

/* Path of a file in assets/ (font, sample badges). Static buffer. */
const char *cli_asset(const struct kiosk *k, const char *name);

/* Create a directory and its parents with the given mode. 0 or -1/errno. */
int cli_mkdirs(const char *path, unsigned mode);

/* Not-yet-built commands say so and fail. */
int cli_not_implemented(const char *cmd);

/* Slip PNGs: the folders they may be in are the configured png printer's and
 * the default DATA_DIR/slips (a kiosk may have printed there before its
 * printer changed). cli_slip_dirs fills dirs and returns how many of the two
 * it filled (0..2). */
#define CLI_SLIP_DIR_MAX 1100
int cli_slip_dirs(const struct kiosk *k, char dirs[2][CLI_SLIP_DIR_MAX]);

/* Delete the slip PNG of print job job_id from every slip folder. Returns
 * the files deleted (0 when none existed); *failed (may be NULL) gets the
 * number that exist but could not be deleted, each reported once to
 * say(ctx, "cannot delete PATH: REASON") when say is not NULL. */
int cli_delete_slip_pngs(const struct kiosk *k, const char *job_id, int *failed,
                         void (*say)(void *ctx, const char *line), void *ctx);

#endif
