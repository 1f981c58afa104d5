/*
 * test_sha256.c - the one SHA-256 (kiosk/core/sha256.c) against the FIPS
 * 180-4 example vectors: "abc", the 448-bit two-block message, one million
 * 'a', plus the empty message and the padding edges (55, 56, 64 bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "store.h"
#include "test.h"

static void check(const void *data, size_t len, const char *want)
{
    char hex[SHA256_HEX_LEN];
    sha256_hex(data, len, hex);
    CHECK_STR(hex, want);
}

int main(void)
{
    static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    unsigned char raw[SHA256_LEN];
    char ref[SHA256_HEX_LEN], buf[64];
    char *million = malloc(1000000);

    check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(million != NULL);
    if (million) {
        memset(million, 'a', 1000000);
        check(million, 1000000,
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    free(million);
    check(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* Padding edges: 55 bytes fit one block, 56 need two, 64 is a full block. */
    memset(buf, 'a', sizeof(buf));
    check(buf, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    check(buf, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    check(buf, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    /* The raw and hex forms agree, and both callers go through it. */
    sha256("abc", 3, raw);
    CHECK(raw[0] == 0xba && raw[31] == 0xad);
    store_ref_hash("abc", ref);
    CHECK_STR(ref, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    return test_done();
}
