/*
 * script.c - parse event scripts and feed them to the app.
 *
 * Owns the script language (see script.h) and the runner that turns a
 * command into events at the right time. Never reads a clock (the caller
 * says what time it is), never draws: a screenshot is handed back to the
 * shell. Bounded: SCRIPT_LINES_MAX lines, SCRIPT_ARG_MAX bytes per argument.
 */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Unescape s into a new buffer; returns it (caller frees) or NULL. */
static char *unescape(const char *s, size_t *out_len, int lineno, struct err *err)
{
    size_t n = strlen(s), o = 0;
    char *buf = malloc(n + 1);
    if (!buf) {
        err_set(err, "line %d: out of memory", lineno);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            buf[o++] = s[i];
            continue;
        }
        i++;
        switch (s[i]) {
        case 'n': buf[o++] = '\n'; break;
        case 'r': buf[o++] = '\r'; break;
        case 't': buf[o++] = '\t'; break;
        case '\\': buf[o++] = '\\'; break;
        case 'x':
            if (i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                buf[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
                break;
            }
            free(buf);
            err_set(err, "line %d: \\x needs two hex digits", lineno);
            return NULL;
        default:
            buf[o++] = '\\';
            buf[o++] = s[i];
        }
    }
    buf[o] = '\0';
    *out_len = o;
    return buf;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static char *read_all(const char *path, size_t max, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;
    if (!f) {
        err_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    buf = malloc(max + 2);
    if (!buf) {
        fclose(f);
        err_set(err, "out of memory");
        return NULL;
    }
    n = fread(buf, 1, max + 1, f);
    fclose(f);
    if (n > max) {
        free(buf);
        err_set(err, "%s is larger than %zu bytes", path, max);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Parse one line (NUL-terminated, no newline). 0 = command, 1 = nothing. */
static int parse_line(char *line, int lineno, const char *dir, struct script_cmd *c,
                      struct err *err)
{
    char *verb, *rest, *sp;
    long v;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        line[--n] = '\0';
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '#')
        return 1;
    memset(c, 0, sizeof(*c));
    c->line = lineno;
    verb = line;
    sp = strchr(line, ' ');
    rest = sp ? sp + 1 : line + strlen(line);
    if (sp)
        *sp = '\0';
    while (*rest == ' ')
        rest++;

    if (strcmp(verb, "scan") == 0 || strcmp(verb, "type") == 0) {
        c->op = verb[0] == 's' ? SCRIPT_SCAN : SCRIPT_TYPE;
        if (!*rest)
            return err_set(err, "line %d: %s needs an argument", lineno, verb);
        if (strlen(rest) > SCRIPT_ARG_MAX)
            return err_set(err, "line %d: argument longer than %d bytes", lineno, SCRIPT_ARG_MAX);
        c->arg = unescape(rest, &c->arg_len, lineno, err);
        return c->arg ? 0 : -1;
    }
    if (strcmp(verb, "scanfile") == 0) {
        char path[2048];
        if (!*rest)
            return err_set(err, "line %d: scanfile needs a path", lineno);
        if (rest[0] == '/' || !dir)
            snprintf(path, sizeof(path), "%s", rest);
        else
            snprintf(path, sizeof(path), "%.1000s/%.1000s", dir, rest);
        c->op = SCRIPT_SCAN;
        c->arg = read_all(path, SCRIPT_ARG_MAX, &c->arg_len, err);
        if (!c->arg) {
            struct err why = {{0}}; /* err_set must not read the message it writes */
            if (err)
                why = *err;
            return err_set(err, "line %d: %s", lineno, err ? why.msg : "cannot read");
        }
        return 0;
    }
    if (strcmp(verb, "tap") == 0 || strcmp(verb, "hold") == 0) {
        char *w[3] = {NULL, NULL, NULL};
        int nw = 0;
        for (char *t = strtok(rest, " \t"); t && nw < 3; t = strtok(NULL, " \t"))
            w[nw++] = t;
        c->op = verb[0] == 't' ? SCRIPT_TAP : SCRIPT_HOLD;
        if (c->op == SCRIPT_HOLD) {
            if (nw < 2 || parse_int(w[nw - 1], 0, 600000, &v) < 0)
                return err_set(err, "line %d: hold WIDGET_ID MS or hold X Y MS", lineno);
            c->ms = v;
            nw--;
        }
        if (nw == 2) {
            long x, y;
            if (parse_int(w[0], 0, 100000, &x) < 0 || parse_int(w[1], 0, 100000, &y) < 0)
                return err_set(err, "line %d: %s X Y wants two pixel numbers", lineno, verb);
            c->x = (int)x;
            c->y = (int)y;
            return 0;
        }
        if (nw != 1)
            return err_set(err, "line %d: %s WIDGET_ID or %s X Y", lineno, verb, verb);
        c->arg = strdup(w[0]);
        return c->arg ? 0 : err_set(err, "line %d: out of memory", lineno);
    }
    if (strcmp(verb, "key") == 0 || strcmp(verb, "screenshot") == 0 ||
        strcmp(verb, "expect") == 0) {
        c->op = verb[0] == 'k' ? SCRIPT_KEY : verb[0] == 's' ? SCRIPT_SCREENSHOT : SCRIPT_EXPECT;
        if (!*rest || strlen(rest) > 1024)
            return err_set(err, "line %d: %s needs one argument", lineno, verb);
        if (c->op == SCRIPT_KEY && strlen(rest) >= 16)
            return err_set(err, "line %d: unknown key \"%s\"", lineno, rest);
        c->arg = strdup(rest);
        return c->arg ? 0 : err_set(err, "line %d: out of memory", lineno);
    }
    if (strcmp(verb, "wait") == 0) {
        c->op = SCRIPT_WAIT;
        if (parse_int(rest, 0, 24L * 3600 * 1000, &v) < 0)
            return err_set(err, "line %d: wait MS wants milliseconds", lineno);
        c->ms = v;
        return 0;
    }
    return err_set(err, "line %d: unknown command \"%s\" (scan, scanfile, tap, hold, type, key, "
                        "wait, screenshot, expect)",
                   lineno, verb);
}

void script_free(struct script *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        free(s->cmds[i].arg);
    free(s->cmds);
    memset(s, 0, sizeof(*s));
}

int script_parse(struct script *s, const char *text, size_t len, const char *dir,
                 struct err *err)
{
    size_t pos = 0;
    int lineno = 0, cap = 0;
    char *line = NULL;
    memset(s, 0, sizeof(*s));
    line = malloc(SCRIPT_ARG_MAX * 4 + 64);
    if (!line)
        return err_set(err, "out of memory");
    while (pos < len) {
        size_t end = pos;
        struct script_cmd c;
        int r;
        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        if (lineno > SCRIPT_LINES_MAX) {
            err_set(err, "script longer than %d lines", SCRIPT_LINES_MAX);
            goto fail;
        }
        if (end - pos > SCRIPT_ARG_MAX * 4 + 32) {
            err_set(err, "line %d: longer than %d bytes", lineno, SCRIPT_ARG_MAX * 4 + 32);
            goto fail;
        }
        memcpy(line, text + pos, end - pos);
        line[end - pos] = '\0';
        pos = end + 1;
        r = parse_line(line, lineno, dir, &c, err);
        if (r < 0)
            goto fail;
        if (r == 1)
            continue;
        if (s->n == cap) {
            int ncap = cap ? cap * 2 : 32;
            struct script_cmd *grown = realloc(s->cmds, (size_t)ncap * sizeof(*grown));
            if (!grown) {
                free(c.arg);
                err_set(err, "out of memory");
                goto fail;
            }
            s->cmds = grown;
            cap = ncap;
        }
        s->cmds[s->n++] = c;
    }
    free(line);
    return 0;
fail:
    free(line);
    script_free(s);
    return -1;
}

int script_load(struct script *s, const char *path, struct err *err)
{
    size_t len;
    char dir[1024], *slash;
    char *text = read_all(path, (size_t)SCRIPT_LINES_MAX * 256, &len, err);
    int r;
    memset(s, 0, sizeof(*s));
    if (!text)
        return -1;
    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    r = script_parse(s, text, len, dir, err);
    free(text);
    if (r < 0) {
        struct err e = *err;
        return err_set(err, "%s: %s", path, e.msg);
    }
    return 0;
}

static void send_touch(struct app *a, enum event_type t, int x, int y, int64_t now)
{
    struct event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = t;
    ev.now_ms = now;
    ev.u.touch.x = x;
    ev.u.touch.y = y;
    app_event(a, &ev);
}

static int target(struct script *s, const struct script_cmd *c, struct app *a, struct err *err)
{
    struct ui_rect r;
    if (!c->arg) {
        s->down_x = c->x;
        s->down_y = c->y;
        return 0;
    }
    if (ui_find(app_ui(a), c->arg, &r) < 0)
        return err_set(err, "line %d: no widget \"%s\" on screen %s", c->line, c->arg,
                       app_screen_name(app_screen(a)));
    s->down_x = r.x + r.w / 2;
    s->down_y = r.y + r.h / 2;
    return 0;
}

enum script_status script_step(struct script *s, struct app *a, int64_t now, const char **shot,
                               struct err *err)
{
    while (s->pc < s->n) {
        const struct script_cmd *c = &s->cmds[s->pc];
        struct event ev;
        if (s->phase == 1 && now < s->due)
            return SCRIPT_RUNNING;
        memset(&ev, 0, sizeof(ev));
        ev.now_ms = now;
        switch (c->op) {
        case SCRIPT_SCAN:
            ev.type = EV_SCAN;
            ev.u.scan.data = (const unsigned char *)c->arg;
            ev.u.scan.len = c->arg_len;
            ev.u.scan.source = SCAN_SCRIPT;
            snprintf(ev.u.scan.symbology, sizeof(ev.u.scan.symbology), "qr");
            app_event(a, &ev);
            break;
        case SCRIPT_TAP:
        case SCRIPT_HOLD:
            if (s->phase == 0) {
                if (target(s, c, a, err) < 0)
                    return SCRIPT_ERROR;
                send_touch(a, EV_TOUCH_DOWN, s->down_x, s->down_y, now);
                s->phase = 1;
                /* A tap is a short press, as a finger makes it. */
                s->due = now + (c->op == SCRIPT_TAP ? 60 : c->ms);
                return SCRIPT_RUNNING;
            }
            send_touch(a, EV_TOUCH_UP, s->down_x, s->down_y, now);
            break;
        case SCRIPT_TYPE: {
            /* Split into EV_TEXT-sized pieces at character boundaries. */
            size_t i = 0;
            while (i < c->arg_len) {
                size_t n = c->arg_len - i;
                if (n > sizeof(ev.u.text.text) - 1) {
                    size_t max = sizeof(ev.u.text.text) - 1;
                    n = max;
                    while (n > 0 && ((unsigned char)c->arg[i + n] & 0xC0) == 0x80)
                        n--;
                    if (n == 0)
                        n = max; /* not UTF-8 at all: cut anywhere, keep moving */
                }
                memset(&ev.u, 0, sizeof(ev.u));
                ev.type = EV_TEXT;
                memcpy(ev.u.text.text, c->arg + i, n);
                app_event(a, &ev);
                i += n;
            }
            break;
        }
        case SCRIPT_KEY:
            ev.type = EV_KEY;
            snprintf(ev.u.key.name, sizeof(ev.u.key.name), "%s", c->arg);
            app_event(a, &ev);
            break;
        case SCRIPT_WAIT:
            if (s->phase == 0) {
                s->phase = 1;
                s->due = now + c->ms;
                return SCRIPT_RUNNING;
            }
            break;
        case SCRIPT_SCREENSHOT:
            s->pc++;
            s->phase = 0;
            *shot = c->arg;
            return SCRIPT_SHOT;
        case SCRIPT_EXPECT:
            if (strcmp(app_screen_name(app_screen(a)), c->arg) != 0) {
                err_set(err, "line %d: expected screen %s, the app shows %s", c->line, c->arg,
                        app_screen_name(app_screen(a)));
                return SCRIPT_ERROR;
            }
            break;
        }
        s->pc++;
        s->phase = 0;
    }
    return SCRIPT_DONE;
}

int script_run_virtual(struct script *s, struct app *a, int64_t *now, int step_ms,
                       int (*shot)(void *ctx, const char *path, struct err *err),
                       void (*poll)(void *ctx, int64_t now), void *ctx, struct err *err)
{
    for (;;) {
        const char *path = NULL;
        enum script_status st = script_step(s, a, *now, &path, err);
        struct event tick;
        if (st == SCRIPT_ERROR)
            return -1;
        if (st == SCRIPT_DONE)
            return 0;
        if (st == SCRIPT_SHOT) {
            if (shot && shot(ctx, path, err) < 0)
                return -1;
            continue;
        }
        *now += step_ms;
        if (poll)
            poll(ctx, *now);
        memset(&tick, 0, sizeof(tick));
        tick.type = EV_TICK;
        tick.now_ms = *now;
        app_event(a, &tick);
    }
}
