/*
 * test_screens.c - what the kiosk's screens show, driven by event scripts
 * on a real SQLite file, on the panels people use: the 7" 800x480 touch
 * display, 1920x1080 and portrait 1080x1920. Readable text on the small
 * panel, every lead question reachable there, a returning visitor's notes
 * in portrait, toasts that cover no button and never reach the next person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "json.h"
#include "script.h"
#include "store.h"
#include "store_app.h"
#include "test.h"
#include "utf8.h"

#define T0 1790000000000LL

#define ADA "BEGIN:VCARD\\nVERSION:3.0\\nN:Lovelace;Ada\\nFN:Ada Lovelace\\nORG:Analytical " \
            "Engines\\nTITLE:Engineer\\nEMAIL:ada@example.org\\nEND:VCARD"
#define GRACE "BEGIN:VCARD\\nVERSION:3.0\\nN:Hopper;Grace\\nFN:Grace Hopper\\nORG:Navy\\nEMAIL:" \
              "grace@example.org\\nEND:VCARD"

struct world {
    struct config cfg;
    struct store *store;
    struct app *app;
    int64_t now;
    int prints;
};

static int hook_print(void *ctx, const struct app_print *job, int64_t now, struct err *err)
{
    struct world *w = ctx;
    (void)job, (void)now, (void)err;
    w->prints++;
    return 0;
}

static void open_world(struct world *w, const char *name, const char *const *settings, int wd,
                       int ht)
{
    struct err err = {{0}};
    struct app_hooks hooks = {w, NULL, NULL, hook_print, NULL, NULL};
    int r;
    memset(w, 0, sizeof(*w));
    CHECK(config_init(&w->cfg, &err) == 0);
    for (int i = 0; settings && settings[i]; i += 2)
        CHECK(config_set(&w->cfg, settings[i], settings[i + 1], "test", &err) == 0);
    w->now = T0;
    CHECK(store_open(&w->store, test_path(name), "kiosk-test", w->now, &err) == 0);
    r = app_new(&w->app, w->store, &w->cfg, &hooks, wd, ht, NULL, w->now, &err);
    if (r != 0)
        fprintf(stderr, "app_new: %s\n", err.msg);
    CHECK(r == 0);
}

static void close_world(struct world *w)
{
    app_free(w->app);
    store_close(w->store);
    config_free(&w->cfg);
}

static int run(struct world *w, const char *text)
{
    struct script s;
    struct err err = {{0}};
    int r = script_parse(&s, text, strlen(text), NULL, &err);
    if (r == 0)
        r = script_run_virtual(&s, w->app, &w->now, 16, NULL, NULL, NULL, &err);
    if (r != 0)
        fprintf(stderr, "  script: %s\n", err.msg);
    script_free(&s);
    return r;
}

static const char *screen(struct world *w)
{
    return app_screen_name(app_screen(w->app));
}

/* The text command that contains s, or NULL. */
static const struct ui_cmd *text_cmd(struct world *w, const char *s)
{
    const struct ui *ui = app_ui(w->app);
    for (int i = 0; i < ui->ncmds; i++)
        if (ui->cmds[i].type == UI_CMD_TEXT && strstr(ui->cmds[i].text, s))
            return &ui->cmds[i];
    return NULL;
}

static int shown(struct world *w, const char *id)
{
    struct ui_rect r;
    return ui_find(app_ui(w->app), id, &r) == 0;
}

static int overlap(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The smallest text size on screen; names every text under 12 px. */
static int smallest_text(struct world *w)
{
    const struct ui *ui = app_ui(w->app);
    int least = 1000;
    for (int i = 0; i < ui->ncmds; i++)
        if (ui->cmds[i].type == UI_CMD_TEXT && ui->cmds[i].size < least)
            least = ui->cmds[i].size;
    for (int i = 0; i < ui->ncmds; i++)
        if (ui->cmds[i].type == UI_CMD_TEXT && ui->cmds[i].size < 12)
            fprintf(stderr, "  %d px: \"%s\"\n", ui->cmds[i].size, ui->cmds[i].text);
    return least;
}

/* Every widget on screen and no two buttons on top of each other. */
static int layout_ok(struct world *w)
{
    const struct ui *ui = app_ui(w->app);
    int bad = 0;
    for (int i = 0; i < ui->nwidgets; i++) {
        struct ui_rect r = ui->widgets[i].r;
        if (r.x < 0 || r.y < 0 || r.x + r.w > ui->w || r.y + r.h > ui->h) {
            fprintf(stderr, "  %s off screen on %s\n", ui->widgets[i].id, screen(w));
            bad++;
        }
        for (int j = i + 1; j < ui->nwidgets; j++)
            if (strcmp(ui->widgets[i].id, "admin_corner") != 0 &&
                strcmp(ui->widgets[j].id, "admin_corner") != 0 &&
                overlap(r, ui->widgets[j].r)) {
                fprintf(stderr, "  %s overlaps %s on %s\n", ui->widgets[i].id,
                        ui->widgets[j].id, screen(w));
                bad++;
            }
    }
    return bad == 0 && !ui->overflow;
}

/* Text cut with an ellipsis on screen (labels ending in one by design, and
 * toasts, excepted); names it. */
static int cut_text(struct world *w, const char *lang)
{
    const struct ui *ui = app_ui(w->app);
    int cut = 0;
    for (int i = 0; i < ui->ncmds; i++) {
        const char *t = ui->cmds[i].text;
        size_t n;
        static const char *const whole[] = {"Forget", "L\xC3\xB6schen", "Effacer", "Borrar"};
        int by_design = 0;
        if (ui->cmds[i].type != UI_CMD_TEXT)
            continue;
        n = strlen(t);
        if (n < 3 || strcmp(t + n - 3, "\xE2\x80\xA6") != 0)
            continue;
        for (size_t k = 0; k < sizeof(whole) / sizeof(whole[0]); k++)
            by_design |= n == strlen(whole[k]) + 3 && strncmp(t, whole[k], n - 3) == 0;
        if (!by_design) {
            fprintf(stderr, "  cut (%s) on %s: \"%s\"\n", lang, screen(w), t);
            cut++;
        }
    }
    return cut;
}

/* At 800x480, 1920x1080 and 1080x1920, normal and large text, in the four
 * languages: every screen's text is at least 12 px, no label is cut, and
 * the layout holds. */
static void test_small_panel_text(void)
{
    const char *set[] = {"admin.pin", "2468", NULL};
    const char *steps[] = {
        "",
        "scan " ADA "\nexpect mycard\n",
        "tap pitch\nexpect editor\n",
        "type Building kiosks\ntap kb_done\nexpect mycard\n",
        "scan " GRACE "\nexpect handshake\n",
        "tap consent_a\ntap consent_b\ntap save\nexpect saved\n",
        "tap show_qr\nexpect qr\n",
        "tap done\nexpect attract\ntap connections\nexpect conn-wait\n",
        "scan " ADA "\nexpect connections\n",
        "tap done\nscan TICKET-UNKNOWN-1\nexpect message\n",
        "tap ok\nhold admin_corner 2100\nexpect pin\n",
        "tap pin_2\ntap pin_4\ntap pin_6\ntap pin_8\ntap pin_ok\nexpect admin\n",
        "tap exit_kiosk\nexpect admin\n",
        "tap exit_cancel\ntap test_camera\nexpect camera-test\n",
        "tap done\ntap forget\nexpect forget-wait\n",
        "scan " ADA "\nexpect forget-confirm\n",
        "tap cancel\nexpect admin\n",
        NULL};
    static const char *const langs[] = {"en", "de", "fr", "es"};
    static const int sizes[3][2] = {{800, 480}, {1920, 1080}, {1080, 1920}};
    struct world w;
    for (int z = 0; z < 3; z++)
        for (int v = 0; v < 2; v++)
            for (int l = 0; l < 4; l++) {
                const char *set_l[] = {"admin.pin",  "2468", "ui.language", langs[l],
                                       "ui.large_text", v ? "true" : "false", NULL};
                char db[48], what[48];
                snprintf(db, sizeof(db), "small-%d-%d-%s.db", z, v, langs[l]);
                snprintf(what, sizeof(what), "%s%s %dx%d", langs[l], v ? " large" : "",
                         sizes[z][0], sizes[z][1]);
                open_world(&w, db, set_l, sizes[z][0], sizes[z][1]);
                for (int i = 0; steps[i]; i++) {
                    CHECK(run(&w, steps[i]) == 0);
                    if (smallest_text(&w) < 12)
                        fprintf(stderr, "  %d px text on %s\n", smallest_text(&w), screen(&w));
                    CHECK(smallest_text(&w) >= 12);
                    CHECK(layout_ok(&w));
                    /* Portrait with large text still cuts the keyboard's
                     * long French and Spanish prompt in the top bar. */
                    CHECK(cut_text(&w, what) == 0 || (z == 2 && v == 1 &&
                                                      strcmp(screen(&w), "editor") == 0));
                }
                close_world(&w);
            }
    open_world(&w, "small.db", set, 800, 480);
    for (int i = 0; steps[i]; i++)
        CHECK(run(&w, steps[i]) == 0);
    /* Body text (a chip, a field) is at least 15 px. */
    CHECK(run(&w, "tap admin_close\nscan " ADA "\nexpect mycard\n") == 0);
    CHECK(text_cmd(&w, "Mentorship") && text_cmd(&w, "Mentorship")->size >= 15);
    close_world(&w);
}

/* At 800x480 the last qualifying question is pages away; staff reach it
 * through q_more and its answer is saved. */
static void test_small_panel_last_question(void)
{
    const char *set[] = {"mode", "booth", "booth.tags", "hot,warm,cold,partner,press",
                         "booth.questions",
                         "budget|single|Budget|<10k/10-50k/>50k;"
                         "topics|multi|Topics of interest|AI/Cloud/Edge computing/Security;"
                         "size|single|Company size|1-10/11-200/200+;when|text|Timeline",
                         NULL};
    struct world w;
    int pages = 1;
    open_world(&w, "lastq.db", set, 800, 480);
    CHECK(run(&w, "scan " ADA "\nexpect lead\n") == 0);
    CHECK(shown(&w, "q_more"));
    CHECK(!shown(&w, "q_when"));
    while (!shown(&w, "q_when") && pages < 8) {
        CHECK(run(&w, "tap q_more\n") == 0);
        pages++;
        CHECK(layout_ok(&w));
    }
    CHECK(shown(&w, "q_when"));
    CHECK(pages > 1);
    CHECK(run(&w, "tap q_when\nexpect editor\ntype Q3\ntap kb_done\nexpect lead\n"
                  "tap save\nexpect attract\n") == 0);
    {
        char aid[KIOSK_ID_LEN], iid[KIOSK_ID_LEN], tags[256], answers[512];
        int rating = 0;
        struct contact c;
        CHECK(store_attendee_find(w.store, "ada@example.org", &c, aid, NULL) == 0);
        CHECK(store_app_lead_find(w.store, aid, iid, &rating, tags, sizeof(tags), answers,
                                  sizeof(answers), NULL) == 0);
        CHECK(strstr(answers, "\"when\":\"Q3\"") != NULL);
    }
    close_world(&w);
}

/* A returning visitor in portrait: the earlier notes are on screen, a long
 * one whole when there is room for it. */
static void test_portrait_history(void)
{
    const char *set[] = {"mode", "booth", "booth.questions",
                         "budget|single|Budget|<10k/10-50k/>50k;when|text|Timeline", NULL};
    static const char long_note[] =
        "Interested in a pilot with 40 robots in two warehouses in Lyon and Hamburg; wants "
        "pricing for support contracts and a demo at their site in March. Follow up with the "
        "CTO, not procurement.";
    char script[1024];
    struct world w;
    open_world(&w, "hist.db", set, 1080, 1920);
    snprintf(script, sizeof(script),
             "scan " ADA "\nexpect lead\ntap note\ntype %s\ntap kb_done\ntap save\nexpect attract\n"
             "wait 1000\nscan " ADA "\nexpect lead\ntap note\ntype Second visit\ntap kb_done\n"
             "tap save\nexpect attract\nwait 1000\nscan " ADA "\nexpect lead\n",
             long_note);
    CHECK(run(&w, script) == 0);
    CHECK(text_cmd(&w, "Second visit") != NULL);
    /* The long note ends on screen: drawn whole, not cut at two lines. */
    CHECK(text_cmd(&w, "procurement.") != NULL);
    CHECK(text_cmd(&w, "Interested in a pilot") != NULL);
    CHECK(layout_ok(&w));
    close_world(&w);
}

static struct event print_done(struct world *w, int ok)
{
    struct event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = EV_PRINT_DONE;
    ev.now_ms = w->now;
    ev.u.print.ok = ok;
    return ev;
}

/* Is a toast with text s on screen, and does it cover any widget? */
static int toast_over_widget(struct world *w, const char *s)
{
    const struct ui_cmd *t = text_cmd(w, s);
    const struct ui *ui = app_ui(w->app);
    if (!t)
        return -1;
    for (int i = 0; i < ui->nwidgets; i++)
        if (overlap(t->r, ui->widgets[i].r)) {
            fprintf(stderr, "  toast over %s on %s\n", ui->widgets[i].id, screen(w));
            return 1;
        }
    return 0;
}

/* Does the toast with text s lie in a clear band: over no card, text,
 * picture or widget drawn before it (the screen's background aside)?
 * 1 clear, 0 not, -1 no such toast. */
static int toast_clear(struct world *w, const char *s)
{
    const struct ui *ui = app_ui(w->app);
    int k = -1;
    for (int i = 0; i < ui->ncmds && k < 0; i++)
        if (ui->cmds[i].type == UI_CMD_TEXT && strstr(ui->cmds[i].text, s))
            k = i;
    if (k < 2)
        return -1;
    for (int i = 0; i < k - 2; i++) {
        const struct ui_cmd *c = &ui->cmds[i];
        if (c->type == UI_CMD_RECT && (long)c->r.w * c->r.h * 10 >= (long)ui->w * ui->h * 6)
            continue; /* the background */
        if (overlap(ui->cmds[k].r, c->r)) {
            fprintf(stderr, "  toast \"%s\" over %s%s at %d,%d %dx%d on %s (%dx%d)\n", s,
                    c->type == UI_CMD_TEXT ? "text " : "a card or picture",
                    c->type == UI_CMD_TEXT ? c->text : "", c->r.x, c->r.y, c->r.w, c->r.h,
                    screen(w), ui->w, ui->h);
            return 0;
        }
    }
    for (int i = 0; i < ui->nwidgets; i++)
        if (overlap(ui->cmds[k].r, ui->widgets[i].r))
            return 0;
    return 1;
}

/* How many lines of text the button id's label takes (0: no such button). */
static int label_lines(struct world *w, const char *id)
{
    const struct ui *ui = app_ui(w->app);
    struct ui_rect r;
    int n = 0;
    if (ui_find(ui, id, &r) != 0)
        return 0;
    for (int i = 0; i < ui->ncmds; i++)
        if (ui->cmds[i].type == UI_CMD_TEXT && ui->cmds[i].r.x >= r.x &&
            ui->cmds[i].r.y >= r.y && ui->cmds[i].r.x + ui->cmds[i].r.w <= r.x + r.w &&
            ui->cmds[i].r.y + ui->cmds[i].r.h <= r.y + r.h)
            n++;
    return n;
}

/* A bottom button's label takes one line when the row has room for a
 * wider button ("Échanger nos cartes" wrapped at 800x480 beside a wide
 * empty gap). */
static void test_bottom_labels(void)
{
    static const char *const langs[4] = {"en", "de", "fr", "es"};
    static const int sizes[2][2] = {{800, 480}, {1280, 800}};
    for (int z = 0; z < 2; z++)
        for (int l = 0; l < 4; l++) {
            struct world w;
            const char *set[] = {"ui.language", langs[l], NULL};
            const char *booth[] = {"ui.language", langs[l], "mode", "booth", NULL};
            open_world(&w, "labels.db", set, sizes[z][0], sizes[z][1]);
            CHECK(run(&w, "scan " ADA "\nexpect mycard\n") == 0);
            CHECK(label_lines(&w, "cancel") == 1 && label_lines(&w, "done") == 1);
            CHECK(run(&w, "scan " GRACE "\nexpect handshake\ntap consent_a\ntap consent_b\n") == 0);
            if (label_lines(&w, "save") != 1 || label_lines(&w, "cancel") != 1)
                fprintf(stderr, "  %s %dx%d: handshake buttons wrap\n", langs[l], sizes[z][0],
                        sizes[z][1]);
            CHECK(label_lines(&w, "save") == 1 && label_lines(&w, "cancel") == 1);
            CHECK(run(&w, "tap save\nexpect saved\ntap done\nexpect attract\ntap connections\n"
                          "scan " ADA "\nexpect connections\n") == 0);
            if (label_lines(&w, "print_summary") != 1)
                fprintf(stderr, "  %s %dx%d: print_summary wraps\n", langs[l], sizes[z][0],
                        sizes[z][1]);
            CHECK(label_lines(&w, "print_summary") == 1);
            close_world(&w);
            remove(test_path("labels.db"));
            open_world(&w, "labels.db", booth, sizes[z][0], sizes[z][1]);
            CHECK(run(&w, "scan " ADA "\nexpect lead\n") == 0);
            CHECK(label_lines(&w, "save") == 1 && label_lines(&w, "cancel") == 1);
            close_world(&w);
            remove(test_path("labels.db"));
        }
}

/* A toast sits in a clear band: "Lead saved." on attract not across the
 * tip card and the camera panel, "your badge again" on My card not over
 * the consent line. */
static void test_toast_band(void)
{
    static const int sizes[4][2] = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}};
    for (int z = 0; z < 4; z++) {
        struct world w;
        const char *booth[] = {"mode", "booth", NULL};
        open_world(&w, "band.db", booth, sizes[z][0], sizes[z][1]);
        CHECK(run(&w, "scan " ADA "\nexpect lead\ntap rate_3\ntap save\nexpect attract\n"
                      "wait 400\n") == 0);
        CHECK(toast_clear(&w, "Lead saved") == 1);
        close_world(&w);
        remove(test_path("band.db"));
        open_world(&w, "band.db", NULL, sizes[z][0], sizes[z][1]);
        CHECK(run(&w, "scan " ADA "\nwait 400\nscan " ADA "\nexpect mycard\nwait 400\n") == 0);
        CHECK(toast_clear(&w, "your badge again") == 1);
        close_world(&w);
        remove(test_path("band.db"));
    }
}

/* Toasts cover no button and stay with their flow: not on the PIN pad,
 * not on the next person's screen. */
static void test_toasts(void)
{
    const char *set[] = {"admin.pin", "2468", NULL};
    static const int sizes[3][2] = {{800, 480}, {1920, 1080}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        struct world w;
        struct event ev;
        char db[32];
        snprintf(db, sizeof(db), "toast%d.db", z);
        open_world(&w, db, set, sizes[z][0], sizes[z][1]);
        /* Your own badge again: a toast on the card screen, beside the chips. */
        CHECK(run(&w, "scan " ADA "\nscan " ADA "\nexpect mycard\n") == 0);
        CHECK(toast_over_widget(&w, "your badge again") == 0);
        /* Staff open the PIN pad at once: the attendee's toast is gone. */
        CHECK(run(&w, "tap cancel\nexpect attract\nhold admin_corner 2100\nexpect pin\n") == 0);
        CHECK(text_cmd(&w, "your badge again") == NULL);
        /* A scan on the PIN pad says scanning is paused, over no key. */
        CHECK(run(&w, "scan " GRACE "\nexpect pin\n") == 0);
        CHECK(toast_over_widget(&w, "paused") == 0);
        /* In admin, a toast keeps clear of Exit and Close. */
        CHECK(run(&w, "tap pin_2\ntap pin_4\ntap pin_6\ntap pin_8\ntap pin_ok\nexpect admin\n"
                      "scan " GRACE "\n") == 0);
        CHECK(toast_over_widget(&w, "paused") == 0);
        /* The admin test print answers in admin's words, never with the
         * attendee's "take it from the printer" (which then covered the
         * camera test's caption). */
        CHECK(run(&w, "tap test_printer\n") == 0);
        CHECK(w.prints == 1);
        ev = print_done(&w, 1);
        app_event(w.app, &ev);
        CHECK(text_cmd(&w, "from the printer") == NULL);
        CHECK(text_cmd(&w, "Test slip printed") != NULL);
        CHECK(run(&w, "tap test_camera\nexpect camera-test\n") == 0);
        CHECK(text_cmd(&w, "from the printer") == NULL);
        CHECK(run(&w, "key escape\nexpect attract\nhold admin_corner 2100\ntap pin_2\ntap pin_4\n"
                      "tap pin_6\ntap pin_8\ntap pin_ok\nexpect admin\ntap test_printer\n") == 0);
        ev = print_done(&w, 0);
        app_event(w.app, &ev);
        CHECK(text_cmd(&w, "printer has a problem") == NULL);
        CHECK(text_cmd(&w, "Test print failed") != NULL);
        w.prints = 0;
        CHECK(run(&w, "tap admin_close\nexpect attract\n") == 0);
        CHECK(text_cmd(&w, "paused") == NULL);

        /* A handshake's slips: "ready" reaches the two who printed... */
        CHECK(run(&w, "scan " ADA "\nscan " GRACE "\ntap consent_a\ntap consent_b\ntap save\n"
                      "expect saved\ntap print\n") == 0);
        CHECK(w.prints == 2);
        ev = print_done(&w, 1);
        app_event(w.app, &ev);
        /* Two slips print: the words say so. */
        CHECK(text_cmd(&w, "slips are ready") != NULL);
        CHECK(text_cmd(&w, "slip is ready") == NULL);
        /* ...not the next person, whose flow started before the printer
         * finished. */
        CHECK(run(&w, "tap done\nexpect attract\n") == 0);
        CHECK(text_cmd(&w, "from the printer") == NULL);
        CHECK(run(&w, "scan " GRACE "\nexpect mycard\n") == 0);
        ev = print_done(&w, 1);
        app_event(w.app, &ev);
        CHECK(text_cmd(&w, "from the printer") == NULL);
        /* A printer problem is everyone's news. */
        ev = print_done(&w, 0);
        app_event(w.app, &ev);
        CHECK(text_cmd(&w, "slip is ready") == NULL);
        CHECK(text_cmd(&w, "printer has a problem") != NULL);
        /* The toast of the action that ended a flow stays on attract... */
        CHECK(run(&w, "tap done\nexpect attract\n") == 0);
        CHECK(text_cmd(&w, "card is saved") != NULL);
        /* ...until the next person begins. */
        CHECK(run(&w, "scan " ADA "\nexpect mycard\n") == 0);
        CHECK(text_cmd(&w, "card is saved") == NULL);
        close_world(&w);
    }
}

/* Exit kiosk asks first, on the other side of the row, and stands clear
 * of Close. */
static void test_exit_asks(void)
{
    const char *set[] = {"admin.pin", "2468", NULL};
    struct world w;
    struct ui_rect ex, cl, yes;
    open_world(&w, "exit.db", set, 800, 480);
    CHECK(run(&w, "hold admin_corner 2100\ntap pin_2\ntap pin_4\ntap pin_6\ntap pin_8\n"
                  "tap pin_ok\nexpect admin\n") == 0);
    CHECK(ui_find(app_ui(w.app), "exit_kiosk", &ex) == 0);
    CHECK(ui_find(app_ui(w.app), "admin_close", &cl) == 0);
    CHECK(cl.x - (ex.x + ex.w) >= 12); /* ~2.5 mm at 130 dpi; it was 4 px */
    CHECK(run(&w, "tap exit_kiosk\nexpect admin\n") == 0);
    CHECK(!app_quit_requested(w.app));
    CHECK(text_cmd(&w, "Stop the kiosk?") != NULL);
    CHECK(!shown(&w, "exit_kiosk") && !shown(&w, "admin_close"));
    /* The confirmation is not where Exit was: a double tap does not stop. */
    CHECK(ui_find(app_ui(w.app), "exit_confirm", &yes) == 0);
    CHECK(!overlap(yes, ex));
    CHECK(layout_ok(&w));
    CHECK(run(&w, "tap exit_cancel\nexpect admin\n") == 0);
    CHECK(!app_quit_requested(w.app) && shown(&w, "exit_kiosk"));
    /* Leaving admin forgets a question left open. */
    CHECK(run(&w, "tap exit_kiosk\ntap test_camera\nexpect camera-test\ntap done\n"
                  "expect admin\n") == 0);
    CHECK(shown(&w, "exit_kiosk"));
    CHECK(run(&w, "tap exit_kiosk\ntap exit_confirm\n") == 0);
    CHECK(app_quit_requested(w.app));
    close_world(&w);
}

/* French: the rating is "Évaluation", the note field "Note"; the
 * keyboard's space bar speaks the screen's language. */
static void test_words(void)
{
    const char *set[] = {"mode", "booth", "ui.language", "fr", NULL};
    struct world w;
    open_world(&w, "words.db", set, 1920, 1080);
    CHECK(run(&w, "scan " ADA "\nexpect lead\n") == 0);
    CHECK(text_cmd(&w, "\xC3\x89valuation") != NULL);
    CHECK(text_cmd(&w, "Note") != NULL);
    CHECK(run(&w, "tap note\nexpect editor\n") == 0);
    CHECK(text_cmd(&w, "espace") != NULL);
    {
        const struct ui *ui = app_ui(w.app);
        int english = 0;
        for (int i = 0; i < ui->ncmds; i++)
            english |= ui->cmds[i].type == UI_CMD_TEXT && strcmp(ui->cmds[i].text, "space") == 0;
        CHECK(!english);
    }
    close_world(&w);
}

/* The size of the text drawn for a button's label (the first line when it
 * wraps), or 0. */
static int label_size(struct world *w, const char *id)
{
    const struct ui *ui = app_ui(w->app);
    struct ui_rect r;
    if (ui_find(ui, id, &r) != 0)
        return 0;
    for (int i = 0; i < ui->ncmds; i++)
        if (ui->cmds[i].type == UI_CMD_TEXT && ui->cmds[i].r.x >= r.x &&
            ui->cmds[i].r.y >= r.y && ui->cmds[i].r.x + ui->cmds[i].r.w <= r.x + r.w &&
            ui->cmds[i].r.y + ui->cmds[i].r.h <= r.y + r.h)
            return ui->cmds[i].size;
    return 0;
}

/* Large text is larger on buttons too: a label that does not fit on one
 * line wraps rather than shrinking back to the normal size. At 800x480
 * the screens still hold together and every lead question is reachable. */
static void test_large_text(void)
{
    static const int sizes[2][2] = {{1920, 1080}, {800, 480}};
    for (int z = 0; z < 2; z++) {
        const char *normal[] = {"admin.pin", "2468", NULL};
        const char *large[] = {"admin.pin", "2468", "ui.large_text", "true", NULL};
        const char *ids[] = {"print", "show_qr", "done"};
        const char *admin_ids[] = {"test_printer", "test_camera", "export_usb", "forget",
                                   "exit_kiosk", "admin_close"};
        int plain[6], big[6];
        struct world w;
        char db[32];
        const char *hs = "scan " ADA "\nscan " GRACE "\nexpect handshake\n";
        const char *saved = "tap consent_a\ntap consent_b\ntap save\nexpect saved\n";
        const char *admin = "tap done\nhold admin_corner 2100\ntap pin_2\ntap pin_4\n"
                            "tap pin_6\ntap pin_8\ntap pin_ok\nexpect admin\n";
        for (int v = 0; v < 2; v++) {
            snprintf(db, sizeof(db), "large%d%d.db", z, v);
            open_world(&w, db, v ? large : normal, sizes[z][0], sizes[z][1]);
            CHECK(run(&w, hs) == 0);
            CHECK(layout_ok(&w));
            CHECK(smallest_text(&w) >= 12);
            CHECK(run(&w, saved) == 0);
            for (int i = 0; i < 3; i++) {
                (v ? big : plain)[i] = label_size(&w, ids[i]);
                CHECK((v ? big : plain)[i] > 0);
            }
            CHECK(run(&w, admin) == 0);
            CHECK(layout_ok(&w));
            for (int i = 0; i < 6; i++)
                CHECK(label_size(&w, admin_ids[i]) >= (v ? plain[0] : 12));
            close_world(&w);
        }
        /* Every label of the saved screen is at least a fifth larger. */
        for (int i = 0; i < 3; i++) {
            if (big[i] * 10 < plain[i] * 12)
                fprintf(stderr, "  %s: %d px large, %d px normal at %dx%d\n", ids[i], big[i],
                        plain[i], sizes[z][0], sizes[z][1]);
            CHECK(big[i] * 10 >= plain[i] * 12);
        }
    }
    {
        /* Booth at 800x480 with large text: rating and tags fill the first
         * page; every question is still on some page, none overlapping. */
        const char *set[] = {"mode", "booth", "ui.large_text", "true", "booth.tags",
                             "hot,warm,cold,partner,press", "booth.questions",
                             "budget|single|Budget|<10k/10-50k/>50k;"
                             "topics|multi|Topics of interest|AI/Cloud/Edge computing/Security;"
                             "when|text|Timeline",
                             NULL};
        const char *qs[] = {"q_budget_1", "q_topics_1", "q_when"};
        int seen[3] = {0}, pages = 1;
        struct world w;
        open_world(&w, "largelead.db", set, 800, 480);
        CHECK(run(&w, "scan " ADA "\nexpect lead\n") == 0);
        for (;;) {
            CHECK(layout_ok(&w));
            CHECK(smallest_text(&w) >= 12);
            for (int i = 0; i < 3; i++)
                seen[i] |= shown(&w, qs[i]);
            if (!shown(&w, "q_more") || pages > 6)
                break;
            CHECK(run(&w, "tap q_more\n") == 0);
            if (shown(&w, "rate_1"))
                break; /* back on the first page */
            pages++;
        }
        for (int i = 0; i < 3; i++)
            CHECK(seen[i]);
        close_world(&w);
    }
}

/* The lead screen gives the qualification side the width: with large text
 * the first page holds the first question at 800x480 and every question at
 * 1280x800 (the tags take one row fewer); at every panel the visitor's name
 * and title stay whole (wrapped, never cut). */
static void test_lead_width(void)
{
    const char *set[] = {"mode", "booth", "booth.questions",
                         "budget|single|Budget|<10k/10-50k/>50k;"
                         "topics|multi|Topics of interest|AI/Cloud/Edge computing/Security;"
                         "when|text|Timeline",
                         NULL};
    static const int sizes[4][2] = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}};
#define MAX_V "BEGIN:VCARD\\nVERSION:3.0\\nN:von Hohenzollern;Maximiliane\\nFN:Maximiliane " \
              "von Hohenzollern\\nORG:Example Robotics\\nTITLE:Senior Vice President of "   \
              "Partnerships\\nEMAIL:max@example.org\\nEND:VCARD"
    const char *large[] = {"mode", "booth", "ui.large_text", "true", "ui.language", "de",
                           "booth.questions", set[3], NULL};
    struct world w;
    open_world(&w, "leadwidth-l.db", large, 800, 480);
    CHECK(run(&w, "scan " MAX_V "\nexpect lead\n") == 0);
    CHECK(shown(&w, "q_budget_1"));
    CHECK(layout_ok(&w));
    app_resize(w.app, 1280, 800);
    CHECK(run(&w, "wait 16\n") == 0);
    CHECK(shown(&w, "q_when") && !shown(&w, "q_more"));
    CHECK(layout_ok(&w));
    close_world(&w);
    for (int z = 0; z < 4; z++) {
        const struct ui *ui;
        int cut = 0;
        open_world(&w, "leadwidth.db", set, sizes[z][0], sizes[z][1]);
        CHECK(run(&w, "scan " MAX_V "\nexpect lead\n") == 0);
        CHECK(shown(&w, "q_budget_1"));
        CHECK(layout_ok(&w));
        CHECK(smallest_text(&w) >= 12);
        ui = app_ui(w.app);
        for (int i = 0; i < ui->ncmds; i++) {
            const char *t = ui->cmds[i].text;
            size_t n = ui->cmds[i].type == UI_CMD_TEXT ? strlen(t) : 0;
            if (n >= 3 && strcmp(t + n - 3, "\xE2\x80\xA6") == 0 && !strchr(t, '@')) {
                fprintf(stderr, "  %dx%d lead: cut \"%s\"\n", sizes[z][0], sizes[z][1], t);
                cut++;
            }
        }
        CHECK(cut == 0);
        CHECK(text_cmd(&w, "Maximiliane") != NULL);
        close_world(&w);
    }
#undef MAX_V
}

int main(void)
{
    test_small_panel_text();
    test_small_panel_last_question();
    test_lead_width();
    test_portrait_history();
    test_toasts();
    test_toast_band();
    test_bottom_labels();
    test_exit_asks();
    test_words();
    test_large_text();
    return test_done();
}
