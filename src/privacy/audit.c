/* The audit log's hash chain: the canonical content of an entry and
 * the SHA-256 that links it to the entry before. */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/audit.h"

/* Each field as its length, ':' and its bytes, then '\n', so no choice
 * of field values can make two different entries read the same; a
 * missing field is "-" with no length. */
static void feed(crypto_hash_sha256_state *h, const char *s)
{
    char len[24];

    if (!s) {
        crypto_hash_sha256_update(h, (const unsigned char *)"-\n", 2);
        return;
    }
    snprintf(len, sizeof len, "%zu:", strlen(s));
    crypto_hash_sha256_update(h, (const unsigned char *)len, strlen(len));
    crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
    crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

void pw_audit_hash(const char *prev, const pw_audit_entry *e, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char seq[24];

    snprintf(seq, sizeof seq, "%" PRId64, e->seq);
    crypto_hash_sha256_init(&h);
    feed(&h, prev ? prev : "");
    feed(&h, seq);
    feed(&h, e->at);
    feed(&h, e->who);
    feed(&h, e->action);
    feed(&h, e->object);
    feed(&h, e->client);
    feed(&h, e->purpose);
    feed(&h, e->outcome);
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

int pw_audit_head_parse(const char *text, int64_t *seq, char hash[65])
{
    char *end;
    long long n;

    if (!text || *text < '1' || *text > '9')
        return 0;
    errno = 0;
    n = strtoll(text, &end, 10);
    if (errno || *end != ':' || strlen(end + 1) != 64 ||
        strspn(end + 1, "0123456789abcdef") != 64)
        return 0;
    memcpy(hash, end + 1, 65);
    *seq = n;
    return 1;
}
