/* A traveller's history and links in the SQLite store: the same
 * person's movements, bookings and hits, the co-travellers sharing a
 * booking, phone, e-mail, address or card, the history count the rule
 * evaluator asks for, and a stored traveller's booking read back for
 * rules. All answered with SQL over the stored rows. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paxwatch/review.h"
#include "store/sqlite_impl.h"

/* The rows of the same person as traveller ?1: same surname, given
 * names and birth date, or a document number in common (its first,
 * kept in its row, or any other); their bookings by version or by
 * locator (a booking's key is its locator, '|', then more, so the key's
 * index finds a locator's bookings between "LOC|" and "LOC}"). The
 * person indexes are split into parts by id (migration 11): parts and
 * dparts number those of travellers and documents, and each is sought
 * on its own (CROSS JOIN keeps SQLite to that order: the person's names
 * or numbers, then each part, then the index). */
#define PART "(id >> " SQ_PART_BITS ")"
#define PERSON_CTE                                                             \
    "WITH me AS (SELECT surname, given_names, birth_date, doc_number FROM "    \
    "travellers WHERE id = ?1), parts(k) AS (SELECT 0 UNION ALL SELECT k + "   \
    "1 FROM parts WHERE k < (SELECT MAX(id) FROM travellers) >> " SQ_PART_BITS \
    "), dparts(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM "                   \
    "dparts WHERE k < (SELECT MAX(id) FROM documents) >> " SQ_PART_BITS        \
    "), mydocs(number) AS (SELECT doc_number FROM me WHERE doc_number IS NOT " \
    "NULL UNION SELECT number FROM documents WHERE traveller_id = ?1 AND "     \
    "number IS NOT NULL), person(id) AS (SELECT ?1 UNION SELECT t.id FROM "    \
    "me CROSS JOIN parts p CROSS JOIN travellers t WHERE me.surname IS "       \
    "NOT NULL AND me.birth_date IS NOT NULL AND " PART " = p.k AND "           \
    "t.surname = me.surname AND t.birth_date = me.birth_date AND "             \
    "COALESCE(t.given_names, '') = COALESCE(me.given_names, '') UNION "        \
    "SELECT t.id FROM mydocs n CROSS JOIN parts p CROSS JOIN travellers t "    \
    "WHERE " PART " = p.k AND t.doc_number = n.number UNION SELECT "           \
    "d.traveller_id FROM mydocs n CROSS JOIN dparts p CROSS JOIN documents "   \
    "d WHERE " PART " = p.k AND d.number = n.number), "                        \
    "mybook(id, locator) AS (SELECT b.id, b.locator FROM person p JOIN "       \
    "travellers t ON t.id = p.id JOIN booking_versions v ON v.id = "           \
    "t.booking_version_id JOIN bookings b ON b.id = v.booking_id UNION "       \
    "SELECT b.id, b.locator FROM person p JOIN travellers t ON t.id = p.id "   \
    "JOIN bookings b ON b.booking_key >= t.booking_ref || '|' AND "            \
    "b.booking_key < t.booking_ref || '}' AND +b.locator = t.booking_ref) "

static const char sql_movements[] = PERSON_CTE
    "SELECT m.id, m.id, MAX(t.id), COALESCE(m.number, m.vessel_name, "
    "m.carrier), m.first_date, m.first_from, m.last_to, "
    "group_concat(DISTINCT t.list_type) FROM person p JOIN travellers t ON "
    "t.id = p.id JOIN "
    "movements m ON m.id = t.movement_id GROUP BY m.id ORDER BY "
    "m.first_date, m.id LIMIT 1000";

static const char sql_bookings[] =
    PERSON_CTE "SELECT b.id, b.movement_id, 0, b.locator, b.carrier, "
               "b.created, b.itinerary, b.updated_at FROM mybook k JOIN "
               "bookings b ON b.id = k.id ORDER BY b.id LIMIT 1000";

static const char sql_hits[] =
    PERSON_CTE "SELECT h.id, h.movement_id, h.traveller_id, h.kind, "
               "h.list_name, h.entry_id, h.status, h.created_at FROM hits h "
               "WHERE h.traveller_id IN (SELECT id FROM person) ORDER BY "
               "h.id LIMIT 1000";

/* Values that link: the contacts and addresses in the latest content
 * of the person's bookings, then the latest versions of every booking
 * holding one of them (booking_items, migration 13), sought part by
 * part as the person indexes are (PERSON_CTE). */
#define ITEMS_CTE                                                              \
    ", latest(id, content) AS (SELECT v.id, v.content FROM mybook k JOIN "     \
    "bookings b ON b.id = k.id JOIN booking_versions v ON v.booking_id = "     \
    "b.id AND v.version = b.latest_version WHERE b.depersonalised_at IS NULL " \
    "AND json_valid(v.content)), mine(how, val) AS (SELECT "                   \
    "COALESCE(json_extract(j.value, '$.type'), 'contact'), "                   \
    "lower(json_extract(j.value, '$.value')) FROM latest l, "                  \
    "json_each(l.content, '$.contacts') j UNION SELECT 'address', "            \
    "lower(json_extract(j.value, '$.street')) FROM latest l, "                 \
    "json_each(l.content, '$.addresses') j), vparts(k) AS (SELECT 0 UNION "    \
    "ALL SELECT k + 1 FROM vparts WHERE k < (SELECT MAX(id) FROM "             \
    "booking_versions) >> " SQ_PART_BITS "), shared(bid, how, val) AS "        \
    "(SELECT DISTINCT v.booking_id, i.how, i.value FROM mine m CROSS JOIN "    \
    "vparts p CROSS JOIN booking_items i CROSS JOIN booking_versions v CROSS " \
    "JOIN bookings b WHERE m.val <> '' AND i.part = p.k AND i.value = m.val "  \
    "AND i.how = m.how AND v.id = i.version_id AND b.id = v.booking_id AND "   \
    "b.latest_version = v.version) "

/* Co-travellers: the travellers of the person's bookings; API
 * passengers giving one of their locators as booking reference, and
 * those sharing a contact or a street (and postcode) with the person,
 * each found by index (migration 13: the traveller indexes in parts,
 * as PERSON_CTE seeks them); the travellers of bookings sharing a
 * value. */
static const char sql_links[] = PERSON_CTE ITEMS_CTE
    ", refs(ref) AS (SELECT locator FROM mybook UNION SELECT booking_ref "
    "FROM travellers WHERE id IN (SELECT id FROM person) AND booking_ref IS "
    "NOT NULL), pairs(tid, how, val) AS (SELECT t.id, 'booking', b.locator "
    "FROM travellers t JOIN booking_versions v ON v.id = t.booking_version_id "
    "JOIN bookings b ON b.id = v.booking_id WHERE b.id IN (SELECT id FROM "
    "mybook) UNION SELECT t.id, 'booking', t.booking_ref FROM refs r CROSS "
    "JOIN parts p CROSS JOIN travellers t WHERE " PART " = p.k AND "
    "t.source = 'api' AND t.booking_ref = r.ref UNION SELECT "
    "c2.traveller_id, COALESCE(c2.type, 'contact'), c2.value FROM contacts "
    "c1 JOIN contacts c2 ON c2.value = c1.value COLLATE NOCASE WHERE "
    "c1.traveller_id IN (SELECT id FROM person) AND c1.value <> '' UNION "
    "SELECT t2.id, 'address', t2.street FROM travellers t1 CROSS JOIN parts "
    "p CROSS JOIN travellers t2 WHERE t1.id IN (SELECT id FROM person) AND "
    "t1.street <> '' AND (t2.id >> " SQ_PART_BITS ") = p.k AND "
    "t2.street = t1.street COLLATE NOCASE AND t2.street <> '' AND "
    "COALESCE(t2.postcode, '') = COALESCE(t1.postcode, '') UNION SELECT "
    "t.id, 'booking ' || s.how, s.val FROM shared s CROSS JOIN "
    "booking_versions v CROSS JOIN travellers t WHERE v.booking_id = s.bid "
    "AND t.booking_version_id = v.id) "
    "SELECT MIN(t.id), t.movement_id, MIN(t.id), t.surname, t.given_names, "
    "p.how, p.val, t.birth_date FROM pairs p JOIN travellers t ON t.id = "
    "p.tid WHERE p.tid NOT IN (SELECT id FROM person) AND t.current = 1 "
    "GROUP BY t.movement_id, t.surname, t.given_names, t.birth_date, p.how, "
    "p.val ORDER BY MIN(t.id) LIMIT 1000";

static pw_rc exists(sq_store *q, int64_t id)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(q->db, "SELECT 1 FROM travellers WHERE id = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_fail(q, "finding a traveller");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return PW_OK;
    if (rc == SQLITE_DONE)
        return pw_store_fail(&q->base, PW_ERR_NOTFOUND, "no traveller %lld",
                             (long long)id);
    return sq_fail(q, "finding a traveller");
}

/* Every query gives id, movement, traveller, then up to five texts. */
static pw_rc walk(sq_store *q, const char *sql, const char *kind, int64_t id,
                  pw_history_cb cb, void *ctx, int *stop)
{
    sqlite3_stmt *st;
    pw_history_row r;
    int rc;

    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a history query");
    sqlite3_bind_int64(st, 1, id);
    while (!*stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&r, 0, sizeof(r));
        r.kind = kind;
        r.id = sqlite3_column_int64(st, 0);
        r.movement_id = sqlite3_column_int64(st, 1);
        r.traveller_id = sqlite3_column_int64(st, 2);
        r.a = sq_col(st, 3);
        r.b = sq_col(st, 4);
        r.c = sq_col(st, 5);
        r.d = sq_col(st, 6);
        r.e = sqlite3_column_count(st) > 7 ? sq_col(st, 7) : NULL;
        *stop = cb(ctx, &r);
    }
    sqlite3_finalize(st);
    if (!*stop && rc != SQLITE_DONE)
        return sq_fail(q, "reading a traveller's history");
    return PW_OK;
}

/* The movement query's columns are ordered for its own reading. */
static const char *const kinds[] = {"movement", "booking", "hit", "link"};
static const char *const sqls[] = {sql_movements, sql_bookings, sql_hits,
                                   sql_links};

pw_rc pw_traveller_history(pw_store *s, int64_t traveller_id, pw_history_cb cb,
                           void *ctx)
{
    sq_store *q = (sq_store *)s;
    int stop = 0;
    pw_rc rc;

    if (!s || !cb || traveller_id <= 0)
        return PW_ERR_INVALID;
    rc = exists(q, traveller_id);
    for (size_t i = 0; i < 4 && rc == PW_OK && !stop; i++)
        rc = walk(q, sqls[i], kinds[i], traveller_id, cb, ctx, &stop);
    return rc;
}

/* ---- The history count for rules ---- */

/* One current row per earlier movement of the same person, departing
 * within ?5 seconds before ?4: by names and birth date, or by the first
 * document, each sought part by part in the person indexes (see
 * PERSON_CTE); then the first leg of each of those rows' movements. */
#define EARLIER_SQL                                                            \
    "WITH parts(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM parts WHERE "      \
    "k < (SELECT MAX(id) FROM travellers) >> " SQ_PART_BITS "), seen(id) AS "  \
    "(SELECT t.id FROM parts p CROSS JOIN travellers t WHERE " PART " = p.k "  \
    "AND ?1 IS NOT NULL AND ?3 IS NOT NULL AND t.surname = ?1 AND "            \
    "t.birth_date = ?3 AND COALESCE(t.given_names, '') = COALESCE(?2, '') "    \
    "UNION SELECT t.id FROM parts p CROSS JOIN travellers t WHERE " PART       \
    " = p.k AND ?6 IS NOT NULL AND t.doc_number = ?6) SELECT MIN(t.id) FROM "  \
    "seen r CROSS JOIN travellers t ON t.id = r.id WHERE t.current = 1 AND "   \
    "(SELECT (julianday(?4) - julianday(COALESCE(l.departure_utc, "            \
    "l.departure_local))) * 86400.0 FROM legs l WHERE l.movement_id = "        \
    "t.movement_id ORDER BY l.seq LIMIT 1) BETWEEN 1 AND ?5 GROUP BY "         \
    "t.movement_id ORDER BY t.movement_id"

static const char sql_earlier[] = EARLIER_SQL;

static const char sql_one[] =
    "SELECT t.surname, t.given_names, t.birth_date, t.sex, t.nationality, "
    "t.residence, t.seat, t.booking_ref, t.doc_type, t.doc_number, "
    "t.doc_issuer, t.doc_expiry, m.carrier, m.number, l.from_port, "
    "l.to_port, COALESCE(l.departure_utc, l.departure_local) FROM "
    "travellers t JOIN movements m ON m.id = t.movement_id LEFT JOIN legs "
    "l ON l.movement_id = m.id WHERE t.id = ? ORDER BY l.seq";

#define MAX_LEGS 16
#define N_TEXT 14 /* traveller, document and movement columns */
#define TEXT_MAX 128

/* One earlier movement of the traveller, copied out of the rows (a
 * column's text lives only until the next step). */
struct earlier {
    char text[N_TEXT][TEXT_MAX];
    char leg_text[MAX_LEGS][3][40];
    pw_traveller t;
    pw_document doc;
    pw_movement mv;
    pw_leg legs[MAX_LEGS];
};

static const char *keep(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    const char *v = sq_col(st, col);

    if (!v)
        return NULL;
    snprintf(dst, cap, "%s", v);
    return dst;
}

static void start_row(sqlite3_stmt *st, struct earlier *e)
{
    const char *v[N_TEXT];

    for (int i = 0; i < N_TEXT; i++)
        v[i] = keep(st, i, e->text[i], TEXT_MAX);
    e->t.surname = v[0];
    e->t.given_names = v[1];
    e->t.birth_date = v[2];
    e->t.sex = v[3];
    e->t.nationality = v[4];
    e->t.residence = v[5];
    e->t.seat = v[6];
    e->t.booking_ref = v[7];
    e->doc = (pw_document){.type = v[8],
                           .number = v[9],
                           .issuer = v[10],
                           .expiry = v[11],
                           .check_digits = -1};
    e->t.documents = &e->doc;
    e->t.n_documents = v[9] ? 1 : 0;
    e->t.verified = e->t.bags = -1;
    e->mv.mode = PW_MODE_AIR;
    e->mv.carrier = v[12];
    e->mv.number = v[13];
    e->mv.legs = e->legs;
}

static void add_leg(sqlite3_stmt *st, struct earlier *e)
{
    size_t i = e->mv.n_legs;
    char(*b)[40];

    if (i >= MAX_LEGS || sqlite3_column_type(st, 14) == SQLITE_NULL)
        return;
    b = e->leg_text[i];
    e->legs[i].from = keep(st, 14, b[0], sizeof(b[0]));
    e->legs[i].to = keep(st, 15, b[1], sizeof(b[1]));
    e->legs[i].departure.utc = keep(st, 16, b[2], sizeof(b[2]));
    e->legs[i].departure.local = e->legs[i].departure.utc;
    e->mv.n_legs++;
}

/* 1 when stored traveller id, on its movement, satisfies h; 0 when
 * not; -1 when the store fails. */
static int matches(const pw_history_ctx *hc, int64_t id,
                   const pw_rule_history *h, struct earlier *e)
{
    sq_store *q = (sq_store *)hc->store;
    pw_rule_subject s = {&e->t, &e->mv, NULL, -1};
    pw_rule_context ctx = {pw_history_in_list, NULL, (void *)hc};
    pw_arena a;
    sqlite3_stmt *st;
    int rc, rows = 0, hit;

    if (sqlite3_prepare_v2(q->db, sql_one, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    memset(e, 0, sizeof(*e));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!rows++)
            start_row(st, e);
        add_leg(st, e);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (!rows)
        return 0;
    pw_arena_init(&a, 0);
    rc = pw_traveller_booking(hc->store, id, &a, (pw_booking **)&s.booking,
                              &s.booking_traveller);
    hit = rc == PW_OK ? pw_rule_history_match(h, &s, &ctx) : -1;
    pw_arena_free(&a);
    return hit;
}

static const char *departure(const pw_rule_subject *s)
{
    const pw_leg *l;

    if (!s->movement || !s->movement->n_legs)
        return NULL;
    l = &s->movement->legs[0];
    return l->departure.utc ? l->departure.utc : l->departure.local;
}

static int push(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
    if (*n == *cap) {
        size_t c2 = *cap ? *cap * 2 : 16;
        int64_t *more = realloc(*ids, c2 * sizeof(*more));
        if (!more)
            return -1;
        *ids = more;
        *cap = c2;
    }
    (*ids)[(*n)++] = id;
    return 0;
}

/* The ids are gathered first: evaluating while the query is open would
 * run other statements in the middle of it. */
static pw_rc earlier_ids(sq_store *q, const pw_rule_subject *s, int64_t window,
                         int64_t **ids, size_t *n)
{
    const pw_traveller *t = s->traveller;
    const char *doc = t->n_documents ? t->documents[0].number : NULL;
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc;

    *ids = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(q->db, sql_earlier, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing the history count");
    sq_text(st, 1, t->surname);
    sq_text(st, 2, t->given_names);
    sq_text(st, 3, t->birth_date);
    sq_text(st, 4, departure(s));
    sqlite3_bind_int64(st, 5, window);
    sq_text(st, 6, doc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < PW_HISTORY_MAX_ROWS)
        if (push(ids, n, &cap, sqlite3_column_int64(st, 0)) != 0) {
            sqlite3_finalize(st);
            return PW_ERR_NOMEM;
        }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(q, "counting earlier movements");
    return PW_OK;
}

long pw_history_count(void *store, const pw_rule_subject *subj,
                      const pw_rule_history *h)
{
    pw_history_ctx hc = {store, NULL};

    return pw_history_count_in(&hc, subj, h);
}

int pw_history_in_list(void *hctx, const char *name, const char *value,
                       size_t len)
{
    const pw_history_ctx *hc = hctx;

    return hc && hc->lists &&
           pw_rule_lists_in((void *)hc->lists, name, value, len);
}

long pw_history_count_in(void *hctx, const pw_rule_subject *subj,
                         const pw_rule_history *h)
{
    const pw_history_ctx *hc = hctx;
    sq_store *q = hc ? (sq_store *)hc->store : NULL;
    struct earlier *e;
    int64_t *ids;
    size_t n;
    long count = 0;

    if (!q || !subj || !subj->traveller || !h || !departure(subj))
        return -1;
    if (earlier_ids(q, subj, pw_rule_history_window(h), &ids, &n) != PW_OK)
        return -1;
    e = malloc(sizeof(*e));
    for (size_t i = 0; e && i < n && count >= 0; i++) {
        int m = matches(hc, ids[i], h, e);
        count = m < 0 ? -1 : count + m;
    }
    if (!e)
        count = -1;
    free(e);
    free(ids);
    return count;
}

/* ---- A stored traveller's booking, read back for rules ---- */

/* The content of the booking version the traveller is on, else that
 * of the PNR traveller an API traveller is linked to, with its names. */
static const char sql_booking[] =
    "SELECT v.content, t.surname, t.given_names FROM travellers t JOIN "
    "booking_versions v ON v.id = COALESCE(t.booking_version_id, (SELECT "
    "p.booking_version_id FROM traveller_links k JOIN travellers p ON p.id "
    "= k.pnr_traveller_id WHERE k.api_traveller_id = t.id ORDER BY k.id "
    "DESC LIMIT 1)) WHERE t.id = ?";

static const char *jtext(pw_arena *a, const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    return json_is_string(v) ? pw_arena_strdup(a, json_string_value(v)) : NULL;
}

static int jindex(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

/* Allocates *n items of size sz for the array at key (none when it is
 * not an array); NULL with *n 0 when empty or out of memory. */
static void *jitems(pw_arena *a, const json_t *o, const char *key, size_t sz,
                    size_t *n, const json_t **arr)
{
    void *items;

    *arr = json_object_get(o, key);
    *n = json_is_array(*arr) ? json_array_size(*arr) : 0;
    if (*n > PW_HISTORY_MAX_ROWS)
        *n = PW_HISTORY_MAX_ROWS;
    items = *n ? pw_arena_calloc(a, *n, sz) : NULL;
    if (!items)
        *n = 0;
    return items;
}

static void read_travellers(pw_arena *a, const json_t *o, pw_booking *b)
{
    const json_t *arr;

    b->travellers = jitems(a, o, "travellers", sizeof(*b->travellers),
                           &b->n_travellers, &arr);
    for (size_t i = 0; i < b->n_travellers; i++) {
        const json_t *t = json_array_get(arr, i);
        b->travellers[i].surname = jtext(a, t, "surname");
        b->travellers[i].given_names = jtext(a, t, "given_names");
        b->travellers[i].birth_date = jtext(a, t, "birth_date");
        b->travellers[i].verified = b->travellers[i].bags = -1;
    }
}

static void read_itinerary(pw_arena *a, const json_t *o, pw_booking *b)
{
    const json_t *arr;

    b->itinerary =
        jitems(a, o, "itinerary", sizeof(*b->itinerary), &b->n_itinerary, &arr);
    for (size_t i = 0; i < b->n_itinerary; i++) {
        const json_t *f = json_array_get(arr, i);
        pw_flight *x = &b->itinerary[i];
        x->carrier = jtext(a, f, "carrier");
        x->number = jtext(a, f, "number");
        x->from = jtext(a, f, "from");
        x->to = jtext(a, f, "to");
        x->departure = jtext(a, f, "departure");
        x->arrival = jtext(a, f, "arrival");
        x->booking_class = jtext(a, f, "booking_class");
        x->status = jtext(a, f, "status");
    }
}

static void read_payments(pw_arena *a, const json_t *o, pw_booking *b)
{
    const json_t *arr;

    b->payments =
        jitems(a, o, "payments", sizeof(*b->payments), &b->n_payments, &arr);
    for (size_t i = 0; i < b->n_payments; i++) {
        const json_t *p = json_array_get(arr, i);
        pw_payment *x = &b->payments[i];
        x->type = jtext(a, p, "type");
        x->amount = jtext(a, p, "amount");
        x->currency = jtext(a, p, "currency");
        x->card_type = jtext(a, p, "card_type");
        x->card_number = jtext(a, p, "card_number");
        x->traveller = jindex(p, "traveller");
    }
}

static void read_contacts(pw_arena *a, const json_t *o, pw_booking *b)
{
    const json_t *arr;

    b->contacts =
        jitems(a, o, "contacts", sizeof(*b->contacts), &b->n_contacts, &arr);
    for (size_t i = 0; i < b->n_contacts; i++) {
        const json_t *c = json_array_get(arr, i);
        b->contacts[i].type = jtext(a, c, "type");
        b->contacts[i].value = jtext(a, c, "value");
    }
}

static void read_loyalty_seats(pw_arena *a, const json_t *o, pw_booking *b)
{
    const json_t *arr;

    b->frequent_flyer =
        jitems(a, o, "frequent_flyer", sizeof(*b->frequent_flyer),
               &b->n_frequent_flyer, &arr);
    for (size_t i = 0; i < b->n_frequent_flyer; i++) {
        const json_t *f = json_array_get(arr, i);
        b->frequent_flyer[i].carrier = jtext(a, f, "carrier");
        b->frequent_flyer[i].number = jtext(a, f, "number");
        b->frequent_flyer[i].tier = jtext(a, f, "tier");
        b->frequent_flyer[i].traveller = jindex(f, "traveller");
    }
    b->seats = jitems(a, o, "seats", sizeof(*b->seats), &b->n_seats, &arr);
    for (size_t i = 0; i < b->n_seats; i++) {
        const json_t *st = json_array_get(arr, i);
        b->seats[i].seat = jtext(a, st, "seat");
        b->seats[i].traveller = jindex(st, "traveller");
        b->seats[i].flight = jindex(st, "flight");
    }
}

static void read_bags_agency(pw_arena *a, const json_t *o, pw_booking *b)
{
    const json_t *arr, *ag = json_object_get(o, "agency");

    b->bags = jitems(a, o, "bags", sizeof(*b->bags), &b->n_bags, &arr);
    for (size_t i = 0; i < b->n_bags; i++) {
        const json_t *g = json_array_get(arr, i);
        const json_t *n = json_object_get(g, "count");
        b->bags[i].count = json_is_integer(n) ? (int)json_integer_value(n) : -1;
        b->bags[i].weight = jtext(a, g, "weight");
        b->bags[i].traveller = jindex(g, "traveller");
        b->bags[i].flight = jindex(g, "flight");
    }
    if (!json_is_object(ag))
        return;
    b->agency.system = jtext(a, ag, "system");
    b->agency.location = jtext(a, ag, "location");
    b->agency.iata_number = jtext(a, ag, "iata_number");
    b->agency.office = jtext(a, ag, "office");
    b->agency.type = jtext(a, ag, "type");
    b->agency.country = jtext(a, ag, "country");
    b->agency.currency = jtext(a, ag, "currency");
    b->agency.agent = jtext(a, ag, "agent");
}

/* The booking of one stored content; NULL when it is not an object (a
 * damaged row is no booking: *nomem says memory ran out instead). */
static pw_booking *read_booking(pw_arena *a, const char *content, int *nomem)
{
    json_t *o = json_loads(content, JSON_REJECT_DUPLICATES, NULL);
    pw_booking *b =
        json_is_object(o) ? pw_arena_calloc(a, 1, sizeof(*b)) : NULL;

    *nomem = json_is_object(o) && !b;
    if (b) {
        b->locator.locator = jtext(a, o, "locator");
        b->locator.carrier = jtext(a, o, "locator_carrier");
        b->created = jtext(a, o, "created");
        b->last_changed = jtext(a, o, "last_changed");
        b->ticketed = jtext(a, o, "ticketed");
        b->group_name = jtext(a, o, "group_name");
        read_travellers(a, o, b);
        read_itinerary(a, o, b);
        read_payments(a, o, b);
        read_contacts(a, o, b);
        read_loyalty_seats(a, o, b);
        read_bags_agency(a, o, b);
    }
    json_decref(o);
    return b;
}

static int same_text(const char *x, const char *y)
{
    return !strcasecmp(x ? x : "", y ? y : "");
}

static int traveller_index(const pw_booking *b, const char *surname,
                           const char *given)
{
    for (size_t i = 0; i < b->n_travellers; i++)
        if (same_text(b->travellers[i].surname, surname) &&
            same_text(b->travellers[i].given_names, given))
            return (int)i;
    return -1;
}

pw_rc pw_traveller_booking(pw_store *s, int64_t traveller_id, pw_arena *a,
                           pw_booking **out, int *index)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    pw_rc rc = PW_OK;
    int step, nomem = 0;

    if (!s || !a || !out || !index)
        return PW_ERR_INVALID;
    *out = NULL;
    *index = -1;
    if (sqlite3_prepare_v2(q->db, sql_booking, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a booking query");
    sqlite3_bind_int64(st, 1, traveller_id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW && sq_col(st, 0)) {
        *out = read_booking(a, sq_col(st, 0), &nomem);
        rc = nomem ? PW_ERR_NOMEM : PW_OK;
        if (*out)
            *index = traveller_index(*out, sq_col(st, 1), sq_col(st, 2));
    } else if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = sq_fail(q, "reading a traveller's booking");
    }
    sqlite3_finalize(st);
    return rc;
}
