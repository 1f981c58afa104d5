/*
 * camera_y4m.c - frames from a YUV4MPEG2 stream (a file, or "-" for stdin),
 * so `ffmpeg ... -f yuv4mpegpipe -` can feed any camera or video.
 *
 * Owns the fd (not stdin's: it is only switched to non-blocking and back),
 * a staging buffer and one frame. Reads never block on a pipe: a partial
 * frame is kept and CAMERA_AGAIN returned until the rest arrives. Only the Y
 * plane is kept (that is the gray image); chroma is skipped for 420*, 422,
 * 444 and mono streams. Frames are paced at params->fps like image files.
 * A looping file starts over at its end; a last frame cut short is dropped
 * there (the whole frames keep playing). Stdin and non-looping files end
 * with CAMERA_END, "stream ends inside a frame" when cut mid-frame.
 * A named FIFO may be opened before its producer (ffmpeg ... > fifo): until
 * the first byte arrives, "no writer yet" is CAMERA_AGAIN, not the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "camera_internal.h"

enum phase { HEADER, FRAME_LINE, PAYLOAD };

struct y4m_cam {
    struct camera base;
    int fd, is_stdin, old_flags, seekable;
    int fifo, heard; /* a named FIFO; some byte has arrived */
    enum phase phase;
    char line[512];
    size_t line_len;
    unsigned char stage[65536];
    size_t st_pos, st_len;
    int w, h;
    size_t ysize, chroma, got; /* bytes of the frame payload read so far */
    unsigned char *y;          /* ysize bytes */
    int fps, loop, started, eof;
    off_t first_frame; /* offset of the first FRAME, for looping files */
    int64_t t0, k, seq;
    int64_t seq_pass; /* seq when this pass over the file began */
};

static void y4m_close(struct camera *c)
{
    struct y4m_cam *yc = (struct y4m_cam *)c;
    if (yc->is_stdin)
        fcntl(0, F_SETFL, yc->old_flags);
    else if (yc->fd >= 0)
        close(yc->fd);
    free(yc->y);
    free(yc);
}

/* Make bytes available in stage. 1: some, 0: none yet (EAGAIN), -1: EOF or error. */
static int fill(struct y4m_cam *yc)
{
    ssize_t n;
    if (yc->st_pos < yc->st_len)
        return 1;
    n = read(yc->fd, yc->stage, sizeof(yc->stage));
    if (n > 0) {
        yc->st_pos = 0;
        yc->st_len = (size_t)n;
        yc->heard = 1;
        return 1;
    }
    if (n == 0 && yc->fifo && !yc->heard)
        return 0; /* no producer has opened the FIFO yet */
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return -1;
}

/* Accumulate one '\n'-terminated line. 1: complete, 0: not yet, -1: EOF/too long. */
static int get_line(struct y4m_cam *yc)
{
    for (;;) {
        int r = fill(yc);
        if (r <= 0)
            return r;
        while (yc->st_pos < yc->st_len) {
            char ch = (char)yc->stage[yc->st_pos++];
            if (ch == '\n') {
                yc->line[yc->line_len] = '\0';
                yc->line_len = 0;
                return 1;
            }
            if (yc->line_len + 1 >= sizeof(yc->line))
                return -1;
            yc->line[yc->line_len++] = ch;
        }
    }
}

static int parse_header(struct y4m_cam *yc, struct err *err)
{
    char *save = NULL, *tok;
    long w = 0, h = 0;
    const char *cs = "420";
    if (strncmp(yc->line, "YUV4MPEG2", 9) != 0)
        return err_set(err, "y4m: not a YUV4MPEG2 stream");
    for (tok = strtok_r(yc->line + 9, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (tok[0] == 'W')
            w = strtol(tok + 1, NULL, 10);
        else if (tok[0] == 'H')
            h = strtol(tok + 1, NULL, 10);
        else if (tok[0] == 'C')
            cs = tok + 1;
    }
    if (w < 1 || h < 1 || w > KIOSK_FRAME_SIDE_MAX || h > KIOSK_FRAME_SIDE_MAX)
        return err_set(err, "y4m: frame size %ldx%ld is outside 1..%d", w, h, KIOSK_FRAME_SIDE_MAX);
    yc->w = (int)w;
    yc->h = (int)h;
    yc->ysize = (size_t)w * (size_t)h;
    if (!strncmp(cs, "420", 3))
        yc->chroma = 2 * (size_t)((w + 1) / 2) * (size_t)((h + 1) / 2);
    else if (!strcmp(cs, "422"))
        yc->chroma = 2 * (size_t)((w + 1) / 2) * (size_t)h;
    else if (!strcmp(cs, "444"))
        yc->chroma = 2 * yc->ysize;
    else if (!strcmp(cs, "444alpha"))
        yc->chroma = 3 * yc->ysize;
    else if (!strcmp(cs, "mono"))
        yc->chroma = 0;
    else
        return err_set(err, "y4m: colour space C%s is not supported", cs);
    yc->y = malloc(yc->ysize);
    if (!yc->y)
        return err_set(err, "y4m: out of memory");
    return 0;
}

/* At the end of a looping, seekable file, go back to its first frame and
 * forget what was read of the last (a partial frame, or a leftover or
 * over-long line that would otherwise end every pass). 1 when it did; 0 to
 * end the stream: not looping, not seekable, or the pass just ended gave no
 * frame (a file cut short under us would otherwise spin here forever). */
static int start_over(struct y4m_cam *yc)
{
    if (!yc->loop || !yc->seekable || yc->seq <= yc->seq_pass ||
        lseek(yc->fd, yc->first_frame, SEEK_SET) < 0)
        return 0;
    yc->seq_pass = yc->seq;
    yc->st_pos = yc->st_len = 0;
    yc->line_len = 0;
    return 1;
}

static enum camera_status y4m_read(struct camera *c, int64_t now_ms, struct frame *f,
                                   struct err *err)
{
    struct y4m_cam *yc = (struct y4m_cam *)c;
    int r;

    if (yc->eof)
        return CAMERA_END;
    if (!yc->started) {
        yc->started = 1;
        yc->t0 = now_ms;
    }
    if (now_ms < yc->t0 + yc->k * 1000 / yc->fps)
        return CAMERA_AGAIN;
    for (;;) {
        switch (yc->phase) {
        case HEADER:
            r = get_line(yc);
            if (r == 0)
                return CAMERA_AGAIN;
            if (r < 0) {
                yc->eof = 1;
                err_set(err, "y4m: no stream header");
                return CAMERA_END;
            }
            if (parse_header(yc, err) < 0) {
                yc->eof = 1;
                return CAMERA_END;
            }
            if (yc->seekable)
                yc->first_frame = lseek(yc->fd, 0, SEEK_CUR) - (off_t)(yc->st_len - yc->st_pos);
            yc->phase = FRAME_LINE;
            break;
        case FRAME_LINE:
            r = get_line(yc);
            if (r == 0)
                return CAMERA_AGAIN;
            if (r < 0) {
                if (start_over(yc))
                    continue;
                yc->eof = 1;
                return CAMERA_END;
            }
            if (strncmp(yc->line, "FRAME", 5) != 0) {
                yc->eof = 1;
                err_set(err, "y4m: expected FRAME, stream is corrupt");
                return CAMERA_END;
            }
            yc->got = 0;
            yc->phase = PAYLOAD;
            break;
        case PAYLOAD: {
            size_t total = yc->ysize + yc->chroma;
            while (yc->got < total) {
                size_t take;
                r = fill(yc);
                if (r == 0)
                    return CAMERA_AGAIN;
                if (r < 0) {
                    /* A looping file whose last frame is cut short: drop
                     * the partial frame, play the whole ones again. */
                    if (start_over(yc)) {
                        yc->phase = FRAME_LINE;
                        break;
                    }
                    yc->eof = 1;
                    err_set(err, "y4m: stream ends inside a frame");
                    return CAMERA_END;
                }
                take = yc->st_len - yc->st_pos;
                if (take > total - yc->got)
                    take = total - yc->got;
                if (yc->got < yc->ysize) {
                    size_t ytake = take < yc->ysize - yc->got ? take : yc->ysize - yc->got;
                    memcpy(yc->y + yc->got, yc->stage + yc->st_pos, ytake);
                }
                yc->got += take;
                yc->st_pos += take;
            }
            if (yc->got < total)
                break; /* started over: back to FRAME_LINE */
            yc->phase = FRAME_LINE;
            yc->k++;
            f->width = yc->w;
            f->height = yc->h;
            f->stride = yc->w;
            f->gray = yc->y;
            f->seq = yc->seq++;
            return CAMERA_OK;
        }
        }
    }
}

static const struct camera_ops y4m_ops = {y4m_read, y4m_close};

int camera_open_y4m(struct camera **out, const char *path, const struct camera_params *p,
                    struct err *err)
{
    struct y4m_cam *yc;
    struct stat st;
    *out = NULL;
    yc = calloc(1, sizeof(*yc));
    if (!yc)
        return err_set(err, "y4m: out of memory");
    yc->base.ops = &y4m_ops;
    yc->fps = p->fps;
    yc->loop = p->loop;
    if (strcmp(path, "-") == 0) {
        yc->fd = 0;
        yc->is_stdin = 1;
        yc->old_flags = fcntl(0, F_GETFL);
        if (yc->old_flags >= 0)
            fcntl(0, F_SETFL, yc->old_flags | O_NONBLOCK);
    } else {
        yc->fd = open(path, O_RDONLY | O_NONBLOCK);
        if (yc->fd < 0) {
            err_set(err, "y4m: %s: %s", path, strerror(errno));
            free(yc);
            return -1;
        }
        yc->seekable = lseek(yc->fd, 0, SEEK_CUR) >= 0;
        yc->fifo = fstat(yc->fd, &st) == 0 && S_ISFIFO(st.st_mode);
    }
    *out = &yc->base;
    return 0;
}
