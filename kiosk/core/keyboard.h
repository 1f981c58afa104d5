/*
 * keyboard.h - the on-screen keyboard's layouts: which keys a layer has,
 * where they go, what each one types, and the shift rules.
 *
 * Three layers: letters (QWERTZ for de, AZERTY for fr, QWERTY for en and
 * es, with ñ on the Spanish one), symbols ("?123") and accented Latin
 * letters ("àé"). Every key has a stable ASCII widget id (kb_a, kb_e_uml,
 * kb_colon, ...) whatever the layer or language puts it, so event scripts
 * say `tap kb_e_uml` and the README can list them. The app draws the keys
 * and acts on them; this module only lays them out.
 */
#ifndef KIOSK_KEYBOARD_H
#define KIOSK_KEYBOARD_H

#include "ui.h"

#define KEYBOARD_KEYS_MAX 72 /* the largest layer (accents) has 56 keys */
#define KEYBOARD_ROWS     5
#define KEYBOARD_ID_MAX   24

enum keyboard_layer { KEYBOARD_LETTERS, KEYBOARD_SYMBOLS, KEYBOARD_ACCENTS, KEYBOARD_NLAYERS };

enum keyboard_kind {
    KEYBOARD_CHAR,  /* types lower, or upper under shift */
    KEYBOARD_SHIFT, /* letters and accents layers only */
    KEYBOARD_BACK,  /* deletes one whole character */
    KEYBOARD_SPACE,
    KEYBOARD_CANCEL,
    KEYBOARD_DONE,
    KEYBOARD_TO_LETTERS, /* "ABC" */
    KEYBOARD_TO_SYMBOLS, /* "?123" */
    KEYBOARD_TO_ACCENTS  /* "àé" */
};

/* Shift states. A tap on shift goes off -> once -> locked -> off; a tap on
 * an automatic capital turns it off. */
enum {
    KEYBOARD_SHIFT_OFF,
    KEYBOARD_SHIFT_ONCE, /* the next character only (tapped) */
    KEYBOARD_SHIFT_LOCK, /* until shift is tapped again */
    KEYBOARD_SHIFT_AUTO  /* the next character only (start of a text or sentence) */
};

struct keyboard_key {
    enum keyboard_kind kind;
    char id[KEYBOARD_ID_MAX]; /* "kb_..." */
    char lower[8], upper[8];  /* CHAR: the UTF-8 character typed; "" otherwise */
    struct ui_rect r;
};

/* Lay out layer for UI language lang ("de", "fr", "es"; anything else gets
 * English QWERTY) in kb, gap pixels between keys, five rows filling kb.h.
 * Cancel and done are side pixels wide (what their labels need), kept
 * between two and three keys. Writes at most max keys to out; returns how
 * many, or -1 when out is too small (nothing usable written). Key ids are
 * unique within a layer. */
int keyboard_layout(const char *lang, enum keyboard_layer layer, struct ui_rect kb, int gap,
                    int side, struct keyboard_key *out, int max);

/* Height the keyboard takes in an area w x avail: five rows of keys at
 * least min_key high (when avail leaves the text at least a quarter), as
 * the 62% it had before otherwise, but never keys much taller than wide
 * (portrait). */
int keyboard_height(int w, int avail, int gap, int min_key);

/* The gap between keys for a UI unit (1/100 of the short screen side). */
int keyboard_gap(int unit);

/* What key k types in shift state shift (NULL for a key that types nothing). */
const char *keyboard_text(const struct keyboard_key *k, int shift);

/* 1 when text ends where a capital is expected: empty, after a newline,
 * or after ". ", "! ", "? " (an opening ¿ or ¡ may follow), else 0. */
int keyboard_sentence_start(const char *text);

/* Shift state after shift is tapped in state s. */
int keyboard_shift_tap(int s);

/* Shift state after text changed to text in state s (typed: 1 a character
 * was added, 0 one was deleted): a lock stays, and so does a tapped shift
 * nothing was typed with yet; else automatic at a sentence start, off
 * elsewhere. */
int keyboard_shift_after(int s, const char *text, int typed);

#endif
