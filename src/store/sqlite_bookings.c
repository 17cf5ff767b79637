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
    char sha256[65];
};

/* A message's PNR travellers waiting to be stored SQ_TRAVELLER_ROWS to
 * a statement (one statement a row cost about a fifth of a row's
 * price in SQLite's set-up and tear-down), with their booking versions
 * and where their row ids go. Rows to be linked are stored at once. */
struct pending {
    pw_traveller t[SQ_TRAVELLER_ROWS];
    int64_t version[SQ_TRAVELLER_ROWS];
    int64_t *id[SQ_TRAVELLER_ROWS];
    size_t n;
};

/* What one booking of the message becomes. */
struct version {
    const pw_booking *b;
    char key[512], sha256[65];
    char *json, *itinerary, *changes;
    unsigned number;
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
        const char *sha = sq_col(st, 2);
        f->id = sqlite3_column_int64(st, 0);
        f->latest = (unsigned)sqlite3_column_int(st, 1);
        snprintf(f->sha256, sizeof(f->sha256), "%s", sha ? sha : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(p->q, "looking up a booking");
    return PW_OK;
}

/* The waiting rows one statement each, as SQLite numbers them. */
static pw_rc flush_each(struct sq_put *p, struct pending *w)
{
    int64_t version = p->booking_version_id;
    pw_rc rc = PW_OK;

    for (size_t r = 0; r < w->n && rc == PW_OK; r++) {
        int64_t tid = 0;

        p->booking_version_id = w->version[r];
        rc = sq_add_traveller(p, &w->t[r], &tid);
        if (w->id[r])
            *w->id[r] = tid;
    }
    p->booking_version_id = version;
    w->n = 0;
    return rc;
}

/* A full group of waiting rows in one statement. */
static pw_rc flush_group(struct sq_put *p, struct pending *w)
{
    int64_t id;
    pw_rc rc = sq_next_traveller_id(p, SQ_TRAVELLER_ROWS, &id);

    if (rc != PW_OK)
        return rc;
    if (id == 0)
        return flush_each(p, w);
    rc = sq_add_traveller_rows(p, w->t, w->version, id);
    for (int r = 0; rc == PW_OK && r < SQ_TRAVELLER_ROWS; r++)
        if (w->id[r])
            *w->id[r] = id + r;
    w->n = 0;
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

/* The latest version's travellers stop being current, and what changed
 * since it is worked out from its content. Its rows may still wait
 * (the same booking twice in one message): then they are stored
 * first. */
static pw_rc retire_previous(struct sq_put *p, struct pending *w,
                             const struct found *f, struct version *v)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_BOOKING_VERSION);
    int64_t vid = 0;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, f->id);
    sqlite3_bind_int(st, 2, (int)f->latest);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        vid = sqlite3_column_int64(st, 0);
        v->changes = pw_booking_changes(sq_col(st, 2), v->json);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(p->q, "reading a booking version");
    if (!v->changes)
        return PW_ERR_NOMEM;
    for (size_t r = 0; r < w->n; r++)
        if (w->version[r] == vid)
            return flush_then_retire(p, w, vid);
    return retire_rows(p, vid);
}

static const char *carrier_of(const struct sq_put *p, const pw_booking *b)
{
    return b->locator.carrier ? b->locator.carrier : p->m->sender;
}

static pw_rc add_booking(struct sq_put *p, const struct version *v, int64_t *id)
{
    const pw_booking *b = v->b;
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_BOOKING);
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    sq_text(st, 1, v->key);
    sq_text(st, 2, b->locator.locator ? b->locator.locator : "");
    sq_text(st, 3, carrier_of(p, b));
    sq_text(st, 4, b->created ? b->created : b->locator.created);
    sqlite3_bind_int64(st, 5, p->movement_id);
    sq_text(st, 6, v->sha256);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)b->n_travellers);
    sq_text(st, 8, v->itinerary);
    sq_text(st, 9, p->now);
    sq_text(st, 10, p->now);
    rc = sq_done(p->q, st, "storing a booking");
    *id = sqlite3_last_insert_rowid(p->q->db);
    return rc;
}

static pw_rc update_booking(struct sq_put *p, const struct version *v,
                            int64_t id)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_UPDATE_BOOKING);

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, p->movement_id);
    sqlite3_bind_int(st, 2, (int)v->number);
    sq_text(st, 3, v->sha256);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)v->b->n_travellers);
    sq_text(st, 5, v->itinerary);
    sq_text(st, 6, p->now);
    sqlite3_bind_int64(st, 7, id);
    return sq_done(p->q, st, "updating a booking");
}

static pw_rc add_version(struct sq_put *p, const struct version *v,
                         int64_t booking_id)
{
    sqlite3_stmt *st = sq_stmt(p->q, SQ_ADD_BOOKING_VERSION);
    pw_rc rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, booking_id);
    sqlite3_bind_int(st, 2, (int)v->number);
    sqlite3_bind_int64(st, 3, p->message_id);
    sqlite3_bind_int64(st, 4, p->manifest_id);
    sqlite3_bind_int64(st, 5, p->movement_id);
    sq_text(st, 6, v->sha256);
    sq_text(st, 7, v->json);
    sq_text(st, 8, v->changes);
    sq_text(st, 9, v->b->last_changed);
    sq_text(st, 10, p->now);
    rc = sq_done(p->q, st, "storing a booking version");
    p->booking_version_id = sqlite3_last_insert_rowid(p->q->db);
    return rc;
}

/* The booking's travellers, with its locator as their booking
 * reference (what API's RFF AVF carries): stored at once when they are
 * to be linked, else added to the waiting rows. */
static pw_rc add_travellers(struct sq_put *p, struct pending *w,
                            const pw_booking *b, int64_t *ids)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < b->n_travellers && rc == PW_OK; i++) {
        pw_traveller t = b->travellers[i];
        int64_t tid = 0;

        if (!t.booking_ref)
            t.booking_ref = b->locator.locator;
        if (!p->link) {
            w->t[w->n] = t;
            w->version[w->n] = p->booking_version_id;
            w->id[w->n++] = ids ? &ids[i] : NULL;
            if (w->n == SQ_TRAVELLER_ROWS)
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
    pw_rc rc = pw_booking_content(p->m, v->b, &v->json, v->sha256);

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
    int64_t booking_id = f->id;
    pw_rc rc = PW_OK;

    v->itinerary = pw_booking_itinerary(v->b);
    if (!v->itinerary)
        return PW_ERR_NOMEM;
    v->number = f->id ? f->latest + 1 : 1;
    if (f->id)
        rc = retire_previous(p, w, f, v);
    if (rc == PW_OK)
        rc = f->id ? update_booking(p, v, f->id)
                   : add_booking(p, v, &booking_id);
    if (rc == PW_OK)
        rc = add_version(p, v, booking_id);
    if (rc == PW_OK)
        rc = add_travellers(p, w, v->b, ids);
    return rc;
}

static pw_rc put_booking(struct sq_put *p, struct pending *w, size_t index,
                         int64_t *ids, pw_store_put *out)
{
    struct version v = {.b = &p->m->bookings[index]};
    struct found f;
    pw_rc rc = prepare(p, index, &v);

    if (rc == PW_OK)
        rc = find_booking(p, v.key, &f);
    if (rc == PW_OK && f.id && !strcmp(f.sha256, v.sha256)) {
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

pw_rc sq_put_bookings(struct sq_put *p, int64_t *ids, pw_store_put *out)
{
    struct pending *w = malloc(sizeof(*w));
    size_t at = 0;
    pw_rc rc;

    if (!w)
        return PW_ERR_NOMEM;
    w->n = 0;
    p->source = "pnr";
    rc = sq_has_current(p->q, p->movement_id, "passengers", &p->link);
    for (size_t i = 0; i < p->m->n_bookings && rc == PW_OK; i++) {
        rc = put_booking(p, w, i, ids ? ids + at : NULL, out);
        at += p->m->bookings[i].n_travellers;
    }
    if (rc == PW_OK)
        rc = flush_each(p, w);
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
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_BOOKINGS);
    pw_store_booking b;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, movement_id);
    sqlite3_bind_int64(st, 2, movement_id);
    sq_text(st, 3, locator);
    sq_text(st, 4, locator);
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

static void version_row(sqlite3_stmt *st, pw_store_booking_version *v)
{
    memset(v, 0, sizeof(*v));
    v->id = sqlite3_column_int64(st, 0);
    v->booking_id = sqlite3_column_int64(st, 1);
    v->message_id = sqlite3_column_int64(st, 2);
    v->movement_id = sqlite3_column_int64(st, 3);
    v->version = (unsigned)sqlite3_column_int(st, 4);
    v->stored_at = sq_col(st, 5);
    v->last_changed = sq_col(st, 6);
    v->sha256 = sq_col(st, 7);
    v->content = sq_col(st, 8);
    v->changes = sq_col(st, 9);
}

pw_rc sq_booking_versions(pw_store *s, int64_t booking_id,
                          pw_store_booking_version_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = sq_stmt(q, SQ_LIST_BOOKING_VERSIONS);
    pw_store_booking_version v;
    int rc;

    if (!st)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, booking_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        version_row(st, &v);
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
