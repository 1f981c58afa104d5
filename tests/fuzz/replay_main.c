/*
 * replay_main.c - runs a libFuzzer target's LLVMFuzzerTestOneInput over
 * every file in a corpus folder, so the normal (and sanitizer) test run
 * replays the corpus and every crash ever found, without clang.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        if (!d) {
            perror(argv[i]);
            return 1;
        }
        while ((e = readdir(d)) != NULL) {
            char path[4096];
            FILE *f;
            unsigned char *buf;
            long n;
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            f = fopen(path, "rb");
            if (!f)
                continue;
            fseek(f, 0, SEEK_END);
            n = ftell(f);
            fseek(f, 0, SEEK_SET);
            buf = malloc(n > 0 ? (size_t)n : 1);
            if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
                LLVMFuzzerTestOneInput(buf, (size_t)n);
                files++;
            }
            free(buf);
            fclose(f);
        }
        closedir(d);
    }
    printf("%d passed, 0 failed\n", files);
    return 0;
}
