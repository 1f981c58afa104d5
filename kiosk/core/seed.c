/*
 * seed.c - synthetic demo data through the real store functions.
 *
 * Owns: the demo name lists and the mix of consent, ratings, tags, notes,
 * answers and follow-up choices. Never writes SQL itself (store_*.c does)
 * and never reads the clock (o->now_ms). Deterministic for a given seed.
 */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_followup.h"

#define BATCH 5000

/* xorshift64*: small, fast, good enough for demo data. */
static uint64_t next(uint64_t *st)
{
    uint64_t x = *st;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *st = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static long pick(uint64_t *st, long n)
{
    return (long)(next(st) % (uint64_t)n);
}

#define N(a) ((long)(sizeof(a) / sizeof((a)[0])))

/* Given names with their ASCII spelling for e-mail addresses. */
static const char *const given[][2] = {
    {"Anna", "anna"},
    {"Zoë", "zoe"},
    {"Jürgen", "juergen"},
    {"Łukasz", "lukasz"},
    {"Chidi", "chidi"},
    {"Mei", "mei"},
    {"Sofía", "sofia"},
    {"Olivier", "olivier"},
    {"Priya", "priya"},
    {"Kenji", "kenji"},
    {"Fatima", "fatima"},
    {"Søren", "soren"},
    {"María José", "mariajose"},
    {"Noah", "noah"},
    {"Aoife", "aoife"},
    {"Dmitri", "dmitri"},
    {"Amara", "amara"},
    {"Björn", "bjorn"},
    {"Chloé", "chloe"},
    {"Ravi", "ravi"},
    {"Hannah", "hannah"},
    {"İlkay", "ilkay"},
    {"Thảo", "thao"},
    {"Lars", "lars"},
};
static const char *const family[][2] = {
    {"Müller", "mueller"},
    {"O'Brien", "obrien"},
    {"García", "garcia"},
    {"Nowak", "nowak"},
    {"Okafor", "okafor"},
    {"Chen", "chen"},
    {"Dubois", "dubois"},
    {"Sharma", "sharma"},
    {"Tanaka", "tanaka"},
    {"Haddad", "haddad"},
    {"Nielsen", "nielsen"},
    {"van der Berg", "vanderberg"},
    {"Smith", "smith"},
    {"Kowalczyk", "kowalczyk"},
    {"Nguyễn", "nguyen"},
    {"Ivanova", "ivanova"},
    {"Johansson", "johansson"},
    {"Da Silva", "dasilva"},
    {"Papadopoulos", "papadopoulos"},
    {"Yılmaz", "yilmaz"},
};
static const char *const orgs[][2] = {
    {"Acme Robotics GmbH", "acme-robotics.example"},
    {"Nordlicht Energie AG", "nordlicht.example"},
    {"Smith, Jones & Co.", "smithjones.example"},
    {"Café Código S.L.", "cafecodigo.example"},
    {"Kumo Systems K.K.", "kumo.example"},
    {"Open Health Foundation", "openhealth.example"},
    {"Baltic Logistics", "balticlog.example"},
    {"\"The Data Shop\" Ltd", "datashop.example"},
    {"Université de Lyon", "univ-lyon.example"},
    {"Fjord Analytics ApS", "fjord.example"},
    {"Lagos FinTech Hub", "lagosfintech.example"},
    {"Mumbai Cloud Works", "mumbaicloud.example"},
};
static const char *const titles[] = {
    "CTO",
    "Head of Procurement",
    "Software Engineer",
    "Product Manager",
    "Data Scientist",
    "Founder & CEO",
    "Research Fellow",
    "Sales Director",
    "Developer Advocate",
    "Operations Lead",
    "Student",
    "Journalist",
};
/* Phone prefixes and how many digits follow. */
static const struct {
    const char *prefix;
    int digits;
} phones[] = {{"+49 30 ", 7}, {"+44 20 7946 ", 4}, {"+1 415 555 ", 4},
              {"+33 1 ", 8},  {"+81 3 ", 8},       {"0171 ", 7}};
static const char *const formats[] = {"vcard3", "mecard", "caret", "json", "vcard4"};
static const char *const operators[] = {"Lena Vogel", "Tomás Ruiz", "Grace Park"};
static const char *const tag_sets[] = {"hot",        "warm",         "cold", "hot,partner",
                                       "warm,press", "cold,partner", ""};
static const char *const note_bodies[] = {
    "Interested in the on-prem edition; wants pricing by Friday.",
    "Asked about GDPR and data residency in the EU.",
    "Follow up with the case study, \"Logistics at scale\".",
    "Met at the keynote; knows Anna from Nordlicht.\nPrefers e-mail over calls.",
    "Budget approved for next quarter, decision in March.",
    "Wants a demo for their team (5-10 people), remote.",
    "Student project on accessibility — send the API docs.",
    "Competitor user, unhappy with support; price-sensitive.",
};
static const char *const answers[] = {
    "{\"budget\":\"<10k\",\"timeline\":\"this quarter\",\"role\":\"decision maker\"}",
    "{\"budget\":\"10k-50k\",\"timeline\":\"next quarter\",\"role\":\"influencer\"}",
    ("{\"budget\":\">50k\",\"timeline\":\"this year\",\"role\":\"decision "
     "maker\",\"products\":[\"cloud\",\"support\"]}"),
    "{\"budget\":\"unknown\",\"timeline\":\"just looking\"}",
    "{}",
};
static const char *const choices[] = {"none", "tomorrow", "next-week", "tomorrow"};

static void make_person(uint64_t *rng, long i, struct contact *c)
{
    long g = pick(rng, N(given)), f = pick(rng, N(family)), o = pick(rng, N(orgs));
    char email[KIOSK_EMAIL_MAX], phone[KIOSK_PHONE_MAX];

    contact_clear(c);
    snprintf(c->ref, sizeof(c->ref), "DEMO-%07ld", i + 1);
    snprintf(c->given_name, sizeof(c->given_name), "%s", given[g][0]);
    snprintf(c->family_name, sizeof(c->family_name), "%s", family[f][0]);
    snprintf(c->display_name, sizeof(c->display_name), "%s %s", given[g][0], family[f][0]);
    snprintf(c->org, sizeof(c->org), "%s", orgs[o][0]);
    snprintf(c->title, sizeof(c->title), "%s", titles[pick(rng, N(titles))]);
    snprintf(email, sizeof(email), "%s.%s%ld@%s", given[g][1], family[f][1], i % 1000, orgs[o][1]);
    contact_add_email(c, email);
    if (pick(rng, 4) != 0) {
        long p = pick(rng, N(phones));
        snprintf(phone, sizeof(phone), "%s%0*ld", phones[p].prefix, phones[p].digits,
                 pick(rng, phones[p].digits == 4 ? 10000 : 10000000));
        contact_add_phone(c, phone);
    }
    if (pick(rng, 3) == 0)
        snprintf(c->url, sizeof(c->url), "https://%s/people/%s", orgs[o][1], given[g][1]);
    snprintf(c->format, sizeof(c->format), "%s", formats[pick(rng, N(formats))]);
}

/* Consent mix: most say yes to follow-ups, some to the card only, a few
 * to nothing (those never leave the kiosk in an export). */
static const char *consent(uint64_t *rng, int64_t at, int64_t *a)
{
    long r = pick(rng, 100);
    *a = r < 95 ? at : 0;
    return r < 80 ? "card+followup" : "card";
}

/* The awkward records (see seed.h). Each is a booth lead or handshake like
 * any other, stored through the same functions. */
struct edge {
    const char *ref, *given, *family, *org, *title, *email, *phone, *note, *tags;
    int consent;
};

static const struct edge edges[] = {
    {"EDGE-FORMULA", "=HYPERLINK(\"http://evil.example\",\"click\")", "Formula", "+SUM(1,2)",
     "-2+3", "attacker@evil.example", "+49 30 1234567",
     "Line one\nLine \"two\", with comma; and semicolon\r\nthird\tcolumn", "hot,partner", 1},
    {"EDGE-UNICODE", "Zoë", "Ångström-Łukasiewicz", "株式会社テスト", "Ingénieure",
     "zoe@example.org", "+81 3 1234 5678", "Great chat ☕🚀 — über Kaffee", "warm", 1},
    {"EDGE-AT", "@Handle", "Tabbed", "\tTabbed Org", "\rCarriage", "at@example.org", "-1",
     "'already quoted", "", 1},
    {"EDGE-QUOTES", "Seán", "O'Brien \"The Boss\"", "Smith, Jones & Co.", "CEO; Founder",
     "sean@example.org", "0171 5551234", "\"Quoted\" note, with \\backslash\\", "cold", 1},
    {SEED_EDGE_SECRET_REF, "Secret", "Nonconsent", "Hidden Corp", "Spy", "secret@example.org",
     "+1 202 5550000", "must never be exported", "hot", 0},
};

static int add_edges(struct store *s, const struct seed_options *o, struct seed_stats *st,
                     struct err *err)
{
    char ids[N(edges)][KIOSK_ID_LEN], hidden[KIOSK_ID_LEN], iid[KIOSK_ID_LEN];
    char long_note[KIOSK_NOTE_MAX];
    int64_t at = o->now_ms - 3600 * 1000;
    struct contact c;
    struct store_interaction in;
    struct store_followup_result r;
    size_t n = 0;

    /* A note at the length limit whose multi-byte characters straddle every
     * folding boundary of vCard and iCalendar. */
    while (n + 3 < sizeof(long_note) - 1) {
        memcpy(long_note + n, n % 7 ? "é" : "€", n % 7 ? 2 : 3);
        n += n % 7 ? 2 : 3;
    }
    long_note[n] = '\0';

    for (long i = 0; i < N(edges); i++) {
        const struct edge *e = &edges[i];
        contact_clear(&c);
        snprintf(c.ref, sizeof(c.ref), "%s", e->ref);
        snprintf(c.given_name, sizeof(c.given_name), "%s", e->given);
        snprintf(c.family_name, sizeof(c.family_name), "%s", e->family);
        snprintf(c.org, sizeof(c.org), "%s", e->org);
        snprintf(c.title, sizeof(c.title), "%s", e->title);
        contact_add_email(&c, e->email);
        contact_add_phone(&c, e->phone);
        snprintf(c.format, sizeof(c.format), "vcard3");
        if (store_attendee_upsert(s, &c, "demo", at, ids[i], err) < 0)
            return -1;
        st->attendees++;
        memset(&in, 0, sizeof(in));
        in.kind = "lead";
        in.a_id = ids[i];
        in.operator_name = "Edge Operator";
        in.consent_a_at = e->consent ? at : 0;
        in.consent_scope = "card+followup";
        in.consent_version = "v1";
        in.followup_choice = "tomorrow";
        if (store_interaction_add(s, &in, at, iid, err) < 0 ||
            store_lead_set(s, iid, (int)(i % 6), e->tags,
                           "{\"q\":\"needs, \\\"quotes\\\"\\nand lines\"}", at, err) < 0 ||
            store_note_append(s, iid, "Edge Operator", e->note, at, err) < 0 ||
            (i == 1 && store_note_append(s, iid, "Edge Operator", long_note, at + 1, err) < 0))
            return -1;
        st->leads++;
        st->notes += i == 1 ? 2 : 1;
        if (o->policy) {
            if (store_followup_queue(s, iid, o->policy, o->tz, at, &r, err) < 0)
                return -1;
            st->followups += r.queued;
        }
        at += 1000;
    }
    /* A handshake where only one side consented: the other is never named. */
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "%s", SEED_EDGE_HIDDEN_REF);
    snprintf(c.given_name, sizeof(c.given_name), "Hidden");
    snprintf(c.family_name, sizeof(c.family_name), "Partner");
    contact_add_email(&c, "hidden@example.org");
    if (store_attendee_upsert(s, &c, "demo", at, hidden, err) < 0)
        return -1;
    st->attendees++;
    memset(&in, 0, sizeof(in));
    in.kind = "handshake";
    in.a_id = ids[1];
    in.b_id = hidden;
    in.consent_a_at = at;
    in.consent_scope = "card+followup";
    in.consent_version = "v1";
    in.followup_choice = "next-week";
    if (store_interaction_add(s, &in, at, iid, err) < 0)
        return -1;
    st->handshakes++;
    if (o->policy) {
        if (store_followup_queue(s, iid, o->policy, o->tz, at, &r, err) < 0)
            return -1;
        st->followups += r.queued;
    }
    return 0;
}

int seed_run(struct store *s, const struct seed_options *o, struct seed_stats *st, struct err *err)
{
    uint64_t rng = o->seed ? o->seed : 0x9E3779B97F4A7C15ULL;
    char(*ids)[KIOSK_ID_LEN] = NULL;
    struct seed_stats local = {0, 0, 0, 0, 0};
    long total = o->attendees + o->leads + o->handshakes, done = 0, in_batch = 0;
    int64_t span = 2LL * 24 * 3600 * 1000, t0 = o->now_ms - span, step;
    int result = -1;

    if (st)
        memset(st, 0, sizeof(*st));
    if (o->attendees < 1 || (o->handshakes > 0 && o->attendees < 2))
        return err_set(err, "seed needs at least 1 attendee (2 for handshakes)");
    if (o->attendees > 10000000 || o->leads > 10000000 || o->handshakes > 10000000)
        return err_set(err, "seed makes at most 10,000,000 of each");
    ids = calloc((size_t)o->attendees, sizeof(*ids));
    if (!ids)
        return err_set(err, "out of memory");
    step = span / (o->leads + o->handshakes + 1);
    if (step < 1)
        step = 1;

    if (store_begin(s, err) < 0)
        goto out;
    for (long i = 0; i < total; i++) {
        struct contact c;
        struct store_interaction in;
        char iid[KIOSK_ID_LEN];
        long k = i - o->attendees;
        int64_t at = t0 + (k < 0 ? 0 : k) * step;

        memset(&in, 0, sizeof(in));
        if (i < o->attendees) {
            make_person(&rng, i, &c);
            if (store_attendee_upsert(s, &c, "demo", t0, ids[i], err) < 0)
                goto out;
            local.attendees++;
        } else {
            /* Interleave leads and handshakes over time. */
            long left_leads = o->leads - local.leads;
            long left_hs = o->handshakes - local.handshakes;
            int lead = pick(&rng, left_leads + left_hs) < left_leads;
            long a = pick(&rng, o->attendees), b;
            in.a_id = ids[a];
            in.consent_scope = consent(&rng, at, &in.consent_a_at);
            in.consent_version = "v1";
            in.followup_choice = choices[pick(&rng, N(choices))];
            if (lead) {
                in.kind = "lead";
                in.operator_name =
                    o->operator_name ? o->operator_name : operators[pick(&rng, N(operators))];
            } else {
                do
                    b = pick(&rng, o->attendees);
                while (b == a);
                in.kind = "handshake";
                in.b_id = ids[b];
                in.consent_b_at = pick(&rng, 100) < 93 ? at : 0;
            }
            if (store_interaction_add(s, &in, at, iid, err) < 0)
                goto out;
            if (lead) {
                if (store_lead_set(s, iid, (int)pick(&rng, 6), tag_sets[pick(&rng, N(tag_sets))],
                                   answers[pick(&rng, N(answers))], at, err) < 0)
                    goto out;
                local.leads++;
            } else {
                local.handshakes++;
            }
            if (pick(&rng, 3) != 0) {
                if (store_note_append(s, iid, lead ? in.operator_name : "",
                                      note_bodies[pick(&rng, N(note_bodies))], at, err) < 0)
                    goto out;
                local.notes++;
            }
            if (o->policy) {
                struct store_followup_result r;
                if (store_followup_queue(s, iid, o->policy, o->tz, at, &r, err) < 0)
                    goto out;
                local.followups += r.queued;
            }
        }
        done++;
        if (++in_batch >= BATCH) {
            if (store_commit(s, err) < 0 || store_begin(s, err) < 0)
                goto out;
            in_batch = 0;
            if (o->progress)
                o->progress(o->progress_ctx, done, total);
        }
    }
    if (o->edge_cases && add_edges(s, o, &local, err) < 0)
        goto out;
    if (store_commit(s, err) < 0)
        goto out;
    if (o->progress)
        o->progress(o->progress_ctx, done, total);
    result = 0;
out:
    if (result < 0)
        store_rollback(s);
    if (st)
        *st = local;
    free(ids);
    return result;
}
