/* pw_ingest: hash the input, recognise a repeat, keep the raw bytes
 * durably, then hand over to the processing step; and the recovery of
 * inputs a stopped process left half-way. */
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "paxwatch/privacy.h"

/* SHA-256 of the input as hex. Nettle uses the CPU's SHA instructions
 * where there are any; libsodium's portable SHA-256 (the same digest)
 * was a fifth of the CPU time of ingest. */
static pw_rc hash_hex(const char *data, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof(digest), digest);
    for (size_t i = 0; i < sizeof(digest); i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
    return PW_OK;
}

/* Keeps the raw bytes with what the sensitive-data filter would drop
 * overwritten (docs/privacy.md): the archive must not hold what the
 * readers may not keep. The hash stays that of the bytes as received,
 * so a resend is still recognised. */
static pw_rc keep_redacted(pw_store *s, pw_store_raw *raw, int64_t *id)
{
    char *copy = NULL;
    pw_rc rc = pw_sensitive_redact(NULL, raw->data ? raw->data : "", raw->len,
                                   &copy, NULL);

    if (rc != PW_OK)
        return rc;
    raw->data = copy;
    rc = pw_store_add_message(s, raw, id);
    free(copy);
    return rc;
}

static void repeated(pw_ingest_report *out, int64_t id)
{
    out->status = PW_INGEST_REPEATED;
    out->message_id = id;
}

/* Whether bytes with this hash were stored before (PW_OK, *id set) or
 * not (PW_ERR_NOTFOUND). A resend of an input rejected before is read
 * again rather than reported as a repeat (*again): the sender is owed
 * its rejection, and a CONTRL, each time, and a later paxwatch may read
 * what an earlier one could not. Its status goes back to received, so
 * that recovery finds it should this process stop midway. */
static pw_rc stored_before(pw_store *s, const char *sha, int64_t *id,
                           int *again)
{
    pw_msg_status st;
    pw_store_outcome o = {.status = PW_MSG_RECEIVED};
    pw_rc rc = pw_store_find_message(s, sha, id, &st);

    *again = 0;
    if (rc != PW_OK || st != PW_MSG_REJECTED)
        return rc;
    rc = pw_store_set_status(s, *id, &o);
    *again = rc == PW_OK;
    return rc;
}

pw_rc pw_ingest(pw_store *s, const char *name, const char *data, size_t len,
                pw_ingest_report *out)
{
    pw_store_raw raw = {.name = name, .data = data, .len = len};
    int64_t id;
    int again;
    pw_rc rc;

    if (!out)
        return PW_ERR_INVALID;
    memset(out, 0, sizeof(*out));
    if (!s || (!data && len))
        return PW_ERR_INVALID;
    rc = hash_hex(data ? data : "", len, out->sha256);
    if (rc != PW_OK)
        return rc;
    rc = stored_before(s, out->sha256, &id, &again);
    if (rc == PW_OK && again) {
        out->message_id = id;
        return pw_ingest_process(s, id, data ? data : "", len, out);
    }
    if (rc == PW_OK) {
        repeated(out, id);
        return PW_OK;
    }
    if (rc != PW_ERR_NOTFOUND)
        return rc;

    /* The raw bytes are committed on their own first: whatever happens
     * next, the input is not lost and recovery can read it again. */
    raw.sha256 = out->sha256;
    rc = keep_redacted(s, &raw, &id);
    if (rc == PW_ERR_EXISTS) {
        repeated(out, id);
        return PW_OK;
    }
    if (rc != PW_OK)
        return rc;
    out->message_id = id;
    return pw_ingest_process(s, id, data ? data : "", len, out);
}

/* Batch step 1, in one transaction: keep the raw bytes of every input
 * not seen before (also earlier in this batch), and take up again those
 * rejected before (stored_before); mark the rest repeats. new_ids[i] is
 * the stored input to process, or 0. */
static pw_rc keep_raw(pw_store *s, const pw_ingest_input *in, size_t n,
                      pw_ingest_report *out, int64_t *new_ids)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < n && rc == PW_OK; i++) {
        pw_store_raw raw = {.sha256 = out[i].sha256,
                            .name = in[i].name,
                            .data = in[i].data,
                            .len = in[i].len};
        int64_t id;
        int again;

        rc = stored_before(s, out[i].sha256, &id, &again);
        if (rc == PW_OK && again) {
            out[i].message_id = new_ids[i] = id;
            continue;
        }
        if (rc == PW_OK) {
            repeated(&out[i], id);
            continue;
        }
        if (rc == PW_ERR_NOTFOUND)
            rc = keep_redacted(s, &raw, &id);
        if (rc == PW_OK)
            out[i].message_id = new_ids[i] = id;
    }
    return rc;
}

/* Batch step 2, in one transaction: everything the new inputs yield. */
static pw_rc process_all(pw_store *s, const pw_ingest_input *in, size_t n,
                         pw_ingest_report *out, const int64_t *new_ids)
{
    struct screener *sc;
    pw_rules_seen rules = {0};
    pw_rc rc = pw_ingest_screener(s, &sc);

    if (rc == PW_OK)
        rc = pw_store_begin(s);
    for (size_t i = 0; i < n && rc == PW_OK; i++)
        if (new_ids[i])
            rc = pw_ingest_process_open(s, sc, &rules, new_ids[i],
                                        in[i].data ? in[i].data : "", in[i].len,
                                        &out[i]);
    if (rc == PW_OK)
        rc = pw_store_commit(s);
    if (rc != PW_OK)
        pw_store_rollback(s);
    return rc;
}

/* The batch's yield was rolled back: each new input again, alone, so
 * that one that cannot be stored keeps the others from failing. */
static pw_rc process_each(pw_store *s, const pw_ingest_input *in, size_t n,
                          pw_ingest_report *out, const int64_t *new_ids)
{
    pw_rc first = PW_OK;

    for (size_t i = 0; i < n; i++) {
        char sha[65];
        pw_rc rc;

        if (!new_ids[i])
            continue;
        memcpy(sha, out[i].sha256, sizeof(sha));
        pw_ingest_report_free(&out[i]);
        memcpy(out[i].sha256, sha, sizeof(sha));
        out[i].message_id = new_ids[i];
        rc = pw_ingest_process(s, new_ids[i], in[i].data ? in[i].data : "",
                               in[i].len, &out[i]);
        /* Not stored: no status, so no one reads it as stored. */
        if (rc != PW_OK)
            out[i].status = 0;
        if (first == PW_OK)
            first = rc;
    }
    return first;
}

static pw_rc batch_args(pw_store *s, const pw_ingest_input *in, size_t n)
{
    if (!s || (n && !in) || n > PW_INGEST_BATCH_MAX)
        return PW_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        if (!in[i].data && in[i].len)
            return PW_ERR_INVALID;
    return PW_OK;
}

pw_rc pw_ingest_batch(pw_store *s, const pw_ingest_input *in, size_t n,
                      pw_ingest_report *out)
{
    int64_t *new_ids;
    pw_rc rc;

    rc = out ? batch_args(s, in, n) : PW_ERR_INVALID;
    if (rc != PW_OK)
        return rc;
    memset(out, 0, n * sizeof(*out));
    for (size_t i = 0; i < n && rc == PW_OK; i++)
        rc = hash_hex(in[i].data ? in[i].data : "", in[i].len, out[i].sha256);
    new_ids = rc == PW_OK ? calloc(n + 1, sizeof(*new_ids)) : NULL;
    if (rc != PW_OK || !new_ids)
        return rc != PW_OK ? rc : PW_ERR_NOMEM;

    /* All raw bytes are durable before any input is read. */
    rc = pw_store_begin(s);
    if (rc == PW_OK)
        rc = keep_raw(s, in, n, out, new_ids);
    rc = rc == PW_OK ? pw_store_commit(s) : rc;
    if (rc != PW_OK) {
        pw_store_rollback(s);
        free(new_ids);
        return rc;
    }
    if (process_all(s, in, n, out, new_ids) != PW_OK)
        rc = process_each(s, in, n, out, new_ids);
    free(new_ids);
    return rc;
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
