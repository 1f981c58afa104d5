/*
 * json.c - strict JSON reader into a caller-supplied token array.
 *
 * Owns: the grammar check (RFC 8259, strict), depth and token bounds, and
 * string unescaping. Recursion depth is bounded by max_depth, so a hostile
 * "[[[[..." costs at most that many stack frames.
 * Never: allocates, accepts a document with anything after the root value,
 * or returns a string that is not valid UTF-8.
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

struct parser {
    struct json *j;
    size_t pos;
    int max_depth;
    char *reason;
    size_t reason_size;
    int failed;
};

static int fail(struct parser *p, const char *what)
{
    if (!p->failed && p->reason && p->reason_size > 0)
        snprintf(p->reason, p->reason_size, "malformed JSON: %s at byte %zu", what, p->pos);
    p->failed = 1;
    return -1;
}

static void skip_ws(struct parser *p)
{
    const char *t = p->j->text;
    while (p->pos < p->j->len &&
           (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r'))
        p->pos++;
}

static int new_tok(struct parser *p, enum json_type type)
{
    struct json *j = p->j;
    if (j->ntoks >= j->cap)
        return fail(p, "too many values");
    j->toks[j->ntoks].type = type;
    j->toks[j->ntoks].start = p->pos;
    j->toks[j->ntoks].end = p->pos;
    j->toks[j->ntoks].count = 0;
    j->toks[j->ntoks].next = j->ntoks + 1;
    return j->ntoks++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Validate a string body starting after the opening quote; leaves pos after
 * the closing quote. */
static int parse_string(struct parser *p)
{
    const struct json *j = p->j;
    const unsigned char *t = (const unsigned char *)j->text;
    int idx = new_tok(p, JSON_STRING);
    if (idx < 0)
        return -1;
    j->toks[idx].start = p->pos;
    while (p->pos < j->len) {
        unsigned char c = t[p->pos];
        if (c == '"') {
            j->toks[idx].end = p->pos;
            p->pos++;
            return 0;
        }
        if (c < 0x20)
            return fail(p, "control character in string");
        if (c == '\\') {
            unsigned cp, lo;
            if (p->pos + 1 >= j->len)
                break;
            c = t[p->pos + 1];
            if (strchr("\"\\/bfnrt", c) && c) {
                p->pos += 2;
                continue;
            }
            if (c != 'u' || p->pos + 6 > j->len || hex4(j->text + p->pos + 2, &cp) < 0)
                return fail(p, "bad escape");
            p->pos += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(p, "lone low surrogate");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p->pos + 6 > j->len || t[p->pos] != '\\' || t[p->pos + 1] != 'u' ||
                    hex4(j->text + p->pos + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                    return fail(p, "lone high surrogate");
                p->pos += 6;
            }
            continue;
        }
        {
            size_t n = utf8_seq(t + p->pos, j->len - p->pos);
            if (n == 0)
                return fail(p, "invalid UTF-8");
            p->pos += n;
        }
    }
    return fail(p, "unterminated string");
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(struct parser *p)
{
    const struct json *j = p->j;
    const char *t = j->text;
    int idx = new_tok(p, JSON_NUMBER);
    if (idx < 0)
        return -1;
    if (p->pos < j->len && t[p->pos] == '-')
        p->pos++;
    if (p->pos >= j->len || !is_digit(t[p->pos]))
        return fail(p, "bad number");
    if (t[p->pos] == '0') {
        p->pos++;
        if (p->pos < j->len && is_digit(t[p->pos]))
            return fail(p, "leading zero");
    } else {
        while (p->pos < j->len && is_digit(t[p->pos]))
            p->pos++;
    }
    if (p->pos < j->len && t[p->pos] == '.') {
        p->pos++;
        if (p->pos >= j->len || !is_digit(t[p->pos]))
            return fail(p, "bad fraction");
        while (p->pos < j->len && is_digit(t[p->pos]))
            p->pos++;
    }
    if (p->pos < j->len && (t[p->pos] == 'e' || t[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < j->len && (t[p->pos] == '+' || t[p->pos] == '-'))
            p->pos++;
        if (p->pos >= j->len || !is_digit(t[p->pos]))
            return fail(p, "bad exponent");
        while (p->pos < j->len && is_digit(t[p->pos]))
            p->pos++;
    }
    j->toks[idx].end = p->pos;
    return 0;
}

static int parse_literal(struct parser *p, const char *word, enum json_type type)
{
    size_t n = strlen(word);
    int idx;
    if (p->pos + n > p->j->len || memcmp(p->j->text + p->pos, word, n) != 0)
        return fail(p, "unexpected character");
    idx = new_tok(p, type);
    if (idx < 0)
        return -1;
    p->pos += n;
    p->j->toks[idx].end = p->pos;
    return 0;
}

static int parse_value(struct parser *p, int depth);

static int parse_container(struct parser *p, int depth, int object)
{
    struct json *j = p->j;
    int idx = new_tok(p, object ? JSON_OBJECT : JSON_ARRAY);
    char close = object ? '}' : ']';
    if (idx < 0)
        return -1;
    if (depth >= p->max_depth)
        return fail(p, "nesting too deep");
    p->pos++; /* the opening bracket */
    skip_ws(p);
    if (p->pos < j->len && j->text[p->pos] == close) {
        p->pos++;
        goto done;
    }
    for (;;) {
        skip_ws(p);
        if (object) {
            if (p->pos >= j->len || j->text[p->pos] != '"')
                return fail(p, "expected a member name");
            p->pos++;
            if (parse_string(p) < 0)
                return -1;
            skip_ws(p);
            if (p->pos >= j->len || j->text[p->pos] != ':')
                return fail(p, "expected ':'");
            p->pos++;
        }
        if (parse_value(p, depth + 1) < 0)
            return -1;
        j->toks[idx].count++;
        skip_ws(p);
        if (p->pos >= j->len)
            return fail(p, "unexpected end");
        if (j->text[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (j->text[p->pos] == close) {
            p->pos++;
            break;
        }
        return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
done:
    j->toks[idx].end = p->pos;
    j->toks[idx].next = j->ntoks;
    return 0;
}

static int parse_value(struct parser *p, int depth)
{
    const struct json *j = p->j;
    skip_ws(p);
    if (p->pos >= j->len)
        return fail(p, "unexpected end");
    switch (j->text[p->pos]) {
    case '{':
        return parse_container(p, depth, 1);
    case '[':
        return parse_container(p, depth, 0);
    case '"':
        p->pos++;
        return parse_string(p);
    case 't':
        return parse_literal(p, "true", JSON_TRUE);
    case 'f':
        return parse_literal(p, "false", JSON_FALSE);
    case 'n':
        return parse_literal(p, "null", JSON_NULL);
    default:
        if (j->text[p->pos] == '-' || is_digit(j->text[p->pos]))
            return parse_number(p);
        return fail(p, "unexpected character");
    }
}

int json_parse(struct json *j, const char *text, size_t len, struct json_tok *toks, int cap,
               int max_depth, char *reason, size_t reason_size)
{
    struct parser p = {j,      0,           max_depth > 0 ? max_depth : JSON_DEPTH_DEFAULT,
                       reason, reason_size, 0};
    j->text = text;
    j->len = len;
    j->toks = toks;
    j->ntoks = 0;
    j->cap = cap;
    if (parse_value(&p, 0) < 0)
        goto fail;
    skip_ws(&p);
    if (p.pos != len) {
        fail(&p, "trailing data");
        goto fail;
    }
    return 0;
fail:
    j->ntoks = 0;
    return -1;
}

int json_at(const struct json *j, int arr, int i)
{
    int t;
    if (arr < 0 || arr >= j->ntoks || j->toks[arr].type != JSON_ARRAY || i < 0 ||
        i >= j->toks[arr].count)
        return -1;
    t = arr + 1;
    while (i-- > 0)
        t = j->toks[t].next;
    return t;
}

int json_get(const struct json *j, int obj, const char *key)
{
    char name[256];
    int t;
    if (obj < 0 || obj >= j->ntoks || j->toks[obj].type != JSON_OBJECT)
        return -1;
    t = obj + 1;
    for (int m = 0; m < j->toks[obj].count; m++) {
        int value = t + 1;
        if (json_string(j, t, name, sizeof(name)) >= 0 && strcmp(name, key) == 0)
            return value;
        t = j->toks[value].next;
    }
    return -1;
}

int json_string(const struct json *j, int t, char *buf, size_t size)
{
    const struct json_tok *k;
    size_t used = 0;
    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (t < 0 || t >= j->ntoks || j->toks[t].type != JSON_STRING)
        return -1;
    k = &j->toks[t];
    for (size_t i = k->start; i < k->end;) {
        char enc[4];
        size_t n = 1;
        const char *src = j->text + i;
        if (j->text[i] == '\\') {
            char c = j->text[i + 1];
            unsigned cp, lo;
            i += 2;
            switch (c) {
            case 'b':
                enc[0] = '\b';
                break;
            case 'f':
                enc[0] = '\f';
                break;
            case 'n':
                enc[0] = '\n';
                break;
            case 'r':
                enc[0] = '\r';
                break;
            case 't':
                enc[0] = '\t';
                break;
            case 'u':
                /* json_parse validated the escapes and surrogate pairs. */
                hex4(j->text + i, &cp);
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    hex4(j->text + i + 2, &lo);
                    i += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                if (cp == 0)
                    goto fail;
                n = utf8_encode(cp, enc);
                break;
            default:
                enc[0] = c;
                break;
            }
            src = enc;
        } else {
            n = utf8_seq((const unsigned char *)src, k->end - i);
            if (n == 0)
                goto fail;
            i += n;
        }
        if (used + n >= size)
            goto fail;
        memcpy(buf + used, src, n);
        used += n;
    }
    buf[used] = '\0';
    return (int)used;
fail:
    buf[0] = '\0';
    return -1;
}

int json_scalar(const struct json *j, int t, char *buf, size_t size)
{
    size_t n;
    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (t < 0 || t >= j->ntoks)
        return -1;
    switch (j->toks[t].type) {
    case JSON_STRING:
        return json_string(j, t, buf, size);
    case JSON_NUMBER:
    case JSON_TRUE:
    case JSON_FALSE:
        n = j->toks[t].end - j->toks[t].start;
        if (n >= size)
            return -1;
        memcpy(buf, j->text + j->toks[t].start, n);
        buf[n] = '\0';
        return (int)n;
    default:
        return -1;
    }
}
