/*
 * utf8.h - UTF-8 validation and Latin-1 / Windows-1252 transcoding.
 *
 * Pure byte handling used by the badge, vCard, JSON and roster readers.
 */
#ifndef KIOSK_UTF8_H
#define KIOSK_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence starting at s with avail bytes
 * available, or 0 when it is invalid (overlong, surrogate, > U+10FFFF,
 * truncated, stray continuation byte). */
size_t utf8_seq(const unsigned char *s, size_t avail);

/* 1 if s[0..len) is entirely valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t len);

/* Encode code point cp (must be <= U+10FFFF and not a surrogate) into out
 * (at least 4 bytes). Returns the byte count, or 0 when cp is invalid. */
size_t utf8_encode(unsigned cp, char *out);

/* Transcode Windows-1252 (a superset of the printable ISO-8859-1 range)
 * bytes s[0..len) to UTF-8 in out with a NUL. Returns the length, or -1 if
 * it does not fit (out then holds "") or a byte is undefined in 1252. */
int utf8_from_cp1252(const char *s, size_t len, char *out, size_t size);

#endif
