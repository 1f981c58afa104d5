/*
 * cmd_decode.c - `kiosk decode [--json] IMAGE...`: run the camera's decode
 * pipeline (core/decode.c, settings scan.symbologies and scan.inverted) on
 * PNG, JPEG or PGM files. Plain output: "FILE: FORMAT: TEXT" per code, or
 * "FILE: no code". --json: one object per file and line,
 * {"file":..., "codes":[{"text":..., "format":"qr"}], "ms":...}, with bytes
 * that are not valid UTF-8 written as \u00XX. Exit 0 when it ran (even if
 * nothing decoded), 1 if any file could not be read (the others are still
 * decoded), 2 on usage errors. Reads files only; writes stdout/stderr only.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "decode.h"
#include "dev/image.h"

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len, i;
    unsigned cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
        cp = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        cp = p[0] & 0x0F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        cp = p[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0; /* overlong or surrogate */
    return len;
}

static void json_str(FILE *out, const unsigned char *p, size_t n)
{
    size_t i = 0;
    fputc('"', out);
    while (i < n) {
        size_t k = utf8_len(p + i, n - i);
        unsigned char c = p[i];
        if (k == 0) {
            fprintf(out, "\\u%04x", c); /* a byte, not a character */
            i++;
            continue;
        }
        if (k > 1) {
            fwrite(p + i, 1, k, out);
            i += k;
            continue;
        }
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
        i++;
    }
    fputc('"', out);
}

static void plain_str(FILE *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
            continue;
        if (p[i] == '\n')
            fputs("\\n", out);
        else
            fputc(p[i], out);
    }
}

static int run(struct kiosk *k, int argc, char **argv)
{
    struct decode_opts o;
    struct decoder *d = NULL;
    struct err err = {{0}};
    int json = 0, i, nfiles = 0, failed = 0, dashdash = 0;

    /* Options first or mixed in; everything after "--" is a file. */
    for (i = 1; i < argc; i++) {
        if (dashdash == 0 && strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (dashdash == 0 && strcmp(argv[i], "--") == 0)
            dashdash = i;
        else if (dashdash == 0 && argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("decode", "unknown option %s", argv[i]);
        else
            nfiles++;
    }
    if (nfiles == 0)
        return cli_usage_error("decode", "no image files given");
    if (decode_opts_from_config(&o, &k->cfg, &err) < 0)
        return cli_fail("decode", "%s", err.msg);
    if (decode_open(&d, &o, &err) < 0)
        return cli_fail("decode", "%s", err.msg);

    for (i = 1; i < argc; i++) {
        struct image img;
        struct decode_result r;
        double t0, ms;
        const char *path = argv[i];
        if (i == dashdash || ((dashdash == 0 || i < dashdash) && strcmp(path, "--json") == 0))
            continue;
        if (image_load(path, &img, &err) < 0) {
            fprintf(stderr, "kiosk decode: %s\n", err.msg);
            failed = 1;
            continue;
        }
        decode_reset(d); /* unrelated images: no region of interest carried over */
        t0 = mono_ms();
        if (decode_frame(d, img.gray, img.width, img.height, img.width, &r, &err) < 0) {
            fprintf(stderr, "kiosk decode: %s: %s\n", path, err.msg);
            failed = 1;
            image_free(&img);
            continue;
        }
        ms = mono_ms() - t0;
        if (json) {
            fputs("{\"file\":", stdout);
            json_str(stdout, (const unsigned char *)path, strlen(path));
            fputs(",\"codes\":[", stdout);
            for (int c = 0; c < r.n; c++) {
                fputs(c ? ",{\"text\":" : "{\"text\":", stdout);
                json_str(stdout, r.code[c].data, r.code[c].len);
                printf(",\"format\":\"%s\"}", r.code[c].format);
            }
            printf("],\"ms\":%.2f}\n", ms);
        } else if (r.n == 0) {
            printf("%s: no code\n", path);
        } else {
            for (int c = 0; c < r.n; c++) {
                printf("%s: %s: ", path, r.code[c].format);
                plain_str(stdout, r.code[c].data, r.code[c].len);
                putchar('\n');
            }
        }
        image_free(&img);
    }
    decode_close(d);
    fflush(stdout);
    return failed ? 1 : 0;
}

const struct command cmd_decode = {
    .name = "decode",
    .run = run,
    .summary = "Decode QR codes in image files with the camera's pipeline",
    .usage = "[--json] IMAGE...\n\n"
             "Decodes PNG, JPEG or PGM files exactly as the camera does (settings\n"
             "scan.symbologies, scan.inverted). Prints \"FILE: FORMAT: TEXT\" per code, or\n"
             "with --json one line per file:\n"
             "  {\"file\":..., \"codes\":[{\"text\":..., \"format\":\"qr\"}], \"ms\":...}\n"
             "Bytes that are not UTF-8 are written as \\u00XX. Exit 0 even when nothing\n"
             "decoded; 1 if a file could not be read.",
};
