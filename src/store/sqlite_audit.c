/* The audit log in the SQLite store: append under a write lock so the
 * chain has one order, list by user and time, and verify the chain. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "paxwatch/audit.h"
#include "store/sqlite_impl.h"

#define AUDIT_COLUMNS                                                          \
    "seq, at, who, action, object, client, purpose, "                          \
    "outcome, hash"

static pw_rc prepare(sq_store *q, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing an audit statement");
    return PW_OK;
}

/* The last entry's seq and hash (0 and "" for an empty log). */
static pw_rc last_entry(sq_store *q, int64_t *seq, char prev[65])
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "SELECT seq, hash FROM audit ORDER BY id DESC "
                       "LIMIT 1",
                       &st);

    if (rc != PW_OK)
        return rc;
    *seq = 0;
    prev[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        snprintf(prev, 65, "%s", sq_col(st, 1) ? sq_col(st, 1) : "");
    }
    sqlite3_finalize(st);
    return PW_OK;
}

/* A copy of s cut to PW_AUTH_MAX_FIELD bytes at a character boundary,
 * in buf, or NULL for NULL. */
static const char *cut(const char *s, char buf[PW_AUDIT_MAX_FIELD + 1])
{
    size_t n;

    if (!s)
        return NULL;
    n = strlen(s);
    if (n <= PW_AUDIT_MAX_FIELD)
        return s;
    n = PW_AUDIT_MAX_FIELD;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

static pw_rc insert(sq_store *q, const pw_audit_entry *e)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "INSERT INTO audit (" AUDIT_COLUMNS
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &st);

    if (rc != PW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, e->seq);
    sq_text(st, 2, e->at);
    sq_text(st, 3, e->who);
    sq_text(st, 4, e->action);
    sq_text(st, 5, e->object);
    sq_text(st, 6, e->client);
    sq_text(st, 7, e->purpose);
    sq_text(st, 8, e->outcome);
    sq_text(st, 9, e->hash);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sq_fail(q, "appending to the audit log");
    sqlite3_finalize(st);
    return rc;
}

static pw_rc append(sq_store *q, const pw_audit_entry *in)
{
    char b[6][PW_AUDIT_MAX_FIELD + 1], prev[65], hash[65], now[32];
    pw_audit_entry e = {
        .who = cut(in->who, b[0]),
        .action = cut(in->action, b[1]),
        .object = cut(in->object, b[2]),
        .client = cut(in->client, b[3]),
        .purpose = cut(in->purpose, b[4]),
        .outcome = cut(in->outcome, b[5]),
    };
    pw_rc rc = last_entry(q, &e.seq, prev);

    if (rc != PW_OK)
        return rc;
    e.seq++;
    if (in->at && *in->at)
        snprintf(now, sizeof now, "%s", in->at);
    else
        pw_store_now(now);
    e.at = now;
    pw_audit_hash(prev, &e, hash);
    e.hash = hash;
    return insert(q, &e);
}

pw_rc pw_audit_add(pw_store *s, const pw_audit_entry *e)
{
    sq_store *q = (sq_store *)s;
    pw_rc rc;

    if (!e || !e->who || !e->action)
        return PW_ERR_INVALID;
    if (q->in_tx)
        return append(q, e);
    /* BEGIN IMMEDIATE: reading the last hash and appending must not
     * interleave with another connection's append */
    if ((rc = pw_store_begin(s)) != PW_OK)
        return rc;
    rc = append(q, e);
    if (rc == PW_OK)
        rc = pw_store_commit(s);
    else
        pw_store_rollback(s);
    return rc;
}

static void entry_of(sqlite3_stmt *st, pw_audit_entry *e)
{
    e->seq = sqlite3_column_int64(st, 0);
    e->at = sq_col(st, 1);
    e->who = sq_col(st, 2);
    e->action = sq_col(st, 3);
    e->object = sq_col(st, 4);
    e->client = sq_col(st, 5);
    e->purpose = sq_col(st, 6);
    e->outcome = sq_col(st, 7);
    e->hash = sq_col(st, 8);
}

pw_rc pw_audit_each(pw_store *s, const pw_audit_filter *f, pw_audit_cb cb,
                    void *ctx)
{
    sq_store *q = (sq_store *)s;
    pw_audit_filter none = {0};
    sqlite3_stmt *st;
    pw_rc rc;
    int r;

    f = f ? f : &none;
    rc = prepare(q,
                 f->newest_first
                     ? "SELECT " AUDIT_COLUMNS " FROM audit WHERE (?1 IS "
                       "NULL OR who = ?1) AND (?2 IS NULL OR at >= ?2) "
                       "ORDER BY seq DESC LIMIT ?3 OFFSET ?4"
                     : "SELECT " AUDIT_COLUMNS " FROM audit WHERE (?1 IS "
                       "NULL OR who = ?1) AND (?2 IS NULL OR at >= ?2) "
                       "ORDER BY seq LIMIT ?3 OFFSET ?4",
                 &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, f->who);
    sq_text(st, 2, f->since);
    sqlite3_bind_int64(st, 3, f->limit ? (int64_t)f->limit : -1);
    sqlite3_bind_int64(st, 4, (int64_t)f->offset);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        pw_audit_entry e;
        entry_of(st, &e);
        if (cb(ctx, &e))
            break;
    }
    rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? PW_OK
                                               : sq_fail(q, "listing audit");
    sqlite3_finalize(st);
    return rc;
}

/* Checks one entry against the one before; 0 when it holds. */
static int check_one(const pw_audit_entry *e, const char *prev, int64_t want,
                     pw_audit_check *out)
{
    char hash[65];

    if (e->seq != want) {
        out->bad = want;
        snprintf(out->why, sizeof out->why,
                 "entry %" PRId64 " found where %" PRId64 " belongs: "
                 "entries removed or reordered",
                 e->seq, want);
        return 1;
    }
    pw_audit_hash(prev, e, hash);
    if (!e->hash || strcmp(hash, e->hash)) {
        out->bad = e->seq;
        snprintf(out->why, sizeof out->why,
                 "entry %" PRId64 " does not match its hash: changed, or "
                 "the entry before it was",
                 e->seq);
        return 1;
    }
    return 0;
}

/* The walk of pw_audit_verify; with head_seq > 0 entry head_seq must
 * have head_hash and the chain must reach it. */
static pw_rc verify(sq_store *q, int64_t head_seq, const char *head_hash,
                    pw_audit_check *out)
{
    char prev[65] = "";
    sqlite3_stmt *st;
    pw_rc rc;
    int r;

    memset(out, 0, sizeof *out);
    rc = prepare(q, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY id", &st);
    if (rc != PW_OK)
        return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        pw_audit_entry e;
        entry_of(st, &e);
        if (check_one(&e, prev, (int64_t)out->entries + 1, out))
            break;
        if (e.seq == head_seq && strcmp(e.hash, head_hash) != 0) {
            out->bad = e.seq;
            snprintf(out->why, sizeof out->why,
                     "entry %" PRId64 " differs from the hash noted for it: "
                     "the log was rebuilt from there or before",
                     e.seq);
            break;
        }
        snprintf(prev, sizeof prev, "%s", e.hash);
        out->entries++;
    }
    rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? PW_OK
                                               : sq_fail(q, "reading audit");
    sqlite3_finalize(st);
    if (rc == PW_OK && !out->bad && (int64_t)out->entries < head_seq) {
        out->bad = (int64_t)out->entries + 1;
        snprintf(out->why, sizeof out->why,
                 "the log ends at entry %zu but entry %" PRId64
                 " was noted: entries removed from the end",
                 out->entries, head_seq);
    }
    return rc;
}

pw_rc pw_audit_verify(pw_store *s, pw_audit_check *out)
{
    return verify((sq_store *)s, 0, "", out);
}

pw_rc pw_audit_verify_head(pw_store *s, int64_t seq, const char *hash,
                           pw_audit_check *out)
{
    if (seq < 0 || !hash)
        return PW_ERR_INVALID;
    return verify((sq_store *)s, seq, hash, out);
}

pw_rc pw_audit_head(pw_store *s, int64_t *seq, char hash[65])
{
    return last_entry((sq_store *)s, seq, hash);
}
