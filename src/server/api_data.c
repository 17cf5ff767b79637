/* Endpoints that read personal data: movements, travellers, their
 * history, bookings. Each read is recorded in the audit log. */
#include <stdio.h>
#include <string.h>

#include "paxwatch/review.h"
#include "server/server.h"

/* A page being filled from a store walk. */
struct page {
    json_t *items;
    size_t skip, limit, seen;
    int more;
};

/* 1 when the item seen now belongs on the page; stops at its end. */
static int on_page(struct page *p, int *stop)
{
    p->seen++;
    *stop = 0;
    if (p->seen <= p->skip)
        return 0;
    if (json_array_size(p->items) == p->limit) {
        p->more = 1;
        *stop = 1;
        return 0;
    }
    return 1;
}

static int page_start(pw_srv_req *rq, pw_srv_resp *rs, struct page *p)
{
    memset(p, 0, sizeof *p);
    if (pw_srv_page(rq, rs, &p->limit, &p->skip) != 0)
        return -1;
    p->items = json_array();
    return 0;
}

static int page_end(pw_srv_resp *rs, struct page *p, const char *name)
{
    return pw_srv_json(rs, 200,
                       json_pack("{so sI sI sb}", name, p->items, "offset",
                                 (json_int_t)p->skip, "limit",
                                 (json_int_t)p->limit, "more", p->more));
}

static json_t *movement_json(const pw_store_movement *mv)
{
    return json_pack(
        "{sI ss so so so so so so sI sI so so}", "id", (json_int_t)mv->id,
        "mode", pw_mode_name(mv->mode), "carrier", pw_srv_str(mv->carrier),
        "number", pw_srv_str(mv->number), "vessel", pw_srv_str(mv->vessel.name),
        "date", pw_srv_str(mv->date), "from", pw_srv_str(mv->from), "to",
        pw_srv_str(mv->to), "passengers", (json_int_t)mv->passengers, "crew",
        (json_int_t)mv->crew, "updated_at", pw_srv_str(mv->updated_at),
        "depersonalised_at", pw_srv_str(mv->depersonalised_at));
}

static int add_movement(void *ctx, const pw_store_movement *mv)
{
    struct page *p = ctx;
    int stop;

    if (on_page(p, &stop))
        json_array_append_new(p->items, movement_json(mv));
    return stop;
}

int pw_api_movements(pw_srv_req *rq, pw_srv_resp *rs)
{
    struct page p;
    pw_rc rc;

    if (page_start(rq, rs, &p) != 0)
        return 0;
    rc = pw_store_movements(rq->store, 0, add_movement, &p);
    if (rc != PW_OK) {
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc, "listing movements");
    }
    pw_srv_audit(rq, "movement.list", NULL, "ok");
    return page_end(rs, &p, "movements");
}

static json_t *documents_json(const pw_traveller *t)
{
    json_t *a = json_array();

    for (size_t i = 0; i < t->n_documents; i++) {
        const pw_document *d = &t->documents[i];
        json_array_append_new(
            a, json_pack("{so so so so}", "type", pw_srv_str(d->type), "number",
                         pw_srv_str(d->number), "issuer", pw_srv_str(d->issuer),
                         "expiry", pw_srv_str(d->expiry)));
    }
    return a;
}

static json_t *traveller_json(const pw_store_traveller *tr)
{
    const pw_traveller *t = &tr->t;

    return json_pack(
        "{sI sI ss sI sb sb sb so so so so so so so so}", "id",
        (json_int_t)tr->id, "movement_id", (json_int_t)tr->movement_id,
        "list_type", pw_list_type_name(tr->list_type), "version",
        (json_int_t)tr->version, "current", tr->current, "cancelled",
        tr->cancelled, "screened_in_part", tr->screened_in_part, "role",
        pw_srv_str(t->role_code), "surname", pw_srv_str(t->surname),
        "given_names", pw_srv_str(t->given_names), "sex", pw_srv_str(t->sex),
        "birth_date", pw_srv_str(t->birth_date), "nationality",
        pw_srv_str(t->nationality), "booking_ref", pw_srv_str(t->booking_ref),
        "documents", documents_json(t));
}

static int add_traveller(void *ctx, const pw_store_traveller *tr)
{
    struct page *p = ctx;
    int stop;

    if (on_page(p, &stop))
        json_array_append_new(p->items, traveller_json(tr));
    return stop;
}

static int add_one_movement(void *ctx, const pw_store_movement *mv)
{
    json_t **out = ctx;

    *out = movement_json(mv);
    return 1;
}

int pw_api_movement(pw_srv_req *rq, pw_srv_resp *rs)
{
    pw_store_query q = {0};
    json_t *mv = NULL;
    struct page p;
    pw_rc rc;

    if (pw_srv_id(rq->args[0], rs, &q.movement_id) != 0 ||
        page_start(rq, rs, &p) != 0)
        return 0;
    rc = pw_store_movements(rq->store, q.movement_id, add_one_movement, &mv);
    if (rc == PW_OK)
        rc = pw_store_travellers(rq->store, &q, add_traveller, &p);
    if (rc != PW_OK || !mv) {
        json_decref(mv);
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc ? rc : PW_ERR_NOTFOUND,
                           "reading the movement");
    }
    pw_srv_audit(rq, "movement.read", rq->args[0], "ok");
    json_object_set_new(mv, "travellers", p.items);
    json_object_set_new(mv, "more", json_boolean(p.more));
    return pw_srv_json(rs, 200, mv);
}

int pw_api_travellers(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *mv = pw_srv_query(rq, "movement");
    pw_store_query q = {0};
    struct page p;
    pw_rc rc;

    if ((mv && pw_srv_id(mv, rs, &q.movement_id) != 0) ||
        page_start(rq, rs, &p) != 0)
        return 0;
    rc = pw_store_travellers(rq->store, &q, add_traveller, &p);
    if (rc != PW_OK) {
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc, "listing travellers");
    }
    pw_srv_audit(rq, "traveller.list", mv, "ok");
    return page_end(rs, &p, "travellers");
}

static int add_history(void *ctx, const pw_history_row *r)
{
    json_array_append_new(
        ctx, json_pack("{ss sI sI sI so so so so so}", "kind", r->kind, "id",
                       (json_int_t)r->id, "movement_id",
                       (json_int_t)r->movement_id, "traveller_id",
                       (json_int_t)r->traveller_id, "a", pw_srv_str(r->a), "b",
                       pw_srv_str(r->b), "c", pw_srv_str(r->c), "d",
                       pw_srv_str(r->d), "e", pw_srv_str(r->e)));
    return 0;
}

int pw_api_traveller_history(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *a;
    int64_t id;
    pw_rc rc;

    if (pw_srv_id(rq->args[0], rs, &id) != 0)
        return 0;
    a = json_array();
    rc = pw_traveller_history(rq->store, id, add_history, a);
    if (rc != PW_OK) {
        json_decref(a);
        return pw_srv_fail(rs, rq, rc, "reading the history");
    }
    pw_srv_audit(rq, "traveller.history", rq->args[0], "ok");
    return pw_srv_json(
        rs, 200,
        json_pack("{sI so}", "traveller_id", (json_int_t)id, "rows", a));
}

static json_t *booking_json(const pw_store_booking *b, int content)
{
    json_t *o = json_pack(
        "{sI sI ss so so sI sI so so so}", "id", (json_int_t)b->id,
        "movement_id", (json_int_t)b->movement_id, "locator", b->locator,
        "carrier", pw_srv_str(b->carrier), "created", pw_srv_str(b->created),
        "versions", (json_int_t)b->versions, "travellers",
        (json_int_t)b->travellers, "itinerary", pw_srv_str(b->itinerary),
        "first_seen", pw_srv_str(b->first_seen), "updated_at",
        pw_srv_str(b->updated_at));

    if (o && content && b->content)
        json_object_set_new(o, "content", json_loads(b->content, 0, NULL));
    return o;
}

static int add_booking(void *ctx, const pw_store_booking *b)
{
    struct page *p = ctx;
    int stop;

    if (on_page(p, &stop))
        json_array_append_new(p->items, booking_json(b, p->limit == 1));
    return stop;
}

int pw_api_bookings(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *mv = pw_srv_query(rq, "movement");
    int64_t movement = 0;
    struct page p;
    pw_rc rc;

    if ((mv && pw_srv_id(mv, rs, &movement) != 0) ||
        page_start(rq, rs, &p) != 0)
        return 0;
    rc = pw_store_bookings(rq->store, movement, NULL, add_booking, &p);
    if (rc != PW_OK) {
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc, "listing bookings");
    }
    pw_srv_audit(rq, "booking.list", mv, "ok");
    return page_end(rs, &p, "bookings");
}

int pw_api_booking(pw_srv_req *rq, pw_srv_resp *rs)
{
    /* limit 1 asks add_booking for the content too */
    struct page p = {.items = json_array(), .limit = 1};
    pw_rc rc = pw_store_bookings(rq->store, 0, rq->args[0], add_booking, &p);
    json_t *b = json_array_get(p.items, 0);

    if (rc != PW_OK || !b) {
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc ? rc : PW_ERR_NOTFOUND,
                           "reading the booking");
    }
    pw_srv_audit(rq, "booking.read", rq->args[0], "ok");
    json_incref(b);
    json_decref(p.items);
    return pw_srv_json(rs, 200, b);
}
