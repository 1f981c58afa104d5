/*
 * pin.c - admin PIN hashing (salted, iterated SHA-256) and verification.
 *
 * Owns the stored PIN format. Never keeps a PIN in memory beyond the call,
 * never logs one. The SHA-256 is the project's one FIPS 180-4 implementation
 * (sha256.c, checked in tests/test_sha256.c); the rate limit and lockout
 * (app.c) are what make a short PIN acceptable.
 */
#include "pin.h"
#include "sha256.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int pin_valid(const char *pin, struct err *err)
{
    size_t n = strlen(pin);
    if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS)
        return err_set(err, "the admin PIN must have %d to %d digits", PIN_MIN_DIGITS,
                       PIN_MAX_DIGITS);
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return err_set(err, "the admin PIN must be digits only");
    return 0;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[b[i] >> 4];
        out[2 * i + 1] = d[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void derive(const unsigned char salt[16], const char *pin, unsigned char out[32])
{
    unsigned char buf[16 + PIN_MAX_DIGITS + 32];
    size_t n = strlen(pin);
    memcpy(buf, salt, 16);
    memcpy(buf + 16, pin, n);
    sha256(buf, 16 + n, out);
    for (int i = 1; i < PIN_ROUNDS; i++) {
        memcpy(buf + 16, out, 32);
        sha256(buf, 48, out);
    }
    memset(buf, 0, sizeof(buf));
}

int pin_hash(const char *pin, char out[PIN_HASH_TEXT_MAX], struct err *err)
{
    unsigned char salt[16], h[32];
    char salt_hex[33], h_hex[65];
    size_t got = 0;
    out[0] = '\0';
    if (pin_valid(pin, err) < 0)
        return -1;
    while (got < sizeof(salt)) {
        ssize_t n = getrandom(salt + got, sizeof(salt) - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return err_set(err, "no random source for the PIN salt");
        }
        got += (size_t)n;
    }
    derive(salt, pin, h);
    hex(salt, 16, salt_hex);
    hex(h, 32, h_hex);
    snprintf(out, PIN_HASH_TEXT_MAX, "s1$%s$%s", salt_hex, h_hex);
    return 0;
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++) {
            char c = s[2 * i + j];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= (unsigned)(c - 'a' + 10);
            else
                return -1;
        }
        out[i] = (unsigned char)v;
    }
    return 0;
}

int pin_verify(const char *pin, const char *stored)
{
    unsigned char salt[16], want[32], got[32];
    unsigned diff = 0;
    if (pin_valid(pin, NULL) < 0 || strlen(stored) != 3 + 32 + 1 + 64 ||
        strncmp(stored, "s1$", 3) != 0 || stored[35] != '$' || unhex(stored + 3, salt, 16) < 0 ||
        unhex(stored + 36, want, 32) < 0)
        return 0;
    derive(salt, pin, got);
    for (int i = 0; i < 32; i++)
        diff |= (unsigned)(want[i] ^ got[i]);
    return diff == 0;
}
