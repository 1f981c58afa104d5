/*
 * fuzz_decode.c - libFuzzer target for the decode pipeline and the wedge.
 *
 * Bytes 0-2 choose the frame (width 1..160, height 1..160, extra stride
 * 0..3); the rest are pixels (repeated to fill the frame). The frame is
 * decoded twice (the second time through the last-hit region) with
 * inversion on, and every result must keep the promises of decode.h:
 * at most KIOSK_CODES_PER_FRAME codes, lengths within KIOSK_PAYLOAD_MAX,
 * NUL-terminated, boxes inside the frame. The same bytes then drive the
 * keyboard wedge as an event stream (a byte = a key at a time step chosen
 * by the byte), which must never emit a scan longer than the limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "wedge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct decoder *dec;
static struct wedge w;

static void check_result(const struct decode_result *r, int fw, int fh)
{
    if (r->n < 0 || r->n > KIOSK_CODES_PER_FRAME)
        __builtin_trap();
    for (int i = 0; i < r->n; i++) {
        const struct decode_code *c = &r->code[i];
        if (c->len > KIOSK_PAYLOAD_MAX || c->data[c->len] != '\0')
            __builtin_trap();
        if (c->x0 < -fw || c->x1 > 2 * fw || c->y0 < -fh || c->y1 > 2 * fh)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fw, fh, stride;
    unsigned char *px;
    struct decode_result r;
    struct err err;
    struct event ev, out;
    int64_t t = 0;

    if (!dec) {
        struct decode_opts o;
        decode_opts_default(&o);
        if (decode_open(&dec, &o, &err) < 0)
            return 0;
    }
    if (size < 4)
        return 0;
    fw = 1 + data[0] % 160;
    fh = 1 + data[1] % 160;
    stride = fw + data[2] % 4;
    px = malloc((size_t)stride * fh);
    if (!px)
        return 0;
    for (size_t i = 0; i < (size_t)stride * fh; i++)
        px[i] = data[3 + i % (size - 3)];
    decode_reset(dec);
    if (decode_frame(dec, px, fw, fh, stride, &r, &err) >= 0)
        check_result(&r, fw, fh);
    if (decode_frame(dec, px, fw, fh, stride, &r, &err) >= 0)
        check_result(&r, fw, fh);
    free(px);

    wedge_init(&w, 1);
    for (size_t i = 3; i < size; i++) {
        memset(&ev, 0, sizeof(ev));
        t += data[i] & 0x3F;
        ev.now_ms = t;
        if (data[i] == '\n') {
            ev.type = EV_KEY;
            memcpy(ev.u.key.name, "enter", 6);
        } else if (data[i] == 0xFF) {
            ev.type = EV_TICK;
        } else {
            ev.type = EV_TEXT;
            ev.u.text.text[0] = (char)(data[i] ? data[i] : 'x');
        }
        wedge_push(&w, &ev);
        while (wedge_pop(&w, &out))
            if (out.type == EV_SCAN && (out.u.scan.len == 0 || out.u.scan.len > KIOSK_PAYLOAD_MAX))
                __builtin_trap();
    }
    return 0;
}
