/* The store's schema and its migrations, applied in order at open. The
 * SQL keeps to types and syntax PostgreSQL reads as well. */
#include <stdio.h>

#include "store/sqlite_impl.h"

/* Migration n (from 1) takes the schema from version n-1 to n. Never
 * edit a released one: add the next. */
static const char *const migrations[] = {
    /* 1: messages, parts, movements, manifests, travellers. */
    "CREATE TABLE messages ("
    " id INTEGER PRIMARY KEY,"
    " sha256 TEXT NOT NULL UNIQUE,"
    " name TEXT,"
    " sender TEXT,"
    " received_at TEXT NOT NULL,"
    " format TEXT,"
    " type TEXT,"
    " size BIGINT NOT NULL,"
    " raw BLOB NOT NULL,"
    " status TEXT NOT NULL,"
    " reason TEXT,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX messages_status ON messages (status);"
    "CREATE TABLE message_parts ("
    " id INTEGER PRIMARY KEY,"
    " part_key TEXT NOT NULL,"
    " number INTEGER NOT NULL,"
    " final INTEGER NOT NULL,"
    " message_id INTEGER NOT NULL REFERENCES messages (id),"
    " text BLOB NOT NULL,"
    " UNIQUE (part_key, number));"
    "CREATE TABLE movements ("
    " id INTEGER PRIMARY KEY,"
    " mode TEXT NOT NULL,"
    " carrier TEXT,"
    " number TEXT,"
    " vessel_name TEXT,"
    " vessel_imo TEXT,"
    " vessel_call_sign TEXT,"
    " vessel_flag TEXT,"
    " first_date TEXT,"
    " first_from TEXT,"
    " last_to TEXT,"
    " identity_key TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE TABLE legs ("
    " movement_id INTEGER NOT NULL REFERENCES movements (id),"
    " seq INTEGER NOT NULL,"
    " carrier TEXT,"
    " number TEXT,"
    " from_port TEXT,"
    " to_port TEXT,"
    " departure_sent TEXT,"
    " departure_local TEXT,"
    " departure_utc TEXT,"
    " arrival_sent TEXT,"
    " arrival_local TEXT,"
    " arrival_utc TEXT,"
    " PRIMARY KEY (movement_id, seq));"
    "CREATE TABLE manifests ("
    " id INTEGER PRIMARY KEY,"
    " movement_id INTEGER NOT NULL REFERENCES movements (id),"
    " message_id INTEGER NOT NULL REFERENCES messages (id),"
    " list_type TEXT NOT NULL,"
    " list_code TEXT,"
    " function TEXT,"
    " version INTEGER NOT NULL,"
    " message_type TEXT,"
    " message_version TEXT,"
    " message_ref TEXT,"
    " transaction_ref TEXT,"
    " sender TEXT,"
    " declared_passengers INTEGER,"
    " declared_crew INTEGER,"
    " sensitive_dropped INTEGER NOT NULL,"
    " superseded_by INTEGER REFERENCES manifests (id),"
    " created_at TEXT NOT NULL);"
    "CREATE INDEX manifests_movement ON manifests (movement_id, list_type);"
    "CREATE TABLE travellers ("
    " id INTEGER PRIMARY KEY,"
    " manifest_id INTEGER NOT NULL REFERENCES manifests (id),"
    " movement_id INTEGER NOT NULL REFERENCES movements (id),"
    " list_type TEXT NOT NULL,"
    " current INTEGER NOT NULL,"
    " cancelled INTEGER NOT NULL DEFAULT 0,"
    " replaced_by INTEGER,"
    " role TEXT NOT NULL,"
    " role_code TEXT,"
    " surname TEXT,"
    " given_names TEXT,"
    " sex TEXT,"
    " birth_date TEXT,"
    " nationality TEXT,"
    " residence TEXT,"
    " birth_place TEXT,"
    " clearance TEXT,"
    " embarkation TEXT,"
    " debarkation TEXT,"
    " transit TEXT,"
    " street TEXT,"
    " city TEXT,"
    " region TEXT,"
    " postcode TEXT,"
    " country TEXT,"
    " verified INTEGER,"
    " bags INTEGER,"
    " bag_weight TEXT,"
    " bag_tags TEXT,"
    " booking_ref TEXT,"
    " passenger_ref TEXT,"
    " seat TEXT,"
    " customer_ref TEXT,"
    " agency_ref TEXT,"
    " occupation TEXT,"
    " segment INTEGER);"
    "CREATE INDEX travellers_movement ON travellers"
    " (movement_id, list_type, current);"
    "CREATE TABLE documents ("
    " id INTEGER PRIMARY KEY,"
    " traveller_id INTEGER NOT NULL REFERENCES travellers (id),"
    " seq INTEGER NOT NULL,"
    " type TEXT,"
    " type_name TEXT,"
    " number TEXT,"
    " issuer TEXT,"
    " expiry TEXT,"
    " issued TEXT,"
    " check_digits INTEGER);"
    "CREATE INDEX documents_traveller ON documents (traveller_id);"
    "CREATE TABLE contacts ("
    " id INTEGER PRIMARY KEY,"
    " traveller_id INTEGER NOT NULL REFERENCES travellers (id),"
    " seq INTEGER NOT NULL,"
    " type TEXT,"
    " value TEXT);"
    "CREATE INDEX contacts_traveller ON contacts (traveller_id);",

    /* 2: a traveller's first document in its own row (most carry one,
     * and a second row per traveller halved the insert rate),
     * watchlists, and screening hits. No index on document numbers:
     * it cost a fifth of the ingest rate (see docs/store.md). */
    "ALTER TABLE travellers ADD COLUMN doc_seq INTEGER;"
    "ALTER TABLE travellers ADD COLUMN doc_type TEXT;"
    "ALTER TABLE travellers ADD COLUMN doc_type_name TEXT;"
    "ALTER TABLE travellers ADD COLUMN doc_number TEXT;"
    "ALTER TABLE travellers ADD COLUMN doc_issuer TEXT;"
    "ALTER TABLE travellers ADD COLUMN doc_expiry TEXT;"
    "ALTER TABLE travellers ADD COLUMN doc_issued TEXT;"
    "ALTER TABLE travellers ADD COLUMN doc_check_digits INTEGER;"
    /* Stores made before this migration may have these two from the
     * lists code's own set-up, hence IF NOT EXISTS. */
    "CREATE TABLE IF NOT EXISTS watchlists ("
    " name TEXT PRIMARY KEY,"
    " format TEXT NOT NULL,"
    " version TEXT,"
    " loaded_at TEXT NOT NULL,"
    " n_entries INTEGER NOT NULL,"
    " n_skipped INTEGER NOT NULL,"
    " bytes INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS watchlist_files ("
    " list TEXT NOT NULL REFERENCES watchlists(name) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY (list, seq));"
    "CREATE TABLE hits ("
    " id INTEGER PRIMARY KEY,"
    " traveller_id INTEGER NOT NULL REFERENCES travellers (id),"
    " movement_id INTEGER NOT NULL REFERENCES movements (id),"
    " identity TEXT NOT NULL,"
    " list_name TEXT NOT NULL,"
    " entry_id TEXT NOT NULL,"
    " entry_name TEXT,"
    " score DOUBLE PRECISION NOT NULL,"
    " explanation TEXT,"
    " kind TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " UNIQUE (identity, list_name, entry_id));"
    "CREATE INDEX hits_movement ON hits (movement_id);",

    /* 3: bookings (PNR) and their versions, PNR travellers as
     * travellers of the movement (source 'pnr', list type 'pnr'), and
     * the links between API and PNR travellers. No index on the new
     * traveller columns: rows of a booking version are found through
     * the movement index, and API ingest pays nothing for bookings. */
    "ALTER TABLE travellers ADD COLUMN source TEXT NOT NULL DEFAULT 'api';"
    "ALTER TABLE travellers ADD COLUMN booking_version_id INTEGER;"
    "ALTER TABLE travellers ADD COLUMN name_key TEXT;"
    "CREATE TABLE bookings ("
    " id INTEGER PRIMARY KEY,"
    " booking_key TEXT NOT NULL UNIQUE,"
    " locator TEXT NOT NULL,"
    " carrier TEXT,"
    " created TEXT,"
    " movement_id INTEGER REFERENCES movements (id),"
    " latest_version INTEGER NOT NULL,"
    " content_sha256 TEXT NOT NULL,"
    " n_travellers INTEGER NOT NULL,"
    " itinerary TEXT,"
    " first_seen TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX bookings_movement ON bookings (movement_id);"
    "CREATE INDEX bookings_locator ON bookings (locator);"
    "CREATE TABLE booking_versions ("
    " id INTEGER PRIMARY KEY,"
    " booking_id INTEGER NOT NULL REFERENCES bookings (id),"
    " version INTEGER NOT NULL,"
    " message_id INTEGER NOT NULL REFERENCES messages (id),"
    " manifest_id INTEGER REFERENCES manifests (id),"
    " movement_id INTEGER REFERENCES movements (id),"
    " content_sha256 TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " changes TEXT,"
    " last_changed TEXT,"
    " stored_at TEXT NOT NULL,"
    " UNIQUE (booking_id, version));"
    "CREATE TABLE traveller_links ("
    " id INTEGER PRIMARY KEY,"
    " movement_id INTEGER NOT NULL REFERENCES movements (id),"
    " booking_id INTEGER REFERENCES bookings (id),"
    " api_traveller_id INTEGER NOT NULL REFERENCES travellers (id),"
    " pnr_traveller_id INTEGER NOT NULL REFERENCES travellers (id),"
    " method TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " UNIQUE (api_traveller_id, pnr_traveller_id));"
    "CREATE INDEX traveller_links_booking ON traveller_links (booking_id);"
    /* numbering a movement's lists took a scan of its manifests: a
     * flight's many PNR pushes made that quadratic */
    "CREATE INDEX manifests_version ON manifests"
    " (movement_id, list_type, version);",

    /* 4: risk rules with every change recorded, what a rule hit adds
     * to a hit, the review steps of hits, and the indexes a
     * traveller's history is found by. */
    "CREATE TABLE rules ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " version INTEGER NOT NULL,"
    " enabled INTEGER NOT NULL,"
    " text TEXT NOT NULL,"
    " category TEXT,"
    " severity TEXT,"
    " updated_at TEXT NOT NULL,"
    " updated_by TEXT NOT NULL);"
    "CREATE TABLE rule_versions ("
    " id INTEGER PRIMARY KEY,"
    " rule_id INTEGER NOT NULL REFERENCES rules (id),"
    " version INTEGER NOT NULL,"
    " change TEXT NOT NULL,"
    " enabled INTEGER NOT NULL,"
    " text TEXT NOT NULL,"
    " who TEXT NOT NULL,"
    " at TEXT NOT NULL);"
    "CREATE INDEX rule_versions_rule ON rule_versions (rule_id);"
    "ALTER TABLE hits ADD COLUMN rule_version INTEGER;"
    "ALTER TABLE hits ADD COLUMN severity TEXT;"
    "ALTER TABLE hits ADD COLUMN category TEXT;"
    "CREATE INDEX hits_status ON hits (status);"
    "CREATE INDEX hits_traveller ON hits (traveller_id);"
    "CREATE TABLE hit_reviews ("
    " id INTEGER PRIMARY KEY,"
    " hit_id INTEGER NOT NULL REFERENCES hits (id),"
    " from_status TEXT NOT NULL,"
    " to_status TEXT NOT NULL,"
    " who TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " reason TEXT);"
    "CREATE INDEX hit_reviews_hit ON hit_reviews (hit_id);"
    "CREATE INDEX travellers_person ON travellers (surname, birth_date);",

    /* 5: people who use the service, their sessions and API keys (only
     * hashes kept), and the hash-chained audit log of who did what. */
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL,"
    " pwhash TEXT,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL);"
    /* by name, known or not, so lock-out tells nothing of existence */
    "CREATE TABLE login_failures ("
    " name TEXT PRIMARY KEY,"
    " failures INTEGER NOT NULL,"
    " locked_until INTEGER NOT NULL);"
    "CREATE TABLE sessions ("
    " token_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " expires INTEGER NOT NULL);"
    "CREATE TABLE api_keys ("
    " key_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " seq INTEGER NOT NULL UNIQUE,"
    " at TEXT NOT NULL,"
    " who TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " object TEXT,"
    " client TEXT,"
    " purpose TEXT,"
    " outcome TEXT,"
    " hash TEXT NOT NULL);"
    "CREATE INDEX audit_who ON audit (who, at);"
    /* append-only through SQL; the hash chain catches edits that
     * drop these triggers first */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    " SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    " SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

    /* 6: named lists rules use as `in list "NAME"`, every change kept
     * as for rules, and a random token rewritten on each change of a
     * rule or list, so a process can tell cheaply that its compiled
     * rules are stale (random so two stores never share one). */
    "CREATE TABLE rule_lists ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " version INTEGER NOT NULL,"
    " n_values INTEGER NOT NULL,"
    " content TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " updated_by TEXT NOT NULL);"
    "CREATE TABLE rule_list_versions ("
    " id INTEGER PRIMARY KEY,"
    " list_id INTEGER NOT NULL REFERENCES rule_lists (id),"
    " version INTEGER NOT NULL,"
    " n_values INTEGER NOT NULL,"
    " content TEXT NOT NULL,"
    " who TEXT NOT NULL,"
    " at TEXT NOT NULL);"
    "CREATE INDEX rule_list_versions_list ON rule_list_versions (list_id);"
    "CREATE TABLE rule_generation (one INTEGER PRIMARY KEY CHECK (one = 1),"
    " token INTEGER NOT NULL);"
    "INSERT INTO rule_generation VALUES (1, random());",
    /* 7: retention (docs/privacy.md): when a movement, a booking or a
     * raw message was depersonalised, and a message's raw bytes sealed
     * to the data-protection officer's key before they were cleared. */
    "ALTER TABLE movements ADD COLUMN depersonalised_at TEXT;"
    "ALTER TABLE bookings ADD COLUMN depersonalised_at TEXT;"
    "ALTER TABLE messages ADD COLUMN depersonalised_at TEXT;"
    "ALTER TABLE messages ADD COLUMN sealed BLOB;",
    /* 8: manifests_version (movement, list type, version) answers every
     * query manifests_movement did (numbering, superseding and counting
     * a movement's lists) by its first columns; keeping both cost an
     * index insert and its page in the WAL for every message, which a
     * PNR push, one booking to a message, felt most. The current rows
     * of a movement's list are found as before by the first three
     * columns of travellers_current; its last two let linking an API
     * passenger to PNR travellers (or the other way) seek the name key
     * and compare document numbers in the index, where each new row
     * read every current row of the other source on its movement. */
    "DROP INDEX IF EXISTS manifests_movement;"
    "DROP INDEX IF EXISTS travellers_movement;"
    "CREATE INDEX travellers_current ON travellers"
    " (movement_id, list_type, current, name_key, doc_number);"
    /* A booking's new version retires the rows of the one before:
     * they were found among all current PNR rows of the movement, one
     * row read per traveller on the flight for every changed booking.
     * Only PNR rows have a version, so API rows add nothing to it. */
    "CREATE INDEX travellers_booking_version ON travellers"
    " (booking_version_id) WHERE booking_version_id IS NOT NULL;",
    /* 9: a booking's key begins with its locator and '|', so the
     * unique key's index finds a locator's bookings as a range; a
     * second index on the locator cost every booking a random insert
     * (and its page in the WAL). */
    "DROP INDEX IF EXISTS bookings_locator;",
    /* 10: a message's raw bytes in a table of their own. Its status,
     * sender, format and type are written after it is read; they sat
     * before the bytes in its row, so each status update moved the
     * bytes and rewrote every overflow page of a large message (a
     * tenth of the pages written for flight pushes). */
    "CREATE TABLE message_raw ("
    " message_id INTEGER PRIMARY KEY REFERENCES messages (id),"
    " raw BLOB NOT NULL);"
    "INSERT INTO message_raw (message_id, raw) SELECT id, raw FROM messages;"
    "ALTER TABLE messages DROP COLUMN raw;",
    /* 11: the indexes that find a person's other rows (by surname and
     * birth date, or by a document number) are split into parts of
     * 32,768 rows by id, the part first. Keyed by name alone, every
     * new traveller went to a random leaf of one index over the whole
     * store, and once the store held more leaves than a batch has
     * travellers each insert dirtied a page of its own: ingest of
     * 2,000,000 travellers took twice the time per traveller of
     * 200,000. New rows now go to the last part only, whose leaves a
     * batch shares, so the cost per traveller stays flat as the store
     * grows; a look-up seeks each part (SQ_PART_BITS in sqlite_impl.h),
     * some 30 seeks a million rows. Document numbers get the same
     * index, so a person's history no longer reads every row. */
    "DROP INDEX IF EXISTS travellers_person;"
    "CREATE INDEX travellers_person ON travellers"
    " ((id >> 15), surname, birth_date);"
    "CREATE INDEX IF NOT EXISTS travellers_document ON travellers"
    " ((id >> 15), doc_number) WHERE doc_number IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS documents_number ON documents"
    " ((id >> 15), number) WHERE number IS NOT NULL;",
    /* 12: a traveller whose screening could not promise every hit (a
     * name of initials only, one the matcher refuses, see
     * pw_store_set_screened) says so, for the analyst's pages: no hit
     * is not "no match" then. Set when it happens, cleared when
     * screened again in full. */
    "ALTER TABLE travellers ADD screened_in_part INTEGER NOT NULL DEFAULT 0;",
    /* 13: the values by which a booking version meets others in a
     * traveller's history (its contacts by type and its addresses'
     * streets, lower-cased), one row each. History used to read them
     * out of every booking's content, a scan of the whole store at
     * each look-up (2.4 s at 100,000 bookings). One B-tree, keyed by
     * value within parts of 32,768 versions (part = version_id >> 15),
     * like the person indexes (migration 11): new rows go to the last
     * part, a look-up seeks each. Rows are never updated: a new
     * version brings its own, and history keeps those of latest
     * versions. Card numbers are no longer among them: stored masked
     * to their last four digits, they met one booking in ten thousand
     * at random. Depersonalised bookings have none. */
    "CREATE TABLE booking_items ("
    " part INTEGER NOT NULL,"
    " value TEXT NOT NULL,"
    " how TEXT NOT NULL,"
    " version_id INTEGER NOT NULL REFERENCES booking_versions (id),"
    " PRIMARY KEY (part, value, how, version_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO booking_items (part, value, how, version_id)"
    " WITH bk(id, content) AS (SELECT v.id, v.content FROM bookings b"
    " JOIN booking_versions v ON v.booking_id = b.id AND"
    " v.version = b.latest_version WHERE b.depersonalised_at IS NULL AND"
    " json_valid(v.content)),"
    " items(id, how, value) AS ("
    "SELECT bk.id, COALESCE(json_extract(j.value, '$.type'), 'contact'),"
    " lower(json_extract(j.value, '$.value')) FROM bk,"
    " json_each(bk.content, '$.contacts') j UNION ALL"
    " SELECT bk.id, 'address', lower(json_extract(j.value, '$.street'))"
    " FROM bk, json_each(bk.content, '$.addresses') j)"
    " SELECT id >> 15, value, how, id FROM items WHERE value IS NOT NULL"
    " AND value <> '' ORDER BY id;"
    /* The other co-travellers were found by reading every traveller
     * (API passengers by booking reference, travellers by street) and
     * every contact: by index now, the travellers' in parts. Only API
     * rows are indexed by booking reference: a PNR traveller's is its
     * booking's locator, found through its booking. Streets and
     * contacts compare as NOCASE (ASCII letters folded, as lower()
     * did): an index on lower(street) cost every PNR traveller row a
     * fifth more, though none has a street. */
    "CREATE INDEX travellers_booking_ref ON travellers"
    " ((id >> 15), booking_ref) WHERE source = 'api' AND"
    " booking_ref IS NOT NULL;"
    "CREATE INDEX travellers_street ON travellers"
    " ((id >> 15), street COLLATE NOCASE) WHERE street <> '';"
    "CREATE INDEX contacts_value ON contacts (value COLLATE NOCASE);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static pw_rc run(sq_store *q, const char *sql, const char *doing)
{
    if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, doing);
    return PW_OK;
}

static pw_rc read_version(sq_store *q, int *version)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(q->db,
                           "SELECT COALESCE(MAX(version), 0) FROM "
                           "schema_version",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, "reading the schema version");
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sq_fail(q, "reading the schema version");
    return PW_OK;
}

static pw_rc record_version(sq_store *q, int version)
{
    char sql[128], now[32];

    pw_store_now(now);
    snprintf(sql, sizeof(sql),
             "INSERT INTO schema_version (version, applied_at) "
             "VALUES (%d, '%s')",
             version, now);
    return run(q, sql, "recording the schema version");
}

/* Each migration runs in its own transaction with its version row, so
 * a store is always at one version or the next, never between. The
 * version is read again under the lock: another process opening the
 * same new file may have applied it meanwhile. */
static pw_rc apply(sq_store *q, int version)
{
    pw_rc rc = run(q, "BEGIN IMMEDIATE", "migrating the schema");
    int now_at = 0;

    if (rc != PW_OK)
        return rc;
    rc = read_version(q, &now_at);
    if (rc == PW_OK && now_at < version)
        rc = run(q, migrations[version - 1], "migrating the schema");
    if (rc == PW_OK && now_at < version)
        rc = record_version(q, version);
    if (rc == PW_OK)
        rc = run(q, "COMMIT", "migrating the schema");
    if (rc != PW_OK)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

pw_rc sq_migrate(sq_store *q)
{
    pw_rc rc = run(q,
                   "CREATE TABLE IF NOT EXISTS schema_version ("
                   " version INTEGER NOT NULL,"
                   " applied_at TEXT NOT NULL)",
                   "creating the schema table");
    int version;

    if (rc == PW_OK)
        rc = read_version(q, &version);
    if (rc != PW_OK)
        return rc;
    if (version > N_MIGRATIONS)
        return pw_store_fail(&q->base, PW_ERR_UNSUPPORTED,
                             "the store's schema version %d is newer "
                             "than this paxwatch knows (%d)",
                             version, N_MIGRATIONS);
    for (int v = version + 1; v <= N_MIGRATIONS && rc == PW_OK; v++)
        rc = apply(q, v);
    if (rc == PW_OK)
        q->version = N_MIGRATIONS;
    return rc;
}
