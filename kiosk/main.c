/*
 * main.c - kiosk: setup, run, cleanup.
 *
 * Owns the one context struct (struct kiosk), reads configuration in its
 * order of precedence (defaults, /etc/kiosk/kiosk.conf,
 * $XDG_CONFIG_HOME/kiosk/kiosk.conf, --config FILE, flags) and dispatches to
 * a subcommand in kiosk/cli/. Common options may come before or after the
 * subcommand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

static const struct command *const commands[] = {
    &cmd_run,    &cmd_decode, &cmd_badge, &cmd_roster, &cmd_export,  &cmd_slip,
    &cmd_followups, &cmd_forget, &cmd_merge, &cmd_seed, &cmd_doctor, &cmd_version,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char common_help[] =
    "common options (before or after the command):\n"
    "  --db PATH        database file (default $XDG_DATA_HOME/kiosk/kiosk.db)\n"
    "  --config FILE    settings file (key = value), after /etc/kiosk/kiosk.conf and\n"
    "                   $XDG_CONFIG_HOME/kiosk/kiosk.conf\n"
    "  --camera SPEC    v4l2:/dev/video0 | files:DIR_OR_FILE | y4m:FILE | y4m:- | demo | none\n"
    "  --printer SPEC   escpos:/dev/usb/lp0 | escpos-tcp:HOST:PORT | escpos-file:PATH |\n"
    "                   cups:QUEUE | png:DIR | none\n"
    "  --set KEY=VALUE  override any setting (see assets/kiosk.conf.example)\n"
    "  -h, --help       help for the command\n";

static void usage(FILE *f)
{
    fprintf(f, "usage: kiosk [options] COMMAND [args]\n\n"
               "A badge-scanning networking kiosk for conferences.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n%s\nRun 'kiosk COMMAND --help' for a command's own options.\n", common_help);
}

static void command_help(const struct command *c)
{
    printf("usage: kiosk %s %s\n\n%s\n", c->name, c->usage, c->summary);
    printf("\n%s", common_help);
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static int resolve_paths(struct kiosk *k)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char exe[1024];
    ssize_t n;

    if (xdg && xdg[0] == '/')
        snprintf(k->data_dir, sizeof(k->data_dir), "%s/kiosk", xdg);
    else
        snprintf(k->data_dir, sizeof(k->data_dir), "%s/.local/share/kiosk",
                 home && home[0] ? home : "/tmp");

    /* Assets: $KIOSK_ASSETS, next to an installed binary, else the source tree. */
    if (getenv("KIOSK_ASSETS")) {
        snprintf(k->assets_dir, sizeof(k->assets_dir), "%s", getenv("KIOSK_ASSETS"));
        return 0;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        struct stat st;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(k->assets_dir, sizeof(k->assets_dir), "%.900s/../share/kiosk", exe);
            if (stat(k->assets_dir, &st) == 0 && S_ISDIR(st.st_mode))
                return 0;
        }
    }
    snprintf(k->assets_dir, sizeof(k->assets_dir), "%s/assets", KIOSK_SOURCE_DIR);
    return 0;
}

int main(int argc, char **argv)
{
    struct kiosk k;
    struct err err = {{0}};
    const struct command *cmd = NULL;
    const char *config_file = NULL;
    char **rest;
    int nrest = 0, status = 1, want_help = 0;
    /* flag overrides, applied after all files */
    const char *over_key[64], *over_val[64];
    char over_buf[64][KIOSK_CONFIG_VALUE_MAX + 64];
    int nover = 0;

    memset(&k, 0, sizeof(k));
    k.argv0 = argv[0];
    rest = calloc((size_t)argc + 1, sizeof(*rest));
    if (!rest || config_init(&k.cfg, &err) < 0) {
        fprintf(stderr, "kiosk: out of memory\n");
        free(rest);
        return 1;
    }

    /* Pull the common options out wherever they are; keep the rest in order. */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *key = NULL;
        if (strcmp(a, "--") == 0) {
            while (i < argc)
                rest[nrest++] = argv[i++];
            break;
        }
        if (strcmp(a, "--db") == 0)
            key = "db.path";
        else if (strcmp(a, "--camera") == 0)
            key = "camera";
        else if (strcmp(a, "--printer") == 0)
            key = "printer";
        if (key || strcmp(a, "--config") == 0 || strcmp(a, "--set") == 0) {
            const char *name = cmd ? cmd->name : "";
            if (i + 1 >= argc) {
                status = cli_usage_error(name, "%s needs a value", a);
                goto out;
            }
            if (strcmp(a, "--config") == 0) {
                config_file = argv[++i];
                continue;
            }
            if (nover >= 64) {
                status = cli_usage_error(name, "too many options");
                goto out;
            }
            if (!key) { /* --set KEY=VALUE */
                const char *kv = argv[++i];
                const char *eq = strchr(kv, '=');
                if (!eq || eq == kv) {
                    status = cli_usage_error(name, "--set wants KEY=VALUE, not \"%s\"", kv);
                    goto out;
                }
                snprintf(over_buf[nover], sizeof(over_buf[nover]), "%.*s", (int)(eq - kv), kv);
                over_key[nover] = over_buf[nover];
                over_val[nover++] = eq + 1;
                continue;
            }
            over_key[nover] = key;
            over_val[nover++] = argv[++i];
            continue;
        }
        if (!cmd && a[0] != '-') {
            cmd = find_command(a);
            if (!cmd) {
                status = cli_usage_error("", "unknown command \"%s\"", a);
                goto out;
            }
            rest[nrest++] = argv[i];
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            want_help = 1;
            continue;
        }
        if (strcmp(a, "--version") == 0 && !cmd) {
            cmd = &cmd_version;
            rest[nrest++] = argv[i];
            continue;
        }
        if (!cmd) {
            status = cli_usage_error("", "unknown option \"%s\"", a);
            goto out;
        }
        rest[nrest++] = argv[i];
    }

    if (!cmd) {
        usage(want_help ? stdout : stderr);
        status = want_help ? 0 : 2;
        goto out;
    }
    if (want_help) {
        command_help(cmd);
        status = 0;
        goto out;
    }

    resolve_paths(&k);
    {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char user_conf[1100];
        if (xdg && xdg[0] == '/')
            snprintf(user_conf, sizeof(user_conf), "%s/kiosk/kiosk.conf", xdg);
        else
            snprintf(user_conf, sizeof(user_conf), "%s/.config/kiosk/kiosk.conf",
                     home ? home : "/nonexistent");
        if ((!getenv("KIOSK_NO_SYSTEM_CONFIG") &&
             config_load_file(&k.cfg, "/etc/kiosk/kiosk.conf", 1, &err) < 0) ||
            config_load_file(&k.cfg, user_conf, 1, &err) < 0 ||
            (config_file && config_load_file(&k.cfg, config_file, 0, &err) < 0)) {
            status = cli_fail(cmd->name, "%s", err.msg);
            goto out;
        }
    }
    for (int i = 0; i < nover; i++) {
        char origin[64];
        snprintf(origin, sizeof(origin), "--%s", over_key[i]);
        if (config_set(&k.cfg, over_key[i], over_val[i], origin, &err) < 0) {
            status = cli_usage_error(cmd->name, "%s", err.msg);
            goto out;
        }
    }
    if (config_str(&k.cfg, "db.path")[0])
        snprintf(k.db_path, sizeof(k.db_path), "%s", config_str(&k.cfg, "db.path"));
    else
        snprintf(k.db_path, sizeof(k.db_path), "%.1000s/kiosk.db", k.data_dir);

    status = cmd->run(&k, nrest, rest);
out:
    store_close(k.store);
    config_free(&k.cfg);
    free(rest);
    return status;
}
