/* Screening hits in the SQLite store: one row per traveller identity,
 * list and entry, so a resent or newer list raises no second hit. */
#include <string.h>

#include "store/sqlite_impl.h"

pw_rc sq_add_hit(pw_store *s, const pw_store_hit *h, int *added)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_ADD_HIT);
    char now[32];
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    pw_store_now(now);
    sqlite3_bind_int64(st, 1, h->traveller_id);
    sqlite3_bind_int64(st, 2, h->movement_id);
    sq_text(st, 3, h->identity);
    sq_text(st, 4, h->list);
    sq_text(st, 5, h->entry_id);
    sq_text(st, 6, h->entry_name);
    sqlite3_bind_double(st, 7, h->score);
    sq_text(st, 8, h->explanation);
    sq_text(st, 9, h->kind);
    sq_text(st, 10, h->status ? h->status : "new");
    sq_text(st, 11, now);
    rc = sq_done(q, st, "storing a hit");
    *added = rc == PW_OK && sqlite3_changes(q->db) > 0;
    return rc;
}

pw_rc sq_set_screened(pw_store *s, int64_t traveller_id, int in_part)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_SET_SCREENED);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, traveller_id);
    sqlite3_bind_int(st, 2, in_part != 0);
    return sq_done(q, st, "marking how a traveller was screened");
}

static void hit_row(sqlite3_stmt *st, pw_store_hit *h)
{
    memset(h, 0, sizeof(*h));
    h->id = sqlite3_column_int64(st, 0);
    h->traveller_id = sqlite3_column_int64(st, 1);
    h->movement_id = sqlite3_column_int64(st, 2);
    h->list = sq_col(st, 3);
    h->entry_id = sq_col(st, 4);
    h->entry_name = sq_col(st, 5);
    h->score = sqlite3_column_double(st, 6);
    h->explanation = sq_col(st, 7);
    h->kind = sq_col(st, 8);
    h->status = sq_col(st, 9);
    h->created_at = sq_col(st, 10);
    h->surname = sq_col(st, 11);
    h->given_names = sq_col(st, 12);
    h->role = sq_col(st, 13);
    h->carrier = sq_col(st, 14);
    h->number = sq_col(st, 15);
    h->vessel = sq_col(st, 16);
    h->date = sq_col(st, 17);
}

pw_rc sq_hits(pw_store *s, int64_t movement_id, pw_store_hit_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_HITS);
    pw_store_hit h;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, movement_id);
    sqlite3_bind_int64(st, 2, movement_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hit_row(st, &h);
        if (cb(ctx, &h))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing hits");
    return PW_OK;
}
