/*
 * test_merge.c - merging kiosk databases: three kiosks with overlapping
 * attendees, a consent withdrawal, an erasure and notes added after an
 * earlier merge are merged into a fresh database in all 6 orders; the
 * canonical dumps (every data table, every column, sorted) must be
 * identical, merging again must change nothing, sources must keep their
 * bytes, and foreign/newer/damaged files must be refused.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "test.h"

#define T0 1780000000000LL /* 2026-05-28 */

static const char *const dump_tables[] = {
    "attendees", "attendee_refs",       "scans",     "interactions", "leads", "notes",
    "followups", "consent_withdrawals", "forgotten", "attendee_ids"};

/* Every row of every data table, columns quoted, sorted by primary key. */
static char *dump(const char *path)
{
    sqlite3 *db = NULL;
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (!out || sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        free(out);
        return NULL;
    }
    out[0] = '\0';
    for (size_t t = 0; t < sizeof(dump_tables) / sizeof(dump_tables[0]); t++) {
        char sql[128];
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1", dump_tables[t]);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            continue;
        len += (size_t)snprintf(out + len, cap - len, "[%s]\n", dump_tables[t]);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *v = (const char *)sqlite3_column_text(st, c);
                size_t need = (v ? strlen(v) : 4) + 4;
                while (len + need + 2 >= cap) {
                    char *bigger = realloc(out, cap * 2);
                    if (!bigger)
                        abort();
                    out = bigger;
                    cap *= 2;
                }
                len += (size_t)snprintf(out + len, cap - len, "%s%s", c ? "|" : "", v ? v : "NULL");
            }
            len += (size_t)snprintf(out + len, cap - len, "\n");
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

static void person(struct contact *c, const char *ref, const char *name, const char *org,
                   const char *email)
{
    contact_clear(c);
    snprintf(c->ref, sizeof(c->ref), "%s", ref);
    snprintf(c->display_name, sizeof(c->display_name), "%s", name);
    snprintf(c->org, sizeof(c->org), "%s", org);
    if (email)
        contact_add_email(c, email);
}

static void add(struct store *s, const char *ref, const char *name, const char *org,
                const char *email, int64_t t, char id[KIOSK_ID_LEN])
{
    struct contact c;
    struct err err = {{0}};
    person(&c, ref, name, org, email);
    CHECK(store_attendee_upsert(s, &c, "badge", t, id, &err) == 0);
}

static void scan(struct store *s, const char *payload, const char *att, int64_t t)
{
    struct store_scan sc = {
        (const unsigned char *)payload, strlen(payload), "plain", att, "handshake", "camera"};
    struct err err = {{0}};
    CHECK(store_scan_add(s, &sc, t, NULL, &err) == 0);
}

static void handshake(struct store *s, const char *a, const char *b, int64_t t,
                      char id[KIOSK_ID_LEN])
{
    struct store_interaction in = {"handshake", a, b, "", t, t, "card", "v1", "", "tomorrow"};
    struct err err = {{0}};
    CHECK(store_interaction_add(s, &in, t, id, &err) == 0);
}

static struct store *open_kiosk(const char *name, const char *kiosk_id, int64_t t)
{
    struct store *s = NULL;
    struct err err = {{0}};
    if (store_open(&s, test_path(name), kiosk_id, t, &err) < 0) {
        fprintf(stderr, "open %s: %s\n", name, err.msg);
        test_failed++;
    }
    return s;
}

/* Build kiosks A, B and C. B has already merged A once and kept working. */
static void build_kiosks(void)
{
    struct store *a, *b, *c;
    struct err err = {{0}};
    struct store_merge_stats ms;
    char alice[KIOSK_ID_LEN], bob[KIOSK_ID_LEN], carol[KIOSK_ID_LEN], dave[KIOSK_ID_LEN],
        erin[KIOSK_ID_LEN], frank[KIOSK_ID_LEN], x[KIOSK_ID_LEN], hs_ab[KIOSK_ID_LEN],
        lead[KIOSK_ID_LEN], hs_bc[KIOSK_ID_LEN];
    char fu[1024];

    a = open_kiosk("a.db", "kiosk-a", T0);
    b = open_kiosk("b.db", "kiosk-b", T0);
    c = open_kiosk("c.db", "kiosk-c", T0);
    if (!a || !b || !c)
        return;

    /* Kiosk A: alice and bob meet; erin has a second reference. */
    add(a, "T-ALICE", "Alice", "Acme", "alice@example.org", T0 + 1000, alice);
    add(a, "T-BOB", "Bob", "Bobcorp", "bob@example.org", T0 + 2000, bob);
    add(a, "T-ERIN", "Erin", "", NULL, T0 + 2500, erin);
    CHECK(store_attendee_add_ref(a, erin, "ORD-ERIN", "order", &err) == 0);
    scan(a, "T-ALICE", alice, T0 + 1000);
    scan(a, "T-BOB", bob, T0 + 2000);
    scan(a, "garbage", NULL, T0 + 2100);
    handshake(a, alice, bob, T0 + 3000, hs_ab);
    CHECK(store_note_append(a, hs_ab, "alice", "talk about rust", T0 + 3100, &err) == 0);
    snprintf(fu, sizeof(fu),
             "INSERT INTO followups(id, kiosk_id, interaction_id, owner_id, contact_id, kind, "
             "due_at, status, created_at, updated_at) VALUES "
             "('01900000-0000-7000-8000-00000000000a', 'kiosk-a', '%s', '%s', '%s', 'thank-you', "
             "%lld, 'queued', %lld, %lld)",
             hs_ab, alice, bob, T0 + 86400000LL, T0 + 3000, T0 + 3000);
    store_close(a);
    test_sql(test_path("a.db"), fu);

    /* Kiosk B merges A (an earlier USB round), then works on. */
    CHECK(store_merge(b, test_path("a.db"), T0 + 4000, &ms, &err) == 0);
    CHECK(ms.attendees_new == 3);
    /* B saw alice later with a new title: the later update must win. */
    add(b, "T-ALICE", "Alice A.", "Acme GmbH", NULL, T0 + 5000, x);
    CHECK_STR(x, alice); /* matched by ref after the merge */
    /* Erin's badge at B carries her order code as the primary reference. */
    add(b, "ORD-ERIN", "Erin E.", "Erinsoft", NULL, T0 + 1500, x);
    add(b, "T-CAROL", "Carol", "Carolabs", "carol@example.org", T0 + 5100, carol);
    add(b, "T-FRANK", "Frank", "Frankfurt AG", "frank@example.org", T0 + 5200, frank);
    scan(b, "T-CAROL", carol, T0 + 5100);
    {
        struct store_interaction in = {"lead", carol,           NULL, "booth-bob", T0 + 5300,
                                       0,      "card+followup", "v1", "",          "next-week"};
        CHECK(store_interaction_add(b, &in, T0 + 5300, lead, &err) == 0);
    }
    CHECK(store_lead_set(b, lead, 4, "hot", "{\"size\":\"50\"}", T0 + 5400, &err) == 0);
    CHECK(store_note_append(b, lead, "booth-bob", "wants a demo", T0 + 5500, &err) == 0);
    /* A note appended at B to A's interaction after the first merge. */
    CHECK(store_note_append(b, hs_ab, "bob", "send slides", T0 + 5600, &err) == 0);
    /* Alice withdraws her consent at B. */
    CHECK(store_consent_withdraw(b, "T-ALICE", "test", T0 + 6000, NULL, &err) == 0);
    /* Frank asks to be forgotten at B. */
    CHECK(store_forget(b, "T-FRANK", "test", T0 + 6100, NULL, &err) == 0);
    store_close(b);

    /* Kiosk C: bob (same time as A, other org: tie -> kiosk id), carol,
     * dave, frank (seen here before B erased him at T0 + 6100, so the
     * tombstone covers all of it), and a lead on carol re-rated. */
    add(c, "T-BOB", "Bob", "Bob Inc", "bob@example.org", T0 + 2000, bob);
    add(c, "T-CAROL", "Carol C.", "Carolabs", NULL, T0 + 7000, carol);
    add(c, "T-DAVE", "Dave", "Daveworks", "dave@example.org", T0 + 5700, dave);
    add(c, "T-FRANK", "Frank", "Frankfurt AG", "frank@example.org", T0 + 5800, frank);
    scan(c, "T-FRANK", frank, T0 + 5800);
    scan(c, "T-FRANK", NULL, T0 + 5850); /* an unlinked scan of the forgotten badge */
    handshake(c, bob, carol, T0 + 7300, hs_bc);
    handshake(c, dave, frank, T0 + 5900, x);
    CHECK(store_note_append(c, x, "dave", "frank knows frank@example.org", T0 + 5950, &err) == 0);
    CHECK(store_note_append(c, hs_bc, "carol", "lunch on friday", T0 + 7600, &err) == 0);
    store_close(c);
}

static int merge_order(const char *into, const char *const order[3])
{
    struct store *d = open_kiosk(into, "kiosk-d", T0 + 9000);
    struct err err = {{0}};
    struct store_merge_stats ms;
    int ok = 1;
    if (!d)
        return 0;
    for (int i = 0; i < 3; i++) {
        if (store_merge(d, test_path(order[i]), T0 + 9000 + i, &ms, &err) < 0) {
            fprintf(stderr, "merge %s into %s: %s\n", order[i], into, err.msg);
            ok = 0;
        }
    }
    CHECK(store_check(d, &err) == 0);
    store_close(d);
    return ok;
}

static void test_orders(void)
{
    static const char *const perms[6][3] = {{"a.db", "b.db", "c.db"}, {"a.db", "c.db", "b.db"},
                                            {"b.db", "a.db", "c.db"}, {"b.db", "c.db", "a.db"},
                                            {"c.db", "a.db", "b.db"}, {"c.db", "b.db", "a.db"}};
    char *first = NULL, name[32];
    size_t alen = 0, blen = 0;
    char *a_before = test_read_file(test_path("a.db"), &alen);
    char *c_before = test_read_file(test_path("c.db"), &blen);
    int same = 0;

    for (int p = 0; p < 6; p++) {
        char *d;
        snprintf(name, sizeof(name), "d%d.db", p);
        CHECK(merge_order(name, perms[p]));
        d = dump(test_path(name));
        CHECK(d != NULL);
        if (!d)
            continue;
        if (!first) {
            first = d;
            same++;
            continue;
        }
        if (strcmp(first, d) == 0) {
            same++;
        } else {
            FILE *f = fopen(test_path("dump0.txt"), "w"), *g = fopen(test_path("dumpN.txt"), "w");
            if (f && g) {
                fputs(first, f);
                fputs(d, g);
            }
            if (f)
                fclose(f);
            if (g)
                fclose(g);
            fprintf(stderr, "order %d differs: diff %s %s\n", p, test_path("dump0.txt"),
                    test_path("dumpN.txt"));
        }
        free(d);
    }
    printf("merge: %d of 6 orders give identical content\n", same);
    CHECK(same == 6);

    {
        char *d = dump(test_path("d0.db"));
        if (getenv("MERGE_DUMP") && d)
            fputs(d, stdout);
        free(d);
    }
    /* Sources were read only: their bytes did not change. */
    {
        size_t n1 = 0, n2 = 0;
        char *a_after = test_read_file(test_path("a.db"), &n1);
        char *c_after = test_read_file(test_path("c.db"), &n2);
        CHECK(a_before && a_after && alen == n1 && memcmp(a_before, a_after, n1) == 0);
        CHECK(c_before && c_after && blen == n2 && memcmp(c_before, c_after, n2) == 0);
        free(a_after);
        free(c_after);
    }
    free(a_before);
    free(c_before);

    /* What the merged database holds. */
    {
        const char *d = test_path("d0.db");
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM attendees") ==
              5); /* alice bob carol dave erin */
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM attendees WHERE ref = 'T-FRANK'") == 0);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM attendee_refs WHERE ref IN ('T-ERIN', "
                                 "'ORD-ERIN') GROUP BY attendee_id") == 2);
        CHECK(test_sql_scalar(d,
                              "SELECT count(*) FROM attendees WHERE display_name = 'Alice A.' AND "
                              "org = 'Acme GmbH' AND emails = 'alice@example.org'") == 1);
        /* bob: same updated_at at A and C; kiosk-c > kiosk-a wins. */
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM attendees WHERE ref = 'T-BOB' AND org = "
                                 "'Bob Inc'") == 1);
        /* notes: A's one, B's two, C's one about carol (dave-frank's is erased). */
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM notes") == 4);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM notes WHERE body LIKE '%frank%'") == 0);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM interactions") == 3);
        CHECK(test_sql_scalar(
                  d, "SELECT count(*) FROM interactions i JOIN attendees a ON a.id = i.a_id "
                     "WHERE a.ref = 'T-ALICE' AND i.consent_a_at IS NULL") == 1);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM followups WHERE status = 'cancelled'") == 1);
        CHECK(test_sql_scalar(d, "SELECT rating FROM leads") == 4);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM scans") == 4); /* frank's scan erased */
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM forgotten") == 1);
        CHECK(test_sql_scalar(d, "PRAGMA foreign_key_check") == -1); /* no rows */
    }
    free(first);
}

static void test_idempotent(void)
{
    struct store *d = open_kiosk("d0.db", "kiosk-d", T0 + 20000);
    struct err err = {{0}};
    struct store_merge_stats ms;
    char *before = dump(test_path("d0.db")), *after;
    if (!d)
        return;
    for (int i = 0; i < 2; i++) {
        CHECK(store_merge(d, test_path("a.db"), T0 + 20000, &ms, &err) == 0);
        CHECK(store_merge(d, test_path("b.db"), T0 + 20000, &ms, &err) == 0);
        CHECK(store_merge(d, test_path("c.db"), T0 + 20000, &ms, &err) == 0);
    }
    CHECK(ms.attendees_new == 0 && ms.scans == 0 && ms.notes == 0 && ms.interactions == 0);
    store_close(d);
    after = dump(test_path("d0.db"));
    CHECK(before && after && strcmp(before, after) == 0);
    free(before);
    free(after);

    /* Merging a merged database into another merged one changes nothing. */
    d = open_kiosk("d3.db", "kiosk-d", T0 + 20000);
    before = dump(test_path("d3.db"));
    CHECK(d && store_merge(d, test_path("d5.db"), T0 + 20000, &ms, &err) == 0);
    store_close(d);
    after = dump(test_path("d3.db"));
    CHECK(before && after && strcmp(before, after) == 0);
    free(before);
    free(after);
}

/* Merging into a kiosk that has its own data: B+C into A equals C+B into A. */
static void test_into_working_kiosk(void)
{
    struct store *s;
    struct err err = {{0}};
    struct store_merge_stats ms;
    char *x, *y;
    size_t n = 0;
    char *bytes = test_read_file(test_path("a.db"), &n);
    FILE *f;
    /* Two copies of A. */
    f = fopen(test_path("a1.db"), "wb");
    CHECK(f && fwrite(bytes, 1, n, f) == n);
    if (f)
        fclose(f);
    f = fopen(test_path("a2.db"), "wb");
    CHECK(f && fwrite(bytes, 1, n, f) == n);
    if (f)
        fclose(f);
    free(bytes);
    s = open_kiosk("a1.db", "kiosk-a", T0);
    CHECK(s && store_merge(s, test_path("b.db"), T0, &ms, &err) == 0);
    CHECK(s && store_merge(s, test_path("c.db"), T0, &ms, &err) == 0);
    store_close(s);
    s = open_kiosk("a2.db", "kiosk-a", T0);
    CHECK(s && store_merge(s, test_path("c.db"), T0, &ms, &err) == 0);
    CHECK(s && store_merge(s, test_path("b.db"), T0, &ms, &err) == 0);
    store_close(s);
    x = dump(test_path("a1.db"));
    y = dump(test_path("a2.db"));
    CHECK(x && y && strcmp(x, y) == 0);
    free(x);
    free(y);
    x = dump(test_path("d0.db"));
    y = dump(test_path("a1.db"));
    CHECK(x && y && strcmp(x, y) == 0); /* same content as the fresh merges */
    free(x);
    free(y);
}

static void test_refusals(void)
{
    struct store *d = open_kiosk("r.db", "kiosk-r", T0);
    struct err err = {{0}};
    struct store_merge_stats ms;
    char *before;
    FILE *f;
    if (!d)
        return;
    before = dump(test_path("r.db"));

    test_sql(test_path("other-app.db"), "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    CHECK(store_merge(d, test_path("other-app.db"), T0, &ms, &err) < 0);
    CHECK(strstr(err.msg, "another application") != NULL);

    test_sql(test_path("newer.db"), "PRAGMA application_id = 1263095635; PRAGMA user_version = "
                                    "99; CREATE TABLE t(x);");
    CHECK(store_merge(d, test_path("newer.db"), T0, &ms, &err) < 0);
    CHECK(strstr(err.msg, "newer kiosk") != NULL);

    f = fopen(test_path("text.db"), "w");
    if (f) {
        fputs("this is not a database, just some text that is long enough to look like one\n", f);
        fclose(f);
    }
    CHECK(store_merge(d, test_path("text.db"), T0, &ms, &err) < 0);
    CHECK(strstr(err.msg, "not a kiosk database") != NULL);

    CHECK(store_merge(d, test_path("missing.db"), T0, &ms, &err) < 0);
    CHECK(strstr(err.msg, "missing.db") != NULL);

    CHECK(store_merge(d, test_path("r.db"), T0, &ms, &err) < 0);
    CHECK(strstr(err.msg, "own database") != NULL);

    /* A damaged kiosk database: a copy of A with a page overwritten. */
    {
        size_t n = 0;
        char *bytes = test_read_file(test_path("a.db"), &n);
        if (bytes && n > 4096 * 3) {
            /* Wreck the b-tree page headers of pages 2..4. */
            for (int pg = 1; pg < 4; pg++)
                memset(bytes + 4096 * pg, 0xFF, 12);
            f = fopen(test_path("damaged.db"), "wb");
            if (f) {
                fwrite(bytes, 1, n, f);
                fclose(f);
            }
            CHECK(store_merge(d, test_path("damaged.db"), T0, &ms, &err) < 0);
            printf("damaged source: %s\n", err.msg);
        }
        free(bytes);
    }
    store_close(d);
    {
        char *after = dump(test_path("r.db"));
        CHECK(before && after && strcmp(before, after) == 0);
        free(after);
    }
    free(before);
}

/* The merged database must not hold the forgotten person's bytes anywhere. */
static void test_no_leak(void)
{
    size_t n = 0;
    char *bytes = test_read_file(test_path("d0.db"), &n);
    int found = 0;
    for (size_t i = 0; bytes && i + 17 <= n; i++)
        if (memcmp(bytes + i, "frank@example.org", 17) == 0)
            found = 1;
    CHECK(bytes != NULL);
    CHECK(!found);
    free(bytes);
}

/* One kiosk merged into an empty database: every row and column arrives
 * unchanged (catches a column the merge forgot). */
static void test_copy_exact(void)
{
    static const char *const srcs[] = {"a.db", "c.db"};
    for (int i = 0; i < 2; i++) {
        char name[16];
        struct store *e;
        struct err err = {{0}};
        struct store_merge_stats ms;
        char *x, *y;
        snprintf(name, sizeof(name), "e%d.db", i);
        e = open_kiosk(name, "kiosk-e", T0);
        CHECK(e && store_merge(e, test_path(srcs[i]), T0, &ms, &err) == 0);
        store_close(e);
        x = dump(test_path(srcs[i]));
        y = dump(test_path(name));
        CHECK(x && y && strcmp(x, y) == 0);
        free(x);
        free(y);
    }
}

/* A snapshot is a consistent 0600 copy that merges like the original. */
static void test_snapshot(void)
{
    struct store *s = open_kiosk("b.db", "", T0);
    struct err err = {{0}};
    struct stat st;
    char *x, *y;
    if (!s)
        return;
    if (store_snapshot(s, test_path("b-snap.db"), &err) < 0)
        fprintf(stderr, "snapshot: %s\n", err.msg);
    CHECK(access(test_path("b-snap.db"), F_OK) == 0);
    CHECK(store_snapshot(s, test_path("b-snap.db"), &err) < 0); /* never overwrites */
    CHECK(strstr(err.msg, "exists") != NULL);
    store_close(s);
    CHECK(stat(test_path("b-snap.db"), &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(access(test_path("b-snap.db-wal"), F_OK) != 0);
    x = dump(test_path("b.db"));
    y = dump(test_path("b-snap.db"));
    CHECK(x && y && strcmp(x, y) == 0);
    free(x);
    free(y);
    CHECK(test_sql_scalar(test_path("b-snap.db"), "PRAGMA application_id") == STORE_APP_ID);
}

/* Schema drift guard: store_merge.c names every column it copies. A column
 * added to a merged table must be added to the merge rules too; this test
 * fails until it is (then update the list here). */
static void test_columns_known(void)
{
    static const struct {
        const char *table, *columns;
    } known[] = {
        {"attendees", "id,kiosk_id,ref,display_name,given_name,family_name,org,title,emails,"
                      "phones,url,note,pitch,objectives,badge_format,source,created_at,"
                      "updated_at"},
        {"attendee_refs", "ref,attendee_id,kind"},
        {"scans", "id,kiosk_id,payload,format,attendee_id,mode,source,scanned_at"},
        {"interactions", "id,kiosk_id,kind,a_id,b_id,operator,consent_a_at,consent_b_at,"
                         "consent_scope,consent_version,objectives,followup_choice,created_at,"
                         "updated_at"},
        {"leads", "interaction_id,kiosk_id,rating,tags,answers,updated_at"},
        {"notes", "id,kiosk_id,interaction_id,author,body,created_at"},
        {"followups", "id,kiosk_id,interaction_id,owner_id,owner_name,contact_id,kind,due_at,"
                      "meetings,status,created_at,updated_at"},
        {"consent_withdrawals", "attendee_id,kiosk_id,withdrawn_at"},
        {"forgotten", "ref_hash,kiosk_id,at"},
        {"audit_log", "id,kiosk_id,actor,action,detail,at"},
        {"attendee_ids", "id,attendee_id,created_at"},
    };
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(test_path("a.db"), &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        test_failed++;
        sqlite3_close(db);
        return;
    }
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        sqlite3_stmt *st = NULL;
        char cols[1024] = "";
        if (sqlite3_prepare_v2(db, "SELECT group_concat(name, ',') FROM pragma_table_info(?1)", -1,
                               &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, known[i].table, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
                snprintf(cols, sizeof(cols), "%s", (const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        if (strcmp(cols, known[i].columns) != 0)
            fprintf(stderr, "table %s changed: teach store_merge.c its new columns\n",
                    known[i].table);
        CHECK_STR(cols, known[i].columns);
    }
    sqlite3_close(db);
}

/* A tombstone covers what was written before the erasure, not after: gina
 * is forgotten at kiosk A at T1; kiosk B scanned her (and she met hank) at
 * T0' < T1, kiosk C scanned her again at T2 > T1 (a new consent). In every
 * merge order, and merging into B itself, B's rows of her go and C's stay. */
static void test_reregistered(void)
{
    static const char *const perms[6][3] = {
        {"ra.db", "rb.db", "rc.db"}, {"ra.db", "rc.db", "rb.db"}, {"rb.db", "ra.db", "rc.db"},
        {"rb.db", "rc.db", "ra.db"}, {"rc.db", "ra.db", "rb.db"}, {"rc.db", "rb.db", "ra.db"}};
    const int64_t t0 = T0 + 500, t1 = T0 + 10000, t2 = T0 + 20000;
    struct store *a = open_kiosk("ra.db", "kiosk-a", T0), *b = open_kiosk("rb.db", "kiosk-b", T0),
                 *c = open_kiosk("rc.db", "kiosk-c", T0);
    struct err err = {{0}};
    struct store_merge_stats ms;
    char gina[KIOSK_ID_LEN], hank[KIOSK_ID_LEN], hs[KIOSK_ID_LEN], name[32], sql[256];

    if (!a || !b || !c) {
        store_close(a);
        store_close(b);
        store_close(c);
        return;
    }
    add(a, "T-GINA", "Gina", "Ginaco", "gina@example.org", T0 + 100, gina);
    CHECK(store_forget(a, "T-GINA", "test", t1, NULL, &err) == 0);
    add(b, "T-GINA", "Gina", "Ginaco", "gina@example.org", t0, gina);
    add(b, "T-HANK", "Hank", "Hankworks", NULL, t0, hank);
    scan(b, "T-GINA", gina, t0);
    scan(b, "T-GINA", NULL, t0 + 10); /* unlinked */
    handshake(b, gina, hank, t0 + 20, hs);
    CHECK(store_note_append(b, hs, "hank", "old gina note", t0 + 30, &err) == 0);
    add(c, "T-GINA", "Gina G.", "Newco", "gina@new.example.org", t2, gina);
    scan(c, "T-GINA", gina, t2);
    scan(c, "T-GINA", NULL, t2 + 10); /* unlinked, after the erasure */
    store_close(a);
    store_close(b);
    store_close(c);

    for (int p = 0; p < 6; p++) {
        const char *d;
        snprintf(name, sizeof(name), "re%d.db", p);
        CHECK(merge_order(name, perms[p]));
        d = test_path(name);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM attendees WHERE ref = 'T-GINA' AND "
                                 "display_name = 'Gina G.' AND org = 'Newco'") == 1);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM attendees WHERE ref = 'T-HANK'") == 1);
        /* B's two scans of her (t0) went, C's two (t2) stayed. */
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM scans WHERE payload = CAST('T-GINA' AS "
                 "BLOB) AND scanned_at >= %lld",
                 (long long)t2);
        CHECK(test_sql_scalar(d, sql) == 2);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM scans") == 2);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM interactions") == 0);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM notes") == 0);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM forgotten WHERE at = %lld", (long long)t1);
        CHECK(test_sql_scalar(d, sql) == 1);
        CHECK(test_sql_scalar(d, "PRAGMA foreign_key_check") == -1);
    }

    /* Into B itself: A erases B's copy; C's later one then comes in. */
    b = open_kiosk("rb.db", "kiosk-b", t2);
    CHECK(b && store_merge(b, test_path("ra.db"), t2 + 100, &ms, &err) == 0);
    CHECK(ms.erased == 1);
    CHECK(b && store_merge(b, test_path("rc.db"), t2 + 200, &ms, &err) == 0);
    CHECK(ms.attendees_new == 1 && ms.erased == 0);
    store_close(b);
    CHECK(test_sql_scalar(test_path("rb.db"),
                          "SELECT count(*) FROM attendees WHERE ref = 'T-GINA'") == 1);
    CHECK(test_sql_scalar(test_path("rb.db"), "SELECT count(*) FROM scans") == 2);

    /* Forgotten again after the new registration: the later tombstone
     * wins and covers the new rows too. */
    c = open_kiosk("rc.db", "kiosk-c", t2);
    CHECK(c && store_forget(c, "T-GINA", "test", t2 + 1000, NULL, &err) == 0);
    store_close(c);
    CHECK(merge_order("re-again.db", perms[0]));
    CHECK(test_sql_scalar(test_path("re-again.db"),
                          "SELECT count(*) FROM attendees WHERE ref = 'T-GINA'") == 0);
    CHECK(test_sql_scalar(test_path("re-again.db"), "SELECT count(*) FROM scans") == 0);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM forgotten WHERE at = %lld",
             (long long)(t2 + 1000));
    CHECK(test_sql_scalar(test_path("re-again.db"), sql) == 1);
}

/* Merge each of the 6 orders of three kiosks into PREFIX0.db..PREFIX5.db;
 * returns how many give the same dump as the first (6 = all). */
static int merged_same(const char *prefix, const char *const k[3])
{
    const char *const perms[6][3] = {{k[0], k[1], k[2]}, {k[0], k[2], k[1]}, {k[1], k[0], k[2]},
                                     {k[1], k[2], k[0]}, {k[2], k[0], k[1]}, {k[2], k[1], k[0]}};
    char name[32], *first = NULL;
    int same = 0;
    for (int p = 0; p < 6; p++) {
        char *d;
        snprintf(name, sizeof(name), "%s%d.db", prefix, p);
        CHECK(merge_order(name, perms[p]));
        d = dump(test_path(name));
        if (!d)
            continue;
        if (!first) {
            first = d;
            same++;
            continue;
        }
        if (strcmp(first, d) == 0)
            same++;
        else
            fprintf(stderr, "%s: order %d differs from order 0\n", prefix, p);
        free(d);
    }
    free(first);
    return same;
}

static void attendee_row(const char *db, const char *ref, char id[KIOSK_ID_LEN], int64_t *created)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    id[0] = '\0';
    *created = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT id, created_at FROM attendees WHERE ref = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(id, KIOSK_ID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
            *created = sqlite3_column_int64(st, 1);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
}

/* Who a re-registered person is, whatever the merge order. Gina is
 * forgotten at kiosk A at t1. Kiosk B met her before (t0: badge, a
 * handshake with hank and a note, a follow-up) and, not knowing of the
 * erasure, kept writing to those old rows after t1 (hank withdrew consent,
 * the follow-up fell due). Kiosk C registered her again at t2 > t1. Every
 * order must give C's identity (id and created_at) and none of B's rows of
 * her: they were created before the erasure, whatever was written to them
 * later. Then, with no copy created after the erasure at all (kiosk E
 * wrote to its old row after t1, kiosk F has an older untouched copy),
 * every order must still agree on one identity. */
static void test_reregistered_identity(void)
{
    static const char *const kiosks[3] = {"ia.db", "ib.db", "ic.db"};
    static const char *const kiosks2[3] = {"ia.db", "ie.db", "if.db"};
    const int64_t t0 = T0 + 500, t1 = T0 + 10000, t2 = T0 + 20000;
    struct store *a = open_kiosk("ia.db", "kiosk-a", T0), *b = open_kiosk("ib.db", "kiosk-b", T0),
                 *c = open_kiosk("ic.db", "kiosk-c", T0), *e = open_kiosk("ie.db", "kiosk-e", T0),
                 *f = open_kiosk("if.db", "kiosk-f", T0);
    struct err err = {{0}};
    char gina[KIOSK_ID_LEN], gina_c[KIOSK_ID_LEN], hank[KIOSK_ID_LEN], hs[KIOSK_ID_LEN],
        id[KIOSK_ID_LEN], id0[KIOSK_ID_LEN], sql[512], name[32];
    int64_t created = 0, created0 = 0;

    if (!a || !b || !c || !e || !f) {
        store_close(a);
        store_close(b);
        store_close(c);
        store_close(e);
        store_close(f);
        return;
    }
    add(a, "T-GINA", "Gina", "Ginaco", "gina@example.org", T0 + 100, gina);
    CHECK(store_forget(a, "T-GINA", "test", t1, NULL, &err) == 0);
    store_close(a);

    add(b, "T-GINA", "Gina", "Ginaco", "gina@example.org", t0, gina);
    add(b, "T-HANK", "Hank", "Hankworks", NULL, t0, hank);
    handshake(b, gina, hank, t0 + 20, hs);
    CHECK(store_note_append(b, hs, "hank", "old gina note", t0 + 30, &err) == 0);
    CHECK(store_consent_withdraw(b, "T-HANK", "test", t1 + 50, NULL, &err) == 0);
    store_close(b);
    snprintf(sql, sizeof(sql),
             "INSERT INTO followups(id, kiosk_id, interaction_id, owner_id, contact_id, kind, "
             "due_at, status, created_at, updated_at) VALUES "
             "('01900000-0000-7000-8000-0000000000b1', 'kiosk-b', NULL, NULL, '%s', 'check-in', "
             "%lld, 'due', %lld, %lld)",
             gina, (long long)(t0 + 40), (long long)(t0 + 40), (long long)(t1 + 60));
    test_sql(test_path("ib.db"), sql);

    add(c, "T-GINA", "Gina G.", "Newco", "gina@new.example.org", t2, gina_c);
    scan(c, "T-GINA", gina_c, t2);
    store_close(c);

    CHECK(merged_same("ri", kiosks) == 6);
    for (int p = 0; p < 6; p++) {
        const char *d;
        snprintf(name, sizeof(name), "ri%d.db", p);
        d = test_path(name);
        attendee_row(d, "T-GINA", id, &created);
        CHECK_STR(id, gina_c);
        CHECK(created == t2);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM interactions") == 0);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM notes") == 0);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM followups") == 0);
        CHECK(test_sql_scalar(d, "SELECT count(*) FROM scans") == 1);
        CHECK(test_sql_scalar(d, "PRAGMA foreign_key_check") == -1);
    }

    /* E: met her at t0 and scanned her again at t2 on the same row; F: an
     * older copy (t0 - 100) nobody touched after the erasure. */
    add(e, "T-GINA", "Gina", "Ginaco", "gina@example.org", t0, gina);
    add(e, "T-GINA", "Gina E.", "", NULL, t2, gina);
    scan(e, "T-GINA", gina, t2);
    store_close(e);
    add(f, "T-GINA", "Gina", "Ginaco", "gina@example.org", t0 - 100, gina);
    store_close(f);
    CHECK(merged_same("rj", kiosks2) == 6);
    attendee_row(test_path("rj0.db"), "T-GINA", id0, &created0);
    CHECK(id0[0] != '\0');
    CHECK(created0 > t1); /* her record counts from after the erasure */
    for (int p = 1; p < 6; p++) {
        snprintf(name, sizeof(name), "rj%d.db", p);
        attendee_row(test_path(name), "T-GINA", id, &created);
        CHECK_STR(id, id0);
        CHECK(created == created0);
    }
    /* Merging the merged results into each other changes nothing. */
    {
        struct store *d = open_kiosk("rj0.db", "kiosk-d", t2);
        struct store_merge_stats ms;
        char *before = dump(test_path("rj0.db")), *after;
        CHECK(d && store_merge(d, test_path("rj3.db"), t2, &ms, &err) == 0);
        CHECK(d && store_merge(d, test_path("ri0.db"), t2, &ms, &err) == 0);
        store_close(d);
        after = dump(test_path("rj0.db"));
        /* ri0 adds C's copy (created after the erasure): it becomes her identity. */
        attendee_row(test_path("rj0.db"), "T-GINA", id, &created);
        CHECK_STR(id, gina_c);
        CHECK(created == t2);
        CHECK(before && after && strcmp(before, after) != 0);
        free(before);
        free(after);
    }
}

int main(void)
{
    build_kiosks();
    test_columns_known();
    test_copy_exact();
    test_orders();
    test_idempotent();
    test_into_working_kiosk();
    test_refusals();
    test_no_leak();
    test_snapshot();
    test_reregistered();
    test_reregistered_identity();
    return test_done();
}
