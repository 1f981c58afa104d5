/*
 * fuzz_json.c - libFuzzer target for the JSON reader (kiosk/core/json.c).
 *
 * The first byte picks the token cap (1..256) and the depth limit (1..16);
 * the rest is the document. Promises checked, not only "no crash":
 * - a refused document leaves no tokens and a reason naming a byte offset
 *   inside the text;
 * - an accepted one has a well-formed token tree: spans inside the text,
 *   "next" pointers that skip exactly a subtree, counts that match the
 *   children, object keys that are strings, nesting within the limit;
 * - json_at and json_get find exactly the children the tree holds (the
 *   first of duplicate keys), and nothing past them;
 * - every string unescapes to valid UTF-8 with no NUL inside (or is
 *   refused only for \u0000 or lack of room), json_scalar agrees;
 * - written back out as JSON, the document parses again to the same tree
 *   with the same strings (unescaping loses nothing);
 * - strict means strict: a second, independent checker written here from
 *   RFC 8259 (and Unicode's table of well-formed UTF-8) must agree on
 *   every document, given the same depth and token limits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TOKS_MAX 256
#define STR_MAX  4096
#define OUT_MAX  65536

static char str_a[STR_MAX], str_b[STR_MAX];

/* Does the raw string token t contain the escape \u0000? */
static int has_nul_escape(const struct json *j, int t)
{
    const struct json_tok *k = &j->toks[t];
    for (size_t i = k->start; i < k->end; i++) {
        if (j->text[i] == '\\') {
            if (j->text[i + 1] == 'u' && memcmp(j->text + i + 2, "0000", 4) == 0)
                return 1;
            i++; /* skip the escaped character */
        }
    }
    return 0;
}

/* Check the subtree at t (at depth) and return the index after it. */
static int walk(const struct json *j, int t, int depth, int max_depth)
{
    const struct json_tok *k;
    int child, n;

    if (t < 0 || t >= j->ntoks)
        __builtin_trap();
    k = &j->toks[t];
    if (k->start > k->end || k->end > j->len || k->next <= t || k->next > j->ntoks)
        __builtin_trap();
    switch (k->type) {
    case JSON_ARRAY:
    case JSON_OBJECT:
        if (depth >= max_depth || k->count < 0)
            __builtin_trap();
        child = t + 1;
        n = 0;
        while (child < k->next) {
            if (k->type == JSON_OBJECT) {
                if (j->toks[child].type != JSON_STRING || j->toks[child].next != child + 1)
                    __builtin_trap();
                child = walk(j, child, depth + 1, max_depth); /* the key */
            } else if (json_at(j, t, n) != child) {
                __builtin_trap();
            }
            child = walk(j, child, depth + 1, max_depth);
            n++;
        }
        if (child != k->next || n != k->count)
            __builtin_trap();
        if (json_at(j, t, n) != -1 || json_at(j, t, -1) != -1)
            __builtin_trap();
        if (k->type == JSON_OBJECT) {
            /* json_get finds each key's first occurrence. */
            int key = t + 1;
            for (int m = 0; m < k->count; m++) {
                int len = json_string(j, key, str_a, sizeof(str_a));
                if (len >= 0 && strlen(str_a) < 256) {
                    int first = t + 1, got = json_get(j, t, str_a);
                    for (;;) {
                        if (json_string(j, first, str_b, sizeof(str_b)) >= 0 &&
                            strcmp(str_a, str_b) == 0)
                            break;
                        first = j->toks[first + 1].next;
                    }
                    if (got != first + 1)
                        __builtin_trap();
                }
                key = j->toks[key + 1].next;
            }
        } else if (json_get(j, t, "") != -1) {
            __builtin_trap();
        }
        return k->next;
    case JSON_STRING: {
        int len = json_string(j, t, str_a, sizeof(str_a));
        int len2 = json_scalar(j, t, str_b, sizeof(str_b));
        if (len != len2 || (len >= 0 && strcmp(str_a, str_b) != 0))
            __builtin_trap();
        if (len >= 0 && ((size_t)len != strlen(str_a) || !utf8_valid(str_a, (size_t)len)))
            __builtin_trap();
        /* Refused only for \u0000 or a string too long for the buffer
         * (raw text at most 6 bytes per character escaped, 4 encoded). */
        if (len < 0 && str_a[0] != '\0')
            __builtin_trap();
        if (len < 0 && !has_nul_escape(j, t) && k->end - k->start < sizeof(str_a))
            __builtin_trap();
        if (k->next != t + 1 || json_at(j, t, 0) != -1 || json_get(j, t, "") != -1)
            __builtin_trap();
        return k->next;
    }
    case JSON_NUMBER:
    case JSON_TRUE:
    case JSON_FALSE:
    case JSON_NULL: {
        int len = json_scalar(j, t, str_a, sizeof(str_a));
        size_t span = k->end - k->start;
        if (k->type == JSON_NULL
                ? len != -1
                : (len < 0 || (size_t)len != span || memcmp(str_a, j->text + k->start, span) != 0))
            __builtin_trap();
        if (k->type == JSON_TRUE && span != 4)
            __builtin_trap();
        if (k->type == JSON_FALSE && span != 5)
            __builtin_trap();
        if (k->type == JSON_NULL && (span != 4 || memcmp(j->text + k->start, "null", 4) != 0))
            __builtin_trap();
        if (json_string(j, t, str_b, sizeof(str_b)) != -1 || k->next != t + 1)
            __builtin_trap();
        return k->next;
    }
    default:
        __builtin_trap();
    }
}

/* --- the independent checker ------------------------------------------ */

struct ref {
    const unsigned char *s;
    size_t n, i;
    int values, deepest;
};

static void ref_ws(struct ref *r)
{
    while (r->i < r->n && strchr(" \t\n\r", r->s[r->i]) && r->s[r->i])
        r->i++;
}

static int ref_hex(struct ref *r, unsigned *v)
{
    *v = 0;
    if (r->n - r->i < 4)
        return 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = r->s[r->i++];
        if (c >= '0' && c <= '9')
            *v = *v * 16 + (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            *v = *v * 16 + (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            *v = *v * 16 + (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    return 1;
}

/* One well-formed UTF-8 sequence (Unicode 15, table 3-7) at r->i. */
static int ref_utf8(struct ref *r)
{
    static const struct {
        unsigned char lead_lo, lead_hi, next_lo, next_hi;
        int len;
    } t[] = {
        {0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
        {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
        {0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4},
    };
    unsigned char c = r->s[r->i];
    for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        if (c < t[k].lead_lo || c > t[k].lead_hi)
            continue;
        if (r->n - r->i < (size_t)t[k].len || r->s[r->i + 1] < t[k].next_lo ||
            r->s[r->i + 1] > t[k].next_hi)
            return 0;
        for (int m = 2; m < t[k].len; m++)
            if (r->s[r->i + m] < 0x80 || r->s[r->i + m] > 0xBF)
                return 0;
        r->i += (size_t)t[k].len;
        return 1;
    }
    return 0;
}

static int ref_string(struct ref *r)
{
    r->i++; /* the opening quote */
    while (r->i < r->n) {
        unsigned char c = r->s[r->i];
        unsigned v, lo;
        if (c == '"') {
            r->i++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c >= 0x80) {
            if (!ref_utf8(r))
                return 0;
            continue;
        }
        r->i++;
        if (c != '\\')
            continue;
        if (r->i >= r->n)
            return 0;
        c = r->s[r->i++];
        if (c != 'u') {
            if (!c || !strchr("\"\\/bfnrt", c))
                return 0;
            continue;
        }
        if (!ref_hex(r, &v) || (v >= 0xDC00 && v <= 0xDFFF))
            return 0;
        if (v >= 0xD800 && v <= 0xDBFF) { /* must pair with a low surrogate */
            if (r->n - r->i < 2 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
                return 0;
            r->i += 2;
            if (!ref_hex(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                return 0;
        }
    }
    return 0;
}

static size_t ref_digits(struct ref *r)
{
    size_t start = r->i;
    while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
        r->i++;
    return r->i - start;
}

static int ref_number(struct ref *r)
{
    size_t first;
    if (r->s[r->i] == '-')
        r->i++;
    first = r->i;
    if (ref_digits(r) == 0 || (r->s[first] == '0' && r->i - first > 1))
        return 0;
    if (r->i < r->n && r->s[r->i] == '.') {
        r->i++;
        if (ref_digits(r) == 0)
            return 0;
    }
    if (r->i < r->n && (r->s[r->i] | 0x20) == 'e') {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
            r->i++;
        if (ref_digits(r) == 0)
            return 0;
    }
    return 1;
}

static int ref_value(struct ref *r, int level)
{
    static const char *const words[] = {"true", "false", "null"};
    unsigned char c;
    ref_ws(r);
    if (r->i >= r->n)
        return 0;
    r->values++;
    c = r->s[r->i];
    if (c == '"')
        return ref_string(r);
    if (c == '-' || (c >= '0' && c <= '9'))
        return ref_number(r);
    for (int k = 0; k < 3; k++) {
        size_t len = strlen(words[k]);
        if (r->n - r->i >= len && memcmp(r->s + r->i, words[k], len) == 0) {
            r->i += len;
            return 1;
        }
    }
    if (c != '[' && c != '{')
        return 0;
    if (level + 1 > r->deepest)
        r->deepest = level + 1;
    if (level + 1 > 64)
        return 0; /* deeper than any limit here: refused either way */
    r->i++;
    ref_ws(r);
    if (r->i < r->n && r->s[r->i] == (c == '[' ? ']' : '}')) {
        r->i++;
        return 1;
    }
    for (;;) {
        if (c == '{') {
            ref_ws(r);
            if (r->i >= r->n || r->s[r->i] != '"')
                return 0;
            r->values++; /* the member name is a token too */
            if (!ref_string(r))
                return 0;
            ref_ws(r);
            if (r->i >= r->n || r->s[r->i] != ':')
                return 0;
            r->i++;
        }
        if (!ref_value(r, level + 1))
            return 0;
        ref_ws(r);
        if (r->i >= r->n)
            return 0;
        if (r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->s[r->i] != (c == '[' ? ']' : '}'))
            return 0;
        r->i++;
        return 1;
    }
}

/* 1 if text is one JSON value within the limits, else 0. */
static int ref_accepts(const uint8_t *text, size_t len, int cap, int max_depth)
{
    struct ref r = {text, len, 0, 0, 0};
    if (!ref_value(&r, 0))
        return 0;
    ref_ws(&r);
    return r.i == len && r.values <= cap && r.deepest <= max_depth;
}

/* --- writing back -------------------------------------------------------- */

struct out {
    char *buf;
    size_t len, cap;
    int full;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        o->full = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* Write token t back as JSON (strings re-escaped from their unescaped
 * value). Returns the index after it; sets o->full when a string cannot be
 * unescaped (\u0000) or the output does not fit, so no comparison is made. */
static int emit(const struct json *j, int t, struct out *o)
{
    const struct json_tok *k = &j->toks[t];
    if (k->type == JSON_STRING) {
        int len = json_string(j, t, str_a, sizeof(str_a));
        if (len < 0) {
            o->full = 1;
            return t + 1;
        }
        put(o, "\"", 1);
        for (int i = 0; i < len; i++) {
            unsigned char c = (unsigned char)str_a[i];
            char esc[8];
            if (c == '"' || c == '\\') {
                esc[0] = '\\', esc[1] = (char)c;
                put(o, esc, 2);
            } else if (c < 0x20) {
                snprintf(esc, sizeof(esc), "\\u%04x", c);
                put(o, esc, 6);
            } else {
                put(o, (const char *)&str_a[i], 1);
            }
        }
        put(o, "\"", 1);
        return t + 1;
    }
    if (k->type == JSON_ARRAY || k->type == JSON_OBJECT) {
        int child = t + 1;
        put(o, k->type == JSON_ARRAY ? "[" : "{", 1);
        for (int m = 0; m < k->count; m++) {
            if (m)
                put(o, ",", 1);
            if (k->type == JSON_OBJECT) {
                child = emit(j, child, o);
                put(o, ":", 1);
            }
            child = emit(j, child, o);
        }
        put(o, k->type == JSON_ARRAY ? "]" : "}", 1);
        return k->next;
    }
    put(o, j->text + k->start, k->end - k->start);
    return t + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct json_tok toks[TOKS_MAX], toks2[TOKS_MAX];
    struct json j, j2;
    char reason[128];
    int cap, depth, r;
    struct out o;

    if (size < 1)
        return 0;
    cap = 1 + data[0] % TOKS_MAX;
    depth = 1 + (data[0] >> 4) % JSON_DEPTH_DEFAULT;
    data++, size--;
    memset(reason, 'x', sizeof(reason));
    reason[sizeof(reason) - 1] = '\0';
    r = json_parse(&j, (const char *)data, size, toks, cap, depth, reason, sizeof(reason));
    if ((r == 0) != ref_accepts(data, size, cap, depth))
        __builtin_trap();
    if (r != 0) {
        const char *at = strstr(reason, "at byte ");
        if (r != -1 || j.ntoks != 0 || strncmp(reason, "malformed JSON: ", 16) != 0 || !at ||
            strtoul(at + 8, NULL, 10) > size)
            __builtin_trap();
        return 0;
    }
    if (j.ntoks < 1 || j.ntoks > cap)
        __builtin_trap();
    if (walk(&j, 0, 0, depth) != j.ntoks || j.toks[0].next != j.ntoks)
        __builtin_trap();

    /* Round trip: our own rendering must parse back to the same tree. */
    o.cap = OUT_MAX;
    o.buf = malloc(o.cap);
    o.len = 0;
    o.full = 0;
    if (!o.buf)
        return 0;
    emit(&j, 0, &o);
    if (!o.full) {
        if (json_parse(&j2, o.buf, o.len, toks2, cap, depth, reason, sizeof(reason)) != 0 ||
            j2.ntoks != j.ntoks)
            __builtin_trap();
        for (int t = 0; t < j.ntoks; t++) {
            if (j.toks[t].type != j2.toks[t].type || j.toks[t].count != j2.toks[t].count ||
                j.toks[t].next != j2.toks[t].next)
                __builtin_trap();
            if (j.toks[t].type == JSON_STRING) {
                json_string(&j, t, str_a, sizeof(str_a));
                json_string(&j2, t, str_b, sizeof(str_b));
                if (strcmp(str_a, str_b) != 0)
                    __builtin_trap();
            }
        }
    }
    free(o.buf);
    return 0;
}
