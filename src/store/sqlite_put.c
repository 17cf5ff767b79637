/* The SQLite store's write path for what a message yields: movement,
 * legs, manifest, travellers, their documents and contacts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

/* Room for a traveller's name key (pw_traveller_name_key). */
#define NAME_KEY_MAX 160

/* Parameters per row of SQ_ADD_TRAVELLERS: the id and 44 columns. */
#define ROW_PARAMS 45

/* How a message acts on the travellers already stored (BGM 1004). */
enum action { ACT_FULL, ACT_CHANGE, ACT_CANCEL };

static enum action action_of(const pw_msg *m)
{
    if (m->function && !strcmp(m->function, "CP"))
        return ACT_CHANGE;
    if (m->function && !strcmp(m->function, "XR"))
        return ACT_CANCEL;
    return ACT_FULL;
}

static const char *first_from(const pw_movement *mv)
{
    return mv->n_legs ? mv->legs[0].from : NULL;
}

static const char *last_to(const pw_movement *mv)
{
    if (mv->final_destination)
        return mv->final_destination;
    return mv->n_legs ? mv->legs[mv->n_legs - 1].to : NULL;
}

static pw_rc find_movement(struct sq_put *p, const char *key, int *found)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_FIND_MOVEMENT);
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, key);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        p->movement_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(p->q, "looking up a movement");
    return PW_OK;
}

static pw_rc add_movement(struct sq_put *p, const char *key, const char *date)
{
    const pw_movement *mv = &p->m->movement;
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_MOVEMENT);
    const char *carrier = mv->carrier;
    const char *number = mv->number;
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    if (!carrier && mv->n_legs)
        carrier = mv->legs[0].carrier;
    if (!number && mv->n_legs)
        number = mv->legs[0].number;
    sq_text(st, 1, pw_mode_name(mv->mode));
    sq_text(st, 2, carrier);
    sq_text(st, 3, number);
    sq_text(st, 4, mv->vessel.name);
    sq_text(st, 5, mv->vessel.imo);
    sq_text(st, 6, mv->vessel.call_sign);
    sq_text(st, 7, mv->vessel.flag);
    sq_text(st, 8, *date ? date : NULL);
    sq_text(st, 9, first_from(mv));
    sq_text(st, 10, last_to(mv));
    sq_text(st, 11, key);
    sq_text(st, 12, p->now);
    sq_text(st, 13, p->now);
    rc = sq_done(p->q, st, "storing a movement");
    p->movement_id = sqlite3_last_insert_rowid(p->q->db);
    return rc;
}

static pw_rc touch_movement(struct sq_put *p)
{
    const pw_movement *mv = &p->m->movement;
    sqlite3_stmt *st = sq_stmt(p->q, SQ_TOUCH_MOVEMENT);

    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, p->now);
    sq_text(st, 2, first_from(mv));
    sq_text(st, 3, last_to(mv));
    sqlite3_bind_int64(st, 4, p->movement_id);
    return sq_done(p->q, st, "updating a movement");
}

static pw_rc put_movement(struct sq_put *p, int *created)
{
    char key[512], date[11];
    int found;
    pw_rc rc = pw_movement_key(p->m, key, sizeof(key), date);

    if (rc != PW_OK)
        return pw_store_fail(&p->q->base, rc, "movement key too long");
    rc = find_movement(p, key, &found);
    if (rc != PW_OK)
        return rc;
    *created = !found;
    if (!found)
        return add_movement(p, key, date);
    return touch_movement(p);
}

static pw_rc add_leg(struct sq_put *p, unsigned seq, const pw_leg *leg)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_LEG);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sqlite3_bind_int(st, 2, (int)seq);
    sq_text(st, 3, leg->carrier);
    sq_text(st, 4, leg->number);
    sq_text(st, 5, leg->from);
    sq_text(st, 6, leg->to);
    sq_text(st, 7, leg->departure.sent);
    sq_text(st, 8, leg->departure.local);
    sq_text(st, 9, leg->departure.utc);
    sq_text(st, 10, leg->arrival.sent);
    sq_text(st, 11, leg->arrival.local);
    sq_text(st, 12, leg->arrival.utc);
    return sq_done(p->q, st, "storing a leg");
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Joined parts of a multi-part list may each repeat the flight's legs;
 * a leg equal to the one before it says nothing new. */
static int repeats_previous(const pw_movement *mv, size_t i)
{
    const pw_leg *a, *b;

    if (i == 0)
        return 0;
    a = &mv->legs[i - 1];
    b = &mv->legs[i];
    return same_text(a->from, b->from) && same_text(a->to, b->to) &&
           same_text(a->departure.local, b->departure.local) &&
           same_text(a->arrival.local, b->arrival.local);
}

/* A full list describes the whole movement: its legs replace the ones
 * stored, so times changed by the carrier are kept up to date. */
static pw_rc put_legs(struct sq_put *p)
{
    const pw_movement *mv = &p->m->movement;
    sqlite3_stmt *st;
    unsigned seq = 0;
    pw_rc rc;

    if (mv->n_legs == 0)
        return PW_OK;
    st = sq_stmt(p->q, SQ_DELETE_LEGS);
    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    rc = sq_done(p->q, st, "replacing legs");
    for (size_t i = 0; i < mv->n_legs && rc == PW_OK; i++)
        if (!repeats_previous(mv, i))
            rc = add_leg(p, ++seq, &mv->legs[i]);
    return rc;
}

static pw_rc next_version(struct sq_put *p, unsigned *version)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_NEXT_VERSION);
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sq_text(st, 2, p->list_type);
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? (unsigned)sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PW_OK : sq_fail(p->q, "numbering a list");
}

static void bind_count(sqlite3_stmt *st, int i, long n)
{
    if (n < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, n);
}

static pw_rc add_manifest(struct sq_put *p, unsigned version)
{
    const pw_msg *m = p->m;
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_MANIFEST);
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sqlite3_bind_int64(st, 2, p->message_id);
    sq_text(st, 3, p->list_type);
    sq_text(st, 4, m->list_code);
    sq_text(st, 5, m->function);
    sqlite3_bind_int(st, 6, (int)version);
    sq_text(st, 7, m->type);
    sq_text(st, 8, m->version);
    sq_text(st, 9, m->message_ref);
    sq_text(st, 10, m->transaction_ref);
    sq_text(st, 11, m->sender);
    bind_count(st, 12, m->declared_passengers);
    bind_count(st, 13, m->declared_crew);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)m->sensitive_dropped);
    sq_text(st, 15, p->now);
    rc = sq_done(p->q, st, "storing a manifest");
    p->manifest_id = sqlite3_last_insert_rowid(p->q->db);
    return rc;
}

/* The earlier lists of this type stop being current, with their
 * travellers; they stay in the store as history. */
static pw_rc supersede(struct sq_put *p, int *superseded)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_SUPERSEDE);
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->manifest_id);
    sqlite3_bind_int64(st, 2, p->movement_id);
    sq_text(st, 3, p->list_type);
    sqlite3_bind_int64(st, 4, p->manifest_id);
    rc = sq_done(p->q, st, "superseding a list");
    *superseded = sqlite3_changes(p->q->db) > 0;
    if (rc != PW_OK || !*superseded)
        return rc;
    st = sq_stmt(p->q, SQ_RETIRE_TRAVELLERS);
    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sq_text(st, 2, p->list_type);
    return sq_done(p->q, st, "retiring travellers");
}

static void bind_flag(sqlite3_stmt *st, int i, int v)
{
    if (v < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, v);
}

/* A traveller row's parameters are cleared to NULL before the row is
 * bound (sqlite3_clear_bindings), and only the values a traveller has
 * are bound: a PNR traveller leaves about half of its 44 columns empty,
 * and binding each NULL on its own cost more than clearing them all. */
static void row_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void row_flag(sqlite3_stmt *st, int i, int v)
{
    if (v >= 0)
        sqlite3_bind_int(st, i, v);
}

/* Bag tags as one space-separated text; NULL when none. The caller
 * frees the result. */
static char *join_tags(const pw_traveller *t, int *nomem)
{
    size_t n = 0, at = 0;
    char *out;

    *nomem = 0;
    if (!t->n_bag_tags)
        return NULL;
    for (size_t i = 0; i < t->n_bag_tags; i++)
        n += strlen(t->bag_tags[i] ? t->bag_tags[i] : "") + 1;
    out = malloc(n);
    if (!out) {
        *nomem = 1;
        return NULL;
    }
    for (size_t i = 0; i < t->n_bag_tags; i++) {
        const char *tag = t->bag_tags[i] ? t->bag_tags[i] : "";
        at += (size_t)sprintf(out + at, i ? " %s" : "%s", tag);
    }
    return out;
}

static void bind_person(sqlite3_stmt *st, int o, const pw_traveller *t)
{
    row_text(st, o + 5, pw_role_name(t->role));
    row_text(st, o + 6, t->role_code);
    row_text(st, o + 7, t->surname);
    row_text(st, o + 8, t->given_names);
    row_text(st, o + 9, t->sex);
    row_text(st, o + 10, t->birth_date);
    row_text(st, o + 11, t->nationality);
    row_text(st, o + 12, t->residence);
    row_text(st, o + 13, t->birth_place);
    row_text(st, o + 14, t->clearance);
    row_text(st, o + 15, t->embarkation);
    row_text(st, o + 16, t->debarkation);
    row_text(st, o + 17, t->transit);
    row_text(st, o + 18, t->address.street);
    row_text(st, o + 19, t->address.city);
    row_text(st, o + 20, t->address.region);
    row_text(st, o + 21, t->address.postcode);
    row_text(st, o + 22, t->address.country);
}

static void bind_travel(sqlite3_stmt *st, int o, const pw_traveller *t)
{
    row_flag(st, o + 23, t->verified);
    row_flag(st, o + 24, t->bags);
    row_text(st, o + 25, t->bag_weight);
    row_text(st, o + 27, t->booking_ref);
    row_text(st, o + 28, t->passenger_ref);
    row_text(st, o + 29, t->seat);
    row_text(st, o + 30, t->customer_ref);
    row_text(st, o + 31, t->agency_ref);
    row_text(st, o + 32, t->occupation);
    sqlite3_bind_int64(st, o + 33, t->segment);
}

static pw_rc add_document(struct sq_put *p, int64_t tid, unsigned seq,
                          const pw_document *d)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_DOCUMENT);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, tid);
    sqlite3_bind_int(st, 2, (int)seq);
    sq_text(st, 3, d->type);
    sq_text(st, 4, d->type_name);
    sq_text(st, 5, d->number);
    sq_text(st, 6, d->issuer);
    sq_text(st, 7, d->expiry);
    sq_text(st, 8, d->issued);
    bind_flag(st, 9, d->check_digits);
    return sq_done(p->q, st, "storing a document");
}

static pw_rc add_contact(struct sq_put *p, int64_t tid, unsigned seq,
                         const pw_contact *c)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_CONTACT);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, tid);
    sqlite3_bind_int(st, 2, (int)seq);
    sq_text(st, 3, c->type);
    sq_text(st, 4, c->value);
    return sq_done(p->q, st, "storing a contact");
}

/* The first document rides in the traveller's row (columns 34-41):
 * nearly every traveller has exactly one, and a row of its own cost as
 * much as the traveller's. Further documents go to the documents table
 * with their place (seq) in the list. */
static void bind_first_document(sqlite3_stmt *st, int o, const pw_traveller *t)
{
    const pw_document *d = t->n_documents ? &t->documents[0] : NULL;

    if (!d)
        return;
    sqlite3_bind_int(st, o + 34, 1);
    row_text(st, o + 35, d->type);
    row_text(st, o + 36, d->type_name);
    row_text(st, o + 37, d->number);
    row_text(st, o + 38, d->issuer);
    row_text(st, o + 39, d->expiry);
    row_text(st, o + 40, d->issued);
    row_flag(st, o + 41, d->check_digits);
}

static pw_rc add_belongings(struct sq_put *p, int64_t tid,
                            const pw_traveller *t)
{
    pw_rc rc = PW_OK;

    for (size_t i = 1; i < t->n_documents && rc == PW_OK; i++)
        rc = add_document(p, tid, (unsigned)i + 1, &t->documents[i]);
    for (size_t i = 0; i < t->n_contacts && rc == PW_OK; i++)
        rc = add_contact(p, tid, (unsigned)i + 1, &t->contacts[i]);
    return rc;
}

/* Columns 42-44: where the row came from, its booking version and the
 * name key links are made on. */
static void bind_origin(struct sq_put *p, sqlite3_stmt *st, int o,
                        const pw_traveller *t, char *key, size_t cap)
{
    row_text(st, o + 42, p->source);
    if (p->booking_version_id)
        sqlite3_bind_int64(st, o + 43, p->booking_version_id);
    pw_traveller_name_key(t, key, cap);
    row_text(st, o + 44, key);
}

/* The first way of linking, in order of strength, that links row tid. */
static pw_rc link_row(struct sq_put *p, int64_t tid)
{
    static const enum sq_stmt how[] = {SQ_LINK_LOCATOR, SQ_LINK_NAME_BIRTH,
                                       SQ_LINK_DOCUMENT};
    static const char *const names[] = {"locator+name", "name+birth_date",
                                        "document"};
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < 3 && rc == PW_OK; i++) {
        sqlite3_stmt *st = sq_stmt(p->q, how[i]);
        int made;
        if (!st)
            return PW_ERR_STORE;
        sq_text(st, 1, names[i]);
        sq_text(st, 2, p->now);
        sqlite3_bind_int64(st, 3, tid);
        rc = sq_done(p->q, st, "linking travellers");
        made = sqlite3_changes(p->q->db);
        p->links += (size_t)made;
        if (made)
            break;
    }
    return rc;
}

/* Binds traveller t as the row whose first column (manifest_id) is
 * parameter o + 1, into parameters cleared to NULL. key (NAME_KEY_MAX
 * bytes) and tags must live until the statement has run. */
static void bind_row(struct sq_put *p, sqlite3_stmt *st, int o,
                     const pw_traveller *t, char *key, const char *tags)
{
    sqlite3_bind_int64(st, o + 1, p->manifest_id);
    sqlite3_bind_int64(st, o + 2, p->movement_id);
    row_text(st, o + 3, p->list_type);
    sqlite3_bind_int(st, o + 4, 1);
    bind_person(st, o, t);
    bind_travel(st, o, t);
    bind_first_document(st, o, t);
    bind_origin(p, st, o, t, key, NAME_KEY_MAX);
    row_text(st, o + 26, tags);
}

pw_rc sq_add_traveller(struct sq_put *p, const pw_traveller *t, int64_t *tid)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_TRAVELLER);
    int nomem;
    char *tags, key[NAME_KEY_MAX];
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    tags = join_tags(t, &nomem);
    if (nomem)
        return PW_ERR_NOMEM;
    sqlite3_clear_bindings(st);
    bind_row(p, st, 0, t, key, tags);
    rc = sq_done(p->q, st, "storing a traveller");
    free(tags);
    if (rc != PW_OK)
        return rc;
    *tid = sqlite3_last_insert_rowid(p->q->db);
    rc = add_belongings(p, *tid, t);
    if (rc == PW_OK && p->link)
        rc = link_row(p, *tid);
    return rc;
}

pw_rc sq_next_traveller_id(struct sq_put *p, size_t n, int64_t *next)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_LAST_TRAVELLER);
    int64_t last;
    int rc;

    *next = 0;
    if (!st)
        return PW_ERR_STORE;
    rc = sqlite3_step(st);
    last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(p->q, "numbering travellers");
    if (last < INT64_MAX - (int64_t)n)
        *next = last + 1;
    return PW_OK;
}

pw_rc sq_add_traveller_rows(struct sq_put *p, const pw_traveller *t,
                            const int64_t *versions, int64_t id)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_TRAVELLERS);
    char *tags[SQ_TRAVELLER_ROWS] = {0};
    char keys[SQ_TRAVELLER_ROWS][NAME_KEY_MAX];
    int64_t version = p->booking_version_id;
    int nomem = 0;
    pw_rc rc = PW_OK;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_clear_bindings(st);
    for (int r = 0; r < SQ_TRAVELLER_ROWS && !nomem; r++) {
        int o = r * ROW_PARAMS + 1;

        tags[r] = join_tags(&t[r], &nomem);
        if (versions)
            p->booking_version_id = versions[r];
        sqlite3_bind_int64(st, o, id + r);
        bind_row(p, st, o, &t[r], keys[r], tags[r]);
    }
    p->booking_version_id = version;
    if (!nomem)
        rc = sq_done(p->q, st, "storing travellers");
    for (int r = 0; r < SQ_TRAVELLER_ROWS; r++)
        free(tags[r]);
    if (nomem)
        return PW_ERR_NOMEM;
    for (int r = 0; r < SQ_TRAVELLER_ROWS && rc == PW_OK; r++)
        rc = add_belongings(p, id + r, &t[r]);
    return rc;
}

/* A full list's travellers, SQ_TRAVELLER_ROWS at a time, while whole
 * groups remain and no row needs linking; *done says how many. */
static pw_rc add_traveller_groups(struct sq_put *p, size_t *done)
{
    size_t n = p->m->n_travellers;
    int64_t id;
    pw_rc rc;

    *done = 0;
    if (p->link || n < SQ_TRAVELLER_ROWS)
        return PW_OK;
    rc = sq_next_traveller_id(p, n, &id);
    if (rc != PW_OK || id == 0)
        return rc;
    while (rc == PW_OK && n - *done >= SQ_TRAVELLER_ROWS) {
        int64_t first = id + (int64_t)*done;

        rc = sq_add_traveller_rows(p, &p->m->travellers[*done], NULL, first);
        for (int r = 0; rc == PW_OK && p->ids && r < SQ_TRAVELLER_ROWS; r++)
            p->ids[*done + (size_t)r] = first + r;
        if (rc == PW_OK)
            *done += SQ_TRAVELLER_ROWS;
    }
    return rc;
}

/* The current traveller a CP or XR message names: by the carrier's
 * passenger reference when sent, else by name and birth date. *id is 0
 * when there is none. */
static pw_rc match_traveller(struct sq_put *p, const pw_traveller *t,
                             int64_t *id)
{
    int by_ref = t->passenger_ref != NULL;
    sqlite3_stmt *st =
        sq_stmt(p->q, by_ref ? SQ_MATCH_BY_REF : SQ_MATCH_BY_NAME);
    int rc;

    *id = 0;
    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sq_text(st, 2, p->list_type);
    sq_text(st, 3, by_ref ? t->passenger_ref : t->surname);
    if (!by_ref) {
        sq_text(st, 4, t->given_names);
        sq_text(st, 5, t->birth_date);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(p->q, "matching a traveller");
    return PW_OK;
}

static pw_rc retire_one(struct sq_put *p, enum sq_stmt which, int64_t old,
                        int64_t by)
{
    sqlite3_stmt *st = sq_stmt(p->q, which);

    if (!st)
        return PW_ERR_STORE;
    if (which == SQ_REPLACE_TRAVELLER) {
        sqlite3_bind_int64(st, 1, by);
        sqlite3_bind_int64(st, 2, old);
    } else {
        sqlite3_bind_int64(st, 1, old);
    }
    return sq_done(p->q, st, "updating a traveller");
}

static pw_rc change_traveller(struct sq_put *p, const pw_traveller *t,
                              int64_t *tid)
{
    int64_t old;
    pw_rc rc = match_traveller(p, t, &old);

    if (rc == PW_OK)
        rc = sq_add_traveller(p, t, tid);
    if (rc == PW_OK && old)
        rc = retire_one(p, SQ_REPLACE_TRAVELLER, old, *tid);
    return rc;
}

static pw_rc cancel_traveller(struct sq_put *p, const pw_traveller *t,
                              size_t *n)
{
    int64_t old;
    pw_rc rc = match_traveller(p, t, &old);

    if (rc != PW_OK || !old)
        return rc;
    (*n)++;
    return retire_one(p, SQ_CANCEL_TRAVELLER, old, 0);
}

static pw_rc put_travellers(struct sq_put *p, enum action act, size_t *n)
{
    const pw_msg *m = p->m;
    pw_rc rc = PW_OK;
    size_t i = 0;
    int64_t tid;

    *n = 0;
    if (act == ACT_FULL) {
        rc = add_traveller_groups(p, &i);
        *n = i;
    }
    for (; i < m->n_travellers && rc == PW_OK; i++) {
        const pw_traveller *t = &m->travellers[i];

        tid = 0;
        if (act == ACT_CANCEL)
            rc = cancel_traveller(p, t, n);
        else if (act == ACT_CHANGE)
            rc = change_traveller(p, t, &tid);
        else
            rc = sq_add_traveller(p, t, &tid);
        *n += act != ACT_CANCEL;
        if (p->ids)
            p->ids[i] = tid;
    }
    return rc;
}

/* Foreign keys are not enforced (see sqlite.c): the one link input can
 * break, a manifest's raw message, is checked here once per message. */
static pw_rc raw_is_kept(struct sq_put *p)
{
    pw_msg_status st;
    pw_rc rc = sq_message_status(&p->q->base, p->message_id, &st);

    if (rc == PW_ERR_NOTFOUND)
        return pw_store_fail(&p->q->base, rc, "no raw message %lld",
                             (long long)p->message_id);
    return rc;
}

pw_rc sq_has_current(sq_store *q, int64_t movement_id, const char *list_type,
                     int *yes)
{
    sqlite3_stmt *st = sq_stmt(q, SQ_HAS_CURRENT);
    int rc;

    *yes = 0;
    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, movement_id);
    sq_text(st, 2, list_type);
    rc = sqlite3_step(st);
    *yes = rc == SQLITE_ROW;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(q, "looking for travellers");
    return PW_OK;
}

static int is_pnr(const pw_msg *m)
{
    return m->n_bookings || (m->type && !strcmp(m->type, "PNRGOV"));
}

/* API passengers are linked to PNR travellers only when the movement
 * has any, so API ingest costs one look-up per message, not per row. */
static pw_rc plan_links(struct sq_put *p)
{
    if (is_pnr(p->m) || strcmp(p->list_type, "passengers"))
        return PW_OK;
    return sq_has_current(p->q, p->movement_id, "pnr", &p->link);
}

/* A PNR message's legs say less than API's: they only fill a movement
 * that has none yet. Its bookings never supersede one another as
 * lists: each booking has its own versions. */
static pw_rc put_pnr(struct sq_put *p, pw_store_put *out, int created)
{
    pw_rc rc = created ? put_legs(p) : PW_OK;

    if (rc == PW_OK)
        rc = next_version(p, &out->version);
    if (rc == PW_OK)
        rc = add_manifest(p, out->version);
    if (rc == PW_OK)
        rc = sq_put_bookings(p, p->ids ? p->ids + p->m->n_travellers : NULL,
                             out);
    return rc;
}

pw_rc sq_put_msg(pw_store *s, int64_t message_id, const pw_msg *m,
                 pw_store_put *out, int64_t *ids)
{
    struct sq_put p = {
        .q = (sq_store *)s, .m = m, .message_id = message_id, .ids = ids};
    enum action act = action_of(m);
    int created = 0;
    pw_rc rc;

    memset(out, 0, sizeof(*out));
    if (!p.q->in_tx)
        return pw_store_fail(s, PW_ERR_INVALID,
                             "storing a message needs a transaction");
    p.list_type = is_pnr(m) ? "pnr" : pw_list_type_name(m->list_type);
    p.source = "api";
    pw_store_now(p.now);
    rc = raw_is_kept(&p);
    if (rc == PW_OK)
        rc = put_movement(&p, &created);
    if (rc == PW_OK && is_pnr(m)) {
        rc = put_pnr(&p, out, created);
        out->movement_id = p.movement_id;
        out->manifest_id = p.manifest_id;
        return rc;
    }
    if (rc == PW_OK)
        rc = plan_links(&p);
    if (rc == PW_OK && act == ACT_FULL)
        rc = put_legs(&p);
    if (rc == PW_OK)
        rc = next_version(&p, &out->version);
    if (rc == PW_OK)
        rc = add_manifest(&p, out->version);
    if (rc == PW_OK && act == ACT_FULL)
        rc = supersede(&p, &out->superseded);
    if (rc == PW_OK)
        rc = put_travellers(&p, act, &out->travellers);
    out->movement_id = p.movement_id;
    out->manifest_id = p.manifest_id;
    out->links = p.links;
    return rc;
}
