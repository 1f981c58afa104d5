/*
 * decoder_thread.c - one worker thread decoding the latest camera frame;
 * see decoder_thread.h.
 *
 * Owns the worker, its decoder, two frame buffers (the mailbox and the one
 * being decoded, swapped under the lock so nothing is copied twice) and a
 * ring of KIOSK_SCAN_QUEUE results. The lock is held only for a memcpy, a
 * pointer swap or a struct copy - never across a decode - so the UI thread
 * never waits on zbar. Must never call into SDL or the camera.
 */
#include "decoder_thread.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
    unsigned char *buf;
    size_t cap;
    int w, h;
    int64_t seq, now_ms;
};

struct decoder_thread {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, full, started;
    struct slot mailbox, work;
    struct decoder *dec;
    struct decoder_thread_result q[KIOSK_SCAN_QUEUE];
    int q_head, q_len;
    long decoded, skipped;
};

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *worker(void *arg)
{
    struct decoder_thread *t = arg;
    struct decoder_thread_result *res = malloc(sizeof(*res));

    pthread_mutex_lock(&t->mu);
    for (;;) {
        struct slot tmp;
        double t0;
        struct err err;
        while (!t->full && !t->stop)
            pthread_cond_wait(&t->cv, &t->mu);
        if (t->stop)
            break;
        tmp = t->work;
        t->work = t->mailbox;
        t->mailbox = tmp;
        t->full = 0;
        pthread_mutex_unlock(&t->mu);

        if (res) {
            t0 = mono_ms();
            if (decode_frame(t->dec, t->work.buf, t->work.w, t->work.h, t->work.w, &res->r, &err) <
                0)
                res->r.n = 0;
            res->ms = mono_ms() - t0;
            res->seq = t->work.seq;
            res->now_ms = t->work.now_ms;
        }

        pthread_mutex_lock(&t->mu);
        t->decoded++;
        if (res) {
            if (t->q_len == KIOSK_SCAN_QUEUE) { /* the UI is not polling: drop the oldest */
                t->q_head = (t->q_head + 1) % KIOSK_SCAN_QUEUE;
                t->q_len--;
            }
            t->q[(t->q_head + t->q_len) % KIOSK_SCAN_QUEUE] = *res;
            t->q_len++;
        }
    }
    pthread_mutex_unlock(&t->mu);
    free(res);
    return NULL;
}

int decoder_thread_start(struct decoder_thread **out, const struct decode_opts *o, struct err *err)
{
    struct decoder_thread *t;
    *out = NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return err_set(err, "decoder thread: out of memory");
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (decode_open(&t->dec, o, err) < 0) {
        decoder_thread_stop(t);
        return -1;
    }
    if (pthread_create(&t->tid, NULL, worker, t) != 0) {
        decoder_thread_stop(t);
        return err_set(err, "decoder thread: cannot start a thread");
    }
    t->started = 1;
    *out = t;
    return 0;
}

int decoder_thread_post(struct decoder_thread *t, const struct frame *f, int64_t now_ms)
{
    size_t need;
    int rc = 0;
    if (f->width < 1 || f->height < 1 || f->width > KIOSK_FRAME_SIDE_MAX ||
        f->height > KIOSK_FRAME_SIDE_MAX || f->stride < f->width)
        return -1;
    need = (size_t)f->width * f->height;
    pthread_mutex_lock(&t->mu);
    if (t->full)
        t->skipped++; /* the worker is busy: the newer frame wins */
    if (need > t->mailbox.cap) {
        unsigned char *p = realloc(t->mailbox.buf, need);
        if (!p) {
            t->full = 0;
            rc = -1;
            goto out;
        }
        t->mailbox.buf = p;
        t->mailbox.cap = need;
    }
    for (int y = 0; y < f->height; y++)
        memcpy(t->mailbox.buf + (size_t)y * f->width, f->gray + (size_t)y * f->stride,
               (size_t)f->width);
    t->mailbox.w = f->width;
    t->mailbox.h = f->height;
    t->mailbox.seq = f->seq;
    t->mailbox.now_ms = now_ms;
    t->full = 1;
    pthread_cond_signal(&t->cv);
out:
    pthread_mutex_unlock(&t->mu);
    return rc;
}

int decoder_thread_poll(struct decoder_thread *t, struct decoder_thread_result *out)
{
    int got = 0;
    pthread_mutex_lock(&t->mu);
    if (t->q_len) {
        *out = t->q[t->q_head];
        t->q_head = (t->q_head + 1) % KIOSK_SCAN_QUEUE;
        t->q_len--;
        got = 1;
    }
    pthread_mutex_unlock(&t->mu);
    return got;
}

void decoder_thread_stats(struct decoder_thread *t, long *decoded, long *skipped)
{
    pthread_mutex_lock(&t->mu);
    *decoded = t->decoded;
    *skipped = t->skipped;
    pthread_mutex_unlock(&t->mu);
}

void decoder_thread_stop(struct decoder_thread *t)
{
    if (!t)
        return;
    if (t->started) {
        pthread_mutex_lock(&t->mu);
        t->stop = 1;
        pthread_cond_signal(&t->cv);
        pthread_mutex_unlock(&t->mu);
        pthread_join(t->tid, NULL);
    }
    decode_close(t->dec);
    free(t->mailbox.buf);
    free(t->work.buf);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
