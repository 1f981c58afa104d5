/*
 * decoder_thread.h - decode camera frames off the UI thread.
 *
 * One worker thread owns one decoder. The UI posts frames into a one-slot
 * mailbox (a newer frame replaces one the worker has not started on: the
 * worker always decodes the latest frame, never a backlog) and polls a
 * small results queue. Neither call waits for decoding: they hold a mutex
 * only for a memcpy or a struct copy. Feed the polled results to a
 * struct debounce (core/debounce.h) to turn them into scans.
 *
 *     decoder_thread_start(&t, &opts, &err);
 *     // each UI frame:
 *     if (camera_read(cam, now, &f, &err) == CAMERA_OK) decoder_thread_post(t, &f, now);
 *     while (decoder_thread_poll(t, &res)) { debounce_frame(&db, res.now_ms, &res.r, fresh); ... }
 *     decoder_thread_stop(t);
 */
#ifndef KIOSK_DECODER_THREAD_H
#define KIOSK_DECODER_THREAD_H

#include <stdint.h>

#include "camera.h"
#include "decode.h"
#include "err.h"

struct decoder_thread_result {
    struct decode_result r; /* codes found (r.n may be 0: a frame without codes) */
    int64_t seq;            /* frame->seq of the decoded frame */
    int64_t now_ms;         /* the now_ms given with the frame */
    double ms;              /* time the decode took */
};

struct decoder_thread;

/* Start the worker. Returns 0, or -1 with err (out of memory, thread
 * creation failed); *out is NULL after failure. */
int decoder_thread_start(struct decoder_thread **out, const struct decode_opts *o, struct err *err);

/* Copy frame f into the mailbox, replacing any frame not yet taken by the
 * worker. now_ms is carried to the result. Returns 0, or -1 with err if the
 * frame is larger than KIOSK_FRAME_SIDE_MAX or memory ran out (the mailbox
 * is then empty). Never waits for a decode. */
int decoder_thread_post(struct decoder_thread *t, const struct frame *f, int64_t now_ms);

/* Take the oldest result: returns 1 and fills *out, or 0 if none is ready.
 * Results are produced for every decoded frame, codes or not; if the UI
 * does not poll, the oldest results are dropped (KIOSK_SCAN_QUEUE kept). */
int decoder_thread_poll(struct decoder_thread *t, struct decoder_thread_result *out);

/* Frames decoded and frames replaced unseen in the mailbox, for diagnostics. */
void decoder_thread_stats(struct decoder_thread *t, long *decoded, long *skipped);

/* Stop the worker (finishes the frame in progress) and free; accepts NULL. */
void decoder_thread_stop(struct decoder_thread *t);

#endif
