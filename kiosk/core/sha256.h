/*
 * sha256.h - SHA-256 (FIPS 180-4), the one implementation in the project.
 *
 * Used for admin PIN hashing (pin.c) and for the tombstones of forgotten
 * references (store_privacy.c). Pure: no I/O, no allocation.
 */
#ifndef KIOSK_SHA256_H
#define KIOSK_SHA256_H

#include <stddef.h>

#define SHA256_LEN 32
#define SHA256_HEX_LEN 65 /* 64 lowercase hex digits + NUL */

/* Digest of the len bytes at data into out. data may be NULL when len is 0.
 * Cannot fail. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);

/* The same digest as 64 lowercase hex digits + NUL in out. Cannot fail. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);

#endif
