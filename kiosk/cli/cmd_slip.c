/*
 * cmd_slip.c - `kiosk slip`: print an interaction's QR summary slip, a
 * "my connections" slip or a test page through the persistent print queue;
 * render one to a PNG without printing; show, retry, reprint or cancel jobs.
 *
 * The shell part of printing: reads the clock and the config, opens the
 * font and the printer, and hands the core's print queue a sink
 * (kiosk/dev/printer_job.c). A failed print is not lost: the job stays in
 * the database and is retried by the kiosk or by `kiosk slip --retry`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "devspec.h"
#include "dev/font_ttf.h"
#include "dev/printer_job.h"
#include "printq.h"
#include "tzone.h"

static const char *const CMD = "slip";

struct ctx {
    struct kiosk *k;
    struct store *s;
    struct font *font;
    struct printer *printer;
    struct printer_job pj;
    struct tzone tz;
    struct printq_policy policy;
};

static int setup(struct ctx *c, struct kiosk *k, int want_printer)
{
    struct err err = {{0}};
    struct devspec spec;
    struct printer_params pp;

    memset(c, 0, sizeof(*c));
    c->k = k;
    c->s = cli_store(k, CMD);
    if (!c->s)
        return 1;
    if (tzone_use(config_str(&k->cfg, "event.timezone"), &err) < 0)
        return cli_fail(CMD, "%s", err.msg);
    c->tz.offset_s = tzone_libc_offset;
    if (font_ttf_open(&c->font, k->assets_dir, &err) < 0)
        return cli_fail(CMD, "%s", err.msg);
    c->pj.font = c->font;
    c->pj.tz = &c->tz;
    c->pj.sp.width_dots = (int)config_int(&k->cfg, "printer.width_dots");
    c->pj.sp.dpi = (int)config_int(&k->cfg, "printer.dpi");
    snprintf(c->pj.event, sizeof(c->pj.event), "%s", config_str(&k->cfg, "event.name"));
    printq_policy_default(&c->policy);
    c->policy.retry_max = (int)config_int(&k->cfg, "printer.retry_max");
    if (!want_printer)
        return 0;
    if (devspec_printer(config_str(&k->cfg, "printer"), &spec, &err) < 0)
        return cli_fail(CMD, "%s", err.msg);
    memset(&pp, 0, sizeof(pp));
    pp.width_dots = c->pj.sp.width_dots;
    pp.dpi = c->pj.sp.dpi;
    pp.cut = config_bool(&k->cfg, "printer.cut");
    pp.native_qr = config_bool(&k->cfg, "printer.native_qr");
    if (printer_open(&c->printer, &spec, &pp, k->data_dir, &err) < 0)
        return cli_fail(CMD, "%s; use --printer SPEC or --out FILE.png", err.msg);
    c->pj.printer = c->printer;
    return 0;
}

static void teardown(struct ctx *c)
{
    printer_close(c->printer);
    font_close(c->font);
}

/* Attendee by reference (badge ref, e-mail...) or by id. */
static int find_attendee(struct store *s, const char *key, char id[KIOSK_ID_LEN])
{
    struct err err = {{0}};
    struct contact *c = malloc(sizeof(*c));
    int r;
    if (!c)
        return cli_fail(CMD, "out of memory");
    r = store_attendee_find(s, key, c, id, &err);
    if (r == 1) {
        r = store_attendee_get(s, key, c, &err);
        if (r == 0)
            snprintf(id, KIOSK_ID_LEN, "%s", key);
    }
    free(c);
    if (r < 0)
        return cli_fail(CMD, "%s", err.msg);
    if (r == 1)
        return cli_fail(CMD, "no attendee with reference or id \"%s\"", key);
    return 0;
}

static void where(const struct ctx *c, const char *job_id)
{
    const char *spec = config_str(&c->k->cfg, "printer");
    struct devspec d;
    struct err err;
    char dir[1100], path[1200];
    if (devspec_printer(spec, &d, &err) < 0 || d.kind != PRINTER_PNG ||
        printer_png_dir(&d, c->k->data_dir, dir, sizeof(dir), &err) < 0 ||
        printer_png_slip_path(dir, job_id, path, sizeof(path), &err) < 0) {
        printf("slip %s printed on %s\n", job_id, spec);
        return;
    }
    printf("slip written to %s\n", path);
}

/* Print job id now (it was just queued, or staff asked). */
static int run_job(struct ctx *c, const char *id)
{
    struct printq_sink sink = {printer_job_print, &c->pj};
    struct printq_stats st;
    struct store_print_job job;
    struct err err = {{0}};
    if (printq_run(c->s, &c->policy, &sink, id, 1, 1, cli_now_ms(), &st, &err) < 0)
        return cli_fail(CMD, "%s", err.msg);
    if (st.printed == 1) {
        where(c, id);
        return 0;
    }
    if (store_print_get(c->s, id, &job, &err) != 0)
        return cli_fail(CMD, "print job %s: %s", id, err.msg[0] ? err.msg : "vanished");
    if (strcmp(job.status, "queued") == 0)
        return cli_fail(CMD,
                        "%s; job %s stays queued (attempt %d), next try in %lld s "
                        "(kiosk slip --retry)",
                        job.last_error, id, job.attempts,
                        (long long)((job.next_attempt_at - cli_now_ms() + 999) / 1000));
    return cli_fail(CMD, "job %s is %s: %s", id, job.status,
                    job.last_error[0] ? job.last_error : "nothing to print");
}

static int render_out(struct ctx *c, struct store_print_job *job, const char *out)
{
    struct raster *r = NULL;
    struct err err = {{0}};
    int rc = printer_job_render(&c->pj, c->s, job, &r, &err);
    if (rc == 1)
        return cli_fail(CMD, "nothing to print: %s", err.msg);
    if (rc < 0)
        return cli_fail(CMD, "%s", err.msg);
    rc = printer_png_write(r, c->pj.sp.dpi, out, &err);
    if (rc == 0)
        printf("%s: %dx%d dots (%.0f x %.0f mm), %d QR code%s\n", out, r->width, r->height,
               r->width * 25.4 / c->pj.sp.dpi, r->height * 25.4 / c->pj.sp.dpi, r->nqr,
               r->nqr == 1 ? "" : "s");
    raster_free(r);
    return rc < 0 ? cli_fail(CMD, "%s", err.msg) : 0;
}

static int show_job(void *ctx, const struct store_print_job *j)
{
    char when[TZONE_ISO_MAX] = "-";
    (void)ctx;
    if (strcmp(j->status, "queued") == 0)
        tzone_human(NULL, j->next_attempt_at, when);
    printf("%s  %-11s %-9s attempts=%d next=%s%s%s\n", j->id, j->kind, j->status, j->attempts, when,
           j->last_error[0] ? "  error: " : "", j->last_error);
    return 0;
}

static int run(struct kiosk *k, int argc, char **argv)
{
    const char *id = NULL, *out = NULL, *conn = NULL, *forwho = NULL, *reprint = NULL,
               *cancel = NULL, *lang = NULL;
    int test = 0, queue = 0, retry = 0, status;
    struct ctx c;
    struct err err = {{0}};
    struct store_print_job job;
    char new_id[KIOSK_ID_LEN], att[KIOSK_ID_LEN] = "", fwid[KIOSK_ID_LEN] = "";

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **val = NULL;
        if (strcmp(a, "--test") == 0)
            test = 1;
        else if (strcmp(a, "--queue") == 0)
            queue = 1;
        else if (strcmp(a, "--retry") == 0)
            retry = 1;
        else if (strcmp(a, "--out") == 0)
            val = &out;
        else if (strcmp(a, "--connections") == 0)
            val = &conn;
        else if (strcmp(a, "--for") == 0)
            val = &forwho;
        else if (strcmp(a, "--reprint") == 0)
            val = &reprint;
        else if (strcmp(a, "--cancel") == 0)
            val = &cancel;
        else if (strcmp(a, "--lang") == 0)
            val = &lang;
        else if (a[0] == '-')
            return cli_usage_error(CMD, "unknown option %s", a);
        else if (!id)
            id = a;
        else
            return cli_usage_error(CMD, "one interaction id at a time");
        if (val) {
            if (i + 1 >= argc)
                return cli_usage_error(CMD, "%s needs a value", a);
            *val = argv[++i];
        }
    }
    if ((id != NULL) + test + (conn != NULL) + queue + retry + (reprint != NULL) +
            (cancel != NULL) !=
        1)
        return cli_usage_error(CMD, "give exactly one of ID, --test, --connections, --queue, "
                                    "--retry, --reprint, --cancel");
    if (out && !(id || test || conn))
        return cli_usage_error(CMD, "--out goes with ID, --test or --connections");
    if (forwho && !id)
        return cli_usage_error(CMD, "--for goes with an interaction ID");
    if (lang && !(id || test || conn))
        return cli_usage_error(CMD, "--lang goes with ID, --test or --connections (a reprint "
                                    "keeps its job's language)");
    if (lang && !slip_lang_known(lang)) {
        char known[64] = "";
        for (int i = 0; slip_lang_at(i); i++)
            snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", i ? ", " : "",
                     slip_lang_at(i));
        return cli_usage_error(CMD, "no slip words in language \"%s\" (%s)", lang, known);
    }
    /* Without --lang: the language the kiosk's screens start in. */
    if (!lang)
        lang = config_str(&k->cfg, "ui.language");

    status = setup(&c, k, !(out || queue || cancel));
    if (status != 0) {
        teardown(&c);
        return status;
    }
    memset(&job, 0, sizeof(job));
    job.created_at = cli_now_ms();
    snprintf(job.id, sizeof(job.id), "preview");
    snprintf(job.lang, sizeof(job.lang), "%s", lang);
    if (queue) {
        long q, p, f;
        if (store_print_counts(c.s, &q, &p, &f, &err) < 0 ||
            store_print_list(c.s, NULL, 200, show_job, NULL, &err) < 0)
            status = cli_fail(CMD, "%s", err.msg);
        else
            printf("%ld queued, %ld printing, %ld failed\n", q, p, f);
        goto done;
    }
    if (cancel) {
        int r = store_print_cancel(c.s, cancel, cli_now_ms(), &err);
        status = r < 0    ? cli_fail(CMD, "%s", err.msg)
                 : r == 1 ? cli_fail(CMD, "no queued or failed job %s", cancel)
                          : (printf("job %s cancelled\n", cancel), 0);
        goto done;
    }
    if (retry) {
        struct printq_sink sink = {printer_job_print, &c.pj};
        struct printq_stats st;
        if (printq_run(c.s, &c.policy, &sink, NULL, 1, 1000, cli_now_ms(), &st, &err) < 0) {
            status = cli_fail(CMD, "%s", err.msg);
            goto done;
        }
        printf("%d printed, %d still queued after an error, %d failed for good%s%s\n", st.printed,
               st.retrying, st.gave_up, st.last_error[0] ? "; last error: " : "", st.last_error);
        status = st.retrying || st.gave_up ? 1 : 0;
        goto done;
    }
    if (reprint) {
        int r = store_print_reprint(c.s, reprint, cli_now_ms(), new_id, &err);
        if (r != 0) {
            status = cli_fail(CMD, "%s", r == 1 ? "no such print job" : err.msg);
            goto done;
        }
        status = run_job(&c, new_id);
        goto done;
    }
    if (test) {
        snprintf(job.kind, sizeof(job.kind), "test");
    } else if (conn) {
        status = find_attendee(c.s, conn, att);
        if (status != 0)
            goto done;
        snprintf(job.kind, sizeof(job.kind), "connections");
        snprintf(job.attendee_id, sizeof(job.attendee_id), "%s", att);
    } else {
        int r = store_print_interaction_kind(c.s, id, job.kind, &err);
        if (r != 0) {
            status = r < 0 ? cli_fail(CMD, "%s", err.msg)
                           : cli_fail(CMD, "no interaction with id %s", id);
            goto done;
        }
        snprintf(job.interaction_id, sizeof(job.interaction_id), "%s", id);
        if (forwho) {
            status = find_attendee(c.s, forwho, fwid);
            if (status != 0)
                goto done;
            snprintf(job.attendee_id, sizeof(job.attendee_id), "%s", fwid);
        }
    }
    if (out) {
        status = render_out(&c, &job, out);
        goto done;
    }
    if (printq_submit_lang(c.s, job.kind, job.interaction_id, job.attendee_id, job.lang,
                           cli_now_ms(), new_id, &err) < 0) {
        status = cli_fail(CMD, "%s", err.msg);
        goto done;
    }
    status = run_job(&c, new_id);
done:
    teardown(&c);
    return status;
}

const struct command cmd_slip = {
    .name = "slip",
    .run = run,
    .summary = "Print an interaction's QR summary slip, or a test page",
    .usage = "ID [--for ATTENDEE] [--lang LANG] [--out FILE.png]\n"
             "       kiosk slip --test [--lang LANG] [--out FILE.png]\n"
             "       kiosk slip --connections ATTENDEE [--lang LANG] [--out FILE.png]\n"
             "       kiosk slip --queue | --retry | --reprint JOB | --cancel JOB\n\n"
             "  ID                 interaction id: a handshake slip (both people) or a booth\n"
             "                     lead slip\n"
             "  --for ATTENDEE     handshake slip for one of the two: headed \"For <their\n"
             "                     name>\", it shows the other person's card\n"
             "  --connections ATT  everyone ATT met (\"my connections\")\n"
             "  --test             a test page: ruler, sample contacts and QR codes\n"
             "  --lang LANG        the slip's own words, dates and QR note in en, de, fr or\n"
             "                     es (default: the ui.language setting); names and notes\n"
             "                     print as typed\n"
             "  --out FILE.png     render to a PNG only: nothing queued or printed\n"
             "  --queue            list jobs not printed yet (queued, printing, failed)\n"
             "  --retry            print every queued job now, ignoring the back-off wait\n"
             "  --reprint JOB      print a job again on purpose (a new job, same language)\n"
             "  --cancel JOB       drop a queued or failed job\n\n"
             "Every slip opens with whom it is for, white on a black band (the attendee,\n"
             "both first names without --for, the booth operator of a lead, the owner of\n"
             "a connections slip). Slips the kiosk prints are in the language on its screen\n"
             "when they were asked for.\n"
             "Every slip is stored as a job before it is sent; if the printer fails the job\n"
             "stays queued and is retried with back-off (printer.retry_max attempts). The\n"
             "printer comes from the printer setting or --printer SPEC; with the default\n"
             "png: slips go to $XDG_DATA_HOME/kiosk/slips/.",
};
