/* The SQLite store's raw messages and the parts of multi-part messages
 * that wait for their siblings. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

static pw_msg_status status_from(const char *name)
{
    static const pw_msg_status all[] = {PW_MSG_RECEIVED, PW_MSG_ACCEPTED,
                                        PW_MSG_WAITING, PW_MSG_REJECTED};

    for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
        if (!strcmp(name, pw_msg_status_name(all[i])))
            return all[i];
    return PW_MSG_RECEIVED;
}

pw_rc sq_find_message(pw_store *s, const char *sha256, int64_t *id,
                      pw_msg_status *status)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_FIND_MESSAGE);
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, sha256);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(st, 0);
        if (status)
            *status = status_from(sq_col(st, 1));
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return PW_OK;
    return rc == SQLITE_DONE ? PW_ERR_NOTFOUND
                             : sq_fail(q, "looking up a message");
}

/* The raw bytes of message id, in their own table (migration 10). */
static pw_rc add_raw(sq_store *q, int64_t id, const pw_store_raw *raw)
{
    sqlite3_stmt *st = sq_stmt(q, SQ_ADD_RAW);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob64(st, 2, raw->data ? raw->data : "",
                        (sqlite3_uint64)raw->len, SQLITE_STATIC);
    return sq_done(q, st, "storing a message");
}

pw_rc sq_add_message(pw_store *s, const pw_store_raw *raw, int64_t *id)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_ADD_MESSAGE);
    char now[32];
    int64_t row;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    pw_store_now(now);
    sq_text(st, 1, raw->sha256);
    sq_text(st, 2, raw->name);
    sq_text(st, 3, raw->received_at ? raw->received_at : now);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)raw->len);
    sq_text(st, 5, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return pw_store_fail(s, PW_ERR_EXISTS, "message stored already");
    if (rc != SQLITE_DONE)
        return sq_fail(q, "storing a message");
    row = sqlite3_last_insert_rowid(q->db);
    if (id)
        *id = row;
    return add_raw(q, row, raw);
}

pw_rc sq_set_status(pw_store *s, int64_t id, const pw_store_outcome *o)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_SET_STATUS);
    char now[32];
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    pw_store_now(now);
    sq_text(st, 1, pw_msg_status_name(o->status));
    sq_text(st, 2, o->format);
    sq_text(st, 3, o->type);
    sq_text(st, 4, o->sender);
    sq_text(st, 5, o->reason);
    sq_text(st, 6, now);
    sqlite3_bind_int64(st, 7, id);
    rc = sq_done(q, st, "setting a message's status");
    if (rc == PW_OK && sqlite3_changes(q->db) == 0)
        return pw_store_fail(s, PW_ERR_NOTFOUND, "no message %lld",
                             (long long)id);
    return rc;
}

pw_rc sq_message_status(pw_store *s, int64_t id, pw_msg_status *status)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_MESSAGE_STATUS);
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *status = status_from(sq_col(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return PW_OK;
    return rc == SQLITE_DONE ? pw_store_fail(s, PW_ERR_NOTFOUND,
                                             "no message %lld", (long long)id)
                             : sq_fail(q, "reading a message's status");
}

static pw_rc copy_blob(sqlite3_stmt *st, int col, char **data, size_t *len)
{
    const void *blob = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *copy = malloc(n + 1);

    if (!copy)
        return PW_ERR_NOMEM;
    if (n)
        memcpy(copy, blob, n);
    copy[n] = '\0';
    *data = copy;
    *len = n;
    return PW_OK;
}

pw_rc sq_get_raw(pw_store *s, int64_t id, char **data, size_t *len)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_GET_RAW);
    pw_rc rc;
    int step;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = copy_blob(st, 0, data, len);
    else if (step == SQLITE_DONE)
        rc =
            pw_store_fail(s, PW_ERR_NOTFOUND, "no message %lld", (long long)id);
    else
        rc = sq_fail(q, "reading a message");
    sqlite3_reset(st);
    return rc;
}

pw_rc sq_received(pw_store *s, int64_t *ids, size_t max, size_t *n)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_RECEIVED);
    int rc;

    *n = 0;
    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing received messages");
    return PW_OK;
}

pw_rc sq_add_part(pw_store *s, int64_t message_id, const char *key,
                  unsigned number, int final, const char *text, size_t len)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_ADD_PART);

    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, key);
    sqlite3_bind_int(st, 2, (int)number);
    sqlite3_bind_int(st, 3, final ? 1 : 0);
    sqlite3_bind_int64(st, 4, message_id);
    sqlite3_bind_blob64(st, 5, text, (sqlite3_uint64)len, SQLITE_STATIC);
    return sq_done(q, st, "storing a message part");
}

pw_rc sq_each_part(pw_store *s, const char *key, pw_store_part_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, key ? SQ_EACH_PART_OF : SQ_EACH_PART);
    int rc;

    if (!st)
        return PW_ERR_STORE;
    if (key)
        sq_text(st, 1, key);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *text = sqlite3_column_blob(st, 3);
        size_t len = (size_t)sqlite3_column_bytes(st, 3);

        if (cb(ctx, sq_col(st, 0), (unsigned)sqlite3_column_int(st, 1),
               sqlite3_column_int(st, 2), text ? text : "", len))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "reading message parts");
    return PW_OK;
}

pw_rc sq_count_parts(pw_store *s, size_t *n)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_COUNT_PARTS);
    int rc;

    *n = 0;
    if (!st)
        return PW_ERR_STORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PW_OK : sq_fail(q, "counting parts");
}

pw_rc sq_parts_joined(pw_store *s, const char *key)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_JOINED_STATUS);
    char now[32];
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    pw_store_now(now);
    sq_text(st, 1, now);
    sq_text(st, 2, key);
    rc = sq_done(q, st, "accepting joined parts");
    if (rc != PW_OK)
        return rc;
    st = sq_stmt(q, SQ_JOINED_DELETE);
    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, key);
    return sq_done(q, st, "dropping joined parts");
}
