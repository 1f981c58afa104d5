/*
 * test_keyboard.c - the on-screen keyboard's layouts: every layer of every
 * language has unique, script-friendly ids, keys inside the keyboard and
 * apart, one whole character per key with its capital, the letters the
 * languages need, the QWERTZ/AZERTY/QWERTY row order, and the shift and
 * automatic-capital rules. (test_app drives the keyboard through the app.)
 */
#include <stdio.h>
#include <string.h>

#include "keyboard.h"
#include "test.h"
#include "utf8.h"

static const char *const langs[] = {"en", "de", "fr", "es", "pt"};

static const struct keyboard_key *find(const struct keyboard_key *k, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(k[i].id, id) == 0)
            return &k[i];
    return NULL;
}

/* Key typing c (lower case), or NULL. */
static const struct keyboard_key *typing(const struct keyboard_key *k, int n, const char *c)
{
    for (int i = 0; i < n; i++)
        if (k[i].kind == KEYBOARD_CHAR && strcmp(k[i].lower, c) == 0)
            return &k[i];
    return NULL;
}

static int overlap(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int one_char(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && utf8_seq((const unsigned char *)s, n) == n;
}

/* Structure of every layer, at a few keyboard sizes. */
static void test_layers(void)
{
    static const struct ui_rect sizes[] = {
        {8, 190, 784, 282}, {20, 470, 1880, 590}, {20, 1400, 1040, 500}, {0, 0, 300, 100}};
    struct keyboard_key k[KEYBOARD_KEYS_MAX];
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
        for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++)
            for (int layer = 0; layer < KEYBOARD_NLAYERS; layer++) {
                struct ui_rect kb = sizes[s];
                int n = keyboard_layout(langs[l], (enum keyboard_layer)layer, kb, 4, (int)s * 400,
                                        k, KEYBOARD_KEYS_MAX);
                int bad = 0, chars = 0;
                CHECK(n > 40);
                for (int i = 0; i < n; i++) {
                    struct ui_rect r = k[i].r;
                    CHECK(strncmp(k[i].id, "kb_", 3) == 0);
                    for (const char *p = k[i].id; *p; p++)
                        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
                            bad++;
                    if (r.w <= 0 || r.h <= 0 || r.x < kb.x || r.y < kb.y ||
                        r.x + r.w > kb.x + kb.w || r.y + r.h > kb.y + kb.h)
                        bad++;
                    for (int j = 0; j < i; j++)
                        if (strcmp(k[i].id, k[j].id) == 0 || overlap(k[i].r, k[j].r)) {
                            fprintf(stderr, "  %s/%d: %s and %s\n", langs[l], layer, k[i].id,
                                    k[j].id);
                            bad++;
                        }
                    if (k[i].kind == KEYBOARD_CHAR) {
                        chars++;
                        if (!one_char(k[i].lower) || !one_char(k[i].upper))
                            bad++;
                    } else if (k[i].lower[0] || keyboard_text(&k[i], 0) != NULL) {
                        bad += k[i].kind != KEYBOARD_SPACE;
                    }
                }
                CHECK(bad == 0);
                CHECK(chars >= 40);
                /* Every layer has the editing keys and a way to the other two. */
                CHECK(find(k, n, "kb_back") && find(k, n, "kb_space") && find(k, n, "kb_done") &&
                      find(k, n, "kb_cancel") && find(k, n, "kb_at"));
                CHECK((find(k, n, "kb_shift") != NULL) == (layer != KEYBOARD_SYMBOLS));
                CHECK((find(k, n, "kb_letters") != NULL) == (layer != KEYBOARD_LETTERS));
                CHECK((find(k, n, "kb_symbols") != NULL) == (layer != KEYBOARD_SYMBOLS));
                CHECK((find(k, n, "kb_accents") != NULL) == (layer != KEYBOARD_ACCENTS));
            }
    /* Too small an output array is refused, not overrun. */
    CHECK(keyboard_layout("en", KEYBOARD_ACCENTS, sizes[0], 4, 0, k, 20) == -1);
}

/* What the languages need is on the layers. */
static void test_contents(void)
{
    static const char *const accented[] = {
        "ä", "ö", "ü", "ß", "à", "â", "æ", "ç", "é", "è", "ê", "ë", "î", "ï", "ô", "œ",
        "ù", "û", "ÿ", "ñ", "á", "í", "ó", "ú", "ł", "ą", "ę", "ś", "ć", "ź", "ż", "č",
        "ř", "š", "ž", "ě", "ů", "å", "ø", "ã", "õ", "ì", "ò", "ń", "ň", "ď", "ť", "ý"};
    static const char *const symbols[] = {"?", "!", "/", ":", "&",  "+", "(", ")", "#",
                                          "%", "@", "¿", "¡", "\"", "'", ";", "*", "=",
                                          "_", "€", ",", ".", "-",  "0", "9"};
    struct keyboard_key k[KEYBOARD_KEYS_MAX];
    struct ui_rect kb = {0, 0, 1000, 400};
    const struct keyboard_key *a, *b;
    int n = keyboard_layout("en", KEYBOARD_ACCENTS, kb, 4, 0, k, KEYBOARD_KEYS_MAX);
    for (size_t i = 0; i < sizeof(accented) / sizeof(accented[0]); i++) {
        a = typing(k, n, accented[i]);
        CHECK(a != NULL);
        if (a && strcmp(accented[i], "ß") != 0)
            CHECK(strcmp(a->upper, a->lower) != 0);
    }
    a = find(k, n, "kb_e_uml");
    CHECK(a && strcmp(a->lower, "ë") == 0 && strcmp(a->upper, "Ë") == 0);
    a = find(k, n, "kb_l_stroke");
    CHECK(a && strcmp(keyboard_text(a, KEYBOARD_SHIFT_ONCE), "Ł") == 0);
    a = find(k, n, "kb_sz");
    CHECK(a && strcmp(a->upper, "ẞ") == 0);
    n = keyboard_layout("en", KEYBOARD_SYMBOLS, kb, 4, 0, k, KEYBOARD_KEYS_MAX);
    for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
        CHECK(typing(k, n, symbols[i]) != NULL);
    a = find(k, n, "kb_colon");
    CHECK(a && strcmp(keyboard_text(a, KEYBOARD_SHIFT_LOCK), ":") == 0);

    /* de: QWERTZ with the umlauts and ß; z between t and u, y bottom left. */
    n = keyboard_layout("de", KEYBOARD_LETTERS, kb, 4, 0, k, KEYBOARD_KEYS_MAX);
    a = find(k, n, "kb_z"), b = find(k, n, "kb_t");
    CHECK(a && b && a->r.y == b->r.y && a->r.x > b->r.x);
    a = find(k, n, "kb_y"), b = find(k, n, "kb_x");
    CHECK(a && b && a->r.y == b->r.y && a->r.x < b->r.x);
    CHECK(find(k, n, "kb_a_uml") && find(k, n, "kb_o_uml") && find(k, n, "kb_u_uml") &&
          find(k, n, "kb_sz"));
    /* fr: AZERTY; q under a, m beside l, w bottom left. */
    n = keyboard_layout("fr", KEYBOARD_LETTERS, kb, 4, 0, k, KEYBOARD_KEYS_MAX);
    a = find(k, n, "kb_a"), b = find(k, n, "kb_z");
    CHECK(a && b && a->r.y == b->r.y && a->r.x < b->r.x && b->r.y == find(k, n, "kb_e")->r.y);
    a = find(k, n, "kb_q"), b = find(k, n, "kb_m");
    CHECK(a && b && a->r.y == b->r.y && a->r.y == find(k, n, "kb_l")->r.y);
    CHECK(find(k, n, "kb_w")->r.y == find(k, n, "kb_n")->r.y);
    CHECK(find(k, n, "kb_e_acute") && find(k, n, "kb_c_cedil"));
    /* es: QWERTY with ñ after l; en: QWERTY without it. */
    n = keyboard_layout("es", KEYBOARD_LETTERS, kb, 4, 0, k, KEYBOARD_KEYS_MAX);
    a = find(k, n, "kb_n_tilde"), b = find(k, n, "kb_l");
    CHECK(a && b && a->r.y == b->r.y && a->r.x > b->r.x);
    CHECK(find(k, n, "kb_y")->r.y == find(k, n, "kb_t")->r.y);
    /* ... and its accented vowels one tap away. */
    CHECK(find(k, n, "kb_a_acute") && find(k, n, "kb_e_acute") && find(k, n, "kb_i_acute") &&
          find(k, n, "kb_o_acute") && find(k, n, "kb_u_acute") && find(k, n, "kb_u_uml"));
    n = keyboard_layout("en", KEYBOARD_LETTERS, kb, 4, 0, k, KEYBOARD_KEYS_MAX);
    CHECK(find(k, n, "kb_n_tilde") == NULL && find(k, n, "kb_apos") != NULL);
    CHECK(find(k, n, "kb_y")->r.y == find(k, n, "kb_t")->r.y);
    CHECK(strcmp(keyboard_text(find(k, n, "kb_q"), KEYBOARD_SHIFT_AUTO), "Q") == 0);
    CHECK(strcmp(keyboard_text(find(k, n, "kb_q"), KEYBOARD_SHIFT_OFF), "q") == 0);
    CHECK(strcmp(keyboard_text(find(k, n, "kb_space"), KEYBOARD_SHIFT_ONCE), " ") == 0);
    /* Cancel and done: two keys wide, wider for their labels up to three. */
    {
        int kw = find(k, n, "kb_q")->r.w, two = find(k, n, "kb_cancel")->r.w;
        CHECK(two == kw * 2 + 4 && find(k, n, "kb_done")->r.w == two);
        n = keyboard_layout("en", KEYBOARD_LETTERS, kb, 4, kw * 5 / 2, k, KEYBOARD_KEYS_MAX);
        CHECK(find(k, n, "kb_cancel")->r.w == kw * 5 / 2 &&
              find(k, n, "kb_done")->r.w == kw * 5 / 2);
        n = keyboard_layout("en", KEYBOARD_LETTERS, kb, 4, 5000, k, KEYBOARD_KEYS_MAX);
        CHECK(find(k, n, "kb_cancel")->r.w == kw * 3 + 8);
    }
    CHECK(keyboard_text(find(k, n, "kb_shift"), 0) == NULL);
}

/* Keys stay finger-sized: five rows of at least min_key where the screen
 * leaves the text a quarter, never taller than 5/4 of their width beyond it. */
static void test_height(void)
{
    /* The 7" 800x480 panel (the area under the top bar, gap 3, target 53). */
    int h = keyboard_height(784, 408, 3, 53);
    CHECK(h == 5 * 53 + 4 * 3);
    /* 1920x1080: the 62% it always had. */
    h = keyboard_height(1880, 980, 7, 75);
    CHECK(h >= 980 * 60 / 100 && h <= 980 * 62 / 100);
    /* 1080x1920 portrait: keys no taller than 5/4 of a letter key's width. */
    h = keyboard_height(1040, 1820, 7, 75);
    CHECK((h - 4 * 7) / 5 <= (1040 - 12 * 7) / 13 * 5 / 4);
    CHECK((h - 4 * 7) / 5 >= 75);
    /* A window too low for targets: the text keeps a quarter. */
    h = keyboard_height(784, 200, 3, 53);
    CHECK(h <= 150);
    CHECK(keyboard_gap(4) == 3 && keyboard_gap(10) == 7 && keyboard_gap(1) == 2);
}

static void test_shift(void)
{
    CHECK(keyboard_sentence_start(""));
    CHECK(keyboard_sentence_start("Hi. "));
    CHECK(keyboard_sentence_start("Really?  "));
    CHECK(keyboard_sentence_start("Wow! "));
    CHECK(keyboard_sentence_start("line\n"));
    CHECK(keyboard_sentence_start("¿"));
    CHECK(keyboard_sentence_start("Vale. ¡"));
    CHECK(!keyboard_sentence_start("Hi."));
    CHECK(!keyboard_sentence_start("a@b.eu"));
    CHECK(!keyboard_sentence_start("10:30 "));
    CHECK(!keyboard_sentence_start("Zoë "));
    CHECK(!keyboard_sentence_start("x¿"));
    CHECK(keyboard_shift_tap(KEYBOARD_SHIFT_OFF) == KEYBOARD_SHIFT_ONCE);
    CHECK(keyboard_shift_tap(KEYBOARD_SHIFT_ONCE) == KEYBOARD_SHIFT_LOCK);
    CHECK(keyboard_shift_tap(KEYBOARD_SHIFT_LOCK) == KEYBOARD_SHIFT_OFF);
    CHECK(keyboard_shift_tap(KEYBOARD_SHIFT_AUTO) == KEYBOARD_SHIFT_OFF);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_ONCE, "Z", 1) == KEYBOARD_SHIFT_OFF);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_AUTO, "Z", 1) == KEYBOARD_SHIFT_OFF);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_LOCK, "Z", 1) == KEYBOARD_SHIFT_LOCK);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_OFF, "Ok. ", 1) == KEYBOARD_SHIFT_AUTO);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_ONCE, "Ok", 0) == KEYBOARD_SHIFT_ONCE);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_AUTO, "Ok", 0) == KEYBOARD_SHIFT_OFF);
    CHECK(keyboard_shift_after(KEYBOARD_SHIFT_OFF, "", 0) == KEYBOARD_SHIFT_AUTO);
}

int main(void)
{
    test_layers();
    test_contents();
    test_height();
    test_shift();
    return test_done();
}
