/* Retention in the SQLite store: delete what is past its retention
 * period, depersonalise what is past the first period, and open a raw
 * message's sealed copy. See docs/privacy.md, Retention. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paxwatch/retention.h"
#include "store/sqlite_impl.h"

void pw_retention_default(pw_retention_policy *p)
{
    memset(p, 0, sizeof *p);
    p->depersonalise_days = PW_RETENTION_DEPERSONALISE_DAYS;
    p->delete_days = PW_RETENTION_DELETE_DAYS;
    p->keep_confirmed = 1;
}

/* Seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ" (or of a date alone);
 * -1 when it is neither. */
static long long parse_time(const char *s)
{
    struct tm tm = {0};
    int n = 0;

    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) !=
            3 ||
        n != 10)
        return -1;
    if (s[10] && (sscanf(s + 10, "T%2d:%2d:%2dZ%n", &tm.tm_hour, &tm.tm_min,
                         &tm.tm_sec, &n) != 3 ||
                  s[10 + n]))
        return -1;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

static void format_time(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Runs sql with ?1 and ?2 bound to a and b (either may be NULL, and
 * the statement need not use them) and adds the rows it changed to *n
 * (when n is not NULL). */
static pw_rc exec2(sq_store *q, const char *sql, const char *a, const char *b,
                   size_t *n, const char *doing)
{
    sqlite3_stmt *st;
    int r;

    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, doing);
    if (sqlite3_bind_parameter_count(st) >= 1)
        sq_text(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sq_text(st, 2, b);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        return sq_fail(q, doing);
    if (n)
        *n += (size_t)sqlite3_changes(q->db);
    return PW_OK;
}

/* The single number sql (with ?1 bound to a) answers. */
static pw_rc count1(sq_store *q, const char *sql, const char *a, size_t *n,
                    const char *doing)
{
    sqlite3_stmt *st;
    pw_rc rc = PW_OK;

    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, doing);
    if (sqlite3_bind_parameter_count(st) >= 1)
        sq_text(st, 1, a);
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = sq_fail(q, doing);
    sqlite3_finalize(st);
    return rc;
}

/* Statements run in order; stops at the first failure. */
struct step {
    const char *sql;
    size_t *count; /* rows changed, added here; or NULL */
};

static pw_rc run_steps(sq_store *q, const struct step *steps, size_t n,
                       const char *at, const char *doing)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; rc == PW_OK && i < n; i++)
        rc = exec2(q, steps[i].sql, at, NULL, steps[i].count, doing);
    return rc;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Movements, with all they hold, whose data last arrived before cut;
 * bookings not tied to a movement pushed last before it; raw messages
 * received before it that nothing stored refers to any more. */
static pw_rc delete_old(sq_store *q, const pw_retention_policy *p,
                        const char *cut, pw_retention_report *r)
{
    size_t due = 0;
    const char *pick =
        p->keep_confirmed
            ? "INSERT INTO rt_mv SELECT id FROM movements WHERE updated_at < ?1"
              " AND id NOT IN (SELECT movement_id FROM hits"
              " WHERE status = 'confirmed')"
            : "INSERT INTO rt_mv SELECT id FROM movements WHERE updated_at < "
              "?1";
    const struct step steps[] = {
        {"CREATE TEMP TABLE rt_mv (id INTEGER PRIMARY KEY)", NULL},
        {pick, NULL},
        {"CREATE TEMP TABLE rt_bk (id INTEGER PRIMARY KEY)", NULL},
        {"INSERT INTO rt_bk SELECT id FROM bookings WHERE movement_id IN"
         " (SELECT id FROM rt_mv) OR (movement_id IS NULL AND"
         " updated_at < ?1)",
         &r->bookings_deleted},
        {"DELETE FROM hit_reviews WHERE hit_id IN (SELECT id FROM hits"
         " WHERE movement_id IN (SELECT id FROM rt_mv))",
         NULL},
        {"DELETE FROM hits WHERE movement_id IN (SELECT id FROM rt_mv)",
         &r->hits_deleted},
        {"DELETE FROM traveller_links WHERE movement_id IN (SELECT id FROM"
         " rt_mv) OR booking_id IN (SELECT id FROM rt_bk)",
         NULL},
        {"DELETE FROM documents WHERE traveller_id IN (SELECT id FROM"
         " travellers WHERE movement_id IN (SELECT id FROM rt_mv))",
         NULL},
        {"DELETE FROM contacts WHERE traveller_id IN (SELECT id FROM"
         " travellers WHERE movement_id IN (SELECT id FROM rt_mv))",
         NULL},
        {"DELETE FROM travellers WHERE movement_id IN (SELECT id FROM rt_mv)",
         &r->travellers_deleted},
        {"DELETE FROM booking_versions WHERE booking_id IN (SELECT id FROM"
         " rt_bk) OR movement_id IN (SELECT id FROM rt_mv) OR manifest_id IN"
         " (SELECT id FROM manifests WHERE movement_id IN"
         " (SELECT id FROM rt_mv))",
         NULL},
        {"DELETE FROM booking_items WHERE version_id NOT IN (SELECT id"
         " FROM booking_versions)",
         NULL},
        {"DELETE FROM bookings WHERE id IN (SELECT id FROM rt_bk)", NULL},
        {"DELETE FROM manifests WHERE movement_id IN (SELECT id FROM rt_mv)",
         NULL},
        {"DELETE FROM legs WHERE movement_id IN (SELECT id FROM rt_mv)", NULL},
        {"DELETE FROM movements WHERE id IN (SELECT id FROM rt_mv)",
         &r->movements_deleted},
        {"DELETE FROM message_parts WHERE message_id IN (SELECT id FROM"
         " messages WHERE received_at < ?1 AND status != 'received' AND"
         " id NOT IN (SELECT message_id FROM manifests) AND id NOT IN"
         " (SELECT message_id FROM booking_versions))",
         NULL},
        {"DELETE FROM messages WHERE received_at < ?1 AND"
         " status != 'received' AND id NOT IN (SELECT message_id FROM"
         " manifests) AND id NOT IN (SELECT message_id FROM"
         " booking_versions) AND id NOT IN (SELECT message_id FROM"
         " message_parts)",
         &r->messages_deleted},
        {"DELETE FROM message_raw WHERE message_id NOT IN (SELECT id FROM"
         " messages)",
         NULL},
        {"DROP TABLE rt_mv", NULL},
        {"DROP TABLE rt_bk", NULL},
    };
    pw_rc rc = count1(q, "SELECT count(*) FROM movements WHERE updated_at < ?1",
                      cut, &due, "choosing what retention deletes");

    if (rc == PW_OK)
        rc = run_steps(q, steps, COUNT(steps), cut,
                       "deleting what is past retention");
    r->movements_held = due - r->movements_deleted;
    return rc;
}

/* Travellers of movements whose data last arrived before cut lose
 * names, addresses, contacts, document numbers and references; birth
 * dates keep the year; their hits lose the explanation (it quotes the
 * names) and the identity hash. */
static pw_rc depersonalise_movements(sq_store *q, const char *cut,
                                     const char *now, pw_retention_report *r)
{
    const struct step pick[] = {
        {"CREATE TEMP TABLE rt_mv (id INTEGER PRIMARY KEY)", NULL},
        {"INSERT INTO rt_mv SELECT id FROM movements WHERE updated_at < ?1"
         " AND depersonalised_at IS NULL",
         &r->movements_depersonalised},
    };
    const struct step steps[] = {
        {"UPDATE travellers SET surname = NULL, given_names = NULL,"
         " birth_date = substr(birth_date, 1, 4), residence = NULL,"
         " birth_place = NULL, street = NULL, city = NULL, region = NULL,"
         " postcode = NULL, bag_tags = NULL, passenger_ref = NULL,"
         " seat = NULL, customer_ref = NULL, occupation = NULL,"
         " doc_number = NULL, name_key = NULL"
         " WHERE movement_id IN (SELECT id FROM rt_mv)",
         &r->travellers_depersonalised},
        {"UPDATE documents SET number = NULL WHERE traveller_id IN (SELECT"
         " id FROM travellers WHERE movement_id IN (SELECT id FROM rt_mv))",
         NULL},
        {"DELETE FROM contacts WHERE traveller_id IN (SELECT id FROM"
         " travellers WHERE movement_id IN (SELECT id FROM rt_mv))",
         NULL},
        {"UPDATE hits SET explanation = NULL, identity = 'depersonalised:'"
         " || id WHERE movement_id IN (SELECT id FROM rt_mv)",
         &r->hits_masked},
        {"UPDATE movements SET depersonalised_at = ?1 WHERE id IN"
         " (SELECT id FROM rt_mv)",
         NULL},
        {"DELETE FROM message_raw WHERE message_id NOT IN (SELECT id FROM"
         " messages)",
         NULL},
        {"DROP TABLE rt_mv", NULL},
    };
    pw_rc rc = run_steps(q, pick, COUNT(pick), cut,
                         "choosing what retention depersonalises");

    if (rc == PW_OK)
        rc = run_steps(q, steps, COUNT(steps), now,
                       "depersonalising travellers");
    return rc;
}

/* "changes" of a booking version keeps only the names of what changed:
 * the added and removed values quote names and payments. */
static char *changed_only(const char *changes)
{
    json_t *c = changes ? json_loads(changes, 0, NULL) : NULL;
    json_t *keep = json_object_get(c, "changed");
    char *out = NULL;

    if (json_is_array(keep)) {
        json_t *o = json_pack("{sO}", "changed", keep);
        out = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(o);
    }
    json_decref(c);
    return out;
}

static pw_rc mask_version(sq_store *q, sqlite3_stmt *put, int64_t id,
                          const char *content, const char *changes)
{
    char *masked = NULL, *ch = NULL;
    pw_rc rc = pw_booking_depersonalise(content, &masked);
    int r;

    if (rc == PW_ERR_SYNTAX) /* not ours to read: keep nothing of it */
        rc = (masked = strdup("{}")) ? PW_OK : PW_ERR_NOMEM;
    if (rc != PW_OK)
        return rc;
    ch = changed_only(changes);
    sqlite3_reset(put);
    sq_text(put, 1, masked);
    sq_text(put, 2, ch);
    sqlite3_bind_int64(put, 3, id);
    r = sqlite3_step(put);
    free(masked);
    free(ch);
    return r == SQLITE_DONE ? PW_OK : sq_fail(q, "depersonalising a booking");
}

/* Versions of bookings pushed last before cut get their content
 * depersonalised (pw_booking_depersonalise). */
static pw_rc depersonalise_bookings(sq_store *q, const char *cut,
                                    const char *now, pw_retention_report *r)
{
    sqlite3_stmt *get = NULL, *put = NULL;
    pw_rc rc = PW_OK;
    int s;

    if (sqlite3_prepare_v2(q->db,
                           "SELECT v.id, v.content, v.changes FROM"
                           " booking_versions v JOIN bookings b ON"
                           " b.id = v.booking_id WHERE b.updated_at < ?1"
                           " AND b.depersonalised_at IS NULL",
                           -1, &get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(q->db,
                           "UPDATE booking_versions SET content = ?1,"
                           " changes = ?2 WHERE id = ?3",
                           -1, &put, NULL) != SQLITE_OK)
        rc = sq_fail(q, "depersonalising bookings");
    if (rc == PW_OK)
        sq_text(get, 1, cut);
    while (rc == PW_OK && (s = sqlite3_step(get)) == SQLITE_ROW)
        rc = mask_version(q, put, sqlite3_column_int64(get, 0),
                          sq_col(get, 1) ? sq_col(get, 1) : "{}",
                          sq_col(get, 2));
    if (rc == PW_OK && s != SQLITE_DONE)
        rc = sq_fail(q, "depersonalising bookings");
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    /* The values they met others by (migration 13) go with them. */
    if (rc == PW_OK)
        rc = exec2(q,
                   "DELETE FROM booking_items WHERE version_id IN (SELECT"
                   " v.id FROM booking_versions v JOIN bookings b ON b.id ="
                   " v.booking_id WHERE b.depersonalised_at IS NULL AND"
                   " b.updated_at < ?1)",
                   cut, NULL, NULL, "depersonalising bookings");
    if (rc == PW_OK)
        rc = exec2(q,
                   "UPDATE bookings SET depersonalised_at = ?1 WHERE"
                   " depersonalised_at IS NULL AND updated_at < ?2",
                   now, cut, &r->bookings_depersonalised,
                   "depersonalising bookings");
    return rc;
}

/* The raw bytes of one message sealed to key (when given) and cleared. */
static pw_rc seal_one(sq_store *q, sqlite3_stmt *put, int64_t id,
                      const void *raw, size_t len, const unsigned char *key,
                      const char *now, pw_retention_report *r)
{
    unsigned char *sealed = NULL;
    int s;

    if (key) {
        sealed = malloc(len + crypto_box_SEALBYTES);
        if (!sealed)
            return PW_ERR_NOMEM;
        if (crypto_box_seal(sealed, raw, len, key) != 0) {
            free(sealed);
            return PW_ERR_INVALID;
        }
    }
    sqlite3_reset(put);
    if (sealed)
        sqlite3_bind_blob64(put, 1, sealed, len + crypto_box_SEALBYTES,
                            SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(put, 1);
    sq_text(put, 2, now);
    sqlite3_bind_int64(put, 3, id);
    s = sqlite3_step(put);
    free(sealed);
    if (s != SQLITE_DONE)
        return sq_fail(q, "sealing a message");
    r->messages_sealed += key != NULL;
    r->messages_depersonalised++;
    return PW_OK;
}

/* Raw messages received before cut (and their waiting parts): sealed to
 * the policy's key when it has one, then cleared. One still to be
 * processed (status received) is left for ingest. */
static pw_rc depersonalise_messages(sq_store *q, const pw_retention_policy *p,
                                    const char *cut, const char *now,
                                    pw_retention_report *r)
{
    sqlite3_stmt *get = NULL, *put = NULL;
    pw_rc rc = PW_OK;
    int s;

    if (sqlite3_prepare_v2(q->db,
                           "SELECT m.id, r.raw FROM messages m LEFT JOIN"
                           " message_raw r ON r.message_id = m.id WHERE"
                           " m.received_at < ?1 AND m.depersonalised_at IS"
                           " NULL AND m.status != 'received'",
                           -1, &get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(q->db,
                           "UPDATE messages SET sealed = ?1,"
                           " depersonalised_at = ?2 WHERE id = ?3",
                           -1, &put, NULL) != SQLITE_OK)
        rc = sq_fail(q, "depersonalising messages");
    if (rc == PW_OK)
        sq_text(get, 1, cut);
    while (rc == PW_OK && (s = sqlite3_step(get)) == SQLITE_ROW)
        rc = seal_one(
            q, put, sqlite3_column_int64(get, 0), sqlite3_column_blob(get, 1),
            (size_t)sqlite3_column_bytes(get, 1), p->seal_key, now, r);
    if (rc == PW_OK && s != SQLITE_DONE)
        rc = sq_fail(q, "depersonalising messages");
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    /* cleared after the walk over them, not during it */
    if (rc == PW_OK)
        rc = exec2(q,
                   "UPDATE message_raw SET raw = x'' WHERE message_id IN"
                   " (SELECT id FROM messages WHERE depersonalised_at = ?1)",
                   now, NULL, NULL, "depersonalising messages");
    if (rc == PW_OK)
        rc = exec2(q,
                   "UPDATE message_parts SET text = x'' WHERE message_id IN"
                   " (SELECT id FROM messages WHERE depersonalised_at = ?1)",
                   now, NULL, NULL, "depersonalising message parts");
    return rc;
}

static pw_rc run_all(sq_store *q, const pw_retention_policy *p, const char *now,
                     pw_retention_report *r)
{
    pw_rc rc = PW_OK;

    if (p->delete_days)
        rc = delete_old(q, p, r->delete_before, r);
    if (rc == PW_OK && p->depersonalise_days)
        rc = depersonalise_movements(q, r->depersonalise_before, now, r);
    if (rc == PW_OK && p->depersonalise_days)
        rc = depersonalise_bookings(q, r->depersonalise_before, now, r);
    if (rc == PW_OK && p->depersonalise_days)
        rc = depersonalise_messages(q, p, r->depersonalise_before, now, r);
    return rc;
}

pw_rc pw_retention_run(pw_store *s, const pw_retention_policy *p,
                       const char *now, int dry, pw_retention_report *out)
{
    sq_store *q = (sq_store *)s;
    char at[32];
    long long t;
    pw_rc rc;

    memset(out, 0, sizeof *out);
    if (!s || !p || p->depersonalise_days < 0 || p->delete_days < 0 ||
        (p->delete_days && p->depersonalise_days &&
         p->delete_days < p->depersonalise_days) ||
        sodium_init() < 0)
        return PW_ERR_INVALID;
    t = now ? parse_time(now) : (long long)time(NULL);
    if (t < 0)
        return PW_ERR_INVALID;
    format_time(t, at);
    if (p->depersonalise_days)
        format_time(t - p->depersonalise_days * 86400,
                    out->depersonalise_before);
    if (p->delete_days)
        format_time(t - p->delete_days * 86400, out->delete_before);
    /* what is cleared or deleted is overwritten in the file, not only
     * unlinked, and the write-ahead log is emptied into it after */
    if (sqlite3_exec(q->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) !=
        SQLITE_OK)
        return sq_fail(q, "preparing the retention run");
    if ((rc = pw_store_begin(s)) != PW_OK)
        return rc;
    rc = run_all(q, p, at, out);
    if (rc == PW_OK && !dry)
        rc = pw_store_commit(s);
    else
        pw_store_rollback(s);
    if (rc == PW_OK && !dry &&
        sqlite3_exec(q->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
                     NULL) != SQLITE_OK)
        rc = sq_fail(q, "writing the retention run into the store file");
    return rc;
}

pw_rc pw_retention_unseal(pw_store *s, int64_t id, const unsigned char *pk,
                          const unsigned char *sk, char **data, size_t *len)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    pw_rc rc = PW_ERR_NOTFOUND;

    *data = NULL;
    *len = 0;
    if (sodium_init() < 0)
        return PW_ERR_INVALID;
    if (sqlite3_prepare_v2(q->db, "SELECT sealed FROM messages WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, "reading a sealed message");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) == SQLITE_BLOB) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        const unsigned char *b = sqlite3_column_blob(st, 0);

        rc = PW_ERR_INVALID;
        if (n >= crypto_box_SEALBYTES) {
            *data = malloc(n - crypto_box_SEALBYTES + 1);
            rc = *data ? PW_OK : PW_ERR_NOMEM;
        }
        if (rc == PW_OK &&
            crypto_box_seal_open((unsigned char *)*data, b, n, pk, sk) != 0)
            rc = PW_ERR_INVALID;
        if (rc == PW_OK) {
            *len = n - crypto_box_SEALBYTES;
            (*data)[*len] = '\0';
        } else {
            free(*data);
            *data = NULL;
        }
    }
    sqlite3_finalize(st);
    return rc;
}
