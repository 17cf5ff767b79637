/* The SQLite store: opening the file with the settings that keep it
 * safe and fast, transactions, and the cache of prepared statements. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

/* Columns of a traveller row, in the order SQ_ADD_TRAVELLER binds them
 * and the listing reads them. */
#define TRAVELLER_COLUMNS                                                      \
    "manifest_id, movement_id, list_type, current, role, role_code, "          \
    "surname, given_names, sex, birth_date, nationality, residence, "          \
    "birth_place, clearance, embarkation, debarkation, transit, "              \
    "street, city, region, postcode, country, verified, bags, "                \
    "bag_weight, bag_tags, booking_ref, passenger_ref, seat, "                 \
    "customer_ref, agency_ref, occupation, segment, doc_seq, doc_type, "       \
    "doc_type_name, doc_number, doc_issuer, doc_expiry, doc_issued, "          \
    "doc_check_digits, source, booking_version_id, name_key"

/* The values of one row of SQ_ADD_TRAVELLERS: its id, then the 44
 * TRAVELLER_COLUMNS. */
#define TRAVELLER_ROW                                                          \
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "   \
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define ROWS_2(r) r ", " r
#define ROWS_4(r) ROWS_2(r) ", " ROWS_2(r)
#define ROWS_8(r) ROWS_4(r) ", " ROWS_4(r)
#define ROWS_16(r) ROWS_8(r) ", " ROWS_8(r)
_Static_assert(SQ_TRAVELLER_ROWS == 16, "ROWS_16 writes 16 rows");

/* A booking row and a version row, each with its id first (see
 * sqlite_bookings.c); a new booking's latest version is 1. */
#define BOOKING_COLUMNS                                                        \
    "booking_key, locator, carrier, created, movement_id, latest_version, "    \
    "content_sha256, n_travellers, itinerary, first_seen, updated_at"
#define BOOKING_ROW "(?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)"
#define VERSION_COLUMNS                                                        \
    "booking_id, version, message_id, manifest_id, movement_id, "              \
    "content_sha256, content, changes, last_changed, stored_at"
#define VERSION_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_Static_assert(SQ_BOOKING_ROWS == 16, "ROWS_16 writes 16 rows");
/* A booking_items row from its version id (bound twice: the part is
 * the id's, as the history queries seek it). */
#define ITEM_ROW "(? >> " SQ_PART_BITS ", ?, ?, ?)"
_Static_assert(SQ_ITEM_ROWS == 16, "ROWS_16 writes 16 rows");

/* Links new traveller row n (parameter 3) to the current rows o of
 * the other source on its movement that meet cond: an API passenger
 * to the PNR travellers, a PNR traveller to the API passengers.
 * Parameters 1 and 2: the method's name and the time. The index
 * travellers_current finds o by name key; ORDER BY keeps the links in
 * the order of the rows linked, whatever order the index gives. */
#define LINK_SQL(cond)                                                         \
    "INSERT INTO traveller_links (movement_id, booking_id, "                   \
    "api_traveller_id, pnr_traveller_id, method, created_at) SELECT "          \
    "n.movement_id, (SELECT v.booking_id FROM booking_versions v WHERE "       \
    "v.id = CASE WHEN n.source = 'pnr' THEN n.booking_version_id ELSE "        \
    "o.booking_version_id END), CASE WHEN n.source = 'pnr' THEN o.id ELSE "    \
    "n.id END, CASE WHEN n.source = 'pnr' THEN n.id ELSE o.id END, ?, ? "      \
    "FROM travellers n JOIN travellers o ON o.movement_id = n.movement_id "    \
    "AND o.list_type = CASE WHEN n.source = 'pnr' THEN 'passengers' ELSE "     \
    "'pnr' END AND o.current = 1 WHERE n.id = ? AND " cond                     \
    " ORDER BY o.id ON CONFLICT DO NOTHING"

/* The bookings that meet cond, with the content of their latest
 * version, in the order they were first stored. */
#define LIST_BOOKINGS_SQL(cond)                                                \
    "SELECT b.id, b.movement_id, b.locator, b.carrier, b.created, "            \
    "b.latest_version, b.n_travellers, b.itinerary, b.first_seen, "            \
    "b.updated_at, v.content FROM bookings b JOIN booking_versions v "         \
    "ON v.booking_id = b.id AND v.version = b.latest_version WHERE " cond      \
    " ORDER BY b.id"

static const char *const sql_text[SQ_N_STMTS] = {
    [SQ_FIND_MESSAGE] = "SELECT id, status FROM messages WHERE sha256 = ?",
    [SQ_ADD_MESSAGE] =
        "INSERT INTO messages (sha256, name, received_at, size, status, "
        "updated_at) VALUES (?, ?, ?, ?, 'received', ?)",
    [SQ_ADD_RAW] = "INSERT INTO message_raw (message_id, raw) VALUES (?, ?)",
    [SQ_SET_STATUS] =
        "UPDATE messages SET status = ?, format = COALESCE(?, format), "
        "type = COALESCE(?, type), sender = COALESCE(?, sender), "
        "reason = ?, updated_at = ? WHERE id = ?",
    [SQ_GET_RAW] = "SELECT raw FROM message_raw WHERE message_id = ?",
    [SQ_MESSAGE_STATUS] = "SELECT status FROM messages WHERE id = ?",
    [SQ_RECEIVED] = "SELECT id FROM messages WHERE status = 'received' "
                    "ORDER BY id LIMIT ?",
    [SQ_ADD_PART] =
        "INSERT INTO message_parts (part_key, number, final, message_id, "
        "text) VALUES (?, ?, ?, ?, ?) ON CONFLICT (part_key, number) DO "
        "UPDATE SET final = excluded.final, message_id = "
        "excluded.message_id, text = excluded.text",
    [SQ_EACH_PART] = "SELECT part_key, number, final, text FROM "
                     "message_parts ORDER BY part_key, number",
    [SQ_EACH_PART_OF] = "SELECT part_key, number, final, text FROM "
                        "message_parts WHERE part_key = ? ORDER BY number",
    [SQ_COUNT_PARTS] = "SELECT COUNT(*) FROM message_parts",
    [SQ_JOINED_STATUS] =
        "UPDATE messages SET status = 'accepted', updated_at = ? WHERE "
        "status = 'waiting' AND id IN (SELECT message_id FROM "
        "message_parts WHERE part_key = ?)",
    [SQ_JOINED_DELETE] = "DELETE FROM message_parts WHERE part_key = ?",
    [SQ_FIND_MOVEMENT] = "SELECT id FROM movements WHERE identity_key = ?",
    [SQ_ADD_MOVEMENT] =
        "INSERT INTO movements (mode, carrier, number, vessel_name, "
        "vessel_imo, vessel_call_sign, vessel_flag, first_date, "
        "first_from, last_to, identity_key, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_TOUCH_MOVEMENT] =
        "UPDATE movements SET updated_at = ?, first_from = COALESCE(?, "
        "first_from), last_to = COALESCE(?, last_to) WHERE id = ?",
    [SQ_DELETE_LEGS] = "DELETE FROM legs WHERE movement_id = ?",
    [SQ_ADD_LEG] =
        "INSERT INTO legs (movement_id, seq, carrier, number, from_port, "
        "to_port, departure_sent, departure_local, departure_utc, "
        "arrival_sent, arrival_local, arrival_utc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_NEXT_VERSION] = "SELECT COALESCE(MAX(version), 0) + 1 FROM "
                        "manifests WHERE movement_id = ? AND list_type = ?",
    [SQ_ADD_MANIFEST] =
        "INSERT INTO manifests (movement_id, message_id, list_type, "
        "list_code, function, version, message_type, message_version, "
        "message_ref, transaction_ref, sender, declared_passengers, "
        "declared_crew, sensitive_dropped, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_SUPERSEDE] =
        "UPDATE manifests SET superseded_by = ? WHERE movement_id = ? AND "
        "list_type = ? AND superseded_by IS NULL AND id <> ?",
    [SQ_RETIRE_TRAVELLERS] =
        "UPDATE travellers SET current = 0 WHERE movement_id = ? AND "
        "list_type = ? AND current = 1",
    [SQ_ADD_TRAVELLER] =
        "INSERT INTO travellers (" TRAVELLER_COLUMNS ") VALUES (?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    /* OR FAIL: a statement of many rows that may abort needs a
     * statement journal (a copy of every page it touches, which cost
     * more than the rows saved); FAIL keeps the rows before a failing
     * one instead, and the caller of put_msg rolls back anyway. */
    [SQ_ADD_TRAVELLERS] =
        "INSERT OR FAIL INTO travellers (id, " TRAVELLER_COLUMNS
        ") VALUES " ROWS_16(TRAVELLER_ROW),
    [SQ_LAST_TRAVELLER] = "SELECT MAX(id) FROM travellers",
    [SQ_LAST_BOOKING] = "SELECT (SELECT MAX(id) FROM bookings), "
                        "(SELECT MAX(id) FROM booking_versions)",
    [SQ_ADD_DOCUMENT] =
        "INSERT INTO documents (traveller_id, seq, type, type_name, "
        "number, issuer, expiry, issued, check_digits) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_ADD_CONTACT] = "INSERT INTO contacts (traveller_id, seq, type, "
                       "value) VALUES (?, ?, ?, ?)",
    [SQ_MATCH_BY_REF] =
        "SELECT id FROM travellers WHERE movement_id = ? AND list_type = ? "
        "AND current = 1 AND passenger_ref = ? ORDER BY id LIMIT 1",
    [SQ_MATCH_BY_NAME] =
        "SELECT id FROM travellers WHERE movement_id = ? AND list_type = ? "
        "AND current = 1 AND COALESCE(surname, '') = COALESCE(?, '') AND "
        "COALESCE(given_names, '') = COALESCE(?, '') AND "
        "COALESCE(birth_date, '') = COALESCE(?, '') ORDER BY id LIMIT 1",
    [SQ_REPLACE_TRAVELLER] =
        "UPDATE travellers SET current = 0, replaced_by = ? WHERE id = ?",
    [SQ_CANCEL_TRAVELLER] =
        "UPDATE travellers SET current = 0, cancelled = 1 WHERE id = ?",
    [SQ_LIST_MOVEMENTS] =
        "SELECT m.id, m.mode, m.carrier, m.number, m.vessel_name, "
        "m.vessel_imo, m.vessel_call_sign, m.vessel_flag, m.first_date, "
        "m.first_from, m.last_to, m.identity_key, m.created_at, "
        "m.updated_at, (SELECT COUNT(*) FROM travellers t WHERE "
        "t.movement_id = m.id AND t.current = 1 AND t.list_type <> 'pnr' "
        "AND t.role IN ('passenger', 'transit_passenger')), "
        "(SELECT COUNT(*) FROM "
        "travellers t WHERE t.movement_id = m.id AND t.current = 1 AND "
        "t.role IN ('crew', 'transit_crew')), (SELECT COUNT(*) FROM "
        "manifests f WHERE f.movement_id = m.id), m.depersonalised_at "
        "FROM movements m WHERE (? = 0 OR m.id = ?) ORDER BY m.id",
    [SQ_LIST_LEGS] =
        "SELECT seq, carrier, number, from_port, to_port, departure_sent, "
        "departure_local, departure_utc, arrival_sent, arrival_local, "
        "arrival_utc FROM legs WHERE movement_id = ? ORDER BY seq",
    [SQ_LIST_TRAVELLERS] =
        "SELECT t.id, f.message_id, f.version, t.cancelled, "
        "t.screened_in_part, " TRAVELLER_COLUMNS
        " FROM travellers t JOIN (SELECT id AS mf_id, "
        "message_id, version FROM manifests) f ON f.mf_id = t.manifest_id "
        "WHERE (? = 0 OR t.movement_id = ?) AND "
        "(? = 1 OR t.current = 1) ORDER BY t.movement_id, t.id",
    [SQ_LIST_DOCUMENTS] =
        "SELECT type, type_name, number, issuer, expiry, issued, "
        "check_digits FROM documents WHERE traveller_id = ? ORDER BY seq",
    [SQ_LIST_CONTACTS] = "SELECT type, value FROM contacts WHERE "
                         "traveller_id = ? ORDER BY seq",
    [SQ_COUNT_STATUS] = "SELECT status, COUNT(*) FROM messages GROUP BY status",
    [SQ_ADD_HIT] =
        "INSERT INTO hits (traveller_id, movement_id, identity, list_name, "
        "entry_id, entry_name, score, explanation, kind, status, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (identity, list_name, entry_id) DO NOTHING",
    [SQ_SET_SCREENED] = "UPDATE travellers SET screened_in_part = ?2 "
                        "WHERE id = ?1 AND screened_in_part != ?2",
    [SQ_LIST_HITS] =
        "SELECT h.id, h.traveller_id, h.movement_id, h.list_name, "
        "h.entry_id, h.entry_name, h.score, h.explanation, h.kind, "
        "h.status, h.created_at, t.surname, t.given_names, t.role, "
        "m.carrier, m.number, m.vessel_name, m.first_date FROM hits h "
        "LEFT JOIN travellers t ON t.id = h.traveller_id LEFT JOIN "
        "movements m ON m.id = h.movement_id WHERE (? = 0 OR "
        "h.movement_id = ?) ORDER BY h.id",
    [SQ_FIND_BOOKING] = "SELECT id, latest_version FROM bookings WHERE "
                        "booking_key = ?",
    /* the id first: NULL lets SQLite choose it */
    [SQ_ADD_BOOKING] =
        "INSERT INTO bookings (id, " BOOKING_COLUMNS ") VALUES " BOOKING_ROW,
    [SQ_ADD_BOOKINGS] = "INSERT OR FAIL INTO bookings (id, " BOOKING_COLUMNS
                        ") VALUES " ROWS_16(BOOKING_ROW),
    [SQ_UPDATE_BOOKING] =
        "UPDATE bookings SET movement_id = ?, latest_version = ?, "
        "content_sha256 = ?, n_travellers = ?, itinerary = ?, "
        "updated_at = ? WHERE id = ?",
    [SQ_BOOKING_VERSION] = "SELECT id, movement_id, content FROM "
                           "booking_versions WHERE booking_id = ? AND "
                           "version = ?",
    [SQ_ADD_BOOKING_VERSION] =
        "INSERT INTO booking_versions (id, " VERSION_COLUMNS
        ") VALUES " VERSION_ROW,
    [SQ_ADD_BOOKING_VERSIONS] =
        "INSERT OR FAIL INTO booking_versions (id, " VERSION_COLUMNS
        ") VALUES " ROWS_16(VERSION_ROW),
    /* by the version alone (travellers_booking_version): its rows are
     * all on its movement, of list type pnr */
    [SQ_RETIRE_BOOKING_TRAVELLERS] =
        "UPDATE travellers SET current = 0 WHERE booking_version_id = ? "
        "AND current = 1",
    [SQ_HAS_CURRENT] = "SELECT 1 FROM travellers WHERE movement_id = ? AND "
                       "list_type = ? AND current = 1 LIMIT 1",
    [SQ_LINK_LOCATOR] = LINK_SQL("n.booking_ref IS NOT NULL AND "
                                 "o.booking_ref = n.booking_ref AND "
                                 "n.name_key <> '' AND "
                                 "o.name_key = n.name_key"),
    [SQ_LINK_NAME_BIRTH] = LINK_SQL("n.name_key <> '' AND o.name_key = "
                                    "n.name_key AND n.birth_date IS NOT "
                                    "NULL AND o.birth_date = n.birth_date"),
    [SQ_LINK_DOCUMENT] = LINK_SQL("n.doc_number IS NOT NULL AND "
                                  "o.doc_number = n.doc_number"),
    [SQ_LIST_BOOKINGS] = LIST_BOOKINGS_SQL("(? = 0 OR b.movement_id = ?)"),
    /* one locator's bookings found through the key's index, as a range
     * (see migration 9): ?1 movement or 0, ?2 the locator */
    [SQ_LIST_LOCATOR_BOOKINGS] = LIST_BOOKINGS_SQL(
        "b.booking_key >= ?2 || '|' AND b.booking_key < ?2 || '}' AND "
        "+b.locator = ?2 AND (?1 = 0 OR b.movement_id = ?1)"),
    [SQ_LIST_BOOKING_VERSIONS] =
        "SELECT id, booking_id, message_id, movement_id, version, "
        "stored_at, last_changed, content_sha256, content, changes FROM "
        "booking_versions WHERE booking_id = ? ORDER BY version",
    [SQ_ADD_ITEM] = "INSERT OR IGNORE INTO booking_items (part, value, how, "
                    "version_id) VALUES " ITEM_ROW,
    [SQ_ADD_ITEMS] = "INSERT OR IGNORE INTO booking_items (part, value, how, "
                     "version_id) VALUES " ROWS_16(ITEM_ROW),
    [SQ_LIST_BOOKING_LINKS] =
        "SELECT l.movement_id, l.api_traveller_id, l.pnr_traveller_id, "
        "l.method, l.created_at, p.surname, p.given_names, a.surname, "
        "a.given_names, f.version FROM traveller_links l JOIN travellers "
        "p ON p.id = l.pnr_traveller_id JOIN travellers a ON a.id = "
        "l.api_traveller_id JOIN manifests f ON f.id = a.manifest_id "
        "WHERE l.booking_id = ? AND p.current = 1 AND a.current = 1 "
        "ORDER BY l.id",
};

pw_rc sq_fail(sq_store *q, const char *doing)
{
    return pw_store_fail(&q->base, PW_ERR_STORE, "%s: %s", doing,
                         sqlite3_errmsg(q->db));
}

sqlite3_stmt *sq_stmt(sq_store *q, enum sq_stmt id)
{
    sqlite3_stmt *st = q->stmts[id];

    /* Every caller binds all of a statement's parameters, so the old
     * bindings need no clearing. */
    if (st) {
        sqlite3_reset(st);
        return st;
    }
    if (sqlite3_prepare_v3(q->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &st, NULL) != SQLITE_OK) {
        sq_fail(q, "preparing a statement");
        return NULL;
    }
    q->stmts[id] = st;
    return st;
}

pw_rc sq_done(sq_store *q, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, doing);
    return PW_OK;
}

int sq_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

const char *sq_col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static pw_rc exec(sq_store *q, const char *sql, const char *doing)
{
    if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, doing);
    return PW_OK;
}

static pw_rc sq_begin(pw_store *s)
{
    sq_store *q = (sq_store *)s;
    pw_rc rc;

    if (q->in_tx)
        return pw_store_fail(s, PW_ERR_INVALID,
                             "a transaction is open already");
    /* IMMEDIATE takes the write lock now, so two writers queue on the
     * busy timeout instead of failing half-way through. */
    rc = exec(q, "BEGIN IMMEDIATE", "beginning a transaction");
    if (rc == PW_OK)
        q->in_tx = 1;
    return rc;
}

static pw_rc sq_commit(pw_store *s)
{
    sq_store *q = (sq_store *)s;
    pw_rc rc;

    if (!q->in_tx)
        return pw_store_fail(s, PW_ERR_INVALID, "no transaction is open");
    rc = exec(q, "COMMIT", "committing");
    if (rc == PW_OK)
        q->in_tx = 0;
    return rc;
}

static void sq_rollback(pw_store *s)
{
    sq_store *q = (sq_store *)s;

    if (!q->in_tx)
        return;
    sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    q->in_tx = 0;
}

static void sq_close(pw_store *s)
{
    sq_store *q = (sq_store *)s;

    sq_rollback(s);
    for (int i = 0; i < SQ_N_STMTS; i++)
        sqlite3_finalize(q->stmts[i]);
    sqlite3_close(q->db);
    free(q);
}

static int sq_schema_version(pw_store *s)
{
    return ((sq_store *)s)->version;
}

static const struct pw_store_ops sq_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .find_message = sq_find_message,
    .add_message = sq_add_message,
    .set_status = sq_set_status,
    .message_status = sq_message_status,
    .get_raw = sq_get_raw,
    .received = sq_received,
    .add_part = sq_add_part,
    .each_part = sq_each_part,
    .count_parts = sq_count_parts,
    .parts_joined = sq_parts_joined,
    .put_msg = sq_put_msg,
    .movements = sq_movements,
    .legs = sq_legs,
    .travellers = sq_travellers,
    .counts = sq_counts,
    .add_hit = sq_add_hit,
    .set_screened = sq_set_screened,
    .hits = sq_hits,
    .bookings = sq_bookings,
    .booking_versions = sq_booking_versions,
    .booking_links = sq_booking_links,
};

/* WAL with synchronous=NORMAL survives the process being killed at any
 * point (only a power cut may lose the last commits); the busy timeout
 * lets processes share a file. Foreign keys are declared but not
 * enforced: checking them cost a fifth of the insert time, and the
 * store writes every parent before its children in one transaction.
 * 16 KiB pages (for new files) hold raw messages in fewer overflow
 * pages (message_raw); a 64 MiB page cache keeps the indexes that bulk inserts
 * touch in memory, and fewer, larger checkpoints mean fewer syncs. */
static pw_rc configure(sq_store *q)
{
    sqlite3_busy_timeout(q->db, 5000);
    return exec(q,
                "PRAGMA page_size = 16384;"
                "PRAGMA journal_mode = WAL;"
                "PRAGMA synchronous = NORMAL;"
                "PRAGMA foreign_keys = OFF;"
                "PRAGMA temp_store = MEMORY;"
                "PRAGMA cache_size = -65536;"
                "PRAGMA wal_autocheckpoint = 4096;",
                "configuring the database");
}

/* SQLite counts every allocation under a global mutex for
 * sqlite3_memory_used(), which paxwatch never asks: about 2% of the
 * instructions of PNR ingest. Configuring is allowed only before
 * SQLite initialises, hence once, before any connection (when the
 * program has used SQLite already, the call fails and changes
 * nothing). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

pw_rc pw_sqlite_open(const char *path, pw_store **out)
{
    sq_store *q = calloc(1, sizeof(*q));
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    pw_rc rc;

    if (!q)
        return PW_ERR_NOMEM;
    pthread_once(&sqlite_once, sqlite_setup);
    q->base.ops = &sq_ops;
    if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
        rc = q->db ? sq_fail(q, "opening the store") : PW_ERR_NOMEM;
        sq_close(&q->base);
        return rc;
    }
    sqlite3_extended_result_codes(q->db, 1);
    rc = configure(q);
    if (rc == PW_OK)
        rc = sq_migrate(q);
    if (rc != PW_OK) {
        sq_close(&q->base);
        return rc;
    }
    *out = &q->base;
    return PW_OK;
}
