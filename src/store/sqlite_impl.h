/* The SQLite store's private parts, shared by its files: the handle,
 * the cache of prepared statements and small binding helpers. */
#ifndef PW_SQLITE_IMPL_H
#define PW_SQLITE_IMPL_H

#include <sqlite3.h>

#include "store/store_impl.h"

/* Travellers of a full list are inserted this many rows to a statement
 * (SQ_ADD_TRAVELLERS): one statement run per row cost about as much in
 * SQLite's set-up and tear-down as the row itself. */
#define SQ_TRAVELLER_ROWS 16

/* New bookings and their versions of a push likewise (SQ_ADD_BOOKINGS,
 * SQ_ADD_BOOKING_VERSIONS). */
#define SQ_BOOKING_ROWS 16

/* The person indexes of migration 11 (travellers_person,
 * travellers_document, documents_number) lead with a row's part, its id
 * shifted right by this many bits: a query reaches them only by the
 * same expression, (id >> 15), and seeks each part in turn. The
 * migration's text keeps its own 15, as a migration never changes. */
#define SQ_PART_BITS "15"

/* Every statement the store runs, prepared once and reused. */
enum sq_stmt {
    SQ_FIND_MESSAGE,
    SQ_ADD_MESSAGE,
    SQ_ADD_RAW,
    SQ_SET_STATUS,
    SQ_GET_RAW,
    SQ_MESSAGE_STATUS,
    SQ_RECEIVED,
    SQ_ADD_PART,
    SQ_EACH_PART,
    SQ_EACH_PART_OF,
    SQ_COUNT_PARTS,
    SQ_JOINED_STATUS,
    SQ_JOINED_DELETE,
    SQ_FIND_MOVEMENT,
    SQ_ADD_MOVEMENT,
    SQ_TOUCH_MOVEMENT,
    SQ_DELETE_LEGS,
    SQ_ADD_LEG,
    SQ_NEXT_VERSION,
    SQ_ADD_MANIFEST,
    SQ_SUPERSEDE,
    SQ_RETIRE_TRAVELLERS,
    SQ_ADD_TRAVELLER,
    SQ_ADD_TRAVELLERS,
    SQ_LAST_TRAVELLER,
    SQ_ADD_DOCUMENT,
    SQ_ADD_CONTACT,
    SQ_MATCH_BY_REF,
    SQ_MATCH_BY_NAME,
    SQ_REPLACE_TRAVELLER,
    SQ_CANCEL_TRAVELLER,
    SQ_LIST_MOVEMENTS,
    SQ_LIST_LEGS,
    SQ_LIST_TRAVELLERS,
    SQ_LIST_DOCUMENTS,
    SQ_LIST_CONTACTS,
    SQ_COUNT_STATUS,
    SQ_ADD_HIT,
    SQ_SET_SCREENED,
    SQ_LIST_HITS,
    SQ_FIND_BOOKING,
    SQ_ADD_BOOKING,
    SQ_ADD_BOOKINGS,
    SQ_LAST_BOOKING,
    SQ_UPDATE_BOOKING,
    SQ_BOOKING_VERSION,
    SQ_ADD_BOOKING_VERSION,
    SQ_ADD_BOOKING_VERSIONS,
    SQ_RETIRE_BOOKING_TRAVELLERS,
    SQ_HAS_CURRENT,
    SQ_LINK_LOCATOR,
    SQ_LINK_NAME_BIRTH,
    SQ_LINK_DOCUMENT,
    SQ_LIST_BOOKINGS,
    SQ_LIST_LOCATOR_BOOKINGS,
    SQ_LIST_BOOKING_VERSIONS,
    SQ_LIST_BOOKING_LINKS,
    SQ_ADD_ITEM,
    SQ_ADD_ITEMS,
    SQ_N_STMTS
};

typedef struct sq_store {
    pw_store base; /* first, so a pw_store * is a sq_store * */
    sqlite3 *db;
    sqlite3_stmt *stmts[SQ_N_STMTS];
    int in_tx;
    int version;
} sq_store;

/* One message being written (sqlite_put.c, sqlite_bookings.c). */
struct sq_put {
    sq_store *q;
    const pw_msg *m;
    int64_t message_id, movement_id, manifest_id;
    int64_t *ids; /* the row stored for each traveller, or NULL */
    const char *list_type;
    const char *source;         /* "api" or "pnr" */
    int64_t booking_version_id; /* PNR rows: their booking version */
    int link;                   /* link new rows to the other source */
    size_t links;               /* links made */
    char now[32];
};

/* The cached statement id, prepared on first use and reset (callers
 * bind every parameter);
 * NULL on failure with the reason recorded on the store. */
sqlite3_stmt *sq_stmt(sq_store *q, enum sq_stmt id);

/* Records the database's last error with what we were doing, and
 * returns PW_ERR_STORE. SQLite's messages name tables and
 * constraints, never values, so no personal data reaches errmsg. */
pw_rc sq_fail(sq_store *q, const char *doing);

/* Runs a statement expected to finish without rows; resets it. */
pw_rc sq_done(sq_store *q, sqlite3_stmt *st, const char *doing);

/* Binds a string, or NULL when s is NULL. */
int sq_text(sqlite3_stmt *st, int i, const char *s);

/* A column as a string, NULL for SQL NULL. */
const char *sq_col(sqlite3_stmt *st, int i);

/* Adds traveller t as a current row of p's manifest (with its
 * documents and contacts), links it when p->link, and sets *tid. */
pw_rc sq_add_traveller(struct sq_put *p, const pw_traveller *t, int64_t *tid);

/* *next is the id SQLite would give the next traveller row: one past
 * the largest. 0 when that is too near the largest id for n more rows
 * (SQLite would then pick ids at random, which we cannot foresee). */
pw_rc sq_next_traveller_id(struct sq_put *p, size_t n, int64_t *next);

/* The values a booking version meets others by in a traveller's
 * history (booking_items, migration 13), waiting to be stored
 * SQ_ITEM_ROWS at a time: values are the queue's copies. */
#define SQ_ITEM_ROWS 16
struct sq_items {
    int64_t version[SQ_ITEM_ROWS];
    const char *how[SQ_ITEM_ROWS]; /* static strings or the model's */
    char *value[SQ_ITEM_ROWS];
    size_t n;
};

/* Queues the values of booking b, stored as version version_id; a
 * full queue is stored. */
pw_rc sq_items_add(struct sq_put *p, struct sq_items *w, int64_t version_id,
                   const struct pw_booking *b);

/* Stores what waits in w, leaving it empty. */
pw_rc sq_items_flush(struct sq_put *p, struct sq_items *w);

/* Frees what waits in w after a failure. */
void sq_items_drop(struct sq_items *w);

/* Stores the SQ_TRAVELLER_ROWS travellers t[0..] of p's manifest in
 * one statement as rows id, id + 1, ...: the ids SQLite itself gives
 * rows inserted one at a time, so the store holds the same as when
 * they were; then their documents and contacts in the same order.
 * versions[r] (NULL: p->booking_version_id for all) is row r's booking
 * version. Rows are not linked. */
pw_rc sq_add_traveller_rows(struct sq_put *p, const pw_traveller *t,
                            const int64_t *versions, int64_t id);

/* 1 when movement_id has a current traveller of list type list_type. */
pw_rc sq_has_current(sq_store *q, int64_t movement_id, const char *list_type,
                     int *yes);

/* Stores the bookings of p->m as versions, with their travellers; ids
 * (or NULL) receives their rows. */
pw_rc sq_put_bookings(struct sq_put *p, int64_t *ids, pw_store_put *out);

/* Applies the migrations the database lacks; sets q->version. */
pw_rc sq_migrate(sq_store *q);

/* The operations, by file. */
pw_rc sq_find_message(pw_store *s, const char *sha256, int64_t *id,
                      pw_msg_status *status);
pw_rc sq_add_message(pw_store *s, const pw_store_raw *raw, int64_t *id);
pw_rc sq_set_status(pw_store *s, int64_t id, const pw_store_outcome *o);
pw_rc sq_message_status(pw_store *s, int64_t id, pw_msg_status *status);
pw_rc sq_get_raw(pw_store *s, int64_t id, char **data, size_t *len);
pw_rc sq_received(pw_store *s, int64_t *ids, size_t max, size_t *n);
pw_rc sq_add_part(pw_store *s, int64_t message_id, const char *key,
                  unsigned number, int final, const char *text, size_t len);
pw_rc sq_each_part(pw_store *s, const char *key, pw_store_part_cb cb,
                   void *ctx);
pw_rc sq_count_parts(pw_store *s, size_t *n);
pw_rc sq_parts_joined(pw_store *s, const char *key);
pw_rc sq_put_msg(pw_store *s, int64_t message_id, const pw_msg *m,
                 pw_store_put *out, int64_t *ids);
pw_rc sq_movements(pw_store *s, int64_t id, pw_store_movement_cb cb, void *ctx);
pw_rc sq_legs(pw_store *s, int64_t movement_id, pw_store_leg_cb cb, void *ctx);
pw_rc sq_travellers(pw_store *s, const pw_store_query *q,
                    pw_store_traveller_cb cb, void *ctx);
pw_rc sq_counts(pw_store *s, pw_store_counts *c);
pw_rc sq_add_hit(pw_store *s, const pw_store_hit *h, int *added);
pw_rc sq_set_screened(pw_store *s, int64_t traveller_id, int in_part);
pw_rc sq_hits(pw_store *s, int64_t movement_id, pw_store_hit_cb cb, void *ctx);
pw_rc sq_bookings(pw_store *s, int64_t movement_id, const char *locator,
                  pw_store_booking_cb cb, void *ctx);
pw_rc sq_booking_versions(pw_store *s, int64_t booking_id,
                          pw_store_booking_version_cb cb, void *ctx);
pw_rc sq_booking_links(pw_store *s, int64_t booking_id, pw_store_link_cb cb,
                       void *ctx);

#endif
