/*
 * pin.h - the admin PIN: salted, iterated SHA-256, never stored in clear.
 *
 * A stored PIN is one line of text: "s1$SALT_HEX$HASH_HEX" where HASH is
 * SHA-256 applied PIN_ROUNDS times over salt || pin. Pure: no I/O besides
 * asking the kernel for salt bytes.
 */
#ifndef KIOSK_PIN_H
#define KIOSK_PIN_H

#include <stddef.h>

#include "err.h"

#define PIN_MIN_DIGITS 4
#define PIN_MAX_DIGITS 12
#define PIN_ROUNDS 20000
#define PIN_HASH_TEXT_MAX 128

/* 0 if pin is 4-12 ASCII digits, else -1 with a reason in err. */
int pin_valid(const char *pin, struct err *err);

/* Hash pin with a fresh random salt into out (PIN_HASH_TEXT_MAX bytes).
 * Returns 0, or -1 when the pin is invalid (out empty). */
int pin_hash(const char *pin, char out[PIN_HASH_TEXT_MAX], struct err *err);

/* 1 when pin matches stored, 0 when not (or stored is malformed). Compares
 * in constant time. */
int pin_verify(const char *pin, const char *stored);

#endif
