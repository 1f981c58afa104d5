/*
 * printer_escpos.c - ESC/POS thermal printers: device node, TCP, file.
 *
 * Owns the transport only: the bytes come from core/escpos.c. The device or
 * socket is opened per slip and closed after it, so a printer unplugged and
 * plugged back between slips just works. Every write is bounded by a
 * timeout (a printer out of paper often stops reading instead of failing).
 * Never: retries (the print queue decides), dies of SIGPIPE (sockets use
 * MSG_NOSIGNAL; other writes block the signal and take EPIPE as an error),
 * leaves a descriptor open after a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "escpos.h"
#include "printer.h"

#define DEFAULT_TIMEOUT_MS 10000
/* After sending, how long a TCP printer may keep the connection open before
 * we take silence as success (many never close it; a reset means failure). */
#define EOF_WAIT_MS 500

struct printer_escpos {
    struct printer base;
    struct devspec spec;
    struct escpos_job job;
    int timeout_ms;
};

static const char *target(const struct printer_escpos *p, char *buf, size_t size)
{
    if (p->spec.kind == PRINTER_ESCPOS_TCP)
        snprintf(buf, size, "%s:%d", p->spec.arg, p->spec.port);
    else
        snprintf(buf, size, "%s", p->spec.arg);
    return buf;
}

/* Write all of buf to fd (non-blocking), waiting at most timeout_ms for the
 * printer to take more. */
static int write_all_raw(int fd, int is_socket, const unsigned char *buf, size_t len,
                         int timeout_ms, const char *what, struct err *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n;
        struct pollfd pfd = {fd, POLLOUT, 0};
        int pr = poll(&pfd, 1, timeout_ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            return err_set(err,
                           "%s stopped taking data after %zu of %zu bytes (timeout; paper "
                           "out or cover open?)",
                           what, done, len);
        if (pr < 0)
            return err_set(err, "%s: %s", what, strerror(errno));
        if (is_socket)
            n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        else
            n = write(fd, buf + done, len - done);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return err_set(err, "writing to %s failed after %zu of %zu bytes: %s", what, done, len,
                           strerror(errno));
        }
        done += (size_t)n;
    }
    return 0;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* We half-closed the connection; a printer that got everything closes its
 * side (or stays silent), one that choked resets it. Read until EOF, error
 * or EOF_WAIT_MS have passed; whatever it sends back (status bytes) is
 * ignored, and a printer that keeps talking does not extend the wait. */
static int await_close(int fd, const char *what, size_t len, struct err *err)
{
    char sink[512];
    int64_t deadline = mono_ms() + EOF_WAIT_MS;
    for (;;) {
        int64_t left = deadline - mono_ms();
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr;
        ssize_t n;
        if (left <= 0)
            break;
        pr = poll(&pfd, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return err_set(err, "%s: %s", what, strerror(errno));
        if (pr == 0)
            break;
        n = recv(fd, sink, sizeof(sink), 0);
        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return err_set(err, "printer %s dropped the connection after we sent %zu bytes: %s",
                           what, len, strerror(errno));
    }
    return 0;
}

static int write_all(int fd, int is_socket, const unsigned char *buf, size_t len, int timeout_ms,
                     const char *what, struct err *err)
{
    sigset_t pipe_set, old;
    int r;
    if (is_socket)
        return write_all_raw(fd, 1, buf, len, timeout_ms, what, err);
    /* A device node that is really a pipe (a FIFO, a print daemon) raises
     * SIGPIPE when its reader goes away mid-job: block it for this thread,
     * take EPIPE as the error, and drop the signal we caused. */
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    r = write_all_raw(fd, 0, buf, len, timeout_ms, what, err);
    if (!sigismember(&old, SIGPIPE)) {
        sigset_t pending;
        struct timespec zero = {0, 0};
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE))
            sigtimedwait(&pipe_set, NULL, &zero);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    return r;
}

static int connect_tcp(const struct printer_escpos *p, const char *what, struct err *err)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[16];
    int fd = -1, rc, last = 0;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%d", p->spec.port);
    rc = getaddrinfo(p->spec.arg, port, &hints, &res);
    if (rc != 0) {
        err_set(err, "printer %s: %s", what, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        struct pollfd pfd;
        int soerr = 0;
        socklen_t sl = sizeof(soerr);
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        if (errno != EINPROGRESS) {
            last = errno;
            close(fd);
            fd = -1;
            continue;
        }
        pfd.fd = fd;
        pfd.events = POLLOUT;
        pfd.revents = 0;
        rc = poll(&pfd, 1, p->timeout_ms);
        if (rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
            break;
        last = rc == 0 ? ETIMEDOUT : soerr ? soerr : errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        err_set(err, "cannot connect to printer %s: %s", what, strerror(last ? last : EIO));
    return fd;
}

static int print_escpos(struct printer *pr, const struct raster *r, const char *job_id,
                        struct err *err)
{
    struct printer_escpos *p = (struct printer_escpos *)pr;
    struct escpos_buf b = {0};
    char what[1100];
    int fd = -1, is_socket = 0, result = -1;

    (void)job_id;
    target(p, what, sizeof(what));
    /* Encode first: nothing reaches the printer unless the whole job exists. */
    if (escpos_encode(&b, r, &p->job, err) < 0)
        goto out;
    switch (p->spec.kind) {
    case PRINTER_ESCPOS:
        fd = open(p->spec.arg, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            err_set(err, "cannot open printer %s: %s", what, strerror(errno));
            goto out;
        }
        break;
    case PRINTER_ESCPOS_FILE:
        if (strcmp(p->spec.arg, "-") == 0) {
            fd = dup(STDOUT_FILENO);
        } else {
            fd = open(p->spec.arg, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, 0600);
        }
        if (fd < 0) {
            err_set(err, "cannot open %s: %s", what, strerror(errno));
            goto out;
        }
        break;
    case PRINTER_ESCPOS_TCP:
        fd = connect_tcp(p, what, err);
        if (fd < 0)
            goto out;
        is_socket = 1;
        break;
    default:
        err_set(err, "not an ESC/POS printer");
        goto out;
    }
    if (write_all(fd, is_socket, b.data, b.len, p->timeout_ms, what, err) < 0)
        goto out;
    if (is_socket && shutdown(fd, SHUT_WR) < 0) {
        err_set(err, "printer %s dropped the connection after we sent %zu bytes: %s", what, b.len,
                strerror(errno));
        goto out;
    }
    if (is_socket && await_close(fd, what, b.len, err) < 0)
        goto out;
    if (close(fd) < 0) {
        fd = -1;
        err_set(err, "closing %s failed: %s", what, strerror(errno));
        goto out;
    }
    fd = -1;
    result = 0;
out:
    if (fd >= 0)
        close(fd);
    escpos_buf_free(&b);
    return result;
}

static void close_escpos(struct printer *p)
{
    free(p);
}

static const struct printer_ops ops = {print_escpos, close_escpos};

int printer_open_escpos(struct printer **out, const struct devspec *spec,
                        const struct printer_params *pp, struct err *err)
{
    struct printer_escpos *p;
    *out = NULL;
    if (spec->kind != PRINTER_ESCPOS && spec->kind != PRINTER_ESCPOS_TCP &&
        spec->kind != PRINTER_ESCPOS_FILE)
        return err_set(err, "not an ESC/POS printer spec");
    p = calloc(1, sizeof(*p));
    if (!p)
        return err_set(err, "out of memory");
    p->spec = *spec;
    p->job.cut = pp ? pp->cut : 1;
    p->job.native_qr = pp ? pp->native_qr : 0;
    p->job.feed_lines = 4;
    p->job.band_rows = ESCPOS_BAND_ROWS;
    p->timeout_ms = pp && pp->timeout_ms > 0 ? pp->timeout_ms : DEFAULT_TIMEOUT_MS;
    p->base.ops = &ops;
    *out = &p->base;
    return 0;
}
