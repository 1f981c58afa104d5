/*
 * keyboard.c - layouts of the on-screen keyboard (see keyboard.h).
 *
 * Owns: the rows of each layer and language, the key ids, the upper case
 * of every letter on them, and the geometry (a grid of equal keys; shift
 * and backspace 1.5 keys wide; a bottom row with cancel, the layer keys,
 * @, space and done). Never: draws, reads input or touches the text being
 * edited; the app does that with what keyboard_layout returns.
 *
 * Start reading at the row tables. Rows are UTF-8 strings, one character
 * per key; every character that is not an ASCII letter or digit has a row
 * in `named` giving its id and its capital. The source holds the
 * characters themselves (not escapes): this table is read by people.
 */
#include "keyboard.h"

#include <string.h>

#include "utf8.h"

/* The tables read as grids: no reformatting. */
/* clang-format off */
/* Rows 0-2 are centred; row 3 sits between shift and backspace. */
static const char *const rows_en[4] = {"1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.-"};
/* es: the five accented vowels and ü on the main layer (one tap each, as
 * common as ñ in names and notes). */
static const char *const rows_es[4] = {"1234567890úü", "qwertyuiopáé", "asdfghjklñíó",
                                       "zxcvbnm,.-"};
static const char *const rows_de[4] = {"1234567890ß", "qwertzuiopü", "asdfghjklöä", "yxcvbnm,.-"};
static const char *const rows_fr[4] = {"1234567890", "azertyuiopéè", "qsdfghjklmàç",
                                       "wxcvbn',.-"};
/* Symbols: no shift; row 3 starts at the left edge. @ is on the bottom row. */
static const char *const rows_sym[4] = {"1234567890", "#%&+-=*/\\(){}", "?!:;\"'_~[]<>",
                                        ",.¿¡€$£°§^|"};
/* Accented Latin letters for de fr es pt it nl pl cs da/no/sv, by base letter. */
static const char *const rows_acc[4] = {"àáâäãåąæçćčď", "èéêëęěìíîïłñńň", "òóôöõøœřśšß",
                                        "ťùúûüůýÿźżž"};

static const struct {
    const char *lower, *upper, *name;
} named[] = {
    /* punctuation and symbols (no capital) */
    {"'", NULL, "apos"}, {",", NULL, "comma"}, {".", NULL, "dot"}, {"-", NULL, "dash"},
    {"@", NULL, "at"}, {"#", NULL, "hash"}, {"%", NULL, "percent"}, {"&", NULL, "amp"},
    {"+", NULL, "plus"}, {"=", NULL, "equals"}, {"*", NULL, "star"}, {"/", NULL, "slash"},
    {"\\", NULL, "backslash"}, {"(", NULL, "lparen"}, {")", NULL, "rparen"},
    {"{", NULL, "lbrace"}, {"}", NULL, "rbrace"}, {"?", NULL, "question"}, {"!", NULL, "excl"},
    {":", NULL, "colon"}, {";", NULL, "semicolon"}, {"\"", NULL, "quote"},
    {"_", NULL, "underscore"}, {"~", NULL, "tilde"}, {"[", NULL, "lbracket"},
    {"]", NULL, "rbracket"}, {"<", NULL, "lt"}, {">", NULL, "gt"}, {"¿", NULL, "iquest"},
    {"¡", NULL, "iexcl"}, {"€", NULL, "euro"}, {"$", NULL, "dollar"}, {"£", NULL, "pound"},
    {"°", NULL, "degree"}, {"§", NULL, "section"}, {"^", NULL, "caret"}, {"|", NULL, "bar"},
    /* letters */
    {"à", "À", "a_grave"}, {"á", "Á", "a_acute"}, {"â", "Â", "a_circ"}, {"ä", "Ä", "a_uml"},
    {"ã", "Ã", "a_tilde"}, {"å", "Å", "a_ring"}, {"ą", "Ą", "a_ogonek"}, {"æ", "Æ", "ae"},
    {"ç", "Ç", "c_cedil"}, {"ć", "Ć", "c_acute"}, {"č", "Č", "c_caron"}, {"ď", "Ď", "d_caron"},
    {"è", "È", "e_grave"}, {"é", "É", "e_acute"}, {"ê", "Ê", "e_circ"}, {"ë", "Ë", "e_uml"},
    {"ę", "Ę", "e_ogonek"}, {"ě", "Ě", "e_caron"}, {"ì", "Ì", "i_grave"}, {"í", "Í", "i_acute"},
    {"î", "Î", "i_circ"}, {"ï", "Ï", "i_uml"}, {"ł", "Ł", "l_stroke"}, {"ñ", "Ñ", "n_tilde"},
    {"ń", "Ń", "n_acute"}, {"ň", "Ň", "n_caron"}, {"ò", "Ò", "o_grave"}, {"ó", "Ó", "o_acute"},
    {"ô", "Ô", "o_circ"}, {"ö", "Ö", "o_uml"}, {"õ", "Õ", "o_tilde"}, {"ø", "Ø", "o_stroke"},
    {"œ", "Œ", "oe"}, {"ř", "Ř", "r_caron"}, {"ś", "Ś", "s_acute"}, {"š", "Š", "s_caron"},
    {"ß", "ẞ", "sz"}, {"ť", "Ť", "t_caron"}, {"ù", "Ù", "u_grave"}, {"ú", "Ú", "u_acute"},
    {"û", "Û", "u_circ"}, {"ü", "Ü", "u_uml"}, {"ů", "Ů", "u_ring"}, {"ý", "Ý", "y_acute"},
    {"ÿ", "Ÿ", "y_uml"}, {"ź", "Ź", "z_acute"}, {"ż", "Ż", "z_dot"}, {"ž", "Ž", "z_caron"},
};

/* clang-format on */

static const char *const *rows_for(const char *lang, enum keyboard_layer layer)
{
    if (layer == KEYBOARD_SYMBOLS)
        return rows_sym;
    if (layer == KEYBOARD_ACCENTS)
        return rows_acc;
    if (lang && strcmp(lang, "de") == 0)
        return rows_de;
    if (lang && strcmp(lang, "fr") == 0)
        return rows_fr;
    if (lang && strcmp(lang, "es") == 0)
        return rows_es;
    return rows_en;
}

/* Characters in a row (the tables are valid UTF-8). */
static int row_len(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Fill k as the character key for c (m bytes); 0, or -1 if c is unknown. */
static int char_key(struct keyboard_key *k, const char *c, size_t m)
{
    memset(k, 0, sizeof(*k));
    k->kind = KEYBOARD_CHAR;
    memcpy(k->lower, c, m);
    memcpy(k->upper, c, m);
    if (m == 1 && ((c[0] >= 'a' && c[0] <= 'z') || (c[0] >= '0' && c[0] <= '9'))) {
        if (c[0] >= 'a' && c[0] <= 'z')
            k->upper[0] = (char)(c[0] - 'a' + 'A');
        memcpy(k->id, "kb_", 3);
        k->id[3] = c[0];
        return 0;
    }
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (strlen(named[i].lower) == m && memcmp(named[i].lower, c, m) == 0) {
            if (named[i].upper)
                memcpy(k->upper, named[i].upper, strlen(named[i].upper) + 1);
            memcpy(k->id, "kb_", 3);
            memcpy(k->id + 3, named[i].name, strlen(named[i].name) + 1);
            return 0;
        }
    return -1;
}

static struct keyboard_key *add(struct keyboard_key *out, int max, int *n, enum keyboard_kind kind,
                                const char *id, int x, int y, int w, int h)
{
    struct keyboard_key *k;
    if (*n >= max)
        return NULL;
    k = &out[(*n)++];
    memset(k, 0, sizeof(*k));
    k->kind = kind;
    if (id)
        memcpy(k->id, id, strlen(id) + 1);
    k->r.x = x, k->r.y = y, k->r.w = w, k->r.h = h;
    return k;
}

/* Lay out the characters of row s from x, keys kw wide. */
static int add_chars(struct keyboard_key *out, int max, int *n, const char *s, int x, int y, int kw,
                     int kh, int gap)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t m = utf8_seq((const unsigned char *)s + i, len - i);
        struct keyboard_key *k;
        if (m == 0 || *n >= max)
            return -1;
        k = &out[*n];
        if (char_key(k, s + i, m) != 0)
            return -1;
        k->r.x = x, k->r.y = y, k->r.w = kw, k->r.h = kh;
        (*n)++;
        x += kw + gap;
        i += m;
    }
    return 0;
}

int keyboard_layout(const char *lang, enum keyboard_layer layer, struct ui_rect kb, int gap,
                    int side, struct keyboard_key *out, int max)
{
    const char *const *rows = rows_for(lang, layer);
    int units = 13, kw, kh, wide, n = 0, y, x, shift = layer != KEYBOARD_SYMBOLS;
    for (int r = 0; r < 4; r++) {
        int u = row_len(rows[r]) + (r < 3 ? 0 : shift ? 3 : 2); /* shift and back 1.5 each */
        if (u > units)
            units = u;
    }
    kw = (kb.w - (units - 1) * gap) / units;
    kh = (kb.h - (KEYBOARD_ROWS - 1) * gap) / KEYBOARD_ROWS;
    wide = (kw * 3 + gap) / 2; /* 1.5 keys */
    for (int r = 0; r < 3; r++) {
        int c = row_len(rows[r]);
        y = kb.y + r * (kh + gap);
        x = kb.x + (kb.w - (c * kw + (c - 1) * gap)) / 2;
        if (add_chars(out, max, &n, rows[r], x, y, kw, kh, gap) != 0)
            return -1;
    }
    y = kb.y + 3 * (kh + gap);
    {
        int c = row_len(rows[3]), left = kb.x + (shift ? wide + gap : 0);
        int right = kb.x + kb.w - wide - gap; /* the span between shift and backspace */
        if (shift && !add(out, max, &n, KEYBOARD_SHIFT, "kb_shift", kb.x, y, wide, kh))
            return -1;
        x = left + (right - left - (c * kw + (c - 1) * gap)) / 2;
        if (add_chars(out, max, &n, rows[3], x, y, kw, kh, gap) != 0)
            return -1;
        if (!add(out, max, &n, KEYBOARD_BACK, "kb_back", kb.x + kb.w - wide, y, wide, kh))
            return -1;
    }
    y = kb.y + 4 * (kh + gap);
    {
        /* Cancel, two layer keys, @, space (the rest), done. */
        int two = side, end;
        enum keyboard_kind k1 = KEYBOARD_TO_SYMBOLS, k2 = KEYBOARD_TO_ACCENTS;
        if (two < kw * 2 + gap)
            two = kw * 2 + gap;
        if (two > kw * 3 + gap * 2)
            two = kw * 3 + gap * 2;
        end = kb.x + kb.w - two;
        if (layer == KEYBOARD_SYMBOLS)
            k1 = KEYBOARD_TO_LETTERS;
        if (layer == KEYBOARD_ACCENTS)
            k2 = KEYBOARD_TO_LETTERS;
        x = kb.x;
        if (!add(out, max, &n, KEYBOARD_CANCEL, "kb_cancel", x, y, two, kh))
            return -1;
        x += two + gap;
        if (!add(out, max, &n, k1, k1 == KEYBOARD_TO_LETTERS ? "kb_letters" : "kb_symbols", x, y,
                 wide, kh))
            return -1;
        x += wide + gap;
        if (!add(out, max, &n, k2, k2 == KEYBOARD_TO_LETTERS ? "kb_letters" : "kb_accents", x, y,
                 wide, kh))
            return -1;
        x += wide + gap;
        if (add_chars(out, max, &n, "@", x, y, kw, kh, gap) != 0)
            return -1;
        x += kw + gap;
        if (!add(out, max, &n, KEYBOARD_SPACE, "kb_space", x, y, end - gap - x, kh))
            return -1;
        if (!add(out, max, &n, KEYBOARD_DONE, "kb_done", end, y, two, kh))
            return -1;
    }
    return n;
}

int keyboard_gap(int unit)
{
    int g = unit * 3 / 4;
    return g < 2 ? 2 : g;
}

int keyboard_height(int w, int avail, int gap, int min_key)
{
    int kw = (w - 12 * gap) / 13, kh = (avail * 62 / 100 - 4 * gap) / 5;
    int tallest = kw * 5 / 4 > min_key ? kw * 5 / 4 : min_key;
    int most = (avail * 3 / 4 - 4 * gap) / 5; /* the text keeps a quarter */
    if (kh > tallest)
        kh = tallest;
    if (kh < min_key)
        kh = min_key;
    if (kh > most)
        kh = most;
    if (kh < 1)
        kh = 1;
    return 5 * kh + 4 * gap;
}

const char *keyboard_text(const struct keyboard_key *k, int shift)
{
    if (k->kind == KEYBOARD_SPACE)
        return " ";
    if (k->kind != KEYBOARD_CHAR)
        return NULL;
    return shift != KEYBOARD_SHIFT_OFF ? k->upper : k->lower;
}

int keyboard_sentence_start(const char *text)
{
    size_t n = strlen(text), spaces = 0;
    /* An opening ¿ or ¡ (C2 BF, C2 A1) keeps the capital for the word after it. */
    while (n >= 2 && (unsigned char)text[n - 2] == 0xC2 &&
           ((unsigned char)text[n - 1] == 0xBF || (unsigned char)text[n - 1] == 0xA1))
        n -= 2;
    while (n > 0 && text[n - 1] == ' ')
        n--, spaces++;
    if (n == 0 || text[n - 1] == '\n')
        return 1;
    return spaces > 0 && (text[n - 1] == '.' || text[n - 1] == '!' || text[n - 1] == '?');
}

int keyboard_shift_tap(int s)
{
    if (s == KEYBOARD_SHIFT_OFF)
        return KEYBOARD_SHIFT_ONCE;
    if (s == KEYBOARD_SHIFT_ONCE)
        return KEYBOARD_SHIFT_LOCK;
    return KEYBOARD_SHIFT_OFF;
}

int keyboard_shift_after(int s, const char *text, int typed)
{
    if (s == KEYBOARD_SHIFT_LOCK || (!typed && s == KEYBOARD_SHIFT_ONCE))
        return s;
    return keyboard_sentence_start(text) ? KEYBOARD_SHIFT_AUTO : KEYBOARD_SHIFT_OFF;
}
