/* Watchlists in the SQLite store: each list's metadata and its source
 * files byte for byte, so that screening can read and index it again.
 * The tables come from schema migration 2 (sqlite_schema.c). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

/* The SQLite store is the only kind pw_store_open makes today. */
static sq_store *as_sqlite(pw_store *s)
{
    return (sq_store *)s;
}

static pw_rc run_sql(sq_store *q, const char *sql, const char *doing)
{
    if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, doing);
    return PW_OK;
}

static pw_rc step_done(sq_store *q, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);

    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, doing);
    return PW_OK;
}

static pw_rc prepare(sq_store *q, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a watchlist statement");
    return PW_OK;
}

static pw_rc delete_list(sq_store *q, const char *name)
{
    static const char *const sql[] = {
        "DELETE FROM watchlist_files WHERE list = ?1",
        "DELETE FROM watchlists WHERE name = ?1"};
    sqlite3_stmt *st;
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < 2 && rc == PW_OK; i++) {
        rc = prepare(q, sql[i], &st);
        if (rc == PW_OK) {
            sq_text(st, 1, name);
            rc = step_done(q, st, "removing a watchlist");
        }
    }
    return rc;
}

static pw_rc insert_meta(sq_store *q, const pw_store_list *l, int64_t bytes)
{
    sqlite3_stmt *st;
    char now[32];
    pw_rc rc;

    rc = prepare(q,
                 "INSERT INTO watchlists (name, format, version, loaded_at,"
                 " n_entries, n_skipped, bytes) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                 &st);
    if (rc != PW_OK)
        return rc;
    pw_store_now(now);
    sq_text(st, 1, l->name);
    sq_text(st, 2, l->format);
    sq_text(st, 3, l->version);
    sq_text(st, 4, now);
    sqlite3_bind_int64(st, 5, l->n_entries);
    sqlite3_bind_int64(st, 6, l->n_skipped);
    sqlite3_bind_int64(st, 7, bytes);
    return step_done(q, st, "storing a watchlist");
}

static pw_rc insert_file(sq_store *q, const char *list, int seq,
                         const pw_store_list_file *f)
{
    sqlite3_stmt *st;
    pw_rc rc;

    rc = prepare(q,
                 "INSERT INTO watchlist_files (list, seq, name, data)"
                 " VALUES (?1, ?2, ?3, ?4)",
                 &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, list);
    sqlite3_bind_int(st, 2, seq);
    sq_text(st, 3, f->name ? f->name : "");
    sqlite3_bind_blob64(st, 4, f->len ? f->data : "", f->len, SQLITE_STATIC);
    return step_done(q, st, "storing a watchlist file");
}

static pw_rc put_all(sq_store *q, const pw_store_list *l,
                     const pw_store_list_file *files, size_t n_files)
{
    int64_t bytes = 0;
    pw_rc rc;

    for (size_t i = 0; i < n_files; i++)
        bytes += (int64_t)files[i].len;
    rc = delete_list(q, l->name);
    if (rc == PW_OK)
        rc = insert_meta(q, l, bytes);
    for (size_t i = 0; i < n_files && rc == PW_OK; i++)
        rc = insert_file(q, l->name, (int)i, &files[i]);
    return rc;
}

pw_rc pw_store_put_list(pw_store *s, const pw_store_list *list,
                        const pw_store_list_file *files, size_t n_files)
{
    sq_store *q = as_sqlite(s);
    int own_tx;
    pw_rc rc;

    if (!s || !list || !list->name || !list->format || (n_files && !files))
        return PW_ERR_INVALID;
    own_tx = !q->in_tx;
    if (own_tx && (rc = run_sql(q, "BEGIN IMMEDIATE", "beginning")) != PW_OK)
        return rc;
    rc = put_all(q, list, files, n_files);
    if (own_tx && rc == PW_OK)
        rc = run_sql(q, "COMMIT", "committing a watchlist");
    if (own_tx && rc != PW_OK)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static void row_to_list(sqlite3_stmt *st, pw_store_list *l)
{
    l->name = sq_col(st, 0);
    l->format = sq_col(st, 1);
    l->version = sq_col(st, 2);
    l->loaded_at = sq_col(st, 3);
    l->n_entries = sqlite3_column_int64(st, 4);
    l->n_skipped = sqlite3_column_int64(st, 5);
    l->bytes = sqlite3_column_int64(st, 6);
}

pw_rc pw_store_lists(pw_store *s, pw_store_list_cb cb, void *ctx)
{
    sq_store *q = as_sqlite(s);
    sqlite3_stmt *st;
    pw_store_list l;
    pw_rc rc;
    int r;

    if (!s || !cb)
        return PW_ERR_INVALID;
    if ((rc = prepare(q,
                      "SELECT name, format, version, loaded_at, n_entries,"
                      " n_skipped, bytes FROM watchlists ORDER BY name",
                      &st)) != PW_OK)
        return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_list(st, &l);
        if (cb(ctx, &l))
            break;
    }
    rc = r == SQLITE_ROW || r == SQLITE_DONE ? PW_OK
                                             : sq_fail(q, "reading lists");
    sqlite3_finalize(st);
    return rc;
}

pw_rc pw_store_list_files(pw_store *s, const char *name,
                          pw_store_list_file_cb cb, void *ctx)
{
    sq_store *q = as_sqlite(s);
    sqlite3_stmt *st;
    pw_store_list_file f;
    size_t n = 0;
    pw_rc rc;
    int r;

    if (!s || !name || !cb)
        return PW_ERR_INVALID;
    if ((rc = prepare(q,
                      "SELECT name, data FROM watchlist_files WHERE list = ?1"
                      " ORDER BY seq",
                      &st)) != PW_OK)
        return rc;
    sq_text(st, 1, name);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        f.name = sq_col(st, 0);
        f.data = sqlite3_column_blob(st, 1);
        f.len = (size_t)sqlite3_column_bytes(st, 1);
        n++;
        if (cb(ctx, &f))
            break;
    }
    rc = r == SQLITE_ROW || r == SQLITE_DONE ? PW_OK
                                             : sq_fail(q, "reading a list");
    sqlite3_finalize(st);
    return rc == PW_OK && n == 0 ? PW_ERR_NOTFOUND : rc;
}
