/*
 * gen_v1.c - writes tests/data/store/v1.db, a schema-1 kiosk database that
 * test_store.c upgrades. It was built once against the schema-1 store
 * (commit 913a9ee, before migration 1 -> 2 existed) and the file is checked
 * in; rebuilding it against newer code would write a newer schema, so do
 * not. Not part of the build. To rebuild at that commit:
 *   cc -std=c11 -Ikiosk/core tests/data/store/gen_v1.c build/libkiosk_core.a \
 *      -lsqlite3 -lzbar -lqrencode -lm -o gen_v1 && ./gen_v1 OUT.db
 *
 * Contents (kiosk "kiosk-v1", times from T0 = 1780000000000):
 *   alice (T0+1000) and bob (T0+2000), a scan each, a handshake with a
 *   note; gina registered at T0+100 with a scan, forgotten at T0+10000,
 *   then registered again at T0+20000 with a new scan.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

#define T0 1780000000000LL

static int add(struct store *s, const char *ref, const char *name, const char *email, int64_t t,
               char id[KIOSK_ID_LEN], struct err *err)
{
    struct contact c;
    struct store_scan sc;
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "%s", ref);
    snprintf(c.display_name, sizeof(c.display_name), "%s", name);
    contact_add_email(&c, email);
    if (store_attendee_upsert(s, &c, "badge", t, id, err) < 0)
        return -1;
    memset(&sc, 0, sizeof(sc));
    sc.payload = (const unsigned char *)ref;
    sc.len = strlen(ref);
    sc.format = "plain";
    sc.attendee_id = id;
    sc.mode = "handshake";
    sc.source = "camera";
    return store_scan_add(s, &sc, t, NULL, err);
}

int main(int argc, char **argv)
{
    struct store *s = NULL;
    struct err err = {{0}};
    char alice[KIOSK_ID_LEN], bob[KIOSK_ID_LEN], gina[KIOSK_ID_LEN], hs[KIOSK_ID_LEN];
    struct store_interaction in = {"handshake", alice,  bob,  "", T0 + 3000,
                                   T0 + 3000,   "card", "v1", "", "tomorrow"};
    if (argc != 2) {
        fprintf(stderr, "usage: gen_v1 OUT.db\n");
        return 2;
    }
    if (store_open(&s, argv[1], "kiosk-v1", T0, &err) < 0 ||
        add(s, "T-GINA", "Gina", "gina@example.org", T0 + 100, gina, &err) < 0 ||
        add(s, "T-ALICE", "Alice", "alice@example.org", T0 + 1000, alice, &err) < 0 ||
        add(s, "T-BOB", "Bob", "bob@example.org", T0 + 2000, bob, &err) < 0 ||
        store_interaction_add(s, &in, T0 + 3000, hs, &err) < 0 ||
        store_note_append(s, hs, "alice", "talk about rust", T0 + 3100, &err) < 0 ||
        store_forget(s, "T-GINA", "test", T0 + 10000, NULL, &err) < 0 ||
        add(s, "T-GINA", "Gina G.", "gina@new.example.org", T0 + 20000, gina, &err) < 0) {
        fprintf(stderr, "gen_v1: %s\n", err.msg);
        store_close(s);
        return 1;
    }
    printf("schema %d\n", store_schema_version(s));
    store_close(s);
    return 0;
}
