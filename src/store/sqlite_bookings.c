/* The SQLite store's bookings: each push of a PNR as a version of its
 * booking, its travellers as travellers of the movement, and the
 * listings of bookings, versions and API-PNR links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/booking.h"
#include "store/sqlite_impl.h"

/* The booking stored under a key, if any. */
struct found {
    int64_t id;
    unsigned latest;
    int64_t version; /* the latest version's row, once read */
};

/* What one booking of the message becomes. The strings are its own
 * until they move to the rows waiting to be stored. */
struct version {
    const pw_booking *b;
    char key[512];
    char *json, *itinerary, *changes;
    unsigned number;
    int64_t id, booking_id; /* its row and its booking's; 0: not known */
};

/* A push's rows wait, table by table, until SQ_BOOKING_ROWS (or
 * SQ_TRAVELLER_ROWS) of them go in one statement: one statement a row
 * cost about a fifth of a row's price in SQLite's set-up and tear-down.
 * Each row gets the id SQLite gives a row inserted alone (one past the
 * largest), counted from the push's start, so the store holds the same
 * rows as when they went one by one. Nothing waits when the push's
 * travellers are to be linked (linking reads their versions back). */
struct pending {
    int on;
    int64_t next_booking, next_version;
    struct version booking[SQ_BOOKING_ROWS]; /* owns itinerary */
    size_t n_bookings;
    struct version version[SQ_BOOKING_ROWS]; /* owns json, changes */
    size_t n_versions;
    pw_traveller t[SQ_TRAVELLER_ROWS];
    int64_t t_version[SQ_TRAVELLER_ROWS];
    int64_t *t_id[SQ_TRAVELLER_ROWS];
    size_t n_travellers;
    struct sq_items items; /* the values of the bookings stored */
};

static pw_rc find_booking(struct sq_put *p, const char *key, struct found *f)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_FIND_BOOKING);
    int rc;

    memset(f, 0, sizeof(*f));
    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        f->id = sqlite3_column_int64(st, 0);
        f->latest = (unsigned)sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(p->q, "looking up a booking");
    return PW_OK;
}

static const char *carrier_of(const struct sq_put *p, const pw_booking *b)
{
    return b->locator.carrier ? b->locator.carrier : p->m->sender;
}

static void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Binds v's booking row at parameters o + 1 .. o + 11. */
static void bind_booking(struct sq_put *p, sqlite3_stmt *st, int o,
                         const struct version *v)
{
    const pw_booking *b = v->b;

    bind_id(st, o + 1, v->booking_id);
    sq_text(st, o + 2, v->key);
    sq_text(st, o + 3, b->locator.locator ? b->locator.locator : "");
    sq_text(st, o + 4, carrier_of(p, b));
    sq_text(st, o + 5, b->created ? b->created : b->locator.created);
    sqlite3_bind_int64(st, o + 6, p->movement_id);
    sq_text(st, o + 7, ""); /* content_sha256: no longer kept */
    sqlite3_bind_int64(st, o + 8, (sqlite3_int64)b->n_travellers);
    sq_text(st, o + 9, v->itinerary);
    sq_text(st, o + 10, p->now);
    sq_text(st, o + 11, p->now);
}

/* Binds v's version row at parameters o + 1 .. o + 11. */
static void bind_version(struct sq_put *p, sqlite3_stmt *st, int o,
                         const struct version *v)
{
    bind_id(st, o + 1, v->id);
    sqlite3_bind_int64(st, o + 2, v->booking_id);
    sqlite3_bind_int(st, o + 3, (int)v->number);
    sqlite3_bind_int64(st, o + 4, p->message_id);
    sqlite3_bind_int64(st, o + 5, p->manifest_id);
    sqlite3_bind_int64(st, o + 6, p->movement_id);
    sq_text(st, o + 7, ""); /* content_sha256: no longer kept */
    sq_text(st, o + 8, v->json);
    sq_text(st, o + 9, v->changes);
    sq_text(st, o + 10, v->b->last_changed);
    sq_text(st, o + 11, p->now);
}

/* One booking row (one version row when `version`); an id of 0 is
 * SQLite's to choose, and is then set. */
static pw_rc add_row(struct sq_put *p, struct version *v, int version)
{
    sqlite3_stmt *st =
        sq_stmt(p->q, version ? SQ_ADD_BOOKING_VERSION : SQ_ADD_BOOKING);
    int64_t *id = version ? &v->id : &v->booking_id;
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    if (version)
        bind_version(p, st, 0, v);
    else
        bind_booking(p, st, 0, v);
    rc = sq_done(p->q, st,
                 version ? "storing a booking version" : "storing a booking");
    if (rc == PW_OK && !*id)
        *id = sqlite3_last_insert_rowid(p->q->db);
    return rc;
}

/* The n waiting rows of one kind (versions when `version`): one
 * statement when they are a full group, else one each. */
static pw_rc flush_rows(struct sq_put *p, struct version *rows, size_t *n,
                        int version)
{
    sqlite3_stmt *st;
    pw_rc rc = PW_OK;

    if (*n < SQ_BOOKING_ROWS) {
        for (size_t r = 0; r < *n && rc == PW_OK; r++)
            rc = add_row(p, &rows[r], version);
    } else {
        st = sq_stmt(p->q, version ? SQ_ADD_BOOKING_VERSIONS : SQ_ADD_BOOKINGS);
        if (!st)
            return PW_ERR_STORE;
        for (int r = 0; r < SQ_BOOKING_ROWS; r++) {
            if (version)
                bind_version(p, st, r * 11, &rows[r]);
            else
                bind_booking(p, st, r * 11, &rows[r]);
        }
        rc = sq_done(p->q, st, "storing bookings");
    }
    for (size_t r = 0; r < *n; r++) {
        free(rows[r].json);
        free(rows[r].itinerary);
        free(rows[r].changes);
    }
    *n = 0;
    return rc;
}

/* The waiting travellers one statement each, as SQLite numbers them. */
static pw_rc flush_each(struct sq_put *p, struct pending *w)
{
    int64_t version = p->booking_version_id;
    pw_rc rc = PW_OK;

    for (size_t r = 0; r < w->n_travellers && rc == PW_OK; r++) {
        int64_t tid = 0;

        p->booking_version_id = w->t_version[r];
        rc = sq_add_traveller(p, &w->t[r], &tid);
        if (w->t_id[r])
            *w->t_id[r] = tid;
    }
    p->booking_version_id = version;
    w->n_travellers = 0;
    return rc;
}

/* A full group of waiting travellers in one statement. */
static pw_rc flush_group(struct sq_put *p, struct pending *w)
{
    int64_t id;
    pw_rc rc = sq_next_traveller_id(p, SQ_TRAVELLER_ROWS, &id);

    if (rc != PW_OK)
        return rc;
    if (id == 0)
        return flush_each(p, w);
    rc = sq_add_traveller_rows(p, w->t, w->t_version, id);
    for (int r = 0; rc == PW_OK && r < SQ_TRAVELLER_ROWS; r++)
        if (w->t_id[r])
            *w->t_id[r] = id + r;
    w->n_travellers = 0;
    return rc;
}

static pw_rc flush_all(struct sq_put *p, struct pending *w)
{
    pw_rc rc = flush_rows(p, w->booking, &w->n_bookings, 0);
    pw_rc rv = flush_rows(p, w->version, &w->n_versions, 1);

    rc = rc == PW_OK ? rv : rc;
    rc = rc == PW_OK ? sq_items_flush(p, &w->items) : rc;
    return rc == PW_OK ? flush_each(p, w) : rc;
}

/* 1 when a booking or version row of key waits: it must be stored
 * before the booking is looked up again. */
static int waits(const struct pending *w, const char *key)
{
    for (size_t r = 0; r < w->n_bookings; r++)
        if (!strcmp(w->booking[r].key, key))
            return 1;
    for (size_t r = 0; r < w->n_versions; r++)
        if (!strcmp(w->version[r].key, key))
            return 1;
    return 0;
}

/* The ids of the push's first booking and version rows, when rows may
 * wait (see struct pending). */
static pw_rc start_pending(struct sq_put *p, struct pending *w)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_LAST_BOOKING);
    int64_t n = (int64_t)p->m->n_bookings, b, v;
    int rc;

    memset(w, 0, sizeof(*w));
    if (p->link)
        return PW_OK;
    if (!st)
        return PW_ERR_STORE;
    rc = sqlite3_step(st);
    b = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(p->q, "numbering bookings");
    w->on = b < INT64_MAX - n && v < INT64_MAX - n;
    w->next_booking = b + 1;
    w->next_version = v + 1;
    return PW_OK;
}

/* A new booking's row, stored or waiting; sets v->booking_id. */
static pw_rc add_booking(struct sq_put *p, struct pending *w, struct version *v)
{
    struct version *row;

    if (!w->on)
        return add_row(p, v, 0);
    v->booking_id = w->next_booking++;
    row = &w->booking[w->n_bookings++];
    *row = *v;
    row->json = row->changes = NULL;
    v->itinerary = NULL; /* the waiting row's now */
    if (w->n_bookings < SQ_BOOKING_ROWS)
        return PW_OK;
    return flush_rows(p, w->booking, &w->n_bookings, 0);
}

/* v's version row, stored or waiting; its id becomes the booking
 * version of the travellers stored next. */
static pw_rc add_version(struct sq_put *p, struct pending *w, struct version *v)
{
    struct version *row;
    pw_rc rc = PW_OK;

    if (!w->on) {
        rc = add_row(p, v, 1);
        p->booking_version_id = v->id;
        return rc;
    }
    v->id = w->next_version++;
    p->booking_version_id = v->id;
    row = &w->version[w->n_versions++];
    *row = *v;
    row->itinerary = NULL;
    v->json = v->changes = NULL; /* the waiting row's now */
    if (w->n_versions == SQ_BOOKING_ROWS)
        rc = flush_rows(p, w->version, &w->n_versions, 1);
    return rc;
}

/* The rows of booking version vid stop being current. */
static pw_rc retire_rows(struct sq_put *p, int64_t vid)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_RETIRE_BOOKING_TRAVELLERS);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, vid);
    return sq_done(p->q, st, "retiring booking travellers");
}

static pw_rc flush_then_retire(struct sq_put *p, struct pending *w, int64_t vid)
{
    pw_rc rc = flush_each(p, w);

    return rc == PW_OK ? retire_rows(p, vid) : rc;
}

/* What changed from before, the latest version's content, to v; *same
 * when nothing did. Content is canonical, so the same content is the
 * same text; it is compared as text (no hash is kept: hashing every
 * new booking cost more than reading the latest version of the few
 * that come again). Content stored with its travellers' segment
 * numbers (before they were left out of it) is compared without them,
 * so that a booking resent in another place of a push is no new
 * version. */
static pw_rc compare_content(const char *before, struct version *v, int *same)
{
    char *upgraded = NULL;
    pw_rc rc;

    *same = before && !strcmp(before, v->json);
    if (*same)
        return PW_OK;
    rc = pw_booking_content_upgrade(before, &upgraded);
    if (rc == PW_ERR_NOMEM)
        return rc;
    if (upgraded)
        before = upgraded;
    *same = upgraded && !strcmp(upgraded, v->json);
    if (!*same) {
        v->changes = pw_booking_changes(before, v->json);
        if (!v->changes)
            rc = PW_ERR_NOMEM;
        else
            rc = PW_OK;
    }
    free(upgraded);
    return rc;
}

/* Reads the latest version of f (its row into f->version) and compares
 * v with it, as compare_content. */
static pw_rc compare_latest(struct sq_put *p, struct found *f,
                            struct version *v, int *same)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_BOOKING_VERSION);
    pw_rc out = PW_OK;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, f->id);
    sqlite3_bind_int(st, 2, (int)f->latest);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        f->version = sqlite3_column_int64(st, 0);
        out = compare_content(sq_col(st, 2), v, same);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(p->q, "reading a booking version");
    return out;
}

/* The latest version's travellers stop being current. They may still
 * wait (the same booking earlier in this push): then they are stored
 * first. */
static pw_rc retire_previous(struct sq_put *p, struct pending *w,
                             const struct found *f)
{
    for (size_t r = 0; r < w->n_travellers; r++)
        if (w->t_version[r] == f->version)
            return flush_then_retire(p, w, f->version);
    return retire_rows(p, f->version);
}

static pw_rc update_booking(struct sq_put *p, const struct version *v,
                            int64_t id)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_UPDATE_BOOKING);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sqlite3_bind_int(st, 2, (int)v->number);
    sq_text(st, 3, ""); /* content_sha256: no longer kept */
    sqlite3_bind_int64(st, 4, (sqlite3_int64)v->b->n_travellers);
    sq_text(st, 5, v->itinerary);
    sq_text(st, 6, p->now);
    sqlite3_bind_int64(st, 7, id);
    return sq_done(p->q, st, "updating a booking");
}

/* The booking's travellers, with its locator as their booking
 * reference (what API's RFF AVF carries): waiting when rows may wait,
 * else stored (and linked) at once. */
static pw_rc add_travellers(struct sq_put *p, struct pending *w,
                            const pw_booking *b, int64_t *ids)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < b->n_travellers && rc == PW_OK; i++) {
        pw_traveller t = b->travellers[i];
        int64_t tid = 0;

        if (!t.booking_ref)
            t.booking_ref = b->locator.locator;
        if (w->on) {
            w->t[w->n_travellers] = t;
            w->t_version[w->n_travellers] = p->booking_version_id;
            w->t_id[w->n_travellers++] = ids ? &ids[i] : NULL;
            if (w->n_travellers == SQ_TRAVELLER_ROWS)
                rc = flush_group(p, w);
            continue;
        }
        rc = sq_add_traveller(p, &t, &tid);
        if (ids)
            ids[i] = tid;
    }
    return rc;
}

static pw_rc prepare(struct sq_put *p, size_t index, struct version *v)
{
    pw_rc rc = pw_booking_content(p->m, v->b, &v->json);

    if (rc != PW_OK)
        return rc;
    /* Without a locator a booking cannot meet its later versions: it
     * stands alone, keyed by the input and its place in it. */
    if (!v->b->locator.locator) {
        snprintf(v->key, sizeof(v->key), "|no-locator|%lld|%zu",
                 (long long)p->message_id, index);
        return PW_OK;
    }
    rc = pw_booking_key(p->m, v->b, v->key, sizeof(v->key));
    if (rc != PW_OK)
        return pw_store_fail(&p->q->base, rc, "booking key too long");
    return PW_OK;
}

static pw_rc store_version(struct sq_put *p, struct pending *w,
                           struct version *v, const struct found *f,
                           int64_t *ids)
{
    pw_rc rc = PW_OK;

    v->itinerary = pw_booking_itinerary(v->b);
    if (!v->itinerary)
        return PW_ERR_NOMEM;
    v->number = f->id ? f->latest + 1 : 1;
    v->booking_id = f->id;
    if (f->id)
        rc = retire_previous(p, w, f);
    if (rc == PW_OK)
        rc = f->id ? update_booking(p, v, f->id) : add_booking(p, w, v);
    if (rc == PW_OK)
        rc = add_version(p, w, v);
    if (rc == PW_OK)
        rc = sq_items_add(p, &w->items, v->id, v->b);
    if (rc == PW_OK)
        rc = add_travellers(p, w, v->b, ids);
    return rc;
}

static pw_rc put_booking(struct sq_put *p, struct pending *w, size_t index,
                         int64_t *ids, pw_store_put *out)
{
    struct version v = {.b = &p->m->bookings[index]};
    struct found f = {0};
    int same = 0;
    pw_rc rc = prepare(p, index, &v);

    if (rc == PW_OK && waits(w, v.key))
        rc = flush_all(p, w);
    if (rc == PW_OK)
        rc = find_booking(p, v.key, &f);
    if (rc == PW_OK && f.id)
        rc = compare_latest(p, &f, &v, &same);
    if (rc == PW_OK && same) {
        out->bookings_unchanged++;
    } else if (rc == PW_OK) {
        rc = store_version(p, w, &v, &f, ids);
        out->bookings++;
        out->travellers += v.b->n_travellers;
    }
    free(v.json);
    free(v.itinerary);
    free(v.changes);
    return rc;
}

/* The strings of rows left waiting after a failure. */
static void drop_pending(struct pending *w)
{
    sq_items_drop(&w->items);
    for (size_t r = 0; r < w->n_bookings; r++)
        free(w->booking[r].itinerary);
    for (size_t r = 0; r < w->n_versions; r++) {
        free(w->version[r].json);
        free(w->version[r].changes);
    }
}

pw_rc sq_put_bookings(struct sq_put *p, int64_t *ids, pw_store_put *out)
{
    struct pending *w = malloc(sizeof(*w));
    size_t at = 0;
    pw_rc rc;

    if (!w)
        return PW_ERR_NOMEM;
    p->source = "pnr";
    rc = sq_has_current(p->q, p->movement_id, "passengers", &p->link);
    if (rc == PW_OK)
        rc = start_pending(p, w);
    else
        memset(w, 0, sizeof(*w));
    for (size_t i = 0; i < p->m->n_bookings && rc == PW_OK; i++) {
        rc = put_booking(p, w, i, ids ? ids + at : NULL, out);
        at += p->m->bookings[i].n_travellers;
    }
    if (rc == PW_OK)
        rc = flush_all(p, w);
    drop_pending(w);
    free(w);
    p->booking_version_id = 0;
    out->links = p->links;
    return rc;
}

/* ---- Reading back ---- */

static void booking_row(sqlite3_stmt *st, pw_store_booking *b)
{
    memset(b, 0, sizeof(*b));
    b->id = sqlite3_column_int64(st, 0);
    b->movement_id = sqlite3_column_int64(st, 1);
    b->locator = sq_col(st, 2);
    b->carrier = sq_col(st, 3);
    b->created = sq_col(st, 4);
    b->versions = (unsigned)sqlite3_column_int(st, 5);
    b->travellers = (size_t)sqlite3_column_int64(st, 6);
    b->itinerary = sq_col(st, 7);
    b->first_seen = sq_col(st, 8);
    b->updated_at = sq_col(st, 9);
    b->content = sq_col(st, 10);
}

pw_rc sq_bookings(pw_store *s, int64_t movement_id, const char *locator,
                  pw_store_booking_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st =
        sq_stmt(q, locator ? SQ_LIST_LOCATOR_BOOKINGS : SQ_LIST_BOOKINGS);
    pw_store_booking b;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, movement_id);
    if (locator)
        sq_text(st, 2, locator);
    else
        sqlite3_bind_int64(st, 2, movement_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        booking_row(st, &b);
        if (cb(ctx, &b))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing bookings");
    return PW_OK;
}

/* A version's row; its content's hash is worked out into sha (older
 * rows keep one in content_sha256, newer ones do not). */
static void version_row(sqlite3_stmt *st, pw_store_booking_version *v,
                        char sha[65])
{
    memset(v, 0, sizeof(*v));
    v->id = sqlite3_column_int64(st, 0);
    v->booking_id = sqlite3_column_int64(st, 1);
    v->message_id = sqlite3_column_int64(st, 2);
    v->movement_id = sqlite3_column_int64(st, 3);
    v->version = (unsigned)sqlite3_column_int(st, 4);
    v->stored_at = sq_col(st, 5);
    v->last_changed = sq_col(st, 6);
    v->content = sq_col(st, 8);
    v->sha256 = NULL;
    if (v->content) {
        pw_booking_sha256(v->content, sha);
        v->sha256 = sha;
    }
    v->changes = sq_col(st, 9);
}

pw_rc sq_booking_versions(pw_store *s, int64_t booking_id,
                          pw_store_booking_version_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_BOOKING_VERSIONS);
    pw_store_booking_version v;
    char sha[65];
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, booking_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        version_row(st, &v, sha);
        if (cb(ctx, &v))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing booking versions");
    return PW_OK;
}

static void link_row(sqlite3_stmt *st, pw_store_link *l)
{
    memset(l, 0, sizeof(*l));
    l->movement_id = sqlite3_column_int64(st, 0);
    l->api_traveller_id = sqlite3_column_int64(st, 1);
    l->pnr_traveller_id = sqlite3_column_int64(st, 2);
    l->method = sq_col(st, 3);
    l->created_at = sq_col(st, 4);
    l->pnr_surname = sq_col(st, 5);
    l->pnr_given_names = sq_col(st, 6);
    l->api_surname = sq_col(st, 7);
    l->api_given_names = sq_col(st, 8);
    l->api_version = (unsigned)sqlite3_column_int(st, 9);
}

pw_rc sq_booking_links(pw_store *s, int64_t booking_id, pw_store_link_cb cb,
                       void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_BOOKING_LINKS);
    pw_store_link l;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, booking_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        link_row(st, &l);
        if (cb(ctx, &l))
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing links");
    return PW_OK;
}
