/*
 * merge.c - how long `kiosk merge` takes for an event-sized set of kiosks.
 *
 * Three kiosks, each with N attendees (a third of them also seen at another
 * kiosk), a scan each, a handshake per two attendees with a note. Kiosk A
 * forgets F people; half of them register again at kiosk C afterwards.
 * Figures: merging A, B and C into a fresh database, then the same merge
 * again (idempotent: nothing changes), and as the in-process baseline the
 * same three kiosks without any erasure (ratio = with / without). Times
 * are processor time (ms of CPU), not wall-clock.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/store.h"
#include "test.h"

#define T0 1780000000000LL
#define N  2000
#define F  100

/* Processor time of this process: on a machine shared with other work
 * it varies far less than the wall clock (the merge is one transaction,
 * so it hardly waits for the disk). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void person(struct store *s, const char *ref, int64_t t, char id[KIOSK_ID_LEN])
{
    struct contact c;
    struct err err = {{0}};
    struct store_scan sc;
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "%s", ref);
    snprintf(c.display_name, sizeof(c.display_name), "Person %s", ref);
    contact_add_email(&c, "someone@example.org");
    if (store_attendee_upsert(s, &c, "badge", t, id, &err) < 0)
        fprintf(stderr, "upsert: %s\n", err.msg);
    memset(&sc, 0, sizeof(sc));
    sc.payload = (const unsigned char *)ref;
    sc.len = strlen(ref);
    sc.format = "plain";
    sc.attendee_id = id;
    sc.mode = "handshake";
    sc.source = "camera";
    store_scan_add(s, &sc, t, NULL, &err);
}

/* Kiosk k (0..2): refs P<k*2N/3 + i>, so neighbours share a third. */
static void build(const char *path, const char *kiosk, int k, int erase)
{
    struct store *s = NULL;
    struct err err = {{0}};
    char prev[KIOSK_ID_LEN] = "", id[KIOSK_ID_LEN], ref[32], hs[KIOSK_ID_LEN];
    unlink(path);
    if (store_open(&s, path, kiosk, T0, &err) < 0) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        return;
    }
    store_begin(s, &err);
    for (int i = 0; i < N; i++) {
        int64_t t = T0 + (int64_t)k * 1000000 + i * 10;
        snprintf(ref, sizeof(ref), "P%d", k * (2 * N / 3) + i);
        person(s, ref, t, id);
        if (i % 2 == 1) {
            struct store_interaction in = {"handshake", prev,   id,   "", t,
                                           t,           "card", "v1", "", "none"};
            store_interaction_add(s, &in, t, hs, &err);
            store_note_append(s, hs, "op", "met at the booth", t + 1, &err);
        }
        memcpy(prev, id, sizeof(prev));
    }
    store_commit(s, &err);
    if (erase && k == 0)
        for (int i = 0; i < F; i++) {
            snprintf(ref, sizeof(ref), "P%d", i * 7);
            store_forget(s, ref, "bench", T0 + 5000000 + i, NULL, &err);
        }
    if (erase && k == 2) /* half of them come back at C, after the erasure */
        for (int i = 0; i < F; i += 2) {
            snprintf(ref, sizeof(ref), "P%d", i * 7);
            person(s, ref, T0 + 6000000 + i, id);
        }
    store_close(s);
}

static double merge_all(const char *into, const char *const src[3], int64_t t)
{
    struct store *d = NULL;
    struct err err = {{0}};
    struct store_merge_stats ms;
    double t0;
    if (store_open(&d, into, "kiosk-d", t, &err) < 0)
        return -1;
    t0 = now_s();
    for (int i = 0; i < 3; i++)
        if (store_merge(d, src[i], t, &ms, &err) < 0)
            fprintf(stderr, "merge %s: %s\n", src[i], err.msg);
    t0 = now_s() - t0;
    store_close(d);
    return t0;
}

int main(void)
{
    char a[1024], b[1024], c[1024], d[1024];
    const char *const src[3] = {a, b, c};
    double plain, with, again;
    snprintf(a, sizeof(a), "%s", test_path("a.db"));
    snprintf(b, sizeof(b), "%s", test_path("b.db"));
    snprintf(c, sizeof(c), "%s", test_path("c.db"));

    build(a, "kiosk-a", 0, 0);
    build(b, "kiosk-b", 1, 0);
    build(c, "kiosk-c", 2, 0);
    snprintf(d, sizeof(d), "%s", test_path("plain.db"));
    plain = merge_all(d, src, T0 + 9000000);

    build(a, "kiosk-a", 0, 1);
    build(c, "kiosk-c", 2, 1);
    snprintf(d, sizeof(d), "%s", test_path("with.db"));
    with = merge_all(d, src, T0 + 9000000);
    again = merge_all(d, src, T0 + 9000001);

    printf("merge: 3 kiosks x %d attendees (+%d scans, %d handshakes, %d notes each)\n", N, N,
           N / 2, N / 2);
    printf("merge: no erasures            %7.1f ms CPU\n", plain * 1000);
    printf("merge: %d erased, %d back     %7.1f ms CPU (%.2fx)\n", F, F / 2, with * 1000,
           with / plain);
    printf("merge: the same again (no-op) %7.1f ms CPU (%.2fx)\n", again * 1000, again / plain);
    test_done();
    return 0;
}
