/*
 * test_printq.c - the persistent print queue and the slip data it prints,
 * on a real SQLite file, with injected time and a sink that can fail:
 * a job is stored before anything is sent, a failure keeps it with its
 * error and a back-off, it survives reopening the database, prints once,
 * reprints only on purpose, gives up after retry_max, and a job
 * interrupted mid-print is flagged instead of silently printed again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "followup.h"
#include "printq.h"
#include "store_followup.h"
#include "test.h"
#include "utf8.h"

#define T0 1795862400000LL

struct sink_state {
    int calls;
    int fail; /* 0 ok, -1 fail, PRINTQ_PERMANENT */
    char last_kind[16];
    char last_lang[8];              /* the language the sink's slip came out in */
    char last_title[SLIP_LINE_MAX]; /* ...and its title */
};

static int fake_print(void *ctx, struct store *s, const struct store_print_job *job,
                      struct err *err)
{
    struct sink_state *st = ctx;
    struct slip slip;
    (void)s;
    st->calls++;
    snprintf(st->last_kind, sizeof(st->last_kind), "%s", job->kind);
    /* The sink sees a claimed job and can load its slip like the real one. */
    if (strcmp(job->status, "printing") != 0)
        return err_set(err, "job not claimed");
    if (store_slip_load_lang(s, job, job->lang, &slip, err) != 0)
        return -1;
    snprintf(st->last_lang, sizeof(st->last_lang), "%s", slip.lang);
    snprintf(st->last_title, sizeof(st->last_title), "%s", slip.title);
    slip_free(&slip);
    if (st->fail)
        return err_set(err, "printer offline"), st->fail;
    return 0;
}

static void person(struct store *s, const char *ref, const char *given, const char *family,
                   char id[KIOSK_ID_LEN])
{
    struct contact *c = calloc(1, sizeof(*c));
    struct err err = {{0}};
    char email[64];
    snprintf(c->ref, sizeof(c->ref), "%s", ref);
    snprintf(c->given_name, sizeof(c->given_name), "%s", given);
    snprintf(c->family_name, sizeof(c->family_name), "%s", family);
    snprintf(c->display_name, sizeof(c->display_name), "%s %s", given, family);
    snprintf(c->org, sizeof(c->org), "%s Inc", family);
    snprintf(email, sizeof(email), "%s@example.org", ref);
    contact_add_email(c, email);
    CHECK(store_attendee_upsert(s, c, "badge", T0, id, &err) == 0);
    free(c);
}

static struct store *db;
static char A[KIOSK_ID_LEN], B[KIOSK_ID_LEN], C[KIOSK_ID_LEN];
static char hs_ab[KIOSK_ID_LEN], hs_ac[KIOSK_ID_LEN], lead_b[KIOSK_ID_LEN];

static void fixtures(void)
{
    struct err err = {{0}};
    struct store_interaction in;
    struct followup_policy fp;

    person(db, "ref-a", "Ada", "Lovelace", A);
    person(db, "ref-b", "Bob", "Builder", B);
    person(db, "ref-c", "Cy", "Cyborg", C);
    memset(&in, 0, sizeof(in));
    in.kind = "handshake";
    in.a_id = A;
    in.b_id = B;
    in.consent_a_at = in.consent_b_at = T0;
    in.consent_scope = "card+followup";
    in.consent_version = "v1";
    in.followup_choice = "tomorrow";
    CHECK(store_interaction_add(db, &in, T0, hs_ab, &err) == 0);
    CHECK(store_note_append(db, hs_ab, "kiosk", "talked about engines", T0, &err) == 0);
    CHECK(store_note_append(db, hs_ab, "kiosk", "send the paper", T0 + 1, &err) == 0);
    CHECK(followup_policy_init(&fp, 24, 7, 14, "20:00", "08:00", &err) == 0);
    CHECK(store_followup_queue(db, hs_ab, &fp, NULL, T0, NULL, &err) == 0);
    in.b_id = C;
    in.consent_b_at = 0; /* C did not agree to pass the card on */
    in.followup_choice = "none";
    CHECK(store_interaction_add(db, &in, T0 + 10, hs_ac, &err) == 0);
    memset(&in, 0, sizeof(in));
    in.kind = "lead";
    in.a_id = B;
    in.operator_name = "Jane at booth 12";
    in.consent_a_at = T0;
    in.consent_scope = "card";
    in.followup_choice = "none";
    CHECK(store_interaction_add(db, &in, T0 + 20, lead_b, &err) == 0);
    CHECK(store_lead_set(db, lead_b, 4, "hot,partner", "{}", T0 + 20, &err) == 0);
    if (err.msg[0])
        fprintf(stderr, "fixtures: %s\n", err.msg);
}

static int load_lang(const char *kind, const char *iid, const char *aid, const char *lang,
                     struct slip *out)
{
    struct store_print_job job;
    struct err err = {{0}};
    int r;
    memset(&job, 0, sizeof(job));
    snprintf(job.id, sizeof(job.id), "x");
    snprintf(job.kind, sizeof(job.kind), "%s", kind);
    snprintf(job.interaction_id, sizeof(job.interaction_id), "%s", iid ? iid : "");
    snprintf(job.attendee_id, sizeof(job.attendee_id), "%s", aid ? aid : "");
    job.created_at = T0 + 99;
    r = lang ? store_slip_load_lang(db, &job, lang, out, &err)
             : store_slip_load(db, &job, out, &err);
    if (r != 0)
        fprintf(stderr, "load %s: %s\n", kind, err.msg);
    return r;
}

static int load(const char *kind, const char *iid, const char *aid, struct slip *out)
{
    return load_lang(kind, iid, aid, NULL, out);
}

static void slip_data(void)
{
    struct slip s;
    CHECK(load("handshake", hs_ab, NULL, &s) == 0);
    CHECK(s.n == 2 && s.kind == SLIP_HANDSHAKE && s.at == T0);
    CHECK_STR(s.contacts[0].c.given_name, "Ada");
    CHECK_STR(s.contacts[1].c.given_name, "Bob");
    CHECK(s.contacts[0].share_card && s.contacts[1].share_card);
    CHECK_STR(s.contacts[0].note, "talked about engines\nsend the paper");
    CHECK(s.contacts[1].note[0] == '\0'); /* notes once per meeting */
    CHECK(s.contacts[0].followup_due > T0 && s.contacts[1].followup_due > T0);
    CHECK(s.kiosk[0] != '\0');
    /* One slip for both: it says so, with both first names. */
    CHECK_STR(s.recipient, "Ada & Bob");
    slip_free(&s);

    /* Ada's own slip shows Bob, and says it is Ada's: two slips come out
     * one after the other and each must name the person who takes it. */
    CHECK(load("handshake", hs_ab, A, &s) == 0);
    CHECK(s.n == 1);
    CHECK_STR(s.contacts[0].c.given_name, "Bob");
    CHECK_STR(s.title, "Your new contact");
    CHECK_STR(s.recipient, "Ada Lovelace");
    slip_free(&s);
    CHECK(load("handshake", hs_ab, B, &s) == 0);
    CHECK(s.n == 1);
    CHECK_STR(s.contacts[0].c.given_name, "Ada");
    CHECK_STR(s.recipient, "Bob Builder");
    slip_free(&s);

    CHECK(load("handshake", hs_ac, NULL, &s) == 0);
    CHECK(s.n == 2 && s.contacts[0].share_card == 1 && s.contacts[1].share_card == 0);
    slip_free(&s);

    CHECK(load("lead", lead_b, NULL, &s) == 0);
    CHECK(s.n == 1 && s.kind == SLIP_LEAD);
    CHECK_STR(s.contacts[0].detail, "Rating 4/5 \xC2\xB7 hot,partner");
    CHECK_STR(s.recipient, "Jane at booth 12"); /* the lead is for the booth staff */
    CHECK(s.subtitle[0] == '\0');
    slip_free(&s);

    CHECK(load("connections", NULL, A, &s) == 0);
    CHECK(s.n == 2 && s.kind == SLIP_CONNECTIONS);
    CHECK_STR(s.title, "My connections (2)");
    CHECK_STR(s.recipient, "Ada Lovelace");
    CHECK(s.subtitle[0] == '\0');
    CHECK(s.n == 2 && s.contacts[1].share_card == 0);
    slip_free(&s);

    /* Tags longer than the detail line: cut between characters, marked. */
    {
        char tags[700] = "";
        for (int i = 0; i < 300; i++)
            strcat(tags, "\xC3\xA9"); /* é: 600 bytes */
        CHECK(store_lead_set(db, lead_b, 2, tags, "{}", T0 + 30, NULL) == 0);
        CHECK(load("lead", lead_b, NULL, &s) == 0);
        CHECK(utf8_valid(s.contacts[0].detail, strlen(s.contacts[0].detail)));
        CHECK(strncmp(s.contacts[0].detail, "Rating 2/5 \xC2\xB7 \xC3\xA9", 16) == 0);
        CHECK(strlen(s.contacts[0].detail) > 400 &&
              strcmp(s.contacts[0].detail + strlen(s.contacts[0].detail) - 3, "...") == 0);
        slip_free(&s);
        CHECK(store_lead_set(db, lead_b, 4, "hot,partner", "{}", T0 + 20, NULL) == 0);
    }

    CHECK(load("test", NULL, NULL, &s) == 0 && s.n == 2);
    CHECK(s.recipient[0] != '\0');
    slip_free(&s);

    /* A lead with no operator name (the app's default "booth" included) is
     * for the booth staff. */
    {
        static const char *const ops[] = {NULL, "booth"};
        for (int i = 0; i < 2; i++) {
            struct store_interaction in;
            char lead[KIOSK_ID_LEN];
            memset(&in, 0, sizeof(in));
            in.kind = "lead";
            in.a_id = C;
            in.operator_name = ops[i];
            in.consent_a_at = T0;
            in.consent_scope = "card";
            in.followup_choice = "none";
            CHECK(store_interaction_add(db, &in, T0 + 40 + i, lead, NULL) == 0);
            CHECK(load("lead", lead, NULL, &s) == 0);
            CHECK_STR(s.recipient, "booth staff");
            slip_free(&s);
        }
    }

    /* A language can be passed; one not translated yet prints English. */
    {
        struct store_print_job job;
        struct err err = {{0}};
        memset(&job, 0, sizeof(job));
        snprintf(job.kind, sizeof(job.kind), "handshake");
        snprintf(job.interaction_id, sizeof(job.interaction_id), "%s", hs_ab);
        snprintf(job.attendee_id, sizeof(job.attendee_id), "%s", B);
        CHECK(store_slip_load_lang(db, &job, "xx", &s, &err) == 0);
        CHECK_STR(s.lang, "en");
        CHECK_STR(s.title, "Your new contact");
        CHECK_STR(s.recipient, "Bob Builder");
        slip_free(&s);
    }
    /* The slip's own words in the screen's language; names, notes and
     * tags as typed. */
    CHECK(load_lang("handshake", hs_ab, B, "de", &s) == 0);
    CHECK_STR(s.lang, "de");
    CHECK_STR(s.title, "Ihr neuer Kontakt");
    CHECK_STR(s.recipient, "Bob Builder");
    CHECK(strncmp(s.tip, "Tipp: ", 6) == 0);
    CHECK_STR(s.privacy, slip_word("de", SLIP_W_PRIVACY));
    CHECK(strcmp(s.privacy, slip_word("en", SLIP_W_PRIVACY)) != 0);
    CHECK_STR(s.contacts[0].note, "talked about engines\nsend the paper");
    slip_free(&s);
    CHECK(load_lang("handshake", hs_ab, NULL, "fr", &s) == 0);
    CHECK_STR(s.title, "Échange de cartes");
    CHECK_STR(s.recipient, "Ada & Bob");
    slip_free(&s);
    CHECK(load_lang("lead", lead_b, NULL, "es", &s) == 0);
    CHECK_STR(s.contacts[0].detail, "Valoraci\xC3\xB3n 4/5 \xC2\xB7 hot,partner");
    CHECK_STR(s.title, "Contacto en el stand");
    slip_free(&s);
    CHECK(load_lang("connections", NULL, A, "de", &s) == 0);
    CHECK_STR(s.title, "Meine Kontakte (2)");
    slip_free(&s);
    CHECK(load_lang("test", NULL, NULL, "fr", &s) == 0 && s.n == 2);
    CHECK_STR(s.recipient, "le personnel");
    CHECK_STR(s.title, "Page de test de l'imprimante");
    slip_free(&s);
    CHECK(load_lang("lead", hs_ab, NULL, "de", &s) == -1); /* kind mismatch */
    CHECK(load("lead", hs_ab, NULL, &s) == -1);            /* kind mismatch */
    CHECK(load("handshake", "no-such-id", NULL, &s) == 1);
}

static void queue(void)
{
    struct printq_policy pol;
    struct sink_state st = {0};
    struct printq_sink sink = {fake_print, &st};
    struct printq_stats stats;
    struct store_print_job job;
    struct err err = {{0}};
    char id[KIOSK_ID_LEN], id2[KIOSK_ID_LEN], path[1024];
    long q, p, f;

    printq_policy_default(&pol);
    CHECK(printq_backoff(&pol, 1) == 5000 && printq_backoff(&pol, 2) == 10000);
    CHECK(printq_backoff(&pol, 30) == pol.backoff_max_ms);

    CHECK(printq_submit(db, "bogus", hs_ab, NULL, T0, id, &err) < 0);
    CHECK(printq_submit(db, "handshake", NULL, NULL, T0, id, &err) < 0);
    CHECK(printq_submit(db, "handshake", "no-such-interaction", NULL, T0, id, &err) < 0);

    /* Stored before anything is sent. */
    CHECK(printq_submit(db, "handshake", hs_ab, NULL, T0, id, &err) == 0);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.status, "queued");
    CHECK(st.calls == 0);

    /* Printer offline: kept, error recorded, back-off. */
    st.fail = -1;
    CHECK(printq_run(db, &pol, &sink, NULL, 0, 10, T0, &stats, &err) == 0);
    CHECK(st.calls == 1 && stats.retrying == 1 && stats.printed == 0);
    CHECK_STR(stats.last_error, "printer offline");
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.status, "queued");
    CHECK_STR(job.last_error, "printer offline");
    CHECK(job.attempts == 1 && job.next_attempt_at == T0 + 5000);
    CHECK(stats.next_due_at == T0 + 5000); /* the caller knows when to come back */

    /* Not due yet: not tried. */
    st.fail = 0;
    CHECK(printq_run(db, &pol, &sink, NULL, 0, 10, T0 + 1000, &stats, &err) == 0);
    CHECK(st.calls == 1 && stats.printed == 0);

    st.fail = -1;
    CHECK(printq_run(db, &pol, &sink, NULL, 0, 10, T0 + 6000, &stats, &err) == 0);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK(job.attempts == 2 && job.next_attempt_at == T0 + 6000 + 10000);

    /* Restart: the job is still there. */
    snprintf(path, sizeof(path), "%s", store_path(db));
    store_close(db);
    CHECK(store_open(&db, path, "", T0 + 7000, &err) == 0);
    CHECK(store_print_counts(db, &q, &p, &f, &err) == 0 && q == 1 && p == 0 && f == 0);

    /* Back online: printed once. */
    st.fail = 0;
    CHECK(printq_run(db, &pol, &sink, NULL, 0, 10, T0 + 20000, &stats, &err) == 0);
    CHECK(stats.printed == 1 && st.calls == 3);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.status, "done");
    CHECK_STR(job.last_error, "");
    CHECK(stats.next_due_at == 0); /* nothing queued */
    CHECK(printq_run(db, &pol, &sink, NULL, 1, 10, T0 + 999999999, &stats, &err) == 0);
    CHECK(stats.printed == 0 && st.calls == 3); /* even a forced run leaves it alone */

    /* Reprint on purpose: a new job, audited. */
    {
        long audits = store_count(db, "audit_log");
        CHECK(store_print_reprint(db, id, T0 + 30000, id2, &err) == 0);
        CHECK(strcmp(id, id2) != 0);
        CHECK(store_count(db, "audit_log") == audits + 1);
        CHECK(printq_run(db, &pol, &sink, id2, 0, 10, T0 + 30000, &stats, &err) == 0);
        CHECK(stats.printed == 1 && st.calls == 4);
        CHECK(store_print_reprint(db, "nope", T0, id2, &err) == 1);
    }

    /* Give up after retry_max attempts (a forced run tries each job once). */
    pol.retry_max = 3;
    st.fail = -1;
    CHECK(printq_submit(db, "lead", lead_b, NULL, T0 + 40000, id, &err) == 0);
    for (int i = 0; i < 3; i++)
        CHECK(printq_run(db, &pol, &sink, NULL, 1, 10, T0 + 40000 + i, &stats, &err) == 0);
    CHECK(stats.gave_up == 1);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.status, "failed");
    CHECK(job.attempts == 3);
    CHECK(store_print_cancel(db, id, T0 + 41000, &err) == 0);
    CHECK(store_print_cancel(db, id, T0 + 41000, &err) == 1);

    /* Nothing to retry for a job whose slip cannot exist: failed at once. */
    st.fail = PRINTQ_PERMANENT;
    CHECK(printq_submit(db, "test", NULL, NULL, T0 + 50000, id, &err) == 0);
    CHECK(printq_run(db, &pol, &sink, id, 0, 1, T0 + 50000, &stats, &err) == 0);
    CHECK(stats.gave_up == 1);
    CHECK(store_print_get(db, id, &job, &err) == 0 && strcmp(job.status, "failed") == 0);

    /* The language of the screen that asked travels with the job: kept
     * through a failed attempt, the retry and a reprint. */
    pol.retry_max = 20;
    st.fail = -1;
    CHECK(printq_submit_lang(db, "handshake", hs_ab, A, "fr", T0 + 55000, id, &err) == 0);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.lang, "fr");
    CHECK(printq_run(db, &pol, &sink, id, 0, 1, T0 + 55000, &stats, &err) == 0);
    CHECK(stats.retrying == 1);
    CHECK_STR(st.last_lang, "fr");
    st.fail = 0;
    st.last_lang[0] = '\0';
    CHECK(printq_run(db, &pol, &sink, id, 1, 1, T0 + 56000, &stats, &err) == 0);
    CHECK(stats.printed == 1);
    CHECK_STR(st.last_lang, "fr");
    CHECK_STR(st.last_title, "Votre nouveau contact");
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.status, "done");
    CHECK_STR(job.lang, "fr");
    CHECK(store_print_reprint(db, id, T0 + 57000, id2, &err) == 0);
    CHECK(store_print_get(db, id2, &job, &err) == 0);
    CHECK_STR(job.lang, "fr");
    CHECK(printq_run(db, &pol, &sink, id2, 0, 1, T0 + 57000, &stats, &err) == 0);
    CHECK(stats.printed == 1);
    CHECK_STR(st.last_title, "Votre nouveau contact");
    /* A language with no words: kept as asked, printed in English. No
     * language (every job before) is English too. */
    CHECK(printq_submit_lang(db, "handshake", hs_ab, A, "xx", T0 + 58000, id, &err) == 0);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.lang, "xx");
    CHECK(printq_run(db, &pol, &sink, id, 0, 1, T0 + 58000, &stats, &err) == 0);
    CHECK(stats.printed == 1);
    CHECK_STR(st.last_lang, "en");
    CHECK_STR(st.last_title, "Your new contact");
    CHECK(printq_submit(db, "handshake", hs_ab, A, T0 + 59000, id, &err) == 0);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.lang, "");
    CHECK(printq_run(db, &pol, &sink, id, 0, 1, T0 + 59000, &stats, &err) == 0);
    CHECK_STR(st.last_lang, "en");
    /* Not a language code: refused, nothing stored. */
    {
        long jobs = store_count(db, "print_jobs");
        CHECK(printq_submit_lang(db, "test", NULL, NULL, "de'; --", T0, id, &err) < 0);
        CHECK(printq_submit_lang(db, "test", NULL, NULL, "klingon-x", T0, id, &err) < 0);
        CHECK(strstr(err.msg, "language") != NULL);
        CHECK(store_count(db, "print_jobs") == jobs);
    }

    /* Interrupted mid-print (the process died): not printed again on its own. */
    st.fail = 0;
    CHECK(printq_submit(db, "connections", NULL, A, T0 + 60000, id, &err) == 0);
    CHECK(store_print_claim(db, id, T0 + 60000, T0 + 60000, &job, &err) == 0);
    CHECK(store_print_claim(db, id, T0 + 60000, T0 + 60000, &job, &err) == 1); /* once */
    CHECK(printq_run(db, &pol, &sink, NULL, 0, 10, T0 + 60000 + 1000, &stats, &err) == 0);
    CHECK(stats.recovered == 0); /* still within the stale window: another process may print */
    CHECK(printq_run(db, &pol, &sink, NULL, 0, 10, T0 + 60000 + pol.stale_ms + 1, &stats, &err) ==
          0);
    CHECK(stats.recovered == 1 && stats.printed == 0);
    CHECK(store_print_get(db, id, &job, &err) == 0);
    CHECK_STR(job.status, "failed");
    CHECK(strstr(job.last_error, "interrupted") != NULL);
    CHECK(store_print_finish(db, id, "done", "", 0, T0, &err) < 0); /* not printing */
}

/* A busy attendee met more people than one slip has sections for: the
 * connections slip still prints (the first SLIP_CONTACTS_MAX, in meeting
 * order) and says how many more there are, instead of failing forever. */
static void many_connections(void)
{
    struct err err = {{0}};
    struct store_interaction in;
    struct slip s;
    char hub[KIOSK_ID_LEN], other[KIOSK_ID_LEN], ref[32], given[32];
    int extra = 6;

    person(db, "ref-hub", "Hana", "Hub", hub);
    memset(&in, 0, sizeof(in));
    in.kind = "handshake";
    in.consent_a_at = in.consent_b_at = T0;
    in.consent_scope = "card";
    in.followup_choice = "none";
    for (int i = 0; i < SLIP_CONTACTS_MAX + extra; i++) {
        snprintf(ref, sizeof(ref), "ref-m%03d", i);
        snprintf(given, sizeof(given), "M%03d", i);
        person(db, ref, given, "Many", other);
        in.a_id = i % 2 ? hub : other;
        in.b_id = i % 2 ? other : hub;
        CHECK(store_interaction_add(db, &in, T0 + 1000 + i, NULL, &err) == 0);
        if (i == 3) /* met twice: still one section, counted once */
            CHECK(store_interaction_add(db, &in, T0 + 5000, NULL, &err) == 0);
    }
    CHECK(load("connections", NULL, hub, &s) == 0);
    CHECK(s.n == SLIP_CONTACTS_MAX);
    if (s.n == SLIP_CONTACTS_MAX) {
        CHECK_STR(s.contacts[0].c.given_name, "M000");
        CHECK_STR(s.contacts[SLIP_CONTACTS_MAX - 1].c.given_name, "M063");
    }
    CHECK_STR(s.title, "My connections (70)");
    CHECK_STR(s.recipient, "Hana Hub");
    CHECK(strstr(s.subtitle, "6 more") != NULL);
    if (!strstr(s.subtitle, "6 more"))
        fprintf(stderr, "subtitle: %s\n", s.subtitle);
    slip_free(&s);
}

int main(void)
{
    struct err err = {{0}};
    if (store_open(&db, test_path("printq.db"), "kiosk-q", T0, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    fixtures();
    slip_data();
    queue();
    many_connections();
    store_close(db);
    return test_done();
}
