/*
 * bench_export - seed 100,000 booth leads (through the real store code),
 * then time the CSV export: rows/s and MB/s to a real file (atomic write,
 * fsync) and to a null sink, against a baseline of the bare query walk in
 * the same process. Memory: each export runs in a child process that
 * reports its peak RSS, for 10,000 rows and for all rows - equal peaks
 * show the export's memory does not grow with the number of rows.
 * Usage: bench_export [LEADS]   (default 100000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "export.h"
#include "followup.h"
#include "seed.h"
#include "store.h"
#include "store_export.h"
#include "test.h"

#define NOW 1764151200000LL

static double secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_secs(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int null_write(void *ctx, const void *p, size_t n, struct err *err)
{
    (void)ctx, (void)p, (void)n, (void)err;
    return 0;
}

static int af_write(void *ctx, const void *p, size_t n, struct err *err)
{
    return atomicfile_write(ctx, p, n, err);
}

static int count_row(void *ctx, const struct store_export_row *r)
{
    (void)r;
    (*(long *)ctx)++;
    return 0;
}

struct result {
    double seconds, cpu;
    long rows;
    unsigned long long bytes;
    long peak_kb;
    int ok;
};

/* Run one export in a child so its peak RSS is its own. since_ms limits
 * the rows; to_file picks a real atomic file or the null sink. */
static struct result measure(const char *db, int64_t since_ms, int to_file, const char *out)
{
    struct result r = {0, 0, 0, 0, 0, 0};
    int fd[2];
    pid_t pid;
    if (pipe(fd) < 0)
        return r;
    pid = fork();
    if (pid == 0) {
        struct store *s = NULL;
        struct err e;
        struct export_options o;
        struct export_stats st;
        struct atomicfile af;
        struct export_sink sink = {null_write, NULL};
        double t, c;
        close(fd[0]);
        if (store_open(&s, db, "bench", NOW, &e) < 0)
            _exit(1);
        export_options_default(&o);
        o.now_ms = NOW;
        o.since_ms = since_ms;
        t = secs();
        c = cpu_secs();
        if (to_file) {
            if (atomicfile_open(&af, out, 0600, &e) < 0)
                _exit(1);
            sink.write = af_write;
            sink.ctx = &af;
        }
        if (export_run(s, &o, &sink, &st, &e) < 0 || (to_file && atomicfile_commit(&af, &e) < 0)) {
            fprintf(stderr, "export: %s\n", e.msg);
            _exit(1);
        }
        r.seconds = secs() - t;
        r.cpu = cpu_secs() - c;
        r.rows = st.records;
        r.bytes = (unsigned long long)st.bytes;
        r.peak_kb = peak_kb();
        r.ok = 1;
        store_close(s);
        if (write(fd[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
            _exit(1);
        _exit(0);
    }
    close(fd[1]);
    if (pid > 0) {
        if (read(fd[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
            r.ok = 0;
        waitpid(pid, NULL, 0);
    }
    close(fd[0]);
    return r;
}

int main(int argc, char **argv)
{
    long leads = argc > 1 ? atol(argv[1]) : 100000;
    struct store *s = NULL;
    struct err e;
    struct followup_policy p;
    struct seed_options so;
    struct seed_stats ss;
    char db[1024], out[1100];
    double t, seed_s, walk_s, walk_cpu;
    long walked = 0;
    int64_t since_10k;

    snprintf(db, sizeof(db), "%s", test_path("bench.db"));
    snprintf(out, sizeof(out), "%s", test_path("leads.csv"));
    if (store_open(&s, db, "bench", NOW, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    followup_policy_init(&p, 24, 7, 14, "20:00", "08:00", &e);
    memset(&so, 0, sizeof(so));
    so.attendees = leads;
    so.leads = leads;
    so.handshakes = 0;
    so.seed = 7;
    so.now_ms = NOW;
    so.policy = &p;
    t = secs();
    if (seed_run(s, &so, &ss, &e) < 0) {
        fprintf(stderr, "seed: %s\n", e.msg);
        return 1;
    }
    seed_s = secs() - t;
    printf("seeded %ld attendees, %ld leads, %ld notes, %ld follow-ups in %.1f s\n",
           ss.attendees, ss.leads, ss.notes, ss.followups, seed_s);

    /* Baseline: the consented-rows query alone, no formatting, no output. */
    t = secs();
    walk_cpu = cpu_secs();
    if (store_export_rows(s, NULL, count_row, &walked, &e) < 0) {
        fprintf(stderr, "walk: %s\n", e.msg);
        return 1;
    }
    walk_s = secs() - t;
    walk_cpu = cpu_secs() - walk_cpu;
    /* The capture time after which roughly the last 10,000 rows lie: seed
     * spreads leads evenly over two days. */
    since_10k = NOW - (int64_t)(2.0 * 24 * 3600 * 1000 * 10000.0 / (double)leads);
    store_close(s);

    {
        struct result file = measure(db, 0, 1, out);
        struct result null = measure(db, 0, 0, NULL);
        struct result small = measure(db, since_10k, 0, NULL);
        if (!file.ok || !null.ok || !small.ok) {
            fprintf(stderr, "an export failed\n");
            return 1;
        }
        printf("baseline: query walk of %ld consented rows: %.3f s (%.0f rows/s); CPU %.3f s\n",
               walked, walk_s, walked / walk_s, walk_cpu);
        printf("CSV to file (atomic, fsync): %ld rows, %.1f MB in %.3f s = %.0f rows/s, "
               "%.1f MB/s (%.2fx the bare query); CPU %.3f s = %.0f rows/s\n",
               file.rows, file.bytes / 1e6, file.seconds, file.rows / file.seconds,
               file.bytes / 1e6 / file.seconds, file.seconds / walk_s, file.cpu,
               file.rows / file.cpu);
        printf("CSV to null sink:            %ld rows, %.1f MB in %.3f s = %.0f rows/s, "
               "%.1f MB/s; CPU %.3f s = %.0f rows/s\n",
               null.rows, null.bytes / 1e6, null.seconds, null.rows / null.seconds,
               null.bytes / 1e6 / null.seconds, null.cpu, null.rows / null.cpu);
        printf("peak RSS of the export process: %ld KB for %ld rows, %ld KB for %ld rows "
               "(ratio %.2f for %.0fx the rows)\n",
               small.peak_kb, small.rows, null.peak_kb, null.rows,
               (double)null.peak_kb / (double)small.peak_kb,
               (double)null.rows / (double)small.rows);
    }
    return test_done();
}
