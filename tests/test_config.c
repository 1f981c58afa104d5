/*
 * test_config.c - the settings table, the key=value reader and the device
 * spec parser: defaults, overrides, refusals with file:line, and that
 * assets/kiosk.conf.example documents every key with its real default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "devspec.h"
#include "test.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_defaults(void)
{
    struct config c;
    struct err err;
    CHECK(config_init(&c, &err) == 0);
    CHECK_STR(config_str(&c, "mode"), "handshake");
    CHECK_STR(config_str(&c, "camera"), "demo");
    CHECK(config_int(&c, "printer.width_dots") == 576);
    CHECK(config_bool(&c, "scan.inverted") == 1);
    CHECK_STR(config_origin(&c, "mode"), "default");
    /* Every default passes its own validation. */
    for (int i = 0; i < config_key_count(); i++) {
        const struct config_key *k = config_key_at(i);
        struct err e = {{0}};
        int ok = config_set(&c, k->key, k->def, "test", &e) == 0;
        if (!ok)
            fprintf(stderr, "default of %s refused: %s\n", k->key, e.msg);
        CHECK(ok);
    }
    config_free(&c);
}

static void test_file(void)
{
    struct config c;
    struct err err = {{0}};
    const char *path = test_path("good.conf");
    write_file(path, "\xEF\xBB\xBF# comment\n\n  mode = booth  \nevent.name = \"  Spaced  \"\r\n"
                     "printer.width_dots=384\nscan.inverted = off\n");
    config_init(&c, &err);
    CHECK(config_load_file(&c, path, 0, &err) == 0);
    CHECK_STR(config_str(&c, "mode"), "booth");
    CHECK_STR(config_str(&c, "event.name"), "  Spaced  ");
    CHECK(config_int(&c, "printer.width_dots") == 384);
    CHECK(config_bool(&c, "scan.inverted") == 0);
    CHECK(strstr(config_origin(&c, "mode"), "good.conf:3") != NULL);
    config_free(&c);
}

static void expect_refused(const char *text, const char *needle)
{
    struct config c;
    struct err err = {{0}};
    const char *path = test_path("bad.conf");
    write_file(path, text);
    config_init(&c, &err);
    CHECK(config_load_file(&c, path, 0, &err) < 0);
    if (!strstr(err.msg, needle))
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.msg, needle);
    CHECK(strstr(err.msg, needle) != NULL);
    config_free(&c);
}

static void test_refusals(void)
{
    expect_refused("mode = booth\nfrobnicate = 1\n", "bad.conf:2: unknown setting \"frobnicate\"");
    expect_refused("printer.width_dots = wide\n", "bad.conf:1: printer.width_dots must be a whole");
    expect_refused("printer.width_dots = 5\n", "between 128 and 2400");
    expect_refused("mode = party\n", "one of handshake|booth");
    expect_refused("ui.sound = maybe\n", "true or false");
    expect_refused("camera = webcam\n", "bad.conf:1: camera \"webcam\" is not one of");
    expect_refused("printer = lp0\n", "printer \"lp0\" is not one of");
    expect_refused("printer = escpos-tcp:host:99999\n", "is not one of");
    expect_refused("just a line\n", "bad.conf:1: expected key = value");

    struct config c;
    struct err err = {{0}};
    config_init(&c, &err);
    CHECK(config_load_file(&c, test_path("missing.conf"), 1, &err) == 0);
    CHECK(config_load_file(&c, test_path("missing.conf"), 0, &err) < 0);
    CHECK(strstr(err.msg, "cannot open") != NULL);
    /* A refused set leaves the old value. */
    CHECK(config_set(&c, "mode", "party", "x", &err) < 0);
    CHECK_STR(config_str(&c, "mode"), "handshake");
    config_free(&c);
}

static void test_devspec(void)
{
    struct devspec d;
    struct err err;
    CHECK(devspec_camera("v4l2:/dev/video0", &d, &err) == 0 && d.kind == CAMERA_V4L2);
    CHECK_STR(d.arg, "/dev/video0");
    CHECK(devspec_camera("y4m:-", &d, &err) == 0 && d.kind == CAMERA_Y4M);
    CHECK(devspec_camera("files:", &d, &err) < 0);
    CHECK(devspec_camera("demo", &d, &err) == 0 && d.kind == CAMERA_DEMO);
    CHECK(devspec_printer("escpos-tcp:127.0.0.1:9100", &d, &err) == 0);
    CHECK(d.kind == PRINTER_ESCPOS_TCP && d.port == 9100);
    CHECK_STR(d.arg, "127.0.0.1");
    CHECK(devspec_printer("escpos-file:/tmp/x.bin", &d, &err) == 0 &&
          d.kind == PRINTER_ESCPOS_FILE);
    CHECK(devspec_printer("cups:kiosk-test", &d, &err) == 0 && d.kind == PRINTER_CUPS);
    CHECK(devspec_printer("png:", &d, &err) == 0 && d.kind == PRINTER_PNG && d.arg[0] == 0);
    CHECK(devspec_printer("escpos:", &d, &err) < 0);
    CHECK(devspec_printer("escpos-tcp:nohost", &d, &err) < 0);
}

/* assets/kiosk.conf.example must list every key as "# key = default". */
static void test_example_documents_every_key(void)
{
    char path[1024];
    size_t len;
    char *text;
    snprintf(path, sizeof(path), "%s/assets/kiosk.conf.example", KIOSK_SOURCE_DIR);
    text = test_read_file(path, &len);
    CHECK(text != NULL);
    if (!text)
        return;
    for (int i = 0; i < config_key_count(); i++) {
        const struct config_key *k = config_key_at(i);
        char want[1200];
        if (k->def[0])
            snprintf(want, sizeof(want), "\n# %s = %s\n", k->key, k->def);
        else
            snprintf(want, sizeof(want), "\n# %s =\n", k->key);
        if (!strstr(text, want))
            fprintf(stderr, "kiosk.conf.example lacks \"%s\"\n", want + 1);
        CHECK(strstr(text, want) != NULL);
    }
    free(text);
}

int main(void)
{
    test_defaults();
    test_file();
    test_refusals();
    test_devspec();
    test_example_documents_every_key();
    return test_done();
}
