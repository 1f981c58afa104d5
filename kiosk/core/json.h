/*
 * json.h - a small strict JSON reader (RFC 8259) with bounded depth.
 *
 * json_parse checks a whole document and records it as a flat array of
 * tokens supplied by the caller (no allocation). Lookups walk that array;
 * strings are unescaped on demand into caller buffers. Used for JSON badges.
 */
#ifndef KIOSK_JSON_H
#define KIOSK_JSON_H

#include <stddef.h>

enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
};

struct json_tok {
    enum json_type type;
    size_t start, end; /* byte span in the text; strings exclude the quotes */
    int count;         /* arrays: elements; objects: members (key/value pairs) */
    int next;          /* index of the first token after this value's subtree */
};

struct json {
    const char *text;
    size_t len;
    struct json_tok *toks;
    int ntoks, cap;
};

/* Deepest nesting json_parse accepts when max_depth is 0. */
#define JSON_DEPTH_DEFAULT 16

/*
 * Parse text[0..len) strictly: one value surrounded by optional whitespace,
 * no trailing commas, no comments, no leading zeros, no control characters
 * or invalid UTF-8 or lone surrogate escapes in strings, nesting at most
 * max_depth (0 = JSON_DEPTH_DEFAULT), at most cap tokens. Object members
 * are stored as key token then value token; token 0 is the root.
 * Returns 0, or -1 with one sentence in reason (may be NULL) naming the
 * byte offset. j borrows text and toks; it owns nothing.
 */
int json_parse(struct json *j, const char *text, size_t len, struct json_tok *toks, int cap,
               int max_depth, char *reason, size_t reason_size);

/* Index of the value of member key (exact, case-sensitive, compared after
 * unescaping) in object token obj, or -1 if obj is not an object or has no
 * such member. With duplicate keys, the first wins. */
int json_get(const struct json *j, int obj, const char *key);

/* The i-th element of array token arr, or -1. */
int json_at(const struct json *j, int arr, int i);

/* Unescape string token t into buf as UTF-8 with a NUL. Returns the length,
 * or -1 if t is not a string, contains \u0000, or does not fit (buf then
 * holds ""). */
int json_string(const struct json *j, int t, char *buf, size_t size);

/* Copy a scalar (string unescaped, number as written, true/false) into buf.
 * Returns the length, or -1 for null/arrays/objects or when it does not fit. */
int json_scalar(const struct json *j, int t, char *buf, size_t size);

#endif
