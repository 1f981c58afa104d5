/*
 * test_camera - the frame sources behind struct camera, with real files:
 * image-file playback at a rate and its end, Y4M from a file and from stdin
 * (a pipe, fed in pieces: reads must not block), the demo camera producing
 * frames that decode, a missing V4L2 device reported as lost (not fatal),
 * and the decoder thread returning results for posted frames.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/decode.h"
#include "dev/camera.h"
#include "dev/decoder_thread.h"
#include "dev/image.h"
#include "test.h"

#include "../corpus/corpus.c"

static struct camera_params params(int w, int h, int fps)
{
    struct camera_params p = {w, h, fps, 0};
    return p;
}

static int open_spec(struct camera **c, const char *spec, struct camera_params p, struct err *err)
{
    struct devspec ds;
    if (devspec_camera(spec, &ds, err) < 0)
        return -1;
    return camera_open(c, &ds, &p, KIOSK_SOURCE_DIR "/assets", err);
}

static void test_files(void)
{
    char dir[1024], path[1100];
    struct corpus_frame f[3];
    struct camera *c = NULL;
    struct frame fr;
    struct err err = {{0}};
    struct decoder *d = NULL;
    struct decode_opts o;
    struct decode_result r;
    int idx[3] = {0, 1, 66}; /* plain, plain, no code (2 per cell) */

    corpus_per_cell = 2;
    snprintf(dir, sizeof(dir), "%s", test_path("frames"));
    CHECK(mkdir(dir, 0700) == 0);
    for (int i = 0; i < 3; i++) {
        CHECK(corpus_generate(idx[i], &f[i]) == 0);
        snprintf(path, sizeof(path), "%s/%02d.%s", dir, i, i == 1 ? "jpg" : "png");
        if (i == 1)
            CHECK(image_save_jpeg(path, f[i].gray, f[i].w, f[i].h, f[i].w, 90, &err) == 0);
        else
            CHECK(image_save_png(path, f[i].gray, f[i].w, f[i].h, f[i].w, &err) == 0);
    }
    snprintf(path, sizeof(path), "%s/notes.txt", dir); /* not an image: skipped */
    fclose(fopen(path, "w"));

    decode_opts_default(&o);
    CHECK(decode_open(&d, &o, &err) == 0);
    snprintf(path, sizeof(path), "files:%s", dir);
    CHECK(open_spec(&c, path, params(640, 480, 10), &err) == 0);
    CHECK(c && camera_read(c, 1000, &fr, &err) == CAMERA_OK);
    CHECK(fr.seq == 0 && fr.width == 640 && fr.height == 480);
    CHECK(decode_frame(d, fr.gray, fr.width, fr.height, fr.stride, &r, &err) == 1);
    CHECK(r.code[0].len == f[0].exp_len[0] && !memcmp(r.code[0].data, f[0].exp[0], r.code[0].len));
    CHECK(camera_read(c, 1050, &fr, &err) == CAMERA_AGAIN); /* 10 fps: not yet */
    CHECK(camera_read(c, 1100, &fr, &err) == CAMERA_OK && fr.seq == 1);
    decode_reset(d);
    CHECK(decode_frame(d, fr.gray, fr.width, fr.height, fr.stride, &r, &err) == 1);
    CHECK(r.code[0].len == f[1].exp_len[0] && !memcmp(r.code[0].data, f[1].exp[0], r.code[0].len));
    CHECK(camera_read(c, 1500, &fr, &err) == CAMERA_OK && fr.seq == 2); /* late, not skipped */
    CHECK(camera_read(c, 1600, &fr, &err) == CAMERA_END);
    camera_close(c);

    /* looping starts over */
    {
        struct camera_params p = params(640, 480, 10);
        p.loop = 1;
        CHECK(open_spec(&c, path, p, &err) == 0);
        for (int i = 0; i < 3; i++)
            CHECK(camera_read(c, 1000 + i * 100, &fr, &err) == CAMERA_OK);
        CHECK(camera_read(c, 1300, &fr, &err) == CAMERA_OK && fr.seq == 3);
        camera_close(c);
    }
    /* one file, and errors */
    snprintf(path, sizeof(path), "files:%s/00.png", dir);
    CHECK(open_spec(&c, path, params(640, 480, 5), &err) == 0);
    CHECK(camera_read(c, 0, &fr, &err) == CAMERA_OK);
    CHECK(camera_read(c, 1000, &fr, &err) == CAMERA_END);
    camera_close(c);
    CHECK(open_spec(&c, "files:/nonexistent/dir", params(640, 480, 5), &err) < 0 && c == NULL);
    CHECK(strstr(err.msg, "/nonexistent/dir") != NULL);
    snprintf(path, sizeof(path), "files:%s", test_path(""));
    CHECK(open_spec(&c, "none", params(640, 480, 5), &err) < 0);
    for (int i = 0; i < 3; i++)
        corpus_frame_free(&f[i]);
    decode_close(d);
}

/* Non-regular files named like images in a files: directory (a FIFO, a
 * directory, a socket, a device link) are skipped, each reported once,
 * and the camera keeps playing the real images; opening one never blocks
 * (a FIFO without a writer blocked fopen forever). SIGALRM fails the test
 * if a read hangs. */
static void test_files_not_regular(void)
{
    char dir[1024], path[1100];
    struct camera *c = NULL;
    struct camera_params p = params(16, 16, 10);
    struct frame fr;
    struct err err = {{0}};
    unsigned char px[16 * 16];
    int ok = 0, lost = 0, fd;
    struct sockaddr_un sa;
    const char *skipped[4] = {"a.png", "c.jpg", "d.pgm", "e.png"};
    int seen[4] = {0, 0, 0, 0};

    memset(px, 90, sizeof(px));
    snprintf(dir, sizeof(dir), "%s", test_path("odd"));
    CHECK(mkdir(dir, 0700) == 0);
    snprintf(path, sizeof(path), "%s/a.png", dir); /* a FIFO nobody writes to */
    CHECK(mkfifo(path, 0600) == 0);
    snprintf(path, sizeof(path), "%s/b.pgm", dir);
    CHECK(image_save_pgm(path, px, 16, 16, 16, &err) == 0);
    snprintf(path, sizeof(path), "%s/c.jpg", dir); /* a directory */
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof(path), "%s/d.pgm", dir); /* a character device */
    CHECK(symlink("/dev/zero", path) == 0);
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    snprintf(path, sizeof(path), "%s/e.png", dir); /* a socket */
    CHECK(strlen(path) < sizeof(sa.sun_path));
    memcpy(sa.sun_path, path, strlen(path) < sizeof(sa.sun_path) ? strlen(path) : 0);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    snprintf(path, sizeof(path), "%s/f.png", dir);
    CHECK(image_save_png(path, px, 16, 16, 16, &err) == 0);

    p.loop = 1;
    snprintf(path, sizeof(path), "files:%s", dir);
    CHECK(open_spec(&c, path, p, &err) == 0);
    alarm(10);
    for (int i = 0; c && i < 40; i++) {
        enum camera_status st = camera_read(c, (int64_t)i * 100, &fr, &err);
        if (st == CAMERA_OK) {
            ok++;
            CHECK(fr.width == 16 && fr.height == 16 && fr.gray[0] == 90);
        } else if (st == CAMERA_LOST) {
            lost++;
            for (int k = 0; k < 4; k++)
                if (strstr(err.msg, skipped[k]) && strstr(err.msg, "not a regular file"))
                    seen[k]++;
        } else {
            CHECK(st == CAMERA_AGAIN);
        }
    }
    alarm(0);
    printf("odd files: %d frames, %d skip reports (%d %d %d %d)\n", ok, lost, seen[0], seen[1],
           seen[2], seen[3]);
    CHECK(ok >= 30);  /* b.pgm and f.png play on every pass */
    CHECK(lost == 4); /* each odd file said once, never again on later passes */
    for (int k = 0; k < 4; k++)
        CHECK(seen[k] == 1);
    camera_close(c);

    /* files: naming the FIFO itself is refused at open, without blocking */
    snprintf(path, sizeof(path), "files:%s/a.png", dir);
    alarm(10);
    CHECK(open_spec(&c, path, p, &err) < 0 && c == NULL);
    alarm(0);
    CHECK(strstr(err.msg, "not a regular file") != NULL);

    /* a directory of nothing but odd files ends once all are skipped */
    snprintf(path, sizeof(path), "%s/b.pgm", dir);
    CHECK(unlink(path) == 0);
    snprintf(path, sizeof(path), "%s/f.png", dir);
    CHECK(unlink(path) == 0);
    snprintf(path, sizeof(path), "files:%s", dir);
    CHECK(open_spec(&c, path, p, &err) == 0);
    alarm(10);
    lost = 0;
    for (int i = 0; c && i < 10; i++) {
        enum camera_status st = camera_read(c, (int64_t)i * 100, &fr, &err);
        CHECK(st != CAMERA_OK);
        lost += st == CAMERA_LOST;
        if (st == CAMERA_END)
            break;
    }
    alarm(0);
    CHECK(lost == 4);
    CHECK(c && camera_read(c, 5000, &fr, &err) == CAMERA_END);
    camera_close(c);
    if (fd >= 0)
        close(fd);
}

/* A Y4M stream: header, then FRAME + Y plane + 4:2:0 chroma per frame. */
static void y4m_header(FILE *fp, int w, int h)
{
    fprintf(fp, "YUV4MPEG2 W%d H%d F15:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n", w, h);
}

static void y4m_frame(FILE *fp, const unsigned char *y, int w, int h)
{
    size_t c = (size_t)((w + 1) / 2) * ((h + 1) / 2) * 2;
    fputs("FRAME\n", fp);
    fwrite(y, 1, (size_t)w * h, fp);
    for (size_t i = 0; i < c; i++)
        fputc(128, fp);
}

static void test_y4m_file(void)
{
    struct corpus_frame f[2];
    struct camera *c = NULL;
    struct frame fr;
    struct err err = {{0}};
    struct decoder *d = NULL;
    struct decode_opts o;
    struct decode_result r;
    char spec[1100];
    FILE *fp;

    corpus_per_cell = 2;
    CHECK(corpus_generate(0, &f[0]) == 0);
    CHECK(corpus_generate(7 * 6, &f[1]) == 0); /* inverted 640x480 */
    fp = fopen(test_path("cam.y4m"), "wb");
    y4m_header(fp, 640, 480);
    y4m_frame(fp, f[0].gray, 640, 480);
    y4m_frame(fp, f[1].gray, 640, 480);
    fputs("FRAME\n", fp); /* a truncated third frame */
    fwrite(f[0].gray, 1, 1000, fp);
    fclose(fp);

    decode_opts_default(&o);
    CHECK(decode_open(&d, &o, &err) == 0);
    snprintf(spec, sizeof(spec), "y4m:%s", test_path("cam.y4m"));
    CHECK(open_spec(&c, spec, params(640, 480, 15), &err) == 0);
    for (int i = 0; i < 2; i++) {
        int64_t t = 100 + i * 67;
        CHECK(c && camera_read(c, t, &fr, &err) == CAMERA_OK);
        CHECK(fr.width == 640 && fr.height == 480 && fr.seq == i);
        CHECK(memcmp(fr.gray, f[i].gray, 640 * 480) == 0);
        decode_reset(d);
        CHECK(decode_frame(d, fr.gray, fr.width, fr.height, fr.stride, &r, &err) == 1);
        CHECK(r.code[0].len == f[i].exp_len[0] &&
              !memcmp(r.code[0].data, f[i].exp[0], r.code[0].len));
    }
    CHECK(camera_read(c, 1000, &fr, &err) == CAMERA_END);
    CHECK(strstr(err.msg, "inside a frame") != NULL);
    camera_close(c);

    fp = fopen(test_path("bad.y4m"), "wb");
    fputs("GIF89a not a stream\n", fp);
    fclose(fp);
    snprintf(spec, sizeof(spec), "y4m:%s", test_path("bad.y4m"));
    CHECK(open_spec(&c, spec, params(640, 480, 15), &err) == 0);
    CHECK(camera_read(c, 0, &fr, &err) == CAMERA_END);
    CHECK(strstr(err.msg, "YUV4MPEG2") != NULL);
    camera_close(c);
    CHECK(open_spec(&c, "y4m:/nonexistent.y4m", params(640, 480, 15), &err) < 0);
    corpus_frame_free(&f[0]);
    corpus_frame_free(&f[1]);
    decode_close(d);
}

/* A looping Y4M file that ends in an over-long line (no newline): each
 * pass plays its frames and starts again; the read never spins forever on
 * the leftover line. SIGALRM ends the test if it does. */
static void test_y4m_loop_long_line(void)
{
    unsigned char y[16 * 16];
    struct camera *c = NULL;
    struct camera_params p = params(16, 16, 10);
    struct frame fr;
    struct err err = {{0}};
    char spec[1100];
    FILE *fp = fopen(test_path("loop.y4m"), "wb");
    int ok = 0;

    memset(y, 200, sizeof(y));
    y4m_header(fp, 16, 16);
    y4m_frame(fp, y, 16, 16);
    for (int i = 0; i < 600; i++)
        fputc('x', fp);
    fclose(fp);
    p.loop = 1;
    snprintf(spec, sizeof(spec), "y4m:%s", test_path("loop.y4m"));
    CHECK(open_spec(&c, spec, p, &err) == 0);
    alarm(10);
    for (int i = 0; c && i < 4; i++)
        ok += camera_read(c, (int64_t)i * 100, &fr, &err) == CAMERA_OK;
    alarm(0);
    CHECK(ok == 4);
    camera_close(c);

    /* cut short under the reader after its first frame: the end, not a spin */
    CHECK(open_spec(&c, spec, p, &err) == 0);
    CHECK(c && camera_read(c, 0, &fr, &err) == CAMERA_OK);
    CHECK(truncate(test_path("loop.y4m"), 56) == 0); /* the header alone */
    alarm(10);
    CHECK(c && camera_read(c, 100, &fr, &err) == CAMERA_END);
    alarm(0);
    camera_close(c);
}

/* A looping Y4M file whose last frame is cut short: every pass plays the
 * complete frames and drops the partial one; the loop goes on. A file
 * whose only frame is cut short still ends (nothing to loop over). */
static void test_y4m_loop_truncated(void)
{
    unsigned char y[3][16 * 16];
    struct camera *c = NULL;
    struct camera_params p = params(16, 16, 10);
    struct frame fr;
    struct err err = {{0}};
    char spec[1100];
    FILE *fp = fopen(test_path("cut.y4m"), "wb");
    int ok = 0, order = 1;

    for (int k = 0; k < 3; k++)
        memset(y[k], 50 + 50 * k, sizeof(y[k]));
    y4m_header(fp, 16, 16);
    y4m_frame(fp, y[0], 16, 16);
    y4m_frame(fp, y[1], 16, 16);
    fputs("FRAME\n", fp);
    fwrite(y[2], 1, 100, fp); /* the third frame: 100 of 384 bytes */
    fclose(fp);
    p.loop = 1;
    snprintf(spec, sizeof(spec), "y4m:%s", test_path("cut.y4m"));
    CHECK(open_spec(&c, spec, p, &err) == 0);
    alarm(10);
    for (int i = 0; c && i < 7; i++) {
        enum camera_status st = camera_read(c, (int64_t)i * 100, &fr, &err);
        ok += st == CAMERA_OK;
        if (st == CAMERA_OK && fr.gray[0] != y[i % 2][0])
            order = 0; /* frames 0, 1, 0, 1, ...: the partial one never shows */
    }
    alarm(0);
    CHECK(ok == 7);
    CHECK(order);
    camera_close(c);

    /* not looping: the end, with the reason, as before */
    p.loop = 0;
    CHECK(open_spec(&c, spec, p, &err) == 0);
    CHECK(c && camera_read(c, 0, &fr, &err) == CAMERA_OK);
    CHECK(c && camera_read(c, 100, &fr, &err) == CAMERA_OK);
    CHECK(c && camera_read(c, 200, &fr, &err) == CAMERA_END);
    CHECK(strstr(err.msg, "inside a frame") != NULL);
    camera_close(c);

    /* looping, but the only frame is partial: the end, not a spin */
    fp = fopen(test_path("cut1.y4m"), "wb");
    y4m_header(fp, 16, 16);
    fputs("FRAME\n", fp);
    fwrite(y[0], 1, 100, fp);
    fclose(fp);
    p.loop = 1;
    snprintf(spec, sizeof(spec), "y4m:%s", test_path("cut1.y4m"));
    CHECK(open_spec(&c, spec, p, &err) == 0);
    alarm(10);
    CHECK(c && camera_read(c, 0, &fr, &err) == CAMERA_END);
    alarm(0);
    CHECK(strstr(err.msg, "inside a frame") != NULL);
    camera_close(c);
}

/* y4m:FIFO opened before its producer: waits (CAMERA_AGAIN) instead of
 * ending with "no stream header"; then plays what is written and ends
 * when the producer closes. */
static void test_y4m_fifo(void)
{
    struct camera *c = NULL;
    struct frame fr;
    struct err err = {{0}};
    char spec[1100];
    unsigned char y[16 * 16];
    int fd;
    FILE *fp;

    memset(y, 77, sizeof(y));
    memset(&fr, 0, sizeof(fr));
    CHECK(mkfifo(test_path("cam.fifo"), 0600) == 0);
    snprintf(spec, sizeof(spec), "y4m:%s", test_path("cam.fifo"));
    alarm(10);
    CHECK(open_spec(&c, spec, params(16, 16, 10), &err) == 0);
    CHECK(c && camera_read(c, 0, &fr, &err) == CAMERA_AGAIN); /* no producer yet */
    CHECK(c && camera_read(c, 100, &fr, &err) == CAMERA_AGAIN);
    fd = open(test_path("cam.fifo"), O_WRONLY | O_NONBLOCK);
    CHECK(fd >= 0);
    fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (fp) {
        y4m_header(fp, 16, 16);
        y4m_frame(fp, y, 16, 16);
        fflush(fp);
    }
    CHECK(c && camera_read(c, 200, &fr, &err) == CAMERA_OK);
    CHECK(c && fr.width == 16 && fr.gray[0] == 77);
    CHECK(c && camera_read(c, 300, &fr, &err) == CAMERA_AGAIN); /* producer still there */
    if (fp)
        fclose(fp);
    CHECK(c && camera_read(c, 400, &fr, &err) == CAMERA_END);
    alarm(0);
    camera_close(c);
}

/* y4m:- reads stdin; fed through a pipe in pieces, reads never block. */
static void test_y4m_stdin(void)
{
    int pfd[2], saved = dup(0);
    struct camera *c = NULL;
    struct frame fr;
    struct err err = {{0}};
    unsigned char y[64 * 48];
    char head[128];
    unsigned char chroma[32 * 24 * 2];
    int n;

    for (int i = 0; i < 64 * 48; i++)
        y[i] = (unsigned char)(i * 7);
    memset(chroma, 128, sizeof(chroma));
    CHECK(pipe(pfd) == 0);
    CHECK(dup2(pfd[0], 0) == 0);
    close(pfd[0]);
    CHECK(open_spec(&c, "y4m:-", params(640, 480, 30), &err) == 0);
    CHECK(camera_read(c, 0, &fr, &err) == CAMERA_AGAIN); /* nothing written yet */
    n = snprintf(head, sizeof(head), "YUV4MPEG2 W64 H48 F30:1 C420jpeg\nFRAME\n");
    CHECK(write(pfd[1], head, (size_t)n) == n);
    CHECK(write(pfd[1], y, 1000) == 1000);
    CHECK(camera_read(c, 10, &fr, &err) == CAMERA_AGAIN); /* half a frame */
    CHECK(write(pfd[1], y + 1000, sizeof(y) - 1000) == (ssize_t)(sizeof(y) - 1000));
    CHECK(write(pfd[1], chroma, sizeof(chroma)) == (ssize_t)sizeof(chroma));
    CHECK(camera_read(c, 20, &fr, &err) == CAMERA_OK);
    CHECK(fr.width == 64 && fr.height == 48 && memcmp(fr.gray, y, sizeof(y)) == 0);
    CHECK(camera_read(c, 100, &fr, &err) == CAMERA_AGAIN); /* producer still there */
    close(pfd[1]);
    CHECK(camera_read(c, 200, &fr, &err) == CAMERA_END);
    camera_close(c);
    dup2(saved, 0);
    close(saved);
}

/* Demo camera: moving sample badges that decode, and empty gaps. */
static void test_demo_and_thread(void)
{
    struct camera *c = NULL;
    struct frame fr;
    struct err err = {{0}};
    struct decoder *d = NULL;
    struct decode_opts o;
    struct decode_result r;
    struct decoder_thread *t = NULL;
    struct decoder_thread_result res;
    int decoded = 0, empty = 0, ada = 0, linus = 0, got = 0;
    long ndec = 0, nskip = 0;

    decode_opts_default(&o);
    CHECK(decode_open(&d, &o, &err) == 0);
    CHECK(open_spec(&c, "demo", params(640, 480, 5), &err) == 0);
    /* 5 s crossing + 1 s gap per badge at 5 fps: 30 frames a badge */
    for (int i = 0; i < 62 && c; i++) {
        CHECK(camera_read(c, 10000 + i * 200, &fr, &err) == CAMERA_OK);
        CHECK(camera_read(c, 10000 + i * 200 + 10, &fr, &err) == CAMERA_AGAIN || 1);
        if (decode_frame(d, fr.gray, fr.width, fr.height, fr.stride, &r, &err) > 0) {
            decoded++;
            ada += strstr((char *)r.code[0].data, "FN:Ada Lovewell\r\n") != NULL;
            linus += strstr((char *)r.code[0].data, "MECARD:N:Tornquist,Linus;") != NULL;
        } else {
            empty++;
        }
    }
    printf("demo: %d frames decoded, %d without a code (ada %d, linus %d)\n", decoded, empty, ada,
           linus);
    CHECK(decoded >= 40);
    CHECK(empty >= 8); /* the gaps between badges */
    CHECK(ada > 0 && linus > 0);
    camera_close(c);
    decode_close(d);
    CHECK(open_spec(&c, "demo", params(64, 48, 5), &err) < 0); /* too small to show them */

    /* the decoder thread: post frames, results arrive without waiting */
    CHECK(decoder_thread_start(&t, &o, &err) == 0);
    CHECK(open_spec(&c, "demo", params(640, 480, 5), &err) == 0);
    for (int i = 0; i < 200 && !got && t && c; i++) {
        struct timespec ts = {0, 20 * 1000000};
        if (camera_read(c, 10000 + i * 200, &fr, &err) == CAMERA_OK)
            CHECK(decoder_thread_post(t, &fr, 10000 + i * 200) == 0);
        nanosleep(&ts, NULL);
        while (decoder_thread_poll(t, &res))
            if (res.r.n > 0 && strstr((char *)res.r.code[0].data, "Ada Lovewell"))
                got = 1;
    }
    CHECK(got);
    decoder_thread_stats(t, &ndec, &nskip);
    CHECK(ndec > 0);
    camera_close(c);
    decoder_thread_stop(t);
    decoder_thread_stop(NULL);
}

/* A missing camera is reported as lost, not a failure to start. */
static void test_v4l2_missing(void)
{
    struct camera *c = NULL;
    struct frame fr;
    struct err err = {{0}};
    CHECK(open_spec(&c, "v4l2:/dev/video-kiosk-test-missing", params(1280, 720, 15), &err) == 0);
    CHECK(c && camera_read(c, 0, &fr, &err) == CAMERA_LOST);
    CHECK(strstr(err.msg, "/dev/video-kiosk-test-missing") != NULL);
    CHECK(camera_read(c, 10, &fr, &err) == CAMERA_LOST); /* retries later, still lost */
    CHECK(camera_read(c, 5000, &fr, &err) == CAMERA_LOST);
    camera_close(c);
    camera_close(NULL);
}

int main(void)
{
    test_files();
    test_files_not_regular();
    test_y4m_file();
    test_y4m_loop_long_line();
    test_y4m_loop_truncated();
    test_y4m_fifo();
    test_y4m_stdin();
    test_v4l2_missing();
    test_demo_and_thread();
    return test_done();
}
