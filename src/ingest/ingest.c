/* pw_ingest: hash the input, recognise a repeat, keep the raw bytes
 * durably, then hand over to the processing step; and the recovery of
 * inputs a stopped process left half-way. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

static pw_rc hash_hex(const char *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    if (sodium_init() < 0)
        return PW_ERR_UNSUPPORTED;
    crypto_hash_sha256(digest, (const unsigned char *)data,
                       (unsigned long long)len);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
    return PW_OK;
}

static void repeated(pw_ingest_report *out, int64_t id)
{
    out->status = PW_INGEST_REPEATED;
    out->message_id = id;
}

pw_rc pw_ingest(pw_store *s, const char *name, const char *data, size_t len,
                pw_ingest_report *out)
{
    pw_store_raw raw = {.name = name, .data = data, .len = len};
    int64_t id;
    pw_rc rc;

    if (!out)
        return PW_ERR_INVALID;
    memset(out, 0, sizeof(*out));
    if (!s || (!data && len))
        return PW_ERR_INVALID;
    rc = hash_hex(data ? data : "", len, out->sha256);
    if (rc != PW_OK)
        return rc;
    rc = pw_store_find_message(s, out->sha256, &id, NULL);
    if (rc == PW_OK) {
        repeated(out, id);
        return PW_OK;
    }
    if (rc != PW_ERR_NOTFOUND)
        return rc;

    /* The raw bytes are committed on their own first: whatever happens
     * next, the input is not lost and recovery can read it again. */
    raw.sha256 = out->sha256;
    rc = pw_store_add_message(s, &raw, &id);
    if (rc == PW_ERR_EXISTS) {
        repeated(out, id);
        return PW_OK;
    }
    if (rc != PW_OK)
        return rc;
    out->message_id = id;
    return pw_ingest_process(s, id, data ? data : "", len, out);
}

static pw_rc recover_one(pw_store *s, int64_t id)
{
    pw_ingest_report r = {0};
    size_t len;
    char *data;
    pw_rc rc = pw_store_get_raw(s, id, &data, &len);

    if (rc != PW_OK)
        return rc;
    r.message_id = id;
    rc = pw_ingest_process(s, id, data, len, &r);
    pw_ingest_report_free(&r);
    free(data);
    return rc;
}

pw_rc pw_ingest_recover(pw_store *s, size_t *n)
{
    int64_t ids[64];
    size_t got, done = 0;
    pw_rc rc;

    if (n)
        *n = 0;
    if (!s)
        return PW_ERR_INVALID;
    do {
        rc = pw_store_received(s, ids, sizeof(ids) / sizeof(ids[0]), &got);
        for (size_t i = 0; rc == PW_OK && i < got; i++, done++)
            rc = recover_one(s, ids[i]);
    } while (rc == PW_OK && got > 0);
    if (n)
        *n = done;
    return rc;
}
