/*
 * pin.c - admin PIN hashing (salted, iterated SHA-256) and verification.
 *
 * Owns the stored PIN format. Never keeps a PIN in memory beyond the call,
 * never logs one. The SHA-256 here is a plain FIPS 180-4 implementation
 * checked against the standard test vectors in tests/test_app.c; the rate
 * limit and lockout (app.c) are what make a short PIN acceptable.
 */
#include "pin.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void pin_sha256(const void *data, size_t len, unsigned char out[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    unsigned char tail[128];
    size_t full = len / 64 * 64, rest = len - full, tlen;
    uint64_t bits = (uint64_t)len * 8;
    for (size_t i = 0; i < full; i += 64)
        block(h, p + i);
    memset(tail, 0, sizeof(tail));
    memcpy(tail, p + full, rest);
    tail[rest] = 0x80;
    tlen = rest + 1 + 8 <= 64 ? 64 : 128;
    for (int i = 0; i < 8; i++)
        tail[tlen - 1 - i] = (unsigned char)(bits >> (8 * i));
    block(h, tail);
    if (tlen == 128)
        block(h, tail + 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h[i] >> 8);
        out[4 * i + 3] = (unsigned char)h[i];
    }
}

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
    pin_sha256(buf, 16 + n, out);
    for (int i = 1; i < PIN_ROUNDS; i++) {
        memcpy(buf + 16, out, 32);
        pin_sha256(buf, 48, out);
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
