/*
 * cmd_run.c - `kiosk run`: the kiosk itself.
 *
 * Setup, run, cleanup. Wires the pure app (core/app.c) to the devices: the
 * display (SDL window, or headless offscreen), the camera with its decoder
 * thread and debounce, the keyboard-wedge filter, the persistent print
 * queue and its printer. The loop reads the clock once per iteration and
 * stamps every event with it; the app never sees a clock.
 * Printing never runs on the UI thread: a print worker thread with its own
 * store connection (WAL: readers and one writer at a time, busy timeout)
 * sends the queued jobs (a CUPS or TCP send may block for many seconds) and
 * hands results back through a small mutex-protected queue, drained by the
 * loop as EV_PRINT_DONE events. The UI only ever takes that mutex for a few
 * instructions; it never waits for the printer.
 * Modes: full screen (default), --windowed WxH, --headless (offscreen; with
 * --events FILE the script runs in virtual time and the run ends with it;
 * without one the kiosk runs in real time until SIGTERM).
 * An erasure from the admin screen deletes the slip PNGs of the print jobs
 * it removed, as `kiosk forget` does (hook_forgotten_job).
 * Logs one line per committed scan/interaction, never personal data.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "debounce.h"
#include "decode.h"
#include "dev/camera.h"
#include "export.h"
#include "dev/decoder_thread.h"
#include "dev/display.h"
#include "dev/font_ttf.h"
#include "dev/printer.h"
#include "dev/printer_job.h"
#include "devspec.h"
#include "printq.h"
#include "script.h"
#include "tzone.h"
#include "wedge.h"

#define CMD "run"
#define FRAME_MS 16
/* The demo camera shows each sample badge for about 5 s then 1 s of empty
 * view: one scan per pass, and an unattended loop that goes back to attract
 * (scan, card, second badge, handshake, idle, attract, ...). */
#define DEMO_DEBOUNCE_MS 7000
#define DEMO_IDLE_MS 10000
#define PRINT_EVERY_MS 500   /* least pause after a failed send before the next try */
#define PRINT_RESULTS 16     /* results waiting for the UI; older ones are dropped */
#define PRINT_STOP_WAIT_MS 1500 /* at shutdown, how long a send in progress may finish */

/* The print worker, on the heap (a thread left stuck in a send at exit
 * must never point into a stack frame that is gone): owns its thread, its
 * store connection and, while it runs, the printer and font (through pj).
 * Everything below `mu` is shared with the UI thread, touched with mu held. */
struct print_worker {
    pthread_t thread;
    struct store *store; /* the worker's own connection */
    struct printer_job pj;
    struct printq_policy policy;
    struct tzone tz; /* pj.tz points here, never at the UI's stack frame */
    pthread_mutex_t mu;
    pthread_cond_t wake;   /* a job was queued, time moved past next_due, or stop */
    pthread_cond_t exited; /* the thread is about to return */
    int64_t now;           /* the UI loop's clock (real or virtual time) */
    int64_t next_due;      /* when the queue next has a job due; 0 = none known */
    int kick, stop, done;
    char current[KIOSK_ID_LEN]; /* the job being sent, "" if none */
    struct print_result {
        int ok;
        char error[KIOSK_MSG_MAX];
    } results[PRINT_RESULTS];
    int nresults;
};

struct run {
    struct kiosk *k;
    struct store *store;
    struct display *display;
    struct app *app;
    struct camera *camera;
    struct decoder_thread *decoder;
    struct debounce debounce;
    struct wedge wedge;
    struct font *font;
    struct printer *printer;
    struct printer_job pj;
    struct printq_policy policy;
    struct print_worker *pw; /* NULL: no printer */
    int64_t now;             /* the loop's clock at the last frame */
    struct tzone tz;
    int camera_lost;
    pid_t export_pid;         /* a running `kiosk export --to-usb`, or 0 */
    char export_log[1100];
    int64_t export_polled;    /* when its log was last read for progress */
    int virtual_time;         /* a headless script run: time is simulated */
    const char *widgets_path; /* $KIOSK_WIDGETS: where to publish widget rectangles */
    unsigned long widgets_hash;
};

static void hook_log(void *ctx, const char *line)
{
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    (void)ctx;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%s kiosk: %s\n", ts, line);
    fflush(stdout);
}

static void hook_beep(void *ctx)
{
    struct run *r = ctx;
    if (r->display)
        display_beep(r->display);
}

static int hook_print(void *ctx, const struct app_print *job, int64_t now_ms, struct err *err)
{
    struct run *r = ctx;
    char id[KIOSK_ID_LEN];
    if (!r->printer || !r->pw)
        return err_set(err, "no printer");
    /* Stored first: the job survives a crash and is retried until printed. */
    if (printq_submit_lang(r->store, job->kind, job->interaction_id, job->owner_id, job->lang,
                           now_ms, id, err) < 0)
        return -1;
    pthread_mutex_lock(&r->pw->mu);
    r->pw->kick = 1;
    pthread_cond_signal(&r->pw->wake);
    pthread_mutex_unlock(&r->pw->mu);
    return 0;
}

/* Admin-screen forget: delete the slip PNG of an erased print job, where
 * `kiosk forget` looks too: the configured png printer's folder and the
 * default DATA_DIR/slips. Returns files deleted, or -1 when one exists but
 * cannot be deleted (logged without personal data: the name is a job id). */
static int hook_forgotten_job(void *ctx, const char *job_id)
{
    struct run *r = ctx;
    int failed = 0, deleted = cli_delete_slip_pngs(r->k, job_id, &failed, hook_log, r);
    return failed ? -1 : deleted;
}

#define EXPORT_SETS 60
#define EXPORT_POLL_MS 250 /* how often the export's progress is read */ /* main.c takes at most 64 overrides */

/* Admin export: run this same binary as `kiosk export --to-usb` in a child
 * process (its own database connection, WAL readers do not block the
 * kiosk), so the UI keeps drawing; poll for the end in the loop. The child
 * gets the kiosk's effective settings: every one not at its default (from
 * --config, the config file or --set) is passed as --set, except the PIN. */
static int hook_export(void *ctx, int64_t now_ms, struct err *err)
{
    struct run *r = ctx;
    const struct config *cfg = &r->k->cfg;
    char(*sets)[1200] = NULL;
    char *argv[8 + 2 * EXPORT_SETS];
    int argc = 0, nsets = 0;
    pid_t pid;
    (void)now_ms;
    if (r->export_pid)
        return err_set(err, "an export is already running");
    sets = calloc(EXPORT_SETS, sizeof(*sets));
    if (!sets)
        return err_set(err, "out of memory");
    argv[argc++] = "kiosk";
    argv[argc++] = "--db";
    argv[argc++] = r->k->db_path;
    for (int i = 0; i < config_key_count(); i++) {
        const char *key = config_key_at(i)->key;
        if (strcmp(config_origin(cfg, key), "default") == 0 || strcmp(key, "admin.pin") == 0 ||
            strcmp(key, "db.path") == 0)
            continue;
        if (nsets == EXPORT_SETS) {
            free(sets);
            return err_set(err, "too many settings to hand to the export");
        }
        snprintf(sets[nsets], sizeof(sets[0]), "%s=%s", key, config_str(cfg, key));
        argv[argc++] = "--set";
        argv[argc++] = sets[nsets++];
    }
    argv[argc++] = "export";
    argv[argc++] = "--to-usb";
    argv[argc] = NULL;
    /* Next to the database: that folder exists and is writable. */
    snprintf(r->export_log, sizeof(r->export_log), "%.1000s.export.log", r->k->db_path);
    pid = fork();
    if (pid < 0) {
        free(sets);
        return err_set(err, "cannot start the export");
    }
    if (pid == 0) {
        int fd = open(r->export_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    free(sets);
    r->export_pid = pid;
    return 0;
}

/* The child prints one line per file it finished ("PATH: N rows, X KB"):
 * count them for the admin screen's progress bar (all formats = 4 files). */
static void export_progress(struct run *r, int64_t now)
{
    char line[1200];
    int n = 0;
    FILE *f;
    if (now - r->export_polled < EXPORT_POLL_MS)
        return;
    r->export_polled = now;
    f = fopen(r->export_log, "r");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f))
        if (strstr(line, " KB"))
            n++;
    fclose(f);
    app_export_progress(r->app, n, EXPORT_NFORMATS);
}

/* From a line "DIR/NAME: N rows, X KB" of the export's output: N when
 * NAME is `file`, else -1. */
static long file_count(const char *line, const char *file)
{
    char want[64];
    const char *p;
    snprintf(want, sizeof(want), "/%s: ", file);
    p = strstr(line, want);
    return p ? strtol(p + strlen(want), NULL, 10) : -1;
}

/* "DRIVE/FOLDER" from the export's "exported to /mnt/.../DRIVE/FOLDER; ...":
 * what staff see on the stick, never the mount path. 0, or -1. */
static int export_where(const char *line, char *out, size_t size)
{
    const char *p = strstr(line, "exported to "), *end, *slash1 = NULL, *slash2 = NULL;
    if (!p)
        return -1;
    p += strlen("exported to ");
    end = strchr(p, ';');
    if (!end)
        end = p + strlen(p);
    for (const char *q = p; q < end; q++)
        if (*q == '/') {
            slash2 = slash1;
            slash1 = q;
        }
    if (!slash1)
        return -1;
    p = slash2 ? slash2 + 1 : p;
    snprintf(out, size, "%.*s", (int)(end - p), p);
    return 0;
}

static void run_export(struct run *r, int64_t now)
{
    int st;
    char last[512] = "", line[512], where[256] = "";
    long leads = -1, contacts = -1, n;
    FILE *f;
    pid_t done;
    if (!r->export_pid)
        return;
    /* A scripted headless run lives in virtual time: there the export is
     * waited for, so the script sees its result at a predictable point. */
    done = waitpid(r->export_pid, &st, r->virtual_time ? 0 : WNOHANG);
    if (done == 0) {
        export_progress(r, now);
        return;
    }
    r->export_pid = 0;
    f = fopen(r->export_log, "r");
    while (f && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if ((n = file_count(line, export_format_filename(EXPORT_CSV))) >= 0)
            leads = n;
        if ((n = file_count(line, export_format_filename(EXPORT_VCF))) >= 0)
            contacts = n;
        if (line[0])
            snprintf(last, sizeof(last), "%s", line);
    }
    if (f)
        fclose(f);
    unlink(r->export_log);
    /* The export's last line says where it went (or why it failed). */
    if (done > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
        if (leads >= 0 && contacts >= 0 && export_where(last, where, sizeof(where)) == 0)
            app_export_finished(r->app, leads, contacts, where);
        else
            app_export_done(r->app, 1, last);
    } else {
        const char *msg = strstr(last, "export: ");
        app_export_done(r->app, 0, msg ? msg + 8 : last);
    }
}

/* Before the kiosk opens its database for writing: an existing file must
 * pass SQLite's integrity check. A damaged one is refused with what to do,
 * read-only, so it is never "repaired" or recreated behind staff's back.
 * Returns 0, or 1 after printing the guidance. */
static int check_database(struct kiosk *k)
{
    struct store *s = NULL;
    struct err err = {{0}};
    struct stat st;
    const char *p = k->db_path;
    if (stat(p, &st) != 0)
        return 0; /* first start: created by store_open */
    if (store_open_readonly(&s, p, &err) == 0 && store_check(s, &err) == 0) {
        store_close(s);
        return 0;
    }
    store_close(s);
    fprintf(stderr,
            "kiosk run: the database %s is damaged or unusable: %s\n"
            "kiosk run: the kiosk will not start on it and has not changed it. To recover:\n"
            "  1. 'kiosk doctor' shows what is wrong;\n"
            "  2. move the file aside (with its -wal and -shm files, if any):\n"
            "       mv %s %s.damaged\n"
            "  3. restore the latest snapshot from the USB stick (see 'kiosk merge --snapshot'):\n"
            "       cp /media/usb/kiosk-NAME.db %s\n"
            "     or start empty and merge it: kiosk --db %s merge /media/usb/kiosk-NAME.db\n"
            "  4. start the kiosk again. Keep the damaged file: scans in it may be recoverable.\n",
            p, err.msg, p, p, p, p);
    return 1;
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10), b;
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    b = strtol(end + 1, &end, 10);
    if (*end || a < 320 || b < 240 || a > 8192 || b > 8192)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static void open_camera(struct run *r)
{
    struct kiosk *k = r->k;
    struct devspec spec;
    struct camera_params cp;
    struct err err = {{0}};
    struct decode_opts o;
    int demo;
    if (devspec_camera(config_str(&k->cfg, "camera"), &spec, &err) < 0 || spec.kind == CAMERA_NONE) {
        app_set_camera(r->app, APP_CAMERA_NONE);
        return;
    }
    memset(&cp, 0, sizeof(cp));
    cp.width = (int)config_int(&k->cfg, "camera.width");
    cp.height = (int)config_int(&k->cfg, "camera.height");
    cp.fps = (int)config_int(&k->cfg, "camera.fps");
    cp.loop = 1;
    if (camera_open(&r->camera, &spec, &cp, k->assets_dir, &err) < 0) {
        char line[KIOSK_MSG_MAX + 64];
        snprintf(line, sizeof(line), "camera unavailable: %s", err.msg);
        hook_log(r, line);
        if (spec.kind == CAMERA_V4L2) {
            /* No camera hardware: show the demo so the kiosk still works. */
            struct devspec demo_spec = {CAMERA_DEMO, "", 0};
            if (camera_open(&r->camera, &demo_spec, &cp, k->assets_dir, &err) == 0)
                hook_log(r, "camera: using the demo camera instead");
        }
        if (!r->camera) {
            app_set_camera(r->app, APP_CAMERA_UNAVAILABLE);
            return;
        }
        demo = 1;
    } else {
        demo = spec.kind == CAMERA_DEMO;
    }
    if (decode_opts_from_config(&o, &k->cfg, &err) < 0 ||
        decoder_thread_start(&r->decoder, &o, &err) < 0) {
        char line[KIOSK_MSG_MAX + 64];
        snprintf(line, sizeof(line), "decoder: %s", err.msg);
        hook_log(r, line);
    }
    debounce_init(&r->debounce, config_int(&k->cfg, "scan.debounce_ms"));
    if (demo) {
        /* Settings made on purpose win; the defaults suit a real camera. */
        if (strcmp(config_origin(&k->cfg, "scan.debounce_ms"), "default") == 0 &&
            config_int(&k->cfg, "scan.debounce_ms") < DEMO_DEBOUNCE_MS)
            debounce_init(&r->debounce, DEMO_DEBOUNCE_MS);
        if (strcmp(config_origin(&k->cfg, "ui.idle_timeout_s"), "default") == 0)
            app_set_idle_timeout(r->app, DEMO_IDLE_MS);
    }
}

static int print_worker_start(struct run *r, int64_t now, struct err *err);

static void open_printer(struct run *r)
{
    struct kiosk *k = r->k;
    struct devspec spec;
    struct printer_params pp;
    struct err err = {{0}};
    char line[KIOSK_MSG_MAX + 64];
    printq_policy_default(&r->policy);
    r->policy.retry_max = (int)config_int(&k->cfg, "printer.retry_max");
    if (devspec_printer(config_str(&k->cfg, "printer"), &spec, &err) < 0 ||
        spec.kind == PRINTER_NONE)
        return;
    if (font_ttf_open(&r->font, k->assets_dir, &err) < 0)
        goto fail;
    memset(&pp, 0, sizeof(pp));
    r->pj.font = r->font;
    r->pj.tz = &r->tz;
    r->pj.sp.width_dots = (int)config_int(&k->cfg, "printer.width_dots");
    r->pj.sp.dpi = (int)config_int(&k->cfg, "printer.dpi");
    snprintf(r->pj.event, sizeof(r->pj.event), "%s", config_str(&k->cfg, "event.name"));
    pp.width_dots = r->pj.sp.width_dots;
    pp.dpi = r->pj.sp.dpi;
    pp.cut = config_bool(&k->cfg, "printer.cut");
    pp.native_qr = config_bool(&k->cfg, "printer.native_qr");
    if (printer_open(&r->printer, &spec, &pp, k->data_dir, &err) < 0)
        goto fail;
    r->pj.printer = r->printer;
    if (print_worker_start(r, cli_now_ms(), &err) < 0) {
        printer_close(r->printer);
        r->printer = NULL;
        goto fail;
    }
    return;
fail:
    snprintf(line, sizeof(line), "printer unavailable: %s", err.msg);
    hook_log(r, line);
}

/* The sink the worker hands to printq_run: remember which job is on its way
 * (so a shutdown that cannot wait for it can put it back in the queue). */
static int worker_print(void *ctx, struct store *s, const struct store_print_job *job,
                        struct err *err)
{
    struct print_worker *pw = ctx;
    int rc;
    pthread_mutex_lock(&pw->mu);
    snprintf(pw->current, sizeof(pw->current), "%s", job->id);
    pthread_mutex_unlock(&pw->mu);
    rc = printer_job_print(&pw->pj, s, job, err);
    pthread_mutex_lock(&pw->mu);
    pw->current[0] = '\0';
    pthread_mutex_unlock(&pw->mu);
    return rc;
}

static void push_result(struct print_worker *pw, int ok, const char *error)
{
    if (pw->nresults == PRINT_RESULTS) {
        memmove(&pw->results[0], &pw->results[1], sizeof(pw->results[0]) * (PRINT_RESULTS - 1));
        pw->nresults--;
    }
    pw->results[pw->nresults].ok = ok;
    snprintf(pw->results[pw->nresults].error, sizeof(pw->results[0].error), "%s", error);
    pw->nresults++;
}

/* The worker thread: sleep until a job is queued or the next one is due
 * (the UI loop moves the clock and wakes us), print one job at a time. */
static void *print_worker_main(void *arg)
{
    struct print_worker *pw = arg;
    struct printq_sink sink = {worker_print, pw};
    pthread_mutex_lock(&pw->mu);
    while (!pw->stop) {
        struct printq_stats st;
        struct err err = {{0}};
        int64_t now;
        int rc;
        if (!pw->kick && !(pw->next_due > 0 && pw->now >= pw->next_due)) {
            pthread_cond_wait(&pw->wake, &pw->mu);
            continue;
        }
        pw->kick = 0;
        now = pw->now;
        pthread_mutex_unlock(&pw->mu);
        memset(&st, 0, sizeof(st));
        rc = printq_run(pw->store, &pw->policy, &sink, NULL, 0, 1, now, &st, &err);
        if (rc < 0) {
            char line[KIOSK_MSG_MAX + 32];
            snprintf(line, sizeof(line), "print queue: %s", err.msg);
            hook_log(NULL, line);
        }
        pthread_mutex_lock(&pw->mu);
        if (rc < 0) {
            pw->next_due = now + PRINT_EVERY_MS * 10; /* the database is busy or ill */
            continue;
        }
        if (st.printed || st.retrying || st.gave_up)
            push_result(pw, st.printed > 0, st.last_error);
        pw->next_due = st.next_due_at;
        /* After a failure the jobs behind it are due too, but the printer is
         * likely down: give it a moment before the next one. */
        if ((st.retrying || st.gave_up) && pw->next_due > 0 && pw->next_due < now + PRINT_EVERY_MS)
            pw->next_due = now + PRINT_EVERY_MS;
    }
    pw->done = 1;
    pthread_cond_broadcast(&pw->exited);
    pthread_mutex_unlock(&pw->mu);
    return NULL;
}

/* A worker abandoned mid-send at shutdown: still reachable from here, so
 * the leak checker does not count what the process exit takes back. */
static struct print_worker *left_to_exit;

static void print_worker_free(struct print_worker *pw)
{
    store_close(pw->store);
    pthread_mutex_destroy(&pw->mu);
    pthread_cond_destroy(&pw->wake);
    pthread_cond_destroy(&pw->exited);
    free(pw);
}

static int print_worker_start(struct run *r, int64_t now, struct err *err)
{
    struct print_worker *pw = calloc(1, sizeof(*pw));
    if (!pw)
        return err_set(err, "out of memory");
    pthread_mutex_init(&pw->mu, NULL);
    pthread_cond_init(&pw->wake, NULL);
    pthread_cond_init(&pw->exited, NULL);
    if (store_open(&pw->store, r->k->db_path, store_kiosk_id(r->store), now, err) < 0) {
        print_worker_free(pw);
        return -1;
    }
    pw->pj = r->pj;
    pw->tz = r->tz;
    pw->pj.tz = &pw->tz;
    pw->policy = r->policy;
    pw->now = now;
    pw->kick = 1; /* jobs left from a previous run */
    if (pthread_create(&pw->thread, NULL, print_worker_main, pw) != 0) {
        print_worker_free(pw);
        return err_set(err, "cannot start the print thread");
    }
    r->pw = pw;
    return 0;
}

/* Stop the worker. A send still in progress after PRINT_STOP_WAIT_MS is
 * abandoned: its job goes back to the queue (through the UI's connection)
 * and the thread, with the printer and its connection, is left to the
 * process exit. Returns 1 when everything was stopped and may be freed. */
static int print_worker_stop(struct run *r, int64_t now)
{
    struct print_worker *pw = r->pw;
    struct timespec until;
    char abandoned[KIOSK_ID_LEN] = "";
    int done;
    if (!pw)
        return 1;
    /* A scripted run is over in a blink of real time: first let the worker
     * take up the job the script handed it, so what the run leaves behind
     * (a job tried once, a send cut short) does not depend on scheduling. */
    for (int i = 0; r->virtual_time && i < PRINT_STOP_WAIT_MS / 5; i++) {
        int pending;
        pthread_mutex_lock(&pw->mu);
        pending = (pw->kick || (pw->next_due > 0 && pw->now >= pw->next_due)) && !pw->done &&
                  !pw->current[0];
        pthread_mutex_unlock(&pw->mu);
        if (!pending)
            break;
        nanosleep(&(struct timespec){0, 5000000L}, NULL);
    }
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += PRINT_STOP_WAIT_MS / 1000;
    until.tv_nsec += (long)(PRINT_STOP_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&pw->mu);
    pw->stop = 1;
    pthread_cond_signal(&pw->wake);
    while (!pw->done)
        if (pthread_cond_timedwait(&pw->exited, &pw->mu, &until) != 0)
            break;
    done = pw->done;
    if (!done)
        snprintf(abandoned, sizeof(abandoned), "%s", pw->current);
    pthread_mutex_unlock(&pw->mu);
    r->pw = NULL;
    if (done) {
        pthread_join(pw->thread, NULL);
        print_worker_free(pw);
        return 1;
    }
    pthread_detach(pw->thread);
    left_to_exit = pw;
    if (abandoned[0]) {
        struct err err = {{0}};
        char line[KIOSK_MSG_MAX + 64];
        if (store_print_finish(r->store, abandoned, "queued", "interrupted by shutdown", now, now,
                               &err) < 0)
            snprintf(line, sizeof(line), "print: cannot requeue the interrupted job: %s", err.msg);
        else
            snprintf(line, sizeof(line), "print: shutdown during a send; the job stays queued");
        hook_log(r, line);
    }
    return 0;
}

/* UI side, once per frame: publish the clock, wake the worker when a job is
 * due, and turn its results into EV_PRINT_DONE. Never waits for a print. */
static void run_printer(struct run *r, int64_t now)
{
    struct print_worker *pw = r->pw;
    struct print_result res[PRINT_RESULTS];
    int n;
    r->now = now;
    if (!pw)
        return;
    pthread_mutex_lock(&pw->mu);
    pw->now = now;
    if (pw->next_due > 0 && now >= pw->next_due)
        pthread_cond_signal(&pw->wake);
    n = pw->nresults;
    memcpy(res, pw->results, sizeof(res[0]) * (size_t)n);
    pw->nresults = 0;
    pthread_mutex_unlock(&pw->mu);
    for (int i = 0; i < n; i++) {
        struct event ev;
        memset(&ev, 0, sizeof(ev));
        ev.type = EV_PRINT_DONE;
        ev.now_ms = now;
        ev.u.print.ok = res[i].ok;
        snprintf(ev.u.print.error, sizeof(ev.u.print.error), "%s", res[i].error);
        app_event(r->app, &ev);
    }
}

/* Camera frame -> preview + decoder; decoded codes -> debounced scans. */
static void run_camera(struct run *r, int64_t now)
{
    struct frame f;
    struct err err = {{0}};
    struct decoder_thread_result res;
    enum camera_status st;
    if (!r->camera)
        return;
    st = camera_read(r->camera, now, &f, &err);
    if (st == CAMERA_OK) {
        if (r->camera_lost) {
            r->camera_lost = 0;
            app_set_camera(r->app, APP_CAMERA_OK);
            hook_log(r, "camera: back");
        }
        display_set_preview(r->display, &f);
        if (r->decoder)
            decoder_thread_post(r->decoder, &f, now);
    } else if (st == CAMERA_LOST && !r->camera_lost) {
        char line[KIOSK_MSG_MAX + 32];
        r->camera_lost = 1;
        app_set_camera(r->app, APP_CAMERA_LOST);
        snprintf(line, sizeof(line), "camera lost: %s", err.msg);
        hook_log(r, line);
    }
    while (r->decoder && decoder_thread_poll(r->decoder, &res)) {
        int fresh[KIOSK_CODES_PER_FRAME];
        if (debounce_frame(&r->debounce, res.now_ms, &res.r, fresh) <= 0)
            continue;
        for (int i = 0; i < res.r.n; i++) {
            struct event ev;
            if (!fresh[i])
                continue;
            memset(&ev, 0, sizeof(ev));
            ev.type = EV_SCAN;
            ev.now_ms = now;
            ev.u.scan.data = res.r.code[i].data;
            ev.u.scan.len = res.r.code[i].len;
            ev.u.scan.source = SCAN_CAMERA;
            snprintf(ev.u.scan.symbology, sizeof(ev.u.scan.symbology), "%s",
                     res.r.code[i].format);
            app_event(r->app, &ev);
        }
    }
}

/* Display input through the wedge filter into the app. */
static void run_input(struct run *r, int64_t now)
{
    struct event ev, out;
    int w, h;
    const struct ui *ui = app_ui(r->app);
    display_size(r->display, &w, &h);
    if (w != ui->w || h != ui->h)
        app_resize(r->app, w, h);
    while (display_poll(r->display, &ev, now)) {
        wedge_push(&r->wedge, &ev);
        while (wedge_pop(&r->wedge, &out))
            app_event(r->app, &out);
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = EV_TICK;
    ev.now_ms = now;
    wedge_push(&r->wedge, &ev);
    while (wedge_pop(&r->wedge, &out))
        app_event(r->app, &out);
}

static int shot(void *ctx, const char *path, struct err *err)
{
    struct run *r = ctx;
    display_draw(r->display, app_ui(r->app), 1);
    if (display_screenshot(r->display, path, err) < 0)
        return -1;
    return 0;
}

static void poll_devices(void *ctx, int64_t now)
{
    struct run *r = ctx;
    run_camera(r, now);
    run_printer(r, now);
    run_export(r, now);
}

/* For test drivers that tap with real X events (xdotool): publish the
 * current screen and its widget rectangles whenever they change, as lines
 * "screen NAME" then "ID X Y W H", replaced atomically. */
static void publish_widgets(struct run *r)
{
    const struct ui *ui = app_ui(r->app);
    const char *name = app_screen_name(app_screen(r->app));
    unsigned long h = 5381;
    char tmp[1100];
    FILE *f;
    if (!r->widgets_path)
        return;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (int i = 0; i < ui->nwidgets; i++) {
        const struct ui_widget *w = &ui->widgets[i];
        for (const char *p = w->id; *p; p++)
            h = h * 33 + (unsigned char)*p;
        h = h * 33 + (unsigned long)(w->r.x * 7 + w->r.y * 13 + w->r.w * 17 + w->r.h * 19 + w->enabled);
    }
    if (h == r->widgets_hash)
        return;
    r->widgets_hash = h;
    snprintf(tmp, sizeof(tmp), "%.1000s.tmp", r->widgets_path);
    f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "screen %s\n", name);
    for (int i = 0; i < ui->nwidgets; i++) {
        const struct ui_widget *w = &ui->widgets[i];
        fprintf(f, "%s %d %d %d %d %d\n", w->id, w->r.x, w->r.y, w->r.w, w->r.h, w->enabled);
    }
    if (fclose(f) == 0)
        rename(tmp, r->widgets_path);
}

/* systemd's notify protocol without libsystemd: one datagram to
 * $NOTIFY_SOCKET ("READY=1", "WATCHDOG=1", "STOPPING=1"). No-op elsewhere. */
static void sd_notify_msg(const char *msg)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa;
    size_t n;
    int fd;
    if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    n = strlen(path);
    memcpy(sa.sun_path, path, n);
    if (sa.sun_path[0] == '@')
        sa.sun_path[0] = '\0'; /* abstract socket */
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
           (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
    close(fd);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    if (ms > 0)
        nanosleep(&ts, NULL);
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct run r;
    struct display_params dp;
    struct app_hooks hooks;
    struct err err = {{0}};
    struct script script;
    const char *events = NULL;
    int headless = 0, windowed = 0, w = 1280, h = 800, status = 1, have_script = 0;
    int printer_alive;
    char font[1200], bold[1200];

    memset(&r, 0, sizeof(r));
    memset(&script, 0, sizeof(script));
    r.k = k;
    r.widgets_path = getenv("KIOSK_WIDGETS");
    if (config_str(&k->cfg, "display.windowed")[0]) {
        if (parse_size(config_str(&k->cfg, "display.windowed"), &w, &h) < 0)
            return cli_usage_error(CMD, "display.windowed must be WxH, e.g. 1280x800");
        windowed = 1;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--windowed") == 0 && i + 1 < argc) {
            if (parse_size(argv[++i], &w, &h) < 0)
                return cli_usage_error(CMD, "--windowed wants WxH (at least 320x240), not \"%s\"",
                                       argv[i]);
            windowed = 1;
        } else if (strcmp(argv[i], "--headless") == 0) {
            headless = 1;
        } else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
            events = argv[++i];
        } else {
            return cli_usage_error(CMD, "unexpected argument \"%s\"", argv[i]);
        }
    }
    if (events) {
        if (script_load(&script, events, &err) < 0)
            return cli_fail(CMD, "%s", err.msg);
        have_script = 1;
    }

    if (check_database(k) != 0)
        goto out;
    r.store = cli_store(k, CMD);
    if (!r.store)
        goto out;
    if (tzone_use(config_str(&k->cfg, "event.timezone"), &err) < 0) {
        cli_fail(CMD, "%s", err.msg);
        goto out;
    }
    r.tz.offset_s = tzone_libc_offset;

    snprintf(font, sizeof(font), "%s", cli_asset(k, "fonts/DejaVuSans.ttf"));
    snprintf(bold, sizeof(bold), "%s", cli_asset(k, "fonts/DejaVuSans-Bold.ttf"));
    memset(&dp, 0, sizeof(dp));
    dp.headless = headless;
    dp.windowed = windowed;
    dp.w = w;
    dp.h = h;
    dp.rotate = atoi(config_str(&k->cfg, "display.rotate"));
    dp.sound = config_bool(&k->cfg, "ui.sound");
    dp.font = font;
    dp.font_bold = bold;
    if (display_open(&r.display, &dp, &err) < 0) {
        cli_fail(CMD, "%s", err.msg);
        goto out;
    }
    if (!headless && !windowed &&
        (strcmp(display_driver(r.display), "offscreen") == 0 ||
         strcmp(display_driver(r.display), "dummy") == 0))
        fprintf(stderr, "kiosk run: warning: SDL chose the invisible \"%s\" video driver; on a "
                        "kiosk set SDL_VIDEODRIVER=kmsdrm\n",
                display_driver(r.display));

    memset(&hooks, 0, sizeof(hooks));
    hooks.ctx = &r;
    hooks.log = hook_log;
    hooks.beep = hook_beep;
    hooks.print = hook_print;
    hooks.export_usb = hook_export;
    hooks.forgotten_job = hook_forgotten_job;
    display_size(r.display, &w, &h);
    {
        struct ui_measure m = display_measure(r.display);
        if (app_new(&r.app, r.store, &k->cfg, &hooks, w, h, &m, cli_now_ms(), &err) < 0) {
            cli_fail(CMD, "%s", err.msg);
            goto out;
        }
    }
    wedge_init(&r.wedge, config_bool(&k->cfg, "scan.wedge"));
    open_printer(&r);
    open_camera(&r);
    if (dp.sound && !headless && display_sound_off(r.display)) {
        char line[256];
        snprintf(line, sizeof(line), "sound off: %.200s", display_sound_off(r.display));
        hook_log(&r, line);
    }
    {
        char line[256];
        snprintf(line, sizeof(line), "started: display %s %dx%d, mode %s, camera %s, printer %s",
                 display_driver(r.display), w, h, app_mode(r.app),
                 r.camera ? "on" : "off", r.printer ? "on" : "off");
        hook_log(&r, line);
    }

    if (headless && have_script) {
        /* Virtual time: deterministic, as fast as the machine goes. */
        int64_t now = cli_now_ms();
        r.virtual_time = 1;
        if (script_run_virtual(&script, r.app, &now, FRAME_MS, shot, poll_devices, &r, &err) < 0) {
            cli_fail(CMD, "%s", err.msg);
            goto out;
        }
        status = 0;
        goto out;
    }

    {
        int64_t wall0 = cli_now_ms(), mono0 = mono_ms(), last_ping = 0, ping_ms = 0;
        int script_done = !have_script;
        /* The watchdog is fed from the UI loop itself: a hung loop gets restarted. */
        if (getenv("WATCHDOG_USEC"))
            ping_ms = atoll(getenv("WATCHDOG_USEC")) / 1000 / 3;
        sd_notify_msg("READY=1");
        while (!app_quit_requested(r.app)) {
            int64_t start = mono_ms(), now = wall0 + (start - mono0);
            const char *path = NULL;
            if (ping_ms > 0 && start - last_ping >= ping_ms) {
                sd_notify_msg("WATCHDOG=1");
                last_ping = start;
            }
            run_input(&r, now);
            run_camera(&r, now);
            run_printer(&r, now);
            run_export(&r, now);
            if (!script_done) {
                enum script_status st = script_step(&script, r.app, now, &path, &err);
                if (st == SCRIPT_ERROR) {
                    cli_fail(CMD, "%s", err.msg);
                    goto out;
                }
                if (st == SCRIPT_SHOT && shot(&r, path, &err) < 0) {
                    cli_fail(CMD, "%s", err.msg);
                    goto out;
                }
                script_done = st == SCRIPT_DONE;
            }
            display_draw(r.display, app_ui(r.app), 0);
            publish_widgets(&r);
            sleep_ms(FRAME_MS - (int)(mono_ms() - start));
        }
        status = 0;
    }
out:
    if (r.export_pid) {
        /* Let a running export finish: it writes atomically, but a half
         * export on a USB stick helps nobody. */
        waitpid(r.export_pid, NULL, 0);
        r.export_pid = 0;
    }
    if (r.app) {
        sd_notify_msg("STOPPING=1");
        hook_log(&r, "stopping");
    }
    /* A printer stuck mid-send keeps its thread, printer and font until exit. */
    printer_alive = print_worker_stop(&r, r.now);
    decoder_thread_stop(r.decoder);
    camera_close(r.camera);
    app_free(r.app);
    display_close(r.display);
    if (printer_alive) {
        printer_close(r.printer);
        if (r.font)
            font_close(r.font);
    }
    script_free(&script);
    return status;
}

const struct command cmd_run = {
    .name = "run",
    .run = run,
    .summary = "Start the kiosk (full screen; --windowed WxH, --headless [--events FILE])",
    .usage = "[--windowed WxH] [--headless] [--events FILE]\n\n"
             "  --windowed WxH   a development window instead of full screen\n"
             "  --headless       no display: an offscreen renderer (screenshots still work)\n"
             "  --events FILE    run an event script (scan, tap, hold, type, key, wait,\n"
             "                   screenshot, expect); headless runs end with the script",
};
