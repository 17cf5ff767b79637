/* The SQLite store's read side: movements, legs and travellers as the
 * commands list them, and counts of what is held. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

static pw_mode mode_from(const char *name)
{
    if (!name)
        return PW_MODE_UNKNOWN;
    if (!strcmp(name, "air"))
        return PW_MODE_AIR;
    if (!strcmp(name, "sea"))
        return PW_MODE_SEA;
    if (!strcmp(name, "land"))
        return PW_MODE_LAND;
    return PW_MODE_UNKNOWN;
}

static pw_role role_from(const char *name)
{
    for (int r = PW_ROLE_PASSENGER; name && r < PW_ROLE_OTHER; r++)
        if (!strcmp(name, pw_role_name((pw_role)r)))
            return (pw_role)r;
    return PW_ROLE_OTHER;
}

static pw_list_type list_type_from(const char *name)
{
    for (int t = PW_LIST_PASSENGERS; name && t <= PW_LIST_GATE_PASS; t++)
        if (!strcmp(name, pw_list_type_name((pw_list_type)t)))
            return (pw_list_type)t;
    return PW_LIST_OTHER;
}

static void movement_row(sqlite3_stmt *st, pw_store_movement *mv)
{
    memset(mv, 0, sizeof(*mv));
    mv->id = sqlite3_column_int64(st, 0);
    mv->mode = mode_from(sq_col(st, 1));
    mv->carrier = sq_col(st, 2);
    mv->number = sq_col(st, 3);
    mv->vessel.name = sq_col(st, 4);
    mv->vessel.imo = sq_col(st, 5);
    mv->vessel.call_sign = sq_col(st, 6);
    mv->vessel.flag = sq_col(st, 7);
    mv->date = sq_col(st, 8);
    mv->from = sq_col(st, 9);
    mv->to = sq_col(st, 10);
    mv->identity = sq_col(st, 11);
    mv->created_at = sq_col(st, 12);
    mv->updated_at = sq_col(st, 13);
    mv->passengers = (size_t)sqlite3_column_int64(st, 14);
    mv->crew = (size_t)sqlite3_column_int64(st, 15);
    mv->manifests = (size_t)sqlite3_column_int64(st, 16);
    mv->depersonalised_at = sq_col(st, 17);
}

pw_rc sq_movements(pw_store *s, int64_t id, pw_store_movement_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_MOVEMENTS);
    pw_store_movement mv;
    size_t seen = 0;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        seen++;
        movement_row(st, &mv);
        if (cb(ctx, &mv))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing movements");
    if (id > 0 && !seen)
        return pw_store_fail(s, PW_ERR_NOTFOUND, "no movement %lld",
                             (long long)id);
    return PW_OK;
}

pw_rc sq_legs(pw_store *s, int64_t movement_id, pw_store_leg_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_LEGS);
    pw_leg leg;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, movement_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        leg = (pw_leg){
            .carrier = sq_col(st, 1),
            .number = sq_col(st, 2),
            .from = sq_col(st, 3),
            .to = sq_col(st, 4),
            .departure = {sq_col(st, 5), sq_col(st, 6), sq_col(st, 7)},
            .arrival = {sq_col(st, 8), sq_col(st, 9), sq_col(st, 10)},
        };
        if (cb(ctx, movement_id, (unsigned)sqlite3_column_int(st, 0), &leg))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing legs");
    return PW_OK;
}

static int col_flag(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return -1;
    return sqlite3_column_int(st, i);
}

/* Column numbers of SQ_LIST_TRAVELLERS: five of its own, then the
 * traveller columns from manifest_id on. */
#define TC(n) (5 + (n))

static void person_row(sqlite3_stmt *st, pw_traveller *t)
{
    t->role = role_from(sq_col(st, TC(4)));
    t->role_code = sq_col(st, TC(5));
    t->surname = sq_col(st, TC(6));
    t->given_names = sq_col(st, TC(7));
    t->sex = sq_col(st, TC(8));
    t->birth_date = sq_col(st, TC(9));
    t->nationality = sq_col(st, TC(10));
    t->residence = sq_col(st, TC(11));
    t->birth_place = sq_col(st, TC(12));
    t->clearance = sq_col(st, TC(13));
    t->embarkation = sq_col(st, TC(14));
    t->debarkation = sq_col(st, TC(15));
    t->transit = sq_col(st, TC(16));
    t->address.street = sq_col(st, TC(17));
    t->address.city = sq_col(st, TC(18));
    t->address.region = sq_col(st, TC(19));
    t->address.postcode = sq_col(st, TC(20));
    t->address.country = sq_col(st, TC(21));
}

static void travel_row(sqlite3_stmt *st, pw_traveller *t)
{
    t->verified = col_flag(st, TC(22));
    t->bags = col_flag(st, TC(23));
    t->bag_weight = sq_col(st, TC(24));
    t->booking_ref = sq_col(st, TC(26));
    t->passenger_ref = sq_col(st, TC(27));
    t->seat = sq_col(st, TC(28));
    t->customer_ref = sq_col(st, TC(29));
    t->agency_ref = sq_col(st, TC(30));
    t->occupation = sq_col(st, TC(31));
    t->segment = (uint32_t)sqlite3_column_int64(st, TC(32));
}

/* Splits the stored space-separated bag tags back into a list. */
static pw_rc split_tags(pw_arena *a, const char *text, pw_traveller *t)
{
    size_t n = 1, i = 0;
    char *copy, *save = NULL;

    if (!text || !*text)
        return PW_OK;
    for (const char *c = text; *c; c++)
        n += *c == ' ';
    copy = pw_arena_strdup(a, text);
    t->bag_tags = pw_arena_calloc(a, n, sizeof(*t->bag_tags));
    if (!copy || !t->bag_tags)
        return PW_ERR_NOMEM;
    for (char *tok = strtok_r(copy, " ", &save); tok && i < n;
         tok = strtok_r(NULL, " ", &save))
        t->bag_tags[i++] = tok;
    t->n_bag_tags = i;
    return PW_OK;
}

/* A copy of a column that outlives the row; *nomem set on failure. */
static const char *dup(pw_arena *a, const char *s, int *nomem)
{
    const char *copy = pw_arena_strdup(a, s);

    if (s && !copy)
        *nomem = 1;
    return copy;
}

/* The first document, kept in the traveller's row (TC 33-40) when the
 * row has one; rows from schema version 1 keep all in documents. */
static pw_rc row_document(sqlite3_stmt *row, pw_arena *a, pw_traveller *t,
                          size_t *cap)
{
    pw_document *d;
    int nomem = 0;

    if (sqlite3_column_type(row, TC(33)) == SQLITE_NULL)
        return PW_OK;
    *cap = 2;
    t->documents = pw_arena_calloc(a, *cap, sizeof(*t->documents));
    if (!t->documents)
        return PW_ERR_NOMEM;
    d = &t->documents[t->n_documents++];
    d->type = dup(a, sq_col(row, TC(34)), &nomem);
    d->type_name = dup(a, sq_col(row, TC(35)), &nomem);
    d->number = dup(a, sq_col(row, TC(36)), &nomem);
    d->issuer = dup(a, sq_col(row, TC(37)), &nomem);
    d->expiry = dup(a, sq_col(row, TC(38)), &nomem);
    d->issued = dup(a, sq_col(row, TC(39)), &nomem);
    d->check_digits = col_flag(row, TC(40));
    return nomem ? PW_ERR_NOMEM : PW_OK;
}

static pw_rc load_documents(sq_store *q, sqlite3_stmt *row, pw_arena *a,
                            int64_t tid, pw_traveller *t)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc, nomem = 0;

    if (row_document(row, a, t, &cap) != PW_OK)
        return PW_ERR_NOMEM;
    st = sq_stmt(q, SQ_LIST_DOCUMENTS);
    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, tid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pw_document *d;
        if (t->n_documents == cap) {
            pw_document *more;
            cap = cap ? cap * 2 : 2;
            more = pw_arena_alloc(a, cap * sizeof(*more));
            if (!more) {
                sqlite3_reset(st);
                return PW_ERR_NOMEM;
            }
            if (t->n_documents)
                memcpy(more, t->documents, t->n_documents * sizeof(*more));
            t->documents = more;
        }
        d = &t->documents[t->n_documents++];
        d->type = dup(a, sq_col(st, 0), &nomem);
        d->type_name = dup(a, sq_col(st, 1), &nomem);
        d->number = dup(a, sq_col(st, 2), &nomem);
        d->issuer = dup(a, sq_col(st, 3), &nomem);
        d->expiry = dup(a, sq_col(st, 4), &nomem);
        d->issued = dup(a, sq_col(st, 5), &nomem);
        d->check_digits = col_flag(st, 6);
    }
    sqlite3_reset(st);
    if (nomem)
        return PW_ERR_NOMEM;
    return rc == SQLITE_DONE ? PW_OK : sq_fail(q, "reading documents");
}

static pw_rc load_contacts(sq_store *q, pw_arena *a, int64_t tid,
                           pw_traveller *t)
{
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_CONTACTS);
    size_t cap = 0;
    int rc, nomem = 0;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, tid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (t->n_contacts == cap) {
            pw_contact *more;
            cap = cap ? cap * 2 : 2;
            more = pw_arena_alloc(a, cap * sizeof(*more));
            if (!more) {
                sqlite3_reset(st);
                return PW_ERR_NOMEM;
            }
            if (t->n_contacts)
                memcpy(more, t->contacts, t->n_contacts * sizeof(*more));
            t->contacts = more;
        }
        t->contacts[t->n_contacts].type = dup(a, sq_col(st, 0), &nomem);
        t->contacts[t->n_contacts++].value = dup(a, sq_col(st, 1), &nomem);
    }
    sqlite3_reset(st);
    if (nomem)
        return PW_ERR_NOMEM;
    return rc == SQLITE_DONE ? PW_OK : sq_fail(q, "reading contacts");
}

static pw_rc traveller_row(sq_store *q, sqlite3_stmt *st, pw_arena *a,
                           pw_store_traveller *tr)
{
    pw_rc rc;

    memset(tr, 0, sizeof(*tr));
    tr->id = sqlite3_column_int64(st, 0);
    tr->message_id = sqlite3_column_int64(st, 1);
    tr->version = (unsigned)sqlite3_column_int(st, 2);
    tr->cancelled = sqlite3_column_int(st, 3);
    tr->screened_in_part = sqlite3_column_int(st, 4);
    tr->manifest_id = sqlite3_column_int64(st, TC(0));
    tr->movement_id = sqlite3_column_int64(st, TC(1));
    tr->list_type = list_type_from(sq_col(st, TC(2)));
    tr->current = sqlite3_column_int(st, TC(3));
    person_row(st, &tr->t);
    travel_row(st, &tr->t);
    rc = split_tags(a, sq_col(st, TC(25)), &tr->t);
    if (rc == PW_OK)
        rc = load_documents(q, st, a, tr->id, &tr->t);
    if (rc == PW_OK)
        rc = load_contacts(q, a, tr->id, &tr->t);
    return rc;
}

pw_rc sq_travellers(pw_store *s, const pw_store_query *qry,
                    pw_store_traveller_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_TRAVELLERS);
    pw_store_traveller tr;
    pw_arena arena;
    pw_rc rc = PW_OK;
    int step;

    if (!st)
        return PW_ERR_STORE;
    pw_arena_init(&arena, 0);
    sqlite3_bind_int64(st, 1, qry->movement_id);
    sqlite3_bind_int64(st, 2, qry->movement_id);
    sqlite3_bind_int(st, 3, qry->all ? 1 : 0);
    while (rc == PW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = traveller_row(q, st, &arena, &tr);
        if (rc == PW_OK && cb(ctx, &tr))
            break;
        pw_arena_free(&arena);
    }
    pw_arena_free(&arena);
    sqlite3_reset(st);
    if (rc == PW_OK && step != SQLITE_DONE && step != SQLITE_ROW)
        return sq_fail(q, "listing travellers");
    return rc;
}

static pw_rc count(sq_store *q, const char *table, size_t *n)
{
    static const char *const sql[] = {
        "SELECT COUNT(*) FROM messages",
        "SELECT COUNT(*) FROM movements",
        "SELECT COUNT(*) FROM manifests",
        "SELECT COUNT(*) FROM travellers",
        "SELECT COUNT(*) FROM travellers WHERE current = 1",
        ("SELECT (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) "
         "FROM travellers WHERE doc_seq IS NOT NULL)"),
        "SELECT COUNT(*) FROM message_parts",
        "SELECT COUNT(*) FROM bookings",
        "SELECT COUNT(*) FROM booking_versions",
        "SELECT COUNT(*) FROM traveller_links",
    };
    static const char *const names[] = {
        "messages",  "movements", "manifests", "travellers",       "current",
        "documents", "parts",     "bookings",  "booking_versions", "links"};
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_ERROR;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(table, names[i]))
            rc = sqlite3_prepare_v2(q->db, sql[i], -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(q, "counting");
    rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? PW_OK : sq_fail(q, "counting");
}

static pw_rc count_status(sq_store *q, pw_store_counts *c)
{
    sqlite3_stmt *st = sq_stmt(q, SQ_COUNT_STATUS);
    int rc;

    if (!st)
        return PW_ERR_STORE;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = sq_col(st, 0);
        for (int k = PW_MSG_RECEIVED; k <= PW_MSG_REJECTED; k++)
            if (name && !strcmp(name, pw_msg_status_name(k)))
                c->by_status[k] = (size_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PW_OK : sq_fail(q, "counting statuses");
}

pw_rc sq_counts(pw_store *s, pw_store_counts *c)
{
    sq_store *q = (sq_store *)s;
    pw_rc rc = count(q, "messages", &c->messages);

    if (rc == PW_OK)
        rc = count(q, "movements", &c->movements);
    if (rc == PW_OK)
        rc = count(q, "manifests", &c->manifests);
    if (rc == PW_OK)
        rc = count(q, "travellers", &c->travellers);
    if (rc == PW_OK)
        rc = count(q, "current", &c->current);
    if (rc == PW_OK)
        rc = count(q, "documents", &c->documents);
    if (rc == PW_OK)
        rc = count(q, "parts", &c->parts);
    if (rc == PW_OK)
        rc = count(q, "bookings", &c->bookings);
    if (rc == PW_OK)
        rc = count(q, "booking_versions", &c->booking_versions);
    if (rc == PW_OK)
        rc = count(q, "links", &c->links);
    if (rc == PW_OK)
        rc = count_status(q, c);
    return rc;
}
