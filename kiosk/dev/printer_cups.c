/*
 * printer_cups.c - print slips through CUPS (libcups) to a named queue.
 *
 * Owns: turning a raster into a one-page PDF (the image at the printer's
 * dpi, so 1 dot = 1 device dot on a thermal queue, RunLength-compressed),
 * submitting it with cupsCreateJob/cupsStartDocument, and following the
 * job until CUPS reports it completed, aborted or cancelled (or, without
 * job history, forgets it; or cupsd stops after accepting it: both counted
 * as printed, since CUPS holds or printed the job and a retry would make a
 * second slip).
 * Never: leaves a CUPS job behind when reporting failure (it is cancelled,
 * so the kiosk's own retry cannot make a duplicate), blocks without a
 * timeout, reads the kiosk database.
 */
#include <cups/cups.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "printer.h"

#define DEFAULT_TIMEOUT_MS 60000
#define POLL_MS            200

struct printer_cups {
    struct printer base;
    char queue[256];
    int dpi, timeout_ms;
};

/* ---- a minimal PDF ------------------------------------------------------ */

struct buf {
    char *data;
    size_t len, cap;
    int failed;
};

static void put(struct buf *b, const void *p, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        char *grown;
        while (cap < b->len + n)
            cap *= 2;
        grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void putf(struct buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void putf(struct buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        b->failed = 1;
        return;
    }
    put(b, tmp, (size_t)n);
}

/* PDF RunLengthDecode: a length byte 0..127 copies that + 1 literal bytes,
 * 129..255 repeats the next byte 257 - length times, 128 ends. */
static void rle(struct buf *b, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && p[i + run] == p[i])
            run++;
        if (run >= 2) {
            unsigned char h[2] = {(unsigned char)(257 - run), p[i]};
            put(b, h, 2);
            i += run;
        } else {
            size_t lit = 1;
            while (i + lit < n && lit < 128 && !(i + lit + 1 < n && p[i + lit] == p[i + lit + 1]))
                lit++;
            unsigned char h = (unsigned char)(lit - 1);
            put(b, &h, 1);
            put(b, p + i, lit);
            i += lit;
        }
    }
    {
        unsigned char eod = 128;
        put(b, &eod, 1);
    }
}

static int make_pdf(const struct raster *r, int dpi, struct buf *pdf, struct err *err)
{
    struct buf img = {0};
    size_t off[6];
    double w = r->width * 72.0 / dpi, h = r->height * 72.0 / dpi;
    char content[128];
    int clen;
    rle(&img, r->bits, (size_t)r->stride * (size_t)r->height);
    if (img.failed) {
        free(img.data);
        return err_set(err, "out of memory");
    }
    clen = snprintf(content, sizeof(content), "q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q\n", w, h);
    putf(pdf, "%%PDF-1.4\n%%\xE2\xE3\xCF\xD3\n");
    off[1] = pdf->len;
    putf(pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = pdf->len;
    putf(pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    off[3] = pdf->len;
    putf(pdf,
         "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f] "
         "/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>\nendobj\n",
         w, h);
    off[4] = pdf->len;
    putf(pdf, "4 0 obj\n<< /Length %d >>\nstream\n%sendstream\nendobj\n", clen, content);
    off[5] = pdf->len;
    /* 1-bit grey with Decode [1 0]: our 1 bits are black. */
    putf(pdf,
         "5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
         "/DeviceGray /BitsPerComponent 1 /Decode [1 0] /Interpolate false "
         "/Filter /RunLengthDecode /Length %zu >>\nstream\n",
         r->width, r->height, img.len);
    put(pdf, img.data, img.len);
    putf(pdf, "\nendstream\nendobj\n");
    free(img.data);
    {
        size_t xref = pdf->len;
        putf(pdf, "xref\n0 6\n0000000000 65535 f \n");
        for (int i = 1; i <= 5; i++)
            putf(pdf, "%010zu 00000 n \n", off[i]);
        putf(pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    }
    if (pdf->failed)
        return err_set(err, "out of memory");
    return 0;
}

/* ---- CUPS -------------------------------------------------------------- */

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* job_state: CUPS answered that it has no such job. */
#define JOB_GONE (-2)
/* job_state: no answer at all (cupsd stopped, connection lost). */
#define JOB_UNREACHABLE (-3)

/* job-state of job_id (IPP_JSTATE_*), with the reason text; JOB_GONE when
 * CUPS no longer knows the job, JOB_UNREACHABLE when cupsd did not answer,
 * -1 on any other error. */
static int job_state(http_t *http, int job_id, char *why, size_t size)
{
    static const char *const attrs[] = {"job-state", "job-state-reasons",
                                        "job-printer-state-message"};
    char uri[64];
    ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES), *resp;
    ipp_attribute_t *a;
    int state = -1;
    snprintf(uri, sizeof(uri), "ipp://localhost/jobs/%d", job_id);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, NULL, attrs);
    resp = cupsDoRequest(http, req, "/");
    if (!resp)
        return cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND ? JOB_GONE : JOB_UNREACHABLE;
    if (ippGetStatusCode(resp) == IPP_STATUS_ERROR_NOT_FOUND) {
        ippDelete(resp);
        return JOB_GONE;
    }
    a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
    if (a)
        state = ippGetInteger(a, 0);
    why[0] = '\0';
    a = ippFindAttribute(resp, "job-printer-state-message", IPP_TAG_TEXT);
    if (a && ippGetString(a, 0, NULL) && ippGetString(a, 0, NULL)[0])
        snprintf(why, size, "%s", ippGetString(a, 0, NULL));
    else if ((a = ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD)))
        snprintf(why, size, "%s", ippGetString(a, 0, NULL) ? ippGetString(a, 0, NULL) : "");
    ippDelete(resp);
    return state;
}

static int print_cups(struct printer *pr, const struct raster *r, const char *job_id,
                      struct err *err)
{
    struct printer_cups *p = (struct printer_cups *)pr;
    struct buf pdf = {0};
    http_t *http = NULL;
    int cups_job = 0, result = -1, waited = 0, state = 0;
    char title[96], why[256] = "";

    if (make_pdf(r, p->dpi, &pdf, err) < 0)
        goto out;
    http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1,
                        p->timeout_ms < 30000 ? p->timeout_ms : 30000, NULL);
    if (!http) {
        err_set(err, "cannot reach CUPS at %s: %s (is cupsd running?)", cupsServer(),
                cupsLastErrorString());
        goto out;
    }
    snprintf(title, sizeof(title), "kiosk slip %s", job_id && job_id[0] ? job_id : "");
    cups_job = cupsCreateJob(http, p->queue, title, 0, NULL);
    if (cups_job <= 0) {
        char reason[256];
        cups_dest_t *dest;
        snprintf(reason, sizeof(reason), "%s", cupsLastErrorString());
        dest = cupsGetNamedDest(http, p->queue, NULL);
        if (!dest)
            err_set(err, "CUPS has no queue named %s (lpstat -p lists them)", p->queue);
        else
            err_set(err, "CUPS queue %s refused the job: %s", p->queue, reason);
        cupsFreeDests(dest ? 1 : 0, dest);
        cups_job = 0;
        goto out;
    }
    if (cupsStartDocument(http, p->queue, cups_job, "slip.pdf", CUPS_FORMAT_PDF, 1) !=
            HTTP_STATUS_CONTINUE ||
        cupsWriteRequestData(http, pdf.data, pdf.len) != HTTP_STATUS_CONTINUE ||
        cupsFinishDocument(http, p->queue) != IPP_STATUS_OK) {
        err_set(err, "sending the slip to CUPS queue %s failed: %s", p->queue,
                cupsLastErrorString());
        goto out;
    }
    /* Follow the job: done when completed, failed when aborted or cancelled
     * (or held/stopped past the timeout, e.g. a disabled queue). */
    for (;;) {
        state = job_state(http, cups_job, why, sizeof(why));
        if (state == JOB_UNREACHABLE) {
            /* The connection broke; ask again on a fresh one. */
            http_t *again = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(),
                                         1, 5000, NULL);
            if (again) {
                httpClose(http);
                http = again;
                state = job_state(http, cups_job, why, sizeof(why));
            }
        }
        if (state == JOB_UNREACHABLE) {
            /* cupsd is gone after it accepted the whole document. The job
             * is in its spool and prints when cupsd is back; it cannot be
             * cancelled now, so a retry of ours would print it twice.
             * Handed over: counted as printed. */
            result = 0;
            cups_job = 0;
            goto out;
        }
        if (state == IPP_JSTATE_COMPLETED) {
            result = 0;
            cups_job = 0;
            goto out;
        }
        if (state == IPP_JSTATE_ABORTED || state == IPP_JSTATE_CANCELED) {
            err_set(err, "CUPS %s job %d on %s: %s",
                    state == IPP_JSTATE_ABORTED ? "aborted" : "cancelled", cups_job, p->queue,
                    why[0] ? why : "no reason given");
            cups_job = 0;
            goto out;
        }
        if (state == JOB_GONE) {
            /* CUPS accepted the whole document and then dropped the job: a
             * cupsd without job history (PreserveJobHistory No) removes a
             * job the moment it ends. Counted as printed: retrying printed
             * one more copy per attempt. (An abort under ErrorPolicy
             * abort-job looks the same; the default, stop-printer, keeps
             * the job and stops the queue, which the loop reports.) */
            result = 0;
            cups_job = 0;
            goto out;
        }
        if (state < 0) {
            err_set(err, "lost track of CUPS job %d: %s", cups_job, cupsLastErrorString());
            goto out;
        }
        if (waited >= p->timeout_ms) {
            if (state == IPP_JSTATE_PROCESSING) {
                /* The printer is printing it; cancelling now would cut a slip. */
                result = 0;
                cups_job = 0;
                goto out;
            }
            err_set(err, "CUPS job %d on %s did not start within %d s (%s)", cups_job, p->queue,
                    p->timeout_ms / 1000, why[0] ? why : "queue stopped or printer offline?");
            goto out;
        }
        sleep_ms(POLL_MS);
        waited += POLL_MS;
    }
out:
    if (cups_job > 0 && http)
        cupsCancelJob2(http, p->queue, cups_job, 0);
    httpClose(http);
    free(pdf.data);
    return result;
}

static void close_cups(struct printer *p)
{
    free(p);
}

static const struct printer_ops ops = {print_cups, close_cups};

int printer_open_cups(struct printer **out, const struct devspec *spec,
                      const struct printer_params *pp, struct err *err)
{
    struct printer_cups *p;
    *out = NULL;
    if (!spec->arg[0] || strlen(spec->arg) >= sizeof(p->queue))
        return err_set(err, "CUPS queue name missing or too long");
    p = calloc(1, sizeof(*p));
    if (!p)
        return err_set(err, "out of memory");
    memcpy(p->queue, spec->arg, strlen(spec->arg) + 1); /* length checked above */
    p->dpi = pp && pp->dpi > 0 ? pp->dpi : 203;
    p->timeout_ms = pp && pp->timeout_ms > 0 ? pp->timeout_ms : DEFAULT_TIMEOUT_MS;
    p->base.ops = &ops;
    *out = &p->base;
    return 0;
}
