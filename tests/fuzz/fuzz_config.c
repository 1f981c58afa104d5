/*
 * fuzz_config.c - libFuzzer target: config_load_file on arbitrary bytes.
 *
 * The bytes are written to a private temporary file (the reader takes a
 * path) and loaded into a fresh config. Whatever happens, the loader must
 * return 0 or -1 with a message, never crash, overrun or leak, and every
 * value it accepted must read back within its limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[256];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c;
    struct err err = {{0}};
    FILE *f;
    int rc;

    if (!path[0]) {
        const char *tmp = getenv("TMPDIR");
        int fd;
        snprintf(path, sizeof(path), "%s/fuzz-config-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
        fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
    }
    f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    if (config_init(&c, &err) < 0)
        abort();
    rc = config_load_file(&c, path, 0, &err);
    if (rc != 0 && rc != -1)
        abort();
    if (rc < 0 && err.msg[0] == '\0')
        abort(); /* a refusal always says why */
    for (int i = 0; i < config_key_count(); i++) {
        const struct config_key *k = config_key_at(i);
        const char *v = config_str(&c, k->key);
        if (strlen(v) >= KIOSK_CONFIG_VALUE_MAX)
            abort();
        if (k->type == CONFIG_INT) {
            long n = config_int(&c, k->key);
            if (n < k->min || n > k->max)
                abort();
        }
    }
    config_free(&c);
    return 0;
}
